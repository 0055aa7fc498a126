/* test_rules.c - client profiles and verdicts, rule helpers, and the exact bytes of the rules' edits. */
#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clients.h"
#include "config.h"
#include "fix.h"
#include "lint.h"
#include "rules.h"
#include "rutil.h"
#include "util.h"

/* ---- helpers ------------------------------------------------------------ */

static struct config *load(const char *text)
{
	size_t n = strlen(text);
	unsigned char *d = xmalloc(n + 1);
	memcpy(d, text, n + 1);
	return config_load_mem("t.conf", d, n, NULL);
}

static const struct rule *rule(const char *code)
{
	const struct rule *r = rule_find(code);
	ck_assert_msg(r != NULL, "no rule %s", code);
	return r;
}

/* Runs one rule on text; l gets the findings (caller frees l and *cfg). */
/* The examples of SL1031/SL1032 name accounts and folders no machine has; SL1046 judges only without host checks. */
static signed char run_host = 1;

static void run(const char *code, const char *text, unsigned clients, samba_ver v,
    struct config **cfg, struct lint *l, struct lint_opts *o)
{
	*cfg = load(text);
	memset(o, 0, sizeof *o);
	o->clients = clients;
	o->samba = v;
	o->host_checks = run_host;
	memset(l, 0, sizeof *l);
	l->cfg = *cfg;
	l->opts = o;
	const struct rule *list[1] = {rule(code)};
	lint_run_rules(l, list, 1);
}

static size_t count(const struct lint *l, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->findings[i].rule != NULL && strcmp(l->findings[i].rule->code, code) == 0)
			n++;
	return n;
}

static int cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/* The top file after applying every edit of every finding of `code` (malloc'ed). */
static char *fixed(const char *code, const char *text, unsigned clients, samba_ver v)
{
	struct config *cfg;
	struct lint l;
	struct lint_opts o;
	struct edit *all = NULL;
	size_t n = 0;

	run(code, text, clients, v, &cfg, &l, &o);
	for (size_t i = 0; i < l.n; i++)
		for (size_t k = 0; k < l.findings[i].nedits; k++) {
			all = xrealloc(all, (n + 1) * sizeof *all);
			all[n++] = l.findings[i].edits[k];
		}
	if (n > 0)
		qsort(all, n, sizeof *all, cmp_edit);
	struct fix_text t;
	fix_text_init(&t, "t.conf", "t.conf", cfg->files[0]->data, cfg->files[0]->len);
	fix_text_edit(&t, all, n);
	char *out = xstrndup((const char *)t.data, t.len);
	fix_text_free(&t);
	free(all);
	lint_free(&l);
	config_free(cfg);
	return out;
}

#define V417 41700u

/* ---- clients -------------------------------------------------------------- */

START_TEST(test_clients_parse)
{
	char *err = NULL;
	ck_assert_uint_eq(clients_parse("default", &err), CL_DEFAULT);
	ck_assert_ptr_null(err);
	ck_assert_uint_eq(clients_parse(" win7 , smb1", &err), CL_WIN7 | CL_SMB1);
	unsigned all = clients_parse("all", &err);
	for (size_t i = 0; i < client_profile_count; i++)
		ck_assert(all & client_profiles[i].bit);
	ck_assert_uint_eq(clients_parse("WIN11-24H2,default", &err), CL_DEFAULT);
	ck_assert_uint_eq(clients_parse("win12", &err), 0);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(err, "win12"));
	free(err);
	ck_assert_uint_eq(clients_parse("", &err), 0);
	ck_assert_ptr_nonnull(err);
	free(err);
}
END_TEST

START_TEST(test_client_find)
{
	static const char *const names[] = {"win7", "win10-home", "win10-enterprise", "win11-24h2",
	    "smb1", "macos", "linux-cifs"};
	ck_assert_uint_eq(client_profile_count, 7);
	for (size_t i = 0; i < 7; i++) {
		const struct client_profile *p = client_find(names[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(p->name, names[i]);
		ck_assert(p->min <= p->max);
	}
	ck_assert_ptr_null(client_find("win8"));
	ck_assert(ru_refuses_guest(client_find("win10-enterprise")));
	ck_assert(ru_refuses_guest(client_find("win11-24h2")));
	ck_assert(!ru_refuses_guest(client_find("win10-home")));
	ck_assert(!ru_refuses_guest(client_find("macos")));
}
END_TEST

static void verdict(const char *text, const char *share, const char *profile, bool ok, unsigned cause_line)
{
	struct config *c = load(text);
	struct client_verdict v;
	const struct section *s = share ? config_find(c, share) : NULL;
	client_verdict(c, s, client_find(profile), V417, &v);
	ck_assert_msg(v.ok == ok, "%s on [%s]: ok=%d (%s)", profile, share ? share : "-", v.ok,
	    v.reason ? v.reason : "");
	if (!ok) {
		ck_assert_ptr_nonnull(v.reason);
		ck_assert_ptr_nonnull(v.windows_error);
		if (cause_line) {
			ck_assert_ptr_nonnull(v.cause);
			ck_assert_uint_eq(v.cause->node->line, cause_line);
		} else {
			ck_assert_ptr_null(v.cause);
		}
	}
	client_verdict_free(&v);
	config_free(c);
}

START_TEST(test_verdicts)
{
	const char *debian = "[global]\n\tmap to guest = bad user\n[homes]\n\tread only = no\n";
	verdict(debian, "homes", "win11-24h2", false, 2);
	verdict(debian, "homes", "win10-enterprise", false, 2);
	verdict(debian, "homes", "win10-home", true, 0);
	verdict(debian, "homes", "macos", true, 0);

	const char *guest = "[pub]\n\tpath = /srv\n\tpublic = yes\n";
	verdict(guest, "pub", "win11-24h2", false, 3);
	verdict(guest, "pub", "win7", true, 0);

	const char *smb1only = "[global]\n\tserver max protocol = NT1\n\tserver min protocol = NT1\n[s]\n\tpath = /srv\n";
	verdict(smb1only, "s", "win10-home", false, 2);
	verdict(smb1only, "s", "smb1", true, 0);
	/* The default minimum (SMB2_02 since 4.11) keeps SMB1-only devices out: no line to blame. */
	verdict("[s]\n\tpath = /srv\n", "s", "smb1", false, 0);
	verdict("[s]\n\tpath = /srv\n", "s", "win7", true, 0);

	const char *enc = "[global]\n\tserver smb encrypt = required\n[s]\n\tpath = /srv\n";
	verdict(enc, "s", "win7", false, 2);
	verdict(enc, "s", "win10-home", true, 0);
	verdict("[s]\n\tpath = /srv\n\tsmb encrypt = mandatory\n", "s", "win7", false, 3);
	/* Guests cannot encrypt: even clients that accept guest sessions fail on such a share. */
	verdict("[s]\n\tpath = /srv\n\tguest ok = yes\n\tsmb encrypt = required\n", "s", "win10-home", false, 4);
}
END_TEST

START_TEST(test_dialects)
{
	ck_assert_int_eq(ru_dialect("smb2", true, V417), D_SMB2_10);
	ck_assert_int_eq(ru_dialect("SMB3", false, V417), D_SMB3_11);
	ck_assert_int_eq(ru_dialect("NT1", true, V417), D_NT1);
	ck_assert_int_eq(ru_dialect("SMB2_24", true, V417), D_SMB3_00);
	ck_assert_int_eq(ru_dialect("SMB2_24", false, V417), D_SMB2_10);
	ck_assert_int_eq(ru_dialect("default", true, V417), D_NONE);

	struct config *c = load("[global]\n\tmin protocol = NT1\n");
	enum dialect lo, hi;
	struct ru_eff a, b;
	ru_server_dialects(c, V417, &lo, &hi, &a, &b);
	ck_assert_int_eq(lo, D_NT1);
	ck_assert_int_eq(hi, D_SMB3_11);
	ck_assert_ptr_nonnull(a.from);
	ck_assert_ptr_null(b.from);
	config_free(c);
	c = load("[global]\n");
	ru_server_dialects(c, 41000, &lo, &hi, &a, &b);
	ck_assert(lo < D_NT1 + 1);
	ru_server_dialects(c, 41100, &lo, &hi, &a, &b);
	ck_assert_int_eq(lo, D_SMB2_02);
	config_free(c);
}
END_TEST

/* ---- findings ------------------------------------------------------------ */

START_TEST(test_guest_fallback_default_debian)
{
	struct config *c;
	struct lint l;
	struct lint_opts o;
	run("SL2001", "[global]\n   map to guest = bad user\n", CL_DEFAULT, V417, &c, &l, &o);
	ck_assert_uint_eq(count(&l, "SL2001"), 1);
	ck_assert_uint_eq(l.findings[0].line, 2);
	ck_assert_ptr_nonnull(strstr(l.findings[0].message, "Windows 11 24H2"));
	lint_free(&l);
	config_free(c);
	run("SL2001", "[global]\n   map to guest = bad user\n", CL_WIN10_HOME | CL_MACOS, V417, &c, &l, &o);
	ck_assert_uint_eq(l.n, 0);
	lint_free(&l);
	config_free(c);
}
END_TEST

START_TEST(test_default_reported_at_header)
{
	struct config *c;
	struct lint l;
	struct lint_opts o;
	run("SL2005", "# top\n[global]\n\tworkgroup = X\n", CL_DEFAULT, 41000, &c, &l, &o);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_uint_eq(l.findings[0].line, 2);
	ck_assert_ptr_nonnull(l.findings[0].note);
	ck_assert_ptr_nonnull(strstr(l.findings[0].note, "4.10"));
	lint_free(&l);
	config_free(c);
}
END_TEST

/* A chain three files deep, the same for each finding in the deepest file (made once per file). */
START_TEST(test_include_chain_deep)
{
	char dir[] = "/tmp/smblint-rules-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *path[3];
	for (int i = 0; i < 3; i++) {
		path[i] = xasprintf("%s/level%d.conf", dir, i);
		FILE *f = fopen(path[i], "w");
		ck_assert_ptr_nonnull(f);
		if (i < 2)
			fprintf(f, "# level %d\ninclude = %s/level%d.conf\n", i, dir, i + 1);
		else
			fputs("[a]\n\tpath = /srv/a\n\tguest ok = yes\n[b]\n\tpath = /srv/b\n\tguest ok = yes\n", f);
		fclose(f);
	}
	char *top = xasprintf("[global]\n\tmap to guest = bad user\n\tinclude = %s\n", path[0]);
	struct config *c;
	struct lint l;
	struct lint_opts o;
	run("SL2002", top, CL_DEFAULT, V417, &c, &l, &o);
	ck_assert_uint_eq(l.n, 2);
	for (size_t k = 0; k < 2; k++) {
		const struct finding *f = &l.findings[k];
		ck_assert_str_eq(f->file->path, path[2]);
		char *chain = ru_include_chain(f->file);
		char *want = xasprintf("%s is %s", f->file->display, chain);
		ck_assert_ptr_nonnull(f->note);
		ck_assert_ptr_nonnull(strstr(f->note, want));
		ck_assert_ptr_nonnull(strstr(chain, "level1.conf:2, included from"));
		ck_assert_ptr_nonnull(strstr(chain, "included from t.conf:3"));
		free(chain);
		free(want);
	}
	lint_free(&l);
	config_free(c);
	for (int i = 0; i < 3; i++) {
		remove(path[i]);
		free(path[i]);
	}
	rmdir(dir);
	free(top);
}
END_TEST

START_TEST(test_include_chain_note)
{
	char dir[] = "/tmp/smblint-rules-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *inc = xasprintf("%s/guest.conf", dir);
	FILE *f = fopen(inc, "w");
	ck_assert_ptr_nonnull(f);
	fputs("map to guest = bad user\n", f);
	fclose(f);
	char *top = xasprintf("[global]\n\tinclude = %s\n", inc);
	struct config *c;
	struct lint l;
	struct lint_opts o;
	run("SL2001", top, CL_DEFAULT, V417, &c, &l, &o);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.findings[0].file->path, inc);
	ck_assert_ptr_nonnull(l.findings[0].note);
	ck_assert_ptr_nonnull(strstr(l.findings[0].note, "included from t.conf:2"));
	ck_assert_uint_eq(l.findings[0].nedits, 1);
	ck_assert_ptr_eq(l.findings[0].edits[0].file, l.findings[0].file);
	lint_free(&l);
	config_free(c);
	remove(inc);
	rmdir(dir);
	free(inc);
	free(top);
}
END_TEST

/* ---- edits ----------------------------------------------------------------- */

static void expect_fix(const char *code, const char *in, const char *out, unsigned clients, samba_ver v)
{
	char *got = fixed(code, in, clients, v);
	ck_assert_msg(strcmp(got, out) == 0, "%s:\n--- got\n%s--- want\n%s", code, got, out);
	free(got);
}

START_TEST(test_edit_value_keeps_bytes)
{
	expect_fix("SL2001", "[global]\r\n  MAP TO GUEST=Bad User  \r\n", "[global]\r\n  MAP TO GUEST=never  \r\n",
	    CL_DEFAULT, V417);
	expect_fix("SL2003", "[global]\n\tusershare allow guests = yes", "[global]\n\tusershare allow guests = no",
	    CL_DEFAULT, V417);
	expect_fix("SL3010", "[global]\n ntlm auth =\tyes\n", "[global]\n ntlm auth =\tntlmv2-only\n", CL_DEFAULT, V417);
	/* A line continued with '\' is reported but not edited. */
	expect_fix("SL2001", "[global]\nmap to \\\nguest = bad user\n", "[global]\nmap to \\\nguest = bad user\n",
	    CL_DEFAULT, V417);
}
END_TEST

START_TEST(test_edit_inline_comment)
{
	expect_fix("SL1007", "[data]\r\n    path = /srv/data   # the disk\r\n",
	    "[data]\r\n    # the disk\r\n    path = /srv/data\r\n", CL_DEFAULT, V417);
	expect_fix("SL1001", "[data]\n\tguest ok = yes ; for the scanner\n",
	    "[data]\n\t; for the scanner\n\tguest ok = yes\n", CL_DEFAULT, V417);
	/* A last line without newline gets one for the moved comment only. */
	expect_fix("SL1007", "[global]\nworkgroup = HOME ; old", "[global]\n; old\nworkgroup = HOME", CL_DEFAULT, V417);
}
END_TEST

START_TEST(test_edit_other)
{
	expect_fix("SL1010", "\xef\xbb\xbf[data]\npath = /srv\n", "[data]\npath = /srv\n", CL_DEFAULT, V417);
	expect_fix("SL1006", "[data]\n \"valid users\" = bob\n", "[data]\n valid users = bob\n", CL_DEFAULT, V417);
	expect_fix("SL1012", "[global]\n\tworkgroup = A\n\tworkgroup = A\n", "[global]\n\tworkgroup = A\n",
	    CL_DEFAULT, V417);
	expect_fix("SL1024", "[global]\nvfs objects = fruit streams_xattr\n[tm]\npath = /x\nvfs objects = +catia -fruit\n",
	    "[global]\nvfs objects = fruit streams_xattr\n[tm]\npath = /x\nvfs objects = streams_xattr catia\n",
	    CL_DEFAULT, V417);
	expect_fix("SL1001", "[global]\n\tsecurity = share\n", "[global]\n\tsecurity = user\n", CL_DEFAULT, V417);
	expect_fix("SL1001", "[global]\n\tsecurity = \"user\"\n", "[global]\n\tsecurity = user\n", CL_DEFAULT, V417);
	expect_fix("SL1008", "[data  \npath = /x\n", "[data]  \npath = /x\n", CL_DEFAULT, V417);
}
END_TEST

START_TEST(test_edit_smb1)
{
	/* Where the version's default is already SMB2_02 the line goes. */
	expect_fix("SL2005", "[global]\n\tmin protocol = NT1\n\tworkgroup = X\n", "[global]\n\tworkgroup = X\n",
	    CL_DEFAULT, V417);
	/* Before 4.11 the default allows SMB1: the value changes instead. */
	expect_fix("SL2005", "[global]\n\tmin protocol = NT1\n", "[global]\n\tmin protocol = SMB2_02\n",
	    CL_DEFAULT, 41000);
	/* No line at all: one is added below [global], indented like its neighbours. */
	expect_fix("SL2005", "[global]\r\n    workgroup = X\r\n", "[global]\r\n    server min protocol = SMB2_02\r\n"
	    "    workgroup = X\r\n", CL_DEFAULT, 41000);
	expect_fix("SL2005", "[data]\npath = /x\n", "server min protocol = SMB2_02\n[data]\npath = /x\n",
	    CL_DEFAULT, 41000);
	/* SMB1-only devices targeted: nothing to fix. */
	expect_fix("SL2005", "[global]\n\tmin protocol = NT1\n", "[global]\n\tmin protocol = NT1\n",
	    CL_SMB1 | CL_WIN10_HOME, V417);
}
END_TEST

START_TEST(test_edit_duplicates)
{
	/* The earlier of two identical lines goes... */
	expect_fix("SL1012", "[data]\n\tpath = /x\n\tcomment = a\n\tpath = /x\n", "[data]\n\tcomment = a\n\tpath = /x\n",
	    CL_DEFAULT, V417);
	/* ... but not across a reopen: Samba finished the first part with it (no path: unavailable). */
	expect_fix("SL1012", "[p]\n\tpath = /x\n[q]\n\tpath = /q\n[p]\n\tpath = /x\n",
	    "[p]\n\tpath = /x\n[q]\n\tpath = /q\n[p]\n", CL_DEFAULT, V417);
	/* A [global] share-level line with a share opened between: the later one goes. */
	expect_fix("SL1012", "[global]\n\tguest ok = no\n[s]\n\tpath = /s\n[global]\n\tguest ok = no\n",
	    "[global]\n\tguest ok = no\n[s]\n\tpath = /s\n[global]\n", CL_DEFAULT, V417);
	/* A [global]-only parameter is not read at share headers: the earlier one goes. */
	expect_fix("SL1012", "[global]\n\tworkgroup = W\n[s]\n\tpath = /s\n[global]\n\tworkgroup = W\n",
	    "[global]\n[s]\n\tpath = /s\n[global]\n\tworkgroup = W\n", CL_DEFAULT, V417);
	/* ... except those that decide whether this is an AD DC. */
	expect_fix("SL1012", "[global]\n\tsecurity = user\n[s]\n\tpath = /s\n[global]\n\tsecurity = user\n",
	    "[global]\n\tsecurity = user\n[s]\n\tpath = /s\n[global]\n", CL_DEFAULT, V417);
	/* printing = also sets the print commands: neither line goes across a reopen. */
	expect_fix("SL1012", "[p]\n\tpath = /x\n\tprinting = bsd\n[q]\n\tpath = /q\n[p]\n\tprinting = bsd\n",
	    "[p]\n\tpath = /x\n\tprinting = bsd\n[q]\n\tpath = /q\n[p]\n\tprinting = bsd\n", CL_DEFAULT, V417);
	/* Chains: a dead line with the final value is a duplicate even with other lines between. */
	expect_fix("SL1012", "[d]\n\tpath = /d\n\tread only = yes\n\tread only = no\n\tread only = yes\n",
	    "[d]\n\tpath = /d\n\tread only = no\n\tread only = yes\n", CL_DEFAULT, V417);

	/* Overridden lines go, synonyms and inverse synonyms included, continuations whole. */
	expect_fix("SL1013", "[d]\n\tpath = /d\n\twriteable = yes\n\tread only = yes\n", "[d]\n\tpath = /d\n\tread only = yes\n",
	    CL_DEFAULT, V417);
	expect_fix("SL1013", "[global]\r\n\tworkgroup = \\\r\n OLD\r\n\tworkgroup = NEW\r\n", "[global]\r\n\tworkgroup = NEW\r\n",
	    CL_DEFAULT, V417);
	expect_fix("SL1013", "[d]\n\tpath = /d\n\tguest ok = yes\n\tpublic = yes\n\tguest ok = no\n",
	    "[d]\n\tpath = /d\n\tguest ok = no\n", CL_DEFAULT, V417);
	/* Not across a share header, not for printing, not under a list edit. */
	expect_fix("SL1013", "[d]\n\tpath = /d\n\tcomment = a\n[e]\n\tpath = /e\n[d]\n\tcomment = b\n",
	    "[d]\n\tpath = /d\n\tcomment = a\n[e]\n\tpath = /e\n[d]\n\tcomment = b\n", CL_DEFAULT, V417);
	expect_fix("SL1013", "[p]\n\tpath = /p\n\tprinting = cups\n\tprinting = bsd\n",
	    "[p]\n\tpath = /p\n\tprinting = cups\n\tprinting = bsd\n", CL_DEFAULT, V417);
	expect_fix("SL1013", "[global]\n\tname resolve order = wins\n\tname resolve order = +host\n",
	    "[global]\n\tname resolve order = wins\n\tname resolve order = +host\n", CL_DEFAULT, V417);
	/* Not across a header that a byte order mark hides: SL1010's fix would split them. */
	expect_fix("SL1013", "\xef\xbb\xbf[a]\npath = /a\n\xef\xbb\xbf[b]\npath = /b\n",
	    "\xef\xbb\xbf[a]\npath = /a\n\xef\xbb\xbf[b]\npath = /b\n", CL_DEFAULT, V417);
	expect_fix("SL1012", "\xef\xbb\xbf[a]\npath = /a\n\xef\xbb\xbf[b]\npath = /a\n",
	    "\xef\xbb\xbf[a]\npath = /a\n\xef\xbb\xbf[b]\npath = /a\n", CL_DEFAULT, V417);
}
END_TEST

START_TEST(test_edit_unknown_and_guest)
{
	/* The name only, as written; the value stays. */
	expect_fix("SL1002", "[d]\n\tpath = /d\n  commnet\t= Data ; x\n", "[d]\n\tpath = /d\n  comment\t= Data ; x\n",
	    CL_DEFAULT, V417);
	expect_fix("SL1002", "[d]\n\tpath = /d\n\tguest on = yes\n", "[d]\n\tpath = /d\n\tguest ok = yes\n",
	    CL_DEFAULT, V417);
	expect_fix("SL1002", "[d]\n\tpath = /d\n\tcreate  amask = 0775\n", "[d]\n\tpath = /d\n\tcreate mask = 0775\n",
	    CL_DEFAULT, V417);
	/* Not when the name is continued, the value would be invalid, or a global lands in a share. */
	expect_fix("SL1002", "[d]\n\tpath = /d\n\tguest \\\n on = yes\n", "[d]\n\tpath = /d\n\tguest \\\n on = yes\n",
	    CL_DEFAULT, V417);
	expect_fix("SL1002", "[d]\n\tpath = /d\n\tguset ok = maybe\n", "[d]\n\tpath = /d\n\tguset ok = maybe\n",
	    CL_DEFAULT, V417);
	expect_fix("SL1002", "[d]\n\tpath = /d\n\twrkgroup = X\n", "[d]\n\tpath = /d\n\twrkgroup = X\n",
	    CL_DEFAULT, V417);
	expect_fix("SL1002", "[global]\n\twrkgroup = X\n", "[global]\n\tworkgroup = X\n", CL_DEFAULT, V417);
	/* The section sets the parameter already: renaming would override one or the other. */
	expect_fix("SL1002", "[d]\n\tpath = /d\n\tguest ok = no\n\tguest on = yes\n",
	    "[d]\n\tpath = /d\n\tguest ok = no\n\tguest on = yes\n", CL_DEFAULT, V417);
	/* Nothing close: nothing to rename to. */
	expect_fix("SL1002", "[global]\n\tfoo bar baz = 1\n", "[global]\n\tfoo bar baz = 1\n", CL_DEFAULT, V417);

	/* A guest share: its own line says no (spelled alike), or the [global] one. */
	expect_fix("SL2002", "[p]\n\tpath = /p\n\tpublic = Yes\n", "[p]\n\tpath = /p\n\tpublic = No\n", CL_DEFAULT, V417);
	expect_fix("SL2002", "[global]\n\tguest ok = yes\n[p]\n\tpath = /p\n", "[global]\n\tguest ok = no\n[p]\n\tpath = /p\n",
	    CL_DEFAULT, V417);
	/* Through copy =: left alone. */
	expect_fix("SL2002", "[t]\n\tpath = /t\n\tguest ok = yes\n[c]\n\tcopy = t\n",
	    "[t]\n\tpath = /t\n\tguest ok = yes\n[c]\n\tcopy = t\n", CL_DEFAULT, V417);
	/* The result is no guest share. */
	char *out = fixed("SL2002", "[global]\n\tguest ok = yes\n[a]\n\tpath = /a\n\tguest only = yes\n[b]\n\tpath = /b\n"
	    "\tpublic = true\n", CL_DEFAULT, V417);
	struct config *c = load(out);
	for (size_t i = 0; i < c->nsections; i++) {
		struct ru_eff e;
		ck_assert_msg(!ru_guest_ok(c, c->sections[i], V417, &e), "[%s] still admits guests", c->sections[i]->name);
	}
	config_free(c);
	free(out);
}
END_TEST

/* Every edit of every finding lies inside its file, and a finding's edits never overlap. */
static void check_edits(const char *path)
{
	char *err = NULL;
	struct config *c = config_load(path, NULL, &err);
	if (c == NULL) {
		free(err);
		return;
	}
	struct lint_opts o = {.clients = CL_DEFAULT | CL_WIN7 | CL_MACOS, .samba = V417};
	struct lint l = {.cfg = c, .opts = &o};
	lint_run(&l);
	for (size_t i = 0; i < l.n; i++) {
		struct finding *f = &l.findings[i];
		if (f->nedits > 0)
			qsort(f->edits, f->nedits, sizeof *f->edits, cmp_edit);
		for (size_t k = 0; k < f->nedits; k++) {
			const struct edit *e = &f->edits[k];
			ck_assert_msg(e->start <= e->end && e->end <= e->file->len, "%s: %s edit outside the file",
			    path, f->rule->code);
			if (k > 0)
				ck_assert_msg(f->edits[k - 1].file != e->file || f->edits[k - 1].end <= e->start ||
				    (f->edits[k - 1].start == f->edits[k - 1].end && f->edits[k - 1].start == e->start),
				    "%s:%u: %s edits overlap", path, f->line, f->rule->code);
		}
	}
	lint_free(&l);
	config_free(c);
}

START_TEST(test_edits_over_corpus)
{
	const char *dir = getenv("SMBLINT_CORPUS");
	DIR *d = dir ? opendir(dir) : NULL;
	if (d == NULL)
		return;   /* no corpus here: nothing to check */
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		check_edits(p);
		free(p);
	}
	closedir(d);
}
END_TEST

START_TEST(test_rule_texts)
{
	const struct rule *const *lists[] = {rules_load, rules_compat, rules_security};
	const size_t counts[] = {rules_load_count, rules_compat_count, rules_security_count};
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < counts[k]; i++) {
			const struct rule *r = lists[k][i];
			ck_assert_msg(r->code && strlen(r->code) == 6 && r->code[2] == (char)('1' + k), "%s", r->code);
			ck_assert_msg(r->name && r->summary && r->what && r->why && r->fix_text && r->check,
			    "%s lacks a text", r->code);
			ck_assert_msg(strchr(r->summary, '\n') == NULL, "%s: summary is one line", r->code);
			ck_assert_ptr_eq(rule_find(r->code), r);
			ck_assert_ptr_eq(rule_find(r->name), r);
		}
}
END_TEST

/* Every example in --explain and the manual fires its rule (examples that name files on disk aside). */
START_TEST(test_examples_fire)
{
	static const char *const on_disk[] = {"SL1017", "SL1018", "SL1019", "SL1020", "SL1021", NULL};
	const struct rule *const *lists[] = {rules_load, rules_compat, rules_security};
	const size_t counts[] = {rules_load_count, rules_compat_count, rules_security_count};
	for (size_t k = 0; k < 3; k++)
		for (size_t i = 0; i < counts[k]; i++) {
			const struct rule *r = lists[k][i];
			bool skip = r->example == NULL;
			for (size_t j = 0; on_disk[j] != NULL && !skip; j++)
				skip = strcmp(on_disk[j], r->code) == 0;
			if (skip)
				continue;
			size_t hits = 0;
			unsigned sets[] = {CL_DEFAULT, CL_WIN7, CL_SMB1 | CL_WIN10_HOME};
			for (size_t c = 0; c < 6 && hits == 0; c++) {
				struct config *cfg;
				struct lint l;
				struct lint_opts o;
				run_host = c < 3 ? 1 : -1;
				run(r->code, r->example, sets[c % 3], V417, &cfg, &l, &o);
				hits = count(&l, r->code);
				lint_free(&l);
				config_free(cfg);
			}
			run_host = 1;
			ck_assert_msg(hits > 0, "the example of %s does not fire it", r->code);
		}
}
END_TEST

Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *t = tcase_create("clients");
	tcase_add_test(t, test_clients_parse);
	tcase_add_test(t, test_client_find);
	tcase_add_test(t, test_verdicts);
	tcase_add_test(t, test_dialects);
	suite_add_tcase(s, t);
	t = tcase_create("findings");
	tcase_add_test(t, test_guest_fallback_default_debian);
	tcase_add_test(t, test_default_reported_at_header);
	tcase_add_test(t, test_include_chain_note);
	tcase_add_test(t, test_include_chain_deep);
	tcase_add_test(t, test_rule_texts);
	tcase_add_test(t, test_examples_fire);
	suite_add_tcase(s, t);
	t = tcase_create("edits");
	tcase_add_test(t, test_edit_value_keeps_bytes);
	tcase_add_test(t, test_edit_inline_comment);
	tcase_add_test(t, test_edit_other);
	tcase_add_test(t, test_edit_smb1);
	tcase_add_test(t, test_edit_duplicates);
	tcase_add_test(t, test_edit_unknown_and_guest);
	tcase_add_test(t, test_edits_over_corpus);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
	return s;
}
