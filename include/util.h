/* util.h - memory, strings and file helpers shared by every module. */
#ifndef SMBLINT_UTIL_H
#define SMBLINT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

/*
 * Allocation never fails from the caller's point of view: on exhaustion the
 * process prints one line and exits 2 (the only place that handles it).
 */
void *xmalloc(size_t n);   /* a block of 256 KiB or more is prefaulted (see prefault) */
void *xmalloc_lazy(size_t n);   /* never prefaulted: for a block that may stay mostly unused */
/* Size of the next block of an arena whose last block had `prev` bytes: doubling from `first` up to 8 MiB. */
size_t arena_next_size(size_t prev, size_t first, size_t need);

/*
 * A chain of blocks for many small pieces freed all together (a tree's
 * strings, a configuration's sections and values).  Blocks come from bulk
 * memory, doubling from `first` bytes; the newest is first in the chain.
 */
struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};
/* Starts a new block with room for at least n bytes (arena_take's slow path). */
void arena_grow(struct arena_block **a, size_t n, size_t first);
/* n bytes, placed right after the previous piece (round n up to keep an alignment). */
static inline void *arena_take(struct arena_block **a, size_t n, size_t first)
{
	if (*a == NULL || (*a)->cap - (*a)->used < n)
		arena_grow(a, n, first);
	void *p = (*a)->data + (*a)->used;
	(*a)->used += n;
	return p;
}
/* The arena is done growing: the newest block's unused end goes to later bulk blocks. */
void arena_trim(struct arena_block *a);
void arena_release(struct arena_block *a);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/*
 * Asks the kernel to map all of a large block that is about to be filled
 * at once: one call instead of a page fault per 4 KiB, which is most of
 * the cost of a big file on some machines.  Small blocks are left alone.
 */
void prefault(void *p, size_t n);
/*
 * Whether the program should free what it built before it exits: under
 * valgrind or a sanitizer (so that leak checks see every free path run), or
 * with SMBLINT_FREE_AT_EXIT set.  Otherwise the kernel takes the memory back
 * at once, which for a large configuration saves milliseconds of freeing.
 */
bool free_at_exit(void);
/*
 * Big blocks for a large input, from one stretch of huge-page memory (see
 * util.c); requests under 256 KiB and sanitizer builds get malloc.  Every
 * block from bulk_alloc/bulk_realloc goes back through bulk_free (which
 * also takes malloc'ed blocks).  bulk_realloc needs the block's old size.
 */
void *bulk_alloc(size_t n);
void *bulk_realloc(void *p, size_t old, size_t n);
void bulk_free(void *p);
/*
 * Says that only the first n bytes of a bulk block are used from now on:
 * the rest is handed out again to later blocks (nothing happens to a
 * malloc'ed block).  For arrays and arena blocks sized by a guess.
 */
void bulk_shrink(void *p, size_t n);
bool bulk_owns(const void *p);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Runs `smbd ARG` without a shell (smbd from PATH, else /usr/sbin/smbd), its
 * standard input and error on /dev/null: returns the read end of its output
 * (or -1, errno set), *pid to give smbd_spawn_wait, which returns its exit
 * status (127: no smbd; -1: killed or not waited for).
 */
int smbd_spawn_read(const char *arg, pid_t *pid);
int smbd_spawn_wait(pid_t pid);

/* A growable byte string; s is always NUL-terminated once anything was added. */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_add(struct sbuf *b, const void *p, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents, never NULL ("" for an empty buffer); the buffer keeps ownership. */
const char *sbuf_str(struct sbuf *b);
/* Hands the string to the caller and resets the buffer. */
char *sbuf_take(struct sbuf *b);
void sbuf_free(struct sbuf *b);

/* isspace() in the C locale, which is what Samba's reader uses. */
/* Spreads the bits of a hash over the low ones power-of-two tables use. */
static inline uint32_t hash_mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/*
 * A hash of the n bytes at s for open-addressing tables (which compare the
 * keys themselves, so any spread will do): eight bytes a step, the last
 * (partial) step as overlapping loads; never reads outside s[0, n).
 */
static inline uint32_t hash_mem(const char *s, size_t n, uint64_t seed)
{
	uint64_t h = ((uint64_t)n + seed) * 0x9e3779b97f4a7c15u, w;
	uint32_t w4;
	if (n > 8) {
		for (size_t k = 0; k + 8 < n; k += 8) {
			memcpy(&w, s + k, 8);
			h = (h ^ w) * 0xff51afd7ed558ccdu;
			h ^= h >> 32;
		}
		memcpy(&w, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(&w4, s, 4);
		w = w4;
		memcpy(&w4, s + n - 4, 4);
		w |= (uint64_t)w4 << 32;
	} else if (n > 0) {
		w = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16;
	} else {
		w = 0;
	}
	h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	h ^= h >> 29;
	return hash_mix32((uint32_t)h ^ (uint32_t)(h >> 32));
}

static inline bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/*
 * Samba's name comparison: case-insensitive (ASCII) and ignoring every blank.
 * "Map To  Guest" equals "maptoguest".
 */
bool fold_eq(const char *a, const char *b);
/* The folded form used as a lookup key: lower case, blanks removed. */
char *fold_key(const char *s);
/* Blank runs collapsed to one space, one blank trimmed at each end. */
char *norm_blanks(const char *s);

/*
 * Reads a whole regular file (or stdin for "-") into memory, at most max bytes.
 * Returns 0 and sets *data (NUL-terminated, caller frees) and *len, or -1 and
 * sets *err to a one-line reason (caller frees).  Refuses directories, FIFOs,
 * devices and files larger than max rather than blocking or reading forever.
 */
int read_file(const char *path, size_t max, unsigned char **data, size_t *len, char **err);
/* The same, but a large file's bytes may come from bulk memory: free them with bulk_free. */
int read_file_big(const char *path, size_t max, unsigned char **data, size_t *len, char **err);

/* Removes a directory tree (files, then folders) without following links; errors are ignored. */
void util_remove_tree(const char *dir);

/* Appends s to b as valid UTF-8: invalid bytes become U+FFFD. */
void sbuf_add_utf8_safe(struct sbuf *b, const char *s, size_t n);

#endif
