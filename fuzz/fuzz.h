/* fuzz.h - what every harness shares: the libFuzzer entry points and an assertion that survives NDEBUG. */
#ifndef SMBLINT_FUZZ_H
#define SMBLINT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#endif
