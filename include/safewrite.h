/* safewrite.h - replacing a file's contents atomically, keeping its mode, owner and attributes. */
#ifndef SMBLINT_SAFEWRITE_H
#define SMBLINT_SAFEWRITE_H

#include <stdbool.h>
#include <stddef.h>

struct safewrite_opts {
	/*
	 * The bytes the file must still hold right before it is replaced (what
	 * was read and fixed).  NULL: no check (an output file of -o).
	 */
	const unsigned char *expect;
	size_t expect_len;
	bool backup;    /* first keep `expect` in PATH.smblint.bak (same mode and owner) */
	bool create;    /* the file may be missing: it is created with 0666 & ~umask */
};

struct safewrite_result {
	char *written;  /* the path actually replaced (a symlink's target), malloc'ed */
	char *backup;   /* the backup's path, or NULL */
	char *warning;  /* one line worth telling (e.g. other hard links keep the old bytes), or NULL */
};

/*
 * Replaces the contents of `path` with data[0..len).  A symlink is followed
 * and its target replaced; the link stays.  The new bytes go to a temporary
 * file in the same directory (O_EXCL, 0600), which gets the original's mode,
 * owner and group (when running as root) and extended attributes (including
 * ACLs; ENOTSUP is ignored), is fsync'ed and renamed over the original; then
 * the directory is fsync'ed.  Right before the rename the file is read again
 * and compared with o->expect: a concurrent change refuses the write.
 *
 * Returns 0, or -1 with *err set to one line (caller frees); then the
 * original is untouched and no temporary file is left.  res (may be NULL) is
 * filled on success; free it with safewrite_result_free.
 *
 * Tests only: when SMBLINT_TEST_BEFORE_RENAME is set in the environment, it
 * is run with /bin/sh after the temporary file is complete and before the
 * comparison, to simulate a concurrent change deterministically.
 */
int safewrite(const char *path, const void *data, size_t len, const struct safewrite_opts *o,
    struct safewrite_result *res, char **err);
void safewrite_result_free(struct safewrite_result *res);

/* PATH.smblint.bak */
#define SAFEWRITE_BACKUP_SUFFIX ".smblint.bak"

#endif
