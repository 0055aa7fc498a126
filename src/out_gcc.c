/* out_gcc.c - one line per finding, the way gcc prints diagnostics (editors and CI parse it). */
#include <string.h>

#include "output.h"

/* gcc, vim's errorformat and Emacs' compilation mode know "note", not "info". */
static const char *gcc_severity(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

void out_gcc(const struct report *r, const struct out_opts *o)
{
	struct sbuf b = {0};

	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++) {
			const struct finding *f = &r->lints[i]->findings[k];
			if (!out_shown(o, f))
				continue;
			b.len = 0;
			out_safe(&b, finding_path(f), strlen(finding_path(f)));
			if (f->line > 0)
				sbuf_addf(&b, ":%u:%u", f->line, f->col);
			sbuf_addf(&b, ": %s: ", gcc_severity(f->severity));
			out_safe(&b, f->message, strlen(f->message));
			if (f->rule != NULL)
				sbuf_addf(&b, " [%s]", f->rule->code);
			fprintf(o->out, "%s\n", sbuf_str(&b));
		}
	sbuf_free(&b);
}
