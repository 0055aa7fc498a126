/* lint.h - rules, findings and the engine that runs one over the other. */
#ifndef SMBLINT_LINT_H
#define SMBLINT_LINT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"

enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2, SEV_NONE = 3 /* threshold: never */ };
enum fix_safety { FIX_NONE, FIX_SAFE, FIX_UNSAFE };

/* Client profiles (bit flags), see clients.h for what each one means. */
enum client_bit {
	CL_WIN7 = 1u << 0,
	CL_WIN10_HOME = 1u << 1,
	CL_WIN10_ENT = 1u << 2,
	CL_WIN11_24H2 = 1u << 3,
	CL_SMB1 = 1u << 4,
	CL_MACOS = 1u << 5,
	CL_LINUX = 1u << 6,
};
#define CL_DEFAULT (CL_WIN10_HOME | CL_WIN10_ENT | CL_WIN11_24H2)

struct lint;
struct lint_arena;     /* lint.c: storage of the findings' strings */
struct probe_result;   /* probe.h */

/*
 * One rule.  Rules only report (lint_report); they never print.  The same
 * table produces --list-rules, --explain, the man page smblint-rules.7 and
 * SARIF rule metadata, so all of them say the same thing.
 */
struct rule {
	const char *code;          /* stable: "SL1001"; first digit = family */
	const char *name;          /* stable: "guest-fallback" */
	enum severity severity;    /* default severity */
	enum fix_safety fix;       /* what its attached edits are */
	const char *summary;       /* one line */
	const char *what;          /* --explain: what it finds */
	const char *why;           /* why it matters: Windows symptom, error code */
	const char *fix_text;      /* the server-side fix */
	const char *workaround;    /* the client-side workaround and why not (may be NULL) */
	const char *example;       /* a config snippet that fires (may be NULL) */
	void (*check)(struct lint *l);
	/*
	 * The rules that walk the guest sections (rutil's ru_guest_sections):
	 * on a large configuration they run on a thread of their own beside
	 * the others, with a lint of their own whose findings join the list
	 * afterwards.  Such a rule may use only the shared helpers that are
	 * safe on two threads: rutil, clients, config and params look-ups,
	 * lint_report and friends.
	 */
	bool own_thread;
};

/*
 * Every rule: rules_load, rules_compat, rules_security, rules_live then rules_meta (see
 * rules.h).  The families live in separate files, so the table cannot be a
 * compile-time constant; lint.c fills it before main() runs.
 */
extern const struct rule *rule_table[];
extern size_t rule_count;
const struct rule *rule_find(const char *code_or_name);   /* case-insensitive; NULL if none */
/* Position of r in rule_table, or rule_count when it is not there. */
size_t rule_index(const struct rule *r);
/*
 * Sets flags[i] = value for every rule named in `list` (codes or names,
 * separated by commas and/or blanks; "all" means every rule).  flags has
 * rule_count entries.  Returns 0, or -1 with *err (caller frees) naming the
 * first unknown entry.
 */
int rule_select(const char *list, bool *flags, bool value, char **err);
/* "error", "warning", "info" (and "none" when allow_none) -> severity; -1 if unknown. */
int severity_parse(const char *s, bool allow_none);
const char *severity_name(enum severity s);

/* A replacement of bytes [start, end) of file by text (deletion: text ""). */
struct edit {
	struct srcfile *file;
	size_t start, end;
	char *text;
};

struct finding {
	const struct rule *rule;
	enum severity severity;       /* after settings overrides */
	struct srcfile *file;
	size_t off;                   /* byte offset the finding points at */
	unsigned line, col;
	char *section;                /* as Samba sees it, lowercase ("global") or NULL */
	char *parameter;              /* canonical name (unknown: as written, blanks normalized) or NULL */
	char *spelled;                /* as written, or NULL */
	char *message;                /* one line */
	char *note;                   /* optional second line: include chain, the fix in words */
	struct edit *edits;
	size_t nedits;
	bool suppressed;              /* by a smblint: disable comment or settings */
	/*
	 * Where the strings above live: the lint's arena (freed at once by
	 * lint_free), or NULL for a finding made outside a lint, whose strings
	 * and edits are malloc'ed one by one.
	 */
	struct lint_arena *arena;
};

struct lint_opts {
	unsigned clients;             /* CL_* bits targeted */
	samba_ver samba;              /* Samba version the server runs */
	bool unsafe_fixes;
	/*
	 * Checks against this machine (users, groups, folders smbd would look
	 * up): 1 always, -1 never, 0 (auto) only when the file linted is this
	 * machine's smbd configuration, /etc/samba/smb.conf (ru_host_checks).
	 */
	signed char host_checks;
	/* Host checks only look at files and account databases, never run a program (smbd -b): the fuzzers. */
	bool no_programs;
	/* Both indexed like rule_table, or NULL: */
	const bool *disabled;         /* true: the rule does not run */
	const signed char *severity;  /* >= 0: replaces the rule's default severity */
	/*
	 * The verdicts of --probe for this file's shares, or NULL: the live
	 * rules (SL4xxx) compare them with the file and report nothing without.
	 */
	const struct probe_result *probe;
	size_t nprobe;
};

struct lint {
	struct config *cfg;
	const struct lint_opts *opts;
	const struct rule *current;   /* rule being run (set by the engine) */
	struct finding *findings;
	size_t n, cap;
	void *engine;                 /* the engine's private state during lint_run */
	struct lint_arena *arena;     /* the findings' strings (lint_free frees it) */
	void *rcache;                 /* the rules' shared look-ups during lint_run (rutil.c) */
};

/*
 * Records a finding of the current rule at byte offset `off` of `file`
 * (line and column are computed).  Returns it so edits can be attached.
 */
struct finding *lint_report(struct lint *l, struct srcfile *file, size_t off,
    const struct section *sec, const char *parameter, const char *spelled,
    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Same, at an assignment's line (column of its name). */
struct finding *lint_report_assign(struct lint *l, const struct assign *a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * lint_report with a va_list.  `at`, when not NULL, is a node of `file`
 * whose bytes contain off: the line is then counted from it instead of
 * looked up.
 */
struct finding *lint_vreport(struct lint *l, struct srcfile *file, size_t off, const struct node *at,
    const struct section *sec, const char *parameter, const char *spelled, const char *fmt, va_list ap)
    __attribute__((format(printf, 8, 0)));
void finding_note(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Sets the note (sep NULL) or, when sep is given and there is a non-empty
 * note already, appends sep and the text to it.
 */
void finding_vnote(struct finding *f, const char *sep, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
void finding_edit(struct finding *f, struct srcfile *file, size_t start, size_t end, const char *text);

/*
 * Runs every enabled rule; findings are sorted by file order, line, column,
 * code.  Findings covered by a `# smblint: disable=...` comment stay in the
 * list with suppressed set; the meta rules (SL9xxx) then report suppressions
 * that suppressed nothing or name no rule.
 */
void lint_run(struct lint *l);
/* The same with another list of rules (tests); the meta rules run after them. */
void lint_run_rules(struct lint *l, const struct rule *const *rules, size_t n);
/* Sections from which the own_thread rules run on a thread of their own (tests lower it). */
extern size_t lint_thread_min;
void lint_free(struct lint *l);

#endif
