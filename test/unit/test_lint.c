/* test_lint.c - the engine: positions, sorting, suppression comments, meta rules, rule selection. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "corpus.h"
#include "lint.h"
#include "output.h"
#include "rules.h"
#include "util.h"

/*
 * A configuration built by hand (no loader): the files are parsed into
 * trees, and every rule below works on the trees directly, so these tests
 * depend on nothing but the engine.
 */
static struct section sec_global = {.name = "global", .global = true};
static struct section sec_data = {.name = "Data"};

static struct config *fake_config(const char *a, const char *b)
{
	struct config *c = xcalloc(1, sizeof *c);
	const char *texts[2] = {a, b};
	c->files = xcalloc(2, sizeof *c->files);
	for (int i = 0; i < 2 && texts[i] != NULL; i++) {
		struct srcfile *f = src_new(i == 0 ? "top.conf" : "inc.conf",
		    (unsigned char *)xstrdup(texts[i]), strlen(texts[i]));
		tree_parse(f);
		c->files[c->nfiles++] = f;
	}
	return c;
}

static void free_config(struct config *c)
{
	for (size_t i = 0; i < c->nfiles; i++)
		src_free(c->files[i]);
	free(c->files);
	free(c);
}

/* ST0001: every parameter line, in reverse file order (the engine must sort). */
static void check_every_param(struct lint *l)
{
	for (size_t k = l->cfg->nfiles; k-- > 0;) {
		struct srcfile *f = l->cfg->files[k];
		for (size_t i = f->tree->n; i-- > 0;) {
			const struct node *n = &f->tree->nodes[i];
			if (n->kind == NODE_PARAM)
				lint_report(l, f, n->key_off, strcmp(n->key, "d") == 0 ? &sec_data : &sec_global,
				    n->key, n->key, "parameter %s", n->key);
		}
	}
}

/* ST0002: parameters named "b", with a note and an edit. */
static void check_b(struct lint *l)
{
	struct srcfile *f = l->cfg->files[0];
	for (size_t i = 0; i < f->tree->n; i++) {
		const struct node *n = &f->tree->nodes[i];
		if (n->kind == NODE_PARAM && strcmp(n->key, "b") == 0) {
			struct finding *fi = lint_report(l, f, n->value_off, NULL, NULL, NULL, "b is %s", n->value);
			finding_note(fi, "note %d", 42);
			finding_edit(fi, f, n->value_off, n->value_end, "fixed");
		}
	}
}

static const struct rule rule_every = {"ST0001", "every-param", SEV_WARNING, FIX_NONE,
	"s", "w", "y", "f", NULL, NULL, check_every_param, false};
static const struct rule rule_b = {"ST0002", "param-b", SEV_ERROR, FIX_SAFE,
	"s", "w", "y", "f", NULL, NULL, check_b, false};
static const struct rule *const test_rules[] = {&rule_every, &rule_b};

static void run(struct lint *l, struct config *c)
{
	memset(l, 0, sizeof *l);
	l->cfg = c;
	lint_run_rules(l, test_rules, 2);
}

static size_t count(const struct lint *l, const char *code, bool suppressed)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += strcmp(l->findings[i].rule->code, code) == 0 && l->findings[i].suppressed == suppressed;
	return n;
}

static const struct finding *first_of(const struct lint *l, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->findings[i].rule->code, code) == 0)
			return &l->findings[i];
	return NULL;
}

START_TEST(positions_and_sections)
{
	struct config *c = fake_config("[x]\n  a = 1\n\tb = two\n", NULL);
	struct lint l;
	run(&l, c);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.findings[0].message, "parameter a");
	ck_assert_uint_eq(l.findings[0].line, 2);
	ck_assert_uint_eq(l.findings[0].col, 3);
	ck_assert_str_eq(l.findings[0].section, "global");
	/* Same line: ordered by column, then code. */
	ck_assert_uint_eq(l.findings[1].line, 3);
	ck_assert_uint_eq(l.findings[1].col, 2);
	ck_assert_str_eq(l.findings[2].rule->code, "ST0002");
	ck_assert_uint_eq(l.findings[2].col, 6);
	ck_assert_ptr_null(l.findings[2].section);
	ck_assert_str_eq(l.findings[2].note, "note 42");
	ck_assert_uint_eq(l.findings[2].nedits, 1);
	ck_assert_str_eq(l.findings[2].edits[0].text, "fixed");
	ck_assert(finding_fixable(&l.findings[2]));
	ck_assert(!finding_fixable(&l.findings[0]));
	lint_free(&l);
	free_config(c);
}
END_TEST

START_TEST(sorting_across_files)
{
	struct config *c = fake_config("a = 1\nd = 2\n", "c = 3\n");
	struct lint l;
	run(&l, c);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.findings[0].file->path, "top.conf");
	ck_assert_str_eq(l.findings[1].section, "data");   /* lower case, as Samba compares */
	ck_assert_str_eq(l.findings[2].file->path, "inc.conf");
	lint_free(&l);
	free_config(c);
}
END_TEST

START_TEST(suppress_next_line)
{
	struct config *c = fake_config(
	    "# smblint: disable=ST0001\n"
	    "\n"
	    "a = 1\n"
	    "; smblint: disable = param-b , every-param  because reasons\n"
	    "b = 2\n"
	    "c = 3\n", NULL);
	struct lint l;
	run(&l, c);
	ck_assert_uint_eq(count(&l, "ST0001", true), 2);
	ck_assert_uint_eq(count(&l, "ST0001", false), 1);   /* c */
	ck_assert_uint_eq(count(&l, "ST0002", true), 1);
	ck_assert_uint_eq(count(&l, "SL9001", false), 0);
	ck_assert_uint_eq(count(&l, "SL9002", false), 0);
	lint_free(&l);
	free_config(c);
}
END_TEST

START_TEST(unused_and_unknown)
{
	const char *text =
	    "# smblint: disable=ST0002\n"        /* a has no ST0002: unused, whole line goes */
	    "a = 1\n"
	    "# smblint: disable=ST0001,ST0002\n" /* ST0001 used, ST0002 not: list shrinks */
	    "c = 1\n"
	    "# smblint: disable=SL7777\n"
	    "# smblint: frobnicate\n"
	    "d = 1\n";
	struct config *c = fake_config(text, NULL);
	struct lint l;
	run(&l, c);
	ck_assert_uint_eq(count(&l, "SL9001", false), 2);
	const struct finding *f = first_of(&l, "SL9001");
	ck_assert_uint_eq(f->line, 1);
	ck_assert_uint_eq(f->col, 20);
	ck_assert_uint_eq(f->severity, SEV_INFO);
	ck_assert_uint_eq(f->nedits, 1);
	ck_assert_uint_eq(f->edits[0].start, 0);
	ck_assert_uint_eq(f->edits[0].end, strlen("# smblint: disable=ST0002\n"));
	f = &l.findings[0];
	for (size_t i = 0; i < l.n; i++)
		if (strcmp(l.findings[i].rule->code, "SL9001") == 0 && l.findings[i].line == 3)
			f = &l.findings[i];
	ck_assert_uint_eq(f->line, 3);
	ck_assert_str_eq(f->edits[0].text, "ST0001");
	ck_assert_uint_eq(count(&l, "SL9002", false), 2);   /* unknown code, malformed comment */
	lint_free(&l);
	free_config(c);
}
END_TEST

START_TEST(disable_file)
{
	struct config *c = fake_config("a = 1\n# smblint: disable-file=every-param\nb = 2\n", "c = 1\n");
	struct lint l;
	run(&l, c);
	ck_assert_uint_eq(count(&l, "ST0001", true), 2);    /* a and b, not c in the other file */
	ck_assert_uint_eq(count(&l, "ST0001", false), 1);
	ck_assert_uint_eq(count(&l, "ST0002", false), 1);
	lint_free(&l);
	free_config(c);
}
END_TEST

START_TEST(comment_without_following_line)
{
	struct config *c = fake_config("a = 1\n# smblint: disable=ST0001", NULL);
	struct lint l;
	run(&l, c);
	ck_assert_uint_eq(count(&l, "ST0001", false), 1);
	ck_assert_uint_eq(count(&l, "SL9001", false), 1);
	lint_free(&l);
	free_config(c);
}
END_TEST

START_TEST(rule_lookup)
{
	ck_assert_ptr_nonnull(rule_find("SL9001"));
	ck_assert_ptr_eq(rule_find("sl9001"), rule_find("UNUSED-SUPPRESSION"));
	ck_assert_ptr_null(rule_find("SL0000"));
	ck_assert_uint_lt(rule_index(rule_find("SL9002")), rule_count);
	ck_assert_uint_eq(rule_index(&rule_every), rule_count);
	/* every family's rules made it into the table (it has a fixed size) */
	ck_assert_uint_eq(rule_count, rules_load_count + rules_compat_count + rules_security_count +
	    rules_live_count + rules_meta_count);
	for (size_t i = 0; i < rule_count; i++) {
		const struct rule *r = rule_table[i];
		ck_assert_ptr_eq(rule_find(r->code), r);
		ck_assert_ptr_eq(rule_find(r->name), r);
		ck_assert(r->summary && *r->summary && r->what && *r->what);
		ck_assert(r->why && *r->why && r->fix_text && *r->fix_text);
	}
}
END_TEST

START_TEST(selection_and_severity)
{
	bool *flags = xcalloc(rule_count, sizeof *flags);
	char *err = NULL;
	ck_assert_int_eq(rule_select("SL9001, unknown-suppression", flags, true, &err), 0);
	ck_assert(flags[rule_index(rule_find("SL9001"))]);
	ck_assert(flags[rule_index(rule_find("SL9002"))]);
	ck_assert_int_eq(rule_select("all", flags, false, &err), 0);
	ck_assert(!flags[rule_index(rule_find("SL9001"))]);
	ck_assert_int_eq(rule_select("SL9001,nope", flags, true, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'nope'"));
	free(err);
	memset(flags, 0, rule_count * sizeof *flags);
	ck_assert_int_eq(severity_parse("Error", false), SEV_ERROR);
	ck_assert_int_eq(severity_parse("none", false), -1);
	ck_assert_int_eq(severity_parse("none", true), SEV_NONE);
	ck_assert_str_eq(severity_name(SEV_INFO), "info");

	/* Meta rules obey the selection and the severity overrides. */
	struct config *c = fake_config("# smblint: disable=ST0002\na = 1\n", NULL);
	signed char *sev = xmalloc(rule_count);
	memset(sev, -1, rule_count);
	sev[rule_index(rule_find("SL9001"))] = SEV_ERROR;
	struct lint_opts o = {.severity = sev, .disabled = flags};
	struct lint l = {.cfg = c, .opts = &o};
	lint_run_rules(&l, test_rules, 2);
	ck_assert_uint_eq(first_of(&l, "SL9001")->severity, SEV_ERROR);
	lint_free(&l);
	flags[rule_index(rule_find("SL9001"))] = true;
	memset(&l, 0, sizeof l);
	l.cfg = c;
	l.opts = &o;
	lint_run_rules(&l, test_rules, 2);
	ck_assert_ptr_null(first_of(&l, "SL9001"));
	lint_free(&l);
	free(sev);
	free(flags);
	free_config(c);
}
END_TEST

START_TEST(safe_output_text)
{
	struct sbuf b = {0};
	out_safe(&b, "a\033[31m\tb\xff\xc2\x85", 10);
	ck_assert_str_eq(sbuf_str(&b), "a\xef\xbf\xbd[31m\tb\xef\xbf\xbd\xef\xbf\xbd");
	sbuf_free(&b);
}
END_TEST

/* out_write's text to a stream: through a memory stream (fwrite) or a file (write(2)). */
static char *text_output(struct report *r, bool color, bool to_file, size_t *len)
{
	struct out_opts oo = {.color = color, .show = SEV_INFO};
	char *buf = NULL;
	size_t n = 0;
	FILE *f = to_file ? tmpfile() : open_memstream(&buf, &n);
	ck_assert_ptr_nonnull(f);
	oo.out = f;
	fputs("before\n", f);   /* stdio data already buffered must come first */
	ck_assert_int_eq(out_write(FMT_TEXT, r, &oo), 0);
	fputs("after\n", f);
	if (to_file) {
		fflush(f);
		long end = ftell(f);
		ck_assert_int_ge(end, 0);
		n = (size_t)end;
		buf = xmalloc(n + 1);
		rewind(f);
		ck_assert_uint_eq(fread(buf, 1, n, f), n);
		buf[n] = '\0';
	}
	fclose(f);
	*len = n;
	return buf;
}

/* The same bytes whichever way they leave, summary (in the findings' write) and colour included. */
START_TEST(text_output_paths_agree)
{
	const char *text = "[global]\n\tmap to guest = bad user\n[pub]\n\tpath = /srv\n\tguest ok = yes\n";
	unsigned char *d = (unsigned char *)xstrdup(text);
	struct config *c = config_load_mem("t.conf", d, strlen(text), NULL);
	struct lint l = {.cfg = c};
	lint_run(&l);
	ck_assert_uint_gt(l.n, 0);
	struct lint *lp = &l;
	struct report r = {.lints = &lp, .nlints = 1};
	for (int color = 0; color < 2; color++) {
		size_t n1, n2;
		char *mem = text_output(&r, color, false, &n1), *file = text_output(&r, color, true, &n2);
		ck_assert_uint_eq(n1, n2);
		ck_assert_mem_eq(mem, file, n1);
		ck_assert(strncmp(mem, "before\n", 7) == 0);
		ck_assert_ptr_nonnull(strstr(mem, "warning"));
		ck_assert_ptr_nonnull(strstr(mem, "fixable"));   /* the summary line */
		ck_assert(n1 > 6 && strcmp(mem + n1 - 6, "after\n") == 0);
		ck_assert((strstr(mem, "\033[") != NULL) == (color != 0));
		free(mem);
		free(file);
	}
	lint_free(&l);
	config_free(c);
}
END_TEST

/* Every finding of a full lint, one line each: where, what, the note and the edits. */
static char *lint_summary(const char *path, const unsigned char *data, size_t len, size_t thread_min)
{
	unsigned char *d = xmalloc(len + 1);
	memcpy(d, data, len);
	d[len] = '\0';
	struct config *c = config_load_mem(path, d, len, NULL);
	struct lint l = {.cfg = c};
	size_t saved = lint_thread_min;
	lint_thread_min = thread_min;
	lint_run(&l);
	lint_thread_min = saved;
	struct sbuf b = {0};
	for (size_t i = 0; i < l.n; i++) {
		const struct finding *f = &l.findings[i];
		sbuf_addf(&b, "%s:%u:%u %s %d %d %s|%s|%s|%s|%s", f->file ? f->file->display : "-", f->line, f->col,
		    f->rule ? f->rule->code : "-", (int)f->severity, f->suppressed, f->section ? f->section : "",
		    f->parameter ? f->parameter : "", f->spelled ? f->spelled : "", f->message, f->note ? f->note : "");
		for (size_t k = 0; k < f->nedits; k++)
			sbuf_addf(&b, " [%zu,%zu)=%s", f->edits[k].start, f->edits[k].end, f->edits[k].text);
		sbuf_adds(&b, "\n");
	}
	lint_free(&l);
	config_free(c);
	return b.s != NULL ? sbuf_take(&b) : xstrdup("");
}

/*
 * On a large configuration the guest rules run on a thread of their own
 * (lint_thread_min); the findings must be those of one thread, in the same
 * order, for every corpus file and for a file of many guest shares whose
 * findings tie on position with other rules'.
 */
static void same_with_thread(const char *path, const unsigned char *data, size_t len, void *ctx)
{
	(void)ctx;
	char *one = lint_summary(path, data, len, SIZE_MAX);
	char *two = lint_summary(path, data, len, 1);
	ck_assert_msg(strcmp(one, two) == 0, "%s: the guest rules on a thread change the findings", path);
	free(one);
	free(two);
}

START_TEST(own_thread_rules_same_findings)
{
	ck_assert_int_ge(corpus_each(same_with_thread, NULL), 200);

	struct sbuf b = {0};
	sbuf_adds(&b, "[global]\n\tmap to guest = bad user\n\tserver min protocol = NT1\n\tguest ok = yes\n");
	for (int i = 0; i < 400; i++)
		sbuf_addf(&b, "[s%d]\n\tpath = /srv/%d\n\tguest ok = %s\n\tread only = %s\n\tforce user = %s\n", i, i,
		    i % 3 ? "yes" : "no", i % 2 ? "no" : "yes", i % 5 ? "nobody" : "root");
	char *one = lint_summary("many.conf", (unsigned char *)b.s, b.len, SIZE_MAX);
	char *two = lint_summary("many.conf", (unsigned char *)b.s, b.len, 1);
	ck_assert_msg(strcmp(one, two) == 0, "many guest shares: the guest rules on a thread change the findings");
	ck_assert_ptr_nonnull(strstr(one, "SL2002"));
	free(one);
	free(two);
	sbuf_free(&b);
}
END_TEST

Suite *lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("engine");
	tcase_add_test(tc, positions_and_sections);
	tcase_add_test(tc, sorting_across_files);
	tcase_add_test(tc, suppress_next_line);
	tcase_add_test(tc, unused_and_unknown);
	tcase_add_test(tc, disable_file);
	tcase_add_test(tc, comment_without_following_line);
	tcase_add_test(tc, rule_lookup);
	tcase_add_test(tc, selection_and_severity);
	tcase_add_test(tc, safe_output_text);
	tcase_add_test(tc, text_output_paths_agree);
	tcase_add_test(tc, own_thread_rules_same_findings);
	suite_add_tcase(s, tc);
	return s;
}
