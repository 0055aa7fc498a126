/* out_github.c - GitHub Actions workflow commands: annotations on the changed files. */
#include <stdlib.h>
#include <string.h>

#include "output.h"

static const char *gh_level(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "notice";
}

/*
 * The runner splits a command at "::" and its properties at ',', and reads
 * %XX escapes: data needs % CR LF escaped, properties also ':' and ','.
 * Other controls but tab become U+FFFD, as do bytes that are not UTF-8.
 */
enum { GH_DATA = 1, GH_PROPERTY = 2, GH_HIGH = 4 };

static unsigned char gh_class[256];

static void gh_classes(void)
{
	for (unsigned c = 0; c < 256; c++) {
		unsigned char k = 0;
		if ((c < 0x20 && c != '\t') || c == '%')
			k = GH_DATA | GH_PROPERTY;
		else if (c == ':' || c == ',')
			k = GH_PROPERTY;
		else if (c >= 0x80)
			k = GH_HIGH;
		gh_class[c] = k;
	}
}

static void gh_escape(struct obuf *b, struct sbuf *tmp, const char *str, bool property)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0, run = 0;
	unsigned char want = property ? GH_PROPERTY : GH_DATA;

	for (size_t k = 0; k < n; k++)
		if (gh_class[s[k]] & GH_HIGH) {
			/* Rare: make it valid UTF-8 first (bad bytes become U+FFFD). */
			tmp->len = 0;
			sbuf_add_utf8_safe(tmp, str, n);
			s = (const unsigned char *)tmp->s;
			n = tmp->len;
			break;
		}
	while (i < n) {
		while (i < n && !(gh_class[s[i]] & want))
			i++;
		ob_write(b, s + run, i - run);
		if (i == n)
			break;
		switch (s[i]) {
		case '%': ob_lit(b, "%25"); break;
		case '\r': ob_lit(b, "%0D"); break;
		case '\n': ob_lit(b, "%0A"); break;
		case ':': ob_lit(b, "%3A"); break;
		case ',': ob_lit(b, "%2C"); break;
		default: ob_lit(b, "\xef\xbf\xbd"); break;
		}
		run = ++i;
	}
}

void out_github(const struct report *r, const struct out_opts *o)
{
	struct obuf *b = xmalloc(sizeof *b);
	struct sbuf tmp = {0};

	gh_classes();
	ob_init(b, o->out);
	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++) {
			const struct finding *f = &r->lints[i]->findings[k];
			if (!out_shown(o, f))
				continue;
			ob_lit(b, "::");
			ob_puts(b, gh_level(f->severity));
			ob_lit(b, " file=");
			gh_escape(b, &tmp, finding_path(f), true);
			if (f->line > 0) {
				ob_lit(b, ",line=");
				ob_uint(b, f->line);
				ob_lit(b, ",col=");
				ob_uint(b, f->col);
			}
			if (f->rule != NULL) {
				/* A space cannot join or split UTF-8 sequences: the parts are escaped one by one. */
				ob_lit(b, ",title=");
				gh_escape(b, &tmp, f->rule->code, true);
				ob_putc(b, ' ');
				gh_escape(b, &tmp, f->rule->name, true);
			}
			ob_lit(b, "::");
			gh_escape(b, &tmp, f->message, false);
			if (f->note != NULL) {
				ob_lit(b, "%0A");
				gh_escape(b, &tmp, f->note, false);
			}
			ob_putc(b, '\n');
		}
	ob_flush(b);
	free(b);
	sbuf_free(&tmp);
}
