/* fuzz_lint.c - libFuzzer harness: load, lint, then every output format; JSON and SARIF must be valid UTF-8 JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "fuzz.h"
#include "jsoncheck.h"
#include "lint.h"
#include "output.h"

/* Relative includes find the fixed files of fuzz_include_root(). */
static struct config_opts fuzz_copts = { .follow_includes = true };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_copts.include_root = fuzz_include_root();
	return 0;
}

/* Options picked from a hash of the input, so a crash replays with the same ones. */
static void pick_opts(const uint8_t *d, size_t n, struct lint_opts *o)
{
	static const samba_ver vers[] = { 0, 40000, 40900, 41100, 41300, 41500, 41700, 42000 };
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ d[i]) * 16777619u;
	o->clients = (h & 1) ? CL_DEFAULT : (h >> 1) & 0x7f;
	if (o->clients == 0)
		o->clients = CL_DEFAULT;
	o->samba = vers[(h >> 8) % (sizeof vers / sizeof vers[0])];
	o->unsafe_fixes = (h >> 12) & 1;
	/* the rules that look users, groups and folders up on this machine (SL1031, SL1032, SL1039) */
	o->host_checks = (h >> 13) & 1 ? 1 : -1;
	o->no_programs = true;   /* no smbd -b per input */
}

static void check_findings(const struct config *c, const struct lint *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->findings[i];
		FUZZ_ASSERT(f->rule != NULL && f->message != NULL && f->file != NULL);
		FUZZ_ASSERT(f->off <= f->file->len && f->line >= 1 && f->col >= 1);
		bool known = false;
		for (size_t k = 0; k < c->nfiles; k++)
			known |= c->files[k] == f->file;
		FUZZ_ASSERT(known);
		for (size_t k = 0; k < f->nedits; k++) {
			const struct edit *e = &f->edits[k];
			FUZZ_ASSERT(e->file != NULL && e->text != NULL);
			FUZZ_ASSERT(e->start <= e->end && e->end <= e->file->len);
		}
	}
}

/* Writes the report in fmt to memory; JSON formats must parse. */
static void write_format(const struct report *r, enum out_format fmt, bool color, bool quiet)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	FUZZ_ASSERT(m != NULL);
	struct out_opts o = { .out = m, .color = color, .quiet = quiet, .show = SEV_INFO };
	FUZZ_ASSERT(out_write(fmt, r, &o) == 0);
	fclose(m);
	if ((fmt == FMT_JSON || fmt == FMT_SARIF) && !json_valid(buf, len)) {
		fprintf(stderr, "fuzz_lint: format %d wrote invalid JSON:\n%.*s\n", (int)fmt, (int)(len > 4000 ? 4000 : len), buf);
		abort();
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lint_opts lo = {0};
	pick_opts(data, size, &lo);
	struct config *c = config_load_mem("fuzz.conf", fuzz_copy(data, size), size, &fuzz_copts);
	FUZZ_ASSERT(c != NULL);
	struct lint l = { .cfg = c, .opts = &lo };
	lint_run(&l);
	check_findings(c, &l);

	struct matrix mx;
	matrix_build(&mx, c, lo.clients, lo.samba);
	struct lint *lints[] = { &l };
	struct report r = { .lints = lints, .nlints = 1, .matrices = &mx, .nmatrices = 1,
		.clients = lo.clients, .samba = lo.samba };
	write_format(&r, FMT_JSON, false, false);
	write_format(&r, FMT_SARIF, false, false);
	write_format(&r, FMT_TEXT, true, false);
	write_format(&r, FMT_GCC, false, true);
	write_format(&r, FMT_GITHUB, false, false);

	matrix_free(&mx);
	lint_free(&l);
	config_free(c);
	return 0;
}
