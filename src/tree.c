/* tree.c - bytes -> lossless tree of logical lines, read exactly as Samba reads them. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tree.h"
#include "util.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/*
 * Strings of a tree live in an arena (util.h), so a million-line file
 * costs a handful of allocations and one free pass.
 */
#define ARENA_BLOCK (64 * 1024)

static const char *arena_strndup(struct tree *t, const char *s, size_t n)
{
	/*
	 * A small file gets a small block: an included snippet should not
	 * cost a whole block.  Its strings take at most about twice its bytes
	 * (a header's text and name).
	 */
	size_t want = t->file->len * 2 + 256;
	char *p = arena_take(&t->arena, n + 1, want < ARENA_BLOCK ? want : ARENA_BLOCK);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/*
 * The logical line under construction: its bytes and, for each byte, the
 * offset in the file it came from (so diagnostics point at real columns even
 * across continuation lines).
 */
struct logline {
	char *buf;
	size_t *off;
	size_t len, cap;
};

static void logline_push(struct logline *l, char c, size_t off)
{
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->buf = xrealloc(l->buf, l->cap);
		l->off = xrealloc(l->off, l->cap * sizeof *l->off);
	}
	l->buf[l->len] = c;
	l->off[l->len] = off;
	l->len++;
}

/* A physical line from `p`: its end (offset of '\n' or len). */
static size_t eol(const unsigned char *d, size_t len, size_t p)
{
	const unsigned char *nl = memchr(d + p, '\n', len - p);
	return nl ? (size_t)(nl - d) : len;
}

/*
 * Gathers one logical line starting at its first non-blank byte `p`, the way
 * Samba does: a line whose collected text ends in a backslash (or a backslash
 * and one blank) continues on the next physical line with the backslash
 * removed and nothing inserted; a blank following a blank is dropped.
 * Returns the offset just past the logical line (after its '\n').
 */
static size_t gather(const unsigned char *d, size_t len, size_t p, struct logline *l, unsigned *nlines)
{
	l->len = 0;
	*nlines = 1;
	while (p < len) {
		unsigned char c = d[p];
		if (c == '\n') {
			if (l->len > 0 && l->buf[l->len - 1] == '\\') {
				l->len -= 1;
				(*nlines)++;
				p++;
				continue;
			}
			if (l->len > 1 && l->buf[l->len - 2] == '\\' && is_blank((unsigned char)l->buf[l->len - 1])) {
				l->len -= 2;
				(*nlines)++;
				p++;
				continue;
			}
			return p + 1;
		}
		if (l->len > 0 && is_blank((unsigned char)l->buf[l->len - 1]) && is_blank(c)) {
			p++;
			continue;
		}
		logline_push(l, (char)c, p);
		p++;
	}
	return len;
}

/* Samba trims at most one blank from each end of a name or value. */
static void trim_one(const char *s, size_t *from, size_t *to)
{
	if (*from < *to && is_blank((unsigned char)s[*from]))
		(*from)++;
	if (*to > *from && is_blank((unsigned char)s[*to - 1]))
		(*to)--;
}

/*
 * A logical line's bytes s[0..len) and where each came from: off[i], or
 * base + i when off is NULL (a line read straight from the file).
 */
struct lineview {
	const char *s;
	size_t len;
	const size_t *off;
	size_t base;
};

static uint32_t view_off(const struct lineview *v, size_t i)
{
	return (uint32_t)(v->off ? v->off[i] : v->base + i);
}

/*
 * Always inlined: at the call for a line read straight from the file the
 * compiler knows off is NULL and drops the per-byte offset table.  eqpos is
 * the index of the first '=' when the caller already knows it (eq_known;
 * SIZE_MAX when there is none).
 */
static inline __attribute__((always_inline)) void classify(struct tree *t, struct node *n,
    const struct lineview *v, bool eq_known, size_t eqpos)
{
	const char *s = v->s;
	/* Samba's string ends at a NUL; a line read straight from the file has none */
	size_t tlen = v->off ? strnlen(s, v->len) : v->len;

	if (tlen < v->len)
		n->flags |= NODE_F_NUL;
	n->key_off = n->content;
	if (tlen == 0) {
		n->kind = NODE_NULSTART;
		n->text = arena_strndup(t, s, 0);
		return;
	}
	/* The first byte of the logical line; after a leading continuation it is not content's. */
	n->key_off = view_off(v, 0);
	if (s[0] == '[') {
		const char *q = memchr(s, ']', tlen);
		n->text = arena_strndup(t, s, tlen);
		if (q == NULL) {
			n->kind = NODE_BADHEADER;
			return;
		}
		n->kind = NODE_SECTION;
		n->name = arena_strndup(t, s + 1, (size_t)(q - s - 1));
		return;
	}
	const char *eq = eq_known ? (eqpos < tlen ? s + eqpos : NULL) : memchr(s, '=', tlen);
	if (eq == NULL || eq == s) {
		n->kind = eq == NULL ? NODE_NOEQ : NODE_EMPTYNAME;
		n->text = arena_strndup(t, s, tlen);
		return;
	}
	size_t e = (size_t)(eq - s);
	size_t kf = 0, kt = e, vf = e + 1, vt = tlen;
	uint32_t eq_off = view_off(v, e);
	trim_one(s, &kf, &kt);
	trim_one(s, &vf, &vt);
	n->kind = NODE_PARAM;
	/* one copy holds both: the name's end (before the '=') becomes its NUL */
	char *kv = (char *)(uintptr_t)arena_strndup(t, s + kf, vt > kt ? vt - kf : kt - kf);
	kv[kt - kf] = '\0';
	n->key = kv;
	n->value = vf < vt ? kv + (vf - kf) : kv + (kt - kf);
	n->key_off = view_off(v, kf);
	if (vf < vt) {
		n->value_off = view_off(v, vf);
		n->value_end = view_off(v, vt - 1) + 1;
	} else {
		n->value_off = n->value_end = eq_off + 1;
	}
	if (kt > kf && (s[kf] == '"' || s[kf] == '\''))
		n->flags |= NODE_F_QUOTED;
}

/* Whether c is one of the blanks Samba collapses (not the newline). */
static inline bool blank_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Finds the end of the physical line starting at q (offset of its '\n', or
 * len), and says whether d[q..e) is already its own logical line: no NUL,
 * no run of blanks to collapse, and no backslash continuation.  Most lines
 * are, and skip the copy.  With SSE2 sixteen bytes are looked at per step.
 */
static size_t scan_line(const unsigned char *d, size_t len, size_t q, bool *plain, size_t *eqpos)
{
	size_t i = q, e = len, eqat = SIZE_MAX;
	bool ok = true, prev_blank = false;
#if defined(__SSE2__)
	const __m128i nlv = _mm_set1_epi8('\n'), zero = _mm_setzero_si128(), sp = _mm_set1_epi8(' ');
	const __m128i nine = _mm_set1_epi8(9), four = _mm_set1_epi8(4), eqv = _mm_set1_epi8('=');
	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
		unsigned nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, nlv));
		unsigned nul = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, zero));
		__m128i t = _mm_sub_epi8(x, nine);   /* 9..13 (tab to CR) become 0..4 */
		unsigned ctl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(t, four), t));
		unsigned bl = (ctl | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, sp))) & ~nl;
		unsigned bad = nul | (bl & (bl >> 1)) | (prev_blank ? bl & 1u : 0u);
		unsigned eqm = eqat == SIZE_MAX ? (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, eqv)) : 0u;
		if (nl != 0) {
			unsigned below = (nl & (0u - nl)) - 1u;   /* bytes before the first newline */
			if (bad & below)
				ok = false;
			if (eqm & below)
				eqat = i + (size_t)__builtin_ctz(eqm);
			e = i + (size_t)__builtin_ctz(nl);
			goto found;
		}
		if (eqm)
			eqat = i + (size_t)__builtin_ctz(eqm);
		if (bad)
			ok = false;
		prev_blank = (bl >> 15) & 1u;
	}
#endif
	for (; i < len; i++) {
		unsigned char c = d[i];
		if (c == '\n') {
			e = i;
			break;
		}
		bool b = blank_byte(c);
		if ((b && prev_blank) || c == '\0')
			ok = false;
		if (c == '=' && eqat == SIZE_MAX)
			eqat = i;
		prev_blank = b;
	}
#if defined(__SSE2__)
found:
#endif
	if (ok && e < len) {
		if (e > q && d[e - 1] == '\\')
			ok = false;
		else if (e - q >= 2 && d[e - 2] == '\\' && is_blank(d[e - 1]))
			ok = false;
	}
	*plain = ok;
	*eqpos = eqat == SIZE_MAX ? SIZE_MAX : eqat - q;
	return e;
}

/* Physical lines in d (an upper bound on the number of nodes). */
static size_t count_lines(const unsigned char *d, size_t len)
{
	size_t n = 1, i = 0;
#if defined(__SSE2__)
	/* byte-wise counters (a match is -1, so subtracting counts up), summed before they can wrap */
	const __m128i nlv = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	while (i + 16 <= len) {
		__m128i acc = zero;
		for (int k = 0; k < 255 && i + 16 <= len; k++, i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, nlv));
		}
		__m128i sum = _mm_sad_epu8(acc, zero);
		n += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
	}
#endif
	for (; i < len; i++)
		n += d[i] == '\n';
	return n;
}

/*
 * Parses d[p, len) into t (nodes appended, strings in t's arena), with
 * line numbers counted from `line`; returns the line number after the
 * last byte.  p must be where a logical line starts, and d[len - 1] where
 * one ends (or len the file's end), as every scan stops at len.
 */
static unsigned parse_range(struct tree *t, const unsigned char *d, size_t p, size_t len, size_t expect,
    unsigned line, size_t *capp)
{
	struct logline l = {0};
	/*
	 * Start from what typical lines need (of `expect` bytes) and grow (a
	 * file of blank lines needs far fewer: a run of them is one node);
	 * nothing points into the array until parsing is done.
	 */
	size_t cap = expect / 16 + 64;
	size_t ready = 0;   /* nodes of the array prefaulted so far */
	t->nodes = bulk_alloc(cap * sizeof *t->nodes);
	while (p < len) {
		if (t->n == cap) {
			t->nodes = bulk_realloc(t->nodes, cap * sizeof *t->nodes, 2 * cap * sizeof *t->nodes);
			cap *= 2;
			ready = t->n;
		}
		if (t->n == ready) {   /* the next 4,096 nodes in one call rather than a fault per page */
			size_t k = cap - ready < 4096 ? cap - ready : 4096;
			prefault(t->nodes + ready, k * sizeof *t->nodes);
			ready += k;
		}
		struct node *n = &t->nodes[t->n++];
		size_t q = p;
		unsigned lines = 1;

		memset(n, 0, sizeof *n);
		n->start = (uint32_t)p;
		n->line = line;
		while (q < len && (d[q] == ' ' || d[q] == '\t' || (d[q] != '\n' && is_blank(d[q]))))
			q++;
		n->content = (uint32_t)q;
		if (q >= len || d[q] == '\n') {
			n->kind = NODE_BLANK;
			n->end = (uint32_t)(q < len ? q + 1 : len);
			/* the blank lines that follow join it: Samba skips them all alike */
			for (size_t r = n->end; r < len;) {
				size_t b = r;
				while (b < len && d[b] != '\n' && is_blank(d[b]))
					b++;
				if (b < len && d[b] != '\n')
					break;
				n->end = (uint32_t)(b < len ? b + 1 : len);
				lines++;
				r = n->end;
			}
		} else if (d[q] == '#' || d[q] == ';') {
			n->kind = NODE_COMMENT;
			size_t e = eol(d, len, q);
			n->end = (uint32_t)(e < len ? e + 1 : len);
		} else {
			bool plain;
			size_t eqpos;
			size_t e = scan_line(d, len, q, &plain, &eqpos);
			if (plain) {
				n->end = (uint32_t)(e < len ? e + 1 : len);
				struct lineview v = { (const char *)d + q, e - q, NULL, q };
				classify(t, n, &v, true, eqpos);
			} else {
				unsigned nl;
				n->end = (uint32_t)gather(d, len, q, &l, &nl);
				lines = nl;
				if (nl > 1)
					n->flags |= NODE_F_CONT;
				struct lineview v = { l.buf, l.len, l.off, 0 };
				classify(t, n, &v, false, 0);
			}
		}
		if (len - q >= 3 && d[q] == 0xef && d[q + 1] == 0xbb && d[q + 2] == 0xbf)
			n->flags |= NODE_F_BOM;
		if (n->end == len && (len == 0 || d[len - 1] != '\n'))
			n->flags |= NODE_F_NOEOL;
		else if (n->end >= 2 && d[n->end - 2] == '\r')
			n->flags |= NODE_F_CRLF;
		line += lines;
		p = n->end;
	}
	free(l.buf);
	free(l.off);
	arena_trim(t->arena);   /* no more strings go into it */
	*capp = cap;
	return line;
}

size_t tree_split_min = (size_t)256 << 10;
size_t tree_splits;

/*
 * Where a large file can be cut in two halves that parse alone exactly as
 * the whole would: just past a newline that ends a logical line for sure
 * (the byte before it is neither a backslash nor a blank, so nothing
 * continues) and before a line that starts with a byte that is not blank
 * (so no run of blank lines spans the cut).  0 when there is none near
 * the middle.
 */
static size_t split_point(const unsigned char *d, size_t len)
{
	size_t from = len / 2, to = len - len / 4;
	for (size_t k = from; k < to; k++) {
		const unsigned char *nl = memchr(d + k, '\n', to - k);
		if (nl == NULL)
			return 0;
		k = (size_t)(nl - d);
		if (k == 0 || k + 1 >= len)
			continue;
		unsigned char before = d[k - 1], after = d[k + 1];
		if (before != '\\' && before != '\n' && !blank_byte(before) && after != '\n' && !blank_byte(after))
			return k + 1;
	}
	return 0;
}

struct half {
	struct tree t;
	const unsigned char *d;
	size_t from, to;
};

static void *parse_half(void *arg)
{
	struct half *h = arg;
	size_t cap;
	parse_range(&h->t, h->d, h->from, h->to, h->to - h->from, 1, &cap);
	return NULL;
}

static struct tree *parse_file(struct srcfile *f, bool split)
{
	const unsigned char *d = f->data;
	size_t len = f->len;
	struct tree *t = xcalloc(1, sizeof *t);

	if (len > SRC_MAX_LEN)
		len = SRC_MAX_LEN;   /* the readers refuse such files long before */
	t->file = f;
	/*
	 * A large file is parsed in two halves at once, the second on a thread
	 * of its own, and the halves joined: nodes keep their file offsets,
	 * and the second half's line numbers move up by the first's lines.
	 */
	size_t cut = split && len >= tree_split_min ? split_point(d, len) : 0;
	pthread_t th;
	struct half h = { .t = { .file = f }, .d = d, .from = cut, .to = len };
	if (cut != 0 && pthread_create(&th, NULL, parse_half, &h) != 0)
		cut = 0;
	if (cut != 0)
		tree_splits++;
	/* room for the whole file's nodes, so that the second half's usually fit without moving the first's */
	size_t cap;
	unsigned line = parse_range(t, d, 0, cut != 0 ? cut : len, len, 1, &cap);
	if (cut != 0) {
		pthread_join(th, NULL);
		if (t->n + h.t.n > cap)
			t->nodes = bulk_realloc(t->nodes, cap * sizeof *t->nodes, (t->n + h.t.n) * sizeof *t->nodes);
		struct node *dst = t->nodes + t->n;
		memcpy(dst, h.t.nodes, h.t.n * sizeof *dst);
		for (size_t i = 0; i < h.t.n; i++)
			dst[i].line += line - 1;
		t->n += h.t.n;
		bulk_free(h.t.nodes);
		/* the second half's string blocks join the chain */
		if (h.t.arena != NULL) {
			struct arena_block *last = h.t.arena;
			while (last->next != NULL)
				last = last->next;
			last->next = t->arena;
			t->arena = h.t.arena;
		}
	}
	bulk_shrink(t->nodes, t->n * sizeof *t->nodes);   /* room guessed for nodes that never came */
	f->tree = t;
	return t;
}

struct tree *tree_parse(struct srcfile *f)
{
	return parse_file(f, true);
}

struct tree *tree_parse_serial(struct srcfile *f)
{
	return parse_file(f, false);
}

int tree_write(const struct tree *t, FILE *out)
{
	const unsigned char *d = t->file->data;
	for (size_t i = 0; i < t->n; i++) {
		size_t n = t->nodes[i].end - t->nodes[i].start;
		if (n && fwrite(d + t->nodes[i].start, 1, n, out) != n)
			return -1;
	}
	return fflush(out) == 0 ? 0 : -1;
}

void tree_free(struct tree *t)
{
	if (t == NULL)
		return;
	arena_release(t->arena);
	bulk_free(t->nodes);
	free(t);
}

static void build_lines(struct srcfile *f)
{
	const struct tree *t = f->tree;
	size_t n = t != NULL ? (t->n ? t->nodes[t->n - 1].line + node_nlines(f, &t->nodes[t->n - 1]) : 1)
	                     : count_lines(f->data, f->len);
	size_t k = 0;
	f->line_starts = bulk_alloc((n + 1) * sizeof *f->line_starts);
	f->line_starts[k++] = 0;
	if (t != NULL) {
		/* From the nodes: only a continued node or a blank run holds a newline before its last byte. */
		for (size_t i = 0; i < t->n; i++) {
			const struct node *nd = &t->nodes[i];
			if ((nd->flags & NODE_F_CONT) || nd->kind == NODE_BLANK) {
				for (const unsigned char *p = f->data + nd->start, *end = f->data + nd->end;
				     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
					f->line_starts[k++] = (uint32_t)(p - f->data) + 1;
			} else if (nd->end > nd->start && f->data[nd->end - 1] == '\n') {
				f->line_starts[k++] = nd->end;
			}
		}
	} else {
		for (const unsigned char *p = f->data, *end = f->data + f->len;
		     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			f->line_starts[k++] = (uint32_t)(p - f->data) + 1;
	}
	f->nlines = k;
}

unsigned node_nlines(const struct srcfile *f, const struct node *n)
{
	unsigned k = 0;
	for (const unsigned char *p = f->data + n->start, *end = f->data + n->end;
	     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		k++;
	return k + ((n->flags & NODE_F_NOEOL) ? 1u : 0u);
}

size_t node_eq_off(const struct srcfile *f, const struct node *n)
{
	if (n->kind != NODE_PARAM && n->kind != NODE_EMPTYNAME)
		return 0;
	const unsigned char *eq = memchr(f->data + n->key_off, '=', n->end - n->key_off);
	return eq != NULL ? (size_t)(eq - f->data) : 0;
}

void src_pos(struct srcfile *f, size_t off, unsigned *line, unsigned *col)
{
	if (f->line_starts == NULL)
		build_lines(f);
	size_t lo = 0, hi = f->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (unsigned)lo + 1;
	*col = (unsigned)(off - f->line_starts[lo]) + 1;
}

const unsigned char *src_line(struct srcfile *f, unsigned line, size_t *len)
{
	if (f->line_starts == NULL)
		build_lines(f);
	if (line == 0 || line > f->nlines) {
		*len = 0;
		return (const unsigned char *)"";
	}
	size_t s = f->line_starts[line - 1];
	size_t e = eol(f->data, f->len, s);
	if (e > s && f->data[e - 1] == '\r')
		e--;
	*len = e - s;
	return f->data + s;
}

struct srcfile *src_new(const char *path, unsigned char *data, size_t len)
{
	struct srcfile *f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	f->display = xstrdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
	f->data = data;
	f->len = len;
	return f;
}

void src_free(struct srcfile *f)
{
	if (f == NULL)
		return;
	tree_free(f->tree);
	free(f->path);
	free(f->display);
	bulk_free(f->data);
	bulk_free(f->line_starts);
	free(f);
}
