/* fix.c - text edits on the original bytes: choose them, verify the result, then diff or write it. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fix.h"
#include "safewrite.h"

/*
 * A safety net against fixes that undo each other.  Real files settle in two
 * or three rounds; a [global] reopened between shares a dozen times, each
 * part repeating one line, loses one repeat per round (SL1012 keeps the
 * first line of such a pair and removes the later one): generated files of
 * that shape took up to 18.
 */
#define FIX_MAX_ROUNDS 32
#define DIFF_CONTEXT 3
#define TESTPARM_TIMEOUT_MS 30000

/* ---- one file's text under edit ---------------------------------------- */

void fix_text_init(struct fix_text *t, const char *path, const char *display,
    const unsigned char *data, size_t len)
{
	memset(t, 0, sizeof *t);
	t->path = xstrdup(path);
	t->display = xstrdup(display != NULL ? display : path);
	t->orig = xmalloc(len + 1);
	memcpy(t->orig, data, len);
	t->orig[len] = '\0';
	t->orig_len = len;
	t->data = xmalloc(len + 1);
	memcpy(t->data, data, len);
	t->data[len] = '\0';
	t->len = len;
	if (len > 0) {
		t->segs = xmalloc(sizeof *t->segs);
		t->segs[0] = (struct fix_seg){ 0, 0, len };
		t->nsegs = 1;
	}
}

void fix_text_free(struct fix_text *t)
{
	free(t->path);
	free(t->display);
	free(t->orig);
	free(t->data);
	free(t->segs);
	memset(t, 0, sizeof *t);
}

/*
 * Where current offset p (which no edit covers) lands once the edits are
 * made.  Asked for increasing p only, so it keeps a running total.
 */
struct shifter {
	const struct edit *e;
	size_t n, k;
	size_t added, removed;
};

static size_t shifted(struct shifter *s, size_t p)
{
	/* Edits do not overlap, so their ends grow with their starts. */
	for (; s->k < s->n && s->e[s->k].end <= p; s->k++) {
		s->added += strlen(s->e[s->k].text);
		s->removed += s->e[s->k].end - s->e[s->k].start;
	}
	return p + s->added - s->removed;
}

static void seg_push(struct fix_seg **v, size_t *n, size_t *cap, struct fix_seg s)
{
	if (s.len == 0)
		return;
	if (*n > 0) {
		struct fix_seg *last = &(*v)[*n - 1];
		if (last->old_off + last->len == s.old_off && last->new_off + last->len == s.new_off) {
			last->len += s.len;
			return;
		}
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = s;
}

void fix_text_edit(struct fix_text *t, const struct edit *e, size_t n)
{
	struct sbuf b = {0};
	size_t pos = 0;

	for (size_t i = 0; i < n; i++) {
		sbuf_add(&b, t->data + pos, e[i].start - pos);
		sbuf_adds(&b, e[i].text);
		pos = e[i].end;
	}
	sbuf_add(&b, t->data + pos, t->len - pos);

	/* The untouched runs lose what the edits cover and move by what they add. */
	struct fix_seg *segs = NULL;
	size_t nsegs = 0, cap = 0, first = 0;
	struct shifter sh = { e, n, 0, 0, 0 };
	for (size_t s = 0; s < t->nsegs; s++) {
		size_t a = t->segs[s].new_off, z = a + t->segs[s].len, at = a;
		while (first < n && e[first].end <= a)
			first++;   /* wholly before this run (or inserted at its start): nothing to cut */
		for (size_t i = first; i < n && e[i].start < z; i++) {
			if (e[i].start > at) {
				seg_push(&segs, &nsegs, &cap, (struct fix_seg){
				    t->segs[s].old_off + (at - a), shifted(&sh, at), e[i].start - at });
			}
			if (e[i].end > at)
				at = e[i].end;
		}
		if (at < z)
			seg_push(&segs, &nsegs, &cap, (struct fix_seg){
			    t->segs[s].old_off + (at - a), shifted(&sh, at), z - at });
	}
	free(t->segs);
	t->segs = segs;
	t->nsegs = nsegs;
	free(t->data);
	t->len = b.len;
	t->data = b.s != NULL ? (unsigned char *)sbuf_take(&b) : (unsigned char *)xstrdup("");
}

static bool text_changed(const struct fix_text *t)
{
	return t->len != t->orig_len || memcmp(t->data, t->orig, t->len) != 0;
}

/* ---- unified diff ------------------------------------------------------ */

/* Offsets of the line starts of a buffer. */
struct lines {
	const unsigned char *d;
	size_t len;
	size_t *start;
	size_t n;
};

static void lines_init(struct lines *l, const unsigned char *d, size_t len)
{
	size_t cap = 64;
	l->d = d;
	l->len = len;
	l->n = 0;
	l->start = xmalloc(cap * sizeof *l->start);
	for (size_t p = 0; p < len;) {
		if (l->n == cap) {
			cap *= 2;
			l->start = xrealloc(l->start, cap * sizeof *l->start);
		}
		l->start[l->n++] = p;
		const unsigned char *nl = memchr(d + p, '\n', len - p);
		p = nl ? (size_t)(nl - d) + 1 : len;
	}
}

/* Index of the line starting at off (off is a line start or the end). */
static size_t lines_index(const struct lines *l, size_t off)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->start[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t line_end(const struct lines *l, size_t i)
{
	return i + 1 < l->n ? l->start[i + 1] : l->len;
}

static bool lines_equal(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	size_t la = line_end(a, i) - a->start[i], lb = line_end(b, j) - b->start[j];
	return la == lb && memcmp(a->d + a->start[i], b->d + b->start[j], la) == 0;
}

static bool at_line_start(const unsigned char *d, size_t p)
{
	return p == 0 || d[p - 1] == '\n';
}

/* A changed stretch: old lines [la, la+lc) became new lines [lb, lb+lbc). */
struct change {
	size_t la, lc, lb, lbc;
};

/* Byte bounds of the gap before segment i (i == nsegs: the gap at the end). */
static void gap_bounds(const struct fix_text *t, size_t i, size_t *os, size_t *oe, size_t *ns, size_t *ne)
{
	*os = i > 0 ? t->segs[i - 1].old_off + t->segs[i - 1].len : 0;
	*ns = i > 0 ? t->segs[i - 1].new_off + t->segs[i - 1].len : 0;
	*oe = i < t->nsegs ? t->segs[i].old_off : t->orig_len;
	*ne = i < t->nsegs ? t->segs[i].new_off : t->len;
}

/*
 * Widens the gaps between untouched runs to whole lines on both sides
 * (merging gaps that share a line), which gives the changed line ranges
 * without any general diff algorithm.
 */
static size_t diff_changes(const struct fix_text *t, const struct lines *lo, const struct lines *ln,
    struct change **out)
{
	const unsigned char *od = t->orig, *nd = t->data;
	struct change *v = NULL;
	size_t nv = 0, cap = 0;

	for (size_t i = 0; i <= t->nsegs; i++) {
		size_t os, oe, ns, ne, first = i, last = i;
		gap_bounds(t, i, &os, &oe, &ns, &ne);
		if (os == oe && ns == ne)
			continue;
		/* Back to a line start shared by both sides. */
		while (first > 0 && od[os - 1] != '\n') {
			const struct fix_seg *s = &t->segs[first - 1];
			const unsigned char *nl = memrchr(od + s->old_off, '\n', os - s->old_off);
			if (nl != NULL) {
				size_t k = os - ((size_t)(nl - od) + 1);
				os -= k;
				ns -= k;
				break;
			}
			os = s->old_off;
			ns = s->new_off;
			if (at_line_start(od, os) && at_line_start(nd, ns))
				break;
			first--;
			size_t x1, x2;
			gap_bounds(t, first, &os, &x1, &ns, &x2);
		}
		/* Forward to a line end shared by both sides. */
		while (last < t->nsegs && !(at_line_start(od, oe) && at_line_start(nd, ne))) {
			const struct fix_seg *s = &t->segs[last];
			const unsigned char *nl = memchr(od + oe, '\n', s->old_off + s->len - oe);
			if (nl != NULL) {
				size_t k = (size_t)(nl - od) + 1 - oe;
				oe += k;
				ne += k;
				break;
			}
			last++;
			size_t x1, x2;
			gap_bounds(t, last, &x1, &oe, &x2, &ne);
		}
		i = last;
		struct change c = { lines_index(lo, os), 0, lines_index(ln, ns), 0 };
		c.lc = lines_index(lo, oe) - c.la;
		c.lbc = lines_index(ln, ne) - c.lb;
		/* An edit that rewrote a line with itself shows nothing. */
		while (c.lc > 0 && c.lbc > 0 && lines_equal(lo, c.la, ln, c.lb)) {
			c.la++, c.lb++, c.lc--, c.lbc--;
		}
		while (c.lc > 0 && c.lbc > 0 && lines_equal(lo, c.la + c.lc - 1, ln, c.lb + c.lbc - 1)) {
			c.lc--, c.lbc--;
		}
		if (c.lc == 0 && c.lbc == 0)
			continue;
		if (nv > 0 && v[nv - 1].la + v[nv - 1].lc == c.la) {
			/* Touching changes read better as one: all - lines, then all + lines. */
			v[nv - 1].lc += c.lc;
			v[nv - 1].lbc += c.lbc;
			continue;
		}
		if (nv == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[nv++] = c;
	}
	*out = v;
	return nv;
}

static void diff_line(struct sbuf *out, char mark, const struct lines *l, size_t i)
{
	size_t s = l->start[i], e = line_end(l, i);
	sbuf_addc(out, mark);
	sbuf_add(out, l->d + s, e - s);
	if (e == s || l->d[e - 1] != '\n')
		sbuf_adds(out, "\n\\ No newline at end of file\n");
}

/* "-3,2" as diff -u writes ranges: no count when it is 1; the line before when empty. */
static void diff_range(struct sbuf *out, char sign, size_t start, size_t count)
{
	if (count == 1)
		sbuf_addf(out, "%c%zu", sign, start + 1);
	else
		sbuf_addf(out, "%c%zu,%zu", sign, count ? start + 1 : start, count);
}

/* One hunk: changes c[0..n) with context. */
static void diff_hunk(struct sbuf *out, const struct lines *lo, const struct lines *ln,
    const struct change *c, size_t n, unsigned ctx)
{
	size_t a0 = c[0].la > ctx ? c[0].la - ctx : 0;
	size_t b0 = c[0].lb - (c[0].la - a0);
	size_t aend = c[n - 1].la + c[n - 1].lc, tail = lo->n - aend < ctx ? lo->n - aend : ctx;
	size_t a1 = aend + tail, b1 = c[n - 1].lb + c[n - 1].lbc + tail;

	sbuf_adds(out, "@@ ");
	diff_range(out, '-', a0, a1 - a0);
	sbuf_addc(out, ' ');
	diff_range(out, '+', b0, b1 - b0);
	sbuf_adds(out, " @@\n");
	size_t a = a0;
	for (size_t k = 0; k < n; k++) {
		for (; a < c[k].la; a++)
			diff_line(out, ' ', lo, a);
		for (size_t i = 0; i < c[k].lc; i++)
			diff_line(out, '-', lo, c[k].la + i);
		for (size_t i = 0; i < c[k].lbc; i++)
			diff_line(out, '+', ln, c[k].lb + i);
		a = c[k].la + c[k].lc;
	}
	for (; a < a1; a++)
		diff_line(out, ' ', lo, a);
}

void fix_diff(struct sbuf *out, const char *name, const struct fix_text *t, unsigned ctx)
{
	struct lines lo, ln;
	struct change *c;

	lines_init(&lo, t->orig, t->orig_len);
	lines_init(&ln, t->data, t->len);
	size_t n = diff_changes(t, &lo, &ln, &c);
	if (n > 0) {
		while (*name == '/' || strncmp(name, "./", 2) == 0)
			name += *name == '/' ? 1 : 2;
		sbuf_addf(out, "--- a/%s\n+++ b/%s\n", name, name);
	}
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && c[j].la - (c[j - 1].la + c[j - 1].lc) <= 2 * (size_t)ctx)
			j++;
		diff_hunk(out, &lo, &ln, c + i, j - i, ctx);
		i = j;
	}
	free(c);
	free(lo.start);
	free(ln.start);
}

/* ---- choosing the edits of a round ------------------------------------- */

const char *fix_verdict_reason(enum fix_verdict v)
{
	switch (v) {
	case FV_UNSAFE: return "unsafe (use --unsafe-fixes)";
	case FV_OVERLAP: return "overlapping another fix";
	case FV_ELSEWHERE: return "in an included file that is not written (use --fix without -o)";
	case FV_INVALID: return "invalid edit (a bug in the rule)";
	default: return "";
	}
}

static const char *edit_path(const struct edit *e)
{
	return e->file->path;
}

static int edit_cmp(const struct edit *x, const struct edit *y)
{
	int c = strcmp(edit_path(x), edit_path(y));
	if (c != 0)
		return c;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return strcmp(x->text, y->text);
}

static bool edit_same(const struct edit *x, const struct edit *y)
{
	return edit_cmp(x, y) == 0;
}

/*
 * Two different edits of one file conflict when their spans overlap, when
 * an insertion falls strictly inside a replaced span, or when both insert
 * at the same place (their order would be a guess).
 */
static bool edit_clash(const struct edit *x, const struct edit *y)
{
	if (strcmp(edit_path(x), edit_path(y)) != 0 || edit_same(x, y))
		return false;
	bool xe = x->start == x->end, ye = y->start == y->end;
	if (xe && ye)
		return x->start == y->start;
	if (xe)
		return y->start < x->start && x->start < y->end;
	if (ye)
		return x->start < y->start && y->start < x->end;
	return x->start < y->end && y->start < x->end;
}

/* Edits taken so far, kept sorted and free of overlaps. */
struct taken {
	struct edit *v;
	size_t n, cap;
};

/* Position where e would go in t (first element not less than e). */
static size_t taken_pos(const struct taken *t, const struct edit *e)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (edit_cmp(&t->v[mid], e) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* 1 when e is already taken, -1 when it clashes with a taken edit, else 0. */
static int taken_check(const struct taken *t, const struct edit *e)
{
	size_t p = taken_pos(t, e);
	if (p < t->n && edit_same(&t->v[p], e))
		return 1;
	/* Taken edits do not overlap, so their ends grow with their starts. */
	for (size_t i = p; i-- > 0;) {
		if (strcmp(edit_path(&t->v[i]), edit_path(e)) != 0 || t->v[i].end < e->start)
			break;
		if (edit_clash(&t->v[i], e))
			return -1;
	}
	for (size_t i = p; i < t->n; i++) {
		if (strcmp(edit_path(&t->v[i]), edit_path(e)) != 0 || t->v[i].start > e->end)
			break;
		if (edit_clash(&t->v[i], e))
			return -1;
	}
	return 0;
}

static void taken_add(struct taken *t, const struct edit *e)
{
	size_t p = taken_pos(t, e);
	if (p < t->n && edit_same(&t->v[p], e))
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	memmove(t->v + p + 1, t->v + p, (t->n - p) * sizeof *t->v);
	t->v[p] = *e;
	t->n++;
}

/* Why a finding cannot be taken regardless of the others (FV_APPLY: it can). */
static enum fix_verdict finding_verdict(const struct finding *f, bool unsafe, enum severity threshold,
    const char *only_path)
{
	if (f->nedits == 0 || f->suppressed || f->severity < threshold || f->rule == NULL ||
	    f->rule->fix == FIX_NONE)
		return FV_NONE;
	if (f->rule->fix == FIX_UNSAFE && !unsafe)
		return FV_UNSAFE;
	for (size_t k = 0; k < f->nedits; k++) {
		const struct edit *e = &f->edits[k];
		if (e->file == NULL || e->text == NULL || e->start > e->end || e->end > e->file->len)
			return FV_INVALID;
	}
	for (size_t k = 0; only_path != NULL && k < f->nedits; k++)
		if (strcmp(edit_path(&f->edits[k]), only_path) != 0)
			return FV_ELSEWHERE;
	/* A finding's own edits must not overlap one another. */
	for (size_t k = 0; k < f->nedits; k++)
		for (size_t m = k + 1; m < f->nedits; m++)
			if (edit_clash(&f->edits[k], &f->edits[m]))
				return FV_INVALID;
	return FV_APPLY;
}

size_t fix_select(const struct finding *fs, size_t n, bool unsafe, enum severity threshold,
    const char *only_path, enum fix_verdict *verdict, struct edit **edits, size_t *nedits)
{
	struct taken t = {0};
	size_t ntaken = 0;

	for (size_t i = 0; i < n; i++) {
		const struct finding *f = &fs[i];
		verdict[i] = finding_verdict(f, unsafe, threshold, only_path);
		if (verdict[i] != FV_APPLY)
			continue;
		for (size_t k = 0; k < f->nedits; k++)
			if (taken_check(&t, &f->edits[k]) < 0)
				verdict[i] = FV_OVERLAP;
		if (verdict[i] != FV_APPLY)
			continue;
		for (size_t k = 0; k < f->nedits; k++)
			taken_add(&t, &f->edits[k]);
		ntaken++;
	}
	*edits = t.v;
	*nedits = t.n;
	return ntaken;
}

/* ---- the whole job ----------------------------------------------------- */

/* Names compared as Samba compares parameter names (fold_eq: case and blanks ignored). */
struct nameset {
	char **v;
	size_t n;
};

static bool nameset_has(const struct nameset *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (fold_eq(s->v[i], name))
			return true;
	return false;
}

static void nameset_add(struct nameset *s, const char *name)
{
	if (nameset_has(s, name))
		return;
	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = xstrdup(name);
}

static void nameset_free(struct nameset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

struct fixer {
	const struct fix_opts *o;
	FILE *err;
	struct fix_text *texts;        /* texts[0] is the top file */
	size_t ntexts;
	const char *only_path;         /* set when only the top file is written */
	struct config *cfg0;           /* as the caller loaded it */
	struct config *cfg;            /* current round's (== cfg0 until something changed) */
	struct lint *lint;             /* its findings */
	struct nameset allowed;        /* parameters the fixes may change */
	struct nameset sections;       /* sections holding a line the fixes touch */
	unsigned nproblems;
	unsigned left[FV_INVALID + 1]; /* fixable findings left out, by reason */
};

static void problem(struct fixer *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct fixer *fx, const char *fmt, ...)
{
	va_list ap;
	fputs("smblint: fix refused: ", fx->err);
	va_start(ap, fmt);
	vfprintf(fx->err, fmt, ap);
	va_end(ap);
	fputc('\n', fx->err);
	fx->nproblems++;
}

/* A parameter the fixes may change, under every spelling (synonyms lead to the canonical name). */
static void allow(struct fixer *fx, const char *name)
{
	if (name == NULL)
		return;
	nameset_add(&fx->allowed, name);
	const struct param *p = param_lookup(name);
	if (p != NULL)
		nameset_add(&fx->allowed, param_name(param_canonical(p)));
}

static bool allowed(const struct fixer *fx, const char *name)
{
	return nameset_has(&fx->allowed, name);
}

static struct fix_text *text_of(struct fixer *fx, const struct srcfile *f)
{
	for (size_t i = 0; i < fx->ntexts; i++)
		if (strcmp(fx->texts[i].path, f->path) == 0)
			return &fx->texts[i];
	fx->texts = xrealloc(fx->texts, (fx->ntexts + 1) * sizeof *fx->texts);
	fix_text_init(&fx->texts[fx->ntexts], f->path, f->display, f->data, f->len);
	return &fx->texts[fx->ntexts++];
}

/* Loads the configuration again from the current bytes of every file. */
static struct config *reload(struct fixer *fx)
{
	struct config_opts co = {0};
	struct config_override *ov = xcalloc(fx->ntexts, sizeof *ov);
	size_t nov = 0;

	if (fx->o->copts != NULL)
		co = *fx->o->copts;
	else
		co.follow_includes = true;
	for (size_t i = 1; i < fx->ntexts; i++)
		if (text_changed(&fx->texts[i]))
			ov[nov++] = (struct config_override){ fx->texts[i].path, fx->texts[i].data, fx->texts[i].len };
	co.overrides = ov;
	co.noverrides = nov;
	unsigned char *copy = xmalloc(fx->texts[0].len + 1);
	memcpy(copy, fx->texts[0].data, fx->texts[0].len + 1);
	struct config *c = config_load_mem(fx->texts[0].path, copy, fx->texts[0].len, &co);
	free(ov);
	return c;
}

/*
 * A finding's identity across rounds: rule, section and parameter (names
 * folded as Samba compares them; "\x02" stands for none).
 */
static void key_fold_into(struct sbuf *b, const char *s)
{
	if (s == NULL) {
		sbuf_addc(b, '\x02');
		return;
	}
	for (; *s; s++)
		if (!is_blank((unsigned char)*s))
			sbuf_addc(b, (char)tolower((unsigned char)*s));
}

static char *finding_key(const struct finding *f)
{
	struct sbuf b = {0};
	sbuf_adds(&b, f->rule ? f->rule->code : "");
	sbuf_addc(&b, '\x01');
	key_fold_into(&b, f->section);
	sbuf_addc(&b, '\x01');
	key_fold_into(&b, f->parameter);
	return sbuf_take(&b);
}

struct keycount {
	char *key;
	const struct finding *f;   /* one fixed finding with this key, or NULL (after a round: the finding) */
	size_t had, fixed, after;
};

static int keycount_cmp(const void *a, const void *b)
{
	return strcmp(((const struct keycount *)a)->key, ((const struct keycount *)b)->key);
}

/* Sorted keys of every finding of l, counted into had (or after). */
static struct keycount *count_keys(const struct lint *l, const enum fix_verdict *v, bool after, size_t *n)
{
	struct keycount *k = xcalloc(l->n + 1, sizeof *k);
	for (size_t i = 0; i < l->n; i++) {
		k[i].key = finding_key(&l->findings[i]);
		if (after) {
			k[i].after = 1;
			k[i].f = &l->findings[i];
		} else {
			k[i].had = 1;
			k[i].fixed = v[i] == FV_APPLY;
			k[i].f = v[i] == FV_APPLY ? &l->findings[i] : NULL;
		}
	}
	qsort(k, l->n, sizeof *k, keycount_cmp);
	*n = l->n;
	return k;
}

/*
 * The edits of a round (sorted by path and offset, without overlaps) that
 * touch the line of a finding g of the next lint.  Returns how many, and
 * whether one of them belongs to a fixed finding whose key is gkey.
 */
static size_t edits_on_line(const struct lint *before, const enum fix_verdict *v, const struct edit *edits,
    size_t nedits, const struct finding *g, const char *gkey, bool *same_key)
{
	*same_key = false;
	const struct tree *t = g->file != NULL ? g->file->tree : NULL;
	if (t == NULL)
		return 0;
	size_t lo = 0, hi = t->n;   /* the node holding g->off */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->nodes[mid].end <= g->off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == t->n)
		return 0;
	size_t ns = t->nodes[lo].start, ne = t->nodes[lo].end, hits = 0;
	long long shift = 0;   /* where the round's earlier edits of the file moved the text */
	for (size_t i = 0; i < nedits; i++) {
		const struct edit *e = &edits[i];
		if (strcmp(e->file->path, g->file->path) != 0)
			continue;
		size_t len = strlen(e->text), at = (size_t)((long long)e->start + shift);
		shift += (long long)len - (long long)(e->end - e->start);
		bool touches = len > 0 ? at < ne && at + len > ns : ns < at && at < ne;
		if (!touches)
			continue;
		hits++;
		for (size_t k = 0; k < before->n && !*same_key; k++) {
			if (v[k] != FV_APPLY)
				continue;
			const struct finding *f = &before->findings[k];
			for (size_t m = 0; m < f->nedits && !*same_key; m++)
				if (f->edits[m].file == e->file && f->edits[m].start == e->start &&
				    f->edits[m].end == e->end && strcmp(f->edits[m].text, e->text) == 0) {
					char *fkey = finding_key(f);
					*same_key = strcmp(fkey, gkey) == 0;
					free(fkey);
				}
		}
	}
	return hits;
}

/*
 * Every finding fixed in this round must be gone from the next lint: for
 * each key, what remains may not exceed what was there minus what was fixed.
 * A finding on a line that only other rules' fixes changed this round is a
 * new one they made (the next round takes it), not one that survived its
 * fix: 'lanman auth = yes' set to no by one fix, next to an older 'lanman
 * auth = no' that another fix deletes, now repeats the default itself.
 * Likewise a finding that lines first read after a fixed fatal line give
 * to an untouched line.
 */
static void check_gone(struct fixer *fx, const struct lint *before, const enum fix_verdict *v,
    const struct edit *edits, size_t nedits, const struct lint *after)
{
	size_t na, nb, i = 0, j = 0;
	struct keycount *a = count_keys(before, v, false, &na), *b = count_keys(after, NULL, true, &nb);

	while (i < na) {
		struct keycount sum = a[i];
		for (i++; i < na && strcmp(a[i].key, sum.key) == 0; i++) {
			sum.had += a[i].had;
			sum.fixed += a[i].fixed;
			if (sum.f == NULL)
				sum.f = a[i].f;
		}
		while (j < nb && strcmp(b[j].key, sum.key) < 0)
			j++;
		for (; j < nb && strcmp(b[j].key, sum.key) == 0; j++) {
			bool same_key;
			size_t hits = sum.fixed == 0 ? 0 : edits_on_line(before, v, edits, nedits, b[j].f, sum.key, &same_key);
			/*
			 * When the original stopped at a fatal line, the lines after it
			 * are read for the first time once that line is fixed, and may
			 * give untouched lines new findings: then only a finding on a
			 * line its own fix changed shows that fix failed.
			 */
			if (sum.fixed == 0 || (hits == 0 && !before->cfg->load_failed) || (hits > 0 && same_key))
				sum.after++;
		}
		if (sum.fixed > 0 && sum.after + sum.fixed > sum.had)
			problem(fx, "%s:%u: %s %s is still reported after its fix", sum.f->file->display,
			    sum.f->line, sum.f->rule->code, sum.f->rule->name);
	}
	for (size_t k = 0; k < na; k++)
		free(a[k].key);
	for (size_t k = 0; k < nb; k++)
		free(b[k].key);
	free(a);
	free(b);
}

/* The reloaded configuration must have read every file as fixed, not from disk. */
static bool reread_ok(struct fixer *fx, const struct config *c)
{
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct srcfile *f = c->files[i];
		for (size_t k = 0; k < fx->ntexts; k++) {
			const struct fix_text *t = &fx->texts[k];
			if (strcmp(t->path, f->path) != 0 || !text_changed(t))
				continue;
			if (f->len != t->len || memcmp(f->data, t->data, t->len) != 0) {
				problem(fx, "%s: cannot verify the fixes to this included file (the configuration "
				    "loader read it from disk instead of config_opts.overrides)", t->display);
				return false;
			}
		}
	}
	return true;
}

/* Applies one round's edits (sorted by path) to the texts. */
static void apply_round(struct fixer *fx, const struct edit *e, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && strcmp(edit_path(&e[j]), edit_path(&e[i])) == 0)
			j++;
		struct fix_text *t = text_of(fx, e[i].file);
		if (e[i].file->len != t->len || memcmp(e[i].file->data, t->data, t->len) != 0)
			problem(fx, "%s: the file's bytes differ from the ones being fixed", t->display);
		else
			fix_text_edit(t, e + i, j - i);
		i = j;
	}
}

static void round_count(struct fixer *fx, const struct lint *l, const enum fix_verdict *v)
{
	for (size_t i = 0; i < l->n; i++) {
		if (v[i] != FV_APPLY)
			continue;
		text_of(fx, l->findings[i].edits[0].file)->applied++;
		allow(fx, l->findings[i].parameter);
	}
}

static void set_current(struct fixer *fx, struct config *c, struct lint *l)
{
	if (fx->cfg != fx->cfg0) {
		lint_free(fx->lint);
		free(fx->lint);
		config_free(fx->cfg);
	}
	fx->cfg = c;
	fx->lint = l;
}

/* Fixes round after round until nothing more can be taken. Returns false on a problem. */
static bool run_rounds(struct fixer *fx)
{
	for (int round = 0;; round++) {
		const struct lint *l = fx->lint;
		enum fix_verdict *v = xcalloc(l->n + 1, sizeof *v);
		struct edit *edits;
		size_t nedits;
		size_t taken = fix_select(l->findings, l->n, fx->o->unsafe, fx->o->threshold, fx->only_path,
		    v, &edits, &nedits);
		if (taken == 0 || round == FIX_MAX_ROUNDS) {
			for (size_t i = 0; i < l->n; i++)
				if (v[i] > FV_APPLY)
					fx->left[v[i]]++;
			if (taken > 0)
				problem(fx, "the fixes did not settle after %d rounds", FIX_MAX_ROUNDS);
			free(v);
			free(edits);
			return fx->nproblems == 0;
		}
		apply_round(fx, edits, nedits);
		if (fx->nproblems == 0)
			round_count(fx, l, v);
		struct config *c = fx->nproblems ? NULL : reload(fx);
		if (c == NULL && fx->nproblems == 0)
			problem(fx, "%s: the fixed file cannot be read back", fx->texts[0].display);
		if (c == NULL) {
			free(v);
			free(edits);
			return false;
		}
		if (!reread_ok(fx, c)) {
			config_free(c);
			free(v);
			free(edits);
			return false;
		}
		struct lint *nl = xcalloc(1, sizeof *nl);
		nl->cfg = c;
		nl->opts = fx->lint->opts;
		lint_run(nl);
		check_gone(fx, l, v, edits, nedits, nl);
		free(v);
		free(edits);
		set_current(fx, c, nl);
		if (fx->nproblems)
			return false;
	}
}

/* ---- the effective configuration may change only where the fixes are --- */

static bool node_touched(const struct node *n, size_t gs, size_t ge)
{
	if (gs == ge)
		return n->start < gs && gs < n->end;
	return n->start < ge && gs < n->end;
}

/*
 * Marks the nodes of f that the gaps [gs[i], ge[i]) touch.  A changed
 * header (or a line that was or becomes one) moves every line below it up
 * to the next header into another section, so those count as touched too.
 */
static bool *touched_nodes(const struct srcfile *f, const size_t *gs, const size_t *ge, size_t ngaps)
{
	const struct tree *t = f->tree;
	bool *touched = xcalloc(t->n + 1, sizeof *touched), moved = false;

	for (size_t ni = 0, g = 0; ni < t->n; ni++) {
		const struct node *n = &t->nodes[ni];
		while (g < ngaps && ge[g] < n->start)
			g++;
		bool hit = false;
		for (size_t k = g; k < ngaps && gs[k] <= n->end && !hit; k++)
			hit = node_touched(n, gs[k], ge[k]);
		if (n->kind == NODE_SECTION)
			moved = false;
		if (hit && n->kind != NODE_PARAM && n->kind != NODE_BLANK && n->kind != NODE_COMMENT)
			moved = true;
		touched[ni] = hit || moved;
	}
	return touched;
}

/* Allows the parameters of c's lines in file `path` that the gaps touch. */
static void allow_lines(struct fixer *fx, const struct config *c, const char *path,
    const size_t *gs, const size_t *ge, size_t ngaps)
{
	const struct srcfile *last = NULL;
	bool *touched = NULL;

	for (size_t i = 0; i < c->nassigns; i++) {
		const struct assign *a = &c->assigns[i];
		if (a->file == NULL || a->node == NULL || a->file->tree == NULL || strcmp(a->file->path, path) != 0)
			continue;
		if (a->file != last) {
			free(touched);
			touched = touched_nodes(a->file, gs, ge, ngaps);
			last = a->file;
		}
		size_t ni = (size_t)(a->node - a->file->tree->nodes);
		if (ni < a->file->tree->n && touched[ni]) {
			allow(fx, a->name);
			if (a->section != NULL)
				nameset_add(&fx->sections, a->section->global ? "global" : a->section->name);
		}
	}
	free(touched);
}

static bool loaded_file(const struct config *c, const char *path)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i]->path, path) == 0)
			return true;
	return false;
}

static void allow_touched(struct fixer *fx)
{
	for (size_t i = 0; i < fx->ntexts; i++) {
		const struct fix_text *t = &fx->texts[i];
		size_t *os = xmalloc((t->nsegs + 1) * sizeof *os), *oe = xmalloc((t->nsegs + 1) * sizeof *oe);
		size_t *ns = xmalloc((t->nsegs + 1) * sizeof *ns), *ne = xmalloc((t->nsegs + 1) * sizeof *ne);
		size_t n = 0;
		for (size_t g = 0; g <= t->nsegs; g++) {
			gap_bounds(t, g, &os[n], &oe[n], &ns[n], &ne[n]);
			if (os[n] == oe[n] && ns[n] == ne[n])
				continue;
			/*
			 * Bytes taken out of (or put into) the middle of a line leave an
			 * empty gap on the other side, which may fall at the start of
			 * that line's node: its first byte counts as touched (a byte
			 * order mark removed before a name changes that name's line).
			 */
			if (ns[n] == ne[n] && oe[n] > os[n] && t->orig[oe[n] - 1] != '\n' && ns[n] < t->len)
				ne[n] = ns[n] + 1;
			else if (os[n] == oe[n] && ne[n] > ns[n] && t->data[ne[n] - 1] != '\n' && os[n] < t->orig_len)
				oe[n] = os[n] + 1;
			n++;
		}
		allow_lines(fx, fx->cfg0, t->path, os, oe, n);
		allow_lines(fx, fx->cfg, t->path, ns, ne, n);
		free(os);
		free(oe);
		free(ns);
		free(ne);
	}
	/*
	 * Lines Samba never read in the original (after a fatal line) may now
	 * count; a `copy =` among them brings every value of the share it names,
	 * whose lines may have been read already.
	 */
	for (size_t i = 0; i < fx->cfg0->nassigns; i++) {
		const struct assign *a = &fx->cfg0->assigns[i];
		if (a->status != AS_NOT_READ)
			continue;
		allow(fx, a->name);
		const struct section *src = a->name != NULL && strcmp(a->name, "copy") == 0 && a->value != NULL ?
		    config_find(fx->cfg, a->value) : NULL;
		for (size_t j = 0; src != NULL && j < src->nvals; j++)
			allow(fx, src->vals[j].name);
	}
	/*
	 * So may the lines of files it never opened: included after that line,
	 * or by an include line a fix made readable (a byte order mark glued to
	 * `include`).
	 */
	for (size_t i = 0; i < fx->cfg->nassigns; i++) {
		const struct assign *a = &fx->cfg->assigns[i];
		if (a->file != NULL && !loaded_file(fx->cfg0, a->file->path))
			allow(fx, a->name);
	}
}

struct setting {
	const char *section, *name, *value;
	const struct value *v;
};

static int setting_cmp(const struct setting *x, const struct setting *y)
{
	int c = strcasecmp(x->section, y->section);
	return c != 0 ? c : strcasecmp(x->name, y->name);
}

static int section_qcmp(const void *a, const void *b)
{
	const struct section *x = *(const struct section *const *)a, *y = *(const struct section *const *)b;
	return strcasecmp(x->global ? "global" : x->name, y->global ? "global" : y->name);
}

/*
 * Every value in effect as (section, name, value), sorted by section and
 * then name ignoring case.  Sections are sorted once and each one's few
 * values on their own: sorting all values by both names would compare the
 * section names over and over (a generated file has tens of thousands).
 */
static struct setting *settings_of(const struct config *c, size_t *n)
{
	size_t total = 0, k = 0;
	for (size_t i = 0; i < c->nsections; i++)
		total += c->sections[i]->nvals;
	struct setting *v = xmalloc((total + 1) * sizeof *v);
	const struct section **secs = xmalloc((c->nsections + 1) * sizeof *secs);
	for (size_t i = 0; i < c->nsections; i++)
		secs[i] = c->sections[i];
	qsort(secs, c->nsections, sizeof *secs, section_qcmp);
	for (size_t i = 0; i < c->nsections; i++) {
		const struct section *s = secs[i];
		size_t first = k;
		for (size_t j = 0; j < s->nvals; j++)
			v[k++] = (struct setting){ s->global ? "global" : s->name, s->vals[j].name,
			    s->vals[j].canon ? s->vals[j].canon : "", &s->vals[j] };
		for (size_t a = first + 1; a < k; a++) {   /* a handful each: insertion sort */
			struct setting t = v[a];
			size_t b = a;
			for (; b > first && strcasecmp(v[b - 1].name, t.name) > 0; b--)
				v[b] = v[b - 1];
			v[b] = t;
		}
	}
	free(secs);
	*n = k;
	return v;
}

/*
 * A value the loader sets by itself (Samba's end-of-section checks, print
 * commands implied by `printing`) may follow the line that implies it, or a
 * touched line of its section or of [global], whose share-level values
 * every share inherits (a share left without a path or an msdfs proxy is
 * made unavailable); when the original did not load, Samba never got that
 * far in it.
 */
static bool implied_ok(const struct fixer *fx, const struct value *v, const char *section)
{
	if (v == NULL || v->implied == NULL)
		return false;
	return fx->cfg0->load_failed || (v->from != NULL && allowed(fx, v->from->name)) ||
	    nameset_has(&fx->sections, section) || nameset_has(&fx->sections, "global");
}

static void changed_setting(struct fixer *fx, const struct setting *s, const struct setting *t,
    const char *was, const char *now)
{
	if (allowed(fx, s->name) || implied_ok(fx, s->v, s->section) || (t != NULL && implied_ok(fx, t->v, s->section)))
		return;
	problem(fx, "the fixes would change '%s' in [%s] from %s%s%s to %s%s%s, which no applied fix is about",
	    s->name, s->section, was ? "'" : "", was ? was : "unset", was ? "'" : "",
	    now ? "'" : "", now ? now : "unset", now ? "'" : "");
}

static void check_effective(struct fixer *fx)
{
	if (!fx->cfg0->load_failed && fx->cfg->load_failed) {
		problem(fx, "the fixed configuration no longer loads: %s",
		    fx->cfg->fatal_reason ? fx->cfg->fatal_reason : "Samba would refuse it");
		return;
	}
	allow_touched(fx);
	size_t na, nb, i = 0, j = 0;
	struct setting *a = settings_of(fx->cfg0, &na), *b = settings_of(fx->cfg, &nb);
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : setting_cmp(&a[i], &b[j]);
		if (c < 0) {
			changed_setting(fx, &a[i], NULL, a[i].value, NULL);
			i++;
		} else if (c > 0) {
			changed_setting(fx, &b[j], NULL, NULL, b[j].value);
			j++;
		} else {
			if (strcmp(a[i].value, b[j].value) != 0)
				changed_setting(fx, &a[i], &b[j], a[i].value, b[j].value);
			i++;
			j++;
		}
	}
	free(a);
	free(b);
}

/* ---- testparm as a second opinion -------------------------------------- */

/* One testparm run on bytes written to a temporary file. */
struct testparm_run {
	char *path;
	pid_t pid;   /* -1: could not be started */
};

static void testparm_start(struct testparm_run *r, const char *bin, const unsigned char *data, size_t len,
    const char *cwd)
{
	const char *tmpdir = getenv("TMPDIR");
	r->path = xasprintf("%s/smblint-testparm-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	r->pid = -1;
	int fd = mkostemp(r->path, O_CLOEXEC);
	if (fd < 0) {
		free(r->path);
		r->path = NULL;
		return;
	}
	bool ok = write(fd, data, len) == (ssize_t)len;
	close(fd);
	r->pid = ok ? fork() : -1;
	if (r->pid == 0) {
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
		}
		if (chdir(cwd) != 0) {
			/* Then relative includes resolve from here: no worse than smbd's view. */
		}
		execlp(bin, bin, "-s", "--suppress-prompt", r->path, (char *)NULL);
		_exit(127);
	}
}

/* 1: testparm loaded the bytes; 0: it refused them; -1: it could not be run (or timed out). */
static int testparm_finish(struct testparm_run *r)
{
	int rc = -1, status = -1, waited = 0;
	struct timespec ts = { 0, 5 * 1000 * 1000 };

	if (r->pid > 0) {
		pid_t w;
		while ((w = waitpid(r->pid, &status, WNOHANG)) == 0) {
			if ((waited += 5) > TESTPARM_TIMEOUT_MS) {
				kill(r->pid, SIGKILL);
				waitpid(r->pid, &status, 0);
				w = -1;
				break;
			}
			nanosleep(&ts, NULL);
		}
		if (w > 0 && WIFEXITED(status) && WEXITSTATUS(status) != 127)
			rc = WEXITSTATUS(status) == 0;
	}
	if (r->path != NULL)
		unlink(r->path);
	free(r->path);
	return rc;
}

/* testparm must load the fixed top file if it loaded the original (both run at once). */
static void check_testparm(struct fixer *fx)
{
	const char *bin = getenv("SMBLINT_TESTPARM");
	const struct fix_text *top = &fx->texts[0];
	struct testparm_run before, after;

	if (bin == NULL)
		bin = "testparm";
	if (*bin == '\0' || strcmp(bin, "none") == 0 || !text_changed(top))
		return;
	const char *cwd = fx->o->copts && fx->o->copts->include_root ? fx->o->copts->include_root : "/";
	testparm_start(&before, bin, top->orig, top->orig_len, cwd);
	testparm_start(&after, bin, top->data, top->len, cwd);
	int b = testparm_finish(&before), a = testparm_finish(&after);
	if (b == 1 && a == 0)
		problem(fx, "testparm loads %s but not its fixed version", top->display);
}

/* ---- output ------------------------------------------------------------ */

static int write_stream(struct fixer *fx, FILE *out, const void *p, size_t n, const char *what)
{
	if ((n > 0 && fwrite(p, 1, n, out) != n) || fflush(out) != 0) {
		fprintf(fx->err, "smblint: cannot write %s: %s\n", what, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_diff(struct fixer *fx, FILE *out, bool *any)
{
	struct sbuf d = {0};
	for (size_t i = 0; i < fx->ntexts; i++)
		if (text_changed(&fx->texts[i]))
			fix_diff(&d, strcmp(fx->texts[i].path, "-") == 0 ? "stdin" : fx->texts[i].path,
			    &fx->texts[i], DIFF_CONTEXT);
	*any = d.len > 0;
	int rc = 0;
	const char *dest = fx->o->output;
	if (dest != NULL && strcmp(dest, "-") != 0) {
		struct safewrite_opts so = { .create = true };
		char *err;
		if (safewrite(dest, sbuf_str(&d), d.len, &so, NULL, &err) != 0) {
			fprintf(fx->err, "smblint: %s\n", err);
			free(err);
			rc = -1;
		}
	} else {
		rc = write_stream(fx, out, sbuf_str(&d), d.len, "the diff");
	}
	sbuf_free(&d);
	return rc;
}

static void report_written(struct fixer *fx, const struct fix_text *t, const struct safewrite_result *r)
{
	if (r->warning)
		fprintf(fx->err, "smblint: warning: %s\n", r->warning);
	if (fx->o->quiet)
		return;
	fprintf(fx->err, "smblint: fixed %s (%u fix%s", r->written, t->applied, t->applied == 1 ? "" : "es");
	if (r->backup)
		fprintf(fx->err, "; backup in %s", r->backup);
	fputs(")\n", fx->err);
}

/* --fix in place: every changed file, after checking none changed on disk meanwhile. */
static int write_in_place(struct fixer *fx)
{
	char **reals = xcalloc(fx->ntexts + 1, sizeof *reals);
	int rc = 0;

	for (size_t i = 0; i < fx->ntexts && rc == 0; i++) {
		const struct fix_text *t = &fx->texts[i];
		unsigned char *cur;
		size_t curlen;
		char *err;
		if (!text_changed(t))
			continue;
		if (read_file(t->path, t->orig_len + 1, &cur, &curlen, &err) != 0) {
			fprintf(fx->err, "smblint: %s; nothing written\n", err);
			free(err);
			rc = -1;
			break;
		}
		if (curlen != t->orig_len || memcmp(cur, t->orig, curlen) != 0) {
			fprintf(fx->err, "smblint: %s changed since it was read; nothing written (run smblint again)\n",
			    t->display);
			rc = -1;
		}
		free(cur);
		reals[i] = realpath(t->path, NULL);
		for (size_t k = 0; rc == 0 && reals[i] != NULL && k < i; k++)
			if (reals[k] != NULL && strcmp(reals[k], reals[i]) == 0) {
				fprintf(fx->err, "smblint: %s and %s are the same file; nothing written\n",
				    fx->texts[k].display, t->display);
				rc = -1;
			}
	}
	for (size_t i = 0; i < fx->ntexts && rc == 0; i++) {
		const struct fix_text *t = &fx->texts[i];
		struct safewrite_opts so = { t->orig, t->orig_len, !fx->o->no_backup, false };
		struct safewrite_result r;
		char *err;
		if (!text_changed(t))
			continue;
		if (safewrite(t->path, t->data, t->len, &so, &r, &err) != 0) {
			fprintf(fx->err, "smblint: %s\n", err);
			for (size_t k = 0; k < i; k++)
				if (text_changed(&fx->texts[k]))
					fprintf(fx->err, "smblint: note: %s was already written\n", fx->texts[k].display);
			free(err);
			rc = -1;
			break;
		}
		report_written(fx, t, &r);
		safewrite_result_free(&r);
	}
	for (size_t i = 0; i < fx->ntexts; i++)
		free(reals[i]);
	free(reals);
	return rc;
}

/* Whether two paths name the same existing file. */
static bool same_file(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = ra && rb && strcmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
}

/* --fix with -o (or a config from stdin): the top file's result goes elsewhere. */
static int write_elsewhere(struct fixer *fx, FILE *out)
{
	const struct fix_text *t = &fx->texts[0];
	const char *dest = fx->o->output;

	if (dest == NULL || strcmp(dest, "-") == 0)
		return write_stream(fx, out, t->data, t->len, "the fixed file");
	if (strcmp(t->path, "-") != 0 && same_file(dest, t->path))
		return write_in_place(fx);
	struct stat st;
	if (stat(dest, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		/* /dev/null, a FIFO, a terminal: nothing to replace atomically, just write. */
		FILE *f = fopen(dest, "w");
		if (f == NULL) {
			fprintf(fx->err, "smblint: cannot open %s: %s\n", dest, strerror(errno));
			return -1;
		}
		int rc = write_stream(fx, f, t->data, t->len, dest);
		return fclose(f) != 0 || rc != 0 ? -1 : 0;
	}
	struct safewrite_opts so = { .create = true };
	struct safewrite_result r;
	char *err;
	if (safewrite(dest, t->data, t->len, &so, &r, &err) != 0) {
		fprintf(fx->err, "smblint: %s\n", err);
		free(err);
		return -1;
	}
	if (!fx->o->quiet)
		fprintf(fx->err, "smblint: wrote %s (%u fix%s)\n", r.written, t->applied, t->applied == 1 ? "" : "es");
	safewrite_result_free(&r);
	return 0;
}

static void summary(struct fixer *fx, unsigned applied)
{
	unsigned left = 0;
	for (int v = FV_UNSAFE; v <= FV_INVALID; v++)
		left += fx->left[v];
	if (fx->o->quiet)
		return;
	fprintf(fx->err, "smblint: %u fix%s %s", applied, applied == 1 ? "" : "es",
	    fx->o->mode == FIXMODE_DIFF ? "would be applied" : "applied");
	if (left > 0) {
		const char *sep = ": ";
		fprintf(fx->err, ", %u left out", left);
		for (int v = FV_UNSAFE; v <= FV_INVALID; v++) {
			if (fx->left[v] == 0)
				continue;
			if (fx->left[v] == left)
				fprintf(fx->err, "%s%s", sep, fix_verdict_reason(v));
			else
				fprintf(fx->err, "%s%u %s", sep, fx->left[v], fix_verdict_reason(v));
			sep = ", ";
		}
	}
	fputc('\n', fx->err);
}

static void fixer_free(struct fixer *fx)
{
	for (size_t i = 0; i < fx->ntexts; i++)
		fix_text_free(&fx->texts[i]);
	free(fx->texts);
	nameset_free(&fx->allowed);
	nameset_free(&fx->sections);
}

static unsigned remaining(const struct lint *l, enum severity fail_on)
{
	unsigned n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (!l->findings[i].suppressed && l->findings[i].severity >= fail_on)
			n++;
	return n;
}

int fix_apply(struct config *cfg, struct lint *l, const struct fix_opts *o, struct fix_result *res)
{
	struct fixer fx = { .o = o, .err = o->err ? o->err : stderr, .cfg0 = cfg, .cfg = cfg, .lint = l };
	FILE *out = o->out ? o->out : stdout;
	int status = 0;
	bool changed = false;

	if (res != NULL)
		memset(res, 0, sizeof *res);
	for (size_t i = 0; i < cfg->nfiles; i++)
		text_of(&fx, cfg->files[i]);
	bool to_top_only = o->mode == FIXMODE_FIX && (o->output != NULL || strcmp(cfg->files[0]->path, "-") == 0);
	if (to_top_only)
		fx.only_path = cfg->files[0]->path;

	if (run_rounds(&fx))
		for (size_t i = 0; i < fx.ntexts; i++)
			changed |= text_changed(&fx.texts[i]);
	if (fx.nproblems == 0 && changed) {
		check_effective(&fx);
		if (fx.nproblems == 0)
			check_testparm(&fx);
	}
	unsigned applied = 0;
	for (size_t i = 0; i < fx.ntexts; i++)
		applied += fx.texts[i].applied;
	if (fx.nproblems > 0) {
		fprintf(fx.err, "smblint: nothing written\n");
		status = 2;
	} else if (o->mode == FIXMODE_DIFF) {
		bool any;
		status = write_diff(&fx, out, &any) != 0 ? 2 : any || remaining(fx.lint, o->fail_on) ? 1 : 0;
	} else if (to_top_only) {
		status = write_elsewhere(&fx, out) != 0 ? 2 : remaining(fx.lint, o->fail_on) ? 1 : 0;
	} else {
		status = write_in_place(&fx) != 0 ? 2 : remaining(fx.lint, o->fail_on) ? 1 : 0;
	}
	if (status != 2)
		summary(&fx, applied);
	if (fx.nproblems > 0)
		set_current(&fx, cfg, l);  /* the caller gets its own configuration back */
	if (res != NULL) {
		res->cfg = fx.cfg;
		res->lint = fx.lint;
		res->owned = fx.cfg != cfg;
		res->applied = applied;
		for (int v = FV_UNSAFE; v <= FV_INVALID; v++)
			res->left_out += fx.left[v];
		res->changed = changed;
	} else {
		set_current(&fx, cfg, l);
	}
	fixer_free(&fx);
	return status;
}

void fix_result_free(struct fix_result *res)
{
	if (res == NULL)
		return;
	if (res->owned) {
		lint_free(res->lint);
		free(res->lint);
		config_free(res->cfg);
	}
	memset(res, 0, sizeof *res);
}
