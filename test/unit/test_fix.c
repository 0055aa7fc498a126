/* test_fix.c - the fixer's pieces: edits on bytes, the unified diff, choosing edits, safe writes. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fix.h"
#include "lint.h"
#include "safewrite.h"
#include "tree.h"
#include "util.h"

/* ---- helpers ---- */

static struct fix_text text(const char *s)
{
	struct fix_text t;
	fix_text_init(&t, "t.conf", NULL, (const unsigned char *)s, strlen(s));
	return t;
}

static struct edit ed(size_t start, size_t end, const char *s)
{
	struct edit e = { NULL, start, end, (char *)s };
	return e;
}

static char *diff_of(struct fix_text *t)
{
	struct sbuf b = {0};
	fix_diff(&b, "t.conf", t, 3);
	return sbuf_take(&b);
}

/* Every untouched run really is the same bytes on both sides. */
static void assert_segs(const struct fix_text *t)
{
	for (size_t i = 0; i < t->nsegs; i++) {
		const struct fix_seg *s = &t->segs[i];
		ck_assert_uint_le(s->old_off + s->len, t->orig_len);
		ck_assert_uint_le(s->new_off + s->len, t->len);
		ck_assert(memcmp(t->orig + s->old_off, t->data + s->new_off, s->len) == 0);
		if (i > 0) {
			ck_assert_uint_ge(s->old_off, t->segs[i - 1].old_off + t->segs[i - 1].len);
			ck_assert_uint_ge(s->new_off, t->segs[i - 1].new_off + t->segs[i - 1].len);
		}
	}
}

/* ---- fix_text_edit ---- */

START_TEST(test_edit_replace_insert_delete)
{
	struct fix_text t = text("[g]\na = 1\nb = 2\nc = 3\n");
	struct edit e[] = { ed(4, 4, "# x\n"), ed(8, 9, "one"), ed(14, 20, "") };
	fix_text_edit(&t, e, 3);
	ck_assert_str_eq((char *)t.data, "[g]\n# x\na = one\nb = 3\n");
	assert_segs(&t);
	fix_text_free(&t);
}
END_TEST

START_TEST(test_edit_rounds_compose)
{
	struct fix_text t = text("x = 1\ny = 2\nz = 3\n");
	struct edit r1[] = { ed(4, 5, "10") };
	fix_text_edit(&t, r1, 1);
	/* Second round: offsets in the bytes of the first. */
	struct edit r2[] = { ed(17, 18, "30"), ed(0, 0, "; top\n") };
	struct edit r2s[] = { r2[1], r2[0] };
	fix_text_edit(&t, r2s, 2);
	ck_assert_str_eq((char *)t.data, "; top\nx = 10\ny = 2\nz = 30\n");
	assert_segs(&t);
	char *d = diff_of(&t);
	ck_assert_str_eq(d,
	    "--- a/t.conf\n+++ b/t.conf\n"
	    "@@ -1,3 +1,4 @@\n"
	    "-x = 1\n+; top\n+x = 10\n y = 2\n-z = 3\n+z = 30\n");
	free(d);
	fix_text_free(&t);
}
END_TEST

START_TEST(test_edit_keeps_other_bytes)
{
	/* CRLF, a BOM, latin-1 and a continuation survive around an edit. */
	const char *in = "\xef\xbb\xbf[g]\r\n\tcomment = caf\xe9 \\\r\n more\r\n\tguest ok = yes\r\n";
	struct fix_text t = text(in);
	const char *at = strstr(in, "yes");
	struct edit e = ed((size_t)(at - in), (size_t)(at - in) + 3, "no");
	fix_text_edit(&t, &e, 1);
	ck_assert_str_eq((char *)t.data, "\xef\xbb\xbf[g]\r\n\tcomment = caf\xe9 \\\r\n more\r\n\tguest ok = no\r\n");
	assert_segs(&t);
	fix_text_free(&t);
}
END_TEST

/* ---- fix_diff ---- */

START_TEST(test_diff_context_and_hunks)
{
	struct sbuf in = {0};
	for (int i = 1; i <= 20; i++)
		sbuf_addf(&in, "l%d\n", i);
	struct fix_text t = text(sbuf_str(&in));
	/* l2 -> L2, l18 deleted: far apart, two hunks. */
	const char *s = sbuf_str(&in);
	size_t p2 = (size_t)(strstr(s, "l2\n") - s), p18 = (size_t)(strstr(s, "l18\n") - s);
	struct edit e[] = { ed(p2, p2 + 2, "L2"), ed(p18, p18 + 4, "") };
	fix_text_edit(&t, e, 2);
	char *d = diff_of(&t);
	ck_assert_str_eq(d,
	    "--- a/t.conf\n+++ b/t.conf\n"
	    "@@ -1,5 +1,5 @@\n l1\n-l2\n+L2\n l3\n l4\n l5\n"
	    "@@ -15,6 +15,5 @@\n l15\n l16\n l17\n-l18\n l19\n l20\n");
	free(d);
	fix_text_free(&t);
	sbuf_free(&in);
}
END_TEST

START_TEST(test_diff_close_changes_one_hunk)
{
	struct fix_text t = text("a\nb\nc\nd\ne\nf\ng\nh\ni\n");
	struct edit e[] = { ed(0, 1, "A"), ed(14, 15, "H") };
	fix_text_edit(&t, e, 2);
	char *d = diff_of(&t);
	ck_assert_str_eq(d,
	    "--- a/t.conf\n+++ b/t.conf\n"
	    "@@ -1,9 +1,9 @@\n-a\n+A\n b\n c\n d\n e\n f\n g\n-h\n+H\n i\n");
	free(d);
	fix_text_free(&t);
}
END_TEST

START_TEST(test_diff_no_newline_at_end)
{
	struct fix_text t = text("a\nb");
	struct edit e = ed(3, 3, "\nc");
	fix_text_edit(&t, &e, 1);
	char *d = diff_of(&t);
	ck_assert_str_eq(d,
	    "--- a/t.conf\n+++ b/t.conf\n"
	    "@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n\\ No newline at end of file\n");
	free(d);
	fix_text_free(&t);
}
END_TEST

START_TEST(test_diff_insert_at_top_and_delete_all)
{
	struct fix_text t = text("x\n");
	struct edit e = ed(0, 0, "new\n");
	fix_text_edit(&t, &e, 1);
	char *d = diff_of(&t);
	ck_assert_str_eq(d, "--- a/t.conf\n+++ b/t.conf\n@@ -1 +1,2 @@\n+new\n x\n");
	free(d);
	fix_text_free(&t);

	t = text("only\n");
	e = ed(0, 5, "");
	fix_text_edit(&t, &e, 1);
	d = diff_of(&t);
	ck_assert_str_eq(d, "--- a/t.conf\n+++ b/t.conf\n@@ -1 +0,0 @@\n-only\n");
	free(d);
	fix_text_free(&t);
}
END_TEST

START_TEST(test_diff_mid_line_and_unchanged)
{
	struct fix_text t = text("k = v\n");
	char *d = diff_of(&t);
	ck_assert_str_eq(d, "");
	free(d);
	/* A same-bytes replacement shows nothing either. */
	struct edit e = ed(4, 5, "v");
	fix_text_edit(&t, &e, 1);
	d = diff_of(&t);
	ck_assert_str_eq(d, "");
	free(d);
	fix_text_free(&t);

	t = text("a\r\nkey = v ; c\r\nz\r\n");
	e = ed(10, 14, "");
	fix_text_edit(&t, &e, 1);
	d = diff_of(&t);
	ck_assert_str_eq(d, "--- a/t.conf\n+++ b/t.conf\n@@ -1,3 +1,3 @@\n a\r\n-key = v ; c\r\n+key = v\r\n z\r\n");
	free(d);
	fix_text_free(&t);
}
END_TEST

/* ---- fix_select ---- */

static const struct rule safe_rule = { .code = "SL0001", .name = "t-safe", .fix = FIX_SAFE };
static const struct rule unsafe_rule = { .code = "SL0002", .name = "t-unsafe", .fix = FIX_UNSAFE };

static struct srcfile *file_of(const char *path, const char *s)
{
	return src_new(path, (unsigned char *)xstrdup(s), strlen(s));
}

static void add_finding(struct finding *f, const struct rule *r, struct srcfile *file, size_t s, size_t e,
    const char *txt)
{
	memset(f, 0, sizeof *f);
	f->rule = r;
	f->severity = SEV_WARNING;
	f->file = file;
	finding_edit(f, file, s, e, txt);
}

static void free_findings(struct finding *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < f[i].nedits; k++)
			free(f[i].edits[k].text);
		free(f[i].edits);
	}
}

START_TEST(test_select_verdicts)
{
	struct srcfile *a = file_of("a.conf", "0123456789abcdef\n");
	struct srcfile *b = file_of("b.conf", "xyz\n");
	struct finding f[9];
	add_finding(&f[0], &safe_rule, a, 2, 5, "X");       /* taken */
	add_finding(&f[1], &safe_rule, a, 4, 8, "Y");       /* overlaps f[0] */
	add_finding(&f[2], &safe_rule, a, 2, 5, "X");       /* same as f[0]: collapses */
	add_finding(&f[3], &unsafe_rule, a, 10, 11, "U");   /* unsafe */
	add_finding(&f[4], &safe_rule, b, 0, 1, "B");       /* other file */
	add_finding(&f[5], &safe_rule, a, 9, 40, "");       /* past the end */
	add_finding(&f[6], &safe_rule, a, 2, 2, "I");       /* insertion before f[0]'s span: fine */
	add_finding(&f[7], &safe_rule, a, 2, 2, "J");       /* second insertion at the same place */
	add_finding(&f[8], &safe_rule, a, 12, 13, "S");
	f[8].suppressed = true;
	enum fix_verdict v[9];
	struct edit *e;
	size_t ne;
	size_t n = fix_select(f, 9, false, SEV_INFO, "a.conf", v, &e, &ne);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(v[0], FV_APPLY);
	ck_assert_int_eq(v[1], FV_OVERLAP);
	ck_assert_int_eq(v[2], FV_APPLY);
	ck_assert_int_eq(v[3], FV_UNSAFE);
	ck_assert_int_eq(v[4], FV_ELSEWHERE);
	ck_assert_int_eq(v[5], FV_INVALID);
	ck_assert_int_eq(v[6], FV_APPLY);
	ck_assert_int_eq(v[7], FV_OVERLAP);
	ck_assert_int_eq(v[8], FV_NONE);
	ck_assert_uint_eq(ne, 2);
	ck_assert_uint_eq(e[0].start, 2);
	ck_assert_uint_eq(e[0].end, 2);
	ck_assert_uint_eq(e[1].end, 5);
	free(e);

	/* With --unsafe-fixes and every file writable. */
	n = fix_select(f, 9, true, SEV_INFO, NULL, v, &e, &ne);
	ck_assert_int_eq(v[3], FV_APPLY);
	ck_assert_int_eq(v[4], FV_APPLY);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(e[ne - 1].file->path, "b.conf");
	free(e);

	/* Below the threshold: not a fix at all. */
	n = fix_select(f, 1, false, SEV_ERROR, NULL, v, &e, &ne);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(v[0], FV_NONE);
	free(e);
	free_findings(f, 9);
	src_free(a);
	src_free(b);
}
END_TEST

START_TEST(test_select_all_or_nothing)
{
	struct srcfile *a = file_of("a.conf", "aaaa\nbbbb\ncccc\n");
	struct finding f[2];
	add_finding(&f[0], &safe_rule, a, 0, 4, "A");
	add_finding(&f[1], &safe_rule, a, 10, 14, "C");
	finding_edit(&f[1], a, 2, 3, "!");   /* its second edit overlaps f[0] */
	enum fix_verdict v[2];
	struct edit *e;
	size_t ne;
	fix_select(f, 2, false, SEV_INFO, NULL, v, &e, &ne);
	ck_assert_int_eq(v[1], FV_OVERLAP);
	ck_assert_uint_eq(ne, 1);   /* none of f[1]'s edits was taken */
	free(e);
	free_findings(f, 2);
	src_free(a);
}
END_TEST

/* ---- safewrite ---- */

static char *tmpdir(void)
{
	char *d = xstrdup("/tmp/smblint-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

static void put(const char *path, const char *s, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	fchmod(fd, mode);
	close(fd);
}

static char *get(const char *path)
{
	unsigned char *d;
	size_t n;
	char *err;
	if (read_file(path, 1 << 20, &d, &n, &err) != 0) {
		free(err);
		return NULL;
	}
	return (char *)d;
}

static void rm_rf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

START_TEST(test_safewrite_mode_backup_symlink)
{
	char *d = tmpdir();
	char *f = xasprintf("%s/smb.conf", d), *link = xasprintf("%s/link.conf", d);
	put(f, "old\n", 0640);
	ck_assert_int_eq(symlink("smb.conf", link), 0);
	struct safewrite_opts o = { (const unsigned char *)"old\n", 4, true, false };
	struct safewrite_result r;
	char *err = NULL;
	ck_assert_int_eq(safewrite(link, "new\n", 4, &o, &r, &err), 0);
	ck_assert_ptr_null(err);
	ck_assert_str_eq(r.written, f);
	char *s = get(f);
	ck_assert_str_eq(s, "new\n");
	free(s);
	s = get(r.backup);
	ck_assert_str_eq(s, "old\n");
	free(s);
	struct stat st;
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(stat(f, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	ck_assert_int_eq(stat(r.backup, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	safewrite_result_free(&r);
	free(f);
	free(link);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_safewrite_refuses_changed_file)
{
	char *d = tmpdir();
	char *f = xasprintf("%s/smb.conf", d);
	put(f, "changed meanwhile\n", 0644);
	struct safewrite_opts o = { (const unsigned char *)"old\n", 4, true, false };
	char *err = NULL;
	ck_assert_int_eq(safewrite(f, "new\n", 4, &o, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "changed since it was read"));
	free(err);
	char *s = get(f);
	ck_assert_str_eq(s, "changed meanwhile\n");
	free(s);
	/* Nothing left behind: only smb.conf in the directory. */
	char *cmd = xasprintf("test \"$(ls -A '%s')\" = smb.conf", d);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(f);
	rm_rf(d);
	free(d);
}
END_TEST

START_TEST(test_safewrite_create_and_missing)
{
	char *d = tmpdir();
	char *f = xasprintf("%s/out.conf", d), *g = xasprintf("%s/missing.conf", d);
	struct safewrite_opts o = { .create = true };
	char *err = NULL;
	ck_assert_int_eq(safewrite(f, "x\n", 2, &o, NULL, &err), 0);
	char *s = get(f);
	ck_assert_str_eq(s, "x\n");
	free(s);
	struct safewrite_opts strict = { (const unsigned char *)"", 0, false, false };
	ck_assert_int_eq(safewrite(g, "x\n", 2, &strict, NULL, &err), -1);
	ck_assert_ptr_nonnull(err);
	free(err);
	ck_assert_int_ne(access(g, F_OK), 0);
	free(f);
	free(g);
	rm_rf(d);
	free(d);
}
END_TEST

/* ---- fix_apply end to end (uses the real rules: map to guest = bad user is fixed safely) ---- */

static struct config *load_str(const char *s)
{
	return config_load_mem("mem.conf", (unsigned char *)xstrdup(s), strlen(s), NULL);
}

START_TEST(test_apply_diff_mode)
{
	const char *in = "[global]\r\n\tmap to guest = bad user\r\n# caf\xe9\r\n";
	struct config *cfg = load_str(in);
	struct lint_opts lo = { .clients = CL_DEFAULT };
	struct lint l = { .cfg = cfg, .opts = &lo };
	char *out = NULL, *err = NULL;
	size_t outlen = 0, errlen = 0;
	FILE *fo = open_memstream(&out, &outlen), *fe = open_memstream(&err, &errlen);
	struct fix_opts o = { .mode = FIXMODE_DIFF, .fail_on = SEV_NONE, .out = fo, .err = fe };
	struct fix_result res;

	setenv("SMBLINT_TESTPARM", "none", 1);
	lint_run(&l);
	int rc = fix_apply(cfg, &l, &o, &res);
	fclose(fo);
	fclose(fe);
	ck_assert_int_eq(rc, 1);   /* the diff is not empty */
	ck_assert_str_eq(out, "--- a/mem.conf\n+++ b/mem.conf\n@@ -1,3 +1,3 @@\n [global]\r\n"
	    "-\tmap to guest = bad user\r\n+\tmap to guest = never\r\n # caf\xe9\r\n");
	ck_assert_ptr_nonnull(strstr(err, "1 fix would be applied"));
	ck_assert(res.owned && res.changed);
	ck_assert_uint_eq(res.applied, 1);
	/* The result is the fixed configuration: nothing fixable is left. */
	for (size_t i = 0; i < res.lint->n; i++)
		ck_assert_str_ne(res.lint->findings[i].rule->code, "SL2001");
	fix_result_free(&res);
	lint_free(&l);
	config_free(cfg);
	free(out);
	free(err);
	unsetenv("SMBLINT_TESTPARM");
}
END_TEST

START_TEST(test_apply_nothing_to_fix)
{
	struct config *cfg = load_str("[global]\n\tworkgroup = W\n");
	struct lint_opts lo = { .clients = CL_DEFAULT };
	struct lint l = { .cfg = cfg, .opts = &lo };
	char *out = NULL, *err = NULL;
	size_t outlen = 0, errlen = 0;
	FILE *fo = open_memstream(&out, &outlen), *fe = open_memstream(&err, &errlen);
	struct fix_opts o = { .mode = FIXMODE_FIX, .output = "-", .fail_on = SEV_NONE, .out = fo, .err = fe };

	lint_run(&l);
	ck_assert_int_eq(fix_apply(cfg, &l, &o, NULL), 0);
	fclose(fo);
	fclose(fe);
	ck_assert_str_eq(out, "[global]\n\tworkgroup = W\n");   /* -o - writes the bytes unchanged */
	lint_free(&l);
	config_free(cfg);
	free(out);
	free(err);
}
END_TEST

/*
 * The fixer's last safety net: edits may change only the parameters that
 * the lines they touch name.  Stray edits ride on the real map-to-guest fix
 * here.
 */
static int apply_with(const char *in, const char *what, const char *with, char **err)
{
	struct config *cfg = load_str(in);
	struct lint_opts lo = { .clients = CL_DEFAULT };
	struct lint l = { .cfg = cfg, .opts = &lo };
	char *out = NULL;
	size_t outlen = 0, errlen = 0;
	FILE *fo = open_memstream(&out, &outlen), *fe = open_memstream(err, &errlen);
	struct fix_opts o = { .mode = FIXMODE_DIFF, .fail_on = SEV_NONE, .out = fo, .err = fe };

	setenv("SMBLINT_TESTPARM", "none", 1);
	lint_run(&l);
	struct finding *f = NULL;
	for (size_t i = 0; i < l.n; i++)
		if (strcmp(l.findings[i].rule->code, "SL2001") == 0)
			f = &l.findings[i];
	ck_assert_ptr_nonnull(f);
	const char *at = strstr(in, what);
	ck_assert_ptr_nonnull(at);
	finding_edit(f, cfg->files[0], (size_t)(at - in), (size_t)(at - in) + strlen(what), with);
	int rc = fix_apply(cfg, &l, &o, NULL);
	fclose(fo);
	fclose(fe);
	if (rc == 2)
		ck_assert_str_eq(out, "");   /* a refused fix shows no diff */
	lint_free(&l);
	config_free(cfg);
	free(out);
	unsetenv("SMBLINT_TESTPARM");
	return rc;
}

static void assert_refused(const char *in, const char *what, const char *with, const char *problem)
{
	char *err = NULL;
	ck_assert_int_eq(apply_with(in, what, with, &err), 2);
	ck_assert_msg(strstr(err, problem) != NULL, "'%s' not in: %s", problem, err);
	free(err);
}

START_TEST(test_apply_refuses_unrelated_changes)
{
	const char *in = "[global]\n\tmap to guest = bad user\n\tworkgroup = W\n"
	    "[Data]\n\tpath = /srv/data\n\tread only = no\n[mid]\n\tpath = /srv/mid\n"
	    "[zz]\n\tpath = /srv/zz\n\tcomment = z\n";
	/* `copy =` brings in a parameter that no touched line names */
	assert_refused(in, "\tpath = /srv/mid\n", "\tcopy = Data\n\tpath = /srv/mid\n",
	    "would change 'read only' in [mid] from unset to 'No'");
	assert_refused(in, "\tpath = /srv/zz\n", "\tcopy = Data\n\tpath = /srv/zz\n",
	    "would change 'read only' in [zz] from unset to 'No'");
	/* near miss: Samba compares share names ignoring case, so this changes nothing in effect */
	char *err = NULL;
	ck_assert_int_eq(apply_with(in, "[zz]", "[ZZ]", &err), 1);
	ck_assert_msg(strstr(err, "would change") == NULL, "%s", err);
	free(err);
}
END_TEST

Suite *fix_suite(void)
{
	Suite *s = suite_create("fix");
	TCase *tc = tcase_create("edits");
	tcase_add_test(tc, test_edit_replace_insert_delete);
	tcase_add_test(tc, test_edit_rounds_compose);
	tcase_add_test(tc, test_edit_keeps_other_bytes);
	suite_add_tcase(s, tc);
	tc = tcase_create("diff");
	tcase_add_test(tc, test_diff_context_and_hunks);
	tcase_add_test(tc, test_diff_close_changes_one_hunk);
	tcase_add_test(tc, test_diff_no_newline_at_end);
	tcase_add_test(tc, test_diff_insert_at_top_and_delete_all);
	tcase_add_test(tc, test_diff_mid_line_and_unchanged);
	suite_add_tcase(s, tc);
	tc = tcase_create("select");
	tcase_add_test(tc, test_select_verdicts);
	tcase_add_test(tc, test_select_all_or_nothing);
	suite_add_tcase(s, tc);
	tc = tcase_create("safewrite");
	tcase_add_test(tc, test_safewrite_mode_backup_symlink);
	tcase_add_test(tc, test_safewrite_refuses_changed_file);
	tcase_add_test(tc, test_safewrite_create_and_missing);
	suite_add_tcase(s, tc);
	tc = tcase_create("apply");
	tcase_add_test(tc, test_apply_diff_mode);
	tcase_add_test(tc, test_apply_nothing_to_fix);
	tcase_add_test(tc, test_apply_refuses_unrelated_changes);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
