/* load.c - SL1xxx: what Samba's loader refuses, ignores or reads differently from what was written. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules.h"
#include "rutil.h"
#include "util.h"

/* ---- helpers ------------------------------------------------------------ */

/* Where another line is, as seen from a finding in `here`: "line 12" or "other.conf:12". */
static char *where(const struct srcfile *file, const struct node *n, const struct srcfile *here)
{
	if (file == here)
		return xasprintf("line %u", n->line);
	return xasprintf("%s:%u", file->display, n->line);
}

/*
 * The table entry of a line: for lines after the first fatal one (which
 * Samba never reads, so the loader left them unresolved) looked up here.
 * Reporting every invalid or unknown name at once saves the admin a round
 * trip per mistake.
 */
static const struct param *spelled_of(const struct assign *a)
{
	if (a->spelled != NULL || a->status != AS_NOT_READ || a->node == NULL || a->node->key == NULL)
		return a->spelled;
	return param_lookup(a->node->key);
}

/*
 * What Samba does with a line.  Lines it never reads (after a fatal error)
 * count as invalid or unknown when they would be; otherwise they stay
 * AS_NOT_READ and the other rules leave them alone.
 */
/*
 * param_check_value for lines Samba never reads, remembered by parameter
 * and value: every rule asks, and long files repeat the same few values.
 * The table holds at most MEMO_MAX answers; later ones are computed.
 */
#define MEMO_MAX 4096

static bool value_ok(const struct param *sp, const char *value)
{
	static struct {
		const struct param *p;
		char *value;
		bool ok;
	} *memo;
	static size_t used;
	const size_t cap = 2 * MEMO_MAX;   /* a power of two, at most half full */
	size_t h = (size_t)(param_index(sp) + 1) * 0x9e3779b9u;

	/* Free text (paths, comments) is always accepted and never repeats: not worth keeping. */
	if (sp->type == PT_STRING || sp->type == PT_USTRING || sp->type == PT_CHAR || sp->type == PT_INTEGER)
		return param_check_value(sp, value, NULL);

	for (const char *c = value; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	if (memo == NULL)
		memo = xcalloc(cap, sizeof *memo);
	for (h &= cap - 1; memo[h].value != NULL; h = (h + 1) & (cap - 1))
		if (memo[h].p == sp && strcmp(memo[h].value, value) == 0)
			return memo[h].ok;
	bool ok = param_check_value(sp, value, NULL);
	if (used < MEMO_MAX) {
		memo[h].p = sp;
		memo[h].value = xstrdup(value);
		memo[h].ok = ok;
		used++;
	}
	return ok;
}

static enum assign_status status_unread(const struct assign *a);

/* Every rule asks about every line: the common answer inline, the rest below. */
static inline enum assign_status status_of(const struct assign *a)
{
	return a->status != AS_NOT_READ ? a->status : status_unread(a);
}

static enum assign_status status_unread(const struct assign *a)
{
	const struct param *sp = spelled_of(a);
	if (sp == NULL)
		return a->node != NULL && strchr(a->node->key, ':') == NULL ? AS_UNKNOWN : AS_NOT_READ;
	if (!value_ok(sp, a->node->value != NULL ? a->node->value : ""))
		return AS_INVALID;
	return AS_NOT_READ;
}

/* Whether bytes hold a UTF-8 byte order mark anywhere (memchr is much faster than memmem here). */
static bool has_bom(const unsigned char *d, size_t len)
{
	const unsigned char *end = d + len;
	for (const unsigned char *p = d; p + 2 < end && (p = memchr(p, 0xef, (size_t)(end - p) - 2)) != NULL; p++)
		if (p[1] == 0xbb && p[2] == 0xbf)
			return true;
	return false;
}

/* Lines of a file read a second time were reported the first time. */
static bool again(const struct lint *l, struct ru_files *rf, const struct assign *a)
{
	return a->file != l->cfg->files[0] && ru_files_repeat(rf, l->cfg, a->file);
}

/* Whether a's parameter is `name` (canonical, a string literal: looked up once per address). */
static bool is_named(const struct assign *a, const char *name)
{
	static struct {
		const char *name;
		const struct param *p;
	} cache[16];
	if (a->param == NULL)
		return false;
	size_t h = ((uintptr_t)name >> 3) % 16;
	if (cache[h].name != name) {
		cache[h].p = param_lookup(name);
		cache[h].name = name;
	}
	return a->param == cache[h].p;
}

/* Parameters whose value Samba hands to /bin/sh: ';' and '#' mean what the shell says. */
static bool is_command(const char *name)
{
	static const char *const words[] = {"command", "script", "exec", "program", "chat", NULL};
	char *k = fold_key(name);
	bool hit = false;
	for (size_t i = 0; words[i] != NULL && !hit; i++)
		hit = strstr(k, words[i]) != NULL;
	free(k);
	return hit;
}

/* is_command for a line: by its parameter (remembered) when known. */
static bool is_command_line(const struct assign *a)
{
	static signed char *known;   /* per table entry: -1 not yet, 0 no, 1 yes */
	if (a->param == NULL)
		return is_command(a->name);
	if (known == NULL) {
		known = xmalloc(param_count);
		memset(known, -1, param_count);
	}
	size_t i = param_index(a->param);
	if (known[i] < 0)
		known[i] = is_command(param_name(a->param));
	return known[i] == 1;
}

/* Every distinct spelling testparm prints for an enum: "Never, Bad User, ...". */
static char *allowed_values(const struct param *p)
{
	struct sbuf b = {0};
	for (const struct param_enum *e = param_enums(p); e != NULL && e->name != NULL; e++) {
		bool seen = false;
		for (const struct param_enum *q = param_enums(p); q < e && !seen; q++)
			seen = strcmp(q->canon, e->canon) == 0;
		if (!seen)
			sbuf_addf(&b, "%s%s", b.len ? ", " : "", e->canon);
	}
	return sbuf_take(&b);
}

/* A removed value that was still accepted by version v (so it is valid there). */
static bool removed_after(const struct param *p, const char *value, samba_ver v)
{
	for (const struct removed_value *r = removed_values; r->param != NULL; r++)
		if (fold_eq(r->param, param_name(p)) && fold_eq(r->value, value) && r->since > v)
			return true;
	return false;
}

/* The bytes of a file span as a string (malloc'ed). */
static char *span(const struct srcfile *f, size_t from, size_t to)
{
	return xstrndup((const char *)f->data + from, to - from);
}

/* Moves an inline comment onto its own line above, same indentation. */
static void fix_move_comment(struct finding *f, const struct assign *a, size_t cut, size_t mark)
{
	char *comment = span(a->file, mark, a->node->value_end);
	if (ru_edit_insert_above(f, a->file, a->node, comment))
		finding_edit(f, a->file, cut, a->node->value_end, "");
	free(comment);
}

/* ---- SL1001 invalid-value ------------------------------------------------ */

static char *describe_invalid(const struct assign *a, const struct param *p)
{
	const char *v = a->node->value;
	char *allowed, *s;

	switch (p->type) {
	case PT_BOOL:
	case PT_BOOLREV:
		return xasprintf("'%s' is not a valid boolean for '%s' (use yes or no)", v, param_name(p));
	case PT_ENUM:
		allowed = allowed_values(p);
		s = xasprintf("'%s' is not a valid value for '%s' (allowed: %s)", v, param_name(p), allowed);
		free(allowed);
		return s;
	case PT_OCTAL:
		return xasprintf("'%s' is not a valid octal mode for '%s' (e.g. 0755)", v, param_name(p));
	case PT_BYTES:
		return xasprintf("'%s' is not a valid size for '%s' (a number, optionally with K, M, G)", v, param_name(p));
	case PT_LIST:
		return xasprintf("'%s' is not a valid value for '%s': " PARAM_LIST_EDIT_RULE, v, param_name(p));
	default:
		break;
	}
	const char *hint = NULL;
	if (fold_eq(param_name(p), "name resolve order"))
		hint = " (allowed, in lower case: lmhosts, host, wins, bcast)";
	else if (fold_eq(param_name(p), "smb ports"))
		hint = " (port numbers from 1 to 65535)";
	else if (fold_eq(param_name(p), "rpc server dynamic port range"))
		hint = " (a range such as 49152-65535)";
	return xasprintf("'%s' is not a valid value for '%s'%s", v, param_name(p), hint ? hint : "");
}

/* The value with a matching pair of quotes around it, unquoted (malloc'ed), or NULL. */
static char *unquoted(const char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
		return xstrndup(v + 1, n - 2);
	return NULL;
}

/*
 * Whether v would be valid on a's line.  A list that edits ('+x', '-x') is
 * judged against the list in effect just before the line: loading stopped
 * at this line, so that is the section's value now.
 */
static bool valid_here(const struct lint *l, const struct assign *a, const struct param *sp, const char *v)
{
	if (sp->type != PT_LIST || a->param == NULL)
		return param_check_value(sp, v, NULL);
	const struct value *cv = config_lookup(l->cfg, a->section, a->param);
	const char *cur = cv != NULL ? cv->canon : param_def(a->param);
	if (cur != NULL && *cur == '\0' && cur != param_empty_list)
		cur = NULL;
	return param_list_apply(cur, v, NULL);
}

static void report_invalid(struct lint *l, const struct assign *a, const struct param *sp,
    const struct removed_value *rv)
{
	const struct node *n = a->node;
	size_t cut, mark;
	struct finding *f;

	if (rv != NULL) {
		char *since = ru_ver_str(rv->since);
		f = ru_report_assign(l, a, "'%s = %s': Samba %s removed this value; smbd will not start",
		    param_name(sp), n->value, since);
		ru_note(f, "%s", rv->note);
		free(since);
		/* share -> user keeps the server standalone; security = server has no such twin. */
		if (fold_eq(param_name(param_canonical(sp)), "security") && fold_eq(n->value, "share"))
			ru_edit_value(f, a, "user");
		return;
	}
	if (ru_inline_comment(a->file, n, &cut, &mark)) {
		char *prefix = span(a->file, n->value_off, cut);
		if (valid_here(l, a, sp, prefix)) {
			f = ru_report_assign(l, a, "'%s' is not a valid value for '%s': inline comments are "
			    "not supported, everything after '=' is the value; smbd will not start",
			    n->value, param_name(sp));
			ru_note(f, "put the comment on a line of its own: '%s = %s'", n->key, prefix);
			fix_move_comment(f, a, cut, mark);
			free(prefix);
			return;
		}
		free(prefix);
	}
	char *inner = unquoted(n->value);
	if (inner != NULL && valid_here(l, a, sp, inner)) {
		f = ru_report_assign(l, a, "'%s' is not a valid value for '%s': Samba does not strip "
		    "quotes; smbd will not start", n->value, param_name(sp));
		ru_note(f, "write '%s = %s'", n->key, inner);
		ru_edit_value(f, a, inner);
		free(inner);
		return;
	}
	free(inner);
	char *why = describe_invalid(a, sp);
	ru_report_assign(l, a, "%s; smbd will not start", why);
	free(why);
}

/*
 * The lines each per-line rule looks at, gathered in one walk over every
 * line (per run, kept in the rules' cache): most rules care about a few
 * lines of a long file, and walking them all once per rule adds up.  Each
 * list is a superset of what its rule reports (the rule still checks
 * everything), in processing order.
 */
enum {
	LX_UNKNOWN,      /* AS_UNKNOWN */
	LX_GIS,          /* AS_GLOBAL_IN_SHARE */
	LX_INVALID,      /* AS_INVALID, or AS_SET with a parameter that has removed values */
	LX_QUOTED,       /* unknown parameter with a quoted name */
	LX_BEFORE,       /* before any section in the top file */
	LX_REMOVED,      /* a parameter removed in the chosen version or before */
	LX_DEPRECATED,   /* a parameter deprecated at some version */
	LX_INTEGER,      /* AS_SET integers */
	LX_VFS,          /* vfs objects */
	LX_OVERRIDES,    /* lines that override an earlier one (chains_build) */
	LX_DROPPED,      /* parametric options lost when their section was reopened */
	LX_N
};

struct lines {
	samba_ver v;
	size_t *ix[LX_N];
	size_t n[LX_N], cap[LX_N];
};

static void lines_free(void *p)
{
	struct lines *lx = p;
	for (int k = 0; k < LX_N; k++)
		free(lx->ix[k]);
	free(lx);
}

static void lines_add(struct lines *lx, int k, size_t i)
{
	if (lx->n[k] == lx->cap[k]) {
		lx->cap[k] = lx->cap[k] ? 2 * lx->cap[k] : 64;
		lx->ix[k] = xrealloc(lx->ix[k], lx->cap[k] * sizeof *lx->ix[k]);
	}
	lx->ix[k][lx->n[k]++] = i;
}

/* What lines_of asks about a table entry, worked out once per entry. */
enum {
	PFL_REMVAL = 0x01,     /* removed_values lists values of it (of its canonical entry) */
	PFL_DEPFLAG = 0x02,    /* PF_DEPRECATED */
	PFL_DEPHIST = 0x04,    /* its history gives a version that deprecates it */
	PFL_INTEGER = 0x08,    /* PT_INTEGER */
	PFL_VFS = 0x10,        /* vfs objects */
	PFL_REMOVED = 0x20,    /* its history gives a version that removes it */
};

/* The PFL_* bits of table entry i: a few look-ups in generated tables (params_ix.c). */
static unsigned pflags_of(size_t i)
{
	const struct param *p = &param_table[i];
	const struct param_history *h = param_history_of(p);
	unsigned f = 0;
	if (param_has_removed_values(p))
		f |= PFL_REMVAL;
	if (p->flags & PF_DEPRECATED)
		f |= PFL_DEPFLAG;
	if (h != NULL && h->deprecated != 0)
		f |= PFL_DEPHIST;
	if (p->type == PT_INTEGER)
		f |= PFL_INTEGER;
	if (strcmp(param_name(p), "vfs objects") == 0)
		f |= PFL_VFS;
	if (h != NULL && h->removed != 0)
		f |= PFL_REMOVED;
	return f;
}

/* pflags_of(p), remembered for one lines_of pass (memo: param_count bytes, 0xff: not yet). */
static inline unsigned pflags(unsigned char *memo, const struct param *p)
{
	size_t i = param_index(p);
	if (memo[i] == 0xff)
		memo[i] = (unsigned char)pflags_of(i);
	return memo[i];
}

static const struct lines *lines_of(struct lint *l)
{
	void **slot = ru_cache_slot(l, 0, lines_free);
	samba_ver v = ru_ver(l);
	const struct config *c = l->cfg;
	struct lines *lx = *slot;
	if (lx != NULL && lx->v == v)
		return lx;
	if (lx != NULL)
		lines_free(lx);
	lx = xcalloc(1, sizeof *lx);
	*slot = lx;
	lx->v = v;
	unsigned char *memo = xmalloc(param_count);
	memset(memo, 0xff, param_count);
	const struct srcfile *top = c->nfiles > 0 ? c->files[0] : NULL;
	for (size_t i = 0; i < c->nassigns; i++) {
		const struct assign *a = &c->assigns[i];
		const struct param *p = a->param, *sp = a->spelled;
		if (a->overrides != NULL)
			lines_add(lx, LX_OVERRIDES, i);
		if (a->dropped)
			lines_add(lx, LX_DROPPED, i);
		if (p != NULL && sp != NULL && a->status == AS_SET && !a->before_section) {
			/* Most lines: a known parameter that no list wants, by the table. */
			unsigned f = pflags(memo, p);
			if (sp != p)
				f |= pflags(memo, sp);
			if (f == 0)
				continue;
		}
		enum assign_status st = status_of(a);
		if (st == AS_UNKNOWN)
			lines_add(lx, LX_UNKNOWN, i);
		else if (st == AS_GLOBAL_IN_SHARE)
			lines_add(lx, LX_GIS, i);
		if (a->before_section && a->file == top)
			lines_add(lx, LX_BEFORE, i);
		if (a->node == NULL)
			continue;
		if (a->param == NULL || a->status == AS_NOT_READ) {
			if (a->param == NULL && (a->node->flags & NODE_F_QUOTED))
				lines_add(lx, LX_QUOTED, i);
			const struct param *sp = spelled_of(a);
			if (sp != NULL && !a->parametric &&
			    (st == AS_INVALID || (st == AS_SET && param_has_removed_values(param_canonical(sp)))))
				lines_add(lx, LX_INVALID, i);
			if (!a->parametric) {
				const struct param_history *h = a->param != NULL ? param_history_of(a->param) :
				    param_history_find(a->name);
				if (h != NULL && h->removed != 0 && h->removed <= v)
					lines_add(lx, LX_REMOVED, i);
			}
			if (a->param != NULL && a->spelled != NULL) {
				const struct param_history *h = param_history_of(a->param);
				if (((a->spelled->flags | a->param->flags) & PF_DEPRECATED) ||
				    (h != NULL && h->deprecated != 0))
					lines_add(lx, LX_DEPRECATED, i);
				if (a->spelled->type == PT_INTEGER && st == AS_SET)
					lines_add(lx, LX_INTEGER, i);
				if (pflags(memo, a->param) & PFL_VFS)
					lines_add(lx, LX_VFS, i);
			}
			continue;
		}
		/* A line Samba read, of a known parameter: the table answers. */
		unsigned f = pflags(memo, a->param);
		unsigned sf = sp != NULL ? pflags(memo, sp) : 0;
		if (sp != NULL && !a->parametric && (st == AS_INVALID || (st == AS_SET && (sf & PFL_REMVAL))))
			lines_add(lx, LX_INVALID, i);
		if (!a->parametric && (f & PFL_REMOVED) && param_history_of(a->param)->removed <= v)
			lines_add(lx, LX_REMOVED, i);
		if (sp != NULL && ((sf & PFL_DEPFLAG) || (f & (PFL_DEPFLAG | PFL_DEPHIST))))
			lines_add(lx, LX_DEPRECATED, i);
		if (sp != NULL && (sf & PFL_INTEGER) && st == AS_SET)
			lines_add(lx, LX_INTEGER, i);
		if (f & PFL_VFS)
			lines_add(lx, LX_VFS, i);
	}
	free(memo);
	return lx;
}

static void check_invalid_value(struct lint *l)
{
	struct ru_files rf = {0};
	samba_ver v = ru_ver(l);
	const struct lines *lx = lines_of(l);
	for (size_t j = 0; j < lx->n[LX_INVALID]; j++) {
		const struct assign *a = &l->cfg->assigns[lx->ix[LX_INVALID][j]];
		const struct param *sp = spelled_of(a);
		if (sp == NULL || a->parametric || a->node == NULL)
			continue;
		const struct param *p = param_canonical(sp);
		enum assign_status st = status_of(a);
		if (st != AS_INVALID && st != AS_SET)
			continue;
		/* Only lines with a removed value need their value looked at here. */
		const struct removed_value *rv = st == AS_INVALID || param_has_removed_values(p) ?
		    param_removed_value(p, a->node->value, v) : NULL;
		if ((st != AS_INVALID && rv == NULL) || again(l, &rf, a))
			continue;
		if (rv == NULL && removed_after(p, a->node->value, v))
			continue;   /* still accepted by the chosen (older) version */
		report_invalid(l, a, sp, rv);
	}
	ru_files_free(&rf);
}

static const struct rule r_invalid_value = {
	.code = "SL1001",
	.name = "invalid-value",
	.severity = SEV_ERROR,
	.fix = FIX_UNSAFE,
	.summary = "A value Samba refuses: the whole configuration fails to load",
	.what = "A boolean, enumerated, octal or size parameter has a value Samba does not "
	    "accept: a misspelt choice ('bad users'), a value a release removed "
	    "('security = share'), a value in quotes, or a value followed by what was meant "
	    "as a comment ('yes # guests').",
	.why = "Samba does not skip a bad value: the load fails, testparm exits 1 without "
	    "naming the line, and smbd refuses to start (or keeps its old configuration on "
	    "reload). Every client loses every share.",
	.fix_text = "Use one of the allowed values. Samba has no inline comments and does not "
	    "strip quotes: put comments on lines of their own and write values bare. "
	    "smblint moves an inline comment onto its own line, removes the quotes, or "
	    "replaces 'security = share' by 'security = user'; these change what smbd does, so "
	    "they are unsafe fixes.",
	.workaround = NULL,
	.example = "[global]\n    map to guest = bad users\n    guest ok = yes # for the scanner\n",
	.check = check_invalid_value,
};

/* ---- lines a fix brings to life (SL1002, SL1006, SL1010) ------------------ */

/*
 * A fix that makes Samba read a line it now ignores (a misspelt or quoted
 * name, a byte order mark glued to the name) can break a check testparm
 * makes on [global] settings even when the loader takes the value:
 * 'security = ads' without 'realm' (SL1028), 'unix password sync = yes'
 * without a usable 'passwd program' (SL1027), a 'winbind separator' that is
 * not exactly one byte long (empty, or a word).  testparm then exits 1, so
 * the fix would turn a file Samba loads into one it rejects.
 */

/* The [global] parameters those checks read, as global_check_fails indexes them. */
enum {
	GC_SECURITY, GC_REALM, GC_SYNC, GC_PROG, GC_WINBIND_SEP, GC_ROLE, GC_WORKGROUP,
	GC_ENCRYPT, GC_PW_SERVER, GC_CHAT, GC_WINS_SUPPORT, GC_WINS_SERVER, GC_N
};
static const char *const gc_params[GC_N] = {
	[GC_SECURITY] = "security", [GC_REALM] = "realm", [GC_SYNC] = "unix password sync",
	[GC_PROG] = "passwd program", [GC_WINBIND_SEP] = "winbind separator",
	[GC_ROLE] = "server role", [GC_WORKGROUP] = "workgroup", [GC_ENCRYPT] = "encrypt passwords",
	[GC_PW_SERVER] = "password server", [GC_CHAT] = "passwd chat",
	[GC_WINS_SUPPORT] = "wins support", [GC_WINS_SERVER] = "wins server",
};

static bool gc_yes(const char *v)
{
	bool on = false;
	return param_parse_bool(v, &on) && on;
}

/*
 * Which of those checks the [global] values v fail: a phrase for a note, or
 * NULL.  It errs on the side of failing (the PAM switch is not read), as a
 * fix it stops is only offered less often.
 */
static const char *global_check_fails(const char *const v[GC_N])
{
	/* lp_security(): auto means ads on a member server (a contradicting role is replaced) */
	bool member = fold_eq(v[GC_SECURITY], "ads") || fold_eq(v[GC_SECURITY], "domain") ||
	    (fold_eq(v[GC_SECURITY], "auto") && (fold_eq(v[GC_ROLE], "member server") || fold_eq(v[GC_ROLE], "member")));
	bool ads = member && !fold_eq(v[GC_SECURITY], "domain");
	bool user = !member;
	if (ads && v[GC_REALM][0] == '\0')
		return "'security = ads' without a 'realm' (see SL1028)";
	if (ads && v[GC_WORKGROUP][0] == '\0')
		return "'security = ads' with an empty 'workgroup' (see SL1028)";
	if (member && !gc_yes(v[GC_ENCRYPT]))
		return "a domain member with 'encrypt passwords = no' (see SL1036)";
	if (member && v[GC_PW_SERVER][0] == '\0')
		return "a domain member with an empty 'password server' (see SL1037)";
	/* testparm counts bytes: a two-byte letter fails as '' and 'ab' do */
	if (strlen(v[GC_WINBIND_SEP]) != 1)
		return "a 'winbind separator' that is not a single character (see SL1033)";
	if (gc_yes(v[GC_WINS_SUPPORT]) && (v[GC_WINS_SERVER][0] != '\0' || v[GC_WINS_SERVER] == param_empty_list))
		return "both 'wins support = yes' and a 'wins server' (see SL1034)";
	if (!user || !gc_yes(v[GC_SYNC]))
		return NULL;
	if (v[GC_PROG][0] == '\0')
		return "'unix password sync = yes' without a 'passwd program' (see SL1027)";
	if (strstr(v[GC_PROG], "%u") == NULL)
		return "'unix password sync = yes' with a 'passwd program' that lacks %u (see SL1027)";
	if (v[GC_PROG][0] != '/')
		return "'unix password sync = yes' with a 'passwd program' without a full path (see SL1027)";
	if (gc_yes(v[GC_ENCRYPT]) && strstr(v[GC_CHAT], "%o") != NULL)
		return "'unix password sync = yes' with a 'passwd chat' that sends the old password (see SL1035)";
	return NULL;
}

/*
 * The [global] value of `name` (canonical) once line a is read as the
 * canonical parameter c with the value canon: canon when a lies in
 * [global], sets `name` and no later line there sets it again; otherwise
 * the value in effect now (in *e either way).
 */
static const char *value_once_read(const struct lint *l, const struct assign *a, const struct param *c,
    const char *canon, const char *name, struct ru_eff *e)
{
	ru_get(l->cfg, NULL, name, ru_ver(l), e);
	if (a->section->global && fold_eq(param_name(c), name) && (e->from == NULL || e->from->index < a->index))
		return canon;
	return e->str;
}

/*
 * Why testparm would reject the configuration once line n of file, ignored
 * now, is read as `p = value` (a value p accepts): a phrase naming the
 * check it newly fails, or NULL.  Every inclusion of the file counts.
 */
static const char *reading_breaks(const struct lint *l, const struct srcfile *file, const struct node *n,
    const struct param *p, const char *value)
{
	const struct param *c = param_canonical(p);
	size_t k = 0;
	while (k < GC_N && !fold_eq(param_name(c), gc_params[k]))
		k++;
	if (k == GC_N || l->cfg->load_failed)
		return NULL;   /* nothing to break, or testparm rejects the file already */
	char *canon = NULL;
	if (!param_check_value(p, value, &canon) || canon == NULL)
		return NULL;   /* the callers refuse invalid values themselves */
	const char *why = NULL, *v[GC_N];
	struct ru_eff e[GC_N];
	for (size_t i = 0; i < GC_N; i++) {
		ru_get(l->cfg, NULL, gc_params[i], ru_ver(l), &e[i]);
		v[i] = e[i].str;
	}
	if (global_check_fails(v) == NULL) {
		for (size_t i = 0; why == NULL && i < l->cfg->nassigns; i++) {
			const struct assign *a = &l->cfg->assigns[i];
			if (a->node == NULL || a->node->start != n->start || !ru_same_file(a->file, file))
				continue;
			for (size_t j = 0; j < GC_N; j++)
				v[j] = value_once_read(l, a, c, canon, gc_params[j], &e[j]);
			why = global_check_fails(v);
		}
	}
	free(canon);
	return why;
}

/* ---- SL1002 unknown-parameter -------------------------------------------- */

/*
 * The one name an unknown name was surely meant to be: the only close
 * match, or one closer than every other, or the first of several names of
 * one setting.  NULL when the choice is not clear.
 */
static const struct param *clear_match(const struct param *const *sug, const size_t *dist, size_t n)
{
	if (n == 0)
		return NULL;
	if (n == 1 || dist[0] < dist[1])
		return sug[0];
	for (size_t i = 1; i < n && dist[i] == dist[0]; i++)
		if (param_canonical(sug[i]) != param_canonical(sug[0]) ||
		    ((sug[i]->flags ^ sug[0]->flags) & PF_INVERSE))
			return NULL;
	return sug[0];
}

/* The fix for an unknown name: its clear match, when the line would then work as written. */
static void fix_unknown(const struct lint *l, struct finding *f, const struct assign *a, const struct param *p)
{
	const struct param *c = param_canonical(p);
	const char *value = a->node->value != NULL ? a->node->value : "";
	if (!a->section->global && c->scope == PS_GLOBAL) {
		ru_note(f, "not renamed automatically: '%s' is a global parameter, which Samba "
		    "ignores inside [%s]", param_name(p), a->section->name);
		return;
	}
	if (!param_check_value(p, value, NULL)) {
		ru_note(f, "not renamed automatically: '%s' is not a valid value for '%s', and an "
		    "invalid value would stop smbd from starting", value, param_name(p));
		return;
	}
	const char *breaks = reading_breaks(l, a->file, a->node, p, value);
	if (breaks != NULL) {
		ru_note(f, "not renamed automatically: the renamed line would leave [global] with "
		    "%s, which testparm rejects", breaks);
		return;
	}
	/* Renamed, the line would override that one or be overridden by it: the admin decides. */
	const struct value *own = config_own(a->section, c);
	if (own != NULL && own->from != NULL && own->from->section == a->section && own->from->node != NULL) {
		char *w = where(own->from->file, own->from->node, a->file);
		ru_note(f, "not renamed automatically: [%s] already sets '%s' at %s", a->section->name,
		    param_name(c), w);
		free(w);
		return;
	}
	if (ru_edit_name(f, a, param_name(p)))
		ru_note(f, "the fix (unsafe) renames it to '%s', so the line takes effect: check "
		    "that '%s = %s' is what you want", param_name(p), param_name(p), value);
}

static void check_unknown(struct lint *l)
{
	struct ru_files rf = {0};
	const struct lines *lx = lines_of(l);
	for (size_t j = 0; j < lx->n[LX_UNKNOWN]; j++) {
		const struct assign *a = &l->cfg->assigns[lx->ix[LX_UNKNOWN][j]];
		if (status_of(a) != AS_UNKNOWN || a->node == NULL)
			continue;
		if (again(l, &rf, a))
			continue;
		if (a->node->flags & (NODE_F_QUOTED | NODE_F_BOM))
			continue;   /* SL1006 / SL1010 say why */
		const struct param_history *h = param_history_find(a->name);
		if (h != NULL && h->removed != 0)
			continue;   /* SL1015, or valid in the chosen version */
		const struct param *sug[3];
		size_t dist[3];
		size_t ns = param_suggest_dist(a->name, sug, dist, 3);
		struct finding *f;
		if (ns == 0)
			f = ru_report_assign(l, a, "unknown parameter '%s': Samba ignores this line", a->name);
		else if (ns == 1)
			f = ru_report_assign(l, a, "unknown parameter '%s': Samba ignores this line "
			    "(did you mean '%s'?)", a->name, param_name(sug[0]));
		else
			f = ru_report_assign(l, a, "unknown parameter '%s': Samba ignores this line "
			    "(did you mean '%s' or '%s'?)", a->name, param_name(sug[0]), param_name(sug[1]));
		const struct param *p = clear_match(sug, dist, ns);
		if (p != NULL)
			fix_unknown(l, f, a, p);
	}
	ru_files_free(&rf);
}

static const struct rule r_unknown = {
	.code = "SL1002",
	.name = "unknown-parameter",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "A parameter name Samba does not know: the line is ignored",
	.what = "A 'name = value' line whose name is not a Samba parameter (compared the way "
	    "Samba compares: ignoring case and blanks), usually a typo such as 'guest on' or "
	    "'create amask'.",
	.why = "Samba logs the unknown name and carries on, and testparm still exits 0, so "
	    "the setting silently does nothing. The share behaves as if the line were not there.",
	.fix_text = "Correct the name (smblint suggests the closest known ones) or delete the "
	    "line. 'testparm --show-all-parameters' lists every name. When one known name is "
	    "clearly meant (the only close one, or closer than all others), smblint's fix "
	    "renames the line to it, keeping the value; the fix is unsafe because the setting "
	    "then takes effect. It is not offered when the value would be invalid for that "
	    "parameter, when a global parameter would land in a share, or when the setting "
	    "would fail a check testparm makes across [global] (SL1027, SL1028; 'winbind "
	    "separator' must be one character).",
	.workaround = NULL,
	.example = "[public]\n    guest on = yes\n",
	.check = check_unknown,
};

/* ---- SL1003 global-in-share ---------------------------------------------- */

/* Levenshtein distance, case-insensitive, for short names (longer ones count as far apart). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), row[32];
	if (n >= 31 || m >= 31)
		return 99;
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[m];
}

static const struct value *global_value(const struct config *c, const struct param *p)
{
	return p != NULL ? config_own(config_global(c), p) : NULL;
}

static void check_global_in_share(struct lint *l)
{
	struct ru_files rf = {0};
	const struct lines *lx = lines_of(l);
	for (size_t j = 0; j < lx->n[LX_GIS]; j++) {
		const struct assign *a = &l->cfg->assigns[lx->ix[LX_GIS][j]];
		if (status_of(a) != AS_GLOBAL_IN_SHARE || again(l, &rf, a))
			continue;
		struct finding *f = ru_report_assign(l, a, "'%s' is a global parameter: Samba ignores it "
		    "inside [%s]", a->name, a->section->name);
		const struct value *g = global_value(l->cfg, a->param);
		if (g != NULL && g->from != NULL) {
			char *w = where(g->from->file, g->from->node, a->file);
			ru_note(f, "[global] sets it at %s ('%s = %s'), which applies to every share",
			    w, a->name, g->canon);
			free(w);
		} else if (edit_distance(a->section->name, "global") <= 2) {
			ru_note(f, "is [%s] a misspelt [global]?", a->section->name);
		} else {
			ru_note(f, "move it to [global] if it is meant for the whole server");
		}
	}
	ru_files_free(&rf);
}

static const struct rule r_global_in_share = {
	.code = "SL1003",
	.name = "global-in-share",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A server-wide parameter inside a share: ignored",
	.what = "A parameter that Samba only reads in [global] (for example 'map to guest', "
	    "'server min protocol', 'security') appears in a share section.",
	.why = "Samba ignores it there with a log line; the server keeps the [global] value "
	    "(or the default). A frequent cause is a share header inserted in the middle of "
	    "[global], which moves every later global line into that share.",
	.fix_text = "Move the line to [global], or delete it if the share-specific intent "
	    "cannot be expressed.",
	.workaround = NULL,
	.example = "[data]\n    path = /srv/data\n    map to guest = never\n",
	.check = check_global_in_share,
};

/* ---- SL1004 before-section ----------------------------------------------- */

static bool has_header(const struct srcfile *f)
{
	for (size_t k = 0; f->tree != NULL && k < f->tree->n; k++)
		if (f->tree->nodes[k].kind == NODE_SECTION)
			return true;
	return false;
}

static void check_before_section(struct lint *l)
{
	const struct assign *first = NULL;
	size_t count = 0, includes = 0;
	const struct lines *lx = lines_of(l);
	for (size_t j = 0; j < lx->n[LX_BEFORE]; j++) {
		const struct assign *a = &l->cfg->assigns[lx->ix[LX_BEFORE][j]];
		if (!a->before_section || a->file != l->cfg->files[0])
			continue;
		if (first == NULL)
			first = a;
		count++;
		includes += is_named(a, "include");
	}
	/* A file of global lines only, or only includes up front, is laid out on purpose. */
	if (first == NULL || includes == count || !has_header(l->cfg->files[0]))
		return;
	struct finding *f = ru_report_assign(l, first, "%zu parameter line%s before the first "
	    "section header: Samba reads %s as part of [global]", count, count == 1 ? "" : "s",
	    count == 1 ? "it" : "them");
	ru_note(f, "add a '[global]' header above to make that visible");
}

static const struct rule r_before_section = {
	.code = "SL1004",
	.name = "before-section",
	.severity = SEV_INFO,
	.fix = FIX_NONE,
	.summary = "Parameters before any section header belong to [global]",
	.what = "The file starts with parameter lines before its first '[section]' header and "
	    "has section headers further down. (A file with no header at all, or with only "
	    "include lines up front, is left alone.)",
	.why = "Samba treats them as [global] parameters. That is harmless when intended, "
	    "but a share-level parameter there (path, guest ok, read only) becomes the "
	    "default of every share, and a commented-out '[global]' header hides the fact.",
	.fix_text = "Add an explicit '[global]' header above them.",
	.workaround = NULL,
	.example = "workgroup = HOME\n[data]\n    path = /srv/data\n",
	.check = check_before_section,
};

/* ---- SL1005 no-equals ---------------------------------------------------- */

/* The longest run of leading words that names a parameter ("log level" of "log level 10"), or NULL. */
static char *param_prefix(const char *text)
{
	char *best = NULL;
	const char *p = text;
	for (int words = 0; words < 6 && *p; words++) {
		while (*p && !is_blank((unsigned char)*p))
			p++;
		char *cand = xstrndup(text, (size_t)(p - text));
		if (param_lookup(cand) != NULL) {
			free(best);
			best = cand;
		} else {
			free(cand);
		}
		while (is_blank((unsigned char)*p))
			p++;
	}
	return best;
}

static bool bom_header(const struct srcfile *f, const struct node *n)
{
	return (n->flags & NODE_F_BOM) && n->content + 3 < f->len && f->data[n->content + 3] == '[';
}

static void check_no_equals(struct lint *l)
{
	struct ru_files rf = {0};
	for (size_t i = 0; i < l->cfg->nfiles; i++) {
		struct srcfile *file = l->cfg->files[i];
		if (file->tree == NULL || ru_files_repeat(&rf, l->cfg, file))
			continue;
		size_t nk;
		const uint32_t *ks = ru_nodes(l, i, NODE_NOEQ, &nk);
		for (size_t x = 0; x < nk; x++) {
			size_t k = ks[x];
			const struct node *n = &file->tree->nodes[k];
			if (n->kind != NODE_NOEQ || bom_header(file, n))
				continue;
			if ((n->flags & NODE_F_BOM) && (n->text[3] == '#' || n->text[3] == ';'))
				continue;   /* a comment behind a byte order mark: ignored either way */
			const char *br = strchr(n->text, '[');
			char *name = param_prefix(n->text);
			struct finding *f;
			if (br != NULL && strchr(br, ']') != NULL)
				f = ru_report_node(l, file, n, NULL, "line without '=': Samba ignores it "
				    "(a section header must be the first thing on its line)");
			else if (name != NULL)
				f = ru_report_node(l, file, n, NULL, "line without '=': Samba ignores it "
				    "(missing '=' after '%s'?)", name);
			else
				f = ru_report_node(l, file, n, NULL, "line without '=': Samba ignores it");
			if (name == NULL && k > 0 && file->tree->nodes[k - 1].kind == NODE_COMMENT)
				ru_note(f, "it looks like the rest of the comment above: start it with '#'");
			free(name);
		}
	}
	ru_files_free(&rf);
}

static const struct rule r_no_equals = {
	.code = "SL1005",
	.name = "no-equals",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A line that is neither a comment, a header nor 'name = value': ignored",
	.what = "A line with text but no '=' that is not a comment or a section header: a stray "
	    "path, a forgotten '#', editor residue before a '[section]'.",
	.why = "Samba silently skips such lines. If it was meant as a setting, the setting "
	    "does not exist; if it was meant as a header, the parameters below it end up in "
	    "the previous section.",
	.fix_text = "Turn it into a comment ('# ...'), complete it as 'name = value', or delete it.",
	.workaround = NULL,
	.example = "[global]\n    /etc/samba/smb.conf\n",
	.check = check_no_equals,
};

/* ---- SL1006 quoted-name -------------------------------------------------- */

static void check_quoted_name(struct lint *l)
{
	struct ru_files rf = {0};
	const struct lines *lx = lines_of(l);
	for (size_t j = 0; j < lx->n[LX_QUOTED]; j++) {
		const struct assign *a = &l->cfg->assigns[lx->ix[LX_QUOTED][j]];
		/* A quoted name is never a known one (Samba keeps the quotes): skip those unread. */
		if (a->param != NULL)
			continue;
		const struct node *n = a->node;
		if (n == NULL || !(n->flags & NODE_F_QUOTED) || again(l, &rf, a))
			continue;
		size_t len = strlen(n->key);
		char *inner = len >= 2 && n->key[len - 1] == n->key[0] ?
		    xstrndup(n->key + 1, len - 2) : xstrdup(n->key + 1);
		bool known = param_lookup(inner) != NULL || strchr(inner, ':') != NULL;
		struct finding *f;
		if (!known) {
			ru_report_assign(l, a, "quoted parameter name %s: Samba does not strip quotes "
			    "and does not know this name either; it ignores the line", n->key);
			free(inner);
			continue;
		}
		f = ru_report_assign(l, a, "quoted parameter name %s: Samba does not strip quotes, "
		    "so it does not recognise '%s' and ignores the line", n->key, inner);
		const struct param *p = param_lookup(inner);
		const char *value = n->value != NULL ? n->value : "", *breaks = NULL;
		if (p != NULL && !param_check_value(p, value, NULL)) {
			ru_note(f, "not fixed automatically: '%s' is not a valid value for '%s', so once "
			    "the quotes are gone smbd would not start", value, inner);
		} else if (p != NULL && (breaks = reading_breaks(l, a->file, n, p, value)) != NULL) {
			ru_note(f, "not fixed automatically: once the quotes are gone, [global] would have "
			    "%s, which testparm rejects", breaks);
		} else if (!(n->flags & NODE_F_CONT) && memcmp(a->file->data + n->key_off, n->key, len) == 0)
			finding_edit(f, a->file, n->key_off, n->key_off + len, inner);
		free(inner);
	}
	ru_files_free(&rf);
}

static const struct rule r_quoted_name = {
	.code = "SL1006",
	.name = "quoted-name",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "A parameter name in quotes: Samba does not recognise it",
	.what = "The name left of '=' is wrapped in quotes, as in '\"user\" = alice'.",
	.why = "Samba takes the quotes as part of the name, finds no such parameter and "
	    "ignores the line, so the setting does nothing.",
	.fix_text = "Remove the quotes around the name. The fix is unsafe because the line "
	    "starts to take effect. It is not offered when the value would be invalid for "
	    "that parameter, or when the setting would fail a check testparm makes across "
	    "[global] (SL1027, SL1028; 'winbind separator' must be one character).",
	.workaround = NULL,
	.example = "[data]\n    \"valid users\" = alice\n",
	.check = check_quoted_name,
};

/* ---- SL1007 inline-comment ----------------------------------------------- */

static bool string_like(const struct assign *a)
{
	if (a->parametric)
		return true;
	if (a->param == NULL)
		return false;
	switch (a->param->type) {
	case PT_STRING: case PT_USTRING: case PT_LIST: case PT_CMDLIST: case PT_CHAR:
		return true;
	default:
		return false;
	}
}

/*
 * The offsets of a file's ';' and '#' bytes that could start an inline
 * comment (at the start of the file or after a blank), found with memchr
 * over the whole file: only the values holding one can have an inline
 * comment, and a long file has few of them.
 */
/*
 * Whether p is the first byte on its line but spaces and tabs, on a line
 * that continues no other (the one before does not end in a backslash):
 * then it starts a logical line of its own.  Unclear cases (CR endings,
 * other blanks) say no, which only costs a look-up.
 */
static bool begins_line(const unsigned char *d, const unsigned char *p)
{
	while (p > d && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	if (p == d)
		return true;
	if (p[-1] != '\n')
		return false;
	p--;
	return p == d || (p[-1] != '\\' && p[-1] != '\r');
}

static void marks_of_char(const struct srcfile *f, char ch, size_t **v, size_t *n, size_t *cap)
{
	const unsigned char *d = f->data, *end = f->data + f->len;
	for (const unsigned char *p = d; p < end && (p = memchr(p, ch, (size_t)(end - p))) != NULL; p++) {
		if (p != d && !is_blank(p[-1]))
			continue;
		if (begins_line(d, p))
			continue;   /* it starts a comment line: no value holds it */
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 64;
			*v = xrealloc(*v, *cap * sizeof **v);
		}
		(*v)[(*n)++] = (size_t)(p - d);
	}
}

static int cmp_ptr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)*(const void *const *)x, b = (uintptr_t)*(const void *const *)y;
	return (a > b) - (a < b);
}

/*
 * The parameter nodes of c whose value holds a mark, sorted by address
 * (*n of them): each mark's node found by binary search over its tree.
 */
static const struct node **marked_values(const struct config *c, size_t *n)
{
	const struct node **hit = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t k = 0; k < c->nfiles; k++) {
		const struct srcfile *f = c->files[k];
		const struct tree *t = f->tree;
		size_t *m = NULL, nm = 0, cm = 0;
		if (t == NULL || t->n == 0)
			continue;
		marks_of_char(f, ';', &m, &nm, &cm);
		size_t second = nm;   /* marks come in two ascending runs: ';' then '#' */
		marks_of_char(f, '#', &m, &nm, &cm);
		size_t lo = 0;
		for (size_t i = 0; i < nm; i++) {
			/*
			 * The last node starting at or before the mark: searched from
			 * the previous mark's node onwards, in steps that double until
			 * they pass it (marks are close together, and nodes far from
			 * the last one cost a cache miss each).
			 */
			if (i == second)
				lo = 0;
			size_t hi = lo + 1, step = 1;
			while (hi < t->n && t->nodes[hi].start <= m[i]) {
				lo = hi;
				hi = lo + (step *= 2);
			}
			if (hi > t->n)
				hi = t->n;
			while (hi - lo > 1) {
				size_t mid = lo + (hi - lo) / 2;
				if (t->nodes[mid].start <= m[i])
					lo = mid;
				else
					hi = mid;
			}
			const struct node *nd = &t->nodes[lo];
			if (nd->kind != NODE_PARAM || m[i] < nd->value_off || m[i] >= nd->value_end)
				continue;
			if (*n == cap) {
				cap = cap ? 2 * cap : 16;
				hit = xrealloc(hit, cap * sizeof *hit);
			}
			hit[(*n)++] = nd;
		}
		free(m);
	}
	if (*n > 1)
		qsort(hit, *n, sizeof *hit, cmp_ptr);
	return hit;
}

static bool is_marked(const struct node *const *hit, size_t n, const struct node *nd)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (hit[mid] == nd)
			return true;
		if ((uintptr_t)hit[mid] < (uintptr_t)nd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static void check_inline_comment(struct lint *l)
{
	struct ru_files rf = {0};
	size_t nhit;
	const struct node **hit = marked_values(l->cfg, &nhit);
	for (size_t i = 0; nhit > 0 && i < l->cfg->nassigns; i++) {
		const struct assign *a = &l->cfg->assigns[i];
		size_t cut, mark;
		/* ru_inline_comment finds nothing without a mark inside the value. */
		if (!string_like(a) || a->node == NULL || !is_marked(hit, nhit, a->node) ||
		    !ru_inline_comment(a->file, a->node, &cut, &mark))
			continue;
		if (status_of(a) != AS_SET || is_command_line(a) || again(l, &rf, a))
			continue;
		if (is_named(a, "include") || is_named(a, "copy"))
			continue;
		const unsigned char *d = a->file->data;
		if (d[mark] == '#' && mark + 1 < a->node->value_end && isdigit(d[mark + 1]))
			continue;   /* "Printer #2" is a number, not a comment */
		char *keep = span(a->file, a->node->value_off, cut);
		struct finding *f = ru_report_assign(l, a, "inline comment: Samba has no inline "
		    "comments, so the value of '%s' is '%s', not '%s'", a->name, a->node->value, keep);
		ru_note(f, "put the comment on a line of its own");
		fix_move_comment(f, a, cut, mark);
		free(keep);
	}
	free(hit);
	ru_files_free(&rf);
}

static const struct rule r_inline_comment = {
	.code = "SL1007",
	.name = "inline-comment",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "A comment after a value becomes part of the value",
	.what = "A text or list value contains ' ;' or ' #' followed by what reads like a "
	    "comment. Command parameters (scripts, print commands) are left alone: there the "
	    "shell gives ';' and '#' their meaning.",
	.why = "Samba only knows whole-line comments. 'path = /srv/a # data' shares a folder "
	    "named '/srv/a # data', which does not exist, so the share fails to open; "
	    "'workgroup = HOME ; old' puts the server in a workgroup nobody else is in. "
	    "(For yes/no and choice parameters the same mistake stops smbd: see SL1001.)",
	.fix_text = "Move the comment onto its own line above. The fix changes the value Samba "
	    "uses, so it is unsafe: check that the text really was a comment.",
	.workaround = NULL,
	.example = "[data]\n    path = /srv/data   # the big disk\n",
	.check = check_inline_comment,
};

/* ---- SL1008 unclosed-header / SL1009 empty-name -------------------------- */

static void check_unclosed_header(struct lint *l)
{
	/* Such a line makes the load fail wherever it is read: without a failure there is none. */
	if (!l->cfg->load_failed)
		return;
	struct ru_files rf = {0};
	for (size_t i = 0; i < l->cfg->nfiles; i++) {
		struct srcfile *file = l->cfg->files[i];
		if (file->tree == NULL || ru_files_repeat(&rf, l->cfg, file))
			continue;
		size_t nk;
		const uint32_t *ks = ru_nodes(l, i, NODE_BADHEADER, &nk);
		for (size_t x = 0; x < nk; x++) {
			size_t k = ks[x];
			const struct node *n = &file->tree->nodes[k];
			if (n->kind != NODE_BADHEADER)
				continue;
			struct finding *f = ru_report_node(l, file, n, NULL, "section header without "
			    "']': Samba's load fails and smbd will not start");
			if (n->flags & (NODE_F_CONT | NODE_F_NUL))
				continue;
			size_t e = n->end;
			while (e > n->content && is_blank(file->data[e - 1]))
				e--;
			finding_edit(f, file, e, e, "]");
		}
	}
	ru_files_free(&rf);
}

static const struct rule r_unclosed_header = {
	.code = "SL1008",
	.name = "unclosed-header",
	.severity = SEV_ERROR,
	.fix = FIX_UNSAFE,
	.summary = "A '[section' header without ']': the load fails",
	.what = "A line starts with '[' but has no closing ']'.",
	.why = "Samba gives up on the whole file: testparm exits 1 without a line number and "
	    "smbd will not start, so no client can connect.",
	.fix_text = "Close the header with ']'. smblint appends it at the end of the line "
	    "(unsafe: check the section name).",
	.workaround = NULL,
	.example = "[data\n    path = /srv/data\n",
	.check = check_unclosed_header,
};

static void check_empty_name(struct lint *l)
{
	/* Such a line makes the load fail wherever it is read: without a failure there is none. */
	if (!l->cfg->load_failed)
		return;
	struct ru_files rf = {0};
	for (size_t i = 0; i < l->cfg->nfiles; i++) {
		struct srcfile *file = l->cfg->files[i];
		if (file->tree == NULL || ru_files_repeat(&rf, l->cfg, file))
			continue;
		size_t nk;
		const uint32_t *ks = ru_nodes(l, i, NODE_EMPTYNAME, &nk);
		for (size_t x = 0; x < nk; x++) {
			size_t k = ks[x];
			const struct node *n = &file->tree->nodes[k];
			if (n->kind == NODE_EMPTYNAME)
				ru_report_node(l, file, n, NULL, "'=' without a parameter name: Samba's "
				    "load fails and smbd will not start");
		}
	}
	ru_files_free(&rf);
}

static const struct rule r_empty_name = {
	.code = "SL1009",
	.name = "empty-name",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "A line starting with '=': the load fails",
	.what = "A parameter line with nothing before its '='.",
	.why = "Samba refuses the whole configuration; smbd will not start.",
	.fix_text = "Write the parameter name before '=', or delete the line.",
	.workaround = NULL,
	.example = "[data]\n    = /srv/data\n",
	.check = check_empty_name,
};

/* ---- SL1010 byte-order-mark ---------------------------------------------- */

/*
 * The section that the lines after node n of file land in: that of the
 * next assignment there.  The assignments of one file come in file order,
 * so *from (start at 0, keep between calls for later nodes of one file)
 * only moves forward.
 */
static const struct section *landing_section(const struct config *c, const struct srcfile *file,
    const struct node *n, size_t *from)
{
	for (size_t i = *from; i < c->nassigns; i++)
		if (c->assigns[i].file == file && c->assigns[i].node->start > n->start) {
			*from = i;
			return c->assigns[i].section;
		}
	*from = c->nassigns;
	return NULL;
}

static void check_bom(struct lint *l)
{
	struct ru_files rf = {0};
	for (size_t i = 0; i < l->cfg->nfiles; i++) {
		struct srcfile *file = l->cfg->files[i];
		if (file->tree == NULL || !has_bom(file->data, file->len) ||
		    ru_files_repeat(&rf, l->cfg, file))
			continue;
		size_t land = 0;
		for (size_t k = 0; k < file->tree->n; k++) {
			const struct node *n = &file->tree->nodes[k];
			struct finding *f;
			if (!(n->flags & NODE_F_BOM))
				continue;
			if (bom_header(file, n)) {
				const struct section *s = landing_section(l->cfg, file, n, &land);
				char *name = span(file, n->content + 4, n->end);
				name[strcspn(name, "]\r\n")] = '\0';
				if ((fold_eq(name, "global") || fold_eq(name, "globals")) && (s == NULL || s->global)) {
					free(name);   /* the lines below land in [global] anyway */
					continue;
				}
				f = ru_report_node(l, file, n, NULL, "a UTF-8 byte order mark before '[%s]' "
				    "hides the header: Samba ignores the line, so the share does not exist "
				    "and the parameters below it belong to [%s]", name,
				    s != NULL ? s->name : "global");
				free(name);
			} else if (n->kind == NODE_PARAM && param_lookup(n->key + 3) != NULL) {
				const char *name = n->key + 3, *value = n->value != NULL ? n->value : "";
				while (is_blank((unsigned char)*name))
					name++;
				f = ru_report_node(l, file, n, NULL, "a UTF-8 byte order mark is glued to "
				    "'%s': Samba does not recognise the name and ignores the line", name);
				if (!param_check_value(param_lookup(name), value, NULL)) {
					ru_note(f, "not fixed automatically: '%s' is not a valid value for '%s', "
					    "so once the mark is gone smbd would not start", value, name);
					continue;
				}
				const char *breaks = reading_breaks(l, file, n, param_lookup(name), value);
				if (breaks != NULL) {
					ru_note(f, "not fixed automatically: once the mark is gone, [global] "
					    "would have %s, which testparm rejects", breaks);
					continue;
				}
			} else {
				continue;
			}
			finding_edit(f, file, n->content, n->content + 3, "");
		}
	}
	ru_files_free(&rf);
}

static const struct rule r_bom = {
	.code = "SL1010",
	.name = "byte-order-mark",
	.severity = SEV_ERROR,
	.fix = FIX_UNSAFE,
	.summary = "A UTF-8 byte order mark hides a section header or a parameter",
	.what = "The file (or a line in it, after files were concatenated) starts with the "
	    "invisible bytes EF BB BF, as some Windows editors save UTF-8, directly before a "
	    "'[section]' header or a parameter name.",
	.why = "Samba does not skip the mark. '<BOM>[data]' is read as a line without '=' and "
	    "dropped: share [data] does not exist (clients get 'network name not found') and "
	    "its parameters (path, guest ok, read only...) are applied to the section before, "
	    "which is [global] at the top of a file, that is, to every share.",
	.fix_text = "Save the file as UTF-8 without BOM. smblint removes the three bytes; the fix "
	    "is unsafe only because the hidden share or setting then takes effect. It is not "
	    "offered before a parameter whose value would be invalid, or whose setting would "
	    "fail a check testparm makes across [global] (SL1027, SL1028; 'winbind separator' "
	    "must be one character).",
	.workaround = NULL,
	.example = "# the next line starts with an invisible UTF-8 byte order mark\n"
	    "\xef\xbb\xbf[data]\n    path = /srv/data\n",
	.check = check_bom,
};

/* ---- SL1011 nul-byte ----------------------------------------------------- */

static void check_nul(struct lint *l)
{
	struct ru_files rf = {0};
	for (size_t i = 0; i < l->cfg->nfiles; i++) {
		struct srcfile *file = l->cfg->files[i];
		if (file->tree == NULL || memchr(file->data, 0, file->len) == NULL ||
		    ru_files_repeat(&rf, l->cfg, file))
			continue;
		for (size_t k = 0; k < file->tree->n; k++) {
			const struct node *n = &file->tree->nodes[k];
			if (!(n->flags & NODE_F_NUL) && n->kind != NODE_NULSTART)
				continue;
			const unsigned char *z = memchr(file->data + n->start, 0, n->end - n->start);
			size_t off = z != NULL ? (size_t)(z - file->data) : n->start;
			lint_report(l, file, off, NULL, NULL, NULL, "NUL byte: Samba stops reading the "
			    "line here and ignores the rest of it");
		}
	}
	ru_files_free(&rf);
}

static const struct rule r_nul = {
	.code = "SL1011",
	.name = "nul-byte",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A NUL byte cuts a line short",
	.what = "A line contains a zero byte, typically from a UTF-16 save or a damaged file.",
	.why = "Samba treats the NUL as the end of the line: what follows it on that line is "
	    "silently ignored, so a value or even a whole setting is lost.",
	.fix_text = "Remove the NUL bytes; if the file is UTF-16, convert it to UTF-8.",
	.workaround = NULL,
	.example = NULL,
	.check = check_nul,
};

/* ---- SL1012 duplicate-parameter / SL1013 overridden-parameter ----------- */

/* The earlier assignment b that a replaces, when both really take effect. */
static const struct assign *replaced(const struct assign *a)
{
	const struct assign *b = a->overrides;
	if (b == NULL || b->node == a->node || b->dropped)
		return NULL;
	if (strcmp(a->file->path, b->file->path) == 0 && a->node->line == b->node->line)
		return NULL;   /* the same line read twice (a file included twice) */
	if (status_of(a) != AS_SET || status_of(b) != AS_SET)
		return NULL;
	return b;
}

static bool same_value(const struct assign *a, const struct assign *b)
{
	if (a->canon != NULL && b->canon != NULL)
		return strcmp(a->canon, b->canon) == 0;
	return a->value != NULL && b->value != NULL && strcmp(a->value, b->value) == 0;
}

/*
 * A list value written as edits of the current one ("+fruit -catia"):
 * Samba applies it to whatever the lines before left, so removing one of
 * those lines changes what it gives.
 */
static bool list_edit(const struct assign *a)
{
	if (a->param == NULL || (a->param->type != PT_LIST && a->param->type != PT_CMDLIST))
		return false;
	const char *v = a->node != NULL && a->node->value != NULL ? a->node->value : "";
	while (is_blank((unsigned char)*v) || *v == ',')
		v++;
	return (v[0] == '+' || v[0] == '-') && v[1] != '\0';
}

/*
 * Lines that do more than store their value (`printing =` sets the print
 * commands, `idmap uid` the idmap range), and [global] values the loader
 * changes by itself between two lines (on an AD DC when the first share
 * opens, `include = registry`) without that counting as a line of its own:
 * deleting the later of two identical lines could then change what Samba
 * ends up with.  (In a share, a value the loader changed in between, such
 * as 'available = no' for a share without a path, breaks the pair: the
 * later line then overrides no line of the share.)
 */
static bool entangled(const struct assign *a)
{
	static const char *const any[] = {"printing", "idmap backend", "idmap uid", "idmap gid", NULL};
	static const char *const global[] = {"vfs objects", "map hidden", "map system",
	    "map readonly", "map archive", "store dos attributes", "registry shares",
	    "idmap config * : backend", "idmap config * : range", "passdb backend",
	    "config backend", NULL};
	for (size_t i = 0; any[i] != NULL; i++)
		if (fold_eq(a->name, any[i]))
			return true;
	for (size_t i = 0; a->section->global && global[i] != NULL; i++)
		if (fold_eq(a->name, global[i]))
			return true;
	return false;
}

/*
 * Whether removing b, an earlier line that a sets again, leaves every value
 * Samba ends up with unchanged.  Within one stretch (ru_stretches) nothing
 * reads b's value before a replaces it.  Across a share header it is read:
 * the loader finishes the first part of a share with it (a share without
 * 'path' becomes unavailable for good), and shares opened in between take
 * [global]'s share-level values as they are.  A [global]-only setting is
 * not read there, except the two that decide whether the server is an AD
 * DC (and the options that go with it), which the loader checks whenever
 * [global] is left for a share.
 */
static bool earlier_removable(const struct assign *b, const struct assign *a, const size_t *stretch)
{
	if (list_edit(a) || list_edit(b))
		return false;
	if (stretch[b->index] == stretch[a->index])
		return true;
	if (!b->section->global)
		return false;
	if (b->parametric)
		return !fold_eq(b->name, "xattr_tdb:file") && !fold_eq(b->name, "posix:eadb");
	return b->param != NULL && b->param->scope == PS_GLOBAL && !is_named(b, "server role") &&
	    !is_named(b, "security");
}

/*
 * Lines of one section that set the same parameter form a chain, each line
 * replacing the one before (replaced()); only the last takes effect.
 * nxt[i] is the line that replaces line i (SIZE_MAX: none), last[i] the
 * chain's last line.  Both malloc'ed, indexed like cfg->assigns.
 */
struct chains {
	size_t *nxt, *last, *stretch;
	size_t *hidden;   /* ru_hidden_headers, or NULL when no file has a byte order mark */
	size_t *in, nin;  /* the lines with a next one (nxt[i] != SIZE_MAX), in order */
};

static void chains_build(struct lint *l, struct chains *ch)
{
	size_t n = l->cfg->nassigns;
	const struct lines *lx = lines_of(l);
	/* Lines that replace an earlier one are few: without any there are no chains. */
	bool some = false;
	for (size_t j = 0; j < lx->n[LX_OVERRIDES] && !some; j++) {
		size_t i = lx->ix[LX_OVERRIDES][j];
		const struct assign *b = replaced(&l->cfg->assigns[i]);
		some = b != NULL && b->index < i;
	}
	if (!some) {
		memset(ch, 0, sizeof *ch);
		ch->in = xmalloc(sizeof *ch->in);
		return;
	}
	ch->nxt = xmalloc((n ? n : 1) * sizeof *ch->nxt);
	ch->last = xmalloc((n ? n : 1) * sizeof *ch->last);
	for (size_t i = 0; i < n; i++)
		ch->nxt[i] = SIZE_MAX;
	for (size_t j = 0; j < lx->n[LX_OVERRIDES]; j++) {
		size_t i = lx->ix[LX_OVERRIDES][j];
		const struct assign *b = replaced(&l->cfg->assigns[i]);
		if (b != NULL && b->index < i)
			ch->nxt[b->index] = i;
	}
	bool any = false;
	size_t nin = 0;
	for (size_t i = n; i-- > 0;) {
		ch->last[i] = ch->nxt[i] == SIZE_MAX ? i : ch->last[ch->nxt[i]];
		nin += ch->nxt[i] != SIZE_MAX;
	}
	any = nin > 0;
	ch->in = xmalloc((nin ? nin : 1) * sizeof *ch->in);
	ch->nin = 0;
	for (size_t i = 0; i < n; i++)
		if (ch->nxt[i] != SIZE_MAX)
			ch->in[ch->nin++] = i;
	/* Only lines in a chain are asked about: without any, no need to walk the files. */
	ch->stretch = any ? ru_stretches(l->cfg) : NULL;
	bool bom = false;
	for (size_t i = 0; any && !bom && i < l->cfg->nfiles; i++)
		bom = has_bom(l->cfg->files[i]->data, l->cfg->files[i]->len);
	ch->hidden = bom ? ru_hidden_headers(l->cfg) : NULL;
}

/*
 * Whether lines i and j stay in one section once SL1010's fix turns the
 * headers that a byte order mark hides back into headers.
 */
static bool same_after_bom_fix(const struct chains *ch, size_t i, size_t j)
{
	return ch->hidden == NULL || ch->hidden[i] == ch->hidden[j];
}

static void chains_free(void *p)
{
	struct chains *ch = p;
	free(ch->nxt);
	free(ch->last);
	free(ch->stretch);
	free(ch->hidden);
	free(ch->in);
	free(ch);
}

/* The chains, built once per run for both rules that use them. */
static const struct chains *chains_of(struct lint *l)
{
	void **slot = ru_cache_slot(l, 1, chains_free);
	if (*slot == NULL) {
		struct chains *ch = xcalloc(1, sizeof *ch);
		chains_build(l, ch);
		*slot = ch;
	}
	return *slot;
}

/*
 * Which line of a pair can go, b being a dead line with the value of its
 * chain's last line a: b itself when that is safe (above: b's value must
 * not be read before the next line of the chain replaces it), else a when
 * a directly replaces b, since a then only repeats what is already in
 * effect, unless a does more than store its value.  NULL: neither can go.
 */
static const struct assign *removable(const struct lint *l, const struct assign *b, const struct assign *a,
    const struct chains *ch)
{
	const struct assign *next = &l->cfg->assigns[ch->nxt[b->index]];
	if (list_edit(next) || list_edit(b) || !same_after_bom_fix(ch, b->index, next->index))
		return NULL;
	if (earlier_removable(b, next, ch->stretch))
		return b;
	if (next != a || entangled(a) || a->param != b->param || !fold_eq(a->name, b->name))
		return NULL;
	return a;
}

static void check_duplicate(struct lint *l)
{
	struct ru_files rf = {0};
	const struct chains ch = *chains_of(l);
	for (size_t k = 0; k < ch.nin; k++) {
		size_t i = ch.in[k];
		const struct assign *b = &l->cfg->assigns[i], *a = &l->cfg->assigns[ch.last[i]];
		if (again(l, &rf, b))
			continue;
		/* Two names agreeing ("public = no", "guest ok = no") are belt and braces, not a slip. */
		if (!same_value(a, b) || a->spelled != b->spelled)
			continue;
		const struct assign *gone = removable(l, b, a, &ch);
		struct finding *f;
		if (gone == a) {
			char *w = where(b->file, b->node, a->file);
			f = ru_report_assign(l, a, "'%s' repeats the value already set at %s in [%s]: "
			    "this line is redundant", a->node->key, w, a->section->name);
			free(w);
			if (a->section->global)
				ru_note(f, "the first line stays: Samba reads [global]'s values whenever it "
				    "opens a share, and shares were opened between the two lines");
			else
				ru_note(f, "the first line stays: [%s] was reopened in between, and Samba "
				    "finished its first part with the values set by then (without 'path' "
				    "it would have become unavailable)", a->section->name);
		} else {
			char *w = where(a->file, a->node, b->file);
			f = ru_report_assign(l, b, "'%s' is set again with the same value at "
			    "%s in [%s]: this line is redundant", b->node->key, w, b->section->name);
			free(w);
			if (gone == NULL && !list_edit(a) && !list_edit(b))
				ru_note(f, "not fixed automatically: a share header lies between the lines, "
				    "and removing either could change what Samba ends up with");
		}
		if (gone != NULL)
			ru_edit_remove(f, gone->file, gone->node);
	}
	ru_files_free(&rf);
}

static const struct rule r_duplicate = {
	.code = "SL1012",
	.name = "duplicate-parameter",
	.severity = SEV_INFO,
	.fix = FIX_SAFE,
	.summary = "The same parameter with the same value twice in one section",
	.what = "A section sets a parameter twice, under the same name, to the same value. "
	    "(Two synonyms that agree, such as 'public = no' and 'guest ok = no', are left alone.)",
	.why = "Harmless today, but whoever edits the first line later will wonder why "
	    "nothing changes: the last line wins.",
	.fix_text = "Delete one of the two lines (smblint's fix; safe: every value Samba ends up "
	    "with stays). Normally the earlier line goes. When the section was closed and reopened "
	    "between the two (or, for [global], a share was opened between them), the later one "
	    "goes instead: Samba had already finished the first part of the share with the first "
	    "line's value (a share without 'path' becomes unavailable for good), and shares opened "
	    "in between took [global]'s values as they were.",
	.workaround = NULL,
	.example = "[global]\n    workgroup = HOME\n    workgroup = HOME\n",
	.check = check_duplicate,
};

static void check_overridden(struct lint *l)
{
	struct ru_files rf = {0};
	const struct chains ch = *chains_of(l);
	for (size_t k = 0; k < ch.nin; k++) {
		size_t i = ch.in[k];
		const struct assign *b = &l->cfg->assigns[i], *a = &l->cfg->assigns[ch.last[i]];
		const struct assign *next = &l->cfg->assigns[ch.nxt[i]];
		if (again(l, &rf, b) || same_value(a, b))
			continue;
		char *w = where(a->file, a->node, b->file);
		struct finding *f = ru_report_assign(l, b, "'%s = %s' has no effect: %s sets '%s = %s' "
		    "later in [%s] and the last one wins", b->node->key, b->node->value, w,
		    a->node->key, a->node->value, b->section->name);
		free(w);
		if (a->spelled != b->spelled && a->spelled != NULL && b->spelled != NULL) {
			const struct param *x = b->spelled, *y = a->spelled;
			bool inv = ((x->flags ^ y->flags) & PF_INVERSE) != 0;
			ru_note(f, "'%s' and '%s' are %s of the same setting", param_name(x), param_name(y),
			    inv ? "inverse spellings" : "two names");
		}
		/*
		 * The line goes when nothing reads its value before the next
		 * line of the chain replaces it (earlier_removable).  `printing =`
		 * also sets print commands that the next line may not all set
		 * again, and a list edit ("+x") applies to what this line left.
		 */
		if (is_named(b, "printing")) {
			ru_note(f, "not fixed automatically: 'printing = %s' also set print commands, "
			    "which 'printing = %s' may not all set again", b->canon ? b->canon : b->value,
			    next->canon ? next->canon : next->value);
			continue;
		}
		if (list_edit(next) || list_edit(b))
			continue;
		if (!same_after_bom_fix(&ch, b->index, next->index)) {
			ru_note(f, "not fixed automatically: a section header hidden by a byte order "
			    "mark lies between this line and the next that sets it (see SL1010)");
			continue;
		}
		if (!earlier_removable(b, next, ch.stretch)) {
			ru_note(f, "not fixed automatically: a share header lies between this line and "
			    "the next that sets it, and Samba used this value until then");
			continue;
		}
		ru_edit_remove(f, b->file, b->node);
	}
	ru_files_free(&rf);
}

static const struct rule r_overridden = {
	.code = "SL1013",
	.name = "overridden-parameter",
	.severity = SEV_WARNING,
	.fix = FIX_SAFE,
	.summary = "A parameter set twice in one section with different values: the first is dead",
	.what = "A section sets a parameter twice with different values, possibly under two "
	    "names for the same setting ('public' and 'guest ok', 'writeable' and the inverse "
	    "'read only', 'min protocol' and 'server min protocol').",
	.why = "Samba keeps only the last value. Whoever reads the first line believes it is "
	    "in effect; with synonyms the contradiction is easy to miss ('writeable = yes' "
	    "followed by 'read only = yes' gives a read-only share).",
	.fix_text = "Keep one line with the value you want and delete the other. smblint's fix "
	    "deletes the earlier, overridden line, which reduces the pair to the value Samba uses "
	    "now (safe: the effective configuration stays the same). It leaves the lines alone "
	    "when a share header lies between them (Samba used the first value until then), for "
	    "'printing' (each value brings its own print commands) and for list edits such as "
	    "'+fruit'. If the earlier value is the one you meant, change the later line instead.",
	.workaround = NULL,
	.example = "[data]\n    writeable = yes\n    read only = yes\n",
	.check = check_overridden,
};

/* ---- SL1014 reopened-section --------------------------------------------- */

static void check_reopened(struct lint *l)
{
	const struct config *c = l->cfg;
	/* The dropped options of every section, in one walk over the lines (by section position). */
	struct sbuf *dropped_of = NULL;
	const struct lines *lx = lines_of(l);
	for (size_t j = 0; j < lx->n[LX_DROPPED]; j++) {
		const struct assign *a = &c->assigns[lx->ix[LX_DROPPED][j]];
		if (!a->dropped || a->section == NULL || a->section->order >= c->nsections)
			continue;
		if (dropped_of == NULL)
			dropped_of = xcalloc(c->nsections, sizeof *dropped_of);
		struct sbuf *d = &dropped_of[a->section->order];
		sbuf_addf(d, "%s'%s' (line %u)", d->len ? ", " : "", a->name, (unsigned)a->node->line);
	}
	for (size_t i = 0; i < c->nsections; i++) {
		const struct section *s = c->sections[i];
		if (s->global || s->nreopened == 0 || s->header == NULL)
			continue;
		struct sbuf dropped = {0};
		if (dropped_of != NULL && s->order < c->nsections && c->sections[s->order] == s)
			dropped = dropped_of[s->order];
		for (size_t r = 0; r < s->nreopened; r++) {
			struct srcfile *file = s->reopened_file[r];
			char *w = where(s->header_file, s->header, file);
			struct finding *f = ru_report_node(l, file, s->reopened[r], s, "section [%s] is "
			    "defined again (first at %s): Samba merges both parts and later values win",
			    s->reopened[r]->name, w);
			free(w);
			if (r == 0 && dropped.len)
				ru_note(f, "the share options set before this header are lost: %s",
				    sbuf_str(&dropped));
		}
	}
	for (size_t i = 0; dropped_of != NULL && i < c->nsections; i++)
		sbuf_free(&dropped_of[i]);
	free(dropped_of);
}

static const struct rule r_reopened = {
	.code = "SL1014",
	.name = "reopened-section",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A share section appears twice: Samba merges the two",
	.what = "A share header appears again later (names compare ignoring case: [DATA] "
	    "continues [data]).",
	.why = "Samba does not create a second share: it adds the later lines to the first "
	    "one, so values of the second part silently replace those of the first, and "
	    "module options of the form 'x:y = ...' set before the second header are "
	    "dropped. A pasted duplicate usually means one of the two blocks is not what "
	    "the share does.",
	.fix_text = "Merge the two blocks into one section, or rename one of the shares.",
	.workaround = NULL,
	.example = "[data]\n    path = /srv/data\n[Data]\n    read only = no\n",
	.check = check_reopened,
};

/* ---- SL1015 removed-parameter / SL1016 deprecated-parameter ------------- */

static void check_removed(struct lint *l)
{
	struct ru_files rf = {0};
	samba_ver v = ru_ver(l);
	const struct lines *lx = lines_of(l);
	for (size_t j = 0; j < lx->n[LX_REMOVED]; j++) {
		const struct assign *a = &l->cfg->assigns[lx->ix[LX_REMOVED][j]];
		if (a->parametric || a->node == NULL)
			continue;
		const struct param_history *h = a->param != NULL ? param_history_of(a->param) :
		    param_history_find(a->name);
		if (h == NULL || h->removed == 0 || h->removed > v)
			continue;
		if (a->node->flags & (NODE_F_QUOTED | NODE_F_BOM))
			continue;
		if (again(l, &rf, a))
			continue;
		char *since = ru_ver_str(h->removed);
		struct finding *f = ru_report_assign(l, a, "'%s' was removed in Samba %s: Samba "
		    "ignores this line", a->node->key, since);
		free(since);
		if (h->note != NULL)
			ru_note(f, "%s", h->note);
		ru_edit_remove(f, a->file, a->node);
	}
	ru_files_free(&rf);
}

static const struct rule r_removed = {
	.code = "SL1015",
	.name = "removed-parameter",
	.severity = SEV_WARNING,
	.fix = FIX_SAFE,
	.summary = "A parameter the chosen Samba version no longer has: ignored",
	.what = "A parameter that existed in older Samba releases but was removed before the "
	    "version given with --samba-version (default: the version smblint's table comes "
	    "from).",
	.why = "Samba treats it as an unknown parameter and ignores it: whatever it used to "
	    "do no longer happens, which matters when the configuration relies on it.",
	.fix_text = "Delete the line (smblint's fix; safe, since Samba ignores it already) and, "
	    "if the behaviour is still needed, use the replacement named in the note.",
	.workaround = NULL,
	.example = "[global]\n    use spnego = yes\n",
	.check = check_removed,
};

/*
 * Deprecated parameters whose insecure values SL3xxx already reports (the
 * DC-only ones only on a domain controller): one finding per line is enough.
 */
static bool reported_elsewhere(const struct lint *l, const struct param *p, samba_ver v)
{
	static const char *const any[] = {"null passwords", "encrypt passwords", "lanman auth", NULL};
	static const char *const dc[] = {"server schannel", "server schannel require seal",
	    "allow nt4 crypto", NULL};
	struct ru_eff e;
	for (size_t i = 0; any[i] != NULL; i++)
		if (fold_eq(param_name(p), any[i]))
			return true;
	for (size_t i = 0; dc[i] != NULL; i++)
		if (fold_eq(param_name(p), dc[i]))
			return ru_is_dc(l->cfg, v, &e);
	return false;
}

static void check_deprecated(struct lint *l)
{
	struct ru_files rf = {0};
	samba_ver v = ru_ver(l);
	const struct lines *lx = lines_of(l);
	for (size_t j = 0; j < lx->n[LX_DEPRECATED]; j++) {
		const struct assign *a = &l->cfg->assigns[lx->ix[LX_DEPRECATED][j]];
		if (a->spelled == NULL || a->param == NULL)
			continue;
		const struct param_history *h = param_history_of(a->param);
		bool dep = ((a->spelled->flags | a->param->flags) & PF_DEPRECATED) != 0;
		if (h != NULL && h->removed != 0 && h->removed <= v)
			continue;
		if (h != NULL && h->deprecated != 0)
			dep = h->deprecated <= v;
		if (!dep || status_of(a) != AS_SET || again(l, &rf, a))
			continue;
		const char *def = param_default_for(a->param, v);
		char *canon = NULL;
		bool is_default = def != NULL && param_check_value(a->spelled, a->node->value, &canon) &&
		    canon != NULL && fold_eq(canon, def);
		free(canon);
		if (!is_default && reported_elsewhere(l, a->param, v))
			continue;
		struct finding *f;
		if (is_default) {
			f = ru_report_assign(l, a, "'%s' is deprecated and this line only repeats its "
			    "default (%s): delete it", a->node->key, def);
			/* Deleting it must not bring back an earlier line or a [global] value. */
			if (a->overrides == NULL && (a->section->global || global_value(l->cfg, a->param) == NULL))
				ru_edit_remove(f, a->file, a->node);
		} else {
			f = ru_report_assign(l, a, "'%s' is deprecated: a future Samba release will "
			    "ignore it", a->node->key);
		}
		if (!is_default && h != NULL && h->note != NULL)
			ru_note(f, "%s", h->note);
	}
	ru_files_free(&rf);
}

static const struct rule r_deprecated = {
	.code = "SL1016",
	.name = "deprecated-parameter",
	.severity = SEV_INFO,
	.fix = FIX_SAFE,
	.summary = "A parameter Samba marks as deprecated",
	.what = "A parameter that Samba still reads but has announced it will remove.",
	.why = "After an upgrade the line will be ignored and the behaviour it selects will "
	    "silently change (or, for security settings, the insecure choice will no longer "
	    "be available).",
	.fix_text = "Plan for its removal. When the line only repeats the default, smblint "
	    "deletes it (safe: nothing changes).",
	.workaround = NULL,
	.example = "[global]\n    encrypt passwords = yes\n",
	.check = check_deprecated,
};

/* ---- SL1017..SL1022 include problems ------------------------------------ */

/* A relative include that exists next to the including file (so smbd, reading from /, misses it). */
static char *beside(const struct config_include *inc)
{
	const char *p = inc->from->path;
	const char *slash = strrchr(p, '/');
	char *cand = slash != NULL ? xasprintf("%.*s/%s", (int)(slash - p), p, inc->target) : xstrdup(inc->target);
	struct stat st;
	if (stat(cand, &st) == 0 && S_ISREG(st.st_mode))
		return cand;
	free(cand);
	return NULL;
}

/*
 * Calls say() for the include lines want() picks, with the section each
 * line stands in.  Include records and the lines that made them come in
 * the same (processing) order, so one walk pairs them.
 */
static void each_include(struct lint *l, bool (*want)(const struct config_include *),
    void (*say)(struct lint *, const struct config_include *, const struct section *))
{
	const struct config *c = l->cfg;
	struct ru_files rf = {0};
	size_t k = 0;
	for (size_t i = 0; i < c->nincludes; i++) {
		const struct config_include *inc = &c->includes[i];
		const struct section *s = NULL;
		size_t from = k;
		while (k < c->nassigns && c->assigns[k].node != inc->node)
			k++;
		if (k < c->nassigns) {
			s = c->assigns[k].section;
		} else {   /* out of step (should not happen): look it up from the start */
			k = from;
			for (size_t j = 0; j < c->nassigns && s == NULL; j++)
				if (c->assigns[j].node == inc->node)
					s = c->assigns[j].section;
		}
		if (inc->node != NULL && want(inc) &&
		    (inc->status == INC_LOOP || !ru_files_repeat(&rf, c, inc->from)))
			say(l, inc, s);
	}
	ru_files_free(&rf);
}

static bool want_missing(const struct config_include *inc)
{
	return !inc->relative && (inc->status == INC_MISSING || inc->status == INC_UNREADABLE ||
	    inc->status == INC_TOO_LARGE || inc->status == INC_BUDGET);
}

static void say_missing(struct lint *l, const struct config_include *inc, const struct section *s)
{
	if (inc->status == INC_BUDGET) {
		ru_report_node(l, inc->from, inc->node, s, "include file '%s' was not read: with it this "
		    "configuration would be more than smblint reads (10000 included files, 256 MiB or 4194304 "
		    "lines); files that include each other repeatedly multiply, and smbd would take practically "
		    "forever to load them", inc->target);
		return;
	}
	const char *what = inc->status == INC_MISSING ? "does not exist" :
	    inc->status == INC_TOO_LARGE ? "is too large for smblint to read" : "cannot be read";
	ru_report_node(l, inc->from, inc->node, s, "include file '%s' %s: Samba skips the include "
	    "without a word", inc->target, what);
}

static void check_include_missing(struct lint *l)
{
	each_include(l, want_missing, say_missing);
}

static const struct rule r_include_missing = {
	.code = "SL1017",
	.name = "include-missing",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "An include file that does not exist or cannot be read",
	.what = "'include = /path' names a file that is missing or unreadable.",
	.why = "Samba skips a missing include silently (testparm does not complain either), so "
	    "every share or setting in it is absent.",
	.fix_text = "Correct the path, create the file, or delete the include line.",
	.workaround = NULL,
	.example = "[global]\n    include = /etc/samba/shares.conf\n",
	.check = check_include_missing,
};

static bool want_relative(const struct config_include *inc)
{
	return inc->relative && inc->status != INC_GLOB && inc->status != INC_MACRO &&
	    inc->status != INC_REGISTRY && inc->status != INC_REGISTRY_BAD && inc->status != INC_LOOP;
}

static void say_relative(struct lint *l, const struct config_include *inc, const struct section *s)
{
	struct finding *f;
	if (inc->status == INC_OK) {
		f = ru_report_node(l, inc->from, inc->node, s, "relative include '%s': smbd opens it "
		    "from its working directory (/), not from this file's folder", inc->target);
		ru_note(f, "it works only while smbd's working directory stays /; write the "
		    "absolute path");
		return;
	}
	char *b = beside(inc);
	f = ru_report_node(l, inc->from, inc->node, s, "relative include '%s': smbd looks for it "
	    "in its working directory (/), where it does not exist, and skips it silently", inc->target);
	if (b != NULL)
		ru_note(f, "it exists next to this file (%s): write that path out in full", b);
	free(b);
}

static void check_include_relative(struct lint *l)
{
	each_include(l, want_relative, say_relative);
}

static const struct rule r_include_relative = {
	.code = "SL1018",
	.name = "include-relative",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A relative include path: resolved from smbd's working directory, not the config's folder",
	.what = "'include = shares.conf' or 'include = ./shares.conf': a path not starting with '/'.",
	.why = "smbd runs in '/', so it opens '/shares.conf', not the file next to smb.conf. "
	    "testparm run from /etc/samba finds the file and reports nothing, while the "
	    "running server silently lacks everything in it.",
	.fix_text = "Write the absolute path (--include-root tells smblint where smbd's "
	    "working directory is if it is not /).",
	.workaround = NULL,
	.example = "[global]\n    include = ./shares.conf\n",
	.check = check_include_relative,
};

static bool want_glob(const struct config_include *inc)
{
	return inc->status == INC_GLOB;
}

static void say_glob(struct lint *l, const struct config_include *inc, const struct section *s)
{
	struct finding *f = ru_report_node(l, inc->from, inc->node, s, "include '%s' uses a "
	    "wildcard: Samba does not expand it, looks for a file with that literal name and "
	    "skips the include", inc->target);
	ru_note(f, "write one include line per file");
}

static void check_include_glob(struct lint *l)
{
	each_include(l, want_glob, say_glob);
}

static const struct rule r_include_glob = {
	.code = "SL1019",
	.name = "include-glob",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "An include with a wildcard: Samba does not expand it",
	.what = "'include = /etc/samba/smb.conf.d/*.conf' or another path with *, ? or [.",
	.why = "Unlike many daemons, Samba does not expand wildcards in include paths: the "
	    "include finds no file of that literal name and is skipped silently, so none of "
	    "the files it was meant to pull in take effect.",
	.fix_text = "List each file on its own include line (or generate that list when the "
	    "directory changes).",
	.workaround = NULL,
	.example = "[global]\n    include = /etc/samba/smb.conf.d/*.conf\n",
	.check = check_include_glob,
};

static bool want_macro(const struct config_include *inc)
{
	return inc->status == INC_MACRO;
}

static void say_macro(struct lint *l, const struct config_include *inc, const struct section *s)
{
	ru_report_node(l, inc->from, inc->node, s, "include '%s' depends on the connecting client "
	    "(%%-substitution): smblint did not check the files it can name", inc->target);
}

static void check_include_macro(struct lint *l)
{
	each_include(l, want_macro, say_macro);
}

static const struct rule r_include_macro = {
	.code = "SL1020",
	.name = "include-macro",
	.severity = SEV_INFO,
	.fix = FIX_NONE,
	.summary = "An include path with %-macros: not checked",
	.what = "'include = /etc/samba/smb.conf.%m' and similar per-client includes.",
	.why = "The file is chosen per connection (%m is the client's NetBIOS name, %U the "
	    "user...), so the configuration a client gets depends on files smblint cannot "
	    "know. Problems in them are not reported.",
	.fix_text = "Lint the per-client files on their own as well.",
	.workaround = NULL,
	.example = "[global]\n    include = /etc/samba/smb.conf.%m\n",
	.check = check_include_macro,
};

static bool want_loop(const struct config_include *inc)
{
	return inc->status == INC_LOOP;
}

static void say_loop(struct lint *l, const struct config_include *inc, const struct section *s)
{
	struct ru_files rf = {0};
	/* Point at the first reading of the looping line, not at its hundredth. */
	for (size_t i = 0; i < l->cfg->nincludes; i++) {
		const struct config_include *first = &l->cfg->includes[i];
		if (first->node != NULL && first->node->line == inc->node->line &&
		    !ru_files_repeat(&rf, l->cfg, first->from) && strcmp(first->target, inc->target) == 0) {
			inc = first;
			break;
		}
	}
	ru_report_node(l, inc->from, inc->node, s, "include '%s' includes itself (directly or "
	    "through other files): Samba gives up after 100 levels, the load fails and smbd "
	    "will not start", inc->target);
	ru_files_free(&rf);
}

static void check_include_loop(struct lint *l)
{
	each_include(l, want_loop, say_loop);
}

static const struct rule r_include_loop = {
	.code = "SL1021",
	.name = "include-loop",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "Files that include each other: the load fails",
	.what = "An include chain that comes back to a file already being read.",
	.why = "Samba follows includes up to a depth of 100 and then fails the whole load: "
	    "smbd will not start.",
	.fix_text = "Remove the include line that closes the loop.",
	.workaround = NULL,
	.example = "# /etc/samba/smb.conf\n[global]\n    include = /etc/samba/smb.conf\n",
	.check = check_include_loop,
};

static bool want_registry(const struct config_include *inc)
{
	return inc->status == INC_REGISTRY_BAD;
}

static void say_registry(struct lint *l, const struct config_include *inc, const struct section *s)
{
	ru_report_node(l, inc->from, inc->node, s, "'include = registry' outside [global]: the "
	    "load fails and smbd will not start");
}

static void check_include_registry(struct lint *l)
{
	each_include(l, want_registry, say_registry);
}

static const struct rule r_include_registry = {
	.code = "SL1022",
	.name = "include-registry-share",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "'include = registry' in a share section: the load fails",
	.what = "The registry configuration is included from inside a share section.",
	.why = "Samba only accepts 'include = registry' in [global]; anywhere else the whole "
	    "load fails and smbd will not start.",
	.fix_text = "Move the line into [global].",
	.workaround = NULL,
	.example = "[data]\n    include = registry\n",
	.check = check_include_registry,
};

/* ---- SL1023 copy-undefined ------------------------------------------------ */

/*
 * The loader records only the first fatal line; a copy = line that fails is
 * that line (every later line goes unread, so it cannot fail on its own).
 */
static void check_copy(struct lint *l)
{
	const struct config *c = l->cfg;
	for (size_t i = 0; c->load_failed && i < c->nassigns; i++) {
		const struct assign *a = &c->assigns[i];
		if (a->node != c->fatal_node || !is_named(a, "copy"))
			continue;
		ru_report_assign(l, a, "%s; smbd will not start", c->fatal_reason != NULL ?
		    c->fatal_reason : "copy = names no section defined above");
	}
}

static const struct rule r_copy = {
	.code = "SL1023",
	.name = "copy-undefined",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "'copy =' names a section that is not defined before it: the load fails",
	.what = "'copy = template' where [template] does not exist, comes later in the file, "
	    "is hidden with '-valid = no', is the section itself, or where the copy line sits in "
	    "[global].",
	.why = "Samba copies the parameters of a section it has already read. If there is "
	    "none, the whole load fails and smbd will not start.",
	.fix_text = "Define the template section above the sections that copy it, and check "
	    "the spelling of its name.",
	.workaround = NULL,
	.example = "[data]\n    copy = template\n[template]\n    read only = no\n",
	.check = check_copy,
};

/* ---- SL1024 vfs-objects-prefix ------------------------------------------- */

/* The list after applying +x/-x items to `base` (both blank or comma separated). */
static char *merge_list(const char *base, const char *ops)
{
	char **items = NULL;
	size_t n = 0;
	char *b = xstrdup(base), *o = xstrdup(ops), *save;
	for (char *w = strtok_r(b, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
		items = xrealloc(items, (n + 1) * sizeof *items);
		items[n++] = w;
	}
	for (char *w = strtok_r(o, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
		const char *name = w[0] == '+' || w[0] == '-' ? w + 1 : w;
		size_t k;
		for (k = 0; k < n && strcmp(items[k], name) != 0; k++)
			;
		if (w[0] == '-') {
			if (k < n)
				memmove(items + k, items + k + 1, (--n - k) * sizeof *items);
		} else if (k == n && *name) {
			items = xrealloc(items, (n + 1) * sizeof *items);
			items[n++] = (char *)name;
		}
	}
	struct sbuf r = {0};
	for (size_t k = 0; k < n; k++)
		sbuf_addf(&r, "%s%s", k ? " " : "", items[k]);
	free(items);
	char *res = xstrdup(sbuf_str(&r));
	sbuf_free(&r);
	free(b);
	free(o);
	return res;
}

static void check_vfs_prefix(struct lint *l)
{
	struct ru_files rf = {0};
	samba_ver v = ru_ver(l);
	const struct lines *lx = lines_of(l);
	for (size_t j = 0; j < lx->n[LX_VFS]; j++) {
		const struct assign *a = &l->cfg->assigns[lx->ix[LX_VFS][j]];
		if (!is_named(a, "vfs objects") || status_of(a) != AS_SET || again(l, &rf, a))
			continue;
		const char *s = a->node->value, *bad = NULL;
		for (const char *p = s; *p; p++)
			if ((*p == '+' || *p == '-') && (p == s || is_blank((unsigned char)p[-1]) || p[-1] == ',')) {
				bad = p;
				break;
			}
		if (bad == NULL)
			continue;
		size_t blen = strcspn(bad, ", \t");
		struct finding *f = ru_report_assign(l, a, "'vfs objects' does not add or remove "
		    "modules: Samba looks for a module literally named '%.*s', fails to load it and "
		    "refuses every connection to %s", (int)blen, bad,
		    a->section->global ? "every share that inherits this list" : "this share");
		const char *base = "";
		struct ru_eff g;
		if (!a->section->global) {
			ru_get(l->cfg, NULL, "vfs objects", v, &g);
			base = g.str;
		}
		/* [global]'s list as its own fix leaves it (it may hold '+x' too) */
		char *fixed_base = merge_list("", base);
		char *merged = merge_list(fixed_base, s);
		free(fixed_base);
		/* an item starting with '#' or ';' after a blank would read as a comment (SL1007) */
		bool commentish = merged[0] == '#' || merged[0] == ';' || strstr(merged, " #") != NULL ||
		    strstr(merged, " ;") != NULL;
		if (commentish)
			ru_note(f, "not fixed automatically: the list holds an item starting with '#' or ';', "
			    "perhaps meant as a comment (Samba has no inline comments)");
		else
			ru_note(f, "list every module: 'vfs objects = %s'", merged);
		if (*merged && !commentish)
			ru_edit_value(f, a, merged);
		free(merged);
	}
	ru_files_free(&rf);
}

static const struct rule r_vfs_prefix = {
	.code = "SL1024",
	.name = "vfs-objects-prefix",
	.severity = SEV_ERROR,
	.fix = FIX_UNSAFE,
	.summary = "'vfs objects = +module': the '+' is taken literally and the share fails",
	.what = "A 'vfs objects' item starting with '+' or '-', written as if it added to or "
	    "removed from the list inherited from [global].",
	.why = "Samba replaces the list; it does not merge it, and for this parameter a leading "
	    "'+' or '-' is part of the module name. Loading a module named '+fruit' fails, and "
	    "smbd then refuses the connection to the share (NT_STATUS_BAD_NETWORK_NAME): Windows "
	    "says the network name cannot be found.",
	.fix_text = "Write the complete list of modules the share needs, for example "
	    "'vfs objects = catia fruit streams_xattr'. smblint writes the list it believes "
	    "was meant (unsafe: check the module order).",
	.workaround = NULL,
	.example = "[global]\n    vfs objects = fruit streams_xattr\n[tm]\n    vfs objects = +catia\n",
	.check = check_vfs_prefix,
};

/* ---- SL1025 integer-garbage ---------------------------------------------- */

/* Numbers Samba reads but then cuts down or corrects (testparm warns about both). */
static void check_integer_range(struct lint *l, const struct assign *a, int n, const struct param *const ranged[2])
{
	if (a->param == ranged[0] && (n < 0 || n > 255)) {
		struct finding *f = ru_report_assign(l, a, "os level = %d is out of range (0 to 255): "
		    "nmbd keeps only the lowest byte and enters browser elections with os level %d",
		    n, n & 0xff);
		ru_note(f, "Windows computers enter with 32 or less; any value from 33 to 255 wins against them");
	} else if (a->param == ranged[1] && (n < 1000 || (n & 1))) {
		/* Samba adds 1 to an odd base in an int: INT_MAX wraps around */
		long used = n < 1000 ? 1000 : n == INT_MAX ? (long)INT_MIN : (long)n + 1;
		ru_report_assign(l, a, "algorithmic rid base = %d %s: Samba logs an error and uses "
		    "%ld instead", n, n < 1000 ? "is below 1000, where Windows' well-known account "
		    "numbers lie" : "is odd, but user and group numbers must differ in their lowest bit",
		    used);
	}
}

static void check_integer(struct lint *l)
{
	const struct param *const ranged[2] = {param_get("os level"), param_get("algorithmic rid base")};
	struct ru_files rf = {0};
	const struct lines *lx = lines_of(l);
	for (size_t j = 0; j < lx->n[LX_INTEGER]; j++) {
		const struct assign *a = &l->cfg->assigns[lx->ix[LX_INTEGER][j]];
		if (again(l, &rf, a))
			continue;
		if (a->param == NULL || a->spelled->type != PT_INTEGER || status_of(a) != AS_SET)
			continue;
		const char *s = a->node->value;
		char *end;
		long n = strtol(s, &end, 0);
		const char *rest = end;
		while (is_blank((unsigned char)*rest))
			rest++;
		if (end == s) {
			ru_report_assign(l, a, "'%s' is not a number: Samba reads '%s' as 0", s, a->name);
		} else if (*rest != '\0' && *rest != ';' && *rest != '#') {
			ru_report_assign(l, a, "'%s' is not a plain number: Samba reads '%s' as %ld "
			    "and ignores '%s'", s, a->name, n, rest);
		} else if (s[0] == '0' && s[1] >= '0' && s[1] <= '9' && n != strtol(s, NULL, 10)) {
			ru_report_assign(l, a, "'%s' starts with 0: Samba reads it as an octal number, "
			    "so '%s' is %ld", s, a->name, n);
			continue;
		}
		check_integer_range(l, a, (int)n, ranged);
	}
	ru_files_free(&rf);
}

static const struct rule r_integer = {
	.code = "SL1025",
	.name = "integer-garbage",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A number parameter whose value Samba reads differently",
	.what = "A numeric parameter whose value is not a plain number: words ('unlimited'), "
	    "units ('15m'), or a leading zero; and numbers Samba cuts down or corrects, as "
	    "testparm warns: 'os level' outside 0-255, 'algorithmic rid base' below 1000 or odd.",
	.why = "Samba converts numbers the way C's strtol does and never complains: text "
	    "becomes 0, '15m' becomes 15, and '010' is octal, that is 8. The server then "
	    "runs with a value nobody chose.",
	.fix_text = "Write a plain decimal number in the unit the parameter documents.",
	.workaround = NULL,
	.example = "[global]\n    deadtime = 15m\n",
	.check = check_integer,
};

/* ---- SL1026 header-trailing-text ----------------------------------------- */

static void check_header_text(struct lint *l)
{
	struct ru_files rf = {0};
	for (size_t i = 0; i < l->cfg->nfiles; i++) {
		struct srcfile *file = l->cfg->files[i];
		if (file->tree == NULL || ru_files_repeat(&rf, l->cfg, file))
			continue;
		size_t nk;
		const uint32_t *ks = ru_nodes(l, i, NODE_SECTION, &nk);
		for (size_t x = 0; x < nk; x++) {
			size_t k = ks[x];
			const struct node *n = &file->tree->nodes[k];
			if (n->kind != NODE_SECTION)
				continue;
			const char *after = strchr(n->text, ']') + 1;
			while (is_blank((unsigned char)*after))
				after++;
			if (*after == '\0' || *after == '#' || *after == ';' || strchr(after, '=') == NULL)
				continue;
			ru_report_node(l, file, n, NULL, "text after ']' is ignored: '%s' is not set", after);
		}
	}
	ru_files_free(&rf);
}

static const struct rule r_header_text = {
	.code = "SL1026",
	.name = "header-trailing-text",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A parameter written on the same line as a section header: ignored",
	.what = "A section header followed on the same line by 'name = value'.",
	.why = "Samba reads the section name up to the first ']' and discards the rest of the "
	    "line, so the parameter is never set.",
	.fix_text = "Put the parameter on its own line below the header.",
	.workaround = NULL,
	.example = "[data] path = /srv/data\n",
	.check = check_header_text,
};

/* ---- what testparm's own checks see: security and server role ------------ */

/*
 * testparm judges [global] after the load by the security mode and the
 * server role Samba works out from the settings (lib/param's
 * lp_find_security and lp_find_server_role, read for the facts only):
 * 'security = auto' means ads when 'server role' says member server and
 * user otherwise; a role that contradicts the security mode is replaced by
 * the one the mode implies.
 */
enum { TP_USER = 1, TP_DOMAIN = 2, TP_ADS = 3 };

/* The security mode in effect (TP_*); *e: the line that decides it (security, else server role). */
static int tp_security(const struct config *c, samba_ver v, struct ru_eff *e)
{
	struct ru_eff role;
	int s = ru_enum(c, NULL, "security", v, e);
	if (s > 0)
		return s;
	if (ru_enum(c, NULL, "server role", v, &role) == 2) {
		*e = role;
		return TP_ADS;
	}
	return TP_USER;
}

/*
 * The server role Samba works out (the 'server role' enum: 1 standalone,
 * 2 member, 3 classic PDC, 4 classic BDC, 5 AD DC, 6 IPA DC); *e: the line
 * that decides it.
 */
static int tp_role(const struct config *c, samba_ver v, struct ru_eff *e)
{
	struct ru_eff sec, dl, dm;
	int s = ru_enum(c, NULL, "security", v, &sec);
	int r = ru_enum(c, NULL, "server role", v, e);
	if (r > 0 && (s <= 0 || (r == 2 ? s == TP_DOMAIN || s == TP_ADS : s == TP_USER)))
		return r;
	if (s == TP_DOMAIN || s == TP_ADS) {
		*e = sec;
		return 2;
	}
	if (ru_bool(c, NULL, "domain logons", v, &dl)) {
		*e = dl;
		ru_get(c, NULL, "domain master", v, &dm);
		return fold_eq(dm.str, "no") || fold_eq(dm.str, "false") ? 4 : 3;
	}
	if (r <= 0)
		*e = sec;
	return 1;
}

/* "security = ADS" as the deciding line says it: "server role = member server" for an implied mode. */
static const char *tp_security_words(const struct ru_eff *e, int s)
{
	if (e->param != NULL && fold_eq(param_name(e->param), "server role"))
		return "server role = member server (which means security = ADS)";
	return s == TP_ADS ? "security = ADS" : s == TP_DOMAIN ? "security = domain" : "security = user";
}

/* ---- SL1027 passwd-program / SL1028 ads-without-realm --------------------- */

/*
 * The program name testparm checks: the first word of the value, double
 * quotes grouping blanks into it (Samba's next_token), malloc'ed.
 */
static char *first_word(const char *s)
{
	struct sbuf b = {0};
	bool quoted = false;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')); s++) {
		if (*s == '"')
			quoted = !quoted;
		else
			sbuf_addf(&b, "%c", *s);
	}
	return sbuf_take(&b);
}

static void check_passwd_program(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff sync, prog, sec, pam;
	if (!ru_bool(l->cfg, NULL, "unix password sync", v, &sync) || sync.from == NULL)
		return;
	if (tp_security(l->cfg, v, &sec) != TP_USER)
		return;   /* testparm checks the password chat only for security = user */
	bool via_pam = ru_bool(l->cfg, NULL, "pam password change", v, &pam);
	ru_get(l->cfg, NULL, "passwd program", v, &prog);
	struct finding *f;
	if (prog.str[0] == '\0') {
		if (via_pam)
			return;   /* PAM changes the Unix password: no program needed */
		f = ru_report_eff(l, NULL, &sync, "unix password sync = yes without a 'passwd program': "
		    "password changes from clients fail, and testparm reports an error (exit 1)");
		ru_note(f, "set e.g. 'passwd program = /usr/bin/passwd %%u' (with a matching 'passwd "
		    "chat'), 'pam password change = yes', or 'unix password sync = no'");
		return;
	}
	if (strstr(prog.str, "%u") == NULL) {
		ru_report_eff(l, NULL, &prog, "passwd program = %s has no %%u: the program cannot "
		    "know whose password to change, and testparm reports an error (exit 1)", prog.str);
		return;
	}
	if (via_pam)
		return;
	char *word = first_word(prog.str);
	if (word[0] != '\0' && word[0] != '/' && strchr(word, '%') == NULL) {
		f = ru_report_eff(l, NULL, &prog, "passwd program = %s: testparm looks for '%s' in the "
		    "folder it runs in, not in PATH, and reports an error (exit 1)", prog.str, word);
		ru_note(f, "smbd runs the program through /bin/sh, which searches PATH; write the full "
		    "path (e.g. /usr/bin/%s) so that both agree", word);
	} else if (word[0] == '/' && strchr(word, '%') == NULL && ru_host_checks(l) &&
	    access(word, F_OK) != 0) {
		f = ru_report_eff(l, NULL, &prog, "passwd program = %s: %s does not exist on this "
		    "machine, so password changes from clients fail, and testparm reports an error "
		    "(exit 1)", prog.str, word);
		ru_note(f, "install the program or correct the path (Debian: /usr/bin/passwd)");
	}
	free(word);
}

static const struct rule r_passwd_program = {
	.code = "SL1027",
	.name = "passwd-program",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "Unix password sync without a usable passwd program",
	.what = "With security = user and 'unix password sync = yes': a 'passwd program' that "
	    "lacks the %u naming the user; unless 'pam password change = yes', also one that is "
	    "empty (its default), given without a full path, or (with host checks) missing on "
	    "this machine. These are the checks behind testparm's 'passwd program' errors.",
	.why = "When a user changes the password from Windows (Ctrl+Alt+Del, Change a "
	    "password), Samba also runs the passwd program to change the Unix password; "
	    "without one the change fails. testparm exits 1 with an ERROR line for each of "
	    "these, which breaks scripts and packages that check the configuration with it; "
	    "it looks for a program named without a path in its own working folder.",
	.fix_text = "Set 'passwd program = /usr/bin/passwd %u' and a 'passwd chat' that "
	    "matches it (or 'pam password change = yes'), or turn 'unix password sync' off.",
	.workaround = NULL,
	.example = "[global]\n    unix password sync = yes\n",
	.check = check_passwd_program,
};

static void check_ads_realm(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff sec, realm, wg;
	int s = tp_security(l->cfg, v, &sec);
	if (s != TP_ADS)
		return;
	const char *mode = tp_security_words(&sec, s);
	ru_get(l->cfg, NULL, "realm", v, &realm);
	if (realm.str[0] == '\0') {
		struct finding *f = ru_report_eff(l, NULL, &sec, "%s without 'realm': the server "
		    "cannot find its Active Directory domain, so domain users cannot sign in; "
		    "testparm reports an error (exit 1)", mode);
		ru_note(f, "set 'realm' to the domain's DNS name in capitals (e.g. realm = EXAMPLE.COM)");
	}
	ru_get(l->cfg, NULL, "workgroup", v, &wg);
	if (wg.str[0] == '\0') {
		struct finding *f = ru_report_eff(l, NULL, &wg, "workgroup is empty with %s: the "
		    "server has no NetBIOS name for its domain, so joining and domain sign-ins fail; "
		    "testparm reports an error (exit 1)", mode);
		ru_note(f, "set 'workgroup' to the domain's NetBIOS name (e.g. workgroup = EXAMPLE)");
	}
}

static const struct rule r_ads_realm = {
	.code = "SL1028",
	.name = "ads-without-realm",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "security = ads without a realm (or with an empty workgroup)",
	.what = "'security = ads' (Active Directory member), or 'server role = member server' "
	    "with security left at auto, which means the same, while 'realm' is not set or "
	    "'workgroup' is set to nothing.",
	.why = "An AD member locates its domain controllers and obtains Kerberos tickets "
	    "through the realm, and names its domain by the workgroup. Without them domain "
	    "authentication fails for every client; testparm reports each as an ERROR and "
	    "exits 1.",
	.fix_text = "Set 'realm = YOUR.AD.DOMAIN' (the AD DNS domain in capitals) next to "
	    "'workgroup' (its NetBIOS name).",
	.workaround = NULL,
	.example = "[global]\n    security = ads\n    workgroup = EXAMPLE\n",
	.check = check_ads_realm,
};

/* ---- SL1033 winbind-separator --------------------------------------------- */

static void check_winbind_separator(struct lint *l)
{
	struct ru_eff e;
	ru_get(l->cfg, NULL, "winbind separator", ru_ver(l), &e);
	if (e.from == NULL || strlen(e.str) == 1)
		return;   /* testparm counts bytes: one two-byte letter fails too */
	struct finding *f;
	if (e.str[0] == '\0')
		f = ru_report_eff(l, NULL, &e, "winbind separator is empty: Samba cannot split "
		    "'DOMAIN\\user' names, and testparm reports an error (exit 1)");
	else
		f = ru_report_eff(l, NULL, &e, "winbind separator = %s is not a single character: "
		    "Samba splits 'DOMAIN<separator>user' names at its first byte only, and testparm "
		    "reports an error (exit 1)", e.str);
	ru_note(f, "use one character, e.g. 'winbind separator = \\' (the default) or '/'; quotes "
	    "count as characters");
}

static const struct rule r_winbind_separator = {
	.code = "SL1033",
	.name = "winbind-separator",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "'winbind separator' is not exactly one character",
	.what = "A 'winbind separator' that is empty, longer than one byte (a word, a quoted "
	    "character such as \"+\", or a letter that takes two bytes in UTF-8).",
	.why = "winbind and smbd join and split domain user names (DOMAIN\\user) with a single "
	    "character and use only the first byte of the value, so names are split in the "
	    "wrong place or not at all, and domain users may fail to sign in or map to the "
	    "wrong account. testparm reports an ERROR and exits 1.",
	.fix_text = "Set one character, usually the default '\\' (or '/'); leave out quotes.",
	.workaround = NULL,
	.example = "[global]\n    winbind separator = \"+\"\n",
	.check = check_winbind_separator,
};

/* ---- SL1034 wins-support-and-server ---------------------------------------- */

static void check_wins_both(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff sup, srv;
	if (!ru_bool(l->cfg, NULL, "wins support", v, &sup))
		return;
	ru_get(l->cfg, NULL, "wins server", v, &srv);
	if (srv.from == NULL || (srv.str[0] == '\0' && srv.str != param_empty_list))
		return;   /* any value but an empty one makes a list, even ',' */
	struct finding *f = ru_report_eff(l, NULL, &srv, "wins server = %s while 'wins support = "
	    "yes': nmbd cannot be the WINS server and another WINS server's client at once, and "
	    "testparm reports an error (exit 1)", ru_as_written(&srv));
	if (sup.from != NULL && sup.from->node != NULL) {
		char *w = where(sup.from->file, sup.from->node, srv.from->file);
		ru_note(f, "'wins support = yes' is at %s; keep 'wins support' on the one WINS server "
		    "and point every other machine at it with 'wins server'", w);
		free(w);
	}
}

static const struct rule r_wins_both = {
	.code = "SL1034",
	.name = "wins-support-and-server",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "'wins support = yes' together with 'wins server'",
	.what = "[global] sets 'wins support = yes' (this nmbd is the WINS server) and also a "
	    "'wins server' list (use another machine as WINS server); any value but an empty "
	    "one counts, even ',' or \"\".",
	.why = "The two settings contradict each other: NetBIOS names would be registered and "
	    "resolved in two places, so Windows clients may not find the server by name. "
	    "testparm reports an ERROR (it says nmbd aborts with this setting) and exits 1.",
	.fix_text = "On the WINS server keep 'wins support = yes' and delete 'wins server'; on "
	    "every other machine set 'wins server' and leave 'wins support' off.",
	.workaround = NULL,
	.example = "[global]\n    wins support = yes\n    wins server = 192.168.1.1\n",
	.check = check_wins_both,
};

/* ---- SL1035 passwd-chat-old-password --------------------------------------- */

static void check_chat_old_password(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff sync, chat, sec, enc;
	if (!ru_bool(l->cfg, NULL, "unix password sync", v, &sync) || sync.from == NULL)
		return;
	if (tp_security(l->cfg, v, &sec) != TP_USER || !ru_bool(l->cfg, NULL, "encrypt passwords", v, &enc))
		return;
	ru_get(l->cfg, NULL, "passwd chat", v, &chat);
	if (strstr(chat.str, "%o") == NULL)   /* case matters: %O is no macro here */
		return;
	struct finding *f = ru_report_eff(l, NULL, &chat, "passwd chat types the old password "
	    "(%%o), which Samba never has with encrypted passwords: the chat fails and the "
	    "Unix password is not changed, and testparm reports an error (exit 1)");
	ru_note(f, "run the passwd program as root, which asks no old password, and drop the "
	    "%%o step from 'passwd chat' (or use 'pam password change = yes')");
}

static const struct rule r_chat_old_password = {
	.code = "SL1035",
	.name = "passwd-chat-old-password",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "'passwd chat' expects the old password, which encrypted passwords never give",
	.what = "'passwd chat' containing %o (the old plain-text password) while 'unix password "
	    "sync = yes', security = user and 'encrypt passwords = yes' (the default) are in "
	    "effect: exactly the case testparm checks.",
	.why = "With encrypted passwords a client sends Samba hashes, never the old password in "
	    "clear text, so %o is empty. A chat that waits to type the old password stalls and "
	    "the Unix password is not changed when a user changes it from Windows. testparm "
	    "reports an ERROR and exits 1.",
	.fix_text = "Drop the step with %o from 'passwd chat': smbd runs the passwd program as "
	    "root, and passwd does not ask root for the old password.",
	.workaround = NULL,
	.example = "[global]\n    unix password sync = yes\n    passwd program = /usr/bin/passwd %u\n"
	    "    passwd chat = *current*password* %o\\n *new*password* %n\\n *new*password* %n\\n\n",
	.check = check_chat_old_password,
};

/* ---- SL1036 domain-plaintext-passwords ------------------------------------- */

static void check_domain_plaintext(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff sec, enc;
	int s = tp_security(l->cfg, v, &sec);
	if (s < TP_DOMAIN || ru_bool(l->cfg, NULL, "encrypt passwords", v, &enc) || enc.from == NULL)
		return;
	struct finding *f = ru_report_eff(l, NULL, &enc, "encrypt passwords = no with %s: a "
	    "domain member checks passwords with its domain controller, which needs the "
	    "encrypted form; domain users cannot sign in, and testparm reports an error (exit 1)",
	    tp_security_words(&sec, s));
	if (enc.from->overrides == NULL && ru_edit_remove(f, enc.from->file, enc.from->node))
		ru_note(f, "the fix deletes the line ('encrypt passwords = yes' is the default)");
}

static const struct rule r_domain_plaintext = {
	.code = "SL1036",
	.name = "domain-plaintext-passwords",
	.severity = SEV_ERROR,
	.fix = FIX_SAFE,
	.summary = "A domain member with 'encrypt passwords = no'",
	.what = "'encrypt passwords = no' while the server is a domain member: security = domain "
	    "or ads, or 'server role = member server'.",
	.why = "A domain member passes each sign-in to a domain controller, which accepts only "
	    "the encrypted (NTLM or Kerberos) form; plain-text passwords cannot be checked there, "
	    "and current Windows does not send them anyway. testparm reports an ERROR and "
	    "exits 1.",
	.fix_text = "Delete the line: 'encrypt passwords = yes' is the default (and the "
	    "parameter is deprecated).",
	.workaround = NULL,
	.example = "[global]\n    security = ads\n    realm = EXAMPLE.COM\n    encrypt passwords = no\n",
	.check = check_domain_plaintext,
};

/* ---- SL1037 password-server-empty ------------------------------------------ */

static void check_password_server(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff sec, ps;
	int s = tp_security(l->cfg, v, &sec);
	if (s < TP_DOMAIN)
		return;
	ru_get(l->cfg, NULL, "password server", v, &ps);
	if (ps.from == NULL || ps.str[0] != '\0')
		return;
	struct finding *f = ru_report_eff(l, NULL, &ps, "password server is empty with %s: the "
	    "server has no domain controller to check passwords with, so domain users cannot "
	    "sign in, and testparm reports an error (exit 1)", tp_security_words(&sec, s));
	if (ru_edit_value(f, ps.from, "*"))
		ru_note(f, "the fix sets 'password server = *' (the default): Samba finds the "
		    "domain controllers itself");
}

static const struct rule r_password_server = {
	.code = "SL1037",
	.name = "password-server-empty",
	.severity = SEV_ERROR,
	.fix = FIX_SAFE,
	.summary = "A domain member with an empty 'password server'",
	.what = "'password server' set to nothing while the server is a domain member "
	    "(security = domain or ads, or 'server role = member server').",
	.why = "A domain member checks every domain sign-in with a domain controller; with no "
	    "password server it has none to ask. The default '*' makes Samba look the domain "
	    "controllers up itself. testparm reports an ERROR and exits 1.",
	.fix_text = "Set 'password server = *' or delete the line.",
	.workaround = NULL,
	.example = "[global]\n    security = ads\n    realm = EXAMPLE.COM\n    password server =\n",
	.check = check_password_server,
};

/* ---- SL1044 password-server-pinned ------------------------------------------ */

static void check_password_server_pinned(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff sec, ps;
	ru_get(l->cfg, NULL, "password server", v, &ps);
	if (ps.from == NULL || ps.str[0] == '\0')
		return;
	int s = tp_security(l->cfg, v, &sec);
	if (s < TP_DOMAIN)
		return;
	/* a '*' item lets Samba look further domain controllers up after the named ones */
	char *list = xstrdup(ps.str), *save;
	bool star = false;
	size_t n = 0;
	for (char *w = strtok_r(list, ", \t", &save); w != NULL; w = strtok_r(NULL, ", \t", &save), n++)
		star |= strcmp(w, "*") == 0;
	free(list);
	if (star)
		return;
	struct finding *f = ru_report_eff(l, NULL, &ps, "password server = %s with %s: Samba asks only "
	    "%s, so when %s down or unreachable domain users cannot sign in, although the domain "
	    "may have other controllers (testparm warns too)", ps.str, tp_security_words(&sec, s),
	    n == 1 ? "this domain controller" : "these domain controllers", n == 1 ? "it is" : "they are");
	ru_note(f, "with '*' (the default) Samba finds the domain controllers itself, from DNS "
	    "(ADS) or NetBIOS (domain); 'password server = %s *' keeps yours first", ps.str);
	ru_edit_value(f, ps.from, "*");
}

static const struct rule r_password_server_pinned = {
	.code = "SL1044",
	.name = "password-server-pinned",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "A domain member tied to the domain controllers its 'password server' names",
	.what = "'password server' set to names without '*' while the server is a domain member "
	    "(security = domain or ads, or 'server role = member server').",
	.why = "A domain member checks domain sign-ins with a domain controller. With a fixed "
	    "list it asks no other: when the named controllers are down, renamed or retired, "
	    "domain users cannot sign in, although DNS (or NetBIOS) would have led Samba to "
	    "others. testparm warns that the setting should not be combined with domain "
	    "security.",
	.fix_text = "Delete the line or set 'password server = *'; to prefer some controllers "
	    "but keep the others as fallback, end the list with '*'. Unsafe: a network whose "
	    "DNS does not list the domain controllers needs the names.",
	.workaround = NULL,
	.example = "[global]\n    security = ads\n    realm = EXAMPLE.COM\n    workgroup = EXAMPLE\n"
	    "    password server = dc1.example.com\n",
	.check = check_password_server_pinned,
};

/* ---- SL1038 idmap-config --------------------------------------------------- */

/*
 * testparm checks the ID mapping of every server that is not standalone:
 * the default domain's backend ('idmap config * : backend', tdb when
 * unset) must be one that can hand out IDs for any SID; an autorid range
 * must hold at least two of its 'rangesize' blocks; and domain ranges must
 * not overlap.  It reads the domains in the order testparm -s lists the
 * options (newest first), compares each with those before it only, and
 * looks only at whether one range's ends fall into another.
 */
struct idmap_dom {
	char *name;                   /* as in the option, lowercase, without blanks */
	const struct value *backend;
	const struct value *range;
	unsigned low, high;
};

static const struct value *idmap_opt(const struct config *c, const char *dom, const char *what)
{
	char *name = xasprintf("idmap config %s : %s", dom, what);
	const struct value *val = config_opt(c, NULL, name);
	free(name);
	return val;
}

static void check_idmap(struct lint *l)
{
	samba_ver v = ru_ver(l);
	const struct config *c = l->cfg;
	struct ru_eff role;
	int r = tp_role(c, v, &role);
	if (r == 1)
		return;
	const struct value *defb = idmap_opt(c, "*", "backend");
	const char *backend = defb != NULL ? defb->canon : "tdb";
	static const char *const fine[] = {"tdb", "tdb2", "ldap", "autorid", "hash"};
	bool ok = false;
	for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
		ok |= strcasecmp(backend, fine[i]) == 0;
	if (!ok && defb != NULL && defb->from != NULL) {
		struct finding *f = ru_report_assign(l, defb->from, "idmap config * : backend = %s: "
		    "the default domain needs a backend that can map any SID (tdb, autorid...); "
		    "'%s' serves one domain only, so users of other domains and local groups get "
		    "no IDs, and testparm reports an error (exit 1)", backend, backend);
		ru_note(f, "use 'idmap config * : backend = tdb' with its own range, and '%s' for "
		    "your domain: 'idmap config DOMAIN : backend = %s'", backend, backend);
	}
	if (r == 5)
		return;   /* an AD DC maps IDs itself: testparm reads no ranges there */
	/* in a domain the default idmap domain needs IDs to hand out (testparm: "Invalid idmap range for domain *") */
	if (idmap_opt(c, "*", "range") == NULL) {
		struct finding *f = ru_report_eff(l, NULL, &role, "no 'idmap config * : range' on a %s: winbind has no IDs for the default domain, so SIDs no other idmap line "
		    "covers (BUILTIN and well-known groups, other domains) map to no Unix ID and their "
		    "files and sign-ins fail; testparm prints an ERROR for it",
		    r == 2 ? "domain member" : "classic (NT4-style) domain controller");
		ru_note(f, "add 'idmap config * : range = 3000-7999' (beside 'idmap config * : backend = tdb'), "
		    "clear of the ranges of your domains");
	}

	/* The domains testparm finds, in its order, with a range it can read. */
	const struct section *g = config_global(c);
	struct idmap_dom *d = NULL;
	size_t n = 0;
	for (size_t i = 0; i < g->nvals; i++) {
		const struct value *val = &g->vals[i];
		if (val->param != NULL)
			continue;
		char *k = fold_key(val->name);
		size_t len = strlen(k);
		if (len > 19 && strncmp(k, "idmapconfig", 11) == 0 && strcmp(k + len - 8, ":backend") == 0) {
			k[len - 8] = '\0';
			struct idmap_dom x = {.name = xstrdup(k + 11), .backend = val};
			for (char *q = x.name; *q; q++)
				*q = (char)toupper((unsigned char)*q);
			x.range = idmap_opt(c, x.name, "range");
			if (x.range != NULL && sscanf(x.range->canon, "%u - %u", &x.low, &x.high) == 2) {
				d = xrealloc(d, (n + 1) * sizeof *d);
				d[n++] = x;
			} else {
				free(x.name);
			}
		}
		free(k);
	}

	bool stop = false;
	if (strcasecmp(backend, "autorid") == 0) {
		for (size_t i = 0; i < n; i++) {
			if (strcasecmp(d[i].backend->canon, "autorid") != 0)
				continue;
			const struct value *rs = idmap_opt(c, "*", "rangesize");
			unsigned size = rs != NULL ? (unsigned)strtol(rs->canon, NULL, 0) : 100000u;
			if (size != 0 && (d[i].high - d[i].low + 1) / size < 2 && d[i].range->from != NULL) {
				struct finding *f = ru_report_assign(l, d[i].range->from, "idmap range %u-%u "
				    "holds fewer than two autorid blocks of %u IDs (rangesize): autorid "
				    "cannot give a domain its own block, and testparm reports an error "
				    "(exit 1)", d[i].low, d[i].high, size);
				ru_note(f, "make the range at least twice the rangesize (e.g. 'idmap config "
				    "* : range = 10000-999999' with the default rangesize of 100000)");
				stop = true;
			}
			break;
		}
	}
	for (size_t i = 0; i < n && !stop; i++) {
		for (size_t j = 0; j < i && !stop; j++) {
			const struct idmap_dom *a = &d[i], *b = &d[j];
			if (!((a->low >= b->low && a->low <= b->high) || (a->high >= b->low && a->high <= b->high)))
				continue;
			if (strcasecmp(a->backend->canon, b->backend->canon) == 0 &&
			    strcasecmp(a->backend->canon, "ad") == 0)
				continue;   /* two ad domains may share IDs: testparm only notes it */
			stop = true;
			if (a->range->from == NULL)
				continue;
			struct finding *f = ru_report_assign(l, a->range->from, "the idmap range of "
			    "domain %s (%u-%u, %s) overlaps that of %s (%u-%u, %s): one Unix ID could "
			    "stand for two accounts, giving users each other's files, and testparm "
			    "reports an error (exit 1)", a->name, a->low, a->high, a->backend->canon,
			    b->name, b->low, b->high, b->backend->canon);
			if (b->range->from != NULL && b->range->from->node != NULL) {
				char *w = where(b->range->from->file, b->range->from->node, a->range->from->file);
				ru_note(f, "the other range is at %s; give every domain a range of its own", w);
				free(w);
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		free(d[i].name);
	free(d);
}

static const struct rule r_idmap = {
	.code = "SL1038",
	.name = "idmap-config",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "ID mapping that testparm rejects on a domain member or controller",
	.what = "On a server that is not standalone: a default ('idmap config * : backend') "
	    "backend other than tdb, tdb2, ldap, autorid or hash; no 'idmap config * : range' "
	    "(not on an AD domain controller, which maps IDs itself); an autorid range smaller than "
	    "two of its blocks ('rangesize'); or two domains whose idmap ranges overlap (two "
	    "'ad' domains may). Overlaps are found as testparm finds them: an end of one range "
	    "inside another.",
	.why = "winbind gives every Windows user and group a Unix ID from these ranges. A "
	    "backend such as rid or ad serves one domain and cannot be the catch-all default; "
	    "overlapping ranges can give two accounts the same ID, and with it each other's "
	    "files; without a default range winbind maps none of the SIDs the other lines do "
	    "not cover. testparm reports an ERROR (and exits 1, except for the missing range).",
	.fix_text = "Use 'idmap config * : backend = tdb' (or autorid) with a range of its own, "
	    "a per-domain backend for each domain, and ranges that do not overlap.",
	.workaround = NULL,
	.example = "[global]\n    security = ads\n    realm = EXAMPLE.COM\n    workgroup = EXAMPLE\n"
	    "    idmap config * : backend = rid\n    idmap config * : range = 10000-999999\n",
	.check = check_idmap,
};

/* ---- SL1030 empty-valid-users -------------------------------------------- */

static bool empty_list(const char *canon)
{
	return canon == param_empty_list;
}

static void check_empty_valid_users(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_groups sg = {0};
	if (!ru_any_line(l, "valid users", empty_list))
		return;   /* only a line makes the list empty (the default is none) */
	for (size_t i = 0; i < l->cfg->nsections; i++) {
		const struct section *s = l->cfg->sections[i];
		struct ru_eff e;
		if (s->global || !ru_is_share(l->cfg, s, v))
			continue;
		ru_get(l->cfg, s, "valid users", v, &e);
		if (e.from != NULL && e.str == param_empty_list)
			ru_group_add(&sg, &e, s, 0);
	}
	for (size_t i = 0; i < sg.n; i++) {
		const struct ru_group *g = &sg.g[i];
		struct finding *f = ru_report_eff(l, g->first, &g->e, "'valid users = %s' is a list "
		    "without a name in it: nobody, not even a guest, can open %s %s", g->e.from->value,
		    g->n == 1 ? "share" : "shares", g->shares.s);
		ru_note(f, "to let every user in, delete the line or leave the value empty "
		    "('valid users ='); to limit the share, name users and @groups");
	}
	ru_groups_free(&sg);
}

static const struct rule r_empty_valid_users = {
	.code = "SL1030",
	.name = "empty-valid-users",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "'valid users' set to a list with no one in it: nobody can open the share",
	.what = "'valid users' whose value holds only separators or empty quotes, such as "
	    "'valid users = \"\"' or 'valid users = ,' (often a template's empty variable).",
	.why = "Samba tells an empty list from no list: with no 'valid users' every account "
	    "may connect, with an empty one the check runs and matches no one, so every "
	    "user, guests included, is refused access to the share. A value of nothing but "
	    "blanks is no list at all.",
	.fix_text = "Name the users and @groups who need the share, or delete the line to let "
	    "every account in.",
	.workaround = NULL,
	.example = "[data]\n    path = /srv/data\n    valid users = \"\"\n",
	.check = check_empty_valid_users,
};

/* ---- SL1031 guest-account-missing ------------------------------------------ */

/*
 * Checked with smbd 4.17 (test/probe/verdicts.py found it): with a guest
 * account that does not exist, smbd logs "Unable to locate guest account"
 * and "ERROR: failed to setup guest info." and exits 255 before it listens,
 * while testparm loads the file without a word.  Only a line that names the
 * account is checked, against this machine's user database (the server's, when
 * smblint runs there), and a name with %-macros is left alone.
 */
static void check_guest_account(struct lint *l)
{
	struct ru_eff e;
	if (!ru_host_checks(l))
		return;
	ru_get(l->cfg, NULL, "guest account", ru_ver(l), &e);
	if (e.from == NULL || e.str[0] == '\0' || strchr(e.str, '%') != NULL)
		return;
	if (getpwnam(e.str) != NULL)
		return;
	struct finding *f = ru_report_eff(l, NULL, &e, "guest account = %s: no such user on this "
	    "machine, so smbd will not start (\"failed to setup guest info\"), though testparm "
	    "accepts the file", e.str);
	ru_note(f, "create the account (e.g. useradd --system --no-create-home --shell "
	    "/usr/sbin/nologin %s), or name an existing one such as nobody", e.str);
}

static const struct rule r_guest_account = {
	.code = "SL1031",
	.name = "guest-account-missing",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "The guest account does not exist: smbd will not start",
	.what = "A 'guest account' line naming a user that this machine's user database (as "
	    "getpwnam sees it: /etc/passwd, LDAP, winbind) does not know. Only with host checks: "
	    "when the file is this machine's /etc/samba/smb.conf, or with --host-checks=always.",
	.why = "smbd sets up the guest account's identity when it starts, whether or not any "
	    "share admits guests. Without the account it logs \"Unable to locate guest account\" "
	    "and \"failed to setup guest info\" and exits, so no share is served. testparm does not "
	    "look the account up and reports no problem.",
	.fix_text = "Create the account as a system user without a login shell, or point 'guest "
	    "account' at an existing unprivileged user (the default is nobody).",
	.workaround = NULL,
	.example = "[global]\n    guest account = smbguest\n",
	.check = check_guest_account,
};

/* ---- SL1032 share-target-missing -------------------------------------------- */

/*
 * Checked with smbd 4.17: a share whose path does not exist answers the tree
 * connect with BAD_NETWORK_NAME; 'force user' naming no user with
 * NO_SUCH_USER, 'force group' naming no group with NO_SUCH_GROUP, for every
 * client.  smbd starts and testparm says nothing.
 */
enum { TM_PATH, TM_USER, TM_GROUP };

static int target_missing(const char *param, const char *value)
{
	if (value[0] == '\0' || strchr(value, '%') != NULL)
		return -1;   /* unset, or differs per connection */
	if (strcmp(param, "path") == 0) {
		struct stat st;
		if (value[0] != '/')
			return -1;   /* relative to smbd's working directory: not judged */
		return stat(value, &st) != 0 ? ENOENT : !S_ISDIR(st.st_mode) ? ENOTDIR : 0;
	}
	if (strcmp(param, "force user") == 0)
		return getpwnam(value) == NULL ? ENOENT : 0;
	/* force group: '+group' / '@group' name the group too */
	const char *g = value[0] == '+' || value[0] == '@' ? value + 1 : value;
	return *g != '\0' && getgrnam(g) == NULL ? ENOENT : 0;
}

static void check_share_targets(struct lint *l)
{
	static const char *const params[] = {"path", "force user", "force group"};
	samba_ver v = ru_ver(l);
	if (!ru_host_checks(l))
		return;
	for (int k = TM_PATH; k <= TM_GROUP; k++) {
		struct ru_groups gs = {0};
		for (size_t i = 0; i < l->cfg->nsections; i++) {
			const struct section *s = l->cfg->sections[i];
			struct ru_eff e;
			if (s->global || !ru_is_share(l->cfg, s, v))
				continue;
			ru_get(l->cfg, s, params[k], v, &e);
			int err = target_missing(params[k], e.str);
			if (err > 0)
				ru_group_add(&gs, &e, s, err == ENOTDIR ? 1u : 0u);
		}
		for (size_t i = 0; i < gs.n; i++) {
			const struct ru_group *g = &gs.g[i];
			char *what = ru_group_shares(g);
			struct finding *f;
			if (k == TM_PATH)
				f = ru_report_eff(l, g->first, &g->e, "path = %s %s on this machine: %s cannot "
				    "be opened, clients get \"The network name cannot be found\"", g->e.str,
				    g->mask ? "is not a folder" : "does not exist", what);
			else
				f = ru_report_eff(l, g->first, &g->e, "%s = %s: no such %s on this machine, so "
				    "every connection to %s fails (%s)", params[k], g->e.str,
				    k == TM_USER ? "user" : "group", what,
				    k == TM_USER ? "NO_SUCH_USER" : "NO_SUCH_GROUP");
			if (g->e.inherited)
				ru_note(f, "[global] sets it for every share that does not set its own");
			free(what);
		}
		ru_groups_free(&gs);
	}
}

static const struct rule r_share_targets = {
	.code = "SL1032",
	.name = "share-target-missing",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "A share's folder, forced user or forced group does not exist on this machine",
	.what = "A share whose 'path' does not exist (or is not a folder), or whose 'force user' "
	    "or 'force group' names no user or group this machine knows. Values with %-macros "
	    "are skipped. Only with host checks: when the file is this machine's "
	    "/etc/samba/smb.conf, or with --host-checks=always.",
	.why = "smbd starts and testparm reports nothing, but every connection to the share "
	    "fails: a missing folder gives BAD_NETWORK_NAME (Windows: \"The network name cannot "
	    "be found\"), a missing forced user NO_SUCH_USER, a missing forced group "
	    "NO_SUCH_GROUP. Typical causes: a typo, a disk that is not mounted, an account "
	    "from another machine.",
	.fix_text = "Create the folder (or mount the disk), the user or the group, or correct "
	    "the name.",
	.workaround = NULL,
	.example = "[projects]\n    path = /srv/projcets\n    force group = projects\n",
	.check = check_share_targets,
};

/* ---- SL1039 unknown-account ---------------------------------------------- */

/*
 * Samba looks each entry of these lists up by name when a client connects
 * (token_contains_name): a name that resolves to nothing, or a plain name
 * that is a group, matches no one, and Samba only logs it.
 */
static const struct {
	const char *param;
	const char *effect;   /* what a dead entry does not do */
} acct_lists[] = {
	{"valid users", "lets no one in"},
	{"invalid users", "keeps no one out"},
	{"read list", "makes no one read-only"},
	{"write list", "gives no one write access"},
	{"admin users", "gives no one root rights"},
};

/* Names Samba resolves without the machine's user and group databases: macros, SIDs, domain names. */
static bool acct_not_local(const char *name)
{
	return strchr(name, '%') != NULL || strchr(name, '\\') != NULL || strchr(name, '/') != NULL ||
	    strchr(name, '@') != NULL || strncasecmp(name, "S-1-", 4) == 0;
}

/* Windows' builtin groups, which Samba knows as groups without a Unix group of that name. */
static bool acct_builtin_group(const char *name)
{
	static const char *const builtin[] = {"administrators", "users", "guests", "power users",
	    "account operators", "server operators", "print operators", "backup operators",
	    "replicator", "remote desktop users", "everyone", NULL};
	for (size_t i = 0; builtin[i] != NULL; i++)
		if (strcasecmp(name, builtin[i]) == 0)
			return true;
	return false;
}

static bool netgroup_exists(const char *name)
{
	int ok = setnetgrent(name);
	endnetgrent();
	return ok == 1;
}

/*
 * The machine's answers, asked once per name and kind in a run: a large
 * file repeats the same few groups in every share, and each look-up reads
 * /etc/passwd or /etc/group again.
 */
#define ACCT_MEMO 1024
struct acct_memo {
	char *key[ACCT_MEMO];   /* kind letter + name */
	bool found[ACCT_MEMO];
};

static bool acct_exists(struct acct_memo *m, char kind, const char *name)
{
	size_t len = strlen(name);
	uint32_t h = 2166136261u ^ (unsigned char)kind;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	size_t slot = h % ACCT_MEMO;
	for (size_t probe = 0; probe < 8; probe++, slot = (slot + 1) % ACCT_MEMO) {
		char *k = m->key[slot];
		if (k == NULL)
			break;
		if (k[0] == kind && strcmp(k + 1, name) == 0)
			return m->found[slot];
	}
	bool found = kind == 'u' ? getpwnam(name) != NULL : kind == 'g' ? getgrnam(name) != NULL :
	    netgroup_exists(name);
	if (m->key[slot] == NULL) {
		m->key[slot] = xasprintf("%c%s", kind, name);
		m->found[slot] = found;
	}
	return found;
}

/*
 * What is wrong with one entry (NULL: nothing): '@name' is a netgroup or
 * else a group, '&name' a netgroup, '+name' a group ('+&' and '&+'
 * either), a plain name a user.
 */
static const char *acct_problem(struct acct_memo *m, const char *entry, const char **name)
{
	bool group = false, net = false;
	const char *n = entry;
	if (n[0] == '@') {
		group = net = true;
		n++;
	} else if ((n[0] == '+' && n[1] == '&') || (n[0] == '&' && n[1] == '+')) {
		group = net = true;
		n += 2;
	} else if (n[0] == '+') {
		group = true;
		n++;
	} else if (n[0] == '&') {
		net = true;
		n++;
	}
	*name = n;
	if (*n == '\0' || acct_not_local(n))
		return NULL;
	if (!group && !net) {
		if (acct_exists(m, 'u', n))
			return NULL;
		return acct_exists(m, 'g', n) || acct_builtin_group(n) ?
		    "is a group, not a user: Samba matches a plain name against users only" :
		    "is no user of this machine";
	}
	if ((group && (acct_exists(m, 'g', n) || acct_builtin_group(n))) || (net && acct_exists(m, 'n', n)))
		return NULL;
	return group && net ? "names no group or netgroup of this machine" :
	    group ? "names no group of this machine" : "names no netgroup of this machine";
}

static void check_accounts(struct lint *l)
{
	samba_ver v = ru_ver(l);
	if (!ru_host_checks(l) || !ru_local_accounts(l->cfg, v))
		return;
	struct acct_memo *memo = xcalloc(1, sizeof *memo);
	for (size_t k = 0; k < sizeof acct_lists / sizeof acct_lists[0]; k++) {
		struct ru_groups gs = {0};
		for (size_t i = 0; i < l->cfg->nsections; i++) {
			const struct section *s = l->cfg->sections[i];
			struct ru_eff e;
			if (s->global || !ru_is_share(l->cfg, s, v))
				continue;
			ru_get(l->cfg, s, acct_lists[k].param, v, &e);
			if (e.from != NULL && e.str[0] != '\0')
				ru_group_add(&gs, &e, s, 0);
		}
		for (size_t i = 0; i < gs.n; i++) {
			const struct ru_group *g = &gs.g[i];
			char **list = NULL;
			size_t n = param_list_split(g->e.str, &list), alive = 0;
			char *what = NULL;
			for (size_t j = 0; j < n; j++) {
				const char *name;
				const char *why = acct_problem(memo, list[j], &name);
				if (why == NULL) {
					alive++;
					continue;
				}
				if (what == NULL)
					what = ru_group_shares(g);
				struct finding *f = ru_report_eff(l, g->first, &g->e, "%s: '%s' %s, so the "
				    "entry %s (%s)", acct_lists[k].param, list[j], why, acct_lists[k].effect, what);
				if (list[j][0] != '@' && list[j][0] != '+' && list[j][0] != '&' && acct_exists(memo, 'g', name))
					ru_note(f, "write '@%s' for the members of the group", name);
				if (g->e.inherited)
					ru_note(f, "[global] sets it for every share that does not set its own");
				if (k == 0 && alive == 0 && j + 1 == n)
					ru_note(f, "no entry of 'valid users' names anyone who exists, so every "
					    "connection to %s is refused", what);
			}
			free(what);
			param_list_free(list, n);
		}
		ru_groups_free(&gs);
	}
	for (size_t i = 0; i < ACCT_MEMO; i++)
		free(memo->key[i]);
	free(memo);
}

static const struct rule r_accounts = {
	.code = "SL1039",
	.name = "unknown-account",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "'valid users' and similar lists name users or groups this machine does not have",
	.what = "An entry of 'valid users', 'invalid users', 'read list', 'write list' or "
	    "'admin users' that names no user of this machine, a '@group' or '+group' that "
	    "names no group (nor netgroup), or a plain name that is a group rather than a user. "
	    "Entries with %-macros, domain names, SIDs and Windows builtin groups are skipped. "
	    "Only on a standalone server (security = user) and with host checks: when the file "
	    "is this machine's /etc/samba/smb.conf, or with --host-checks=always.",
	.why = "Samba looks the names up each time a client connects; a name it cannot "
	    "resolve, or a group written without '@', matches no one, and Samba says so only in "
	    "its log. A typo in 'valid users' locks its user out (Windows: \"You do not have "
	    "permission to access\"); one in 'invalid users' or 'read list' lets someone do what "
	    "the line meant to stop.",
	.fix_text = "Correct the name, create the account (useradd, then smbpasswd -a for a "
	    "user), or write '@group' for the members of a group.",
	.workaround = NULL,
	.example = "[projects]\n    path = /srv/projects\n    valid users = alcie, staff\n",
	.check = check_accounts,
};

/* ---- SL1040 dos-charset-utf8 --------------------------------------------- */

static void check_dos_charset(struct lint *l)
{
	const struct config *c = l->cfg;
	const struct param *p = param_get("dos charset");
	for (size_t i = 0; i < c->nassigns; i++) {
		const struct assign *a = &c->assigns[i];
		if (a->param != p || a->status != AS_SET || !param_charset_utf8(a->value) ||
		    ru_repeat_file(c, a->file))
			continue;
		struct finding *f = ru_report_assign(l, a, "dos charset = %s: a DOS code page cannot be "
		    "UTF-8, so Samba logs an error at every start and uses CP850 instead", a->value);
		ru_note(f, "'unix charset' (UTF-8 by default) is the one for file names on disk; "
		    "'dos charset' only serves SMB1 clients that use DOS code pages");
		ru_edit_value(f, a, "CP850");
	}
}

static const struct rule r_dos_charset = {
	.code = "SL1040",
	.name = "dos-charset-utf8",
	.severity = SEV_WARNING,
	.fix = FIX_SAFE,
	.summary = "'dos charset' set to UTF-8, which Samba replaces with CP850",
	.what = "A 'dos charset' line whose value is UTF8 or UTF-8 (in any case).",
	.why = "The DOS character set must be a single- or double-byte DOS code page. Samba "
	    "refuses UTF-8 there: it logs \"invalid DOS charset\" as an ERROR each time it reads "
	    "the file (testparm shows it too) and runs with CP850, its default. The line does "
	    "not do what it says; usually the wish behind it, UTF-8 file names, is what "
	    "'unix charset' already does.",
	.fix_text = "Delete the line, or write the value Samba uses anyway (smblint writes "
	    "'dos charset = CP850', which changes nothing in what smbd does).",
	.workaround = NULL,
	.example = "[global]\n    dos charset = UTF-8\n",
	.check = check_dos_charset,
};

/* ---- SL1041 dead-hosts-entry --------------------------------------------- */

/*
 * Why an entry of 'hosts allow' / 'hosts deny' can match no client
 * (lib/util/access.c: string_match), as an index into hosts_why, or -1.
 * A client is known by its address, and by its name only with 'hostname
 * lookups = yes' (without, the "name" is the address again).
 */
enum { HW_PARTIAL, HW_PREFIX, HW_NAME, HW_N };
static const char *const hosts_why[HW_N] = {
	[HW_PARTIAL] = "neither a whole IPv4 address nor a network ending in '.' (write '192.168.1.' or '192.168.1.0/24')",
	[HW_PREFIX] = "a network whose prefix length is not 0 to 32",
	[HW_NAME] = ("a host or domain name, which Samba compares only with 'hostname lookups = yes' (off by "
	    "default): clients are known by their addresses"),
};

static int hosts_entry_dead(const char *t, bool lookups)
{
	if (t[0] == '@' || strchr(t, ':') != NULL || strchr(t, '*') != NULL || strchr(t, '?') != NULL ||
	    strcasecmp(t, "ALL") == 0 || strcasecmp(t, "FAIL") == 0 || strcasecmp(t, "LOCAL") == 0 ||
	    strcasecmp(t, "EXCEPT") == 0 || t[0] == '[')
		return -1;
	size_t len = strlen(t), dots = 0;
	bool numeric = true;
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)t[i]))
			numeric = false;
	}
	const char *slash = strchr(t, '/');
	if (slash != NULL) {
		const char *m = slash + 1;
		size_t mlen = strlen(m);
		if (mlen == 0 || (mlen <= 2 && (!isdigit((unsigned char)m[0]) ||
		    (mlen == 2 && !isdigit((unsigned char)m[1])) || atoi(m) > 32)))
			return HW_PREFIX;
		return -1;
	}
	if (numeric)
		return t[len - 1] == '.' || dots == 3 ? -1 : HW_PARTIAL;
	return lookups ? -1 : HW_NAME;
}

static bool nonempty_value(const char *canon)
{
	return canon[0] != '\0';
}

static void check_hosts_entries(struct lint *l)
{
	static const char *const params[] = {"hosts allow", "hosts deny"};
	const struct config *c = l->cfg;
	samba_ver v = ru_ver(l);
	struct ru_eff look;
	bool lookups = ru_bool(c, NULL, "hostname lookups", v, &look);
	const struct section *g = config_global(c);

	for (int k = 0; k < 2; k++) {
		if (!ru_any_line(l, params[k], nonempty_value))
			continue;   /* no line sets it: no share has it */
		struct ru_groups gs = {0};
		for (size_t i = 0; i < c->nsections; i++) {
			const struct section *s = c->sections[i];
			struct ru_eff e;
			if (!s->global && !ru_is_share(c, s, v))
				continue;
			ru_get(c, s->global ? NULL : s, params[k], v, &e);
			if (e.from == NULL || e.str[0] == '\0' || (!s->global && e.from->section == g))
				continue;
			ru_group_add(&gs, &e, s, 0);
		}
		for (size_t i = 0; i < gs.n; i++) {
			const struct ru_group *gr = &gs.g[i];
			char **list = NULL;
			size_t n = param_list_split(gr->e.str, &list), alive = 0, dead = 0;
			/* the dead entries by reason, before EXCEPT [0] and after it [1] (they take clients out again) */
			struct sbuf names[HW_N][2] = {{{0}}};
			bool except = false;
			for (size_t j = 0; j < n; j++) {
				if (strcasecmp(list[j], "EXCEPT") == 0) {
					except = true;
					continue;
				}
				int why = hosts_entry_dead(list[j], lookups);
				/* loopback is admitted whatever 'hosts allow' says: a 'localhost' there does no harm */
				if (why == HW_NAME && k == 0 && !except && strcasecmp(list[j], "localhost") == 0)
					why = -1;
				if (why < 0) {
					alive += !except;
					continue;
				}
				dead += !except;
				struct sbuf *b = &names[why][except];
				sbuf_addf(b, "%s'%s'", b->len ? ", " : "", list[j]);
			}
			char *where = gr->first->global ? xstrdup("every share") : ru_group_shares(gr);
			for (int w = 0; w < HW_N; w++)
				for (int x = 0; x < 2; x++) {
					if (names[w][x].len == 0)
						continue;
					bool several = strchr(names[w][x].s, ',') != NULL;
					struct finding *f = ru_report_eff(l, gr->first->global ? NULL : gr->first, &gr->e,
					    "%s: %s %s %s, so %s no client", params[k], names[w][x].s,
					    several ? "are each" : "is", hosts_why[w], several ? "they match" : "it matches");
					bool admits = (k == 0) != (x == 1);
					ru_note(f, admits ? "clients meant to be admitted to %s are refused" :
					    "clients meant to be kept out of %s are let in", where);
					if (k == 0 && x == 0 && alive == 0 && dead > 0)
						ru_note(f, "no entry of this 'hosts allow' matches anyone: %s refuses every "
						    "client but this machine itself", where);
					sbuf_free(&names[w][x]);
				}
			free(where);
			param_list_free(list, n);
		}
		ru_groups_free(&gs);
	}
}

static const struct rule r_hosts_entries = {
	.code = "SL1041",
	.name = "dead-hosts-entry",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "An entry of 'hosts allow' or 'hosts deny' that can match no client",
	.what = "An entry of 'hosts allow' or 'hosts deny' (in [global] or a share) that Samba's "
	    "matching never applies: part of an IPv4 address without the closing dot "
	    "('192.168.1'), a network with a prefix length outside 0-32, or a host or domain name "
	    "while 'hostname lookups' is off.",
	.why = "Samba compares each entry with the client's address (and its name, only when "
	    "'hostname lookups = yes'); '192.168.1.' and '192.168.1.0/24' mean a network, "
	    "'192.168.1' means a host literally called that. testparm accepts all of these. A "
	    "dead 'hosts allow' entry refuses the clients it was written for; a dead 'hosts "
	    "deny' entry lets in the ones it was meant to stop.",
	.fix_text = "Write networks as '192.168.1.' or '192.168.1.0/24', and hosts by address "
	    "(or set 'hostname lookups = yes', which costs a DNS look-up per connection).",
	.workaround = NULL,
	.example = "[global]\n    hosts allow = 127.0.0.1 192.168.1 nas-admin.lan\n",
	.check = check_hosts_entries,
};

/* ---- SL1042 ineffective-setting ------------------------------------------ */

/* map hidden / map system keep the attribute in an execute bit, which the masks may take away or force on. */
static void check_dos_bit(struct lint *l, struct ru_said *sd, const struct section *s, const char *param,
    unsigned long bit, const char *attribute)
{
	const struct config *c = l->cfg;
	samba_ver v = ru_ver(l);
	struct ru_eff on, mask, force;
	if (!ru_bool(c, s, param, v, &on) || on.from == NULL)
		return;
	ru_get(c, s, "create mask", v, &mask);
	if (!(strtoul(mask.str, NULL, 8) & bit) && !ru_said_before(sd, on.from, (int)bit)) {
		struct finding *f = ru_report_eff(l, s, &on, "%s = yes has no effect in %s[%s]: Samba keeps the %s "
		    "attribute in the execute bit %04lo, which 'create mask = %s' takes away", param,
		    on.inherited ? "shares such as " : "", s->name, attribute, bit, mask.str);
		ru_note(f, "add %04lo to the create mask, or set 'store dos attributes = yes' (the default), "
		    "which keeps DOS attributes in extended attributes instead", bit);
	}
	ru_get(c, s, "force create mode", v, &force);
	if ((strtoul(force.str, NULL, 8) & bit) && force.from != NULL && !ru_said_before(sd, force.from, (int)bit)) {
		struct finding *f = ru_report_eff(l, s, &force, "force create mode = %s sets the execute bit %04lo "
		    "on every new file in %s[%s], and with '%s = yes' Windows then sees every file as %s",
		    force.str, bit, force.inherited ? "shares such as " : "", s->name, param, attribute);
		ru_note(f, "take %04lo out of the force create mode", bit);
	}
}

static void check_ineffective(struct lint *l)
{
	const struct config *c = l->cfg;
	samba_ver v = ru_ver(l);
	bool maps = ru_any_line(l, "map hidden", ru_is_yes) || ru_any_line(l, "map system", ru_is_yes);
	bool level2 = ru_any_line(l, "level2 oplocks", ru_is_yes);
	bool printcmd = ru_any_line(l, "print command", nonempty_value);
	bool wide = ru_any_line(l, "wide links", ru_is_yes);
	struct ru_said sd = {0};
	if (!maps && !level2 && !printcmd && !wide)
		return;
	/* Samba turns wide links off while SMB1 UNIX extensions are on, unless told it may (lp_widelinks) */
	struct ru_eff ux, insecure;
	if (wide)
		wide = ru_bool(c, NULL, "smb1 unix extensions", v, &ux) &&
		    !ru_bool(c, NULL, "allow insecure wide links", v, &insecure);
	for (size_t i = 1; i < c->nsections; i++) {
		const struct section *s = c->sections[i];
		struct ru_eff e, o;
		if (!ru_is_share(c, s, v))
			continue;
		if (level2 && ru_bool(c, s, "level2 oplocks", v, &e) && e.from != NULL &&
		    !ru_bool(c, s, "oplocks", v, &o) && !ru_said_before(&sd, e.from, 0))
			ru_report_eff(l, s, &e, "level2 oplocks = yes has no effect in %s[%s]: level II oplocks "
			    "are a kind of oplock, and 'oplocks = %s' turns them all off",
			    e.inherited ? "shares such as " : "", s->name, o.str);
		if (wide && ru_bool(c, s, "wide links", v, &e) && e.from != NULL && !ru_said_before(&sd, e.from, 2)) {
			const char *uxname = v >= 41700 ? "smb1 unix extensions" : "unix extensions";
			struct finding *f = ru_report_eff(l, s, &e, "wide links = yes has no effect in %s[%s]: Samba "
			    "switches wide links off while '%s' is on%s, so symbolic links leading out of the share "
			    "do not open (NT_STATUS_OBJECT_PATH_NOT_FOUND)",
			    e.inherited ? "shares such as " : "", s->name, uxname, ux.from ? "" : " (the default)");
			ru_note(f, "set '%s = no' in [global] unless old Linux clients mount over SMB1 with "
			    "UNIX extensions; 'allow insecure wide links = yes' would let such clients create "
			    "links to anywhere", uxname);
		}
		if (maps && !ru_bool(c, s, "store dos attributes", v, &e)) {
			check_dos_bit(l, &sd, s, "map hidden", 01, "hidden");
			check_dos_bit(l, &sd, s, "map system", 010, "system");
		}
		if (printcmd) {
			ru_get(c, s, "print command", v, &e);
			if (e.from != NULL && e.str[0] != '\0' && ru_enum(c, s, "printing", v, &o) >= 0 &&
			    strcasecmp(o.str, "cups") == 0 && ru_bool(c, s, "printable", v, &o) &&
			    !ru_said_before(&sd, e.from, 1)) {
				struct finding *f = ru_report_eff(l, s, &e, "print command has no effect in %s[%s]: "
				    "with 'printing = cups' Samba hands jobs to CUPS through its library and never "
				    "runs the command", e.inherited ? "printers such as " : "", s->name);
				ru_note(f, "delete the line, or set 'printing = bsd' (or another non-CUPS system) if the command is wanted");
			}
		}
	}
	ru_said_free(&sd);
}

static const struct rule r_ineffective = {
	.code = "SL1042",
	.name = "ineffective-setting",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A share setting that another setting of the share cancels",
	.what = "Combinations testparm calls invalid, reported at the line that does not work: "
	    "'level2 oplocks = yes' with 'oplocks = no'; 'map hidden' or 'map system' (with "
	    "'store dos attributes = no') whose execute bit the create mask removes, or which "
	    "'force create mode' sets on every file; a 'print command' on a printer that prints "
	    "through CUPS. Also one testparm does not mention: 'wide links = yes' while 'smb1 unix "
	    "extensions' is on (the default) and 'allow insecure wide links' is not.",
	.why = "Samba accepts each line, but the share does not behave as it reads: the attribute "
	    "is never stored (or every file carries it), the oplock setting changes nothing, the "
	    "command never runs. testparm names the share but not the line.",
	.fix_text = "Remove the line that has no effect, or change the setting that cancels it.",
	.workaround = NULL,
	.example = "[data]\n    path = /srv/data\n    store dos attributes = no\n    map hidden = yes\n"
	    "    create mask = 0644\n",
	.check = check_ineffective,
};

/* ---- SL1043 socket-options ----------------------------------------------- */

/* The options smbd on Linux can set (lib/util/util_net.c); names compare ignoring case. */
static const char *const sockopt_known[] = {
	"SO_KEEPALIVE", "SO_REUSEADDR", "SO_BROADCAST", "TCP_NODELAY", "TCP_KEEPCNT",
	"TCP_KEEPIDLE", "TCP_KEEPINTVL", "IPTOS_LOWDELAY", "IPTOS_THROUGHPUT", "SO_REUSEPORT",
	"SO_SNDBUF", "SO_RCVBUF", "SO_SNDLOWAT", "SO_RCVLOWAT", "SO_SNDTIMEO", "SO_RCVTIMEO",
	"TCP_QUICKACK", "TCP_DEFER_ACCEPT", "TCP_USER_TIMEOUT",
};

enum { SOCK_OK, SOCK_BUF, SOCK_LOWAT, SOCK_UNKNOWN };

/* What an item of 'socket options' ("NAME" or "NAME=value", quotes already gone) does. */
static int sockopt_kind(const char *item)
{
	size_t n = strcspn(item, "=");
	for (size_t i = 0; i < sizeof sockopt_known / sizeof sockopt_known[0]; i++)
		if (strlen(sockopt_known[i]) == n && strncasecmp(sockopt_known[i], item, n) == 0)
			return i == 10 || i == 11 ? SOCK_BUF : i == 12 || i == 13 ? SOCK_LOWAT : SOCK_OK;
	return SOCK_UNKNOWN;
}

static void check_socket_options(struct lint *l)
{
	struct ru_eff e;
	ru_get(l->cfg, NULL, "socket options", ru_ver(l), &e);
	if (e.from == NULL)
		return;
	/* Items as smbd splits them: at blanks and commas, a double quote grouping (and vanishing). */
	const char *v = e.from->value;
	struct sbuf kept = {0}, bad[4] = {{0}};
	bool quoted = strchr(v, '"') != NULL;
	size_t nbad = 0;
	for (const char *p = v; *p;) {
		if (*p == ' ' || *p == '\t' || *p == ',') {
			p++;
			continue;
		}
		const char *start = p;
		struct sbuf item = {0};
		bool inq = false;
		for (; *p && (inq || (*p != ' ' && *p != '\t' && *p != ',')); p++)
			if (*p == '"')
				inq = !inq;
			else
				sbuf_add(&item, p, 1);
		int k = sockopt_kind(sbuf_str(&item));
		if (k == SOCK_OK) {
			sbuf_addf(&kept, "%s%.*s", kept.len ? " " : "", (int)(p - start), start);
		} else {
			sbuf_addf(&bad[k], "%s%s", bad[k].len ? " " : "", sbuf_str(&item));
			nbad++;
		}
		sbuf_free(&item);
	}
	if (nbad > 0) {
		struct finding *f;
		if ((bad[SOCK_BUF]).len)
			f = ru_report_eff(l, NULL, &e, "socket options fixes TCP buffer sizes (%s): Linux then "
			    "stops sizing the buffers of every client connection to the link, and no connection "
			    "can have more data in flight than they hold, which caps file transfers on fast or "
			    "distant networks", sbuf_str(&bad[SOCK_BUF]));
		else if ((bad[SOCK_LOWAT]).len)
			f = ru_report_eff(l, NULL, &e, "socket options sets low-water marks (%s): Linux refuses "
			    "SO_SNDLOWAT, and SO_RCVLOWAT makes smbd wait for that many bytes before it reads a "
			    "request", sbuf_str(&bad[SOCK_LOWAT]));
		else
			f = ru_report_eff(l, NULL, &e, "socket options names %s that smbd does not know: it "
			    "logs \"Unknown socket option\" for every connection and ignores %s",
			    sbuf_str(&bad[SOCK_UNKNOWN]), strchr(sbuf_str(&bad[SOCK_UNKNOWN]), ' ') ? "them" : "it");
		if ((bad[SOCK_BUF]).len && (bad[SOCK_LOWAT]).len)
			ru_note(f, "the low-water marks (%s) do no good either: Linux refuses SO_SNDLOWAT, and "
			    "SO_RCVLOWAT makes smbd wait for that many bytes before it reads a request",
			    sbuf_str(&bad[SOCK_LOWAT]));
		if ((bad[SOCK_UNKNOWN]).len && ((bad[SOCK_BUF]).len || (bad[SOCK_LOWAT]).len))
			ru_note(f, "smbd does not know %s: it logs \"Unknown socket option\" for every "
			    "connection and ignores it", sbuf_str(&bad[SOCK_UNKNOWN]));
		const char *fixed = kept.len ? sbuf_str(&kept) : "TCP_NODELAY";
		if (quoted)
			ru_note(f, "not fixed automatically: the value holds quotes; keep only the other "
			    "options (TCP_NODELAY, the default, is usually all that is needed)");
		else if (ru_edit_value(f, e.from, fixed))
			ru_note(f, "the fix keeps the other options: 'socket options = %s'%s", fixed,
			    kept.len ? "" : " (Samba's default)");
	}
	sbuf_free(&kept);
	for (size_t i = 0; i < 4; i++)
		sbuf_free(&bad[i]);
}

static const struct rule r_socket_options = {
	.code = "SL1043",
	.name = "socket-options",
	.severity = SEV_WARNING,
	.fix = FIX_SAFE,
	.summary = "'socket options' with fixed buffer sizes, low-water marks or unknown names",
	.what = "The 'socket options' line in effect sets SO_SNDBUF or SO_RCVBUF, SO_SNDLOWAT or "
	    "SO_RCVLOWAT (testparm prints a long warning for these), or names an option smbd does "
	    "not know.",
	.why = "Old tuning guides recommended 'SO_RCVBUF=8192 SO_SNDBUF=8192'. On Linux a fixed "
	    "buffer size switches off the kernel's auto-tuning, which grows the buffers of a busy "
	    "connection to megabytes: with fixed small buffers a client copies files far slower "
	    "than the network allows, and large ones are cut down to net.core.rmem_max and "
	    "wmem_max anyway. Linux refuses SO_SNDLOWAT; SO_RCVLOWAT delays smbd's reads. "
	    "Unknown names are logged at every connection and ignored.",
	.fix_text = "Keep only options that help; 'socket options = TCP_NODELAY' (the default) "
	    "suits almost every server. smblint removes the other items and keeps the rest.",
	.workaround = NULL,
	.example = "[global]\n    socket options = TCP_NODELAY SO_RCVBUF=8192 SO_SNDBUF=8192\n",
	.check = check_socket_options,
};

/* ---- SL1045 server-directory-missing -------------------------------------- */

/*
 * Checked with smbd 4.17: it makes the lock, state, cache and ncalrpc
 * directories when they are missing, one level only (mkdir), and exits when
 * that fails; the private directory it never makes, and it exits when
 * secrets.tdb cannot be opened there.  (A pid directory it cannot make only
 * costs the pid file: smbd runs on.)
 */
static void check_server_dirs(struct lint *l)
{
	static const char *const made[] = {"lock directory", "state directory", "cache directory", "ncalrpc dir"};
	samba_ver v = ru_ver(l);
	if (!ru_host_checks(l))
		return;
	for (size_t k = 0; k <= sizeof made / sizeof made[0]; k++) {
		bool priv = k == sizeof made / sizeof made[0];
		struct ru_eff e;
		ru_get(l->cfg, NULL, priv ? "private dir" : made[k], v, &e);
		const char *d = e.str;
		if (e.from == NULL || d[0] != '/' || strchr(d, '%') != NULL)
			continue;   /* the built-in default, relative, or per connection */
		struct stat st;
		if (stat(d, &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				ru_report_eff(l, NULL, &e, "%s = %s is a file, not a folder, on this machine: "
				    "smbd cannot keep its databases there and will not start", param_name(e.param), d);
			continue;
		}
		if (priv) {
			struct finding *f = ru_report_eff(l, NULL, &e, "private dir = %s does not exist on this "
			    "machine: smbd does not create it, cannot open secrets.tdb there and will not start", d);
			ru_note(f, "create it (mode 0700, owned by root) or point the line at the existing one");
			continue;
		}
		/* the parent: the path without its last component (and trailing slashes) */
		char *parent = xstrdup(d);
		size_t n = strlen(parent);
		while (n > 1 && parent[n - 1] == '/')
			parent[--n] = '\0';
		char *slash = strrchr(parent, '/');
		if (slash != NULL)
			slash[slash == parent ? 1 : 0] = '\0';
		if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)) {
			struct finding *f = ru_report_eff(l, NULL, &e, "%s = %s: neither it nor %s exists on this "
			    "machine, and smbd creates only the last folder of the path, so it will not start",
			    param_name(e.param), d, parent);
			ru_note(f, "create the folders (mkdir -p %s) or correct the path", d);
		}
		free(parent);
	}
}

static const struct rule r_server_dirs = {
	.code = "SL1045",
	.name = "server-directory-missing",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "A folder smbd keeps its databases in is missing and cannot be created",
	.what = "A 'private dir' that does not exist, or a 'lock directory', 'state directory', "
	    "'cache directory' or 'ncalrpc dir' whose parent folder does not exist (or that is "
	    "a file). Only lines of the file count, not the built-in defaults; values with "
	    "%-macros and relative paths are skipped. Only with host checks: when the file is "
	    "this machine's /etc/samba/smb.conf, or with --host-checks=always.",
	.why = "smbd creates a missing lock, state, cache or ncalrpc directory itself, but only "
	    "one level deep; when that fails it exits at start. It never creates the private "
	    "directory and exits when it cannot open secrets.tdb there. testparm reports a "
	    "missing directory even where smbd would create it, and says nothing about the "
	    "private directory.",
	.fix_text = "Create the folders (the private one with mode 0700), or correct the path.",
	.workaround = NULL,
	.example = "[global]\n    state directory = /srv/samba/state/main\n",
	.check = check_server_dirs,
};

/* ---- SL1046 vfs-module-unknown / SL1047 vfs-module-missing ------------------ */

/*
 * The VFS modules Samba ships: the names its source3/modules/wscript_build
 * builds at each 4.x.0 release from 4.0 to 4.24, with the release that
 * brought each (0: 4.0 or earlier) and the one that no longer has it (0:
 * still there).  vfs_not_implemented registers under that very name.
 * Checked with smbd 4.17: a name it cannot load (a typo, 'vfs_recycle',
 * 'Recycle', a module not installed) fails every tree connect to the share
 * with BAD_NETWORK_NAME; names are compared exactly.
 */
/* Debian's multiarch folder name for this machine (module folders are /usr/lib/<it>/samba). */
#if defined(__x86_64__)
#define VFS_MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define VFS_MULTIARCH "aarch64-linux-gnu"
#elif defined(__i386__)
#define VFS_MULTIARCH "i386-linux-gnu"
#elif defined(__arm__)
#define VFS_MULTIARCH "arm-linux-gnueabihf"
#else
#define VFS_MULTIARCH "."
#endif

static const struct vfs_module {
	const char *name;
	samba_ver since, gone;
} vfs_modules[] = {
	{"acl_tdb", 0, 0},
	{"acl_xattr", 0, 0},
	{"afsacl", 0, 0},
	{"aio_fork", 0, 0},
	{"aio_linux", 0, 40800},
	{"aio_posix", 0, 40400},
	{"aio_pthread", 0, 0},
	{"aio_ratelimit", 42400, 0},
	{"aixacl", 0, 0},
	{"aixacl2", 0, 0},
	{"audit", 0, 0},
	{"btrfs", 40100, 0},
	{"cacheprime", 0, 0},
	{"cap", 0, 0},
	{"catia", 0, 0},
	{"ceph", 40100, 0},
	{"ceph_new", 42100, 0},
	{"ceph_snapshots", 41100, 0},
	{"commit", 0, 0},
	{"crossrename", 0, 0},
	{"default", 0, 0},
	{"default_quota", 0, 0},
	{"delay_inject", 40900, 0},
	{"dfs_samba4", 0, 0},
	{"dirsort", 0, 0},
	{"error_inject", 40800, 0},
	{"expand_msdfs", 0, 0},
	{"extd_audit", 0, 0},
	{"fake_acls", 0, 0},
	{"fake_dfq", 40400, 0},
	{"fake_perms", 0, 0},
	{"fileid", 0, 0},
	{"fruit", 40200, 0},
	{"full_audit", 0, 0},
	{"glusterfs", 40100, 0},
	{"glusterfs_fuse", 41000, 0},
	{"gpfs", 0, 0},
	{"hpuxacl", 0, 0},
	{"io_uring", 41200, 0},
	{"irixacl", 0, 40100},
	{"linux_xfs_sgid", 0, 0},
	{"media_harmony", 0, 0},
	{"netatalk", 0, 41200},
	{"nfs4acl_xattr", 40100, 0},
	{"vfs_not_implemented", 41000, 0},
	{"notify_fam", 0, 40300},
	{"offline", 40400, 0},
	{"posix_eadb", 0, 0},
	{"posixacl", 0, 0},
	{"prealloc", 0, 0},
	{"preopen", 0, 0},
	{"readahead", 0, 0},
	{"readonly", 0, 0},
	{"recycle", 0, 0},
	{"scannedonly", 0, 40400},
	{"shadow_copy", 0, 0},
	{"shadow_copy2", 0, 0},
	{"shell_snap", 40300, 0},
	{"smb_traffic_analyzer", 0, 40400},
	{"snapper", 40200, 0},
	{"solarisacl", 0, 0},
	{"streams_depot", 0, 0},
	{"streams_xattr", 0, 0},
	{"syncops", 0, 0},
	{"time_audit", 0, 0},
	{"tru64acl", 0, 41500},
	{"tsmsm", 0, 0},
	{"unityed_media", 40300, 0},
	{"virusfilter", 40800, 0},
	{"vxfs", 40200, 0},
	{"widelinks", 41300, 0},
	{"worm", 40200, 0},
	{"xattr_tdb", 0, 0},
	{"zfsacl", 0, 0},
};

static const struct vfs_module *vfs_module_find(const char *name)
{
	for (size_t i = 0; i < sizeof vfs_modules / sizeof vfs_modules[0]; i++)
		if (strcmp(vfs_modules[i].name, name) == 0)
			return &vfs_modules[i];
	return NULL;
}

/* The closest module name (the 'vfs_' prefix and case count as close), or NULL. */
static const char *vfs_module_guess(const char *name, samba_ver v)
{
	const char *best = NULL;
	size_t bestd = strlen(name) <= 4 ? 1 : 2;
	const char *bare = strncasecmp(name, "vfs_", 4) == 0 ? name + 4 : name;
	for (size_t i = 0; i < sizeof vfs_modules / sizeof vfs_modules[0]; i++) {
		const struct vfs_module *m = &vfs_modules[i];
		if ((m->since && v < m->since) || (m->gone && v >= m->gone))
			continue;
		if (strcasecmp(bare, m->name) == 0)
			return m->name;
		size_t d = edit_distance(bare, m->name);
		if (d <= bestd && (best == NULL || d < bestd)) {
			best = m->name;
			bestd = d;
		}
	}
	return best;
}

/*
 * Where this machine's smbd loads a module from.  The usual module folders
 * first; when the name is in none of them, smbd -b (run once) tells its
 * module folder and the modules built into it.  0: loadable; 1: not
 * installed (*dir: the folder looked in); -1: cannot tell (no smbd, or
 * running programs is not allowed: lint_opts.no_programs).
 */
struct vfs_host {
	bool asked;
	char *moddir;          /* smbd -b: MODULESDIR + "/vfs", or NULL */
	char *builtin;         /* smbd -b: " vfs_a vfs_b " */
};

static void vfs_host_ask(struct vfs_host *h, bool may_run)
{
	h->asked = true;
	pid_t pid;
	int fd = may_run ? smbd_spawn_read("-b", &pid) : -1;
	FILE *p = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (p == NULL) {
		if (fd >= 0) {
			close(fd);
			smbd_spawn_wait(pid);
		}
		return;
	}
	char line[4096];
	bool inbuiltin = false;
	struct sbuf b = {0};
	while (fgets(line, sizeof line, p) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		const char *t = line + strspn(line, " \t");
		if (strncmp(t, "MODULESDIR: ", 12) == 0 && h->moddir == NULL)
			h->moddir = xasprintf("%s/vfs", t + 12);
		else if (strcmp(t, "Builtin modules:") == 0)
			inbuiltin = true;
		else if (inbuiltin && *t != '\0')
			sbuf_addf(&b, " %s ", t);
		else
			inbuiltin = false;
	}
	fclose(p);
	if (smbd_spawn_wait(pid) == 0 && h->moddir != NULL)
		h->builtin = sbuf_take(&b);
	sbuf_free(&b);
}

static int vfs_host_has(struct vfs_host *h, const char *name, const char **dir, bool may_run)
{
	struct stat st;
	*dir = NULL;
	if (name[0] == '/')
		return stat(name, &st) == 0 ? 0 : 1;
	if (strcmp(name, "default") == 0)
		return 0;   /* built into every smbd */
	if (strchr(name, '/') != NULL)
		return -1;  /* a relative path: from smbd's working directory */
	static const char *const dirs[] = {"/usr/lib/" VFS_MULTIARCH "/samba/vfs", "/usr/lib64/samba/vfs",
	    "/usr/lib/samba/vfs", "/usr/local/samba/lib/vfs"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char *f = xasprintf("%s/%s.so", dirs[i], name);
		int r = stat(f, &st);
		free(f);
		if (r == 0)
			return 0;
	}
	if (!h->asked)
		vfs_host_ask(h, may_run);
	if (h->builtin == NULL)
		return -1;
	char *key = xasprintf(" %s%s ", strncmp(name, "vfs_", 4) == 0 ? "" : "vfs_", name);
	bool builtin = strstr(h->builtin, key) != NULL;
	free(key);
	if (builtin)
		return 0;
	char *f = xasprintf("%s/%s.so", h->moddir, name);
	int r = stat(f, &st);
	free(f);
	*dir = h->moddir;
	return r == 0 ? 0 : 1;
}

/* Why a module name is not one Samba v ships (NULL: it is); into buf. */
static const char *vfs_unknown_why(const char *name, samba_ver v, char *buf, size_t n)
{
	const struct vfs_module *m = vfs_module_find(name);
	if (name[0] == '/')
		return NULL;
	if (m == NULL)
		return "no Samba release ships a module of that name";
	if (m->gone && v >= m->gone)
		snprintf(buf, n, "Samba %u.%u removed it", m->gone / 10000, m->gone / 100 % 100);
	else if (m->since && v < m->since)
		snprintf(buf, n, "it arrived in Samba %u.%u", m->since / 10000, m->since / 100 % 100);
	else
		return NULL;
	return buf;
}

static void check_vfs_modules(struct lint *l, bool host)
{
	const struct config *c = l->cfg;
	samba_ver v = ru_ver(l);
	if (host != ru_host_checks(l) || !ru_any_line(l, "vfs objects", nonempty_value))
		return;
	struct ru_groups gs = {0};
	for (size_t i = 0; i < c->nsections; i++) {
		const struct section *s = c->sections[i];
		struct ru_eff e;
		if (s->global || !ru_is_share(c, s, v))
			continue;
		ru_get(c, s, "vfs objects", v, &e);
		if (e.from != NULL && e.str[0] != '\0')
			ru_group_add(&gs, &e, s, 0);
	}
	struct vfs_host h = {0};
	for (size_t i = 0; i < gs.n; i++) {
		const struct ru_group *g = &gs.g[i];
		char **items;
		size_t n = param_list_split(g->e.str, &items);
		for (size_t k = 0; k < n; k++) {
			const char *name = items[k], *dir = NULL, *guess;
			char why[64];
			const char *unknown = vfs_unknown_why(name, v, why, sizeof why);
			if (name[0] == '\0' || name[0] == '+' || name[0] == '-')
				continue;   /* SL1024's */
			if (!host && unknown == NULL)
				continue;
			if (host && vfs_host_has(&h, name, &dir, !l->opts || !l->opts->no_programs) != 1)
				continue;
			char *what = ru_group_shares(g);
			struct finding *f;
			if (host) {
				char *where = dir ? xasprintf(" (no %s.so in %s, and not built in)", name, dir) : xstrdup("");
				f = ru_report_eff(l, g->first, &g->e, "vfs objects: smbd on this machine has no module "
				    "'%s'%s: every connection to %s fails (Windows: \"The network name cannot be "
				    "found\")", name, where, what);
				free(where);
			} else {
				f = ru_report_eff(l, g->first, &g->e, "vfs objects names '%s', but %s: unless a "
				    "module of that name is installed on the server, every connection to %s fails "
				    "(Windows: \"The network name cannot be found\")", name, unknown, what);
			}
			if ((guess = vfs_module_guess(name, v)) != NULL && strcmp(guess, name) != 0)
				ru_note(f, "did you mean '%s'? Module names are exact: no 'vfs_' prefix, lower case", guess);
			else if (host && unknown == NULL && name[0] != '/')
				ru_note(f, "it is one of Samba's own modules: on Debian and Ubuntu it comes with the "
				    "samba-vfs-modules package");
			else if (host && unknown != NULL)
				ru_note(f, "%s", unknown);
			if (g->e.inherited)
				ru_note(f, "[global] sets it for every share that does not set its own");
			free(what);
		}
		param_list_free(items, n);
	}
	free(h.moddir);
	free(h.builtin);
	ru_groups_free(&gs);
}

static void check_vfs_unknown(struct lint *l)
{
	check_vfs_modules(l, false);
}

static void check_vfs_missing(struct lint *l)
{
	check_vfs_modules(l, true);
}

static const struct rule r_vfs_unknown = {
	.code = "SL1046",
	.name = "vfs-module-unknown",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "'vfs objects' names a module the chosen Samba version does not ship",
	.what = "An item of a share's 'vfs objects' that is not one of the VFS modules of the "
	    "chosen Samba release: a typo ('fruti', 'recyle'), a written 'vfs_' prefix or upper "
	    "case ('vfs_fruit', 'Recycle'), a module removed in an earlier release or added in "
	    "a later one. Without host checks only; with them SL1047 looks at what this "
	    "machine has instead.",
	.why = "smbd loads each module of the list when a client connects to the share; when "
	    "one cannot be loaded, smbd refuses the connection and Windows shows \"The network "
	    "name cannot be found\". testparm does not look at the names. A third-party module "
	    "installed on the server is fine.",
	.fix_text = "Correct the name (module names are exact and lower case), or remove it.",
	.workaround = NULL,
	.example = "[timemachine]\n    path = /srv/tm\n    vfs objects = catia fruti streams_xattr\n",
	.check = check_vfs_unknown,
};

static const struct rule r_vfs_missing = {
	.code = "SL1047",
	.name = "vfs-module-missing",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "'vfs objects' names a module this machine's smbd cannot load",
	.what = "An item of a share's 'vfs objects' that is neither built into this machine's "
	    "smbd nor installed in its module folder (smbd -b tells both). Only with host "
	    "checks: when the file is this machine's /etc/samba/smb.conf, or with "
	    "--host-checks=always; nothing is said when smbd is not installed.",
	.why = "Every connection to the share fails (BAD_NETWORK_NAME; Windows: \"The network "
	    "name cannot be found\") while smbd and testparm are content. A common cause: "
	    "Debian and Ubuntu put vfs_fruit, recycle, shadow_copy2 and the other modules in "
	    "the samba-vfs-modules package, which a minimal install (containers, "
	    "--no-install-recommends) leaves out.",
	.fix_text = "Install the module (Debian, Ubuntu: apt-get install samba-vfs-modules), or "
	    "correct or remove the name.",
	.workaround = NULL,
	.example = "[timemachine]\n    path = /srv/tm\n    vfs objects = catia fruit streams_xatr\n",
	.check = check_vfs_missing,
};

/* ---- SL1048 client-protocol-range ------------------------------------------ */

/* The dialect a protocol parameter stands for; *def: it is the version's default. */
static enum dialect client_dialect(const struct ru_eff *e, bool is_min, samba_ver v, enum dialect dflt)
{
	enum dialect d = ru_dialect(e->str, is_min, v);
	return d != D_NONE ? d : dflt;
}

static void check_client_protocols(struct lint *l)
{
	const struct config *c = l->cfg;
	samba_ver v = ru_ver(l);
	struct ru_eff emin, emax, imin, imax;
	ru_get(c, NULL, "client min protocol", v, &emin);
	ru_get(c, NULL, "client max protocol", v, &emax);
	ru_get(c, NULL, "client ipc min protocol", v, &imin);
	ru_get(c, NULL, "client ipc max protocol", v, &imax);
	if (emin.from == NULL && emax.from == NULL && imin.from == NULL && imax.from == NULL)
		return;
	enum dialect vdef = ru_dialect(param_default_for(emin.param, v), true, v);
	enum dialect dmin = client_dialect(&emin, true, v, vdef != D_NONE ? vdef : v >= 41100 ? D_SMB2_02 : D_CORE);
	enum dialect dmax = client_dialect(&emax, false, v, D_SMB3_11);
	if (dmax < dmin && (emin.from != NULL || emax.from != NULL)) {
		const struct ru_eff *at = emax.from != NULL ? &emax : &emin;
		struct finding *f = ru_report_eff(l, NULL, at, "client max protocol = %s is below client min "
		    "protocol (%s%s): smbclient, smbcacls and the other Samba client tools on this machine "
		    "offer no dialect, so they reach no server (testparm only logs 'Max protocol %s is less "
		    "than min protocol %s')", emax.from ? ru_as_written(&emax) : ru_dialect_name(dmax), ru_dialect_name(dmin),
		    emin.from ? "" : ", the default", ru_dialect_name(dmax), ru_dialect_name(dmin));
		if (dmax <= D_NT1)
			ru_note(f, "to reach a device that only speaks SMB1, set 'client min protocol = NT1' as "
			    "well (SMB1 is insecure: only for that device); otherwise delete the line");
	}
	/* The ipc pair: its minimum follows 'client min protocol', and neither goes below NT1 (loadparm.c). */
	enum dialect ipmin = client_dialect(&imin, true, v, dmin), ipmax = client_dialect(&imax, false, v, D_SMB3_11);
	if (ipmin < D_NT1)
		ipmin = D_NT1;
	if (ipmax < D_NT1)
		ipmax = D_NT1;
	if (ipmax < ipmin && (imin.from != NULL || imax.from != NULL)) {
		const struct ru_eff *at = imax.from != NULL ? &imax : &imin;
		ru_report_eff(l, NULL, at, "client ipc max protocol = %s is below client ipc min protocol "
		    "(%s%s): winbindd, net and smbd offer no dialect when they connect to domain controllers "
		    "and other servers for RPC, so a domain member cannot reach its domain controllers",
		    imax.from ? ru_as_written(&imax) : ru_dialect_name(ipmax), ru_dialect_name(ipmin),
		    imin.from ? "" : emin.from ? ", from client min protocol" : ", the default");
	}
}

static const struct rule r_client_protocols = {
	.code = "SL1048",
	.name = "client-protocol-range",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "Samba's own client may use no protocol: its maximum is below its minimum",
	.what = "'client max protocol' below 'client min protocol' (whose default became SMB2_02 "
	    "in Samba 4.11), or 'client ipc max protocol' below 'client ipc min protocol' (which "
	    "follows 'client min protocol' unless set).",
	.why = "Samba's client side (smbclient, smbcacls, net; for the ipc pair winbindd and smbd "
	    "talking to domain controllers) then offers no dialect and reaches no server. A "
	    "common cause: 'client max protocol = NT1', copied from an old guide to reach an SMB1 "
	    "device, on Samba 4.11 or later. smbd and testparm accept the file; testparm only logs "
	    "a line about it.",
	.fix_text = "Delete the 'max' line, or lower the minimum with it ('client min protocol = "
	    "NT1' for an SMB1-only device, knowing that SMB1 is insecure).",
	.workaround = NULL,
	.example = "[global]\n    client max protocol = NT1\n",
	.check = check_client_protocols,
};

/* ---- SL1049 ad-dc-vfs-modules ----------------------------------------------- */

/*
 * On an AD DC Samba gives every share 'vfs objects = dfs_samba4 acl_xattr'
 * (init_locals in loadparm.c); a list of the file's own replaces that, and
 * Samba only warns when [global]'s lacks them.
 */
static bool any_canon(const char *canon)
{
	(void)canon;
	return true;
}

static void check_ad_dc_vfs(struct lint *l)
{
	const struct config *c = l->cfg;
	samba_ver v = ru_ver(l);
	struct ru_eff role;
	if (!ru_any_line(l, "vfs objects", any_canon) || tp_role(c, v, &role) != 5)
		return;
	static const char *const need[] = {"dfs_samba4", "acl_xattr"};
	struct ru_groups gs = {0};
	for (size_t i = 0; i < c->nsections; i++) {
		const struct section *s = c->sections[i];
		struct ru_eff e;
		if (!s->global && !ru_is_share(c, s, v))
			continue;
		ru_get(c, s, "vfs objects", v, &e);
		if (e.from != NULL && (!s->global || !e.inherited))
			ru_group_add(&gs, &e, s, 0);
	}
	for (size_t i = 0; i < gs.n; i++) {
		const struct ru_group *g = &gs.g[i];
		bool global = g->first->global;
		char **items;
		size_t n = param_list_split(g->e.str, &items);
		struct sbuf miss = {0};
		/* a share's DFS referrals go through IPC$, which has [global]'s list: shares need acl_xattr */
		for (size_t k = global ? 0 : 1; k < 2; k++) {
			bool have = false;
			for (size_t j = 0; j < n && !have; j++)
				have = strcasecmp(items[j], need[k]) == 0;
			if (!have)
				sbuf_addf(&miss, "%s%s", miss.len ? " " : "", need[k]);
		}
		param_list_free(items, n);
		if (miss.len > 0) {
			bool acl = strstr(miss.s, "acl_xattr") != NULL, dfs = strstr(miss.s, "dfs_samba4") != NULL;
			char *what = global ? xstrdup("[global]") : ru_group_shares(g);
			struct finding *f = ru_report_eff(l, g->first, &g->e, "vfs objects in %s of an AD domain "
			    "controller leaves out %s, which Samba gives every share of a DC and this list "
			    "replaces:%s%s%s", what, acl && dfs ? "acl_xattr and dfs_samba4" : miss.s,
			    acl ? " Windows ACLs are not kept the way a DC keeps them (sysvol and GPO "
			    "permissions break)" : "", acl && dfs ? ", and" : "",
			    dfs ? " DFS referrals such as \\\\domain\\sysvol fail" : "");
			char *fixed = xasprintf("%s %s", miss.s, ru_as_written(&g->e));
			ru_note(f, "put %s first: 'vfs objects = %s'", acl && dfs ? "them" : "it", fixed);
			ru_edit_value(f, g->e.from, fixed);
			free(fixed);
			free(what);
		}
		sbuf_free(&miss);
	}
	ru_groups_free(&gs);
}

static const struct rule r_ad_dc_vfs = {
	.code = "SL1049",
	.name = "ad-dc-vfs-modules",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "An AD domain controller's share without dfs_samba4 and acl_xattr",
	.what = "On an Active Directory domain controller, a 'vfs objects' line of a share whose "
	    "list lacks acl_xattr, or one of [global] that lacks acl_xattr or dfs_samba4.",
	.why = "acl_xattr keeps the Windows ACLs a DC relies on (sysvol's GPO permissions) and "
	    "dfs_samba4 answers DFS referrals such as \\\\domain\\sysvol (through IPC$, which "
	    "has [global]'s list). Samba gives every share of a DC both, but a list of the file's "
	    "own replaces Samba's, for example 'vfs objects = recycle' on a share. smbd warns only "
	    "for [global]'s list, testparm not at all.",
	.fix_text = "Put dfs_samba4 and acl_xattr first in the list. Unsafe: files written "
	    "meanwhile have no stored Windows ACL; 'samba-tool ntacl sysvolreset' repairs sysvol.",
	.workaround = NULL,
	.example = "[global]\n    server role = active directory domain controller\n"
	    "    realm = SAMDOM.EXAMPLE.COM\n    workgroup = SAMDOM\n[netlogon]\n"
	    "    path = /var/lib/samba/sysvol/samdom.example.com/scripts\n    vfs objects = recycle\n",
	.check = check_ad_dc_vfs,
};

/* ---- SL1050 interfaces-missing ---------------------------------------------- */

/*
 * With 'bind interfaces only = yes' smbd listens only on what 'interfaces'
 * names (source3/lib/interface.c): a name pattern matching an interface that
 * is up and has an address, an address of this machine, or a network
 * ('192.168.1.0/24') holding one; 'address/mask' with a host address is
 * taken as written, and its bind fails unless this machine can bind to it.
 * Checked with smbd 4.17: when nothing is left it panics at start ("No
 * sockets available to bind to").  Names with dots would need DNS: not
 * judged; other names are looked up in /etc/hosts only.
 */
enum { IF_USABLE, IF_MISSING, IF_UNKNOWN };

static bool addr_parse(const char *s, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, s, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		return true;
	}
	return false;
}

/* The first `bits` bits of a and b agree (same family). */
static bool addr_prefix_eq(const struct sockaddr *a, const struct sockaddr *b, unsigned bits)
{
	if (a->sa_family != b->sa_family)
		return false;
	const unsigned char *x, *y;
	unsigned len;
	if (a->sa_family == AF_INET) {
		x = (const unsigned char *)&((const struct sockaddr_in *)a)->sin_addr;
		y = (const unsigned char *)&((const struct sockaddr_in *)b)->sin_addr;
		len = 32;
	} else {
		x = (const unsigned char *)&((const struct sockaddr_in6 *)a)->sin6_addr;
		y = (const unsigned char *)&((const struct sockaddr_in6 *)b)->sin6_addr;
		len = 128;
	}
	if (bits > len)
		bits = len;
	for (unsigned i = 0; i < bits; i++)
		if (((x[i / 8] >> (7 - i % 8)) & 1) != ((y[i / 8] >> (7 - i % 8)) & 1))
			return false;
	return true;
}

/* Whether the host part of a (under a prefix of `bits`) is all zeros or all ones: a network or broadcast address. */
static bool addr_is_net(const struct sockaddr *a, unsigned bits)
{
	const unsigned char *x = a->sa_family == AF_INET ?
	    (const unsigned char *)&((const struct sockaddr_in *)a)->sin_addr :
	    (const unsigned char *)&((const struct sockaddr_in6 *)a)->sin6_addr;
	unsigned len = a->sa_family == AF_INET ? 32 : 128, ones = 0, zeros = 0;
	for (unsigned i = bits; i < len; i++)
		((x[i / 8] >> (7 - i % 8)) & 1) ? ones++ : zeros++;
	return ones == 0 || zeros == 0;
}

/* Whether this machine can bind a socket to the address (what smbd does with 'address/mask'). */
static bool addr_bindable(const struct sockaddr_storage *ss)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	socklen_t len = ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	bool ok = bind(fd, (const struct sockaddr *)ss, len) == 0;
	close(fd);
	return ok;
}

/* An address equal to one of an interface that is up. */
static bool addr_local(const struct sockaddr_storage *ss, const struct ifaddrs *ifs)
{
	for (const struct ifaddrs *i = ifs; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && (i->ifa_flags & IFF_UP) &&
		    addr_prefix_eq((const struct sockaddr *)ss, i->ifa_addr, 999))
			return true;
	return false;
}

/*
 * A name without dots: /etc/hosts may give it addresses (localhost); one of
 * this machine's makes it usable.  A name /etc/hosts does not know is taken
 * for an interface name (no DNS look-ups here).
 */
static int interface_hosts_name(const char *name, const struct ifaddrs *ifs)
{
	FILE *h = fopen("/etc/hosts", "r");
	if (h == NULL)
		return IF_UNKNOWN;
	char line[1024];
	int r = IF_MISSING;
	while (r != IF_USABLE && fgets(line, sizeof line, h) != NULL) {
		line[strcspn(line, "#\r\n")] = '\0';
		char *save, *addr = strtok_r(line, " \t", &save);
		struct sockaddr_storage ss;
		if (addr == NULL || !addr_parse(addr, &ss))
			continue;
		for (char *w = strtok_r(NULL, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save))
			if (strcasecmp(w, name) == 0 && addr_local(&ss, ifs))
				r = IF_USABLE;
	}
	fclose(h);
	return r;
}

static int interface_item(const char *item, const struct ifaddrs *ifs)
{
	char *tok = xstrdup(item);
	tok[strcspn(tok, ";")] = '\0';   /* ';speed=...' extras */
	int r = IF_MISSING;
	const struct ifaddrs *i;
	for (i = ifs; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && (i->ifa_flags & IFF_UP) &&
		    (i->ifa_addr->sa_family == AF_INET || i->ifa_addr->sa_family == AF_INET6) &&
		    fnmatch(tok, i->ifa_name, 0) == 0)
			break;
	struct sockaddr_storage ss;
	char *slash = strchr(tok, '/');
	if (i != NULL) {
		r = IF_USABLE;
	} else if (slash != NULL) {
		*slash = '\0';
		char *end;
		unsigned long bits = strtoul(slash + 1, &end, 0);
		if (!addr_parse(tok, &ss) || *end != '\0' || slash[1] == '\0' || strlen(slash + 1) > 3) {
			r = IF_UNKNOWN;   /* a host name, or a dotted mask: not judged */
		} else if (addr_is_net((struct sockaddr *)&ss, (unsigned)bits)) {
			/* a network (or broadcast) address: the interfaces inside it */
			for (i = ifs; i != NULL && r != IF_USABLE; i = i->ifa_next)
				if (i->ifa_addr != NULL && (i->ifa_flags & IFF_UP) &&
				    addr_prefix_eq((struct sockaddr *)&ss, i->ifa_addr, (unsigned)bits))
					r = IF_USABLE;
		} else {
			/* taken as written: usable when smbd can bind to it */
			r = addr_bindable(&ss) ? IF_USABLE : IF_MISSING;
		}
	} else if (addr_parse(tok, &ss)) {
		r = addr_local(&ss, ifs) ? IF_USABLE : IF_MISSING;
	} else {
		r = strchr(tok, '.') != NULL ? IF_UNKNOWN : interface_hosts_name(tok, ifs);
	}
	free(tok);
	return r;
}

/* The interfaces that are up with an address, ", "-separated (into *out). */
static void interfaces_up(const struct ifaddrs *ifs, struct sbuf *out)
{
	for (const struct ifaddrs *i = ifs; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || !(i->ifa_flags & IFF_UP) ||
		    (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
			continue;
		bool seen = false;
		for (const struct ifaddrs *k = ifs; k != i && !seen; k = k->ifa_next)
			seen = k->ifa_addr != NULL && (k->ifa_flags & IFF_UP) &&
			    (k->ifa_addr->sa_family == AF_INET || k->ifa_addr->sa_family == AF_INET6) &&
			    strcmp(k->ifa_name, i->ifa_name) == 0;
		if (!seen)
			sbuf_addf(out, "%s%s", out->len ? ", " : "", i->ifa_name);
	}
}

/* SL1050 (none of the items is there: smbd will not start) or SL1051 (some are not). */
static void check_interfaces_items(struct lint *l, bool all)
{
	const struct config *c = l->cfg;
	samba_ver v = ru_ver(l);
	struct ru_eff bind, ifl;
	if (!ru_host_checks(l) || !ru_bool(c, NULL, "bind interfaces only", v, &bind))
		return;
	ru_get(c, NULL, "interfaces", v, &ifl);
	if (ifl.from == NULL || ifl.str[0] == '\0' || strchr(ifl.str, '%') != NULL)
		return;
	struct ifaddrs *ifs;
	if (getifaddrs(&ifs) != 0)
		return;
	char **items;
	size_t n = param_list_split(ifl.str, &items), usable = 0, unknown = 0;
	struct sbuf missing = {0};
	for (size_t k = 0; k < n; k++) {
		int r = interface_item(items[k], ifs);
		usable += r == IF_USABLE;
		unknown += r == IF_UNKNOWN;
		if (r == IF_MISSING)
			sbuf_addf(&missing, "%s'%s'", missing.len ? ", " : "", items[k]);
	}
	param_list_free(items, n);
	struct sbuf up = {0};
	interfaces_up(ifs, &up);
	struct finding *f = NULL;
	if (all && n > 0 && usable == 0 && unknown == 0)
		f = ru_report_eff(l, NULL, &ifl, "interfaces = %s names nothing this machine has, and with "
		    "bind interfaces only = yes smbd then has no address to listen on: it will not start "
		    "(\"No sockets available to bind to\")", ru_as_written(&ifl));
	else if (!all && missing.len > 0 && (usable > 0 || unknown > 0))
		f = ru_report_eff(l, NULL, &ifl, "interfaces: %s %s not on this machine, so with bind "
		    "interfaces only = yes smbd does not listen there: clients that reach the server that "
		    "way cannot connect", sbuf_str(&missing), strchr(sbuf_str(&missing), ',') ? "are" : "is");
	if (f != NULL)
		ru_note(f, "interfaces that are up here: %s; a renamed network card (eth0 is now "
		    "enp3s0, say) is the usual cause", up.len ? sbuf_str(&up) : "none");
	sbuf_free(&up);
	sbuf_free(&missing);
	freeifaddrs(ifs);
}

static void check_interfaces(struct lint *l)
{
	check_interfaces_items(l, true);
}

static void check_interface_items(struct lint *l)
{
	check_interfaces_items(l, false);
}

static const struct rule r_interface_items = {
	.code = "SL1051",
	.name = "interface-missing",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "With 'bind interfaces only', some items of 'interfaces' do not exist on this machine",
	.what = "'bind interfaces only = yes' while some items of 'interfaces' are neither an "
	    "interface of this machine that is up, nor one of its addresses or networks (the "
	    "others are: when none is, SL1050 reports that smbd will not start). Only with host "
	    "checks.",
	.why = "smbd starts and listens on the items that exist, and on none of the others: "
	    "clients whose way to the server went through a renamed or removed network card "
	    "cannot connect (Windows: \"The network path was not found\"), while the server "
	    "looks healthy and testparm says nothing.",
	.fix_text = "Name the interfaces this machine has now ('ip link' lists them), or their "
	    "addresses or networks.",
	.workaround = NULL,
	.example = "[global]\n    interfaces = lo smblint-no-such-if0\n    bind interfaces only = yes\n",
	.check = check_interface_items,
};

static const struct rule r_interfaces = {
	.code = "SL1050",
	.name = "interfaces-missing",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "With 'bind interfaces only', no item of 'interfaces' exists on this machine",
	.what = "'bind interfaces only = yes' while no item of 'interfaces' is an interface of this "
	    "machine that is up (name patterns such as 'eth*' count), one of its addresses, or a "
	    "network holding one. Host names are not looked up. Only with host checks: when the "
	    "file is this machine's /etc/samba/smb.conf, or with --host-checks=always.",
	.why = "smbd listens only on the addresses 'interfaces' gives it; with none it stops at "
	    "start with \"No sockets available to bind to\" (Samba 4.17 even dumps core). testparm "
	    "does not look. Network cards renamed by an upgrade (eth0 became enp3s0) are the "
	    "classic cause.",
	.fix_text = "Name the interfaces this machine has now ('ip link' lists them), or their "
	    "addresses or networks, and keep 'lo' or 127.0.0.1 for local tools.",
	.workaround = NULL,
	.example = "[global]\n    interfaces = smblint-no-such-if0\n    bind interfaces only = yes\n",
	.check = check_interfaces,
};

/* ---- SL1029 load-fails --------------------------------------------------- */

static bool reported_at(const struct lint *l, const struct srcfile *file, const struct node *n)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->findings[i];
		if (f->severity != SEV_ERROR || f->rule == NULL || f->rule->code[2] != '1' || f->file == NULL)
			continue;
		if (f->file == file ? f->off >= n->start && f->off < n->end :
		    f->line == n->line && ru_same_file(f->file, file))
			return true;
	}
	return false;
}

static void check_load_fails(struct lint *l)
{
	const struct config *c = l->cfg;
	samba_ver v = ru_ver(l);
	if (!c->load_failed)
		return;
	for (size_t i = 0; i < c->nassigns; i++) {
		const struct assign *a = &c->assigns[i];
		if (a->node == c->fatal_node && a->param != NULL && removed_after(a->param, a->node->value, v))
			return;   /* the chosen (older) version still accepts the value */
	}
	if (c->fatal_node != NULL && c->fatal_file != NULL) {
		if (!reported_at(l, c->fatal_file, c->fatal_node))
			ru_report_node(l, c->fatal_file, c->fatal_node, NULL, "Samba's load fails here%s%s; "
			    "smbd will not start", c->fatal_reason ? ": " : "",
			    c->fatal_reason ? c->fatal_reason : "");
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->findings[i].severity == SEV_ERROR)
			return;
	lint_report(l, c->files[0], 0, NULL, NULL, NULL, "Samba's load fails%s%s; smbd will not start",
	    c->fatal_reason ? ": " : "", c->fatal_reason ? c->fatal_reason : "");
}

static const struct rule r_load_fails = {
	.code = "SL1029",
	.name = "load-fails",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "Samba refuses the configuration (a cause no other rule named)",
	.what = "Samba's loader gives up on the configuration for a reason that no more "
	    "specific rule reported; the finding points at the line where it stops.",
	.why = "smbd will not start (or keeps its previous configuration on reload) and "
	    "testparm exits 1, usually without saying which line is at fault.",
	.fix_text = "Correct the line named; 'testparm -s' confirms the configuration loads.",
	.workaround = NULL,
	.example = NULL,
	.check = check_load_fails,
};

const struct rule *const rules_load[] = {
	&r_invalid_value, &r_unknown, &r_global_in_share, &r_before_section, &r_no_equals,
	&r_quoted_name, &r_inline_comment, &r_unclosed_header, &r_empty_name, &r_bom, &r_nul,
	&r_duplicate, &r_overridden, &r_reopened, &r_removed, &r_deprecated,
	&r_include_missing, &r_include_relative, &r_include_glob, &r_include_macro,
	&r_include_loop, &r_include_registry, &r_copy, &r_vfs_prefix, &r_integer,
	&r_header_text, &r_passwd_program, &r_ads_realm, &r_load_fails, &r_empty_valid_users,
	&r_guest_account, &r_share_targets, &r_winbind_separator, &r_wins_both,
	&r_chat_old_password, &r_domain_plaintext, &r_password_server, &r_password_server_pinned, &r_idmap, &r_accounts,
	&r_dos_charset, &r_hosts_entries, &r_ineffective, &r_socket_options, &r_server_dirs,
	&r_vfs_unknown, &r_vfs_missing, &r_client_protocols, &r_ad_dc_vfs, &r_interfaces,
	&r_interface_items,
};
const size_t rules_load_count = sizeof rules_load / sizeof rules_load[0];
