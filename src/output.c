/* output.c - what every format shares: the JSON writer, safe text, the summary and the matrix. */
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* ---- JSON -------------------------------------------------------------- */

void json_init(struct json *j, FILE *out, bool pretty)
{
	memset(j, 0, sizeof *j);
	j->out = out;
	j->pretty = pretty;
}

static void json_indent(struct json *j)
{
	if (!j->pretty)
		return;
	putc('\n', j->out);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* Called before every value and every key: the comma and the line break. */
static void json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	if (j->nonempty[j->depth])
		putc(',', j->out);
	j->nonempty[j->depth] = true;
	json_indent(j);
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	putc(c, j->out);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->nonempty[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	bool had = j->nonempty[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (had)
		json_indent(j);
	putc(c, j->out);
}

void json_obj(struct json *j) { json_open(j, '{'); }
void json_end_obj(struct json *j) { json_close(j, '}'); }
void json_arr(struct json *j) { json_open(j, '['); }
void json_end_arr(struct json *j) { json_close(j, ']'); }

static void json_quote(FILE *out, const char *s, size_t n)
{
	struct sbuf b = {0};
	sbuf_add_utf8_safe(&b, s, n);
	putc('"', out);
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.s[i];
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\u%04x", c);
			else
				putc(c, out);
		}
	}
	putc('"', out);
	sbuf_free(&b);
}

void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_quote(j->out, key, strlen(key));
	fputs(j->pretty ? ": " : ":", j->out);
	j->after_key = true;
}

void json_strn(struct json *j, const char *s, size_t n)
{
	json_sep(j);
	json_quote(j->out, s, n);
}

void json_str(struct json *j, const char *s)
{
	if (s == NULL)
		json_null(j);
	else
		json_strn(j, s, strlen(s));
}

void json_int(struct json *j, long long v)
{
	json_sep(j);
	fprintf(j->out, "%lld", v);
}

void json_bool(struct json *j, bool v)
{
	json_sep(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	json_sep(j);
	fputs("null", j->out);
}

void json_kstr(struct json *j, const char *key, const char *s) { json_key(j, key); json_str(j, s); }
void json_kint(struct json *j, const char *key, long long v) { json_key(j, key); json_int(j, v); }
void json_kbool(struct json *j, const char *key, bool v) { json_key(j, key); json_bool(j, v); }

void json_done(struct json *j)
{
	putc('\n', j->out);
}

/* ---- text that is safe to print --------------------------------------- */

void out_safe(struct sbuf *b, const char *s, size_t n)
{
	size_t plain = 0;
	while (plain < n && (((unsigned char)s[plain] >= 0x20 && (unsigned char)s[plain] < 0x7f) || s[plain] == '\t'))
		plain++;
	if (plain == n) {   /* printable ASCII, the usual case: nothing to replace */
		sbuf_add(b, s, n);
		return;
	}
	struct sbuf u = {0};
	sbuf_add_utf8_safe(&u, s, n);
	for (size_t i = 0; i < u.len; i++) {
		unsigned char c = (unsigned char)u.s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			sbuf_add(b, "\xef\xbf\xbd", 3);
		else if (c == 0xc2 && i + 1 < u.len && (unsigned char)u.s[i + 1] < 0xa0) {
			/* C1 controls (U+0080..U+009F) can also start terminal sequences. */
			sbuf_add(b, "\xef\xbf\xbd", 3);
			i++;
		} else
			sbuf_addc(b, (char)c);
	}
	sbuf_free(&u);
}

/* ---- findings ---------------------------------------------------------- */

bool out_shown(const struct out_opts *o, const struct finding *f)
{
	return !f->suppressed && f->severity != SEV_NONE && f->severity >= o->show;
}

bool finding_fixable(const struct finding *f)
{
	return f->rule != NULL && f->rule->fix == FIX_SAFE && f->nedits > 0;
}

const char *finding_path(const struct finding *f)
{
	return f->file != NULL ? f->file->display : "-";
}

void out_summary(const struct report *r, const struct out_opts *o, struct summary *s)
{
	memset(s, 0, sizeof *s);
	s->files = r->nlints;
	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++) {
			const struct finding *f = &r->lints[i]->findings[k];
			if (f->suppressed)
				s->suppressed++;
			else if (!out_shown(o, f))
				s->hidden++;
			else {
				s->count[f->severity]++;
				s->fixable += finding_fixable(f);
				s->unsafe_fixable += f->rule != NULL && f->rule->fix == FIX_UNSAFE && f->nedits > 0;
			}
		}
}

unsigned out_char_col(struct srcfile *f, size_t off, unsigned *line)
{
	unsigned l, c, chars = 1;
	src_pos(f, off, &l, &c);
	for (size_t p = off - (c - 1); p < off; p++)
		if ((f->data[p] & 0xc0) != 0x80)
			chars++;
	*line = l;
	return chars;
}

char *samba_ver_str(samba_ver v)
{
	if (v % 100)
		return xasprintf("%u.%u.%u", v / 10000, v / 100 % 100, v % 100);
	return xasprintf("%u.%u", v / 10000, v / 100 % 100);
}

int out_write(enum out_format fmt, const struct report *r, const struct out_opts *o)
{
	switch (fmt) {
	case FMT_TEXT: out_text(r, o); break;
	case FMT_GCC: out_gcc(r, o); break;
	case FMT_JSON: out_json(r, o); break;
	case FMT_SARIF: out_sarif(r, o); break;
	case FMT_GITHUB: out_github(r, o); break;
	case FMT_CODECLIMATE: out_codeclimate(r, o); break;
	}
	if (fflush(o->out) != 0 || ferror(o->out))
		return -1;
	return 0;
}

/* ---- the client matrix -------------------------------------------------- */

void matrix_build(struct matrix *m, const struct config *cfg, unsigned clients, samba_ver v)
{
	memset(m, 0, sizeof *m);
	m->cfg = cfg;
	m->shares = xcalloc(cfg->nsections, sizeof *m->shares);
	for (size_t i = 0; i < cfg->nsections; i++)
		if (!cfg->sections[i]->global && !cfg->sections[i]->hidden)
			m->shares[m->nshares++] = cfg->sections[i];
	m->profiles = xcalloc(client_profile_count, sizeof *m->profiles);
	for (size_t i = 0; i < client_profile_count; i++)
		if (client_profiles[i].bit & clients)
			m->profiles[m->nprofiles++] = &client_profiles[i];
	m->cells = xcalloc(m->nshares * m->nprofiles + 1, sizeof *m->cells);
	for (size_t s = 0; s < m->nshares; s++)
		for (size_t p = 0; p < m->nprofiles; p++) {
			struct matrix_cell *c = &m->cells[s * m->nprofiles + p];
			c->share = m->shares[s];
			c->profile = m->profiles[p];
			client_verdict(cfg, m->shares[s], m->profiles[p], v, &c->verdict);
		}
}

void matrix_free(struct matrix *m)
{
	for (size_t i = 0; i < m->nshares * m->nprofiles; i++)
		client_verdict_free(&m->cells[i].verdict);
	free(m->cells);
	free(m->shares);
	free(m->profiles);
	memset(m, 0, sizeof *m);
}
