/* test_tree.c - the lossless tree: Samba's reading rules and byte-exact round trips. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "corpus.h"
#include "params.h"
#include "tree.h"
#include "util.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

static struct srcfile *parse_bytes(const char *s, size_t n)
{
	unsigned char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	struct srcfile *f = src_new("t.conf", d, n);
	tree_parse(f);
	return f;
}

static struct srcfile *parse(const char *s)
{
	return parse_bytes(s, strlen(s));
}

/* Writes the tree to memory and compares with the input; also checks the spans tile the file. */
static int roundtrip_ok(struct srcfile *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int rc = tree_write(f->tree, m);
	fclose(m);
	int ok = rc == 0 && len == f->len && memcmp(buf, f->data, len) == 0;
	size_t pos = 0;
	for (size_t i = 0; i < f->tree->n; i++) {
		if (f->tree->nodes[i].start != pos || f->tree->nodes[i].end <= pos)
			ok = 0;
		pos = f->tree->nodes[i].end;
	}
	if (pos != f->len)
		ok = 0;
	free(buf);
	return ok;
}

/* The first node of a kind. */
static const struct node *first(struct srcfile *f, enum node_kind k)
{
	for (size_t i = 0; i < f->tree->n; i++)
		if (f->tree->nodes[i].kind == k)
			return &f->tree->nodes[i];
	return NULL;
}

START_TEST(test_no_inline_comment)
{
	struct srcfile *f = parse("[global]\n\tworkgroup = WG ; old\n");
	const struct node *n = first(f, NODE_PARAM);
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->key, "workgroup");
	ck_assert_str_eq(n->value, "WG ; old");
	ck_assert_uint_eq(n->line, 2);
	ck_assert_uint_eq(n->key_off, 10);
	ck_assert(roundtrip_ok(f));
	src_free(f);
}
END_TEST

START_TEST(test_comments_and_blanks)
{
	struct srcfile *f = parse("  # c \\\n; d\n \t \n[s]\n");
	ck_assert_uint_eq(f->tree->n, 4);
	ck_assert_int_eq(f->tree->nodes[0].kind, NODE_COMMENT);
	/* a comment ending in a backslash does not continue */
	ck_assert_int_eq(f->tree->nodes[1].kind, NODE_COMMENT);
	ck_assert_int_eq(f->tree->nodes[2].kind, NODE_BLANK);
	ck_assert_int_eq(f->tree->nodes[3].kind, NODE_SECTION);
	ck_assert_uint_eq(f->tree->nodes[3].line, 4);
	ck_assert(roundtrip_ok(f));
	src_free(f);
}
END_TEST

/* Blank lines in a row are one node that knows how many lines it covers. */
START_TEST(test_blank_runs)
{
	struct srcfile *f = parse("[s]\n\n \t\n\r\n\nx = 1\n\n\n  ");
	ck_assert_uint_eq(f->tree->n, 4);
	const struct node *b = &f->tree->nodes[1];
	ck_assert_int_eq(b->kind, NODE_BLANK);
	ck_assert_uint_eq(b->line, 2);
	ck_assert_uint_eq(node_nlines(f, b), 4);
	ck_assert_uint_eq(f->tree->nodes[2].line, 6);
	ck_assert_str_eq(f->tree->nodes[2].key, "x");
	b = &f->tree->nodes[3];
	ck_assert_int_eq(b->kind, NODE_BLANK);
	ck_assert_uint_eq(node_nlines(f, b), 3);   /* two empty lines and an unterminated one */
	ck_assert(b->flags & NODE_F_NOEOL);
	unsigned line, col;
	src_pos(f, f->tree->nodes[2].key_off, &line, &col);
	ck_assert_uint_eq(line, 6);
	ck_assert_uint_eq(col, 1);
	size_t ll;
	src_line(f, 8, &ll);
	ck_assert_uint_eq(ll, 0);
	ck_assert(roundtrip_ok(f));
	src_free(f);
}
END_TEST

START_TEST(test_continuation_joins_without_space)
{
	/* testparm 4.17: "abc\" + "def" -> "abcdef"; "abc \" + "  def" -> "abc def" */
	struct srcfile *f = parse("comment = abc\\\ndef\npath = abc \\\n  def\nx=1\n");
	const struct node *n = &f->tree->nodes[0];
	ck_assert_int_eq(n->kind, NODE_PARAM);
	ck_assert_str_eq(n->value, "abcdef");
	ck_assert_uint_eq(node_nlines(f, n), 2);
	ck_assert(n->flags & NODE_F_CONT);
	n = &f->tree->nodes[1];
	ck_assert_str_eq(n->value, "abc def");
	ck_assert_uint_eq(n->line, 3);
	n = &f->tree->nodes[2];
	ck_assert_str_eq(n->key, "x");
	ck_assert_uint_eq(n->line, 5);
	ck_assert(roundtrip_ok(f));
	src_free(f);
}
END_TEST

START_TEST(test_continuation_splits_name)
{
	struct srcfile *f = parse("guest \\\nok = yes\n");
	const struct node *n = first(f, NODE_PARAM);
	ck_assert_str_eq(n->key, "guest ok");
	ck_assert_str_eq(n->value, "yes");
	ck_assert_uint_eq(n->value_off, 13);
	src_free(f);
}
END_TEST

START_TEST(test_continuation_into_comment_text)
{
	/* the next physical line is content even if it starts with '#' */
	struct srcfile *f = parse("comment = x\\\n# not comment\n");
	ck_assert_uint_eq(f->tree->n, 1);
	ck_assert_str_eq(f->tree->nodes[0].value, "x# not comment");
	src_free(f);
}
END_TEST

START_TEST(test_blank_collapse_and_trim)
{
	struct srcfile *f = parse("map  \t to guest\t=\t\tBad   User  \r\n");
	const struct node *n = first(f, NODE_PARAM);
	ck_assert_str_eq(n->key, "map to guest");
	ck_assert_str_eq(n->value, "Bad User");
	ck_assert(n->flags & NODE_F_CRLF);
	ck_assert(roundtrip_ok(f));
	src_free(f);
}
END_TEST

START_TEST(test_crlf_continuation)
{
	struct srcfile *f = parse("a = b\\\r\nc\r\n");
	ck_assert_uint_eq(f->tree->n, 1);
	/* "\\\r" is backslash + one blank: a continuation */
	ck_assert_str_eq(f->tree->nodes[0].value, "bc");
	ck_assert(roundtrip_ok(f));
	src_free(f);
}
END_TEST

/* The parser names each parameter line's table entry, however the name is spelled. */
START_TEST(test_param_index_of_names)
{
	struct srcfile *f = parse("[s]\nmap to guest = never\n  Map  To\\\n Guest=x\nwriteable = yes\n"
	    "fruit:aapl = yes\nno such thing = 1\n# map to guest = x\n");
	const struct node *n = f->tree->nodes;
	ck_assert_uint_eq(n[0].param, 0);   /* a header */
	ck_assert_uint_ne(n[1].param, 0);
	ck_assert_str_eq(param_name(&param_table[n[1].param - 1]), "map to guest");
	ck_assert_uint_eq(n[2].param, n[1].param);   /* case, blanks and a continuation in the name */
	ck_assert_str_eq(param_name(&param_table[n[3].param - 1]), "writeable");   /* the synonym as written */
	ck_assert_uint_eq(n[4].param, 0);   /* parametric */
	ck_assert_uint_eq(n[5].param, 0);   /* unknown */
	ck_assert_uint_eq(n[6].param, 0);   /* a comment */
	src_free(f);

	/* more distinct names than the parser remembers: the later ones are still found */
	struct sbuf b = {0};
	for (int i = 0; i < 5000; i++)
		sbuf_addf(&b, "unknown%d = 1\n", i);
	sbuf_adds(&b, "path = /a\nunknown7 = 2\nPATH = /b\n");
	f = parse_bytes(b.s, b.len);
	const struct tree *t = f->tree;
	ck_assert_uint_eq(t->n, 5003);
	ck_assert_str_eq(param_name(&param_table[t->nodes[5000].param - 1]), "path");
	ck_assert_uint_eq(t->nodes[5001].param, 0);
	ck_assert_uint_eq(t->nodes[5002].param, t->nodes[5000].param);
	src_free(f);
	sbuf_free(&b);
}
END_TEST

/* Lines that are not empty, counted 16 bytes at a time: the same as byte by byte. */
START_TEST(test_count_lines_not_empty)
{
	ck_assert_uint_eq(src_count_lines((const unsigned char *)"", 0), 0);
	ck_assert_uint_eq(src_count_lines((const unsigned char *)"\n\n\n", 3), 0);
	ck_assert_uint_eq(src_count_lines((const unsigned char *)"a", 1), 1);
	ck_assert_uint_eq(src_count_lines((const unsigned char *)"a\n\nb\n \n", 7), 3);   /* " " is a line */
	unsigned seed = 99;
	static unsigned char buf[4096];
	for (int round = 0; round < 500; round++) {
		size_t len = (size_t)rand_r(&seed) % sizeof buf;
		for (size_t i = 0; i < len; i++)
			buf[i] = rand_r(&seed) % 3 ? '\n' : (unsigned char)('a' + rand_r(&seed) % 3);
		size_t want = 0;
		for (size_t i = 0; i < len; i++)
			want += buf[i] != '\n' && (i == 0 || buf[i - 1] == '\n');
		ck_assert_uint_eq(src_count_lines(buf, len), want);
	}
}
END_TEST

START_TEST(test_first_equals_splits)
{
	struct srcfile *f = parse("username map script = /bin/x a=b\n");
	const struct node *n = first(f, NODE_PARAM);
	ck_assert_str_eq(n->key, "username map script");
	ck_assert_str_eq(n->value, "/bin/x a=b");
	src_free(f);
}
END_TEST

START_TEST(test_sections)
{
	struct srcfile *f = parse("[ s3 ] trailing = stuff\n[broken\n= v\n[a]b]\n");
	ck_assert_int_eq(f->tree->nodes[0].kind, NODE_SECTION);
	ck_assert_str_eq(f->tree->nodes[0].name, " s3 ");
	ck_assert_int_eq(f->tree->nodes[1].kind, NODE_BADHEADER);
	ck_assert_int_eq(f->tree->nodes[2].kind, NODE_EMPTYNAME);
	ck_assert_str_eq(f->tree->nodes[3].name, "a");
	ck_assert(roundtrip_ok(f));
	src_free(f);
}
END_TEST

START_TEST(test_noeq_and_bom)
{
	struct srcfile *f = parse("\xef\xbb\xbf[share]\npath = /x\n/etc/samba/smb.conf\n");
	/* Samba does not skip a BOM: the header is a line without '=' */
	ck_assert_int_eq(f->tree->nodes[0].kind, NODE_NOEQ);
	ck_assert(f->tree->nodes[0].flags & NODE_F_BOM);
	ck_assert_int_eq(f->tree->nodes[1].kind, NODE_PARAM);
	ck_assert_int_eq(f->tree->nodes[2].kind, NODE_NOEQ);
	ck_assert(roundtrip_ok(f));
	src_free(f);
}
END_TEST

START_TEST(test_nul_ends_line)
{
	static const char s[] = "path = /a\0junk = x\ncomment = c\n\0\n";
	struct srcfile *f = parse_bytes(s, sizeof s - 1);
	ck_assert_uint_eq(f->tree->n, 3);
	ck_assert_str_eq(f->tree->nodes[0].value, "/a");
	ck_assert(f->tree->nodes[0].flags & NODE_F_NUL);
	ck_assert_int_eq(f->tree->nodes[2].kind, NODE_NULSTART);
	ck_assert(roundtrip_ok(f));
	src_free(f);
}
END_TEST

START_TEST(test_no_final_newline)
{
	struct srcfile *f = parse("[a]\npath = /x");
	ck_assert_uint_eq(f->tree->n, 2);
	ck_assert(f->tree->nodes[1].flags & NODE_F_NOEOL);
	ck_assert_str_eq(f->tree->nodes[1].value, "/x");
	ck_assert(roundtrip_ok(f));
	src_free(f);
	f = parse("");
	ck_assert_uint_eq(f->tree->n, 0);
	ck_assert(roundtrip_ok(f));
	src_free(f);
	f = parse("a = b\\");
	ck_assert_str_eq(f->tree->nodes[0].value, "b\\");
	src_free(f);
}
END_TEST

START_TEST(test_positions)
{
	struct srcfile *f = parse("[a]\n  x = 1\n\ty\\\n = 2\n");
	unsigned line, col;
	const struct node *n = &f->tree->nodes[2];
	ck_assert_str_eq(n->key, "y");
	src_pos(f, n->value_off, &line, &col);
	ck_assert_uint_eq(line, 4);
	ck_assert_uint_eq(col, 4);
	size_t len;
	const unsigned char *p = src_line(f, 2, &len);
	ck_assert_uint_eq(len, 7);
	ck_assert(memcmp(p, "  x = 1", 7) == 0);
	src_free(f);
}
END_TEST

START_TEST(test_long_line)
{
	size_t n = 3u << 20;
	char *s = xmalloc(n + 1);
	memset(s, 'v', n);
	memcpy(s, "comment = ", 10);
	s[n - 1] = '\n';
	s[n] = '\0';
	struct srcfile *f = parse_bytes(s, n);
	ck_assert_uint_eq(f->tree->n, 1);
	ck_assert_uint_eq(strlen(f->tree->nodes[0].value), n - 11);
	ck_assert(roundtrip_ok(f));
	src_free(f);
	free(s);
}
END_TEST

START_TEST(test_random_bytes_roundtrip)
{
	unsigned seed = 12345;
	static const char alphabet[] = "[]=#;\\ \t\r\n\0ab\xef\xbb\xbf\xff";
	for (int round = 0; round < 3000; round++) {
		size_t n = (size_t)(rand_r(&seed) % 200);
		char *s = xmalloc(n + 1);
		for (size_t i = 0; i < n; i++)
			s[i] = alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
		struct srcfile *f = parse_bytes(s, n);
		ck_assert_msg(roundtrip_ok(f), "round %d", round);
		src_free(f);
		free(s);
	}
}
END_TEST

/* Two nodes from parses of the same bytes agree: fields, and strings by content. */
static void same_node(const struct node *x, const struct node *y, const char *what, size_t i)
{
	ck_assert_msg(x->kind == y->kind && x->flags == y->flags && x->param == y->param && x->line == y->line &&
	    x->start == y->start && x->end == y->end && x->content == y->content &&
	    x->key_off == y->key_off && x->value_off == y->value_off && x->value_end == y->value_end,
	    "%s: node %zu differs (line %u/%u, start %u/%u)", what, i, x->line, y->line, x->start, y->start);
	ck_assert_msg((x->text == NULL) == (y->text == NULL) && (x->text == NULL || strcmp(x->text, y->text) == 0),
	    "%s: node %zu text differs", what, i);
	ck_assert_msg((x->name == NULL) == (y->name == NULL) && (x->name == NULL || strcmp(x->name, y->name) == 0),
	    "%s: node %zu name/value differs", what, i);
}

/* Node by node: two parses of the same bytes agree. */
static void same_trees(const struct tree *a, const struct tree *b, const char *what)
{
	ck_assert_msg(a->n == b->n, "%s: %zu nodes != %zu", what, a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		same_node(&a->nodes[i], &b->nodes[i], what, i);
}

/*
 * Parses s on a thread of its own (as a large file is) and reads the nodes
 * while they are being made, the way the loader does; every node read must
 * already be the one a single pass on this thread makes.
 */
/*
 * Holds the parser just after it publishes n nodes until the reader has
 * looked at all of them (or 100 ms have passed), so that the newest node
 * is read while the parser cannot be writing it any more, if it is done.
 */
static atomic_size_t nodes_read;

static void wait_for_reader(size_t n)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (atomic_load(&nodes_read) < n) {
		sched_yield();   /* under valgrind the threads take turns: let the reader run */
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) > 100000000L)
			break;
	}
}

static void stream_matches_serial(const char *s, size_t n, const char *what)
{
	unsigned char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	struct srcfile *ser = src_new("t.conf", d, n);
	tree_parse_serial(ser);
	d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	struct srcfile *st = src_new("t.conf", d, n);
	size_t saved = tree_stream_min;
	tree_stream_min = 1;
	atomic_store(&nodes_read, 0);
	tree_stream_pause = wait_for_reader;
	struct tree *t = tree_parse_begin(st);
	tree_stream_min = saved;
	const struct tree *u = ser->tree;
	size_t i = 0;
	for (size_t avail = 0;; i++) {
		if (i == avail && (avail = tree_await(t, i)) <= i)
			break;
		ck_assert_msg(i < u->n, "%s: node %zu beyond the %zu of a single pass", what, i, u->n);
		same_node(&t->nodes[i], &u->nodes[i], what, i);
		atomic_store(&nodes_read, i + 1);
	}
	ck_assert_msg(i == u->n, "%s: %zu nodes read, a single pass makes %zu", what, i, u->n);
	tree_parse_end(t);
	tree_stream_pause = NULL;
	ck_assert_ptr_null(t->stream);
	/* the parsing thread also built the line index: the same as one built on demand */
	ck_assert_ptr_nonnull(st->line_starts);
	for (size_t k = 0; k < u->n; k++) {
		unsigned l1, c1, l2, c2;
		src_pos(st, u->nodes[k].end > 0 ? u->nodes[k].end - 1 : 0, &l1, &c1);
		src_pos(ser, u->nodes[k].end > 0 ? u->nodes[k].end - 1 : 0, &l2, &c2);
		ck_assert_msg(l1 == l2 && c1 == c2, "%s: node %zu ends at %u:%u, not %u:%u", what, k, l1, c1, l2, c2);
	}
	same_trees(t, u, what);
	ck_assert(roundtrip_ok(st));
	src_free(ser);
	src_free(st);
}

/*
 * A large file is parsed on a thread while its nodes are read: the reader
 * must never see a node before it is finished, nor miss one, whatever the
 * lines: continuations, blank runs, CRLF, NULs, comments ending in a
 * backslash; files of a few nodes (published only at the end) and of
 * hundreds (published on the way).
 */
START_TEST(test_stream_parse_matches_serial)
{
	static const char *const pieces[] = {
		"a = b\n", "[s]\n", "[x\n", "k = v \\\n", "\\\n", " \\ \n", "  \n", "\n", "\t\n",
		"# c \\\n", "; c\n", "x\r\n", "= v\n", "noeq\n", "n\0ul = 1\n", "\xef\xbb\xbf[b]\n",
		"p  =  q  r\n", "y", "z\\", "  [g]  \n",
	};
	size_t before = tree_streams;
	unsigned seed = 777;
	/* valgrind runs one thread at a time, and each hand-over costs a time slice */
	int rounds = RUNNING_ON_VALGRIND ? 40 : 400;
	for (int round = 0; round < rounds; round++) {
		static char buf[16384];
		size_t n = 0, k = 1 + (size_t)(rand_r(&seed) % (round % 2 ? 60 : 900));
		for (size_t i = 0; i < k; i++) {
			size_t which = (size_t)rand_r(&seed) % (sizeof pieces / sizeof pieces[0]);
			const char *pc = pieces[which];
			size_t pl = which == 14 ? 9 : strlen(pc);   /* the piece with a NUL in it */
			memcpy(buf + n, pc, pl);
			n += pl;
		}
		char what[32];
		snprintf(what, sizeof what, "round %d", round);
		stream_matches_serial(buf, n, what);
	}
	ck_assert_msg(tree_streams - before >= (size_t)rounds, "only %zu of %d files were parsed on a thread",
	    tree_streams - before, rounds);
}
END_TEST

/*
 * Bulk memory (util.c), which holds a large file's bytes, nodes and
 * arenas: the newest block grows in place, others move keeping their
 * bytes, and freed or trimmed space goes to later blocks.
 */
START_TEST(test_bulk_blocks)
{
	/*
	 * Sizes far above any block the other tests leave behind (they may
	 * run in this process, CK_FORK=no), so that no earlier hole takes
	 * them; only the ends are touched.
	 */
	const size_t M = (size_t)1 << 20;
	char *a = bulk_alloc(40 * M);
	if (!bulk_owns(a)) {   /* a sanitizer build or SMBLINT_NO_BULK: plain malloc throughout */
		bulk_free(a);
		return;
	}
	char *small = bulk_alloc(1000);
	ck_assert(!bulk_owns(small));   /* small requests are malloc's */
	bulk_free(small);
	a[0] = 'a';
	a[40 * M - 1] = 'z';
	char *a2 = bulk_realloc(a, 40 * M, 80 * M);   /* the newest block grows in place */
	ck_assert_ptr_eq(a2, a);
	ck_assert(a2[0] == 'a' && a2[40 * M - 1] == 'z');
	char *b = bulk_alloc(40 * M);
	ck_assert(bulk_owns(b) && b > a2);
	char *a3 = bulk_realloc(a2, 80 * M, 90 * M);  /* no longer the newest: it moves, bytes and all */
	ck_assert(a3 != a2 && a3[0] == 'a' && a3[40 * M - 1] == 'z');
	char *c = bulk_alloc(70 * M);                  /* into the place a2 left */
	ck_assert(c >= a2 && c + 70 * M <= a2 + 80 * M);
	bulk_shrink(b, 10000);                         /* b's end goes to the next block that fits */
	char *d = bulk_alloc(30 * M);
	ck_assert(d > b && d + 30 * M <= b + 40 * M);
	c[0] = c[70 * M - 1] = 'c';
	d[0] = d[30 * M - 1] = 'd';
	ck_assert(a3[0] == 'a' && a3[40 * M - 1] == 'z');
	bulk_free(d);
	bulk_free(c);
	bulk_free(b);
	bulk_free(a3);
	bulk_free(NULL);
}
END_TEST

static void roundtrip_file(const char *path, const unsigned char *data, size_t len, void *ctx)
{
	int *files = ctx;
	unsigned char *copy = xmalloc(len + 1);
	memcpy(copy, data, len + 1);
	struct srcfile *f = src_new(path, copy, len);
	tree_parse(f);
	ck_assert_msg(roundtrip_ok(f), "round trip differs: %s", path);
	src_free(f);
	/* and parsed on a thread while read (as a large file is) it is the same (under valgrind: every tenth) */
	if (!RUNNING_ON_VALGRIND || (*files)++ % 10 == 0)
		stream_matches_serial((const char *)data, len, path);
}

/* Every corpus file must come back byte for byte. */
START_TEST(test_corpus_roundtrip)
{
	int files = 0;
	ck_assert_int_ge(corpus_each(roundtrip_file, &files), 200);
}
END_TEST

/*
 * The line scanner looks at sixteen bytes at a time: a blank pair, a NUL or
 * a trailing backslash must be seen wherever it falls relative to those
 * blocks (inside one, across two, at the end of the file).
 */
START_TEST(test_scan_block_edges)
{
	for (size_t k = 0; k < 40; k++) {
		for (int what = 0; what < 4; what++) {
			char buf[128];
			size_t n = 0;
			n += (size_t)snprintf(buf + n, sizeof buf - n, "k=");
			for (size_t i = 0; i < k; i++)
				buf[n++] = (char)('a' + (int)(i % 26));
			const char *tail = what == 0 ? "  x\n" : what == 1 ? "\tx y\n" : what == 2 ? "\\\nz\n" : "  x";
			size_t tl = strlen(tail);
			memcpy(buf + n, tail, tl);
			n += tl;
			struct srcfile *f = parse_bytes(buf, n);
			const struct node *p = first(f, NODE_PARAM);
			ck_assert_ptr_nonnull(p);
			char want[128];
			memcpy(want, buf + 2, k);
			want[k] = '\0';
			strcat(want, what == 0 || what == 3 ? " x" : what == 1 ? "\tx y" : "z");
			if (want[0] == ' ' || want[0] == '\t')   /* one leading blank of a value is trimmed */
				memmove(want, want + 1, strlen(want));
			ck_assert_msg(strcmp(p->value, want) == 0, "k=%zu what=%d: '%s' != '%s'", k, what, p->value, want);
			ck_assert(roundtrip_ok(f));
			src_free(f);
		}
		/* a NUL at each position cuts the value there */
		char nb[64] = "k=";
		for (size_t i = 0; i < 36; i++)
			nb[2 + i] = 'v';
		nb[2 + k % 36] = '\0';
		nb[38] = '\n';
		struct srcfile *f = parse_bytes(nb, 39);
		const struct node *p = first(f, NODE_PARAM);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(strlen(p->value), k % 36);
		ck_assert(p->flags & NODE_F_NUL);
		src_free(f);
	}
}
END_TEST

Suite *tree_suite(void)
{
	Suite *s = suite_create("tree");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_no_inline_comment);
	tcase_add_test(tc, test_comments_and_blanks);
	tcase_add_test(tc, test_blank_runs);
	tcase_add_test(tc, test_continuation_joins_without_space);
	tcase_add_test(tc, test_continuation_splits_name);
	tcase_add_test(tc, test_continuation_into_comment_text);
	tcase_add_test(tc, test_blank_collapse_and_trim);
	tcase_add_test(tc, test_crlf_continuation);
	tcase_add_test(tc, test_first_equals_splits);
	tcase_add_test(tc, test_param_index_of_names);
	tcase_add_test(tc, test_count_lines_not_empty);
	tcase_add_test(tc, test_sections);
	tcase_add_test(tc, test_noeq_and_bom);
	tcase_add_test(tc, test_nul_ends_line);
	tcase_add_test(tc, test_no_final_newline);
	tcase_add_test(tc, test_positions);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_scan_block_edges);
	tcase_add_test(tc, test_random_bytes_roundtrip);
	tcase_add_test(tc, test_corpus_roundtrip);
	tcase_add_test(tc, test_stream_parse_matches_serial);
	tcase_add_test(tc, test_bulk_blocks);
	suite_add_tcase(s, tc);
	return s;
}
