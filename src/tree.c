/* tree.c - bytes -> lossless tree of logical lines, read exactly as Samba reads them. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
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
 * Parameter names by their spelling: a large file repeats the same few
 * dozen names, and a probe here is cheaper than folding and looking up
 * each one.  Each parse has its own, so that parsing on a thread of its
 * own shares nothing with the loader.
 */
struct name_ent {
	const char *key;      /* NULL: free */
	uint32_t len, h;
	uint16_t param;       /* index + 1, or 0 */
};

struct name_memo {
	struct name_ent *e;
	size_t cap, n;
};

#define NAME_MEMO_MAX 4096   /* names beyond it are looked up each time */

static uint16_t name_param(struct name_memo *m, const char *key, size_t len)
{
	uint32_t h = hash_mem(key, len, 0);
	if (m->cap != 0) {
		for (size_t i = h & (m->cap - 1); m->e[i].key != NULL; i = (i + 1) & (m->cap - 1)) {
			const struct name_ent *e = &m->e[i];
			if (e->h == h && e->len == len && memcmp(e->key, key, len) == 0)
				return e->param;
		}
	}
	const struct param *p = param_lookup(key);
	uint16_t v = p != NULL ? (uint16_t)(param_index(p) + 1) : 0;
	if (m->n >= NAME_MEMO_MAX)
		return v;
	if ((m->n + 1) * 2 > m->cap) {
		struct name_ent *old = m->e;
		size_t oldcap = m->cap;
		m->cap = oldcap ? oldcap * 2 : 64;
		m->e = xcalloc(m->cap, sizeof *m->e);
		for (size_t k = 0; k < oldcap; k++) {
			if (old[k].key == NULL)
				continue;
			size_t j = old[k].h & (m->cap - 1);
			while (m->e[j].key != NULL)
				j = (j + 1) & (m->cap - 1);
			m->e[j] = old[k];
		}
		free(old);
	}
	size_t i = h & (m->cap - 1);
	while (m->e[i].key != NULL)
		i = (i + 1) & (m->cap - 1);
	m->e[i] = (struct name_ent){key, (uint32_t)len, h, v};
	m->n++;
	return v;
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
    const struct lineview *v, bool eq_known, size_t eqpos, struct name_memo *names)
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
	n->param = name_param(names, kv, kt - kf);
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

/*
 * How many times bytes a and b occur in d, in one pass (newlines: the
 * physical lines less one, an upper bound on the number of nodes; '=': on
 * the parameter lines).
 */
static void count_bytes(const unsigned char *d, size_t len, unsigned char a, unsigned char b, size_t *na, size_t *nb)
{
	size_t n = 0, m = 0, i = 0;
#if defined(__SSE2__)
	/* byte-wise counters (a match is -1, so subtracting counts up), summed before they can wrap */
	const __m128i av = _mm_set1_epi8((char)a), bv = _mm_set1_epi8((char)b), zero = _mm_setzero_si128();
	while (i + 16 <= len) {
		__m128i acc = zero, bcc = zero;
		for (int k = 0; k < 255 && i + 16 <= len; k++, i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, av));
			bcc = _mm_sub_epi8(bcc, _mm_cmpeq_epi8(x, bv));
		}
		__m128i sa = _mm_sad_epu8(acc, zero), sb = _mm_sad_epu8(bcc, zero);
		n += (size_t)_mm_cvtsi128_si32(sa) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sa, 8));
		m += (size_t)_mm_cvtsi128_si32(sb) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sb, 8));
	}
#endif
	for (; i < len; i++) {
		n += d[i] == a;
		m += d[i] == b;
	}
	*na = n;
	*nb = m;
}

static size_t count_lines(const unsigned char *d, size_t len)
{
	size_t nl, unused;
	count_bytes(d, len, '\n', '\n', &nl, &unused);
	return nl + 1;
}

size_t src_count_lines(const unsigned char *d, size_t len)
{
	/* a line starts with a byte that is not a newline, at 0 or just past a newline */
	size_t n = len > 0 && d[0] != '\n', i = 1;
#if defined(__SSE2__)
	const __m128i nlv = _mm_set1_epi8('\n');
	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
		__m128i p = _mm_loadu_si128((const __m128i *)(const void *)(d + i - 1));
		unsigned starts = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(p, nlv)) &
		    ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, nlv)) & 0xffffu;
		n += (size_t)__builtin_popcount(starts);
	}
#endif
	for (; i < len; i++)
		n += d[i - 1] == '\n' && d[i] != '\n';
	return n;
}

/*
 * A large file is parsed on a thread of its own while the loader reads the
 * nodes already made (so the two costs overlap instead of adding up): the
 * node array is allocated once for the most nodes the file can have, one
 * per newline and one more, so that it never moves, and the parser
 * publishes how many nodes are finished.
 */
struct tree_stream {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	atomic_size_t ready;    /* nodes finished (never more than t->n) */
	atomic_bool done;       /* the parse is over: ready is final */
	atomic_bool waiting;    /* the reader sleeps on cv */
	struct tree *t;
	size_t cap;
	size_t params;          /* the most NODE_PARAMs there can be */
};

#define STREAM_EVERY 64   /* nodes between two publications */

void (*tree_stream_pause)(size_t published);

static void stream_publish(struct tree_stream *s, size_t n, bool done)
{
	atomic_store(&s->ready, n);
	if (done)
		atomic_store(&s->done, true);
	/* seq_cst on both sides: either the reader sees the new count or the parser sees it waiting */
	if (atomic_load(&s->waiting)) {
		pthread_mutex_lock(&s->mu);
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	if (tree_stream_pause != NULL && !done)
		tree_stream_pause(n);
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
	struct name_memo names = {0};
	/*
	 * Start from what typical lines need (of `expect` bytes) and grow (a
	 * file of blank lines needs far fewer: a run of them is one node).
	 * A file parsed on a thread of its own comes with room for every node
	 * it can have (*capp), as its reader holds on to published nodes.
	 */
	size_t cap = *capp;
	size_t ready = 0;   /* nodes of the array prefaulted so far */
	struct tree_stream *s = t->stream;
	if (t->nodes == NULL) {
		cap = expect / 16 + 64;
		t->nodes = bulk_alloc(cap * sizeof *t->nodes);
	}
	while (p < len) {
		if (s != NULL && (t->n & (STREAM_EVERY - 1)) == 0 && t->n > 0)
			stream_publish(s, t->n, false);
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
				classify(t, n, &v, true, eqpos, &names);
			} else {
				unsigned nl;
				n->end = (uint32_t)gather(d, len, q, &l, &nl);
				lines = nl;
				if (nl > 1)
					n->flags |= NODE_F_CONT;
				struct lineview v = { l.buf, l.len, l.off, 0 };
				classify(t, n, &v, false, 0, &names);
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
	free(names.e);
	arena_trim(t->arena);   /* no more strings go into it */
	*capp = cap;
	return line;
}

size_t tree_stream_min = (size_t)256 << 10;
size_t tree_streams;

static void build_lines(struct srcfile *f);

static void *stream_main(void *arg)
{
	struct tree_stream *s = arg;
	size_t cap = s->cap;
	parse_range(s->t, s->t->file->data, 0, s->t->file->len, s->t->file->len, 1, &cap);
	stream_publish(s, s->t->n, true);
	/*
	 * Diagnostics will want the line index: this thread has nothing else
	 * to do, and the loader reads no positions before tree_parse_end.
	 */
	build_lines(s->t->file);
	return NULL;
}

size_t tree_await(struct tree *t, size_t i)
{
	struct tree_stream *s = t->stream;
	if (s == NULL)
		return t->n;
	size_t r = atomic_load_explicit(&s->ready, memory_order_acquire);
	if (r > i)
		return r;
	/* the parser is usually a few nodes ahead: spin a little before sleeping */
	for (int k = 0; k < 4096; k++) {
		if ((r = atomic_load(&s->ready)) > i || atomic_load(&s->done))
			return atomic_load(&s->ready);
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
	pthread_mutex_lock(&s->mu);
	atomic_store(&s->waiting, true);
	while ((r = atomic_load(&s->ready)) <= i && !atomic_load(&s->done))
		pthread_cond_wait(&s->cv, &s->mu);
	atomic_store(&s->waiting, false);
	pthread_mutex_unlock(&s->mu);
	return atomic_load(&s->ready);
}

size_t tree_param_bound(const struct tree *t)
{
	if (t->stream != NULL)
		return t->stream->params;
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++)
		n += t->nodes[i].kind == NODE_PARAM;
	return n;
}

void tree_parse_end(struct tree *t)
{
	struct tree_stream *s = t->stream;
	if (s == NULL)
		return;
	pthread_join(s->th, NULL);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
	t->stream = NULL;
	bulk_shrink(t->nodes, t->n * sizeof *t->nodes);   /* room for nodes that never came */
}

static struct tree *parse_begin(struct srcfile *f, bool may_stream)
{
	const unsigned char *d = f->data;
	size_t len = f->len;
	struct tree *t = xcalloc(1, sizeof *t);

	if (len > SRC_MAX_LEN)
		len = SRC_MAX_LEN;   /* the readers refuse such files long before */
	t->file = f;
	f->tree = t;
	size_t nl = 0, eqs = 0;
	may_stream = may_stream && len >= tree_stream_min;
	if (may_stream)
		count_bytes(d, len, '\n', '=', &nl, &eqs);
	/*
	 * Room for a node per line is about twice the bytes of a real
	 * configuration; a file of mostly empty or one-byte lines (whose blank
	 * runs make few nodes) is parsed here instead of reserving far more.
	 */
	if (may_stream && (nl + 1) / 4 * sizeof *t->nodes <= len + ((size_t)1 << 20)) {
		struct tree_stream *s = xcalloc(1, sizeof *s);
		s->t = t;
		s->cap = nl + 1;   /* a node ends at a newline or at the end */
		s->params = eqs < s->cap ? eqs : s->cap;
		t->nodes = bulk_alloc(s->cap * sizeof *t->nodes);
		atomic_init(&s->ready, 0);
		atomic_init(&s->done, false);
		atomic_init(&s->waiting, false);
		pthread_mutex_init(&s->mu, NULL);
		pthread_cond_init(&s->cv, NULL);
		t->stream = s;
		if (pthread_create(&s->th, NULL, stream_main, s) == 0) {
			tree_streams++;
			return t;
		}
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		free(s);
		t->stream = NULL;
		bulk_free(t->nodes);
		t->nodes = NULL;
	}
	size_t cap;
	parse_range(t, d, 0, len, len, 1, &cap);
	bulk_shrink(t->nodes, t->n * sizeof *t->nodes);   /* room guessed for nodes that never came */
	return t;
}

struct tree *tree_parse_begin(struct srcfile *f)
{
	return parse_begin(f, true);
}

struct tree *tree_parse(struct srcfile *f)
{
	struct tree *t = parse_begin(f, true);
	tree_parse_end(t);
	return t;
}

struct tree *tree_parse_serial(struct srcfile *f)
{
	return parse_begin(f, false);
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
