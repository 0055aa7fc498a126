/* safewrite.c - atomic replacement of a file: temp file, same attributes, fsync, check, rename. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "safewrite.h"
#include "util.h"

/* A temporary file being prepared next to its final name. */
struct tmpfile {
	char *path;
	int fd;
};

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static bool xattr_ignorable(int e)
{
	return e == ENOTSUP || e == EOPNOTSUPP;
}

/* Copies every extended attribute (ACLs included) of src to dst. */
static int copy_xattrs(int src, int dst, const char *name, char **err)
{
	ssize_t n = flistxattr(src, NULL, 0);
	if (n < 0) {
		if (xattr_ignorable(errno))
			return 0;
		*err = xasprintf("%s: cannot list extended attributes: %s", name, strerror(errno));
		return -1;
	}
	if (n == 0)
		return 0;
	char *list = xmalloc((size_t)n);
	n = flistxattr(src, list, (size_t)n);
	int rc = 0;
	for (ssize_t i = 0; n > 0 && i < n && rc == 0; i += (ssize_t)strlen(list + i) + 1) {
		const char *key = list + i;
		ssize_t vn = fgetxattr(src, key, NULL, 0);
		if (vn < 0)
			continue;  /* vanished or unreadable to us: nothing we could copy */
		char *val = xmalloc((size_t)vn + 1);
		vn = fgetxattr(src, key, val, (size_t)vn);
		if (vn >= 0 && fsetxattr(dst, key, val, (size_t)vn, 0) != 0 && !xattr_ignorable(errno)) {
			*err = xasprintf("%s: cannot copy extended attribute %s: %s", name, key, strerror(errno));
			rc = -1;
		}
		free(val);
	}
	if (n < 0 && !xattr_ignorable(errno)) {
		*err = xasprintf("%s: cannot list extended attributes: %s", name, strerror(errno));
		rc = -1;
	}
	free(list);
	return rc;
}

/*
 * Creates dir/.BASE.smblint-XXXXXX holding data, with the attributes of
 * `like` (NULL: 0666 & ~umask) and the extended attributes of attr_fd (-1:
 * none), synced to disk and closed.
 */
static int tmp_prepare(struct tmpfile *t, const char *dir, const char *base, const unsigned char *data,
    size_t len, const struct stat *like, int attr_fd, const char *final, char **err)
{
	t->path = xasprintf("%s/.%s.smblint-XXXXXX", dir, base);
	t->fd = mkostemp(t->path, O_CLOEXEC);
	if (t->fd < 0) {
		*err = xasprintf("%s: cannot create a temporary file in %s: %s", final, dir, strerror(errno));
		free(t->path);
		t->path = NULL;
		return -1;
	}
	if (write_all(t->fd, data, len) != 0) {
		*err = xasprintf("%s: cannot write: %s", final, strerror(errno));
		return -1;
	}
	if (like != NULL) {
		/* Owner first: chown clears set-id bits that fchmod then restores. */
		if (geteuid() == 0) {
			if (fchown(t->fd, like->st_uid, like->st_gid) != 0) {
				*err = xasprintf("%s: cannot keep owner %lu:%lu: %s", final,
				    (unsigned long)like->st_uid, (unsigned long)like->st_gid, strerror(errno));
				return -1;
			}
		} else if (fchown(t->fd, (uid_t)-1, like->st_gid) != 0) {
			/* Not root: keeping the group works only when we belong to it; try, no more. */
		}
		if (fchmod(t->fd, like->st_mode & 07777) != 0) {
			*err = xasprintf("%s: cannot keep mode %04o: %s", final,
			    (unsigned)(like->st_mode & 07777), strerror(errno));
			return -1;
		}
	} else {
		mode_t mask = umask(0);
		umask(mask);
		if (fchmod(t->fd, 0666 & ~mask) != 0) {
			*err = xasprintf("%s: cannot set mode: %s", final, strerror(errno));
			return -1;
		}
	}
	if (attr_fd >= 0 && copy_xattrs(attr_fd, t->fd, final, err) != 0)
		return -1;
	if (fsync(t->fd) != 0) {
		*err = xasprintf("%s: cannot write: %s", final, strerror(errno));
		return -1;
	}
	int rc = close(t->fd);
	t->fd = -1;
	if (rc != 0) {
		*err = xasprintf("%s: cannot write: %s", final, strerror(errno));
		return -1;
	}
	return 0;
}

static void tmp_discard(struct tmpfile *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->path != NULL)
		unlink(t->path);
	free(t->path);
	t->path = NULL;
	t->fd = -1;
}

/* Tests only: lets a test change the file at the worst moment. */
static void test_hook(void)
{
	const char *cmd = getenv("SMBLINT_TEST_BEFORE_RENAME");
	if (cmd != NULL && *cmd != '\0') {
		fflush(NULL);
		if (system(cmd) != 0) {
			/* The hook's own failure is the test's business. */
		}
	}
}

/* Whether the file at real (still the inode *st) holds exactly expect. */
static int check_unchanged(const char *real, const struct stat *st, const struct safewrite_opts *o, char **err)
{
	struct stat now;
	unsigned char *cur;
	size_t curlen;
	char *rerr;

	if (stat(real, &now) != 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino) {
		*err = xasprintf("%s: the file was replaced since it was read; not written (run smblint again)", real);
		return -1;
	}
	if (o->expect == NULL)
		return 0;
	if (read_file(real, o->expect_len + 1, &cur, &curlen, &rerr) != 0) {
		*err = xasprintf("%s: changed since it was read; not written (%s)", real, rerr);
		free(rerr);
		return -1;
	}
	int same = curlen == o->expect_len && memcmp(cur, o->expect, curlen) == 0;
	free(cur);
	if (!same) {
		*err = xasprintf("%s: changed since it was read; not written (run smblint again)", real);
		return -1;
	}
	return 0;
}

/* Splits a path into its directory ("." for none) and last component. */
static void split_path(const char *p, char **dir, char **base)
{
	const char *slash = strrchr(p, '/');
	if (slash == NULL) {
		*dir = xstrdup(".");
		*base = xstrdup(p);
	} else {
		*dir = slash == p ? xstrdup("/") : xstrndup(p, (size_t)(slash - p));
		*base = xstrdup(slash + 1);
	}
}

/* Resolves path to the file to replace; *exists tells whether it is there. */
static char *resolve(const char *path, const struct safewrite_opts *o, struct stat *st, bool *exists, char **err)
{
	char *real = realpath(path, NULL);
	struct stat lst;

	*exists = false;
	if (real == NULL) {
		int e = errno;
		bool entry = lstat(path, &lst) == 0;
		if (e == ENOENT && o->create && !entry)
			return xstrdup(path);
		if (e == ENOENT && entry)
			*err = xasprintf("%s: a symbolic link to a missing file; not written", path);
		else
			*err = xasprintf("%s: %s", path, strerror(e));
		return NULL;
	}
	if (stat(real, st) != 0) {
		*err = xasprintf("%s: %s", real, strerror(errno));
		free(real);
		return NULL;
	}
	if (!S_ISREG(st->st_mode)) {
		*err = xasprintf("%s: not a regular file; not written", real);
		free(real);
		return NULL;
	}
	if (access(real, W_OK) != 0) {
		*err = xasprintf("%s: cannot write: %s", real, strerror(errno));
		free(real);
		return NULL;
	}
	*exists = true;
	return real;
}

static void fsync_dir(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		/* The rename is done; a directory that cannot be synced is not worth failing over. */
		(void)fsync(dfd);
		close(dfd);
	}
}

int safewrite(const char *path, const void *data, size_t len, const struct safewrite_opts *o,
    struct safewrite_result *res, char **err)
{
	struct tmpfile main_tmp = { NULL, -1 }, bak_tmp = { NULL, -1 };
	struct stat st;
	bool exists;
	char *dir = NULL, *base = NULL, *bak = NULL;
	int src = -1, rc = -1;

	*err = NULL;
	if (res != NULL)
		memset(res, 0, sizeof *res);
	char *real = resolve(path, o, &st, &exists, err);
	if (real == NULL)
		return -1;
	split_path(real, &dir, &base);
	if (exists && (src = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		*err = xasprintf("%s: cannot open: %s", real, strerror(errno));
		goto out;
	}
	if (tmp_prepare(&main_tmp, dir, base, data, len, exists ? &st : NULL, src, real, err) != 0)
		goto out;
	if (exists && o->backup && o->expect != NULL) {
		bak = xasprintf("%s%s", real, SAFEWRITE_BACKUP_SUFFIX);
		char *bbase = xasprintf("%s%s", base, SAFEWRITE_BACKUP_SUFFIX);
		int brc = tmp_prepare(&bak_tmp, dir, bbase, o->expect, o->expect_len, &st, src, bak, err);
		free(bbase);
		if (brc != 0)
			goto out;
	}
	test_hook();
	if (exists && check_unchanged(real, &st, o, err) != 0)
		goto out;
	if (bak_tmp.path != NULL) {
		if (rename(bak_tmp.path, bak) != 0) {
			*err = xasprintf("%s: cannot write the backup: %s", bak, strerror(errno));
			goto out;
		}
		free(bak_tmp.path);
		bak_tmp.path = NULL;
	}
	if (rename(main_tmp.path, real) != 0) {
		*err = xasprintf("%s: cannot replace: %s", real, strerror(errno));
		goto out;
	}
	free(main_tmp.path);
	main_tmp.path = NULL;
	fsync_dir(dir);
	rc = 0;
	if (res != NULL) {
		res->written = real;
		real = NULL;
		if (bak_tmp.path == NULL && bak != NULL) {
			res->backup = bak;
			bak = NULL;
		}
		if (exists && st.st_nlink > 1)
			res->warning = xasprintf("%s had %lu hard links; the other names keep the old contents",
			    res->written, (unsigned long)st.st_nlink);
	}
out:
	tmp_discard(&main_tmp);
	tmp_discard(&bak_tmp);
	if (src >= 0)
		close(src);
	free(real);
	free(dir);
	free(base);
	free(bak);
	return rc;
}

void safewrite_result_free(struct safewrite_result *res)
{
	if (res == NULL)
		return;
	free(res->written);
	free(res->backup);
	free(res->warning);
	memset(res, 0, sizeof *res);
}
