/* replay.c - a main() for the harnesses without libFuzzer: runs every file named (or in a directory named) once.
 *
 * Usage: replay-HARNESS PATH...   Prints one line per input when SMBLINT_REPLAY_VERBOSE
 * is set, and "replay: N inputs" at the end.  A harness that finds a broken
 * invariant aborts, so the exit status says whether every input passed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t run_file(const char *path)
{
	unsigned char *data;
	size_t len;
	char *err;

	/* The corpus may hold big files: allow up to 64 MiB. */
	if (read_file(path, 64u << 20, &data, &len, &err) != 0) {
		fprintf(stderr, "replay: %s\n", err);
		exit(2);
	}
	if (getenv("SMBLINT_REPLAY_VERBOSE"))
		fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 1;
}

static size_t run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, runs = 0;
	struct dirent *e;

	if (d == NULL) {
		perror(dir);
		exit(2);
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			runs += run_file(names[i]);
		free(names[i]);
	}
	free(names);
	return runs;
}

int main(int argc, char **argv)
{
	size_t runs = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			runs += run_dir(argv[i]);
		else
			runs += run_file(argv[i]);
	}
	printf("replay: %zu inputs\n", runs);
	return 0;
}
