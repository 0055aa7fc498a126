/* lint.c - the engine: the rule table, findings, suppression comments and the meta rules. */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint.h"
#include "rules.h"
#include "rutil.h"
#include "util.h"

/* ---- the rule table ---------------------------------------------------- */

/* Room for every rule (test_lint checks none is left out); small, as it sits in .bss with hot data. */
#define RULE_TABLE_MAX 256

const struct rule *rule_table[RULE_TABLE_MAX + 1];
size_t rule_count;

static void table_add(const struct rule *const *list, size_t n)
{
	for (size_t i = 0; i < n && rule_count < RULE_TABLE_MAX; i++)
		if (list[i] != NULL)
			rule_table[rule_count++] = list[i];
}

/* Runs before main(): the families' lists are static data, already in place. */
__attribute__((constructor)) static void table_init(void)
{
	table_add(rules_load, rules_load_count);
	table_add(rules_compat, rules_compat_count);
	table_add(rules_security, rules_security_count);
	table_add(rules_live, rules_live_count);
	table_add(rules_meta, rules_meta_count);
}

const struct rule *rule_find(const char *s)
{
	for (size_t i = 0; i < rule_count; i++)
		if (strcasecmp(rule_table[i]->code, s) == 0 || strcasecmp(rule_table[i]->name, s) == 0)
			return rule_table[i];
	return NULL;
}

size_t rule_index(const struct rule *r)
{
	/* Rules run in table order: the one after the last answer is the likely one. */
	static _Thread_local size_t hint;
	size_t h = hint;
	if (h < rule_count && rule_table[h] == r)
		return h;
	if (h + 1 < rule_count && rule_table[h + 1] == r)
		return hint = h + 1;
	for (size_t i = 0; i < rule_count; i++)
		if (rule_table[i] == r)
			return hint = i;
	return rule_count;
}

int rule_select(const char *list, bool *flags, bool value, char **err)
{
	const char *p = list;
	*err = NULL;
	while (*p) {
		while (*p == ',' || is_blank((unsigned char)*p))
			p++;
		size_t n = strcspn(p, ", \t\r\n\v\f");
		if (n == 0)
			break;
		char *word = xstrndup(p, n);
		const struct rule *r = rule_find(word);
		if (strcasecmp(word, "all") == 0) {
			for (size_t i = 0; i < rule_count; i++)
				flags[i] = value;
		} else if (r != NULL) {
			flags[rule_index(r)] = value;
		} else {
			*err = xasprintf("unknown rule '%s' (see smblint --list-rules)", word);
			free(word);
			return -1;
		}
		free(word);
		p += n;
	}
	return 0;
}

static const char *const severity_names[] = {"info", "warning", "error", "none"};

int severity_parse(const char *s, bool allow_none)
{
	for (int i = 0; i <= SEV_NONE; i++)
		if (strcasecmp(s, severity_names[i]) == 0)
			return i == SEV_NONE && !allow_none ? -1 : i;
	return -1;
}

const char *severity_name(enum severity s)
{
	return (unsigned)s <= SEV_NONE ? severity_names[s] : "?";
}

/* ---- the arena of the findings' strings ---------------------------------- */

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	max_align_t data[];
};

struct lint_arena {
	struct arena_chunk *chunks;
	char *pos, *end;
	size_t last;   /* size of the current chunk: the next one is twice as large */
};

#define ARENA_CHUNK 65536   /* requests above a quarter of it get a block of their own */
#define ARENA_FIRST 2048    /* the first chunk (a few findings fit), then doubling */

static void *arena_alloc(struct lint_arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if ((size_t)(a->end - a->pos) < n) {
		size_t size = n > ARENA_CHUNK / 4 ? n : arena_next_size(a->last, ARENA_FIRST, n);
		struct arena_chunk *c = bulk_alloc(sizeof *c + size);
		c->next = a->chunks;
		c->size = size;
		a->chunks = c;
		if (n > ARENA_CHUNK / 4) {
			/* A large block of its own: the current chunk stays in use. */
			if (c->next != NULL) {
				a->chunks = c->next;
				c->next = a->chunks->next;
				a->chunks->next = c;
			}
			return c->data;
		}
		a->pos = (char *)c->data;
		a->end = a->pos + size;
		a->last = size;
	}
	void *p = a->pos;
	a->pos += n;
	return p;
}

static void arena_free(struct lint_arena *a)
{
	if (a == NULL)
		return;
	for (struct arena_chunk *c = a->chunks, *next; c != NULL; c = next) {
		next = c->next;
		bulk_free(c);
	}
	free(a);
}

/* A copy of n bytes plus a NUL: in the arena when there is one, else malloc'ed. */
static char *store(struct lint_arena *a, const char *s, size_t n)
{
	char *d = a != NULL ? arena_alloc(a, n + 1) : xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ---- formatting ------------------------------------------------------------ */

/* Text being built: on the stack until it outgrows it. */
struct fbuf {
	char *p;
	size_t len, cap;
	char local[1024];
};

static void fb_init(struct fbuf *b)
{
	b->p = b->local;
	b->len = 0;
	b->cap = sizeof b->local;
}

static void fb_grow(struct fbuf *b, size_t need)
{
	size_t cap = b->cap * 2;
	while (cap < b->len + need + 1)
		cap *= 2;
	if (b->p == b->local) {
		b->p = xmalloc(cap);
		memcpy(b->p, b->local, b->len);
	} else {
		b->p = xrealloc(b->p, cap);
	}
	b->cap = cap;
}

static inline void fb_add(struct fbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		fb_grow(b, n);
	char *d = b->p + b->len;
	if (n <= 8) {   /* words like "s", "it", "them": no call */
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		memcpy(d, s, n);
	}
	b->len += n;
}

static void fb_done(struct fbuf *b)
{
	if (b->p != b->local)
		free(b->p);
}

static void fb_unsigned(struct fbuf *b, unsigned long long v, bool neg)
{
	char d[24];
	size_t i = sizeof d;
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (neg)
		d[--i] = '-';
	fb_add(b, d + i, sizeof d - i);
}

static void fb_signed(struct fbuf *b, long long v)
{
	if (v < 0)
		fb_unsigned(b, 0ull - (unsigned long long)v, true);
	else
		fb_unsigned(b, (unsigned long long)v, false);
}

/*
 * printf for the conversions messages use (%s %u %d %c %zu %ld %lu %.*s %%),
 * byte for byte what vsnprintf writes.  Returns false, with b in an unknown
 * state, at anything else (flags, widths): the caller then asks vsnprintf.
 */
static bool fmt_quick(struct fbuf *b, const char *fmt, va_list ap)
{
	const char *p = fmt;
	for (;;) {
		const char *q = strchrnul(p, '%');
		if (q > p)
			fb_add(b, p, (size_t)(q - p));
		if (*q == '\0')
			return true;
		q++;
		switch (*q) {
		case '%':
			fb_add(b, "%", 1);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			fb_add(b, s, strlen(s));
			break;
		}
		case 'u':
			fb_unsigned(b, va_arg(ap, unsigned), false);
			break;
		case 'd':
			fb_signed(b, va_arg(ap, int));
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			fb_add(b, &c, 1);
			break;
		}
		case 'z':
			if (q[1] != 'u')
				return false;
			q++;
			fb_unsigned(b, va_arg(ap, size_t), false);
			break;
		case 'l':
			if (q[1] == 'd')
				fb_signed(b, va_arg(ap, long));
			else if (q[1] == 'u')
				fb_unsigned(b, va_arg(ap, unsigned long), false);
			else
				return false;
			q++;
			break;
		case '.':
			if (q[1] != '*' || q[2] != 's')
				return false;
			q += 2;
			{
				int prec = va_arg(ap, int);
				const char *s = va_arg(ap, const char *);
				if (s == NULL)
					return false;
				fb_add(b, s, prec < 0 ? strlen(s) : strnlen(s, (size_t)prec));
			}
			break;
		default:
			return false;
		}
		p = q + 1;
	}
}

/* Appends fmt formatted with ap to b. */
static void fb_vformat(struct fbuf *b, const char *fmt, va_list ap)
{
	size_t mark = b->len;
	va_list aq;
	va_copy(aq, ap);
	bool ok = fmt_quick(b, fmt, aq);
	va_end(aq);
	if (ok)
		return;
	b->len = mark;
	va_copy(aq, ap);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if ((size_t)n + 1 > b->cap - b->len) {
		fb_grow(b, (size_t)n);
		va_copy(aq, ap);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, aq);
		va_end(aq);
	}
	b->len += (size_t)n;
}

/* ---- reporting --------------------------------------------------------- */

/*
 * What lint_run keeps while it runs: the rules being run, the index of the
 * current one in rule_table (so severity overrides need no search), and the
 * suppression directives found in the files.
 */
struct item {
	const struct rule *rule;       /* NULL: names no rule */
	size_t off, len;               /* where it is written */
	bool used;
};

struct directive {
	struct srcfile *file;
	const struct node *comment;
	bool file_wide;
	bool malformed;                /* not disable= / disable-file= */
	size_t from, to;               /* bytes covered: [from, to) */
	struct item *items;
	size_t nitems;
};

struct engine {
	const struct rule *const *rules;
	size_t nrules;
	size_t cur_index;              /* rule_table index of l->current, or rule_count */
	struct directive *dirs;
	size_t ndirs, capdirs;
	size_t *slices;                /* file i's directives: dirs[slices[i] .. slices[i+1]) */
};

static struct finding *new_finding(struct lint *l)
{
	if (l->n == l->cap) {
		/* A first guess from the size of the file saves copying a long list as it grows. */
		size_t first = 32 + (l->cfg != NULL ? l->cfg->nassigns / 8 : 0);
		size_t old = l->cap;
		l->cap = l->cap ? l->cap * 2 : first;
		l->findings = bulk_realloc(l->findings, old * sizeof *l->findings, l->cap * sizeof *l->findings);
	}
	if (l->arena == NULL)
		l->arena = xcalloc(1, sizeof *l->arena);
	struct finding *f = &l->findings[l->n++];
	memset(f, 0, sizeof *f);
	f->arena = l->arena;
	return f;
}

static char *lower_dup(struct lint_arena *a, const char *s)
{
	size_t n = strlen(s);
	char *d = store(a, s, n);
	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if ((unsigned char)*p >= 0x80)
			*p = (char)tolower((unsigned char)*p);
	return d;
}

static enum severity effective_severity(const struct lint *l, const struct rule *r)
{
	const struct engine *e = l->engine;
	size_t i = e != NULL && e->cur_index < rule_count && rule_table[e->cur_index] == r ?
	    e->cur_index : rule_index(r);
	if (l->opts != NULL && l->opts->severity != NULL && i < rule_count && l->opts->severity[i] >= 0)
		return (enum severity)l->opts->severity[i];
	return r->severity;
}

/* src_pos, counted from a node that holds off when there is one. */
static void position(struct srcfile *file, size_t off, const struct node *at, unsigned *line, unsigned *col)
{
	if (at != NULL && at->start <= off && off < at->end && at->end <= file->len) {
		const unsigned char *d = file->data;
		size_t ls = at->start;
		unsigned ln = at->line;
		for (size_t i = at->start; i < off; i++)
			if (d[i] == '\n') {
				ln++;
				ls = i + 1;
			}
		*line = ln;
		*col = (unsigned)(off - ls) + 1;
		return;
	}
	src_pos(file, off, line, col);
}

struct finding *lint_vreport(struct lint *l, struct srcfile *file, size_t off, const struct node *at,
    const struct section *sec, const char *parameter, const char *spelled, const char *fmt, va_list ap)
{
	struct finding *f = new_finding(l);
	struct lint_arena *a = f->arena;

	f->rule = l->current;
	f->severity = l->current != NULL ? effective_severity(l, l->current) : SEV_WARNING;
	if (file == NULL && l->cfg != NULL && l->cfg->nfiles > 0)
		file = l->cfg->files[0];
	else if (file != NULL) {
		if (off > file->len)
			off = file->len;
		position(file, off, at, &f->line, &f->col);
	}
	f->file = file;
	f->off = off;
	if (sec != NULL)
		f->section = sec->global ? store(a, "global", 6) : lower_dup(a, sec->name);
	f->parameter = parameter != NULL ? store(a, parameter, strlen(parameter)) : NULL;
	f->spelled = spelled != NULL ? store(a, spelled, strlen(spelled)) : NULL;
	struct fbuf b;
	fb_init(&b);
	fb_vformat(&b, fmt, ap);
	f->message = store(a, b.p, b.len);
	fb_done(&b);
	return f;
}

struct finding *lint_report(struct lint *l, struct srcfile *file, size_t off,
    const struct section *sec, const char *parameter, const char *spelled,
    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct finding *f = lint_vreport(l, file, off, NULL, sec, parameter, spelled, fmt, ap);
	va_end(ap);
	return f;
}

struct finding *lint_report_assign(struct lint *l, const struct assign *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct finding *f = lint_vreport(l, a->file, a->node->key_off, a->node, a->section, a->name,
	    a->node->key, fmt, ap);
	va_end(ap);
	return f;
}

void finding_vnote(struct finding *f, const char *sep, const char *fmt, va_list ap)
{
	struct fbuf b;
	fb_init(&b);
	if (sep != NULL && f->note != NULL && f->note[0] != '\0') {
		fb_add(&b, f->note, strlen(f->note));
		fb_add(&b, sep, strlen(sep));
	}
	fb_vformat(&b, fmt, ap);
	char *note = store(f->arena, b.p, b.len);
	fb_done(&b);
	if (f->arena == NULL)
		free(f->note);
	f->note = note;
}

void finding_note(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	finding_vnote(f, NULL, fmt, ap);
	va_end(ap);
}

void finding_edit(struct finding *f, struct srcfile *file, size_t start, size_t end, const char *text)
{
	if (text == NULL)
		text = "";
	if (f->arena != NULL) {
		struct edit *e = arena_alloc(f->arena, (f->nedits + 1) * sizeof *e);
		if (f->nedits > 0)
			memcpy(e, f->edits, f->nedits * sizeof *e);
		f->edits = e;
	} else {
		f->edits = xrealloc(f->edits, (f->nedits + 1) * sizeof *f->edits);
	}
	f->edits[f->nedits].file = file;
	f->edits[f->nedits].start = start;
	f->edits[f->nedits].end = end < start ? start : end;
	f->edits[f->nedits].text = store(f->arena, text, strlen(text));
	f->nedits++;
}

/* ---- suppression comments ---------------------------------------------- */

/*
 * A comment line
 *	# smblint: disable=SL2001,guest-share  optional reason
 *	; smblint: disable-file=SL1003
 * disable= covers the next line that is neither blank nor a comment;
 * disable-file= covers the whole file.  Items are codes or names separated
 * by commas; the first blank not followed by a comma ends the list.
 */
static const struct rule *directive_rule(const struct engine *e, const char *name)
{
	for (size_t i = 0; i < e->nrules; i++)
		if (strcasecmp(e->rules[i]->code, name) == 0 || strcasecmp(e->rules[i]->name, name) == 0)
			return e->rules[i];
	return rule_find(name);
}

static bool is_item_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.';
}

/* Parses the items after "disable=" starting at p; returns them, count in *n. */
static struct item *parse_items(const struct engine *e, const unsigned char *d, size_t p, size_t end, size_t *n)
{
	struct item *items = NULL;
	*n = 0;
	for (;;) {
		while (p < end && (d[p] == ' ' || d[p] == '\t'))
			p++;
		size_t s = p;
		while (p < end && is_item_char(d[p]))
			p++;
		if (p == s)
			break;
		char *name = xstrndup((const char *)d + s, p - s);
		items = xrealloc(items, (*n + 1) * sizeof *items);
		items[*n] = (struct item){directive_rule(e, name), s, p - s, false};
		(*n)++;
		free(name);
		size_t q = p;
		while (q < end && (d[q] == ' ' || d[q] == '\t'))
			q++;
		if (q >= end || d[q] != ',')
			break;
		p = q + 1;
	}
	return items;
}

static bool word_at(const unsigned char *d, size_t p, size_t end, const char *w)
{
	size_t n = strlen(w);
	return end - p >= n && strncasecmp((const char *)d + p, w, n) == 0;
}

/* Parses one comment node; returns false when it is no smblint directive. */
static bool parse_directive(const struct engine *e, struct srcfile *f, const struct node *c, struct directive *out)
{
	const unsigned char *d = f->data;
	size_t p = c->content + 1, end = c->end;

	while (end > p && (d[end - 1] == '\n' || d[end - 1] == '\r'))
		end--;
	while (p < end && (d[p] == ' ' || d[p] == '\t'))
		p++;
	if (!word_at(d, p, end, "smblint:"))
		return false;
	p += strlen("smblint:");
	while (p < end && (d[p] == ' ' || d[p] == '\t'))
		p++;
	memset(out, 0, sizeof *out);
	out->file = f;
	out->comment = c;
	if (word_at(d, p, end, "disable-file")) {
		out->file_wide = true;
		p += strlen("disable-file");
	} else if (word_at(d, p, end, "disable") && (p + 7 == end || !is_item_char(d[p + 7]))) {
		p += strlen("disable");
	} else {
		out->malformed = true;
		return true;
	}
	while (p < end && (d[p] == ' ' || d[p] == '\t'))
		p++;
	if (p < end && d[p] == '=')
		p++;
	out->items = parse_items(e, d, p, end, &out->nitems);
	if (out->nitems == 0)
		out->malformed = true;
	return true;
}

static void add_directive(struct engine *e, const struct directive *dir)
{
	if (e->ndirs == e->capdirs) {
		e->capdirs = e->capdirs ? e->capdirs * 2 : 16;
		e->dirs = xrealloc(e->dirs, e->capdirs * sizeof *e->dirs);
	}
	e->dirs[e->ndirs++] = *dir;
}

/*
 * Collects the directives of one file.  The ones covering a line are added
 * in file order, so each file's run of e->dirs is sorted by `from`.
 */
static int cmp_dirs(const void *pa, const void *pb)
{
	const struct directive *a = pa, *b = pb;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return a->comment->start < b->comment->start ? -1 : a->comment->start > b->comment->start;
}

/*
 * What parse_directive wants first, cheaply: after the comment mark and
 * blanks, "smblint" in any case.  Most comments fail here.
 */
static bool may_be_directive(const struct srcfile *f, const struct node *n)
{
	const unsigned char *d = f->data;
	size_t p = n->content + 1;
	while (p < n->end && (d[p] == ' ' || d[p] == '\t'))
		p++;
	return n->end - p >= 7 && (d[p] == 's' || d[p] == 'S') && strncasecmp((const char *)d + p, "smblint", 7) == 0;
}

static void scan_file(struct lint *l, struct engine *e, size_t fi, struct srcfile *f)
{
	const struct tree *t = f->tree;
	size_t first = e->ndirs;

	if (t == NULL)
		return;
	size_t nc;
	const uint32_t *cs = ru_nodes(l, fi, NODE_COMMENT, &nc);
	for (size_t x = 0; x < nc; x++) {
		const struct node *n = &t->nodes[cs[x]];
		struct directive dir;
		if (!may_be_directive(f, n) ||
		    memmem(f->data + n->content, n->end - n->content, "smblint", 7) == NULL ||
		    !parse_directive(e, f, n, &dir))
			continue;
		if (dir.file_wide) {
			dir.to = f->len + 1;
		} else if (!dir.malformed) {
			/* It covers the next line that is neither blank nor a comment. */
			for (size_t j = cs[x] + 1; j < t->n; j++) {
				const struct node *m = &t->nodes[j];
				if (m->kind != NODE_BLANK && m->kind != NODE_COMMENT) {
					dir.from = m->start;
					dir.to = m->end;
					break;
				}
			}
		}
		add_directive(e, &dir);
	}
	/* File-wide ones (from 0) may sit between line ones: order by start for the search. */
	if (e->ndirs - first > 1)
		qsort(e->dirs + first, e->ndirs - first, sizeof *e->dirs, cmp_dirs);
}

static bool directive_names(struct directive *d, const struct rule *r, bool mark)
{
	for (size_t i = 0; i < d->nitems; i++)
		if (d->items[i].rule == r) {
			if (mark)
				d->items[i].used = true;
			return true;
		}
	return false;
}

/* Per file: the slice of e->dirs that belongs to it (files were scanned in order). */
static void file_slice(const struct lint *l, const struct engine *e, const struct srcfile *f, size_t *lo, size_t *hi)
{
	*lo = *hi = 0;
	for (size_t i = 0; l->cfg != NULL && i < l->cfg->nfiles; i++)
		if (l->cfg->files[i] == f) {
			*lo = e->slices[i];
			*hi = e->slices[i + 1];
			return;
		}
}

/*
 * Marks the findings from index `first` on that a directive covers.  Each
 * file's directives are sorted by start, so a binary search finds the line
 * directives; file-wide ones are few and checked one by one.
 */
static void apply_suppressions(struct lint *l, struct engine *e, size_t first)
{
	const struct srcfile *cached = NULL;
	size_t lo = 0, hi = 0;

	if (e->ndirs == 0)
		return;
	for (size_t k = first; k < l->n; k++) {
		struct finding *f = &l->findings[k];
		if (f->file == NULL || f->rule == NULL)
			continue;
		if (f->file != cached) {
			file_slice(l, e, f->file, &lo, &hi);
			cached = f->file;
		}
		size_t a = lo, b = hi;        /* last directive with from <= off */
		while (a < b) {
			size_t m = a + (b - a) / 2;
			if (e->dirs[m].from <= f->off)
				a = m + 1;
			else
				b = m;
		}
		for (size_t j = a; j-- > lo;) {
			struct directive *d = &e->dirs[j];
			if (d->file_wide || d->malformed)
				continue;
			if (f->off >= d->to)
				break;
			if (directive_names(d, f->rule, true))
				f->suppressed = true;
		}
		for (size_t j = lo; j < hi; j++)
			if (e->dirs[j].file_wide && directive_names(&e->dirs[j], f->rule, true))
				f->suppressed = true;
	}
}

/* ---- running ----------------------------------------------------------- */

static bool is_meta(const struct rule *r)
{
	for (size_t i = 0; i < rules_meta_count; i++)
		if (rules_meta[i] == r)
			return true;
	return false;
}

static bool rule_disabled(const struct lint *l, const struct rule *r)
{
	size_t i;
	if (l->opts == NULL || l->opts->disabled == NULL)
		return false;
	i = rule_index(r);
	return i < rule_count && l->opts->disabled[i];
}

static void run_one(struct lint *l, struct engine *e, const struct rule *r)
{
	if (r == NULL || r->check == NULL || rule_disabled(l, r))
		return;
	l->current = r;
	e->cur_index = rule_index(r);
	r->check(l);
	l->current = NULL;
}

struct sort_key {
	size_t file, index;
};

/* The order when a finding has no rule (made outside a run): kept as it always was. */
static int cmp_findings(const void *pa, const void *pb, void *ctx)
{
	const struct sort_key *a = pa, *b = pb;
	const struct finding *fs = ctx, *x = &fs[a->index], *y = &fs[b->index];
	int c;

	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if (x->rule != y->rule && x->rule != NULL && y->rule != NULL &&
	    (c = strcmp(x->rule->code, y->rule->code)) != 0)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/*
 * The same order as integers: file index and line, column, the code's
 * first 8 bytes big-endian (which order like strcmp), then the position.
 */
struct fkey {
	uint64_t fl;
	uint64_t code;
	uint32_t col;
	uint32_t index;
};

static uint64_t code_key(const char *code, bool *longer)
{
	uint64_t k = 0;
	size_t i = 0;
	for (; i < 8 && code[i] != '\0'; i++)
		k |= (uint64_t)(unsigned char)code[i] << (56 - 8 * i);
	*longer = i == 8;
	return k;
}

static inline bool fkey_less(const struct fkey *a, const struct fkey *b, const struct finding *fs, bool longer)
{
	if (a->fl != b->fl)
		return a->fl < b->fl;
	if (a->col != b->col)
		return a->col < b->col;
	if (a->code != b->code)
		return a->code < b->code;
	if (longer) {
		const struct rule *x = fs[a->index].rule, *y = fs[b->index].rule;
		int c = x != y ? strcmp(x->code, y->code) : 0;
		if (c != 0)
			return c < 0;
	}
	return a->index < b->index;
}

/* Merges the runs already in order (rules mostly report in file order). */
static void fkey_sort(struct fkey *k, size_t n, const struct finding *fs, bool longer)
{
	size_t *runs = xmalloc((n + 1) * sizeof *runs), nruns = 0;
	struct fkey *tmp = xmalloc(n * sizeof *tmp);
	runs[nruns++] = 0;
	for (size_t i = 1; i < n; i++)
		if (fkey_less(&k[i], &k[i - 1], fs, longer))
			runs[nruns++] = i;
	runs[nruns] = n;
	while (nruns > 1) {
		size_t out = 0;
		for (size_t r = 0; r < nruns; r += 2) {
			size_t lo = runs[r];
			if (r + 1 == nruns) {
				runs[out++] = lo;
				break;
			}
			size_t mid = runs[r + 1], hi = runs[r + 2];   /* runs[nruns] == n */
			size_t i = lo, j = mid, o = 0;
			while (i < mid && j < hi)
				tmp[o++] = fkey_less(&k[j], &k[i], fs, longer) ? k[j++] : k[i++];
			while (i < mid)
				tmp[o++] = k[i++];
			memcpy(k + lo, tmp, o * sizeof *tmp);   /* k[j..hi) is in place already */
			runs[out++] = lo;
		}
		runs[out] = n;
		nruns = out;
	}
	free(runs);
	free(tmp);
}

static void sort_findings(struct lint *l)
{
	const struct srcfile *cached = NULL;
	size_t cached_idx = 0;
	bool no_rule = false, longer = false;

	if (l->n < 2)
		return;
	for (size_t i = 0; i < l->n && !no_rule; i++)
		no_rule = l->findings[i].rule == NULL;
	struct sort_key *keys = no_rule ? xmalloc(l->n * sizeof *keys) : NULL;
	struct fkey *fk = no_rule ? NULL : xmalloc(l->n * sizeof *fk);
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *fi = &l->findings[i];
		const struct srcfile *f = fi->file;
		if (f != cached) {
			cached = f;
			cached_idx = l->cfg != NULL ? l->cfg->nfiles : 0;
			for (size_t k = 0; l->cfg != NULL && k < l->cfg->nfiles; k++)
				if (l->cfg->files[k] == f) {
					cached_idx = k;
					break;
				}
		}
		if (no_rule) {
			keys[i] = (struct sort_key){cached_idx, i};
		} else {
			bool lg;
			fk[i] = (struct fkey){((uint64_t)cached_idx << 32) | fi->line,
			    code_key(fi->rule->code, &lg), fi->col, (uint32_t)i};
			longer |= lg;
		}
	}
	/* src[i]: where the finding that goes to place i is now */
	size_t *src = xmalloc(l->n * sizeof *src);
	if (no_rule) {
		qsort_r(keys, l->n, sizeof *keys, cmp_findings, l->findings);
		for (size_t i = 0; i < l->n; i++)
			src[i] = keys[i].index;
	} else {
		fkey_sort(fk, l->n, l->findings, longer);
		for (size_t i = 0; i < l->n; i++)
			src[i] = fk[i].index;
	}
	/* Moved into place along the permutation's cycles: no second array of findings. */
	for (size_t i = 0; i < l->n; i++) {
		if (src[i] == i)
			continue;
		struct finding tmp = l->findings[i];
		size_t j = i;
		for (;;) {
			size_t k = src[j];
			src[j] = j;
			if (k == i) {
				l->findings[j] = tmp;
				break;
			}
			l->findings[j] = l->findings[k];
			j = k;
		}
	}
	free(src);
	free(keys);
	free(fk);
}

static const struct lint_opts default_opts = {.clients = CL_DEFAULT};

/*
 * The rules marked own_thread (the guest rules, a third to half of the
 * rules' work on a large configuration) run on a thread of their own with
 * a lint of their own; their findings then join the list.  The order of
 * the final list is the same: findings are sorted, and two that tie come
 * from one rule, so from one thread, in the order it made them.
 */
/* below it the thread costs about what it saves (measured: nothing at 10,000 shares, 15% at 100,000) */
size_t lint_thread_min = 20000;

struct side {
	struct lint w;
	struct engine e;
	const struct rule *const *rules;
	size_t n;
};

static bool side_rule(const struct rule *r)
{
	return r != NULL && r->own_thread && !is_meta(r);
}

static void *side_main(void *arg)
{
	struct side *sd = arg;
	for (size_t i = 0; i < sd->n; i++)
		if (side_rule(sd->rules[i]))
			run_one(&sd->w, &sd->e, sd->rules[i]);
	return NULL;
}

/* Moves w's findings, and the arena chunks holding their strings, into l. */
static void side_join(struct lint *l, struct lint *w)
{
	struct lint_arena *wa = w->arena;
	w->arena = NULL;
	if (w->n > l->n) {
		/* the longer list takes the shorter: fewer bytes move (the order is sorted later) */
		struct finding *tf = l->findings;
		size_t tn = l->n, tc = l->cap;
		l->findings = w->findings;
		l->n = w->n;
		l->cap = w->cap;
		w->findings = tf;
		w->n = tn;
		w->cap = tc;
	}
	if (w->n > 0) {
		if (l->n + w->n > l->cap) {
			size_t old = l->cap;
			l->cap = l->n + w->n;
			l->findings = bulk_realloc(l->findings, old * sizeof *l->findings, l->cap * sizeof *l->findings);
		}
		memcpy(l->findings + l->n, w->findings, w->n * sizeof *w->findings);
		l->n += w->n;
	}
	if (wa != NULL && l->arena == NULL) {
		l->arena = wa;
	} else if (wa != NULL) {
		/* wa's chunks go behind l's current one, which stays current */
		struct arena_chunk *first = wa->chunks, *last = first;
		while (last != NULL && last->next != NULL)
			last = last->next;
		if (first != NULL && l->arena->chunks == NULL) {
			l->arena->chunks = first;
		} else if (first != NULL) {
			last->next = l->arena->chunks->next;
			l->arena->chunks->next = first;
		}
		for (size_t i = 0; i < l->n; i++)
			if (l->findings[i].arena == wa)
				l->findings[i].arena = l->arena;
		free(wa);
	}
	bulk_free(w->findings);
	w->findings = NULL;
	w->n = w->cap = 0;
	ru_cache_free(w);
}

void lint_run_rules(struct lint *l, const struct rule *const *rules, size_t n)
{
	struct engine e = {.rules = rules, .nrules = n};

	if (l->opts == NULL)
		l->opts = &default_opts;
	l->engine = &e;
	ru_cache_free(l);   /* look-ups of an earlier run on another configuration */
	struct side *sd = NULL;
	pthread_t th;
	if (l->cfg != NULL && l->cfg->nsections >= lint_thread_min) {
		bool any = false;
		for (size_t i = 0; i < n && !any; i++)
			any = side_rule(rules[i]) && rules[i]->check != NULL && !rule_disabled(l, rules[i]);
		if (any) {
			/* positions are looked up on both threads: every line index is built first */
			for (size_t i = 0; i < l->cfg->nfiles; i++) {
				unsigned ln, col;
				src_pos(l->cfg->files[i], 0, &ln, &col);
			}
			sd = xcalloc(1, sizeof *sd);
			sd->w.cfg = l->cfg;
			sd->w.opts = l->opts;
			sd->e = e;
			sd->w.engine = &sd->e;
			sd->rules = rules;
			sd->n = n;
			if (pthread_create(&th, NULL, side_main, sd) != 0) {
				free(sd);
				sd = NULL;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!is_meta(rules[i]) && (sd == NULL || !side_rule(rules[i])))
			run_one(l, &e, rules[i]);
	if (sd != NULL) {
		pthread_join(th, NULL);
		side_join(l, &sd->w);
		free(sd);
	}
	size_t nfiles = l->cfg != NULL ? l->cfg->nfiles : 0;
	e.slices = xcalloc(nfiles + 1, sizeof *e.slices);
	for (size_t i = 0; i < nfiles; i++) {
		e.slices[i] = e.ndirs;
		scan_file(l, &e, i, l->cfg->files[i]);
	}
	e.slices[nfiles] = e.ndirs;
	apply_suppressions(l, &e, 0);
	size_t before_meta = l->n;
	for (size_t i = 0; i < rules_meta_count; i++)
		run_one(l, &e, rules_meta[i]);
	apply_suppressions(l, &e, before_meta);
	sort_findings(l);
	/* the list is complete: room guessed for findings that never came goes to later blocks */
	if (l->n > 0 && l->n < l->cap) {
		bulk_shrink(l->findings, l->n * sizeof *l->findings);
		if (bulk_owns(l->findings))
			l->cap = l->n;
	}
	ru_cache_free(l);
	for (size_t i = 0; i < e.ndirs; i++)
		free(e.dirs[i].items);
	free(e.dirs);
	free(e.slices);
	l->engine = NULL;
}

void lint_run(struct lint *l)
{
	lint_run_rules(l, (const struct rule *const *)rule_table, rule_count);
}

void lint_free(struct lint *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct finding *f = &l->findings[i];
		if (f->arena != NULL)
			continue;   /* the arena holds its strings */
		free(f->section);
		free(f->parameter);
		free(f->spelled);
		free(f->message);
		free(f->note);
		for (size_t k = 0; k < f->nedits; k++)
			free(f->edits[k].text);
		free(f->edits);
	}
	bulk_free(l->findings);
	arena_free(l->arena);
	l->arena = NULL;
	l->findings = NULL;
	l->n = l->cap = 0;
}

/* ---- the meta rules ---------------------------------------------------- */

/* A live rule (SL4xxx): it runs only on --probe results. */
static bool is_live(const struct rule *r)
{
	for (size_t i = 0; i < rules_live_count; i++)
		if (rules_live[i] == r)
			return true;
	return false;
}

static bool rule_ran(const struct lint *l, const struct engine *e, const struct rule *r)
{
	if (rule_disabled(l, r))
		return false;
	if (is_live(r) && (l->opts == NULL || l->opts->probe == NULL))
		return false;     /* no probe: a suppression of it is not stale */
	if (is_meta(r))
		return true;
	for (size_t i = 0; i < e->nrules; i++)
		if (e->rules[i] == r)
			return true;
	return false;
}

/* An item SL9001 reports: it names a rule that ran here and suppressed nothing. */
static bool item_unused(const struct lint *l, const struct engine *e, const struct item *it)
{
	return it->rule != NULL && !it->used && !is_meta(it->rule) && rule_ran(l, e, it->rule);
}

/* The edit that removes the unused items of d (the whole line when nothing else is left). */
static void unused_edit(struct lint *l, struct finding *f, const struct directive *d)
{
	const struct engine *e = l->engine;
	const unsigned char *data = d->file->data;
	struct sbuf b = {0};

	for (size_t i = 0; i < d->nitems; i++) {
		const struct item *it = &d->items[i];
		if (item_unused(l, e, it))
			continue;
		if (b.len > 0)
			sbuf_addc(&b, ',');
		sbuf_add(&b, data + it->off, it->len);
	}
	if (b.len == 0) {
		finding_edit(f, d->file, d->comment->start, d->comment->end, "");
	} else {
		const struct item *last = &d->items[d->nitems - 1];
		finding_edit(f, d->file, d->items[0].off, last->off + last->len, sbuf_str(&b));
	}
	sbuf_free(&b);
}

static void check_unused(struct lint *l)
{
	const struct engine *e = l->engine;

	for (size_t i = 0; e != NULL && i < e->ndirs; i++) {
		const struct directive *d = &e->dirs[i];
		struct sbuf names = {0};
		size_t nunused = 0, first = 0;

		for (size_t k = 0; k < d->nitems; k++) {
			const struct item *it = &d->items[k];
			if (!item_unused(l, e, it))
				continue;
			if (nunused++ == 0)
				first = k;
			else
				sbuf_adds(&names, ", ");
			sbuf_addf(&names, "%s (%s)", it->rule->code, it->rule->name);
		}
		if (nunused > 0) {
			struct finding *f = lint_report(l, d->file, d->items[first].off, NULL, NULL, NULL,
			    "unused suppression: %s reported nothing %s", sbuf_str(&names),
			    d->file_wide ? "in this file" : "on the line it covers");
			finding_note(f, "remove %s from the comment", nunused == 1 ? "it" : "them");
			unused_edit(l, f, d);
		}
		sbuf_free(&names);
	}
}

static void check_unknown_suppression(struct lint *l)
{
	const struct engine *e = l->engine;

	for (size_t i = 0; e != NULL && i < e->ndirs; i++) {
		const struct directive *d = &e->dirs[i];
		if (d->malformed) {
			struct finding *f = lint_report(l, d->file, d->comment->content, NULL, NULL, NULL,
			    "malformed smblint comment: it suppresses nothing");
			finding_note(f, "write '# smblint: disable=CODE,...' (next line) or "
			    "'# smblint: disable-file=CODE,...' (whole file)");
			continue;
		}
		for (size_t k = 0; k < d->nitems; k++) {
			const struct item *it = &d->items[k];
			if (it->rule != NULL)
				continue;
			struct finding *f = lint_report(l, d->file, it->off, NULL, NULL, NULL,
			    "suppression of unknown rule '%.*s'", (int)it->len,
			    (const char *)d->file->data + it->off);
			finding_note(f, "smblint --list-rules shows every code and name");
		}
	}
}

static const struct rule rule_unused_suppression = {
	.code = "SL9001",
	.name = "unused-suppression",
	.severity = SEV_INFO,
	.fix = FIX_SAFE,
	.summary = "A smblint: disable comment that suppresses nothing",
	.what = "A '# smblint: disable=...' or 'disable-file=...' comment names a rule "
	    "that reported nothing on the line (or in the file) it covers.",
	.why = "A stale suppression hides nothing today but will silently hide a real "
	    "problem if the line changes later; it also misleads readers about what the "
	    "configuration needs. Reported as info: it does not affect what Samba does, "
	    "so it fails a run only with --fail-on=info or a [severity] override.",
	.fix_text = "Delete the rule from the comment, or the whole comment when nothing "
	    "in it is used. --fix does this.",
	.workaround = NULL,
	.example = "# smblint: disable=SL1001\n"
	    "[data]\n"
	    "\tpath = /srv/data\n",
	.check = check_unused,
};

static const struct rule rule_unknown_suppression = {
	.code = "SL9002",
	.name = "unknown-suppression",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A smblint: comment that names no rule or cannot be read",
	.what = "A '# smblint:' comment is not 'disable=LIST' or 'disable-file=LIST', "
	    "or its list names a code or name that no rule has.",
	.why = "The comment was meant to silence something and silences nothing: "
	    "usually a typo in the code, or a rule renamed since.",
	.fix_text = "Correct the code or name (smblint --list-rules lists them), or "
	    "delete the comment.",
	.workaround = NULL,
	.example = "# smblint: disable=SL20O1\n"
	    "[global]\n"
	    "\tmap to guest = bad user\n",
	.check = check_unknown_suppression,
};

const struct rule *const rules_meta[] = {&rule_unused_suppression, &rule_unknown_suppression};
const size_t rules_meta_count = sizeof rules_meta / sizeof rules_meta[0];
