/* fuzz_config.c - libFuzzer harness: any bytes load as a configuration that holds together and prints. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"

/* Relative includes find the fixed files of fuzz_include_root(). */
static struct config_opts fuzz_copts = { .follow_includes = true };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_copts.include_root = fuzz_include_root();
	return 0;
}

/* What config.h promises about every configuration, whatever the bytes. */
static void check_config(const struct config *c)
{
	FUZZ_ASSERT(c->nfiles >= 1 && c->files[0] != NULL);
	FUZZ_ASSERT(c->nsections >= 1 && c->sections[0]->global);
	FUZZ_ASSERT(config_global(c) == c->sections[0]);
	for (size_t i = 0; i < c->nsections; i++) {
		const struct section *s = c->sections[i];
		FUZZ_ASSERT(s->name != NULL && s->order == i);
		FUZZ_ASSERT(i == 0 || !s->global);
		/*
		 * A share is found again by its own name: itself, or another share
		 * of that very name (Samba keys names through the unix charset its
		 * handle has at the time, so after a charset change the same
		 * bytes can make a second share, as testparm 4.17 shows).
		 */
		if (i > 0) {
			const struct section *f = config_find(c, s->name);
			FUZZ_ASSERT(f == s || (f != NULL && strcmp(f->name, s->name) == 0));
		}
		for (size_t k = 0; k < s->nvals; k++) {
			FUZZ_ASSERT(s->vals[k].name != NULL && s->vals[k].canon != NULL);
			if (s->vals[k].param)
				FUZZ_ASSERT(config_lookup(c, s, s->vals[k].param) != NULL);
		}
		/* Every value in effect, defaults included, can be asked for. */
		for (size_t p = 0; p < param_count; p += 7) {
			const struct param *pp = &param_table[p];
			(void)config_lookup(c, s, pp);
			(void)config_str(c, s, pp, 0);
		}
	}
	for (size_t i = 0; i < c->nassigns; i++) {
		const struct assign *a = &c->assigns[i];
		FUZZ_ASSERT(a->file != NULL && a->node != NULL && a->section != NULL);
		FUZZ_ASSERT(a->node->kind == NODE_PARAM && a->node->end <= a->file->len);
		FUZZ_ASSERT(a->name != NULL);
		if (a->status == AS_INVALID)
			FUZZ_ASSERT(c->fatal_reason != NULL);
	}
	if (c->load_failed)
		FUZZ_ASSERT(c->fatal_reason != NULL);
}

/* A made-up passwd database for the home shares of `auto services`: short names starting with a letter are users. */
static char *fuzz_home(const char *user)
{
	size_t n = strlen(user);
	if (n == 0 || n > 8 || !((user[0] >= 'a' && user[0] <= 'z') || (user[0] >= 'A' && user[0] <= 'Z')))
		return NULL;
	char *d = malloc(n + 7);
	FUZZ_ASSERT(d != NULL);
	memcpy(d, "/home/", 6);
	memcpy(d + 6, user, n + 1);
	return d;
}

/* The configuration printed with origins, loaded with large files parsed on a thread from `stream_min` bytes. */
static char *load_and_print(const uint8_t *data, size_t size, size_t stream_min)
{
	size_t saved = tree_stream_min;
	tree_stream_min = stream_min;
	struct config *c = config_load_mem("fuzz.conf", fuzz_copy(data, size), size, &fuzz_copts);
	tree_stream_min = saved;
	FUZZ_ASSERT(c != NULL);
	check_config(c);
	config_add_homes(c, fuzz_home);
	for (size_t i = 0; i < c->nhomes; i++)
		FUZZ_ASSERT(config_find(c, c->homes[i].name) == NULL || config_find(c, c->homes[i].name)->global);

	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	FUZZ_ASSERT(m != NULL);
	config_print(c, m, false);
	config_print(c, m, true);
	fclose(m);
	config_free(c);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* parsed on this thread, then on a thread of its own while loaded: the same configuration */
	char *serial = load_and_print(data, size, SIZE_MAX);
	char *streamed = load_and_print(data, size, 1);
	FUZZ_ASSERT(strcmp(serial, streamed) == 0);
	free(serial);
	free(streamed);
	return 0;
}
