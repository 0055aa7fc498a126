/* lint.c - the engine: the rule table, findings, suppression comments and the meta rules. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint.h"
#include "rules.h"
#include "util.h"

/* ---- the rule table ---------------------------------------------------- */

#define RULE_TABLE_MAX 1024

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
	for (size_t i = 0; i < rule_count; i++)
		if (rule_table[i] == r)
			return i;
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
		l->cap = l->cap ? l->cap * 2 : 32;
		l->findings = xrealloc(l->findings, l->cap * sizeof *l->findings);
	}
	struct finding *f = &l->findings[l->n++];
	memset(f, 0, sizeof *f);
	return f;
}

static char *lower_dup(const char *s)
{
	char *d = xstrdup(s);
	for (char *p = d; *p; p++)
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

static struct finding *report_v(struct lint *l, struct srcfile *file, size_t off,
    const struct section *sec, const char *parameter, const char *spelled,
    const char *fmt, va_list ap)
{
	struct finding *f = new_finding(l);
	struct sbuf b = {0};
	va_list aq;

	f->rule = l->current;
	f->severity = l->current != NULL ? effective_severity(l, l->current) : SEV_WARNING;
	if (file == NULL && l->cfg != NULL && l->cfg->nfiles > 0)
		file = l->cfg->files[0];
	else if (file != NULL) {
		if (off > file->len)
			off = file->len;
		src_pos(file, off, &f->line, &f->col);
	}
	f->file = file;
	f->off = off;
	if (sec != NULL)
		f->section = sec->global ? xstrdup("global") : lower_dup(sec->name);
	f->parameter = parameter != NULL ? xstrdup(parameter) : NULL;
	f->spelled = spelled != NULL ? xstrdup(spelled) : NULL;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n > 0) {
		b.s = xmalloc((size_t)n + 1);
		vsnprintf(b.s, (size_t)n + 1, fmt, ap);
	}
	f->message = b.s != NULL ? b.s : xstrdup("");
	return f;
}

struct finding *lint_report(struct lint *l, struct srcfile *file, size_t off,
    const struct section *sec, const char *parameter, const char *spelled,
    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct finding *f = report_v(l, file, off, sec, parameter, spelled, fmt, ap);
	va_end(ap);
	return f;
}

struct finding *lint_report_assign(struct lint *l, const struct assign *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct finding *f = report_v(l, a->file, a->node->key_off, a->section, a->name,
	    a->node->key, fmt, ap);
	va_end(ap);
	return f;
}

void finding_note(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	char *note;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	note = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(note, (size_t)n + 1, fmt, ap);
	va_end(ap);
	free(f->note);
	f->note = note;
}

void finding_edit(struct finding *f, struct srcfile *file, size_t start, size_t end, const char *text)
{
	f->edits = xrealloc(f->edits, (f->nedits + 1) * sizeof *f->edits);
	f->edits[f->nedits].file = file;
	f->edits[f->nedits].start = start;
	f->edits[f->nedits].end = end < start ? start : end;
	f->edits[f->nedits].text = xstrdup(text != NULL ? text : "");
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

static void scan_file(struct engine *e, struct srcfile *f)
{
	const struct tree *t = f->tree;
	size_t first = e->ndirs;
	size_t pending = e->ndirs;     /* directives waiting for the line they cover */

	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		const struct node *n = &t->nodes[i];
		struct directive dir;
		if (n->kind == NODE_BLANK)
			continue;
		if (n->kind == NODE_COMMENT) {
			if (memmem(f->data + n->content, n->end - n->content, "smblint", 7) == NULL ||
			    !parse_directive(e, f, n, &dir))
				continue;
			if (dir.file_wide)
				dir.to = f->len + 1;
			add_directive(e, &dir);
			continue;
		}
		for (; pending < e->ndirs; pending++) {
			struct directive *p = &e->dirs[pending];
			if (!p->file_wide && !p->malformed) {
				p->from = n->start;
				p->to = n->end;
			}
		}
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

static void sort_findings(struct lint *l)
{
	struct sort_key *keys;
	const struct srcfile *cached = NULL;
	size_t cached_idx = 0;

	if (l->n < 2)
		return;
	keys = xmalloc(l->n * sizeof *keys);
	for (size_t i = 0; i < l->n; i++) {
		const struct srcfile *f = l->findings[i].file;
		if (f != cached) {
			cached = f;
			cached_idx = l->cfg != NULL ? l->cfg->nfiles : 0;
			for (size_t k = 0; l->cfg != NULL && k < l->cfg->nfiles; k++)
				if (l->cfg->files[k] == f) {
					cached_idx = k;
					break;
				}
		}
		keys[i] = (struct sort_key){cached_idx, i};
	}
	qsort_r(keys, l->n, sizeof *keys, cmp_findings, l->findings);
	struct finding *sorted = xmalloc(l->cap * sizeof *sorted);
	for (size_t i = 0; i < l->n; i++)
		sorted[i] = l->findings[keys[i].index];
	free(l->findings);
	l->findings = sorted;
	free(keys);
}

static const struct lint_opts default_opts = {.clients = CL_DEFAULT};

void lint_run_rules(struct lint *l, const struct rule *const *rules, size_t n)
{
	struct engine e = {.rules = rules, .nrules = n};

	if (l->opts == NULL)
		l->opts = &default_opts;
	l->engine = &e;
	for (size_t i = 0; i < n; i++)
		if (!is_meta(rules[i]))
			run_one(l, &e, rules[i]);
	size_t nfiles = l->cfg != NULL ? l->cfg->nfiles : 0;
	e.slices = xcalloc(nfiles + 1, sizeof *e.slices);
	for (size_t i = 0; i < nfiles; i++) {
		e.slices[i] = e.ndirs;
		scan_file(&e, l->cfg->files[i]);
	}
	e.slices[nfiles] = e.ndirs;
	apply_suppressions(l, &e, 0);
	size_t before_meta = l->n;
	for (size_t i = 0; i < rules_meta_count; i++)
		run_one(l, &e, rules_meta[i]);
	apply_suppressions(l, &e, before_meta);
	sort_findings(l);
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
		free(f->section);
		free(f->parameter);
		free(f->spelled);
		free(f->message);
		free(f->note);
		for (size_t k = 0; k < f->nedits; k++)
			free(f->edits[k].text);
		free(f->edits);
	}
	free(l->findings);
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
