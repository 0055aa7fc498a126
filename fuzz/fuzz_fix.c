/* fuzz_fix.c - libFuzzer harness: the fixer's result loads again and is a fixed point (fixing it changes nothing). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fix.h"
#include "fuzz.h"
#include "lint.h"

/* Relative includes find the fixed files of fuzz_include_root(). */
static struct config_opts fuzz_copts = { .follow_includes = true };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The fixer's testparm check would fork a process per input. */
	setenv("SMBLINT_TESTPARM", "none", 1);
	fuzz_copts.include_root = fuzz_include_root();
	return 0;
}

/*
 * Loads data, lints it and runs the fixer with its output in memory.
 * Returns the fixer's exit status; *out gets the bytes it wrote (the fixed
 * file), *changed whether it changed anything.
 */
static int fix_bytes(const unsigned char *data, size_t size, bool unsafe, char **out, size_t *outlen, bool *changed)
{
	struct lint_opts lo = { .clients = CL_DEFAULT, .unsafe_fixes = unsafe };
	unsigned char *copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	struct config *c = config_load_mem("fuzz.conf", copy, size, &fuzz_copts);
	FUZZ_ASSERT(c != NULL);
	struct lint l = { .cfg = c, .opts = &lo };
	lint_run(&l);

	char *errbuf = NULL;
	size_t errlen = 0;
	FILE *m = open_memstream(out, outlen), *e = open_memstream(&errbuf, &errlen);
	FUZZ_ASSERT(m != NULL && e != NULL);
	struct fix_opts fo = {
		.mode = FIXMODE_FIX, .output = "-", .unsafe = unsafe, .no_backup = true,
		.threshold = SEV_INFO, .fail_on = SEV_NONE, .copts = &fuzz_copts,
		.out = m, .err = e, .quiet = true,
	};
	struct fix_result res = {0};
	int rc = fix_apply(c, &l, &fo, &res);
	fclose(m);
	fclose(e);
	FUZZ_ASSERT(rc >= 0 && rc <= 2);
	*changed = res.changed;
	if (getenv("FUZZ_FIX_VERBOSE") && errlen)
		fprintf(stderr, "fix: %.*s", (int)errlen, errbuf);
	free(errbuf);
	fix_result_free(&res);
	lint_free(&l);
	config_free(c);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool unsafe = size && (data[size - 1] & 1);
	char *once = NULL, *twice = NULL;
	size_t n1 = 0, n2 = 0;
	bool ch1, ch2;

	int rc = fix_bytes(data, size, unsafe, &once, &n1, &ch1);
	if (rc != 2) {
		/* The output is the whole fixed file (the input itself when nothing changed). */
		if (!ch1)
			FUZZ_ASSERT(n1 == size && memcmp(once, data, size) == 0);
		int rc2 = fix_bytes((const unsigned char *)once, n1, unsafe, &twice, &n2, &ch2);
		if (rc2 == 2 || ch2 || n2 != n1 || memcmp(once, twice, n1) != 0) {
			fprintf(stderr, "fuzz_fix: not a fixed point (second run: exit %d, changed %d)\n"
			    "--- first result:\n%.*s\n--- second result:\n%.*s\n",
			    rc2, ch2, (int)n1, once, (int)n2, twice ? twice : "");
			abort();
		}
	}
	free(once);
	free(twice);
	return 0;
}
