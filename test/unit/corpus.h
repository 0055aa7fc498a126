/* corpus.h - every file of the shared corpus, for the unit tests that run over all of them. */
#ifndef SMBLINT_TEST_CORPUS_H
#define SMBLINT_TEST_CORPUS_H

#include <stddef.h>

/*
 * Calls fn(path, bytes, length, ctx) for each file of the corpus
 * (SMBLINT_CORPUS, default ../shared/corpus/real; the bytes are
 * NUL-terminated and freed after the call) and returns how many there
 * were.  A missing corpus fails the test.
 */
int corpus_each(void (*fn)(const char *path, const unsigned char *data, size_t len, void *ctx), void *ctx);

#endif
