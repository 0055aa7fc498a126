/* test_config.c - the effective configuration against what testparm 4.17 does with the same text. */
#include <check.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "corpus.h"
#include "util.h"

Suite *config_suite(void);

static struct config *load_opts(const char *text, const struct config_opts *o)
{
	size_t n = strlen(text);
	unsigned char *d = xmalloc(n + 1);
	memcpy(d, text, n + 1);
	return config_load_mem("t.conf", d, n, o);
}

static struct config *load(const char *text)
{
	struct config_opts o = {.include_root = "/", .follow_includes = true};
	return load_opts(text, &o);
}

static const struct param *P(const char *name)
{
	return param_get(name);
}

/* The canon of p in the named section ("global" for [global]), or NULL. */
static const char *val(const struct config *c, const char *sec, const char *param)
{
	const struct section *s = config_find(c, sec);
	ck_assert_msg(s != NULL, "no section %s", sec);
	const struct value *v = config_lookup(c, s, P(param));
	return v ? v->canon : NULL;
}

static char *print_to_string(const struct config *c, bool origins)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	config_print(c, f, origins);
	fclose(f);
	return buf;
}

/* The assign of the n-th parameter line (0-based, processing order). */
static const struct assign *A(const struct config *c, size_t i)
{
	ck_assert_uint_lt(i, c->nassigns);
	return &c->assigns[i];
}

static char tmpdir[64];

static void make_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/smblint-config-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void write_tmp(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void rm_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* ------------------------------------------------------------- sections */

START_TEST(test_before_first_header_is_global)
{
	struct config *c = load("workgroup = early\n[share]\npath = /s\n[global]\nnetbios name = n\n");
	ck_assert(!c->load_failed);
	ck_assert_uint_eq(c->nsections, 2);
	ck_assert(c->sections[0]->global);
	ck_assert(A(c, 0)->before_section);
	ck_assert_ptr_eq(A(c, 0)->section, config_global(c));
	ck_assert(!A(c, 1)->before_section);
	ck_assert_str_eq(val(c, "global", "workgroup"), "EARLY");
	ck_assert_uint_eq(config_global(c)->header->line, 4);
	config_free(c);
	c = load("workgroup = w\n[s]\npath = /s\n");
	ck_assert_ptr_null(config_global(c)->header);   /* never opened: implicit */
	ck_assert_ptr_eq(config_global(c), config_find(c, "GLOBAL"));
	config_free(c);
}
END_TEST

/* Share names as Samba 4.17 keys them through its unix charset (testparm 4.17). */
START_TEST(test_share_names_unix_charset)
{
	/* UTF-8: names it cannot decode are all one share; surrogates still decode */
	struct config *c = load("[Gr\xfcn]\npath = /a\n[Gr\xf6n]\npath = /b\n[\xc0\x80x]\ncomment = c\n"
	    "[\xed\xa0\x80q]\npath = /s\n[\xed\xa0\x80Q]\npath = /t\n[\xc3\x84X]\npath = /u\n[\xc3\xa4x]\ncomment = u\n");
	ck_assert_uint_eq(c->nsections, 4);
	ck_assert_str_eq(val(c, "Gr\xfcn", "path"), "/t");
	ck_assert_str_eq(val(c, "Gr\xfcn", "comment"), "c");
	ck_assert_str_eq(val(c, "\xed\xa0\x80q", "path"), "/s");
	ck_assert_str_eq(val(c, "\xc3\x84X", "comment"), "u");
	config_free(c);
	/* a new unix charset counts for names only from the next charset line that changes a value */
	c = load("[global]\nunix charset = ISO-8859-1\n[\xc4x]\npath = /a\n[\xe4y]\npath = /b\n"
	    "[global]\ndos charset = CP437\n[B\xdcRO]\npath = /c\n[b\xfcro]\ncomment = c\n[\xc3\x84]\npath = /d\n[\xc3\xa4]\npath = /e\n"
	    "[k]\ncopy = B\xfcRO\n");
	ck_assert_uint_eq(c->nsections, 6);
	ck_assert_str_eq(val(c, "\xc4x", "path"), "/b");
	ck_assert_str_eq(val(c, "B\xdcRO", "comment"), "c");
	ck_assert_str_eq(val(c, "k", "path"), "/c");
	ck_assert_str_eq(val(c, "\xc3\xa4", "path"), "/e");
	config_free(c);
	/*
	 * Keyed under Latin-1 (active from the dos charset line), [B\xdcRO] holds the key "b\xfcro"; after the charset
	 * changes back (to UTF-8, active from the next charset line), [b\xfcro] is a share of its own (as in
	 * testparm), and each is found by its own name first.
	 */
	c = load("unix charset = ISO-8859-1\ndos charset = CP437\n[B\xdcRO]\npath = /a\n[global]\nunix charset =\nunix charset = a\n[b\xfcro]\npath = /b\n");
	ck_assert_uint_eq(c->nsections, 3);
	ck_assert_str_eq(val(c, "b\xfcro", "path"), "/b");
	ck_assert_str_eq(val(c, "B\xdcRO", "path"), "/a");
	config_free(c);
	/* a charset iconv does not know: every non-ASCII name is one share; the same value twice changes nothing */
	c = load("[global]\nunix charset = nope\nunix charset = nope\n[\xc3\x9c]\npath = /a\n[\xc3\xa9]\npath = /b\n");
	ck_assert_uint_eq(c->nsections, 3);
	config_free(c);
	/* Samba's lower-case table beyond Latin-1, Greek and Cyrillic, and where it stops */
	c = load("[T\xc3\x80I LI\xe1\xbb\x86U]\npath = /v\n[t\xc3\xa0i li\xe1\xbb\x87u]\ncomment = v\n"
	    "[\xd4\xb1]\npath = /a\n[\xd5\xa1]\ncomment = a\n[\xd0\x80]\npath = /e\n[\xd1\x90]\npath = /f\n");
	ck_assert_uint_eq(c->nsections, 5);
	ck_assert_str_eq(val(c, "t\xc3\xa0i li\xe1\xbb\x87u", "path"), "/v");
	ck_assert_str_eq(val(c, "\xd5\xa1", "comment"), "a");
	ck_assert_str_eq(val(c, "\xd1\x90", "path"), "/f");
	config_free(c);
	c = load("[global]\nunix charset = nope\nunix charset = nope2\n[\xc3\x9c]\npath = /a\n[\xc3\xa9]\npath = /b\n");
	ck_assert_uint_eq(c->nsections, 2);
	ck_assert_str_eq(val(c, "\xc3\x9c", "path"), "/b");
	config_free(c);
}
END_TEST

START_TEST(test_global_names)
{
	struct config *c = load("[glo bal]\nworkgroup = a\n[GLOBALS]\nnetbios name = b\n[ Global ]\nrealm = r\n");
	ck_assert_uint_eq(c->nsections, 1);
	ck_assert_str_eq(val(c, "global", "workgroup"), "A");
	ck_assert_str_eq(val(c, "global", "netbios name"), "B");
	ck_assert_uint_eq(config_global(c)->nreopened, 2);
	config_free(c);
}
END_TEST

START_TEST(test_share_names_merge_case_not_blanks)
{
	struct config *c = load("[data]\npath = /a\n[DATA]\ncomment = c\n[my share]\npath = /m\n[myshare]\npath = /n\n"
	    "[Übung]\npath = /u\n[übung]\ncomment = u\n");
	ck_assert_uint_eq(c->nsections, 5);
	const struct section *d = config_find(c, "Data");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->name, "data");            /* first spelling */
	ck_assert_uint_eq(d->nreopened, 1);
	ck_assert_uint_eq(d->reopened[0]->line, 3);
	ck_assert_str_eq(val(c, "DATA", "path"), "/a");
	ck_assert_str_eq(val(c, "data", "comment"), "c");
	ck_assert_ptr_ne(config_find(c, "my share"), config_find(c, "myshare"));
	ck_assert_ptr_eq(config_find(c, "ÜBUNG"), config_find(c, "übung"));
	ck_assert_ptr_null(config_find(c, "nope"));
	config_free(c);
}
END_TEST

START_TEST(test_reopen_drops_parametric)
{
	struct config *c = load("[s]\npath = /s\nfruit:encoding = native\nx:y = 1\n[t]\npath = /t\n[S]\ncomment = again\nz:w = 2\n");
	const struct section *s = config_find(c, "s");
	ck_assert_ptr_null(config_opt(c, s, "fruit:encoding"));
	ck_assert_ptr_nonnull(config_opt(c, s, "z:w"));
	ck_assert(A(c, 1)->dropped);
	ck_assert(A(c, 2)->dropped);
	ck_assert(!A(c, 5)->dropped);
	ck_assert_str_eq(val(c, "s", "path"), "/s");   /* ordinary values stay */
	config_free(c);
}
END_TEST

START_TEST(test_global_reopen_keeps_parametric)
{
	struct config *c = load("[global]\na:b = 1\n[s]\npath = /s\n[global]\nc:d = 2\n");
	ck_assert_ptr_nonnull(config_opt(c, config_global(c), "a:b"));
	ck_assert(!A(c, 0)->dropped);
	config_free(c);
}
END_TEST

START_TEST(test_empty_section_name_fails)
{
	struct config *c = load("[global]\nworkgroup = w\n[]\npath = /e\n[next]\npath = /n\n");
	ck_assert(c->load_failed);
	ck_assert_uint_eq(c->fatal_node->line, 3);
	ck_assert_int_eq(A(c, 1)->status, AS_SET);       /* read before the check */
	ck_assert_int_eq(A(c, 2)->status, AS_NOT_READ);
	config_free(c);
}
END_TEST

/* ------------------------------------------------------------ parameters */

START_TEST(test_synonyms_and_inverse)
{
	struct config *c = load("[s]\npath = /s\npublic = yes\nwriteable = yes\ncreate mode = 640\n[t]\npath = /t\nwrite ok = no\n");
	const struct assign *a = A(c, 1);
	ck_assert_str_eq(param_name(a->spelled), "public");
	ck_assert_str_eq(param_name(a->param), "guest ok");
	ck_assert_str_eq(a->name, "guest ok");
	ck_assert_str_eq(val(c, "s", "guest ok"), "Yes");
	a = A(c, 2);
	ck_assert_str_eq(param_name(a->param), "read only");
	ck_assert_str_eq(a->value, "No");                 /* stored inverted */
	ck_assert_str_eq(val(c, "s", "read only"), "No");
	ck_assert_str_eq(val(c, "s", "create mask"), "0640");
	ck_assert_str_eq(val(c, "t", "read only"), "Yes");
	ck_assert(!config_bool(c, config_find(c, "s"), P("read only"), 0));
	ck_assert(config_bool(c, config_find(c, "s"), param_lookup("writable"), 0));
	config_free(c);
}
END_TEST

START_TEST(test_parametric_names)
{
	struct config *c = load("[global]\nIdmap Config * : Backend = rid\nFoo:Bar = 1\nfoo : bar = 2\n");
	const struct section *g = config_global(c);
	const struct value *v = config_opt(c, g, "idmap config * : backend");
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->name, "idmap config * : backend");   /* Samba's own entry keeps its place */
	ck_assert_str_eq(v->canon, "rid");
	v = config_opt(c, g, "FOO:BAR");
	ck_assert_str_eq(v->name, "foo:bar");
	ck_assert_str_eq(v->canon, "2");
	ck_assert(A(c, 1)->parametric);
	ck_assert_str_eq(A(c, 1)->name, "foo:bar");
	ck_assert_ptr_eq(A(c, 2)->overrides, A(c, 1));
	/* a share sees [global]'s options */
	struct config *c2 = load("[global]\nfruit:encoding = native\n[s]\npath = /s\n");
	ck_assert_str_eq(config_opt(c2, config_find(c2, "s"), "fruit:encoding")->canon, "native");
	config_free(c2);
	config_free(c);
}
END_TEST

START_TEST(test_unknown_and_global_in_share)
{
	struct config *c = load("[global]\nno such thing = 1\nguest  on = yes\n[s]\npath = /s\nsecurity = share\nworkgroup = w\n");
	ck_assert(!c->load_failed);                      /* global-only values in a share are never checked */
	ck_assert_int_eq(A(c, 0)->status, AS_UNKNOWN);
	ck_assert_str_eq(A(c, 0)->name, "no such thing");
	ck_assert_str_eq(A(c, 1)->name, "guest on");
	ck_assert_ptr_null(A(c, 1)->param);
	ck_assert_int_eq(A(c, 3)->status, AS_GLOBAL_IN_SHARE);
	ck_assert_int_eq(A(c, 4)->status, AS_GLOBAL_IN_SHARE);
	ck_assert_ptr_null(config_own(config_global(c), P("workgroup")));
	config_free(c);
}
END_TEST

START_TEST(test_last_wins_and_overrides)
{
	struct config *c = load("[global]\nmax log size = 1000\nmax log size = 50\n[s]\npath = /a\npath = /b\n");
	ck_assert_str_eq(val(c, "global", "max log size"), "50");
	ck_assert_ptr_eq(A(c, 1)->overrides, A(c, 0));
	ck_assert_ptr_null(A(c, 0)->overrides);
	ck_assert_ptr_eq(config_lookup(c, config_find(c, "s"), P("path"))->from, A(c, 3));
	ck_assert_ptr_eq(A(c, 3)->overrides, A(c, 2));
	for (size_t i = 0; i < c->nassigns; i++)
		ck_assert_uint_eq(c->assigns[i].index, i);
	config_free(c);
}
END_TEST

START_TEST(test_invalid_value_fails_load)
{
	struct config *c = load("[global]\nworkgroup = w\n[s]\npath = /s\nguest ok = yes # no inline comments\nread only = no\n[t]\npath = /t\n");
	ck_assert(c->load_failed);
	ck_assert_int_eq(A(c, 2)->status, AS_INVALID);
	ck_assert_ptr_nonnull(c->fatal_reason);
	ck_assert_ptr_eq(c->fatal_node, A(c, 2)->node);
	ck_assert_ptr_eq(c->fatal_file, c->files[0]);
	ck_assert_ptr_nonnull(strstr(c->fatal_reason, "guest ok"));
	ck_assert_int_eq(A(c, 3)->status, AS_NOT_READ);
	ck_assert_int_eq(A(c, 4)->status, AS_NOT_READ);
	ck_assert_ptr_null(config_find(c, "t"));          /* never reached */
	ck_assert_ptr_null(config_own(config_find(c, "s"), P("read only")));
	config_free(c);
}
END_TEST

START_TEST(test_bad_header_and_empty_name)
{
	struct config *c = load("[global]\nworkgroup = w\n[broken\npath = /b\n");
	ck_assert(c->load_failed);
	ck_assert_uint_eq(c->fatal_node->line, 3);
	ck_assert_int_eq(A(c, 1)->status, AS_NOT_READ);
	config_free(c);
	c = load("[global]\n= v\nworkgroup = w\n");
	ck_assert(c->load_failed);
	ck_assert_uint_eq(c->fatal_node->line, 2);
	ck_assert_int_eq(A(c, 0)->status, AS_NOT_READ);
	config_free(c);
	c = load("[global]\nno equals sign here\n\x00nul\nworkgroup = w\n");
	ck_assert(!c->load_failed);
	config_free(c);
}
END_TEST

START_TEST(test_global_defaults_reach_later_shares_only)
{
	struct config *c = load("[early]\npath = /e\n[global]\nread only = no\n[late]\npath = /l\n[early]\ncomment = reopened\n");
	ck_assert_str_eq(val(c, "late", "read only"), "No");
	ck_assert_ptr_null(val(c, "early", "read only"));            /* built-in default */
	ck_assert(config_bool(c, config_find(c, "early"), P("read only"), 0));
	ck_assert(!config_bool(c, config_find(c, "late"), P("read only"), 0));
	ck_assert_ptr_eq(config_lookup(c, config_find(c, "late"), P("read only"))->from, A(c, 1));
	ck_assert_ptr_null(config_own(config_find(c, "late"), P("read only")));
	config_free(c);
}
END_TEST

START_TEST(test_config_str_bool_enum)
{
	struct config *c = load("[global]\nmap to guest = bad user\nserver min protocol = SMB2\n[s]\npath = /s\n");
	const struct section *s = config_find(c, "s");
	ck_assert_str_eq(config_str(c, s, P("map to guest"), 0), "Bad User");
	ck_assert_int_ge(config_enum(c, NULL, P("map to guest"), 0), 0);
	ck_assert_int_ne(config_enum(c, NULL, P("map to guest"), 0), config_enum(c, NULL, P("server signing"), 0) + 1000);
	ck_assert_int_eq(config_enum(c, s, P("path"), 0), -1);       /* not an enum */
	ck_assert_str_eq(config_str(c, s, P("guest ok"), 0), "No");  /* default */
	ck_assert(!config_bool(c, s, P("guest ok"), 0));
	ck_assert(config_bool(c, s, P("browseable"), 0));
	ck_assert_str_eq(config_str(c, s, P("server min protocol"), 0), "SMB2");   /* as testparm prints it */
	config_free(c);
}
END_TEST

START_TEST(test_config_file_and_backend_recorded)
{
	struct config *c = load("[global]\nconfig file = /etc/samba/other.conf\n[s]\npath = /s\n");
	ck_assert_int_eq(A(c, 0)->status, AS_SET);
	ck_assert_str_eq(val(c, "global", "config file"), "/etc/samba/other.conf");
	ck_assert(!c->registry_backend);
	config_free(c);
	c = load("[global]\nconfig backend = registry\nworkgroup = x\n[s]\npath = /s\n");
	ck_assert(c->registry_backend);
	ck_assert(config_find(c, "s")->hidden);
	ck_assert_str_eq(val(c, "global", "registry shares"), "Yes");
	ck_assert_ptr_null(val(c, "global", "workgroup"));
	config_free(c);
}
END_TEST

/* ------------------------------------------------------------ copy, valid */

START_TEST(test_copy_values_keep_origin)
{
	struct config *c = load("[base]\npath = /b\ncomment = Base\nfruit:x = 1\n"
	    "[d]\ncreate mask = 0600\ncopy = base\npath = /d\n");
	const struct section *d = config_find(c, "d");
	const struct value *v = config_lookup(c, d, P("comment"));
	ck_assert_str_eq(v->canon, "Base");
	ck_assert_ptr_eq(v->from, A(c, 1));
	ck_assert_ptr_eq(v->copied_from, config_find(c, "base"));
	v = config_lookup(c, d, P("path"));
	ck_assert_str_eq(v->canon, "/d");
	ck_assert_ptr_null(v->copied_from);
	ck_assert_ptr_eq(config_opt(c, d, "fruit:x")->copied_from, config_find(c, "base"));
	ck_assert_int_eq(A(c, 4)->status, AS_META);
	config_free(c);
}
END_TEST

START_TEST(test_copy_keeps_own_values)
{
	struct config *c = load("[base]\npath = /b\nread only = no\nbrowseable = no\n"
	    "[d]\npath = /d\nbrowseable = yes\ncopy = base\n");
	ck_assert_str_eq(val(c, "d", "path"), "/d");           /* set before copy: kept */
	ck_assert_str_eq(val(c, "d", "browseable"), "Yes");
	ck_assert_str_eq(val(c, "d", "read only"), "No");
	config_free(c);
}
END_TEST

START_TEST(test_copy_after_printing_keeps_set_commands)
{
	struct config *c = load("[src]\npath = /src\n[dst]\npath = /dst\nlpq command = mine\nprinting = sysv\ncopy = src\n");
	ck_assert_str_eq(val(c, "dst", "lpq command"), "lpstat -o%p");   /* a line set it: copy leaves it */
	ck_assert_str_eq(val(c, "dst", "print command"), "");             /* only implied: copy replaces it */
	ck_assert_ptr_eq(config_lookup(c, config_find(c, "dst"), P("print command"))->copied_from, config_find(c, "src"));
	config_free(c);
}
END_TEST

START_TEST(test_copy_brings_source_global_snapshot)
{
	/* [a] was made before [global] changed read only; [b] after; b copies a's old value */
	struct config *c = load("[a]\npath = /a\n[global]\nread only = no\n[b]\npath = /b\ncopy = a\n");
	ck_assert(config_bool(c, config_find(c, "b"), P("read only"), 0));
	ck_assert_ptr_eq(config_lookup(c, config_find(c, "b"), P("read only"))->copied_from, config_find(c, "a"));
	config_free(c);
}
END_TEST

START_TEST(test_copy_failures)
{
	const char *bad[] = {
		"[a]\npath = /a\ncopy = later\n[later]\npath = /l\n",
		"[a]\npath = /a\ncopy = nowhere\n",
		"[h]\npath = /h\n-valid = no\n[b]\ncopy = h\n",
		"[a]\npath = /a\ncopy = A\n",
		"[a]\npath = /a\n[global]\ncopy = a\n",
		"copy = a\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct config *c = load(bad[i]);
		ck_assert_msg(c->load_failed, "case %zu should fail", i);
		ck_assert_msg(strstr(c->fatal_reason, "copy") != NULL, "case %zu: %s", i, c->fatal_reason);
		config_free(c);
	}
}
END_TEST

START_TEST(test_valid_no_hides)
{
	struct config *c = load("[t]\npath = /t\n-valid = no\n[v]\npath = /v\n[r]\npath = /r\n-valid = no\n[r]\n-valid = yes\n");
	ck_assert(config_find(c, "t")->hidden);
	ck_assert(!config_find(c, "v")->hidden);
	ck_assert(!config_find(c, "r")->hidden);
	char *out = print_to_string(c, false);
	ck_assert_ptr_null(strstr(out, "[t]"));
	/* testparm still writes the blank line that would have preceded [t] */
	ck_assert_ptr_nonnull(strstr(out, "backend = tdb\n\n\n\n[v]\n"));
	free(out);
	config_free(c);
}
END_TEST

/* ------------------------------------------------------- loader's own values */

START_TEST(test_service_checks)
{
	struct config *c = load("[nopath]\ncomment = x\n[homes]\ncomment = h\n[printers]\npath = /var/spool\nbrowseable = yes\n"
	    "[dfs]\nmsdfs proxy = \\\\srv\\share\n[late]\ncomment = first\n[x]\npath = /x\n[late]\npath = /late\n");
	const struct value *v = config_lookup(c, config_find(c, "nopath"), P("available"));
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->canon, "No");
	ck_assert_ptr_nonnull(v->implied);
	ck_assert_ptr_null(v->from);
	ck_assert_ptr_null(config_own(config_find(c, "homes"), P("available")));
	ck_assert_ptr_null(config_own(config_find(c, "dfs"), P("available")));
	ck_assert_str_eq(val(c, "printers", "printable"), "Yes");
	ck_assert_str_eq(val(c, "printers", "browseable"), "No");
	/* the check ran when [x] opened, before [late] got its path */
	ck_assert_str_eq(val(c, "late", "available"), "No");
	ck_assert_str_eq(val(c, "late", "path"), "/late");
	config_free(c);
}
END_TEST

START_TEST(test_printing_commands)
{
	struct config *c = load("[p]\npath = /p\nprint command = mine\nprinting = bsd\n[q]\npath = /q\nprinting = bsd\nprint command = mine\n"
	    "[global]\nprinting = sysv\n[r]\npath = /r\n");
	const struct value *v = config_lookup(c, config_find(c, "p"), P("print command"));
	ck_assert_str_eq(v->canon, "lpr -r -P'%p' %s");
	ck_assert_ptr_nonnull(v->implied);
	ck_assert_ptr_eq(v->from, A(c, 2));
	ck_assert_str_eq(val(c, "q", "print command"), "mine");
	/* printing in [global] leaves the commands of later shares alone */
	ck_assert_ptr_null(val(c, "r", "print command"));
	ck_assert_str_eq(val(c, "r", "printing"), "sysv");
	config_free(c);
}
END_TEST

START_TEST(test_client_auth_forced_off)
{
	struct config *c = load("[global]\nclient lanman auth = yes\nclient plaintext auth = yes\n");
	const struct value *v = config_lookup(c, NULL, P("client lanman auth"));
	ck_assert_str_eq(v->canon, "No");
	ck_assert_ptr_nonnull(v->implied);
	ck_assert_str_eq(val(c, "global", "client plaintext auth"), "No");
	config_free(c);
	c = load("[global]\nclient NTLMv2 auth = no\nclient lanman auth = yes\nclient plaintext auth = yes\n");
	ck_assert_str_eq(val(c, "global", "client lanman auth"), "Yes");
	ck_assert_str_eq(val(c, "global", "client plaintext auth"), "Yes");
	config_free(c);
}
END_TEST

START_TEST(test_idmap_and_ad_dc)
{
	struct config *c = load("[global]\nidmap backend = rid\nidmap uid = 1-2\nidmap gid = 3-4\n");
	ck_assert_str_eq(config_opt(c, NULL, "idmap config * : backend")->canon, "rid");
	ck_assert_str_eq(config_opt(c, NULL, "idmap config * : range")->canon, "3-4");
	config_free(c);
	c = load("[global]\nserver role = active directory domain controller\nxattr_tdb:file = /x.tdb\n[sysvol]\npath = /s\n");
	ck_assert_str_eq(val(c, "global", "vfs objects"), "dfs_samba4 acl_xattr xattr_tdb");
	ck_assert_str_eq(val(c, "sysvol", "map archive"), "No");
	ck_assert_str_eq(val(c, "global", "passdb backend"), "samba_dsdb");
	ck_assert_str_eq(config_opt(c, NULL, "rpc_server:tcpip")->canon, "no");
	config_free(c);
	/* with security = ads Samba does not run as a DC, whatever server role says */
	c = load("[global]\nserver role = dc\nsecurity = ads\n[s]\npath = /s\n");
	ck_assert_ptr_null(val(c, "global", "passdb backend"));
	ck_assert_ptr_null(config_opt(c, NULL, "rpc_server:tcpip"));
	config_free(c);
}
END_TEST

/* --------------------------------------------------------------- includes */

START_TEST(test_include_chain)
{
	make_tmpdir();
	char buf[1024];
	snprintf(buf, sizeof buf, "comment = from a\n[from a]\npath = /fa\ninclude = %s/b.inc\n", tmpdir);
	write_tmp("a.inc", buf);
	write_tmp("b.inc", "browseable = no\n[global]\nserver string = from b\n");
	snprintf(buf, sizeof buf, "[s1]\npath = /s1\ninclude = %s/a.inc\nguest ok = yes\n", tmpdir);
	struct config *c = load(buf);
	ck_assert(!c->load_failed);
	ck_assert_uint_eq(c->nfiles, 3);
	ck_assert_uint_eq(c->nincludes, 2);
	ck_assert_int_eq(c->includes[0].status, INC_OK);
	ck_assert_ptr_eq(c->includes[0].file, c->files[1]);
	ck_assert_ptr_eq(c->files[1]->parent, c->files[0]);
	ck_assert_uint_eq(c->files[1]->parent_line, 3);
	ck_assert_int_eq(c->files[1]->depth, 1);
	ck_assert_int_eq(c->files[2]->depth, 2);
	ck_assert_str_eq(val(c, "s1", "comment"), "from a");          /* continues [s1] */
	ck_assert_str_eq(val(c, "from a", "browseable"), "No");       /* b.inc continues [from a] */
	ck_assert_str_eq(val(c, "global", "guest ok"), "Yes");        /* b.inc ended in [global] */
	ck_assert_str_eq(val(c, "global", "server string"), "from b");
	ck_assert_int_eq(A(c, 1)->status, AS_META);
	config_free(c);
	rm_tmpdir();
}
END_TEST

START_TEST(test_include_kinds)
{
	make_tmpdir();
	char buf[1024];
	write_tmp("rel.inc", "workgroup = relative\n");
	ck_assert_int_eq(mkfifo(strcat(strcpy(buf, tmpdir), "/fifo"), 0600), 0);
	snprintf(buf, sizeof buf,
	    "[global]\ninclude = /nonexistent/smblint/x.conf\ninclude = /nonexistent/*.conf\n"
	    "include = /nonexistent/%%m.conf\ninclude = rel.inc\ninclude = %s/fifo\ninclude = %s\ninclude = registry\n",
	    tmpdir, tmpdir);
	struct config_opts o = {.include_root = tmpdir, .follow_includes = true};
	struct config *c = load_opts(buf, &o);
	ck_assert(!c->load_failed);
	ck_assert_uint_eq(c->nincludes, 7);
	ck_assert_int_eq(c->includes[0].status, INC_MISSING);
	ck_assert(!c->includes[0].relative);
	ck_assert_int_eq(c->includes[1].status, INC_GLOB);
	ck_assert_int_eq(c->includes[2].status, INC_MACRO);
	ck_assert_int_eq(c->includes[3].status, INC_OK);
	ck_assert(c->includes[3].relative);
	ck_assert_str_eq(val(c, "global", "workgroup"), "RELATIVE");
	ck_assert_int_eq(c->includes[4].status, INC_UNREADABLE);      /* a FIFO: not read, no hang */
	ck_assert_int_eq(c->includes[5].status, INC_UNREADABLE);      /* a directory */
	ck_assert_int_eq(c->includes[6].status, INC_REGISTRY);
	ck_assert_str_eq(val(c, "global", "registry shares"), "Yes");
	ck_assert_str_eq(val(c, "global", "include"), tmpdir);        /* last include = line */
	config_free(c);
	/* the same relative include from "/" is missing */
	c = load(buf);
	ck_assert_int_eq(c->includes[3].status, INC_MISSING);
	config_free(c);
	rm_tmpdir();
}
END_TEST

START_TEST(test_include_loop_and_registry_in_share)
{
	make_tmpdir();
	char buf[512];
	snprintf(buf, sizeof buf, "[global]\ninclude = %s/loop.conf\n", tmpdir);
	write_tmp("loop.conf", buf);
	struct config *c = load(buf);
	ck_assert(c->load_failed);
	ck_assert_int_eq(c->includes[c->nincludes - 1].status, INC_LOOP);
	ck_assert_uint_eq(c->nfiles, 101);
	ck_assert_int_eq(c->fatal_file->depth, 100);
	config_free(c);
	rm_tmpdir();
	c = load("[s]\npath = /s\ninclude = registry\n");
	ck_assert(c->load_failed);
	ck_assert_int_eq(c->includes[0].status, INC_REGISTRY_BAD);
	config_free(c);
}
END_TEST

/* --------------------------------------------------------------- printing */

START_TEST(test_print_layout)
{
	struct config *c = load("[global]\nworkgroup = wg\nlog level = 3\nserver string = Samba\nfoo:bar = 1\n"
	    "guest ok = yes\nwriteable = yes\n[s]\npath = /s\ncomment = c\nguest ok = no\nx:y = 1\nz:w = 2\n[t]\npath = /t\n");
	char *out = print_to_string(c, false);
	ck_assert_str_eq(out,
	    "# Global parameters\n[global]\n"
	    "\tserver string = Samba\n"
	    "\tworkgroup = WG\n"
	    "\tfoo:bar = 1\n"
	    "\tidmap config * : backend = tdb\n"
	    "\tguest ok = Yes\n"
	    "\n\n[s]\n"
	    "\tcomment = c\n"
	    "\tguest ok = No\n"
	    "\tpath = /s\n"
	    "\tz:w = 2\n"
	    "\tx:y = 1\n"
	    "\n\n[t]\n"
	    "\tpath = /t\n");
	free(out);
	out = print_to_string(c, true);
	ck_assert_ptr_nonnull(strstr(out, "\t# t.conf:2\n\tworkgroup = WG\n"));
	ck_assert_ptr_nonnull(strstr(out, "idmap config * : backend = tdb"));
	free(out);
	config_free(c);
}
END_TEST

START_TEST(test_print_early_share_differs)
{
	struct config *c = load("[early]\npath = /e\n[global]\nread only = no\n[late]\npath = /l\n");
	char *out = print_to_string(c, false);
	ck_assert_ptr_nonnull(strstr(out, "[early]\n\tpath = /e\n\tread only = Yes\n"));
	ck_assert_ptr_nonnull(strstr(out, "[late]\n\tpath = /l\n"));
	ck_assert_ptr_null(strstr(out, "[late]\n\tpath = /l\n\tread"));
	free(out);
	config_free(c);
}
END_TEST

/* ------------------------------------------------------------ performance */

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

START_TEST(test_big_file_is_fast)
{
	struct sbuf b = {0};
	sbuf_adds(&b, "[global]\nworkgroup = BIG\nread only = no\n");
	for (int i = 0; i < 10000; i++)
		sbuf_addf(&b, "[share%05d]\n\tpath = /srv/%d\n\tcomment = share %d\n\tguest ok = %s\n\tvalid users = @g%d, u%d\n\tx:y = %d\n",
		    i, i, i, i % 2 ? "yes" : "no", i % 7, i, i);
	size_t len = b.len;
	/*
	 * The bar is relative to reading the same bytes into a tree, so that it
	 * holds under valgrind or on a busy machine: anything quadratic in the
	 * number of shares blows far past it.
	 */
	unsigned char *copy = xmalloc(len + 1);
	memcpy(copy, b.s, len + 1);
	double t0 = now_ms();
	struct srcfile *f = src_new("big.conf", copy, len);
	tree_parse(f);
	double parse = now_ms() - t0;
	src_free(f);
	t0 = now_ms();
	struct config *c = config_load_mem("big.conf", (unsigned char *)sbuf_take(&b), len, NULL);
	double load = now_ms() - t0;
	ck_assert_uint_eq(c->nsections, 10001);
	ck_assert_str_eq(val(c, "share09999", "path"), "/srv/9999");
	ck_assert_str_eq(val(c, "SHARE00001", "read only"), "No");
	ck_assert_str_eq(config_opt(c, config_find(c, "share04321"), "x:y")->canon, "4321");
	config_free(c);
	ck_assert_msg(load < 10 * parse + 100, "loading took %.0f ms, parsing alone %.0f ms", load, parse);
}
END_TEST

/* What a load tells: the configuration with origins, then each line's fate. */
static char *load_summary(const char *path, const unsigned char *data, size_t len, size_t stream_min)
{
	unsigned char *d = xmalloc(len + 1);
	memcpy(d, data, len);
	d[len] = '\0';
	size_t saved = tree_stream_min;
	tree_stream_min = stream_min;
	struct config_opts o = {.include_root = "/", .follow_includes = true};
	struct config *c = config_load_mem(path, d, len, &o);
	tree_stream_min = saved;
	char *printed = print_to_string(c, true);
	struct sbuf b = {0};
	sbuf_adds(&b, printed);
	free(printed);
	for (size_t i = 0; i < c->nassigns; i++) {
		const struct assign *a = &c->assigns[i];
		sbuf_addf(&b, "%s:%u %s=%s %d %s\n", a->file->display, a->node->line, a->name, a->canon, a->status,
		    a->overrides ? a->overrides->name : "-");
	}
	for (size_t i = 0; i < c->nfiles; i++)
		sbuf_addf(&b, "file %s nodes %zu\n", c->files[i]->display, c->files[i]->tree->n);
	sbuf_addf(&b, "failed %d %s\n", c->load_failed, c->fatal_reason ? c->fatal_reason : "");
	config_free(c);
	return sbuf_take(&b);
}

/*
 * A large file is loaded while a thread still parses it (the loader waits
 * for each node, also when it looks ahead to the next header): the result
 * must be the one of a load that parses first, for every corpus file and
 * for a file that includes another (both then parsed on threads).
 */
static void streamed_same(const char *path, const unsigned char *data, size_t len, void *ctx)
{
	(void)ctx;
	char *serial = load_summary(path, data, len, SIZE_MAX);
	char *streamed = load_summary(path, data, len, 1);
	ck_assert_msg(strcmp(serial, streamed) == 0, "%s: loading while parsing differs", path);
	free(serial);
	free(streamed);
}

START_TEST(test_streamed_load_matches_serial)
{
	size_t before = tree_streams;
	int files = corpus_each(streamed_same, NULL);
	ck_assert_int_ge(files, 200);
	ck_assert_uint_ge(tree_streams - before, (size_t)files);

	make_tmpdir();
	struct sbuf inc = {0}, top = {0};
	for (int i = 0; i < 3000; i++)
		sbuf_addf(&inc, "[in%d]\n\tpath = /srv/%d\n\tguest ok = %s\n\n", i, i, i % 3 ? "no" : "yes");
	write_tmp("inc.conf", inc.s);
	sbuf_addf(&top, "[global]\n\tworkgroup = W\n\tinclude = %s/inc.conf\n\tmap to guest = bad user\n", tmpdir);
	for (int i = 0; i < 3000; i++)
		sbuf_addf(&top, "[top%d]\n\tpath = /t/%d\n\tcopy = in%d\n", i, i, i);
	char *serial = load_summary("top.conf", (unsigned char *)top.s, top.len, SIZE_MAX);
	char *streamed = load_summary("top.conf", (unsigned char *)top.s, top.len, 1);
	ck_assert_msg(strcmp(serial, streamed) == 0, "an include loaded while parsing differs");
	ck_assert_ptr_nonnull(strstr(serial, "[top2999]"));
	free(serial);
	free(streamed);
	free(inc.s);
	free(top.s);
	rm_tmpdir();
}
END_TEST

/* A made-up passwd database: alice and bob have homes, nohome has an empty one. */
static char *fake_home(const char *user)
{
	if (strcmp(user, "alice") == 0)
		return xstrdup("/home/alice");
	if (strcmp(user, "bob") == 0)
		return xstrdup("/srv/bob");
	if (strcmp(user, "nohome") == 0)
		return xstrdup("");
	return NULL;
}

/* Whether text comes after the line hdr in out (so in that section or a later one). */
__attribute__((noinline)) static bool after(const char *out, const char *hdr, const char *text)
{
	const char *h = strstr(out, hdr);
	return h != NULL && strstr(h, text) != NULL;
}

START_TEST(test_auto_services_homes)
{
	/* names split at blanks, commas and semicolons; a share of that name (any case, even
	 * switched off) wins; macros, unknown users and users without a home add nothing */
	struct config *c = load("[global]\n\tpreload = alice;%U nosuch,nohome bob ALICE Carol\n\tbrowseable = no\n"
	    "[homes]\n\tbrowseable = yes\n\tread only = no\n\tx:y = z\n[BOB]\n\t-valid = no\n");
	config_add_homes(c, fake_home);
	ck_assert_uint_eq(c->nhomes, 1);
	ck_assert_str_eq(c->homes[0].name, "alice");
	ck_assert_str_eq(c->homes[0].dir, "/home/alice");
	char *out = print_to_string(c, false);
	ck_assert_msg(after(out, "\n[alice]\n", ""), "%s", out);
	/* path and comment made up, [homes]' own values kept, browseable from [global] (so not printed) */
	ck_assert(after(out, "\n[alice]\n", "\tcomment = Home directory of alice\n"));
	ck_assert(after(out, "\n[alice]\n", "\tpath = /home/alice\n"));
	ck_assert(after(out, "\n[alice]\n", "\tread only = No\n"));
	ck_assert(after(out, "\n[alice]\n", "\tx:y = z\n"));
	ck_assert(!after(out, "\n[alice]\n", "browseable"));
	free(out);
	config_free(c);

	/* [homes]' own path and comment stay; one equal to [global]'s path is replaced */
	c = load("[global]\n\tauto services = alice bob\n\tpath = /x\n[homes]\n\tpath = /home/%S\n\tcomment = mine\n");
	config_add_homes(c, fake_home);
	out = print_to_string(c, true);
	ck_assert_msg(after(out, "\n[bob]\n", ""), "%s", out);
	ck_assert(after(out, "\n[bob]\n", "\tpath = /home/%S\n"));
	ck_assert(after(out, "\n[bob]\n", "\tcomment = mine\n"));
	free(out);
	config_free(c);
	c = load("[global]\n\tauto services = bob\n\tpath = /x\n[homes]\n\tpath = /X\n");
	config_add_homes(c, fake_home);
	out = print_to_string(c, true);
	ck_assert_msg(strstr(out, "\tpath = /srv/bob\n") != NULL, "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "# t.conf:2: the user's home directory on this machine"));
	free(out);
	config_free(c);

	/* no [homes], or a failed load: nothing */
	c = load("[global]\n\tauto services = alice\n");
	config_add_homes(c, fake_home);
	ck_assert_uint_eq(c->nhomes, 0);
	config_free(c);
	c = load("[global]\n\tauto services = alice\n\tmap to guest = bad\n[homes]\n");
	config_add_homes(c, fake_home);
	ck_assert_uint_eq(c->nhomes, 0);
	config_free(c);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *t = tcase_create("loader");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, test_before_first_header_is_global);
	tcase_add_test(t, test_global_names);
	tcase_add_test(t, test_share_names_unix_charset);
	tcase_add_test(t, test_share_names_merge_case_not_blanks);
	tcase_add_test(t, test_reopen_drops_parametric);
	tcase_add_test(t, test_global_reopen_keeps_parametric);
	tcase_add_test(t, test_empty_section_name_fails);
	tcase_add_test(t, test_synonyms_and_inverse);
	tcase_add_test(t, test_parametric_names);
	tcase_add_test(t, test_unknown_and_global_in_share);
	tcase_add_test(t, test_last_wins_and_overrides);
	tcase_add_test(t, test_invalid_value_fails_load);
	tcase_add_test(t, test_bad_header_and_empty_name);
	tcase_add_test(t, test_global_defaults_reach_later_shares_only);
	tcase_add_test(t, test_config_str_bool_enum);
	tcase_add_test(t, test_config_file_and_backend_recorded);
	tcase_add_test(t, test_copy_values_keep_origin);
	tcase_add_test(t, test_copy_keeps_own_values);
	tcase_add_test(t, test_copy_after_printing_keeps_set_commands);
	tcase_add_test(t, test_copy_brings_source_global_snapshot);
	tcase_add_test(t, test_copy_failures);
	tcase_add_test(t, test_valid_no_hides);
	tcase_add_test(t, test_service_checks);
	tcase_add_test(t, test_printing_commands);
	tcase_add_test(t, test_client_auth_forced_off);
	tcase_add_test(t, test_idmap_and_ad_dc);
	tcase_add_test(t, test_include_chain);
	tcase_add_test(t, test_include_kinds);
	tcase_add_test(t, test_include_loop_and_registry_in_share);
	tcase_add_test(t, test_print_layout);
	tcase_add_test(t, test_print_early_share_differs);
	tcase_add_test(t, test_auto_services_homes);
	tcase_add_test(t, test_big_file_is_fast);
	tcase_add_test(t, test_streamed_load_matches_serial);
	suite_add_tcase(s, t);
	return s;
}
