/* util.c - allocation, string buffers, Samba-style name folding, file reading. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static void oom(void)
{
	fputs("smblint: out of memory\n", stderr);
	exit(2);
}

/* Blocks this large are arrays sized for the whole input: fill them in one go (see prefault). */
#define PREFAULT_ALLOC ((size_t)256 << 10)

/* A transparent huge page (see bulk below). */
#define HUGE_ALLOC ((size_t)2 << 20)

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom();
	if (n >= PREFAULT_ALLOC)
		prefault(p, n);
	return p;
}

size_t arena_next_size(size_t prev, size_t first, size_t need)
{
	size_t cap = prev ? prev * 2 : first;
	if (cap > ((size_t)8 << 20))
		cap = (size_t)8 << 20;
	if (cap < first)
		cap = first;
	return need > cap ? need : cap;
}

void arena_grow(struct arena_block **a, size_t n, size_t first)
{
	size_t cap = arena_next_size(*a != NULL ? (*a)->cap : 0, first, n);
	struct arena_block *b = bulk_alloc(sizeof *b + cap);
	b->next = *a;
	b->used = 0;
	b->cap = cap;
	*a = b;
}

void arena_trim(struct arena_block *a)
{
	if (a != NULL) {
		bulk_shrink(a, sizeof *a + a->used);
		a->cap = a->used;
	}
}

void arena_release(struct arena_block *a)
{
	while (a != NULL) {
		struct arena_block *next = a->next;
		bulk_free(a);
		a = next;
	}
}

void *xmalloc_lazy(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom();
	if (size != 0 && n * size / size == n) {
		if (n * size >= PREFAULT_ALLOC)
			prefault(p, n * size);
		else if (n * size >= 8192)
			/*
			 * Hash tables are read (probed for a free slot) before they
			 * are written: fresh pages from calloc would first map the
			 * shared zero page, then be copied on the first write, with a
			 * TLB flush on every CPU the process runs on.  Writing them
			 * now makes each page one plain fault (through a volatile
			 * pointer: the compiler drops a memset of calloc'ed memory).
			 */
			for (size_t i = 0; i < n * size; i += 4096)
				((volatile char *)p)[i] = 0;
	}
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct sbuf b = {0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	b.s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return b.s;
}

static void sbuf_grow(struct sbuf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void sbuf_add(struct sbuf *b, const void *p, size_t n)
{
	sbuf_grow(b, n);
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sbuf_addc(struct sbuf *b, char c)
{
	sbuf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void sbuf_adds(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sbuf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *sbuf_str(struct sbuf *b)
{
	return b->s ? b->s : "";
}

char *sbuf_take(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void sbuf_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

bool fold_eq(const char *a, const char *b)
{
	for (;;) {
		while (*a && is_blank((unsigned char)*a))
			a++;
		while (*b && is_blank((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
}

char *fold_key(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	for (; *s; s++)
		if (!is_blank((unsigned char)*s))
			*o++ = (char)tolower((unsigned char)*s);
	*o = '\0';
	return out;
}

char *norm_blanks(const char *s)
{
	struct sbuf b = {0};
	while (*s && is_blank((unsigned char)*s))
		s++;
	for (; *s; s++) {
		if (is_blank((unsigned char)*s)) {
			while (s[1] && is_blank((unsigned char)s[1]))
				s++;
			if (s[1])
				sbuf_addc(&b, ' ');
		} else {
			sbuf_addc(&b, *s);
		}
	}
	return sbuf_take(&b);
}

static int read_file_to(const char *path, size_t max, unsigned char **data, size_t *len, char **err, bool big)
{
	struct sbuf b = {0};
	struct stat st;
	int fd;
	bool is_stdin = strcmp(path, "-") == 0;

	*data = NULL;
	*len = 0;
	*err = NULL;
	if (is_stdin) {
		fd = 0;
	} else {
		fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			*err = xasprintf("cannot open %s: %s", path, strerror(errno));
			return -1;
		}
		if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
			*err = xasprintf("%s: %s", path,
			    S_ISDIR(st.st_mode) ? "is a directory" :
			    S_ISFIFO(st.st_mode) ? "is a FIFO, not a regular file" :
			    "is not a regular file");
			close(fd);
			return -1;
		}
		if (fstat(fd, &st) == 0 && (unsigned long long)st.st_size > max) {
			*err = xasprintf("%s: file too large (%llu bytes; the limit is %zu)",
			    path, (unsigned long long)st.st_size, max);
			close(fd);
			return -1;
		}
		/* Regular file: blocking reads are fine from here on. */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		/*
		 * Read straight into a buffer of the file's size (plus its NUL):
		 * no copy, and no doubling that leaves a quarter of it untouched
		 * but mapped.  A file that grows meanwhile still reads whole below.
		 */
		size_t want = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size : 0;
		if (want > 0) {
			b.s = big ? bulk_alloc(want + 1) : xmalloc(want + 1);
			b.cap = want + 1;
			prefault(b.s, b.cap);
			while (b.len < want) {
				ssize_t n = read(fd, b.s + b.len, want - b.len);
				if (n < 0 && errno == EINTR)
					continue;
				if (n < 0) {
					*err = xasprintf("cannot read %s: %s", path, strerror(errno));
					goto fail;
				}
				if (n == 0)
					break;
				b.len += (size_t)n;
			}
			b.s[b.len] = '\0';
		}
	}
	for (;;) {
		char chunk[65536];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = xasprintf("cannot read %s: %s", is_stdin ? "standard input" : path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			*err = xasprintf("%s: input too large (the limit is %zu bytes)",
			    is_stdin ? "standard input" : path, max);
			goto fail;
		}
		if (bulk_owns(b.s)) {   /* the file grew while read: on to a buffer that can grow */
			char *m = xmalloc(b.cap);
			memcpy(m, b.s, b.len + 1);
			bulk_free(b.s);
			b.s = m;
		}
		sbuf_add(&b, chunk, (size_t)n);
	}
	if (!is_stdin)
		close(fd);
	*len = b.len;
	if (b.s == NULL)
		b.s = xcalloc(1, 1);
	*data = (unsigned char *)b.s;
	return 0;
fail:
	if (!is_stdin)
		close(fd);
	bulk_free(b.s);
	return -1;
}

int read_file(const char *path, size_t max, unsigned char **data, size_t *len, char **err)
{
	return read_file_to(path, max, data, len, err, false);
}

int read_file_big(const char *path, size_t max, unsigned char **data, size_t *len, char **err)
{
	return read_file_to(path, max, data, len, err, true);
}

void sbuf_add_utf8_safe(struct sbuf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t need;
		unsigned cp;
		if (c < 0x80) {
			size_t run = i + 1;
			while (run < n && s[run] < 0x80)
				run++;
			sbuf_add(b, s + i, run - i);
			i = run;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
		else goto bad;
		if (i + need >= n)
			goto bad;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			goto bad;
		sbuf_add(b, s + i, need + 1);
		i += need + 1;
		continue;
bad:
		sbuf_add(b, "\xef\xbf\xbd", 3);
		i++;
	}
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void util_remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ----------------------------------------------------------------- bulk */

/*
 * One reserved stretch of address space for the big blocks of a large
 * input (file bytes, tree nodes, arena blocks, the assignment array),
 * handed out by bumping a pointer.  The whole stretch is advised as
 * transparent huge pages: memory arrives 2 MiB per fault instead of
 * 4 KiB, and the blocks lie next to each other, so a 2 MB file costs a
 * dozen faults rather than thousands.  Space is handed out again only
 * when the most recent block is freed (the usual case for a loader that
 * frees what it made last); other freed blocks give their whole huge
 * pages back to the system.  Sanitizer builds keep malloc, so that every
 * block keeps its own bounds checks (under valgrind the blocks are marked
 * for memcheck instead).
 */
#define BULK_MIN ((size_t)256 << 10)          /* smaller requests: plain malloc */

/*
 * Under valgrind, bulk blocks are told apart as malloc's are: a new block
 * is undefined, its padding and a freed block are off limits, so memcheck
 * still sees reads of unset bytes, overruns and use after free.
 */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define VG_UNDEFINED(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define VG_DEFINED(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#define VG_NOACCESS(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#endif
#endif
#ifndef VG_UNDEFINED
#define VG_UNDEFINED(p, n) ((void)0)
#define VG_DEFINED(p, n) ((void)0)
#define VG_NOACCESS(p, n) ((void)0)
#endif
#define BULK_RESERVE ((size_t)4 << 30)        /* address space only; pages come when touched */

#define BULK_HOLES 32

static struct {
	char *base, *pos, *end;
	char *last;    /* start of the most recent block */
	bool tried;
	/* freed blocks (heads included) below pos, handed out again best fit first */
	struct { char *at; size_t len; } hole[BULK_HOLES];
	size_t nholes;
} bulk;
/* The tree parser may allocate from a second thread (see tree.c). */
static pthread_mutex_t bulk_lock = PTHREAD_MUTEX_INITIALIZER;

#if defined(__SANITIZE_ADDRESS__)
#define BULK_DISABLED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define BULK_DISABLED 1
#endif
#endif

static bool bulk_ready(void)
{
#ifdef BULK_DISABLED
	return false;
#else
	if (bulk.base != NULL)
		return true;
	if (bulk.tried)
		return false;
	bulk.tried = true;
	if (getenv("SMBLINT_NO_BULK") != NULL)
		return false;
	void *p = mmap(NULL, BULK_RESERVE + HUGE_ALLOC, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return false;
	char *a = (char *)(((uintptr_t)p + HUGE_ALLOC - 1) & ~(uintptr_t)(HUGE_ALLOC - 1));
#ifdef MADV_HUGEPAGE
	(void)madvise(a, BULK_RESERVE, MADV_HUGEPAGE);
#endif
	bulk.base = bulk.pos = a;
	bulk.end = a + BULK_RESERVE;
	return true;
#endif
}

bool bulk_owns(const void *p)
{
	return bulk.base != NULL && (const char *)p >= bulk.base && (const char *)p < bulk.end;
}

/* Each bulk block is preceded by BULK_HEAD bytes holding its size (keeping blocks 64-byte aligned). */
#define BULK_HEAD ((size_t)64)

static size_t *bulk_size(void *p)
{
	return (size_t *)(void *)((char *)p - BULK_HEAD);
}

static size_t bulk_get_size(void *p)
{
	VG_DEFINED(bulk_size(p), sizeof(size_t));
	size_t r = *bulk_size(p);
	VG_NOACCESS(bulk_size(p), sizeof(size_t));
	return r;
}

static void bulk_set_size(void *p, size_t r)
{
	VG_UNDEFINED(bulk_size(p), sizeof(size_t));
	*bulk_size(p) = r;
	VG_NOACCESS(bulk_size(p), BULK_HEAD);
}

static void *bulk_alloc_locked(size_t n)
{
	size_t r = (n + 63) & ~(size_t)63;
	if (n < BULK_MIN || r < n || !bulk_ready() || (size_t)(bulk.end - bulk.pos) < r + BULK_HEAD)
		return xmalloc_lazy(n);
	/* a freed block's place first: its pages are already there, no fault or zeroing needed */
	size_t best = BULK_HOLES;
	for (size_t i = 0; i < bulk.nholes; i++)
		if (bulk.hole[i].len >= r + BULK_HEAD && (best == BULK_HOLES || bulk.hole[i].len < bulk.hole[best].len))
			best = i;
	char *p;
	if (best != BULK_HOLES) {
		p = bulk.hole[best].at + BULK_HEAD;
		bulk.hole[best].at += r + BULK_HEAD;
		bulk.hole[best].len -= r + BULK_HEAD;
		if (bulk.hole[best].len < BULK_MIN + BULK_HEAD)   /* too small to use again */
			bulk.hole[best] = bulk.hole[--bulk.nholes];
	} else {
		p = bulk.last = bulk.pos + BULK_HEAD;
		bulk.pos += r + BULK_HEAD;
	}
	bulk_set_size(p, r);
	VG_UNDEFINED(p, n);
	VG_NOACCESS(p + n, r - n);
	return p;
}

static void bulk_free_locked(void *p)
{
	if (p == NULL)
		return;
	if (!bulk_owns(p)) {
		free(p);
		return;
	}
	size_t r = bulk_get_size(p);
	VG_NOACCESS(p, r);
	if (p == bulk.last) {   /* the newest block: its space (pages and all) is handed out again */
		bulk.pos = bulk.last - BULK_HEAD;
		bulk.last = NULL;
		return;
	}
	/* Any other block becomes a hole for later blocks to fill (see bulk_alloc_locked). */
	if (r >= BULK_MIN && bulk.nholes < BULK_HOLES) {
		bulk.hole[bulk.nholes].at = (char *)p - BULK_HEAD;
		bulk.hole[bulk.nholes++].len = r + BULK_HEAD;
		return;
	}
	/*
	 * With no room to remember it, its whole 2 MiB pages go back to the
	 * system, so that a large input's peak memory does not count them.
	 * Smaller pieces stay: giving back part of a huge page splits it,
	 * which costs more than it saves.
	 */
	uintptr_t a = ((uintptr_t)p + HUGE_ALLOC - 1) & ~(uintptr_t)(HUGE_ALLOC - 1);
	uintptr_t e = ((uintptr_t)p + r) & ~(uintptr_t)(HUGE_ALLOC - 1);
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_DONTNEED);
}

void *bulk_alloc(size_t n)
{
	pthread_mutex_lock(&bulk_lock);
	void *p = bulk_alloc_locked(n);
	pthread_mutex_unlock(&bulk_lock);
	return p;
}

void bulk_free(void *p)
{
	pthread_mutex_lock(&bulk_lock);
	bulk_free_locked(p);
	pthread_mutex_unlock(&bulk_lock);
}

static void *bulk_realloc_locked(void *p, size_t old, size_t n)
{
	if (p == NULL)
		return bulk_alloc_locked(n);
	if (!bulk_owns(p)) {
		if (n < BULK_MIN)
			return xrealloc(p, n);
		void *q = bulk_alloc_locked(n);
		if (!bulk_owns(q)) {
			free(q);
			return xrealloc(p, n);
		}
		memcpy(q, p, old < n ? old : n);
		free(p);
		return q;
	}
	size_t r = (n + 63) & ~(size_t)63;
	if (p == bulk.last && r >= n && (size_t)(bulk.end - (char *)p) >= r) {
		bulk.pos = (char *)p + r;   /* the newest block grows (or shrinks) in place */
		size_t was = bulk_get_size(p);
		bulk_set_size(p, r);
		if (n > old)
			VG_UNDEFINED((char *)p + old, n - old);
		VG_NOACCESS((char *)p + n, (r > was ? r : was) - n);
		return p;
	}
	if (n <= old)
		return p;
	void *q = bulk_alloc_locked(n);
	memcpy(q, p, old);
	bulk_free_locked(p);
	return q;
}

void bulk_shrink(void *p, size_t n)
{
	if (p == NULL || !bulk_owns(p))
		return;   /* malloc'ed: not worth a copy */
	pthread_mutex_lock(&bulk_lock);
	size_t r = (n + 63) & ~(size_t)63, was = bulk_get_size(p);
	if (r < was) {
		VG_NOACCESS((char *)p + n, was - n);
		if (p == bulk.last) {
			bulk.pos = (char *)p + r;
			bulk_set_size(p, r);
		} else if (was - r >= BULK_MIN + BULK_HEAD && bulk.nholes < BULK_HOLES) {
			bulk_set_size(p, r);
			bulk.hole[bulk.nholes].at = (char *)p + r;
			bulk.hole[bulk.nholes++].len = was - r;
		}
	}
	pthread_mutex_unlock(&bulk_lock);
}

void *bulk_realloc(void *p, size_t old, size_t n)
{
	pthread_mutex_lock(&bulk_lock);
	void *q = bulk_realloc_locked(p, old, n);
	pthread_mutex_unlock(&bulk_lock);
	return q;
}

bool free_at_exit(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(BULK_DISABLED)
	return true;   /* the leak checker judges what is left */
#else
#ifdef RUNNING_ON_VALGRIND
	if (RUNNING_ON_VALGRIND)
		return true;
#endif
	return getenv("SMBLINT_FREE_AT_EXIT") != NULL;
#endif
}

void prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	if (n < ((size_t)64 << 10))
		return;
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);   /* older kernels: EINVAL, no harm */
#else
	(void)p;
	(void)n;
#endif
}

/* ---- running smbd ---------------------------------------------------------- */

int smbd_spawn_read(const char *arg, pid_t *pid)
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	*pid = fork();
	if (*pid < 0) {
		int e = errno;
		close(fd[0]);
		close(fd[1]);
		errno = e;
		return -1;
	}
	if (*pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(fd[1], 1);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 2);
		}
		close(fd[0]);
		close(fd[1]);
		execlp("smbd", "smbd", arg, (char *)NULL);
		execl("/usr/sbin/smbd", "smbd", arg, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	return fd[0];
}

int smbd_spawn_wait(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
