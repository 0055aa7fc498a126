/* fix.h - applying the findings' edits to the original bytes: choose, verify, then diff or write. */
#ifndef SMBLINT_FIX_H
#define SMBLINT_FIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "lint.h"
#include "util.h"

enum fix_mode {
	FIXMODE_DIFF,   /* --diff: print a unified diff of what --fix would change; write nothing */
	FIXMODE_FIX,    /* --fix: rewrite the files (or the top file's result to `output`) */
};

struct fix_opts {
	enum fix_mode mode;
	/*
	 * FIXMODE_FIX: write the top file's result here instead of in place
	 * ("-" = standard output); edits in included files are then left out.
	 * FIXMODE_DIFF: where the diff goes ("-" or NULL = standard output).
	 * NULL with FIXMODE_FIX: in place (a config read from stdin goes to stdout).
	 */
	const char *output;
	bool unsafe;                      /* --unsafe-fixes: FIX_UNSAFE edits too */
	bool no_backup;                   /* --no-backup: no FILE.smblint.bak */
	enum severity threshold;          /* fix findings at or above this (--severity; SEV_INFO = all) */
	enum severity fail_on;            /* exit 1 when findings at or above this remain (--fail-on) */
	const struct config_opts *copts;  /* how cfg was loaded: verification reloads the same way */
	FILE *out;                        /* standard output (NULL = stdout) */
	FILE *err;                        /* summary and problems (NULL = stderr) */
	bool quiet;                       /* no summary line (problems are still printed) */
};

/* What fix_apply leaves for the caller (e.g. to print the findings that remain). */
struct fix_result {
	struct config *cfg;   /* the configuration as fixed (the caller's cfg and l when nothing changed) */
	struct lint *lint;    /* its findings */
	bool owned;           /* cfg and lint belong to the result (fix_result_free frees them) */
	unsigned applied;     /* fixes (findings) applied, over every round */
	unsigned left_out;    /* fixable findings not applied */
	bool changed;         /* some file's bytes differ */
};

/*
 * Applies the edits of l's findings (l was run on cfg) to the original bytes
 * of each file, then verifies the result before anything is written:
 *
 *   - the result is reloaded (included files through config_opts.overrides)
 *     and linted again; no fixed finding (same rule, section and parameter)
 *     may remain, and findings that become fixable are fixed in another
 *     round, up to 10 rounds, so fixing the output again changes nothing;
 *   - the effective configuration may differ only in parameters that the
 *     applied edits touch;
 *   - when testparm is installed (SMBLINT_TESTPARM names another binary,
 *     "none" skips it), it must load the fixed top file if it loaded the
 *     original.
 *
 * A finding's edits are applied all together or not at all.  Edits are
 * sorted; identical duplicates collapse; an edit overlapping one already
 * taken leaves its finding out of this round (the next round takes it if it
 * still applies).  FIX_UNSAFE findings need o->unsafe.  Suppressed findings
 * and findings below o->threshold are not touched.
 *
 * Then FIXMODE_DIFF prints `diff -u` style output (--- a/FILE, +++ b/FILE,
 * three lines of context) for every file that would change; FIXMODE_FIX
 * writes with safewrite() (backup, mode, owner, xattrs kept; refused if the
 * file changed meanwhile).  A summary goes to o->err:
 * "smblint: 2 fixes applied, 1 left out: 1 unsafe (use --unsafe-fixes)".
 *
 * Returns the exit status: 2 when verification or writing failed (one line
 * per problem on o->err; nothing was written), 1 when findings at or above
 * o->fail_on remain (or, with --diff, when the diff is not empty), else 0.
 * res may be NULL; otherwise the caller frees it with fix_result_free.
 */
int fix_apply(struct config *cfg, struct lint *l, const struct fix_opts *o, struct fix_result *res);
void fix_result_free(struct fix_result *res);

/* --- the pieces, exported for the unit tests --- */

/* A run of bytes that no edit touched: old[old_off..] == cur[new_off..] for len bytes. */
struct fix_seg {
	size_t old_off, new_off, len;
};

/* One file being rewritten: its original bytes, its current bytes, and what is still original. */
struct fix_text {
	char *path;                 /* srcfile path: the file's identity */
	char *display;
	unsigned char *orig;        /* bytes as first read (NUL-terminated) */
	size_t orig_len;
	unsigned char *data;        /* current bytes (NUL-terminated) */
	size_t len;
	struct fix_seg *segs;       /* untouched runs, in order */
	size_t nsegs;
	unsigned applied;           /* fixes applied to this file */
};

void fix_text_init(struct fix_text *t, const char *path, const char *display,
    const unsigned char *data, size_t len);
void fix_text_free(struct fix_text *t);
/*
 * Applies edits (offsets in the current bytes; sorted by start then end,
 * not overlapping, an insertion at p coming before a replacement starting
 * at p) to t.  The file member of each edit is ignored.
 */
void fix_text_edit(struct fix_text *t, const struct edit *e, size_t n);
/*
 * Appends to out a unified diff from t->orig to t->data with `ctx` lines of
 * context, headed "--- a/NAME" / "+++ b/NAME" (nothing when they are equal).
 */
void fix_diff(struct sbuf *out, const char *name, const struct fix_text *t, unsigned ctx);

/* What happens to one finding's edits in a round. */
enum fix_verdict {
	FV_NONE,       /* no edits, suppressed, below the threshold, or FIX_NONE: not a fix */
	FV_APPLY,      /* taken */
	FV_UNSAFE,     /* FIX_UNSAFE without --unsafe-fixes */
	FV_OVERLAP,    /* overlaps an edit taken earlier in this round */
	FV_ELSEWHERE,  /* edits a file that is not written (an included file with -o or stdin) */
	FV_INVALID,    /* edit outside its file or overlapping its own edits: a rule's bug */
};

/*
 * Chooses the edits of one round.  verdict[i] gets the verdict of fs[i];
 * *edits (malloc'ed, sorted by file path, start, end; duplicates removed)
 * and *nedits the edits taken.  only_path, when not NULL, is the one file
 * whose edits may be taken.  Returns the number of findings taken.
 */
size_t fix_select(const struct finding *fs, size_t n, bool unsafe, enum severity threshold,
    const char *only_path, enum fix_verdict *verdict, struct edit **edits, size_t *nedits);

/* "unsafe (use --unsafe-fixes)" and the like, for summaries. */
const char *fix_verdict_reason(enum fix_verdict v);

#endif
