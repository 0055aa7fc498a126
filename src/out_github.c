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
 */
static void gh_escape(struct sbuf *b, const char *s, bool property)
{
	struct sbuf safe = {0};
	sbuf_add_utf8_safe(&safe, s, strlen(s));
	for (size_t i = 0; i < safe.len; i++) {
		char c = safe.s[i];
		if (c == '%')
			sbuf_adds(b, "%25");
		else if (c == '\r')
			sbuf_adds(b, "%0D");
		else if (c == '\n')
			sbuf_adds(b, "%0A");
		else if (property && c == ':')
			sbuf_adds(b, "%3A");
		else if (property && c == ',')
			sbuf_adds(b, "%2C");
		else if ((unsigned char)c < 0x20 && c != '\t')
			sbuf_adds(b, "\xef\xbf\xbd");
		else
			sbuf_addc(b, c);
	}
	sbuf_free(&safe);
}

void out_github(const struct report *r, const struct out_opts *o)
{
	struct sbuf b = {0};

	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++) {
			const struct finding *f = &r->lints[i]->findings[k];
			if (!out_shown(o, f))
				continue;
			b.len = 0;
			sbuf_addf(&b, "::%s file=", gh_level(f->severity));
			gh_escape(&b, finding_path(f), true);
			if (f->line > 0)
				sbuf_addf(&b, ",line=%u,col=%u", f->line, f->col);
			if (f->rule != NULL) {
				char *title = xasprintf("%s %s", f->rule->code, f->rule->name);
				sbuf_adds(&b, ",title=");
				gh_escape(&b, title, true);
				free(title);
			}
			sbuf_adds(&b, "::");
			gh_escape(&b, f->message, false);
			if (f->note != NULL) {
				sbuf_adds(&b, "%0A");
				gh_escape(&b, f->note, false);
			}
			fprintf(o->out, "%s\n", sbuf_str(&b));
		}
	sbuf_free(&b);
}
