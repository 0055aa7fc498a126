/* rutil.c - helpers shared by the rule families: values in effect with their origin, share classification, byte-exact edits. */
#include <stdarg.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "rutil.h"
#include "util.h"

samba_ver ru_ver(const struct lint *l)
{
	if (l->opts != NULL && l->opts->samba != 0)
		return l->opts->samba;
	return param_table_version();
}

char *ru_ver_str(samba_ver v)
{
	if (v % 100 != 0)
		return xasprintf("%u.%u.%u", v / 10000, v / 100 % 100, v % 100);
	return xasprintf("%u.%u", v / 10000, v / 100 % 100);
}

/*
 * param_get for the string literals the rules pass, remembered by address:
 * rules ask for the same few names once per share.
 */
static const struct param *cached_param(const char *name)
{
	/* per thread: the guest rules may run on a thread of their own (lint.c) */
	static _Thread_local struct {
		const char *name;
		const struct param *p;
	} cache[128][2];
	/*
	 * Two ways per set: names are string literals, whose addresses the
	 * linker places, so two names a rule asks for per share may share a set
	 * (one way each) rather than push each other out on every call.
	 */
	uintptr_t a = (uintptr_t)name;
	size_t h = ((a >> 3) ^ (a >> 10)) % 128;
	if (cache[h][0].name == name)
		return cache[h][0].p;
	if (cache[h][1].name != name) {
		cache[h][1] = cache[h][0];
		cache[h][0].p = param_get(name);
		cache[h][0].name = name;
		return cache[h][0].p;
	}
	return cache[h][1].p;
}

static uint32_t line_first(struct lint *l, const struct param *p);
static inline uint32_t line_next(const struct lint *l, uint32_t at);

/* param_default_for, remembered: a default depends only on the parameter and the version. */
static const char *default_for(const struct param *p, samba_ver v)
{
	static _Thread_local struct {
		const struct param *p;
		samba_ver v;
		const char *def;
	} cache[64];
	size_t h = param_index(p) % 64;
	if (cache[h].p != p || cache[h].v != v) {
		cache[h].def = param_default_for(p, v);
		cache[h].p = p;
		cache[h].v = v;
	}
	return cache[h].def;
}

void ru_get(const struct config *c, const struct section *s, const char *name, samba_ver v, struct ru_eff *e)
{
	const struct param *p = cached_param(name);
	const struct value *val;

	if (s == NULL)
		s = config_global(c);
	e->param = p;
	val = config_lookup(c, s, p);
	if (val != NULL && val->canon != NULL) {
		e->str = val->canon;
		e->from = val->from;
		e->copied_from = val->copied_from;
		/* Its own value is one of s->vals (config_own); anything else came from [global]. */
		bool own = false;
		if (s->vals != NULL) {
			uintptr_t at = (uintptr_t)val, lo = (uintptr_t)s->vals, hi = (uintptr_t)(s->vals + s->nvals);
			own = at >= lo && at < hi;
		}
		e->inherited = !s->global && !own;
		return;
	}
	e->from = NULL;
	e->copied_from = NULL;
	e->inherited = false;
	e->str = default_for(p, v);
	if (e->str == NULL)
		e->str = "";
}

bool ru_bool(const struct config *c, const struct section *s, const char *name, samba_ver v, struct ru_eff *e)
{
	bool b = false;
	ru_get(c, s, name, v, e);
	if (!param_parse_bool(e->str, &b))
		return false;
	return b;
}

int ru_enum(const struct config *c, const struct section *s, const char *name, samba_ver v, struct ru_eff *e)
{
	int x;
	ru_get(c, s, name, v, e);
	if (!param_enum_value(e->param, e->str, &x))
		return -1;
	return x;
}

char *ru_include_chain(const struct srcfile *f)
{
	struct sbuf b = {0};
	for (; f != NULL && f->parent != NULL; f = f->parent)
		sbuf_addf(&b, "%sincluded from %s:%u", b.len ? ", " : "", f->parent->display, f->parent_line);
	return b.len ? sbuf_take(&b) : NULL;
}

void ru_note(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	if (f == NULL)
		return;
	va_start(ap, fmt);
	finding_vnote(f, "; ", fmt, ap);
	va_end(ap);
}

static const char *chain_text(struct lint *l, const struct srcfile *file);

static void add_chain(struct lint *l, struct finding *f, const struct srcfile *file)
{
	if (file == NULL || file->parent == NULL || f == NULL)
		return;   /* the top file: no chain */
	const char *chain = chain_text(l, file);
	if (chain != NULL)
		ru_note(f, "%s is %s", file->display, chain);
}

static struct finding *report_assign_v(struct lint *l, const struct assign *a, const char *fmt, va_list ap)
{
	struct finding *f = lint_vreport(l, a->file, a->node->key_off, a->node, a->section, a->name,
	    a->node->key, fmt, ap);
	add_chain(l, f, a->file);
	return f;
}

struct finding *ru_report_assign(struct lint *l, const struct assign *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct finding *f = report_assign_v(l, a, fmt, ap);
	va_end(ap);
	return f;
}

struct finding *ru_report_node(struct lint *l, struct srcfile *file, const struct node *n,
    const struct section *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t off = n->content < n->end ? n->content : n->start;
	struct finding *f = lint_vreport(l, file, off, n, s, NULL, NULL, fmt, ap);
	va_end(ap);
	add_chain(l, f, file);
	return f;
}

static struct finding *report_section_v(struct lint *l, const struct section *s, const char *fmt, va_list ap)
{
	struct finding *f;
	if (s->header != NULL) {
		f = lint_vreport(l, s->header_file, s->header->key_off, s->header, s, NULL, NULL, fmt, ap);
		add_chain(l, f, s->header_file);
	} else {
		f = lint_vreport(l, l->cfg->files[0], 0, NULL, s, NULL, NULL, fmt, ap);
	}
	return f;
}

struct finding *ru_report_eff(struct lint *l, const struct section *s, const struct ru_eff *e, const char *fmt, ...)
{
	va_list ap;
	struct finding *f;
	va_start(ap, fmt);
	if (e->from != NULL) {
		f = report_assign_v(l, e->from, fmt, ap);
		va_end(ap);
	} else {
		/* Global parameters' defaults belong to [global], wherever they are looked at. */
		const struct section *at = s;
		if (at == NULL || e->param->scope == PS_GLOBAL)
			at = config_global(l->cfg);
		f = report_section_v(l, at, fmt, ap);
		va_end(ap);
		char *vs = ru_ver_str(ru_ver(l));
		ru_note(f, "'%s = %s' is the built-in default of Samba %s; no line sets it",
		    param_name(e->param), e->str, vs);
		free(vs);
	}
	return f;
}

const struct assign *ru_copy_line(const struct config *c, const struct section *s, const struct section *from)
{
	const struct assign *found = NULL;
	for (size_t i = 0; i < c->nassigns; i++) {
		const struct assign *a = &c->assigns[i];
		if (a->section != s || a->node == NULL || a->node->value == NULL)
			continue;
		if (!fold_eq(a->node->key, "copy"))
			continue;
		if (from == NULL || fold_eq(a->node->value, from->name))
			found = a;
	}
	return found;
}

/* Two paths naming one file ("smb.conf" and "./smb.conf"). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	const char *ba = strrchr(a, '/'), *bb = strrchr(b, '/');
	if (strcmp(a, b) == 0)
		return true;
	/* Different spellings of one path ("x.conf", "./x.conf") end alike; skip the stat otherwise. */
	if (strcmp(ba ? ba + 1 : a, bb ? bb + 1 : b) != 0)
		return false;
	if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0 || stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool ru_same_file(const struct srcfile *a, const struct srcfile *b)
{
	return a == b || same_file(a->path, b->path);
}

bool ru_repeat_file(const struct config *c, const struct srcfile *f)
{
	if (f == c->files[0])
		return false;
	for (size_t i = 0; i < c->nfiles && c->files[i] != f; i++)
		if (same_file(c->files[i]->path, f->path))
			return true;
	return false;
}

/* ---- processing order ---------------------------------------------------- */

struct stretch_walk {
	const struct config *c;
	size_t k;          /* next assignment */
	size_t j;          /* next include record */
	size_t count;      /* share headers (or hidden headers) met so far */
	size_t *out;
	bool hidden;       /* count headers behind a byte order mark instead */
};

static bool global_name(const char *name)
{
	if (name == NULL)
		return false;
	while (is_blank((unsigned char)*name))
		name++;
	if (*name != 'g' && *name != 'G')
		return false;   /* most headers: no need to fold */
	return fold_eq(name, "global") || fold_eq(name, "globals");
}

/* Walks f's lines as the loader does: an include is read where its line stands. */
static void stretch_file(struct stretch_walk *w, const struct srcfile *f, int depth)
{
	const struct tree *t = f->tree;
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		const struct node *n = &t->nodes[i];
		if (w->hidden) {
			if ((n->flags & NODE_F_BOM) && n->content + 3 < f->len && f->data[n->content + 3] == '[')
				w->count++;
		} else if ((n->kind == NODE_SECTION && !global_name(n->name)) || n->kind == NODE_BADHEADER) {
			w->count++;
			continue;
		}
		if (n->kind != NODE_PARAM)
			continue;
		if (w->k < w->c->nassigns && w->c->assigns[w->k].node == n && w->c->assigns[w->k].file == f)
			w->out[w->k++] = w->count;
		while (w->j < w->c->nincludes && w->c->includes[w->j].from == f && w->c->includes[w->j].node == n) {
			const struct config_include *inc = &w->c->includes[w->j++];
			if (inc->status == INC_OK && inc->file != NULL && depth < 200)
				stretch_file(w, inc->file, depth + 1);
		}
	}
}

static size_t *walk_counts(const struct config *c, bool hidden)
{
	size_t *out = xmalloc((c->nassigns ? c->nassigns : 1) * sizeof *out);
	/* Lines the walk does not reach keep numbers no other line has. */
	for (size_t i = 0; i < c->nassigns; i++)
		out[i] = SIZE_MAX - i;
	struct stretch_walk w = {.c = c, .out = out, .hidden = hidden};
	if (c->nfiles > 0)
		stretch_file(&w, c->files[0], 0);
	return out;
}

size_t *ru_stretches(const struct config *c)
{
	return walk_counts(c, false);
}

size_t *ru_hidden_headers(const struct config *c)
{
	return walk_counts(c, true);
}

static size_t ptr_hash(const void *p, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 17) & (cap - 1);
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static size_t str_hash(const char *s, size_t cap)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h & (cap - 1);
}

/*
 * Every file's answer in one pass: a file repeats an earlier one only if
 * their names end alike (same_file's first test), so each file is compared
 * with the earlier files of its base name only.
 */
static void files_build(struct ru_files *rf, const struct config *c)
{
	size_t n = c->nfiles, cap = 16;
	while (cap < 2 * n + 2)
		cap *= 2;
	rf->c = c;
	rf->cap = cap;
	rf->key = xcalloc(cap, sizeof *rf->key);
	rf->repeat = xcalloc(cap, sizeof *rf->repeat);
	/* Files by base name: chains of indexes into c->files (+1; 0 ends). */
	size_t *head = xcalloc(cap, sizeof *head), *next = xcalloc(n + 1, sizeof *next);
	for (size_t i = 0; i < n; i++) {
		const struct srcfile *f = c->files[i];
		bool rep = false;
		size_t b = str_hash(base_name(f->path), cap);
		if (i > 0)
			for (size_t j = head[b]; j != 0 && !rep; j = next[j - 1])
				rep = same_file(c->files[j - 1]->path, f->path);
		next[i] = head[b];
		head[b] = i + 1;
		size_t k = ptr_hash(f, cap);
		while (rf->key[k] != NULL && rf->key[k] != f)
			k = (k + 1) & (cap - 1);
		if (rf->key[k] == NULL) {   /* a srcfile listed twice keeps its first answer */
			rf->key[k] = f;
			rf->repeat[k] = rep;
		}
	}
	free(head);
	free(next);
}

bool ru_files_repeat(struct ru_files *rf, const struct config *c, const struct srcfile *f)
{
	if (c->nfiles == 0 || f == c->files[0])
		return false;
	if (rf->c != c) {
		ru_files_free(rf);
		files_build(rf, c);
	}
	for (size_t k = ptr_hash(f, rf->cap); rf->key[k] != NULL; k = (k + 1) & (rf->cap - 1))
		if (rf->key[k] == f)
			return rf->repeat[k];
	return ru_repeat_file(c, f);   /* not one of c's files */
}

void ru_files_free(struct ru_files *rf)
{
	free(rf->key);
	free(rf->repeat);
	memset(rf, 0, sizeof *rf);
}

bool ru_is_yes(const char *canon)
{
	bool b;
	return canon != NULL && param_parse_bool(canon, &b) && b;
}

bool ru_any_line(struct lint *l, const char *name, bool (*pred)(const char *canon))
{
	const struct param *p = cached_param(name);
	for (uint32_t k = line_first(l, p); k != 0; k = line_next(l, k)) {
		const struct assign *a = &l->cfg->assigns[k - 1];
		/* canon is the value Samba stores (inverse synonyms already inverted); value if unchecked. */
		const char *v = a->canon != NULL ? a->canon : a->value;
		if (pred(v))
			return true;
	}
	return false;
}

/* ---- look-ups shared by the rules of one run ------------------------------ */

struct ru_cache {
	bool guest_built;
	samba_ver guest_v;
	struct ru_guest *guest;
	size_t nguest;
	void *slot[RU_SLOTS];
	void (*slot_free[RU_SLOTS])(void *);
	/* Lines by parameter: first[param index] and next[line] (line index + 1; 0 ends). */
	uint32_t *first, *next;
	/* ru_nodes: per file, per kind slot */
	struct node_lists *nodes;
	size_t nnodefiles;
	/* chain_text: each included file's chain, by file (open addressing; f NULL: free) */
	struct chain_ent {
		const struct srcfile *f;
		char *text;            /* NULL for a file without a chain */
	} *chains;
	size_t nchains, chaincap;
};

#define NODE_SLOTS 5

struct node_lists {
	uint32_t *ix[NODE_SLOTS];
	size_t n[NODE_SLOTS], cap[NODE_SLOTS];
};

static int node_slot(enum node_kind k)
{
	switch (k) {
	case NODE_COMMENT: return 0;
	case NODE_SECTION: return 1;
	case NODE_NOEQ: return 2;
	case NODE_BADHEADER: return 3;
	case NODE_EMPTYNAME: return 4;
	default: return -1;
	}
}

static struct ru_cache *cache_of(struct lint *l)
{
	if (l->rcache == NULL)
		l->rcache = xcalloc(1, sizeof(struct ru_cache));
	return l->rcache;
}

void ru_cache_free(struct lint *l)
{
	struct ru_cache *rc = l->rcache;
	if (rc == NULL)
		return;
	free(rc->guest);
	free(rc->first);
	free(rc->next);
	for (size_t i = 0; i < rc->nnodefiles; i++)
		for (int k = 0; k < NODE_SLOTS; k++)
			free(rc->nodes[i].ix[k]);
	free(rc->nodes);
	for (unsigned k = 0; k < RU_SLOTS; k++)
		if (rc->slot[k] != NULL && rc->slot_free[k] != NULL)
			rc->slot_free[k](rc->slot[k]);
	for (size_t i = 0; i < rc->chaincap; i++)
		free(rc->chains[i].text);
	free(rc->chains);
	free(rc);
	l->rcache = NULL;
}

const uint32_t *ru_nodes(struct lint *l, size_t file, enum node_kind k, size_t *n)
{
	struct ru_cache *rc = cache_of(l);
	const struct config *c = l->cfg;
	int slot = node_slot(k);
	*n = 0;
	if (slot < 0 || file >= c->nfiles)
		return NULL;
	if (rc->nodes == NULL) {
		rc->nnodefiles = c->nfiles;
		rc->nodes = xcalloc(c->nfiles, sizeof *rc->nodes);
		for (size_t i = 0; i < c->nfiles; i++) {
			const struct tree *t = c->files[i]->tree;
			struct node_lists *nl = &rc->nodes[i];
			const struct node *nodes = t != NULL ? t->nodes : NULL;
			size_t tn = t != NULL ? t->n : 0;
			for (size_t j = 0; j < tn; j++) {
				enum node_kind kind = nodes[j].kind;
				if (kind == NODE_PARAM || kind == NODE_BLANK)
					continue;
				int q = node_slot(kind);
				if (q < 0)
					continue;
				if (nl->n[q] == nl->cap[q]) {
					nl->cap[q] = nl->cap[q] ? 2 * nl->cap[q] : 16;
					nl->ix[q] = xrealloc(nl->ix[q], nl->cap[q] * sizeof *nl->ix[q]);
				}
				nl->ix[q][nl->n[q]++] = (uint32_t)j;
			}
		}
	}
	if (file >= rc->nnodefiles)
		return NULL;
	*n = rc->nodes[file].n[slot];
	return rc->nodes[file].ix[slot];
}

static size_t chain_home(const struct srcfile *f, size_t cap)
{
	return (size_t)(((uintptr_t)f >> 4) * 0x9e3779b97f4a7c15u >> 32) & (cap - 1);
}

/*
 * ru_include_chain(file), made once per file and run: every finding in an
 * included file carries it.  A file's chain is its own link followed by
 * its parent's chain, so a deep include tree costs one link per file.
 */
static const char *chain_text(struct lint *l, const struct srcfile *file)
{
	struct ru_cache *rc = cache_of(l);
	if (rc->chaincap != 0)
		for (size_t i = chain_home(file, rc->chaincap); rc->chains[i].f != NULL;
		    i = (i + 1) & (rc->chaincap - 1))
			if (rc->chains[i].f == file)
				return rc->chains[i].text;
	char *text = NULL;
	if (file->parent != NULL) {
		const char *up = chain_text(l, file->parent);   /* may grow the table: look up again below */
		text = xasprintf("included from %s:%u", file->parent->display, file->parent_line);
		if (up != NULL) {   /* ", " and the parent's chain, copied rather than formatted */
			size_t n = strlen(text), m = strlen(up);
			text = xrealloc(text, n + 2 + m + 1);
			memcpy(text + n, ", ", 2);
			memcpy(text + n + 2, up, m + 1);
		}
	}
	if ((rc->nchains + 1) * 2 > rc->chaincap) {
		struct chain_ent *old = rc->chains;
		size_t oldcap = rc->chaincap;
		rc->chaincap = oldcap ? oldcap * 2 : 16;
		rc->chains = xcalloc(rc->chaincap, sizeof *rc->chains);
		for (size_t i = 0; i < oldcap; i++) {
			if (old[i].f == NULL)
				continue;
			size_t j = chain_home(old[i].f, rc->chaincap);
			while (rc->chains[j].f != NULL)
				j = (j + 1) & (rc->chaincap - 1);
			rc->chains[j] = old[i];
		}
		free(old);
	}
	size_t i = chain_home(file, rc->chaincap);
	while (rc->chains[i].f != NULL)
		i = (i + 1) & (rc->chaincap - 1);
	rc->chains[i].f = file;
	rc->chains[i].text = text;
	rc->nchains++;
	return text;
}

void **ru_cache_slot(struct lint *l, unsigned k, void (*free_fn)(void *))
{
	struct ru_cache *rc = cache_of(l);
	if (k >= RU_SLOTS)
		abort();
	rc->slot_free[k] = free_fn;
	return &rc->slot[k];
}

/* The lines of canonical parameter p, in processing order: walk with line_next. */
static uint32_t line_first(struct lint *l, const struct param *p)
{
	struct ru_cache *rc = cache_of(l);
	const struct config *c = l->cfg;
	if (p == NULL)
		return 0;
	if (rc->first == NULL) {
		rc->first = xcalloc(param_count, sizeof *rc->first);
		rc->next = xcalloc(c->nassigns + 1, sizeof *rc->next);
		for (size_t i = c->nassigns; i-- > 0;) {
			const struct param *q = c->assigns[i].param;
			if (q == NULL)
				continue;
			size_t k = param_index(q);
			rc->next[i] = rc->first[k];
			rc->first[k] = (uint32_t)(i + 1);
		}
	}
	return rc->first[param_index(p)];
}

static inline uint32_t line_next(const struct lint *l, uint32_t at)
{
	return ((const struct ru_cache *)l->rcache)->next[at - 1];
}

/*
 * Marks the sections whose value of p may differ from the built-in
 * default: those with a line setting p, or with a copy = line (copy
 * brings values in).  Returns false when every section may: a line sets p
 * in [global] (or [global] has a value of it at all), which shares inherit.
 * *any_yes tells whether a line sets p to yes (ru_any_line with ru_is_yes).
 */
static bool sections_setting(struct lint *l, const struct param *p, bool *mark, bool *any_yes)
{
	const struct config *c = l->cfg;
	const struct section *g = config_global(c);
	bool all = g != NULL && config_own(g, p) != NULL;
	for (int pass = 0; pass < 2; pass++) {
		uint32_t k = line_first(l, pass == 0 ? p : cached_param("copy"));
		for (; k != 0; k = line_next(l, k)) {
			const struct assign *a = &c->assigns[k - 1];
			if (pass == 0 && !*any_yes && ru_is_yes(a->canon != NULL ? a->canon : a->value))
				*any_yes = true;
			if (a->section == NULL || a->section->global || a->before_section)
				all = true;
			else if (a->section->order < c->nsections && c->sections[a->section->order] == a->section)
				mark[a->section->order] = true;
			else
				all = true;
		}
	}
	return !all;
}

const struct ru_guest *ru_guest_sections(struct lint *l, size_t *n)
{
	struct ru_cache *rc = cache_of(l);
	const struct config *c = l->cfg;
	samba_ver v = ru_ver(l);
	if (rc->guest_built && rc->guest_v == v) {
		*n = rc->nguest;
		return rc->guest;
	}
	free(rc->guest);
	rc->guest = NULL;
	rc->nguest = 0;
	rc->guest_built = true;
	rc->guest_v = v;
	bool *mark = xcalloc(c->nsections + 1, sizeof *mark), any_yes = false;
	bool some = sections_setting(l, cached_param("guest ok"), mark, &any_yes);
	size_t cap = 0;
	if (any_yes) {   /* room for every candidate at once */
		for (size_t i = 0; i < c->nsections; i++)
			cap += !some || mark[i];
		rc->guest = xmalloc((cap ? cap : 1) * sizeof *rc->guest);
	}
	for (size_t i = 0; any_yes && i < c->nsections; i++) {
		const struct section *s = c->sections[i];
		struct ru_eff e;
		if ((some && !mark[i]) || s->global || !ru_guest_ok(c, s, v, &e))
			continue;
		if (rc->nguest == cap) {
			cap = cap ? cap * 2 : 64;
			rc->guest = xrealloc(rc->guest, cap * sizeof *rc->guest);
		}
		struct ru_guest *gi = &rc->guest[rc->nguest++];
		memset(gi, 0, sizeof *gi);
		gi->s = s;
		gi->guest = e;
		gi->share = ru_is_share(c, s, v);
		if (!gi->share)
			continue;
		struct ru_eff vu, pr;
		ru_get(c, s, "valid users", v, &vu);
		/* `valid users = ,` is a list, an empty one: it keeps everyone out, guests too */
		gi->vu_empty = vu.str[0] == '\0' && vu.str != param_empty_list;
		gi->enc = ru_encrypt_required(c, s, v, &gi->enc_e);
		gi->writable = ru_writable(c, s, v, &gi->w);
		if (gi->writable)
			gi->printable = ru_bool(c, s, "printable", v, &pr);
	}
	free(mark);
	*n = rc->nguest;
	return rc->guest;
}

bool ru_is_share(const struct config *c, const struct section *s, samba_ver v)
{
	struct ru_eff e;
	if (s->global || s->hidden)
		return false;
	/* IPC$ carries RPC (share lists, password changes), not files. */
	if ((s->name[0] == 'I' || s->name[0] == 'i') && strcasecmp(s->name, "IPC$") == 0)
		return false;
	if (!ru_bool(c, s, "available", v, &e) && e.from != NULL)
		return false;
	return true;
}

bool ru_guest_ok(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e)
{
	return ru_bool(c, s, "guest ok", v, e);
}

bool ru_writable(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e)
{
	bool b = false;
	ru_get(c, s, "read only", v, e);
	if (!param_parse_bool(e->str, &b))
		return false;
	return !b;
}

bool ru_encrypt_required(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e)
{
	/*
	 * [global]'s value rules the session setup: there 'required' turns away
	 * every session that cannot encrypt (and every guest session), whatever
	 * the share says (checked with smbd 4.17: a share's 'if_required' does
	 * not let an SMB 2.1 client in).  A share's own 'required' is checked at
	 * its tree connect.
	 */
	ru_get(c, NULL, "server smb encrypt", v, e);
	if (strcasecmp(e->str, "required") == 0 || s == NULL || s->global)
		return strcasecmp(e->str, "required") == 0;
	ru_get(c, s, "server smb encrypt", v, e);
	return strcasecmp(e->str, "required") == 0;
}

bool ru_speaks_nt1(const struct client_profile *p, enum dialect smax)
{
	return p->max < D_SMB2_02 || smax < D_SMB2_02;
}

bool ru_encrypt_required_smb1(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e)
{
	ru_get(c, s, "server smb encrypt", v, e);
	return strcasecmp(e->str, "required") == 0;
}

bool ru_is_dc(const struct config *c, samba_ver v, struct ru_eff *e)
{
	ru_get(c, NULL, "server role", v, e);
	if (fold_eq(e->str, "active directory domain controller") ||
	    fold_eq(e->str, "classic primary domain controller") ||
	    fold_eq(e->str, "classic backup domain controller"))
		return true;
	if (!fold_eq(e->str, "auto"))
		return false;
	/* server role = auto: domain logons = yes makes a classic (NT4-style) PDC. */
	struct ru_eff dl;
	if (ru_bool(c, NULL, "domain logons", v, &dl)) {
		struct ru_eff sec;
		ru_get(c, NULL, "security", v, &sec);
		if (fold_eq(sec.str, "auto") || fold_eq(sec.str, "user")) {
			*e = dl;
			return true;
		}
	}
	return false;
}

bool ru_guest_share(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e)
{
	if (s == NULL || s->global || !ru_guest_ok(c, s, v, e))
		return false;
	struct ru_eff vu;
	ru_get(c, s, "valid users", v, &vu);
	return vu.str[0] == '\0' && vu.str != param_empty_list;
}

/* lp_security(): security = auto takes its value from the server role (ads on a domain member). */
static int effective_security(const struct config *c, samba_ver v)
{
	struct ru_eff sec, role;
	int s = ru_enum(c, NULL, "security", v, &sec);
	if (s > 0)
		return s;
	ru_get(c, NULL, "server role", v, &role);
	return fold_eq(role.str, "member server") ? 3 : 1;
}

bool ru_said_before(struct ru_said *sd, const struct assign *a, int what)
{
	for (size_t i = 0; i < sd->n; i++)
		if (sd->a[i] == a && sd->what[i] == what)
			return true;
	if (sd->n == sd->cap) {
		sd->cap = sd->cap ? sd->cap * 2 : 8;
		sd->a = xrealloc(sd->a, sd->cap * sizeof *sd->a);
		sd->what = xrealloc(sd->what, sd->cap * sizeof *sd->what);
	}
	sd->a[sd->n] = a;
	sd->what[sd->n++] = what;
	return false;
}

void ru_said_free(struct ru_said *sd)
{
	free(sd->a);
	free(sd->what);
	sd->a = NULL;
	sd->what = NULL;
	sd->n = sd->cap = 0;
}

bool ru_local_accounts(const struct config *c, samba_ver v)
{
	struct ru_eff e;
	return effective_security(c, v) < 2 && !ru_is_dc(c, v, &e);
}

int ru_map_to_guest(const struct config *c, samba_ver v, struct ru_eff *e)
{
	int how = ru_enum(c, NULL, "map to guest", v, e);
	if (how <= 0)
		return 0;
	if (how == 3 && effective_security(c, v) < 2)
		return 0;   /* bad uid acts only for domain users (security = domain or ads) */
	struct ru_eff enc;
	if (ru_encrypt_required(c, NULL, v, &enc))
		return 0;   /* a guest session is refused outright: it cannot encrypt */
	return how;
}

bool ru_ntlm_blocked(const struct config *c, samba_ver v, struct ru_eff *e)
{
	ru_get(c, NULL, "ntlm auth", v, e);
	if (!fold_eq(e->str, "disabled"))
		return false;
	struct ru_eff role;
	ru_get(c, NULL, "server role", v, &role);
	if (fold_eq(role.str, "active directory domain controller"))
		return false;   /* its KDC signs domain users in with Kerberos */
	return effective_security(c, v) < 2;   /* a domain member has the domain's Kerberos */
}

const char *ru_as_written(const struct ru_eff *e)
{
	return e->from != NULL && e->from->node != NULL && e->from->node->value != NULL ?
	    e->from->node->value : e->str;
}

/*
 * Checked with smbd and smbclient 4.17: the guest's tree connect succeeds,
 * listing the share fails with NT_STATUS_INVALID_PARAMETER_MIX; over SMB 2.1
 * it works.
 */
bool ru_guest_desired_bug(const struct config *c, const struct section *s, samba_ver v, struct ru_eff *e)
{
	if (v < 41500 || (v >= 41907 && v < 42000) || v >= 42002)
		return false;
	ru_get(c, NULL, "server smb encrypt", v, e);
	if (!fold_eq(e->str, "desired"))
		ru_get(c, s, "server smb encrypt", v, e);
	return fold_eq(e->str, "desired");
}

bool ru_host_checks(const struct lint *l)
{
	int h = l->opts != NULL ? l->opts->host_checks : 0;
	return h != 0 ? h > 0 : config_is_system(l->cfg);
}

/* ---- grouping shares by origin ------------------------------------------ */

struct ru_pool {
	struct ru_pool *next;
	size_t used, cap;
	char data[];
};

/*
 * Room for a share list of `cap` bytes holding the len bytes at old (old_cap
 * bytes of room): grown in place when it is the pool's last block.
 */
static char *pool_grow(struct ru_groups *gs, char *old, size_t len, size_t old_cap, size_t cap)
{
	struct ru_pool *p = gs->pool;
	if (old != NULL && p != NULL && old + old_cap == p->data + p->used && p->used - old_cap + cap <= p->cap) {
		p->used += cap - old_cap;
		return old;
	}
	if (p == NULL || p->cap - p->used < cap) {
		size_t size = cap > 16384 ? cap : 16384;
		p = xmalloc(sizeof *p + size);
		p->next = gs->pool;
		p->used = 0;
		p->cap = size;
		gs->pool = p;
	}
	char *d = p->data + p->used;
	p->used += cap;
	if (len > 0)
		memcpy(d, old, len);
	return d;
}

static const void *group_key(const struct ru_eff *e, const struct section *s)
{
	return e->from != NULL ? (const void *)e->from : (const void *)s;
}

static size_t key_hash(const void *k, size_t nslots)
{
	uint64_t h = (uint64_t)(uintptr_t)k * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 20) & (nslots - 1);
}

static void groups_rehash(struct ru_groups *gs)
{
	free(gs->slots);
	gs->nslots = gs->nslots ? gs->nslots * 2 : 64;
	gs->slots = xcalloc(gs->nslots, sizeof *gs->slots);
	for (size_t i = 0; i < gs->n; i++) {
		size_t h = key_hash(group_key(&gs->g[i].e, gs->g[i].first), gs->nslots);
		while (gs->slots[h] != 0)
			h = (h + 1) & (gs->nslots - 1);
		gs->slots[h] = i + 1;
	}
}

void ru_groups_reserve(struct ru_groups *gs, size_t n)
{
	if (n > gs->cap) {
		gs->cap = n;
		gs->g = xrealloc(gs->g, gs->cap * sizeof *gs->g);
	}
	if ((n + 1) * 2 > gs->nslots) {
		size_t want = gs->nslots ? gs->nslots : 64;
		while ((n + 1) * 2 > want)
			want *= 2;
		gs->nslots = want / 2;   /* groups_rehash doubles it */
		groups_rehash(gs);
	}
}

void ru_group_add(struct ru_groups *gs, const struct ru_eff *e, const struct section *s, unsigned mask)
{
	const void *key = group_key(e, s);
	struct ru_group *g = NULL;
	if ((gs->n + 1) * 2 > gs->nslots)
		groups_rehash(gs);
	size_t h = key_hash(key, gs->nslots);
	for (; gs->slots[h] != 0; h = (h + 1) & (gs->nslots - 1)) {
		struct ru_group *c = &gs->g[gs->slots[h] - 1];
		if (group_key(&c->e, c->first) == key) {
			g = c;
			break;
		}
	}
	if (g == NULL) {
		if (gs->n == gs->cap) {
			gs->cap = gs->cap ? gs->cap * 2 : 16;
			gs->g = xrealloc(gs->g, gs->cap * sizeof *gs->g);
		}
		g = &gs->g[gs->n++];
		memset(g, 0, sizeof *g);
		g->e = *e;
		g->first = s;
		gs->slots[h] = gs->n;
	}
	if (e->copied_from != NULL && g->copier == NULL) {
		g->copier = s;
		g->copied = e->copied_from;
	}
	/* ", [name]", appended in the groups' pool. */
	size_t nl = strlen(s->name), k = (g->n ? 2 : 0) + nl + 2;
	struct sbuf *b = &g->shares;
	if (b->len + k + 1 > b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		while (cap < b->len + k + 1)
			cap *= 2;
		b->s = pool_grow(gs, b->s, b->len, b->cap, cap);
		b->cap = cap;
	}
	char *d = b->s + b->len;
	if (g->n) {
		*d++ = ',';
		*d++ = ' ';
	}
	*d++ = '[';
	memcpy(d, s->name, nl);
	d += nl;
	*d++ = ']';
	*d = '\0';
	b->len += k;
	g->n++;
	g->mask |= mask;
}

const struct ru_group *ru_group_find(const struct ru_groups *gs, const struct ru_eff *e,
    const struct section *s)
{
	const void *key = group_key(e, s);
	if (gs->nslots == 0)
		return NULL;
	for (size_t h = key_hash(key, gs->nslots); gs->slots[h] != 0; h = (h + 1) & (gs->nslots - 1)) {
		const struct ru_group *c = &gs->g[gs->slots[h] - 1];
		if (group_key(&c->e, c->first) == key)
			return c;
	}
	return NULL;
}

char *ru_group_shares(const struct ru_group *g)
{
	const char *word = g->n == 1 ? "share " : "shares ";
	size_t a = strlen(word), b = g->shares.len;
	char *out = xmalloc(a + b + 1);
	memcpy(out, word, a);
	memcpy(out + a, g->shares.s != NULL ? g->shares.s : "", b);
	out[a + b] = '\0';
	return out;
}

void ru_groups_free(struct ru_groups *gs)
{
	for (struct ru_pool *p = gs->pool, *next; p != NULL; p = next) {
		next = p->next;
		free(p);
	}
	free(gs->g);
	free(gs->slots);
	memset(gs, 0, sizeof *gs);
}

/* Dialect names in Samba's spelling; removed dialects round to a neighbour. */
static const struct {
	const char *name;
	enum dialect as_min, as_max;
} dialect_names[] = {
	{"CORE", D_CORE, D_CORE},
	{"COREPLUS", D_CORE, D_CORE},
	{"CORE+", D_CORE, D_CORE},
	{"LANMAN1", D_LANMAN1, D_LANMAN1},
	{"LANMAN2", D_LANMAN2, D_LANMAN2},
	{"NT1", D_NT1, D_NT1},
	{"SMB2_02", D_SMB2_02, D_SMB2_02},
	{"SMB2", D_SMB2_10, D_SMB2_10},
	{"SMB2_10", D_SMB2_10, D_SMB2_10},
	/* SMB2_22, SMB2_24 and SMB3_10 were preview dialects no client speaks. */
	{"SMB2_22", D_SMB3_00, D_SMB2_10},
	{"SMB2_24", D_SMB3_00, D_SMB2_10},
	{"SMB3_00", D_SMB3_00, D_SMB3_00},
	{"SMB3_02", D_SMB3_02, D_SMB3_02},
	{"SMB3_10", D_SMB3_11, D_SMB3_02},
	{"SMB3_11", D_SMB3_11, D_SMB3_11},
	{"SMB3", D_SMB3_11, D_SMB3_11},
};

static enum dialect dialect_lookup(const char *name, bool is_min);

/* Every share asks about the same two values: remember the last answer per direction. */
enum dialect ru_dialect(const char *name, bool is_min, samba_ver v)
{
	static _Thread_local char last[2][24];
	static _Thread_local enum dialect answer[2];
	(void)v;
	if (name == NULL)
		return D_NONE;
	if (strlen(name) >= sizeof last[0])
		return dialect_lookup(name, is_min);
	if (last[is_min][0] == '\0' || strcmp(last[is_min], name) != 0) {
		answer[is_min] = dialect_lookup(name, is_min);
		strcpy(last[is_min], name);
	}
	return answer[is_min];
}

static enum dialect dialect_lookup(const char *name, bool is_min)
{
	/* Values come as testparm prints them, so an exact match is the usual case. */
	for (size_t i = 0; i < sizeof dialect_names / sizeof dialect_names[0]; i++)
		if (strcasecmp(name, dialect_names[i].name) == 0)
			return is_min ? dialect_names[i].as_min : dialect_names[i].as_max;
	for (size_t i = 0; i < sizeof dialect_names / sizeof dialect_names[0]; i++)
		if (fold_eq(name, dialect_names[i].name))
			return is_min ? dialect_names[i].as_min : dialect_names[i].as_max;
	return D_NONE;
}

const char *ru_dialect_name(enum dialect d)
{
	static const char *const names[] = {
		[D_NONE] = "none", [D_CORE] = "CORE", [D_LANMAN1] = "LANMAN1",
		[D_LANMAN2] = "LANMAN2", [D_NT1] = "NT1", [D_SMB2_02] = "SMB2_02",
		[D_SMB2_10] = "SMB2_10", [D_SMB3_00] = "SMB3_00", [D_SMB3_02] = "SMB3_02",
		[D_SMB3_11] = "SMB3_11",
	};
	return (unsigned)d < sizeof names / sizeof names[0] ? names[d] : "?";
}

void ru_server_dialects(const struct config *c, samba_ver v, enum dialect *min, enum dialect *max,
    struct ru_eff *emin, struct ru_eff *emax)
{
	ru_get(c, NULL, "server min protocol", v, emin);
	ru_get(c, NULL, "server max protocol", v, emax);
	*min = ru_dialect(emin->str, true, v);
	if (*min == D_NONE)   /* "default" or unparsable: the version's default */
		*min = ru_dialect(param_default_for(emin->param, v), true, v);
	if (*min == D_NONE)
		*min = v >= 41100 ? D_SMB2_02 : D_NT1;
	*max = ru_dialect(emax->str, false, v);
	if (*max == D_NONE)
		*max = D_SMB3_11;
}

bool ru_refuses_guest(const struct client_profile *p)
{
	return !p->guest || p->signing_required;
}

static char *client_labels(unsigned mask);

/* Rules ask for the same few sets once per finding: each answer is made once. */
const char *ru_client_labels_memo(unsigned mask)
{
	static char *memo[128];
	static struct {
		unsigned mask;
		char *s;
	} *more;   /* masks beyond the table (none with today's seven clients), kept like the table */
	static size_t nmore;
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;   /* rules may run on two threads (lint.c) */
	const char *r = NULL;
	pthread_mutex_lock(&lock);
	if (mask < 128) {
		if (memo[mask] == NULL)
			memo[mask] = client_labels(mask);
		r = memo[mask];
	} else {
		for (size_t i = 0; i < nmore && r == NULL; i++)
			if (more[i].mask == mask)
				r = more[i].s;
		if (r == NULL) {
			more = xrealloc(more, (nmore + 1) * sizeof *more);
			more[nmore].mask = mask;
			r = more[nmore++].s = client_labels(mask);
		}
	}
	pthread_mutex_unlock(&lock);
	return r;
}

char *ru_client_labels(unsigned mask)
{
	return xstrdup(ru_client_labels_memo(mask));
}

static char *client_labels(unsigned mask)
{
	struct sbuf b = {0};
	size_t total = 0, k = 0;
	for (size_t i = 0; i < client_profile_count; i++)
		total += (mask & client_profiles[i].bit) != 0;
	for (size_t i = 0; i < client_profile_count; i++) {
		if (!(mask & client_profiles[i].bit))
			continue;
		k++;
		sbuf_addf(&b, "%s%s", k == 1 ? "" : k == total ? " and " : ", ", client_profiles[i].label);
	}
	return b.len ? sbuf_take(&b) : xstrdup("");
}

unsigned ru_clients_where(const struct lint *l, bool (*pred)(const struct client_profile *))
{
	unsigned mask = 0, want = l->opts != NULL ? l->opts->clients : CL_DEFAULT;
	for (size_t i = 0; i < client_profile_count; i++)
		if ((want & client_profiles[i].bit) && pred(&client_profiles[i]))
			mask |= client_profiles[i].bit;
	return mask;
}

/* --- edits ------------------------------------------------------------ */

static bool editable(const struct node *n)
{
	return n != NULL && n->kind == NODE_PARAM && !(n->flags & (NODE_F_CONT | NODE_F_NUL));
}

bool ru_edit_value(struct finding *f, const struct assign *a, const char *text)
{
	const struct node *n = a->node;
	if (f == NULL || !editable(n))
		return false;
	if (n->value_off == n->value_end) {
		/* Empty value: put the new one after '=' with one blank. */
		char *t = xasprintf(" %s", text);
		finding_edit(f, a->file, node_eq_off(a->file, n) + 1, node_eq_off(a->file, n) + 1, t);
		free(t);
		return true;
	}
	finding_edit(f, a->file, n->value_off, n->value_end, text);
	return true;
}

bool ru_edit_name(struct finding *f, const struct assign *a, const char *text)
{
	const struct node *n = a->node;
	if (f == NULL || n == NULL || n->kind != NODE_PARAM ||
	    (n->flags & (NODE_F_NUL | NODE_F_QUOTED | NODE_F_BOM)))
		return false;
	const unsigned char *d = a->file->data;
	size_t end = node_eq_off(a->file, n);
	if (end <= n->key_off || end > a->file->len)
		return false;
	while (end > n->key_off && is_blank(d[end - 1]))
		end--;
	if (end == n->key_off)
		return false;
	/* One physical line, no continuation inside the name. */
	for (size_t i = n->key_off; i < end; i++)
		if (d[i] == '\n' || d[i] == '\r' || d[i] == '\\' || d[i] == '\0')
			return false;
	char *written = xstrndup((const char *)d + n->key_off, end - n->key_off);
	bool same = n->key != NULL && fold_eq(written, n->key);
	free(written);
	if (!same)
		return false;
	finding_edit(f, a->file, n->key_off, end, text);
	return true;
}

bool ru_edit_remove(struct finding *f, struct srcfile *file, const struct node *n)
{
	if (f == NULL || n == NULL || (n->flags & NODE_F_NUL))
		return false;
	finding_edit(f, file, n->start, n->end, "");
	return true;
}

bool ru_edit_insert_above(struct finding *f, struct srcfile *file, const struct node *n, const char *text)
{
	if (f == NULL || n == NULL)
		return false;
	bool crlf = (n->flags & NODE_F_CRLF) != 0;
	if (n->flags & NODE_F_NOEOL)   /* the last line: follow the rest of the file */
		crlf = memmem(file->data, file->len, "\r\n", 2) != NULL;
	struct sbuf b = {0};
	sbuf_add(&b, file->data + n->start, n->content - n->start);
	sbuf_adds(&b, text);
	sbuf_adds(&b, crlf ? "\r\n" : "\n");
	finding_edit(f, file, n->start, n->start, sbuf_str(&b));
	sbuf_free(&b);
	return true;
}

bool ru_edit_add_global(struct finding *f, const struct config *c, const char *text)
{
	const struct section *g = config_global(c);
	struct sbuf b = {0};
	if (f == NULL || g == NULL)
		return false;
	if (g->header == NULL) {
		struct srcfile *top = c->files[0];
		bool crlf = memmem(top->data, top->len, "\r\n", 2) != NULL;
		sbuf_addf(&b, "%s%s", text, crlf ? "\r\n" : "\n");
		finding_edit(f, top, 0, 0, sbuf_str(&b));
		sbuf_free(&b);
		return true;
	}
	struct srcfile *file = g->header_file;
	const struct node *h = g->header;
	const struct tree *t = file->tree;
	const char *indent = "\t";
	size_t ilen = 1;
	for (size_t k = (size_t)(h - t->nodes) + 1; k < t->n; k++) {
		const struct node *n = &t->nodes[k];
		if (n->kind == NODE_SECTION)
			break;
		if (n->kind == NODE_PARAM) {
			indent = (const char *)file->data + n->start;
			ilen = n->content - n->start;
			break;
		}
	}
	bool crlf = (h->flags & NODE_F_CRLF) != 0;
	if (h->flags & NODE_F_NOEOL) {
		crlf = memmem(file->data, file->len, "\r\n", 2) != NULL;
		sbuf_adds(&b, crlf ? "\r\n" : "\n");
	}
	sbuf_add(&b, indent, ilen);
	sbuf_addf(&b, "%s%s", text, (h->flags & NODE_F_NOEOL) ? "" : crlf ? "\r\n" : "\n");
	finding_edit(f, file, h->end, h->end, sbuf_str(&b));
	sbuf_free(&b);
	return true;
}

bool ru_inline_comment(const struct srcfile *file, const struct node *n, size_t *cut, size_t *mark)
{
	if (!editable(n) || n->value_off >= n->value_end)
		return false;
	const unsigned char *d = file->data;
	size_t len = n->value_end - n->value_off;
	/* Most values have neither mark: two memchr calls say so quickly. */
	const unsigned char *semi = memchr(d + n->value_off, ';', len), *hash = memchr(d + n->value_off, '#', len);
	if (semi == NULL && hash == NULL)
		return false;
	size_t first = (size_t)((semi == NULL || (hash != NULL && hash < semi) ? hash : semi) - d);
	for (size_t i = first; i < n->value_end; i++) {
		if (d[i] != ';' && d[i] != '#')
			continue;
		if (i == 0 || !is_blank(d[i - 1]))
			continue;
		size_t c = i;
		while (c > n->value_off && is_blank(d[c - 1]))
			c--;
		*cut = c;
		*mark = i;
		return true;
	}
	return false;
}
