/* fuzz_tree.c - libFuzzer harness: any bytes parse, and the tree gives them back byte for byte. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tree.h"
#include "util.h"

/* The invariants tree.h promises, checked node by node. */
static void check_nodes(struct srcfile *f)
{
	const struct tree *t = f->tree;
	size_t pos = 0;
	unsigned line = 1;

	for (size_t i = 0; i < t->n; i++) {
		const struct node *n = &t->nodes[i];
		FUZZ_ASSERT(n->start == pos && n->end > n->start && n->end <= f->len);
		unsigned nl = node_nlines(f, n);
		FUZZ_ASSERT(n->line == line && nl >= 1);
		FUZZ_ASSERT(n->content >= n->start && n->content <= n->end);
		/* CONT without a second line: a backslash continues into the end of the file */
		FUZZ_ASSERT(nl <= 1 || (n->flags & NODE_F_CONT) != 0 || n->kind == NODE_BLANK);
		if (n->kind == NODE_PARAM) {
			FUZZ_ASSERT(n->key && n->value);
			FUZZ_ASSERT(n->key_off >= n->start && n->key_off <= node_eq_off(f, n));
			FUZZ_ASSERT(node_eq_off(f, n) < n->end && f->data[node_eq_off(f, n)] == '=');
			FUZZ_ASSERT(n->value_off > node_eq_off(f, n) && n->value_off <= n->end && n->value_end <= n->end);
		} else if (n->kind != NODE_BLANK && n->kind != NODE_COMMENT) {
			FUZZ_ASSERT(n->text != NULL);
		}
		if (n->kind == NODE_SECTION)
			FUZZ_ASSERT(n->name && f->data[n->key_off] == '[');
		/* Line and column of the node's first byte agree with the node. */
		unsigned l, c;
		src_pos(f, n->start, &l, &c);
		FUZZ_ASSERT(l == n->line && c == 1);
		size_t ll;
		(void)src_line(f, n->line, &ll);
		line += nl;
		pos = n->end;
	}
	FUZZ_ASSERT(pos == f->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srcfile *f = src_new("fuzz.conf", fuzz_copy(data, size), size);
	tree_parse_serial(f);
	check_nodes(f);

	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	FUZZ_ASSERT(m != NULL);
	FUZZ_ASSERT(tree_write(f->tree, m) == 0);
	fclose(m);
	if (len != size || memcmp(buf, data, size) != 0) {
		fprintf(stderr, "fuzz_tree: round trip differs (%zu bytes in, %zu out)\n", size, len);
		abort();
	}
	free(buf);

	/* Parsed on a thread while read (as a large file is), every node read must be the single pass's. */
	size_t saved = tree_stream_min;
	tree_stream_min = 1;
	struct srcfile *g = src_new("fuzz.conf", fuzz_copy(data, size), size);
	struct tree *t = tree_parse_begin(g);
	tree_stream_min = saved;
	size_t i = 0;
	for (size_t avail = 0;; i++) {
		if (i == avail && (avail = tree_await(t, i)) <= i)
			break;
		FUZZ_ASSERT(i < f->tree->n);
		const struct node *x = &f->tree->nodes[i], *y = &t->nodes[i];
		FUZZ_ASSERT(x->kind == y->kind && x->flags == y->flags && x->param == y->param && x->line == y->line &&
		    x->start == y->start && x->end == y->end && x->content == y->content &&
		    x->key_off == y->key_off && x->value_off == y->value_off && x->value_end == y->value_end);
		FUZZ_ASSERT((x->text == NULL) == (y->text == NULL) && (x->text == NULL || strcmp(x->text, y->text) == 0));
		FUZZ_ASSERT((x->name == NULL) == (y->name == NULL) && (x->name == NULL || strcmp(x->name, y->name) == 0));
	}
	FUZZ_ASSERT(i == f->tree->n);
	tree_parse_end(t);
	FUZZ_ASSERT(t->n == f->tree->n);
	src_free(g);
	src_free(f);
	return 0;
}
