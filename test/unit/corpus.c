/* corpus.c - every file of the shared corpus, for the unit tests that run over all of them. */
#include <check.h>
#include <dirent.h>
#include <stdlib.h>

#include "corpus.h"
#include "util.h"

int corpus_each(void (*fn)(const char *path, const unsigned char *data, size_t len, void *ctx), void *ctx)
{
	const char *dir = getenv("SMBLINT_CORPUS");
	if (dir == NULL)
		dir = "../shared/corpus/real";
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "corpus %s missing (set SMBLINT_CORPUS)", dir);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		unsigned char *data;
		size_t len;
		char *err = NULL;
		ck_assert_msg(read_file(path, 1u << 30, &data, &len, &err) == 0, "%s: %s", path, err);
		fn(path, data, len, ctx);
		free(data);
		free(path);
		files++;
	}
	closedir(d);
	return files;
}
