/* fuzz.h - what every harness shares: the libFuzzer entry points and an assertion that survives NDEBUG. */
#ifndef SMBLINT_FUZZ_H
#define SMBLINT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken invariant is a crash: libFuzzer saves the input, the replay fails. */
#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* A NUL-terminated heap copy of the input, as src_new and config_load_mem want. */
static inline unsigned char *fuzz_copy(const uint8_t *data, size_t size)
{
	unsigned char *d = xmalloc(size + 1);
	if (size)
		memcpy(d, data, size);
	d[size] = '\0';
	return d;
}

/*
 * A folder with a few fixed files for relative `include =` lines to find
 * (a.conf a share, b.conf including a.conf, loop.conf including itself), so
 * the include paths run without depending on this machine's files.  Made
 * once per process, removed at exit.
 */
static char fuzz_root[64];

static void fuzz_root_remove(void)
{
	static const char *const names[] = { "a.conf", "b.conf", "loop.conf" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *p = xasprintf("%s/%s", fuzz_root, names[i]);
		unlink(p);
		free(p);
	}
	rmdir(fuzz_root);
}

static inline const char *fuzz_include_root(void)
{
	static const char *const files[][2] = {
		{ "a.conf", "[inc]\n\tpath = /srv/inc\n\tguest ok = yes\n\tread only = no\n" },
		{ "b.conf", "map to guest = bad user\ninclude = a.conf\n" },
		{ "loop.conf", "[loop]\ninclude = loop.conf\n" },
	};
	if (fuzz_root[0])
		return fuzz_root;
	snprintf(fuzz_root, sizeof fuzz_root, "/tmp/smblint-fuzz.XXXXXX");
	FUZZ_ASSERT(mkdtemp(fuzz_root) != NULL);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *p = xasprintf("%s/%s", fuzz_root, files[i][0]);
		FILE *f = fopen(p, "w");
		FUZZ_ASSERT(f != NULL);
		fputs(files[i][1], f);
		fclose(f);
		free(p);
	}
	atexit(fuzz_root_remove);
	return fuzz_root;
}

#endif
