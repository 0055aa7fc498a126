/* out_text.c - findings for people: gcc-style locus, the source line with a caret, notes, a summary. */
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_MAGENTA "\033[1;35m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[1;32m"
#define C_RESET "\033[0m"

/* Source lines longer than this are not quoted (a caret past it would help nobody). */
#define MAX_QUOTE 512

static const char *sev_color(enum severity s)
{
	return s == SEV_ERROR ? C_RED : s == SEV_WARNING ? C_MAGENTA : C_CYAN;
}

static void put_colored(FILE *out, bool color, const char *c, const char *s)
{
	if (color)
		fprintf(out, "%s%s%s", c, s, C_RESET);
	else
		fputs(s, out);
}

/*
 * What the findings are written through: the buffer, and the safe form of
 * the last file name shown (findings come file by file, so it rarely changes).
 */
struct text_out {
	struct obuf ob;
	bool have_path;
	const struct srcfile *path_of;
	struct sbuf path;
};

static void put_path(struct text_out *t, const struct finding *f)
{
	if (!t->have_path || t->path_of != f->file) {
		const char *p = finding_path(f);
		t->path.len = 0;
		out_safe(&t->path, p, strlen(p));
		t->path_of = f->file;
		t->have_path = true;
	}
	ob_write(&t->ob, t->path.s, t->path.len);
}

/* A line number right-aligned in 5 columns, as printf's "%5u". */
static void put_line_number(struct obuf *b, unsigned v)
{
	size_t pad = v >= 10000 ? 0 : v >= 1000 ? 1 : v >= 100 ? 2 : v >= 10 ? 3 : 4;
	ob_write(b, "    ", pad);
	ob_uint(b, v);
}

/*
 * The quoted line and a caret under the finding's column.  The caret's
 * padding repeats the tabs of the line and one space per character, so it
 * lines up whatever the terminal's tab stops are.
 */
static void quote_source(struct obuf *b, const struct finding *f, bool color)
{
	size_t len;
	const unsigned char *s = src_line(f->file, f->line, &len);
	size_t upto = f->col - 1;

	if (len > MAX_QUOTE || upto > len)
		return;
	put_line_number(b, f->line);
	ob_lit(b, " | ");
	ob_safe(b, (const char *)s, len);
	ob_lit(b, "\n      | ");
	char *d = ob_room(b, upto), *d0 = d;
	for (size_t i = 0; i < upto; i++) {
		if (s[i] == '\t')
			*d++ = '\t';
		else if ((s[i] & 0xc0) != 0x80)
			*d++ = ' ';
	}
	b->len += (size_t)(d - d0);
	if (color)
		ob_lit(b, C_GREEN "^" C_RESET "\n");
	else
		ob_lit(b, "^\n");
}

static void print_finding(struct text_out *t, const struct finding *f, const struct out_opts *o)
{
	struct obuf *b = &t->ob;

	if (o->color)
		ob_lit(b, C_BOLD);
	put_path(t, f);
	if (f->line > 0) {
		ob_putc(b, ':');
		ob_uint(b, f->line);
		ob_putc(b, ':');
		ob_uint(b, f->col);
	}
	if (o->color) {
		ob_lit(b, ":" C_RESET " ");
		ob_puts(b, sev_color(f->severity));
		ob_puts(b, severity_name(f->severity));
		ob_lit(b, ":" C_RESET " ");
	} else {
		ob_lit(b, ": ");
		ob_puts(b, severity_name(f->severity));
		ob_lit(b, ": ");
	}
	ob_safe(b, f->message, strlen(f->message));
	ob_putc(b, ' ');
	if (f->rule != NULL) {
		if (o->color)
			ob_puts(b, sev_color(f->severity));
		ob_putc(b, '[');
		ob_puts(b, f->rule->code);
		ob_putc(b, ' ');
		ob_puts(b, f->rule->name);
		ob_putc(b, ']');
		if (o->color)
			ob_lit(b, C_RESET);
	}
	ob_putc(b, '\n');
	if (!o->quiet && f->line > 0)
		quote_source(b, f, o->color);
	if (!o->quiet && f->note != NULL) {
		if (o->color)
			ob_lit(b, "  " C_CYAN "note:" C_RESET " ");
		else
			ob_lit(b, "  note: ");
		ob_safe(b, f->note, strlen(f->note));
		ob_putc(b, '\n');
	}
}

static void add_count(struct sbuf *b, size_t n, const char *one, const char *many)
{
	if (n == 0)
		return;
	if (b->len)
		sbuf_adds(b, ", ");
	sbuf_addf(b, "%zu %s", n, n == 1 ? one : many);
}

/* The summary line (without its newline or colour) into b. */
static void summary_line(struct sbuf *bp, const struct report *r, const struct out_opts *o)
{
	struct summary s;
	struct sbuf b = *bp;

	out_summary(r, o, &s);
	add_count(&b, s.count[SEV_ERROR], "error", "errors");
	add_count(&b, s.count[SEV_WARNING], "warning", "warnings");
	add_count(&b, s.count[SEV_INFO], "info", "infos");
	if (b.len == 0)
		sbuf_adds(&b, "no problems found");
	if (s.files > 1)
		sbuf_addf(&b, " in %zu files", s.files);
	if (s.fixable > 0 && s.unsafe_fixable > 0)
		sbuf_addf(&b, " (%zu fixable with --fix, %zu more with --unsafe-fixes)", s.fixable, s.unsafe_fixable);
	else if (s.fixable > 0)
		sbuf_addf(&b, " (%zu fixable with --fix)", s.fixable);
	else if (s.unsafe_fixable > 0)
		sbuf_addf(&b, " (%zu fixable with --fix --unsafe-fixes)", s.unsafe_fixable);
	if (s.suppressed > 0)
		sbuf_addf(&b, "; %zu suppressed", s.suppressed);
	if (s.hidden > 0)
		sbuf_addf(&b, "; %zu below --severity", s.hidden);
	*bp = b;
}

/* The summary line, through the buffer (stdio never needs a buffer of its own for it). */
static void print_summary(struct obuf *ob, const struct report *r, const struct out_opts *o)
{
	struct sbuf b = {0};
	summary_line(&b, r, o);
	if (o->color)
		ob_puts(ob, C_BOLD);
	ob_write(ob, sbuf_str(&b), b.len);
	if (o->color)
		ob_puts(ob, C_RESET);
	ob_putc(ob, '\n');
	sbuf_free(&b);
}

void out_text(const struct report *r, const struct out_opts *o)
{
	struct text_out *t = xmalloc(sizeof *t);

	ob_init(&t->ob, o->out);
	t->have_path = false;
	t->path_of = NULL;
	t->path = (struct sbuf){0};
	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++)
			if (out_shown(o, &r->lints[i]->findings[k]))
				print_finding(t, &r->lints[i]->findings[k], o);
	if (!o->quiet && r->nlints > 0) {
		ob_flush(&t->ob);   /* the parts below write through stdio */
		for (size_t i = 0; i < r->nmatrices; i++)
			out_text_matrix(o->out, &r->matrices[i], o->color);
		if (r->probe != NULL)
			out_text_probe(o->out, r, o->color);
		for (size_t i = 0; i < r->nextras; i++)
			if (r->extras[i].text != NULL)
				r->extras[i].text(o->out, o->color, r->extras[i].ctx);
		print_summary(&t->ob, r, o);
	}
	ob_flush(&t->ob);   /* after stdio's own data: out_bytes flushes it first */
	sbuf_free(&t->path);
	free(t);
}

/* ---- the matrix as a table --------------------------------------------- */

/* Display width of UTF-8 text (one column per character). */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void cell_pad(FILE *out, const char *s, size_t w, const char *color)
{
	put_colored(out, color != NULL, color != NULL ? color : "", s);
	for (size_t n = width(s); n < w; n++)
		putc(' ', out);
}

static char *share_label(const struct section *s)
{
	struct sbuf b = {0};
	sbuf_addc(&b, '[');
	out_safe(&b, s->name, strlen(s->name));
	sbuf_addc(&b, ']');
	return sbuf_take(&b);
}

static char *cell_text(const struct matrix_cell *c, unsigned footnote)
{
	if (c->verdict.ok)
		return xstrdup(c->verdict.guest_only ? "guest" : "yes");
	return xasprintf("no [%u]", footnote);
}

static void print_footnotes(FILE *out, const struct matrix *m)
{
	unsigned fn = 0;
	struct sbuf b = {0};

	for (size_t i = 0; i < m->nshares * m->nprofiles; i++) {
		const struct matrix_cell *c = &m->cells[i];
		if (c->verdict.ok)
			continue;
		char *label = share_label(c->share);
		sbuf_free(&b);
		out_safe(&b, c->verdict.reason ? c->verdict.reason : "refused",
		    strlen(c->verdict.reason ? c->verdict.reason : "refused"));
		fprintf(out, "  [%u] %s, %s: %s\n", ++fn, label, c->profile->name, sbuf_str(&b));
		if (c->verdict.windows_error != NULL) {
			sbuf_free(&b);
			out_safe(&b, c->verdict.windows_error, strlen(c->verdict.windows_error));
			fprintf(out, "      Windows: %s\n", sbuf_str(&b));
		}
		if (c->verdict.cause != NULL && c->verdict.cause->file != NULL) {
			sbuf_free(&b);
			out_safe(&b, c->verdict.cause->file->display, strlen(c->verdict.cause->file->display));
			fprintf(out, "      because of %s:%u\n", sbuf_str(&b), c->verdict.cause->node->line);
		}
		free(label);
	}
	sbuf_free(&b);
}

void out_text_matrix(FILE *out, const struct matrix *m, bool color)
{
	struct sbuf b = {0};
	size_t w0 = width("share");
	unsigned fn = 0;

	out_safe(&b, m->cfg->nfiles ? m->cfg->files[0]->display : "-",
	    strlen(m->cfg->nfiles ? m->cfg->files[0]->display : "-"));
	fprintf(out, "\n");
	put_colored(out, color, C_BOLD, "Client matrix");
	fprintf(out, " for %s:\n", sbuf_str(&b));
	sbuf_free(&b);
	if (m->nshares == 0 || m->nprofiles == 0) {
		fprintf(out, "  (%s)\n", m->nshares == 0 ? "no shares" : "no client profiles");
		return;
	}
	for (size_t s = 0; s < m->nshares; s++) {
		char *label = share_label(m->shares[s]);
		if (width(label) > w0)
			w0 = width(label);
		free(label);
	}
	fprintf(out, "  ");
	cell_pad(out, "share", w0 + 2, NULL);
	for (size_t p = 0; p < m->nprofiles; p++) {
		size_t w = width(m->profiles[p]->name) + 2;
		cell_pad(out, m->profiles[p]->name, p + 1 < m->nprofiles ? (w < 9 ? 9 : w) : 0, NULL);
	}
	putc('\n', out);
	for (size_t s = 0; s < m->nshares; s++) {
		char *label = share_label(m->shares[s]);
		fprintf(out, "  ");
		cell_pad(out, label, w0 + 2, NULL);
		free(label);
		for (size_t p = 0; p < m->nprofiles; p++) {
			const struct matrix_cell *c = &m->cells[s * m->nprofiles + p];
			size_t w = width(m->profiles[p]->name) + 2;
			char *t = cell_text(c, c->verdict.ok ? 0 : ++fn);
			cell_pad(out, t, p + 1 < m->nprofiles ? (w < 9 ? 9 : w) : 0,
			    !color ? NULL : c->verdict.ok ? (c->verdict.guest_only ? C_MAGENTA : C_GREEN) : C_RED);
			free(t);
		}
		putc('\n', out);
	}
	print_footnotes(out, m);
}

/* ---- the live probe's verdicts ------------------------------------------ */

static void probe_footnote(FILE *out, unsigned fn, const struct probe_result *p)
{
	struct sbuf b = {0};
	out_safe(&b, p->share, strlen(p->share));
	fprintf(out, "  [%u] [%s], %s: %s", fn, sbuf_str(&b), p->profile,
	    p->status_name != NULL ? p->status_name : "refused");
	if (p->windows_error != NULL) {
		sbuf_free(&b);
		out_safe(&b, p->windows_error, strlen(p->windows_error));
		fprintf(out, "\n      Windows: %s", sbuf_str(&b));
	}
	if (p->note != NULL) {
		sbuf_free(&b);
		out_safe(&b, p->note, strlen(p->note));
		fprintf(out, "\n      %s", sbuf_str(&b));
	}
	putc('\n', out);
	sbuf_free(&b);
}

static char *probe_cell(const struct probe_result *p, unsigned fn)
{
	if (!p->connected)
		return xasprintf("no [%u]", fn);
	return xasprintf("%s%s%s%s", p->guest ? "guest" : "yes", p->dialect[0] ? " " : "",
	    p->dialect, p->encrypted ? " enc" : p->signed_ ? " signed" : "");
}

/* Results are share-major: the profiles of one share follow each other. */
void out_text_probe(FILE *out, const struct report *r, bool color)
{
	size_t nprof = 0, nshares, w0 = width("share");
	unsigned fn = 0;

	while (nprof < r->nprobe && strcmp(r->probe[nprof].share, r->probe[0].share) == 0)
		nprof++;
	fputs("\n", out);
	put_colored(out, color, C_BOLD, "Live probe");
	fprintf(out, " of %s:\n", r->probe_target != NULL ? r->probe_target : "the server");
	if (nprof == 0) {
		fputs("  (no shares)\n", out);
		return;
	}
	nshares = r->nprobe / nprof;
	char **cells = xcalloc(nshares * nprof + 1, sizeof *cells), **labels = xcalloc(nshares + 1, sizeof *labels);
	size_t *w = xcalloc(nprof, sizeof *w);
	for (size_t s = 0; s < nshares; s++) {
		struct sbuf b = {0};
		sbuf_addc(&b, '[');
		out_safe(&b, r->probe[s * nprof].share, strlen(r->probe[s * nprof].share));
		sbuf_addc(&b, ']');
		labels[s] = sbuf_take(&b);
		w0 = width(labels[s]) > w0 ? width(labels[s]) : w0;
		for (size_t p = 0; p < nprof; p++) {
			const struct probe_result *res = &r->probe[s * nprof + p];
			cells[s * nprof + p] = probe_cell(res, res->connected ? 0 : ++fn);
			w[p] = width(cells[s * nprof + p]) > w[p] ? width(cells[s * nprof + p]) : w[p];
		}
	}
	fputs("  ", out);
	cell_pad(out, "share", w0 + 2, NULL);
	for (size_t p = 0; p < nprof; p++) {
		size_t cw = (width(r->probe[p].profile) > w[p] ? width(r->probe[p].profile) : w[p]) + 2;
		w[p] = cw;
		cell_pad(out, r->probe[p].profile, p + 1 < nprof ? cw : 0, NULL);
	}
	putc('\n', out);
	for (size_t s = 0; s < nshares; s++) {
		fputs("  ", out);
		cell_pad(out, labels[s], w0 + 2, NULL);
		for (size_t p = 0; p < nprof; p++)
			cell_pad(out, cells[s * nprof + p], p + 1 < nprof ? w[p] : 0,
			    !color ? NULL : r->probe[s * nprof + p].connected ? C_GREEN : C_RED);
		putc('\n', out);
		free(labels[s]);
	}
	for (size_t i = 0; i < nshares * nprof; i++)
		free(cells[i]);
	free(cells);
	free(labels);
	free(w);
	fn = 0;
	for (size_t i = 0; i < r->nprobe; i++)
		if (!r->probe[i].connected)
			probe_footnote(out, ++fn, &r->probe[i]);
}
