/* out_gcc.c - one line per finding, the way gcc prints diagnostics (editors and CI parse it). */
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* gcc, vim's errorformat and Emacs' compilation mode know "note", not "info". */
static const char *gcc_severity(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

void out_gcc(const struct report *r, const struct out_opts *o)
{
	struct obuf *b = xmalloc(sizeof *b);

	ob_init(b, o->out);
	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++) {
			const struct finding *f = &r->lints[i]->findings[k];
			if (!out_shown(o, f))
				continue;
			const char *path = finding_path(f);
			ob_safe(b, path, strlen(path));
			if (f->line > 0) {
				ob_putc(b, ':');
				ob_uint(b, f->line);
				ob_putc(b, ':');
				ob_uint(b, f->col);
			}
			ob_lit(b, ": ");
			ob_puts(b, gcc_severity(f->severity));
			ob_lit(b, ": ");
			ob_safe(b, f->message, strlen(f->message));
			if (f->rule != NULL) {
				ob_lit(b, " [");
				ob_puts(b, f->rule->code);
				ob_putc(b, ']');
			}
			ob_putc(b, '\n');
		}
	ob_flush(b);
	free(b);
}
