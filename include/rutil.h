/* rutil.h - helpers shared by the rule families: values in effect and where they come from, share classification, byte-exact edits. */
#ifndef SMBLINT_RUTIL_H
#define SMBLINT_RUTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "clients.h"
#include "config.h"
#include "lint.h"
#include "util.h"

/* The Samba version the server runs: --samba-version, else the table's version. */
samba_ver ru_ver(const struct lint *l);
/* "4.17" for 41700, "4.17.4" for 41704 (malloc'ed). */
char *ru_ver_str(samba_ver v);

/*
 * The value of one parameter in effect in a section and its origin.  `str`
 * is never NULL: for a built-in default it is the default of version v.
 */
struct ru_eff {
	const struct param *param;        /* canonical entry */
	const char *str;                  /* value as testparm prints it */
	const struct assign *from;        /* the line responsible; NULL for a default */
	const struct section *copied_from;/* set when it arrived through copy = */
	bool inherited;                   /* set in [global], in effect in a share */
};

/* Fills *e for the canonical parameter `name` in section s (s NULL = global). */
void ru_get(const struct config *c, const struct section *s, const char *name, samba_ver v, struct ru_eff *e);
/* Boolean in effect (false when unparsable). */
bool ru_bool(const struct config *c, const struct section *s, const char *name, samba_ver v, struct ru_eff *e);
/* Enum value in effect (param_enum_value), or -1. */
int ru_enum(const struct config *c, const struct section *s, const char *name, samba_ver v, struct ru_eff *e);

/*
 * Reports at the line responsible for e: its assignment, or for a default
 * the section's header (or the top of the file when [global] has none),
 * adding a note that says it is the default of version v.  Adds the include
 * chain when the line is in an included file.
 */
struct finding *ru_report_eff(struct lint *l, const struct section *s, const struct ru_eff *e,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Reports at an assignment and adds the include chain when needed. */
struct finding *ru_report_assign(struct lint *l, const struct assign *a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports at a node of a file (column of its first non-blank byte) with the include chain. */
struct finding *ru_report_node(struct lint *l, struct srcfile *file, const struct node *n,
    const struct section *s, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Adds a sentence to the finding's note (finding_note replaces it); "; " separates them. */
void ru_note(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "included from a.conf:3, included from smb.conf:12": malloc'ed, NULL for the top file. */
char *ru_include_chain(const struct srcfile *f);
/* The assignment of copy = in s that brought in values from `from`, or NULL. */
const struct assign *ru_copy_line(const struct config *c, const struct section *s, const struct section *from);

/*
 * True when an earlier file of c has the same path: a file read a second
 * time (included twice, or an include loop).  Rules report its lines once.
 */
bool ru_repeat_file(const struct config *c, const struct srcfile *f);
/* Two srcfiles read from the same file (same path, or same device and inode). */
bool ru_same_file(const struct srcfile *a, const struct srcfile *b);

/*
 * ru_repeat_file for every file of c at once, for rules that ask about
 * every line: set up on first use (zero-initialize it), answered in
 * constant time, freed with ru_files_free.  Asking ru_repeat_file line by
 * line costs time in proportion to the number of files, which adds up
 * with hundreds of included files.
 */
struct ru_files {
	const struct config *c;
	const struct srcfile **key;   /* hash of srcfile pointers */
	bool *repeat;
	size_t cap;
};
bool ru_files_repeat(struct ru_files *rf, const struct config *c, const struct srcfile *f);
void ru_files_free(struct ru_files *rf);

/*
 * For every assignment of c (indexed like c->assigns): how many share
 * headers Samba met before it, in processing order (includes followed).
 * Two lines with the same number lie in one uninterrupted stretch: no share
 * header between them, so nothing in between ended a share (Samba's check
 * that makes a share without 'path' unavailable), opened a share that took
 * [global]'s values as they were, or copied the section.  [global] headers
 * do not count.  malloc'ed (c->nassigns entries); lines it cannot place get
 * numbers of their own.
 */
size_t *ru_stretches(const struct config *c);
/*
 * The same count for headers that a UTF-8 byte order mark hides ("\xef\xbb\xbf[data]":
 * Samba ignores the line, SL1010's fix brings the header back): lines with
 * different numbers land in different sections once that fix is applied.
 * malloc'ed like ru_stretches.
 */
size_t *ru_hidden_headers(const struct config *c);

/*
 * Whether any line of c sets the canonical parameter `name` (under any of
 * its names) to a value for which pred holds; pred gets the value of the
 * canonical parameter as testparm prints it (an inverse synonym's value is
 * inverted), or the raw value of a line Samba never checked.  Values in
 * effect come from lines (directly, from [global] or through copy =), so
 * when no line has such a value no section has it unless the default does:
 * rules use this to skip walking every share.
 */
bool ru_any_line(struct lint *l, const char *name, bool (*pred)(const char *canon));
/* pred for ru_any_line: a true boolean. */
bool ru_is_yes(const char *canon);

/*
 * What the guest rules ask about every section that admits guests, looked
 * up once per run (kept in l->rcache; the engine frees it with
 * ru_cache_free).
 */
struct ru_guest {
	const struct section *s;
	struct ru_eff guest;          /* ru_guest_ok: true */
	bool share;                   /* ru_is_share; the fields below only for shares */
	bool vu_empty;                /* no 'valid users' list (an empty list is one: param_empty_list) */
	bool enc;                     /* ru_encrypt_required */
	struct ru_eff enc_e;
	bool writable;                /* ru_writable */
	struct ru_eff w;
	bool printable;               /* only looked up for writable shares (else false) */
};
/*
 * The sections other than [global] where guest ok is yes in effect, in
 * section order; none when no line sets guest ok (or public) to yes.
 */
const struct ru_guest *ru_guest_sections(struct lint *l, size_t *n);
void ru_cache_free(struct lint *l);
/*
 * Slot k (below RU_SLOTS) of the same cache, for a rule family's own
 * look-ups; free_fn (may be NULL) frees what it holds with the cache.
 */
#define RU_SLOTS 4
void **ru_cache_slot(struct lint *l, unsigned k, void (*free_fn)(void *));

/*
 * The nodes of kind k (NODE_COMMENT, NODE_SECTION, NODE_NOEQ,
 * NODE_BADHEADER or NODE_EMPTYNAME) of l->cfg->files[file], as indexes
 * into its tree, in order: every file walked once per run for all the
 * rules that look for a few kinds of line.  NULL (and *n = 0) for other
 * kinds or when there is none.
 */
const uint32_t *ru_nodes(struct lint *l, size_t file, enum node_kind k, size_t *n);

/* File and print shares as clients see them: not [global] or [IPC$], not hidden (-valid = no), available. */
bool ru_is_share(const struct config *c, const struct section *s, samba_ver v);
/* Whether a share admits guest sessions (guest ok / public = yes in effect); *e gets the origin. */
bool ru_guest_ok(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e);
/* Whether a share is writable (read only = no / writeable = yes in effect). */
bool ru_writable(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e);
/*
 * Whether SMB encryption is required for s: server smb encrypt = required in
 * [global] (which no share can relax) or in s itself.  *e: that line's value.
 */
bool ru_encrypt_required(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e);
/*
 * The same for a client that speaks SMB1 (NT1): there the requirement is
 * the share's, checked request by request (smbd 4.17 lets such a client in
 * when [global] says required and the share if_required).
 */
bool ru_encrypt_required_smb1(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e);
/* A client of profile p lands on NT1 (SMB1) with a server whose maximum is smax (ranges overlapping). */
bool ru_speaks_nt1(const struct client_profile *p, enum dialect smax);
/* Server role: true for a domain controller (AD DC, classic PDC/BDC, or domain logons = yes). */
bool ru_is_dc(const struct config *c, samba_ver v, struct ru_eff *e);
/*
 * A share meant for guests: guest ok in effect and no 'valid users' (a list
 * of users keeps the guest account out, as SL2002 takes it).  *e: guest ok.
 */
bool ru_guest_share(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e);
/*
 * Whether the server turns some failed sign-ins into guest sessions: map to
 * guest (in *e) is bad user or bad password, or bad uid on a domain member
 * (elsewhere Samba ignores bad uid), and [global] does not require
 * encryption (then smbd refuses every guest session with ACCESS_DENIED).
 * Returns the mapping's enum value (1 bad user, 2 bad password, 3 bad uid),
 * or 0 when no guest session comes of a failed sign-in.
 */
int ru_map_to_guest(const struct config *c, samba_ver v, struct ru_eff *e);
/*
 * ntlm auth = disabled (in *e) on a server that has no Kerberos to offer
 * instead (a standalone server or a classic NT4-style domain controller):
 * no one can sign in with an account, only guests and anonymous sessions.
 */
bool ru_ntlm_blocked(const struct config *c, samba_ver v, struct ru_eff *e);
/* A value as its line spells it (SMB2_10 where testparm prints SMB2); the default's text otherwise. */
const char *ru_as_written(const struct ru_eff *e);
/*
 * Samba 4.15.0 to 4.19.6 and 4.20.0-4.20.1 (bug 15412, fixed in 4.19.7,
 * 4.20.2 and 4.21.0) ask a guest session on an SMB3 connection to encrypt
 * where encryption is only desired: in [global] (the whole session) or in
 * the share (its tree connect).  The client has no key for it, so guests
 * cannot use the share.  True when v is such a version and 'desired' is in
 * effect for s (*e: that line); the caller checks that SMB3 is spoken.
 */
bool ru_guest_desired_bug(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e);
/* Whether the rules may look things up on this machine (lint_opts.host_checks). */
bool ru_host_checks(const struct lint *l);
/*
 * Whether user and group names are this machine's own accounts: a
 * standalone server (security = user, not a domain controller), where the
 * names of 'valid users' and friends are looked up as Unix users and groups.
 */
bool ru_local_accounts(const struct config *c, samba_ver v);

/*
 * Lines a rule reported already, with a number for what it said of them:
 * a [global] line reaches every share, and is reported once per thing
 * said.  ru_said_before records (a, what) and says whether it was there.
 */
struct ru_said {
	const struct assign **a;
	int *what;
	size_t n, cap;
};
bool ru_said_before(struct ru_said *sd, const struct assign *a, int what);
void ru_said_free(struct ru_said *sd);

/*
 * Shares that one line affects, so that a [global] line inherited by ten
 * shares (or a template line copied into them) is one finding, not ten.
 * Shares are grouped by the line responsible (by share for defaults).
 */
struct ru_group {
	struct ru_eff e;                      /* origin, as seen from the first share */
	const struct section *first;
	const struct section *copier, *copied;/* a share that got it through copy =, and from where */
	struct sbuf shares;                   /* "[a], [b]" (kept in the groups' pool: read only) */
	size_t n;
	unsigned mask;                        /* CL_* bits, for rules that care */
};
struct ru_groups {
	struct ru_group *g;
	size_t n, cap;
	size_t *slots, nslots;                /* hash of origins: index + 1, 0 = empty */
	struct ru_pool *pool;                 /* storage of the groups' share lists (ru_groups_free) */
};
void ru_group_add(struct ru_groups *gs, const struct ru_eff *e, const struct section *s, unsigned mask);
/* Room for n groups at once (a hint: adding more still works). */
void ru_groups_reserve(struct ru_groups *gs, size_t n);
/* The group that e (seen from s) would join, or NULL. */
const struct ru_group *ru_group_find(const struct ru_groups *gs, const struct ru_eff *e,
    const struct section *s);
/* "share [x]" or "shares [x], [y]" (malloc'ed). */
char *ru_group_shares(const struct ru_group *g);
void ru_groups_free(struct ru_groups *gs);

/* A dialect name as Samba spells it; is_min picks how removed intermediate dialects round. */
enum dialect ru_dialect(const char *name, bool is_min, samba_ver v);
/* "SMB2_02", "NT1"... */
const char *ru_dialect_name(enum dialect d);
/* The server's dialect range under v, with the lines responsible. */
void ru_server_dialects(const struct config *c, samba_ver v, enum dialect *min, enum dialect *max,
    struct ru_eff *emin, struct ru_eff *emax);

/* A profile turns down guest sessions: it refuses them, or it requires signing (a guest cannot sign). */
bool ru_refuses_guest(const struct client_profile *p);
/* Labels of the profiles in mask: "A, B and C" (malloc'ed; "" for none). */
char *ru_client_labels(unsigned mask);
/* The same, kept for the whole run of the program (not to be freed). */
const char *ru_client_labels_memo(unsigned mask);
/* Bits of the targeted profiles for which pred holds. */
unsigned ru_clients_where(const struct lint *l, bool (*pred)(const struct client_profile *));

/*
 * Edits on the original bytes.  Each returns false (and attaches nothing)
 * when it cannot be done exactly, e.g. on a line continued with '\'.
 */
/* Replaces the value bytes of a parameter line, keeping everything around them. */
bool ru_edit_value(struct finding *f, const struct assign *a, const char *text);
/*
 * Replaces the name of a parameter line, keeping the blanks around it and
 * the value: only when the name stands on one physical line, unquoted, as
 * written (blank runs inside it are kept as they are).
 */
bool ru_edit_name(struct finding *f, const struct assign *a, const char *text);
/* Removes a whole logical line (including its line ending). */
bool ru_edit_remove(struct finding *f, struct srcfile *file, const struct node *n);
/*
 * Adds the line `text` ("name = value") to [global]: right below its header,
 * indented like the parameter that follows it, or at the top of the top file
 * when there is no [global] header (lines before any section are global).
 */
bool ru_edit_add_global(struct finding *f, const struct config *c, const char *text);
/* Inserts `text` as a new line above n, with n's indentation and line ending. */
bool ru_edit_insert_above(struct finding *f, struct srcfile *file, const struct node *n, const char *text);

/*
 * Where an inline comment starts inside a parameter's value: the offset of
 * the blank run before the ';' or '#' (*cut) and of the ';'/'#' itself
 * (*mark), both file offsets.  False when the value has none.
 */
bool ru_inline_comment(const struct srcfile *file, const struct node *n, size_t *cut, size_t *mark);

#endif
