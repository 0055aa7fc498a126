/* config.c - the effective configuration: replays Samba 4.17's loader over smb.conf, its includes and copies. */
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <strings.h>
#include <sys/stat.h>

#include "config.h"
#include "param_ids.h"
#include "util.h"

/*
 * How this mirrors Samba (source3/param/loadparm.c, lib/param/loadparm.c),
 * as checked with testparm 4.17:
 *  - a share starts as a copy of the share defaults ([global]'s share-level
 *    values) as they are when its header is first met; later [global] lines
 *    do not reach it;
 *  - reopening a share keeps its values but drops its parametric options;
 *  - `copy = x` copies x's whole state into every parameter the share did
 *    not set itself yet;
 *  - when a share header follows a share, the previous share is checked:
 *    no path makes it unavailable, [printers] is forced printable and not
 *    browseable, an empty name fails the load;
 *  - `printing = x` sets the print commands of its section.
 */

#define NONE ((size_t)-1)
/* Included files read in one load, at most (real configs read a handful). */
#define MAX_INCLUDE_READS 10000
#define MAX_INCLUDE_DEPTH 100
#define DEFAULT_MAX_FILE ((size_t)256 << 20)

/* ---------------------------------------------------------------- arena */

#define ABLOCK (64 * 1024)

/* Pieces of the configuration's arena stay 8-byte aligned: every size is rounded up. */
static char *arena_alloc(struct arena_block **a, size_t n)
{
	/* blocks double as the configuration grows: large ones get huge pages */
	return arena_take(a, (n + 7) & ~(size_t)7, ABLOCK);
}

static char *arena_strndup(struct arena_block **a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *arena_strdup(struct arena_block **a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

static char *norm_blanks_arena(struct arena_block **a, const char *s)
{
	char *t = norm_blanks(s ? s : "");
	char *r = arena_strdup(a, t);
	free(t);
	return r;
}

/* ------------------------------------------------- case folding (Samba's strlower_m) */

/*
 * Samba 4.17's lower case of a code point (tolower_m(), used for share names),
 * as measured with testparm: for every BMP character that Unicode (or this
 * table's earlier versions) gives a one-character lower case, whether
 * [xC] and [xc] are one share.  Runs {first, last, delta, step}: every step-th
 * code point from first to last maps to itself + delta.  Characters whose
 * lower case is longer or shorter in UTF-8 (U+023A, U+2126, U+212A, ...) are
 * not mapped by 4.17, so a mapping never changes a sequence's length.
 */
static const struct case_run lower_runs[] = {
	{0x00c0, 0x00d6, 32, 1},
	{0x00d8, 0x00de, 32, 1},
	{0x0100, 0x012e, 1, 2},
	{0x0132, 0x0136, 1, 2},
	{0x0139, 0x0147, 1, 2},
	{0x014a, 0x0176, 1, 2},
	{0x0178, 0x0178, -121, 1},
	{0x0179, 0x017d, 1, 2},
	{0x0181, 0x0181, 210, 1},
	{0x0182, 0x0184, 1, 2},
	{0x0186, 0x0186, 206, 1},
	{0x0187, 0x0187, 1, 1},
	{0x0189, 0x018a, 205, 1},
	{0x018b, 0x018b, 1, 1},
	{0x018e, 0x018e, 79, 1},
	{0x018f, 0x018f, 202, 1},
	{0x0190, 0x0190, 203, 1},
	{0x0191, 0x0191, 1, 1},
	{0x0193, 0x0193, 205, 1},
	{0x0194, 0x0194, 207, 1},
	{0x0196, 0x0196, 211, 1},
	{0x0197, 0x0197, 209, 1},
	{0x0198, 0x0198, 1, 1},
	{0x019c, 0x019c, 211, 1},
	{0x019d, 0x019d, 213, 1},
	{0x019f, 0x019f, 214, 1},
	{0x01a0, 0x01a4, 1, 2},
	{0x01a7, 0x01a7, 1, 1},
	{0x01a9, 0x01a9, 218, 1},
	{0x01ac, 0x01ac, 1, 1},
	{0x01ae, 0x01ae, 218, 1},
	{0x01af, 0x01af, 1, 1},
	{0x01b1, 0x01b2, 217, 1},
	{0x01b3, 0x01b5, 1, 2},
	{0x01b7, 0x01b7, 219, 1},
	{0x01b8, 0x01b8, 1, 1},
	{0x01bc, 0x01bc, 1, 1},
	{0x01c4, 0x01c4, 2, 1},
	{0x01c7, 0x01c7, 2, 1},
	{0x01ca, 0x01ca, 2, 1},
	{0x01cd, 0x01db, 1, 2},
	{0x01de, 0x01ee, 1, 2},
	{0x01f1, 0x01f1, 2, 1},
	{0x01f4, 0x01f4, 1, 1},
	{0x01fa, 0x0216, 1, 2},
	{0x0386, 0x0386, 38, 1},
	{0x0388, 0x038a, 37, 1},
	{0x038c, 0x038c, 64, 1},
	{0x038e, 0x038f, 63, 1},
	{0x0391, 0x03a1, 32, 1},
	{0x03a3, 0x03ab, 32, 1},
	{0x03e2, 0x03ee, 1, 2},
	{0x0401, 0x040c, 80, 1},
	{0x040e, 0x040f, 80, 1},
	{0x0410, 0x042f, 32, 1},
	{0x0460, 0x0480, 1, 2},
	{0x0490, 0x04be, 1, 2},
	{0x04c1, 0x04c3, 1, 2},
	{0x04c7, 0x04c7, 1, 1},
	{0x04cb, 0x04cb, 1, 1},
	{0x04d0, 0x04ea, 1, 2},
	{0x04ee, 0x04f4, 1, 2},
	{0x04f8, 0x04f8, 1, 1},
	{0x0531, 0x0556, 48, 1},
	{0x1e00, 0x1e94, 1, 2},
	{0x1ea0, 0x1ef8, 1, 2},
	{0x1f08, 0x1f0f, -8, 1},
	{0x1f18, 0x1f1d, -8, 1},
	{0x1f28, 0x1f2f, -8, 1},
	{0x1f38, 0x1f3f, -8, 1},
	{0x1f48, 0x1f4d, -8, 1},
	{0x1f59, 0x1f5f, -8, 2},
	{0x1f68, 0x1f6f, -8, 1},
	{0x1fb8, 0x1fb9, -8, 1},
	{0x1fba, 0x1fbb, -74, 1},
	{0x1fc8, 0x1fcb, -86, 1},
	{0x1fd8, 0x1fd9, -8, 1},
	{0x1fda, 0x1fdb, -100, 1},
	{0x1fe8, 0x1fe9, -8, 1},
	{0x1fea, 0x1feb, -112, 1},
	{0x1fec, 0x1fec, -7, 1},
	{0x1ff8, 0x1ff9, -128, 1},
	{0x1ffa, 0x1ffb, -126, 1},
	{0x2160, 0x216f, 16, 1},
	{0x24b6, 0x24cf, 26, 1},
	{0xff21, 0xff3a, 32, 1},
};

static unsigned lower_cp(unsigned c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	return case_run_map(lower_runs, sizeof lower_runs / sizeof lower_runs[0], c);
}

#define NOT_FOLDED 0xffffffffu

/*
 * Length of the UTF-8 sequence at s (1 for a stray byte); *cp gets its code
 * point when it is one to three bytes long (all we fold), else NOT_FOLDED.
 */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
	*cp = NOT_FOLDED;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf && (s[1] & 0xc0) == 0x80) {
		*cp = ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] >= 0xe0 && s[0] <= 0xef && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		unsigned c = ((unsigned)(s[0] & 0x0f) << 12) | ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		if (c >= 0x800)
			*cp = c;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	    (s[3] & 0xc0) == 0x80)
		return 4;
	return 1;
}

/*
 * Samba's canonical (lower-case) form of a name into dst, which has room for
 * strlen(src) + 1 bytes: every mapping above keeps the length of the UTF-8
 * sequence, so the result is exactly as long as the input.
 */
static void fold_lower_into(char *dst, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	unsigned char *d = (unsigned char *)dst;
	/* ASCII first: most names are, and need no decoding */
	for (; *s != '\0' && *s < 0x80; s++)
		*d++ = (unsigned char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
	while (*s) {
		unsigned cp;
		size_t n = utf8_next(s, &cp);
		unsigned lc = cp == NOT_FOLDED ? cp : lower_cp(cp);
		if (n == 1 && lc != cp) {
			*d++ = (unsigned char)lc;
		} else if (n == 2 && lc != cp) {
			*d++ = (unsigned char)(0xc0 | (lc >> 6));
			*d++ = (unsigned char)(0x80 | (lc & 0x3f));
		} else if (n == 3 && lc != cp) {
			*d++ = (unsigned char)(0xe0 | (lc >> 12));
			*d++ = (unsigned char)(0x80 | ((lc >> 6) & 0x3f));
			*d++ = (unsigned char)(0x80 | (lc & 0x3f));
		} else {
			memcpy(d, s, n);
			d += n;
		}
		s += n;
	}
	*d = '\0';
}

/* A folded copy in buf (size bufsz) when it fits, else malloc'ed: free it when != buf. */
static char *fold_tmp(const char *src, char *buf, size_t bufsz)
{
	size_t n = strlen(src);
	char *d = n < bufsz ? buf : xmalloc(n + 1);
	fold_lower_into(d, src);
	return d;
}

/* Samba's strequal(): equal ignoring case (NULL equals ""). */
static bool str_caseeq(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)(a ? a : ""), *y = (const unsigned char *)(b ? b : "");
	/* ASCII prefix without copying; only text beyond it needs the full folding */
	for (;; x++, y++) {
		unsigned cx = *x, cy = *y;
		if (cx >= 0x80 || cy >= 0x80)
			break;
		if (cx >= 'A' && cx <= 'Z')
			cx += 32;
		if (cy >= 'A' && cy <= 'Z')
			cy += 32;
		if (cx != cy)
			return false;
		if (cx == 0)
			return true;
	}
	a = (const char *)x;
	b = (const char *)y;
	char ba[128], bb[128];
	char *fa = fold_tmp(a ? a : "", ba, sizeof ba), *fb = fold_tmp(b ? b : "", bb, sizeof bb);
	bool eq = strcmp(fa, fb) == 0;
	if (fa != ba)
		free(fa);
	if (fb != bb)
		free(fb);
	return eq;
}

static uint32_t seed32(uintptr_t seed)
{
	return hash_mix32((uint32_t)seed ^ (uint32_t)((uint64_t)seed >> 32));
}

static uint32_t hash_str(const char *s, uintptr_t seed)
{
	return hash_mem(s, strlen(s), seed);
}

/* ---------------------------------------------------------- internal state */

#define VM_EXPLICIT 0x1u   /* set by a line of the section itself: `copy =` leaves it alone */
#define VM_MARKS    0x2u   /* counts as set for testparm's [global] listing */

struct vmeta {
	uint32_t from;         /* index into assigns of the causing line, or META_NONE (see meta_ix) */
	uint32_t flags;
};

#define META_NONE UINT32_MAX

static size_t meta_ix(const struct vmeta *m)
{
	return m->from == META_NONE ? NONE : (size_t)m->from;
}

/* Assign indexes fit: a file holds far fewer lines than 2^32 (SRC_MAX_LEN). */
static void meta_set_ix(struct vmeta *m, size_t ix)
{
	m->from = ix == NONE ? META_NONE : (uint32_t)ix;
}

/*
 * The per-parameter indexes (param_count entries each) hold position + 1,
 * 0 meaning none: zeroed memory from calloc starts them all at none, and
 * only the entries a configuration uses are ever written.
 */
static inline size_t ix_get(const uint32_t *a, size_t i)
{
	return a[i] == 0 ? NONE : (size_t)a[i] - 1;
}

static inline void ix_set(uint32_t *a, size_t i, size_t v)
{
	a[i] = v == NONE ? 0 : (uint32_t)(v + 1);
}

struct cfgi;

struct isec {
	struct section pub;            /* first: a struct section * is a struct isec * */
	struct cfgi *ci;
	struct vmeta *meta;            /* parallel to pub.vals */
	size_t nregular;               /* after loading: vals[0..nregular) are table parameters */
	unsigned long gen;             /* [global] generation when the share was created */
	bool heap;                     /* vals and meta are malloc'ed (else in the arena) */
	size_t hint;                   /* lines up to the next header: first size of vals */
	char *key;                     /* lower-case name, the hash key */
	uint32_t hash;
};

/* One value [global] took, with the ones it replaced behind it. */
struct hent {
	struct value v;
	struct vmeta m;
	unsigned long gen;
	size_t prev;
};

/*
 * A slot of the share table: the key's hash and the section's position + 1
 * (0: free), so that a probe compares hashes without reading the section.
 */
struct stab_ent {
	uint32_t hash;
	uint32_t ix1;
};

struct cfgi {
	struct config pub;             /* first */
	struct arena_block *arena;
	struct stab_ent *stab;         /* open-addressing table of shares by key */
	size_t stab_cap;
	struct hent *hist;
	size_t nhist, caphist;
	uint32_t *hcur;                /* [param_count]: latest hist entry (ix_get/ix_set) */
	unsigned char *gmarked;        /* [param_count] */
	uint32_t *gpos;                /* [param_count]: position in global vals (ix_get/ix_set) */
	uint32_t *gshare;              /* share-level parameters [global] set, table order */
	size_t ngshare;
	struct value *gopt;            /* [global]'s parametric options, in insertion order */
	struct vmeta *goptm;
	size_t ngopt, capgopt;
};

struct ohent {
	struct isec *s;                /* NULL: free; TOMB: deleted */
	size_t pos;
	uint32_t h;
};

/*
 * Memos: a big file repeats the same names and values over and over, and
 * the table look-up and value check cost far more than a hash probe.
 */
struct vmemo {
	const struct param *p;         /* NULL: free slot */
	const char *value;
	const char *canon;             /* NULL: same text as the value */
	uint32_t h;
	bool ok;
};

#define VMEMO_MAX 8192
#define VMEMO_LEN 24

static struct isec tomb_sec;
#define TOMB (&tomb_sec)

struct loader {
	struct cfgi *ci;
	struct config *c;
	size_t maxsize;
	const char *root;
	bool follow;
	const struct config_opts *opts;  /* for overrides */
	size_t capassigns, capfiles, capincludes;
	size_t *ovr;                   /* parallel to assigns: overrides */
	struct isec *global, *cur, *last;
	bool in_global, seen_header, failed;
	unsigned long gen;
	uint32_t *pos;                 /* [param_count]: position in pos_owner's vals (ix_get/ix_set) */
	struct isec *pos_owner;
	struct ohent *oh;
	size_t ohcap, ohused;
	int depth;
	size_t nread, read_bytes;      /* included files read so far, and their bytes */
	size_t lines_left;             /* of SRC_MAX_LINES, for files yet to be read */
	struct srcfile *uncounted;     /* the top file until an include needs its lines counted */
	size_t *ghist, nghist;         /* share-level parameters [global] set so far */
	struct vmemo *vm;              /* (parameter, value) -> checked canon */
	unsigned char *plain;          /* [param_count]: 0 unknown, 1 any value kept as written, 2 not */
	size_t vmcap, vmn;
	/* Samba's iconv handle while reading: the unix charset it was made
	   with (cs_active), and the stored 'unix charset' / 'dos charset'
	   values that the next charset line compares with (see name_key) */
	const char *cs_active, *cs_unix, *cs_dos;
	iconv_t cs_pull, cs_push;      /* cs_active <-> UTF-16LE, (iconv_t)-1 when unset or unknown */
	bool cs_opened;
	const struct param *p_include, *p_unix_cs, *p_dos_cs, *p_copy, *p_printing, *p_path, *p_msdfs, *p_available,
	    *p_printable, *p_browseable, *p_valid, *p_regshares, *p_role, *p_vfs, *p_passdb,
	    *p_winbind_sep, *p_security, *p_idmap_backend, *p_idmap_uid, *p_idmap_gid, *p_cmd[7], *p_adlocal[5];
};

static struct isec *isec_of(const struct section *s)
{
	return (struct isec *)(void *)(uintptr_t)s;
}

/* ------------------------------------------ share names as Samba keys them */

/*
 * Samba finds a share by canonicalize_servicename(): the name lower-cased
 * through its iconv handle's unix charset (each character decoded to
 * UTF-16, lower-cased, encoded back).  When that fails (a byte sequence the
 * charset does not decode, a charset iconv does not know) the key is NULL,
 * and every name that fails shares that one entry: [Gr\xfcn] and [Gr\xf6n]
 * in a Latin-1 file read as UTF-8 are one share (testparm 4.17).
 *
 * The handle is not the 'unix charset' in force: a 'unix charset' or 'dos
 * charset' line that changes the stored value rebuilds the handle from the
 * values stored *before* it (lib/param/loadparm.c handle_charset()), so a
 * new unix charset is used for names from the next such line on (the load
 * itself rebuilds it once more at the end, after every share is read).
 */
static const char NAME_KEY_FAILED[] = "]\n";   /* no section name can hold "]" and a line end */

/* A 'unix charset' or 'dos charset' line of [global] was applied with value v. */
static void charset_line(struct loader *L, bool unix_cs, const char *v)
{
	const char **stored = unix_cs ? &L->cs_unix : &L->cs_dos;
	if (strcmp(*stored, v) == 0)
		return;
	if (strcmp(L->cs_active, L->cs_unix) != 0) {
		if (L->cs_pull != (iconv_t)-1)
			iconv_close(L->cs_pull);
		if (L->cs_push != (iconv_t)-1)
			iconv_close(L->cs_push);
		L->cs_pull = L->cs_push = (iconv_t)-1;
		L->cs_opened = false;
		L->cs_active = L->cs_unix;
	}
	/* a UTF-8 dos charset is refused and the default stored instead */
	*stored = !unix_cs && param_charset_utf8(v) ? "CP850" : v;
}

/*
 * The part of a name from its first non-ASCII byte on, as UTF-16 units, the
 * way Samba 4.17's own UTF-8 decoder reads it: overlong and broken sequences
 * fail; surrogates (ED A0..BF xx) and four-byte forms beyond U+10FFFF do not
 * (they become units that cannot be encoded back).  Returns the unit count,
 * or (size_t)-1.
 */
static size_t utf8_units(const unsigned char *s, uint16_t *u)
{
	size_t n = 0;
	while (*s) {
		unsigned c = s[0], cp, len;
		if (c < 0x80)
			len = 1, cp = c;
		else if ((c & 0xe0) == 0xc0)
			len = 2, cp = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			len = 3, cp = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			len = 4, cp = c & 0x07;
		else
			return (size_t)-1;
		for (unsigned i = 1; i < len; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return (size_t)-1;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
			return (size_t)-1;
		if (len == 4) {
			unsigned v = cp - 0x10000;
			u[n++] = (uint16_t)(((((v >> 18) | 0xd8) & 0xff) << 8) | ((v >> 10) & 0xff));
			u[n++] = (uint16_t)(((((v >> 8) & 3) | 0xdc) << 8) | (v & 0xff));
		} else {
			u[n++] = (uint16_t)cp;
		}
		s += len;
	}
	return n;
}

/* UTF-16 units back to UTF-8 as Samba's encoder does, into d; false where it fails (a lone surrogate). */
static bool utf8_from_units(const uint16_t *u, size_t n, char *d)
{
	unsigned char *o = (unsigned char *)d;
	for (size_t i = 0; i < n; i++) {
		unsigned c = u[i];
		if (c >= 0xdc00 && c <= 0xdfff)
			return false;
		if (c >= 0xd800 && c <= 0xdbff) {
			if (i + 1 >= n || u[i + 1] < 0xdc00 || u[i + 1] > 0xdfff)
				return false;
			c = 0x10000 + (((c & 0x3ff) << 10) | (u[++i] & 0x3ff));
			*o++ = (unsigned char)(0xf0 | (c >> 18));
			*o++ = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
			*o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
			*o++ = (unsigned char)(0x80 | (c & 0x3f));
		} else if (c < 0x80) {
			*o++ = (unsigned char)c;
		} else if (c < 0x800) {
			*o++ = (unsigned char)(0xc0 | (c >> 6));
			*o++ = (unsigned char)(0x80 | (c & 0x3f));
		} else {
			*o++ = (unsigned char)(0xe0 | (c >> 12));
			*o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
			*o++ = (unsigned char)(0x80 | (c & 0x3f));
		}
	}
	*o = '\0';
	return true;
}

/* rest (a name's text from its first non-ASCII byte) as UTF-16 units through iconv; (size_t)-1 where that fails. */
static size_t iconv_units(struct loader *L, const char *rest, uint16_t *u, size_t cap)
{
	if (L->cs_pull == (iconv_t)-1)
		return (size_t)-1;
	char *in = (char *)(uintptr_t)rest, *out = (char *)u;
	size_t ilen = strlen(rest), olen = cap * 2;
	iconv(L->cs_pull, NULL, NULL, NULL, NULL);
	if (iconv(L->cs_pull, &in, &ilen, &out, &olen) == (size_t)-1 ||
	    iconv(L->cs_pull, NULL, NULL, &out, &olen) == (size_t)-1)
		return (size_t)-1;
	return (cap * 2 - olen) / 2;
}

/* Units back through iconv into d (room for room bytes and a NUL); false where that fails or does not fit. */
static bool iconv_from_units(struct loader *L, const uint16_t *u, size_t n, char *d, size_t room)
{
	if (L->cs_push == (iconv_t)-1)
		return false;
	char *in = (char *)(uintptr_t)u, *out = d;
	size_t ilen = n * 2, olen = room;
	iconv(L->cs_push, NULL, NULL, NULL, NULL);
	if (iconv(L->cs_push, &in, &ilen, &out, &olen) == (size_t)-1 ||
	    iconv(L->cs_push, NULL, NULL, &out, &olen) == (size_t)-1)
		return false;
	*out = '\0';
	return true;
}

/*
 * Samba 4.17's key for a share name (canonicalize_servicename(), strlower_m()):
 * the ASCII lead lower-cased byte by byte; the rest converted to UTF-16
 * through the unix charset of the handle, lower-cased unit by unit, and, when
 * a unit changed, converted back into the same room.  A conversion that fails
 * gives NAME_KEY_FAILED.  Into buf (size bufsz) when it fits, else malloc'ed:
 * free it when != buf.
 */
static char *name_key(struct loader *L, const char *name, char *buf, size_t bufsz)
{
	const char *rest = name;
	while (*rest && (unsigned char)*rest < 0x80)
		rest++;
	if (*rest == '\0')
		return fold_tmp(name, buf, bufsz);
	size_t lead = (size_t)(rest - name), rlen = strlen(rest);
	bool utf8 = param_charset_utf8(L->cs_active);
	if (!utf8 && !L->cs_opened) {
		L->cs_opened = true;
		L->cs_pull = iconv_open("UTF-16LE", L->cs_active);
		if (L->cs_pull == (iconv_t)-1)
			L->cs_pull = iconv_open("UCS-2LE", L->cs_active);
		L->cs_push = iconv_open(L->cs_active, "UTF-16LE");
		if (L->cs_push == (iconv_t)-1)
			L->cs_push = iconv_open(L->cs_active, "UCS-2LE");
	}
	size_t cap = rlen * 2 + 2;   /* units: at most two per byte */
	uint16_t ub[256], *u = cap <= 256 ? ub : xmalloc(cap * sizeof *u);
	size_t n = utf8 ? utf8_units((const unsigned char *)rest, u) : iconv_units(L, rest, u, cap);
	char *d = lead + rlen < bufsz ? buf : xmalloc(lead + rlen + 1);
	bool ok = n != (size_t)-1, changed = false;
	for (size_t i = 0; ok && i < n; i++) {
		uint16_t lc = (uint16_t)lower_cp(u[i]);
		changed |= lc != u[i];
		u[i] = lc;
	}
	for (size_t i = 0; i < lead; i++)
		d[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] + 32) : name[i];
	if (ok && !changed)
		memcpy(d + lead, rest, rlen + 1);
	else if (ok) {
		/* back into the room the text had (Samba converts in place) */
		char tmp[1024], *t = rlen * 2 + 8 <= sizeof tmp ? tmp : xmalloc(rlen * 2 + 8);
		ok = utf8 ? utf8_from_units(u, n, t) : iconv_from_units(L, u, n, t, rlen * 2 + 4);
		ok = ok && strlen(t) <= rlen;
		if (ok)
			memcpy(d + lead, t, strlen(t) + 1);
		if (t != tmp)
			free(t);
	}
	if (u != ub)
		free(u);
	if (!ok) {
		if (d != buf)
			free(d);
		memcpy(buf, NAME_KEY_FAILED, sizeof NAME_KEY_FAILED);
		return buf;
	}
	return d;
}

/* --------------------------------------------------------------- assigns */

static size_t new_assign(struct loader *L, struct srcfile *f, const struct node *n)
{
	struct config *c = L->c;
	if (c->nassigns == L->capassigns) {
		size_t old = L->capassigns;
		L->capassigns = L->capassigns ? L->capassigns * 2 : 256;
		c->assigns = bulk_realloc(c->assigns, old * sizeof *c->assigns, L->capassigns * sizeof *c->assigns);
		L->ovr = bulk_realloc(L->ovr, old * sizeof *L->ovr, L->capassigns * sizeof *L->ovr);
	}
	size_t ix = c->nassigns++;
	struct assign *a = &c->assigns[ix];
	memset(a, 0, sizeof *a);
	a->file = f;
	a->node = n;
	a->section = L->in_global || L->cur == NULL ? &L->global->pub : &L->cur->pub;
	a->before_section = !L->seen_header;
	a->index = (uint32_t)ix;
	a->name = (char *)(uintptr_t)"";
	a->value = (char *)(uintptr_t)(n->value ? n->value : "");
	a->canon = a->value;
	L->ovr[ix] = NONE;
	return ix;
}

static void fail_at(struct loader *L, struct srcfile *f, const struct node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail_at(struct loader *L, struct srcfile *f, const struct node *n, const char *fmt, ...)
{
	if (L->failed)
		return;
	L->failed = true;
	L->c->load_failed = true;
	L->c->fatal_node = n;
	L->c->fatal_file = f;
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int len = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	size_t sz = len > 0 ? (size_t)len + 1 : 1;
	L->c->fatal_reason = xmalloc(sz);
	vsnprintf(L->c->fatal_reason, sz, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------- sections */

static void stab_insert(struct cfgi *ci, uint32_t hash, size_t ix);

static void stab_grow(struct cfgi *ci)
{
	struct stab_ent *old = ci->stab;
	size_t oldcap = ci->stab_cap;
	ci->stab_cap = oldcap ? oldcap * 2 : 64;
	ci->stab = xcalloc(ci->stab_cap, sizeof *ci->stab);
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].ix1 != 0)
			stab_insert(ci, old[i].hash, old[i].ix1 - 1);
	free(old);
}

static void stab_insert(struct cfgi *ci, uint32_t hash, size_t ix)
{
	size_t mask = ci->stab_cap - 1, i = hash & mask;
	while (ci->stab[i].ix1 != 0)
		i = (i + 1) & mask;
	ci->stab[i].hash = hash;
	ci->stab[i].ix1 = (uint32_t)ix + 1;
}

static struct isec *stab_find(const struct cfgi *ci, const char *key, uint32_t h)
{
	if (ci->stab_cap == 0)
		return NULL;
	size_t mask = ci->stab_cap - 1, i = h & mask;
	for (; ci->stab[i].ix1 != 0; i = (i + 1) & mask) {
		if (ci->stab[i].hash != h)
			continue;
		struct isec *s = isec_of(ci->pub.sections[ci->stab[i].ix1 - 1]);
		if (strcmp(s->key, key) == 0)
			return s;
	}
	return NULL;
}

static struct isec *section_new(struct loader *L, const char *name, const char *key, bool global)
{
	struct cfgi *ci = L->ci;
	struct config *c = L->c;
	struct isec *s = (struct isec *)(void *)arena_alloc(&ci->arena, sizeof *s);

	memset(s, 0, sizeof *s);
	s->ci = ci;
	s->pub.name = arena_strdup(&ci->arena, name);
	s->pub.global = global;
	s->pub.order = c->nsections;
	s->gen = L->gen;
	s->key = strcmp(name, key) == 0 ? s->pub.name : arena_strdup(&ci->arena, key);
	s->hash = hash_str(s->key, 0);
	if ((c->nsections & (c->nsections - 1)) == 0)   /* 0, 1, 2, 4, ...: double */
		c->sections = xrealloc(c->sections, (c->nsections ? c->nsections * 2 : 1) * sizeof *c->sections);
	c->sections[c->nsections++] = &s->pub;
	if (!global) {
		if ((c->nsections + 1) * 2 > ci->stab_cap)
			stab_grow(ci);
		stab_insert(ci, s->hash, s->pub.order);
	}
	return s;
}

/* ------------------------------------------- values of a share during loading */

static void pos_switch(struct loader *L, struct isec *s)
{
	if (L->pos_owner == s)
		return;
	if (L->pos_owner != NULL)
		for (size_t i = 0; i < L->pos_owner->pub.nvals; i++)
			if (L->pos_owner->pub.vals[i].param != NULL)
				ix_set(L->pos, param_index(L->pos_owner->pub.vals[i].param), NONE);
	for (size_t i = 0; i < s->pub.nvals; i++)
		if (s->pub.vals[i].param != NULL)
			ix_set(L->pos, param_index(s->pub.vals[i].param), i);
	L->pos_owner = s;
}

static size_t share_find(struct loader *L, struct isec *s, const struct param *p)
{
	pos_switch(L, s);
	return ix_get(L->pos, param_index(p));
}

/*
 * A share's first values live in the arena, sized by the lines up to the
 * next header; one that outgrows them moves to the heap.
 */
static size_t share_slot(struct isec *s)
{
	struct section *p = &s->pub;
	if (p->nvals == p->capvals) {
		size_t cap = p->capvals ? p->capvals * 2 : s->hint > 0 ? s->hint : 1;
		if (p->capvals == 0) {
			p->vals = (struct value *)(void *)arena_alloc(&s->ci->arena, cap * sizeof *p->vals);
			s->meta = (struct vmeta *)(void *)arena_alloc(&s->ci->arena, cap * sizeof *s->meta);
		} else if (!s->heap) {
			struct value *v = xmalloc(cap * sizeof *v);
			struct vmeta *m = xmalloc(cap * sizeof *m);
			memcpy(v, p->vals, p->nvals * sizeof *v);
			memcpy(m, s->meta, p->nvals * sizeof *m);
			p->vals = v;
			s->meta = m;
			s->heap = true;
		} else {
			p->vals = xrealloc(p->vals, cap * sizeof *p->vals);
			s->meta = xrealloc(s->meta, cap * sizeof *s->meta);
		}
		p->capvals = cap;
	}
	memset(&p->vals[p->nvals], 0, sizeof p->vals[0]);
	return p->nvals++;
}

static void share_set(struct loader *L, struct isec *s, const struct param *p, const char *canon,
    size_t from_ix, const struct section *copied_from, const char *implied, unsigned flags)
{
	size_t i = share_find(L, s, p);
	if (i == NONE) {
		i = share_slot(s);
		ix_set(L->pos, param_index(p), i);
	} else {
		/* like Samba's copy map: once a line of the share set p, it stays set */
		flags |= s->meta[i].flags & VM_EXPLICIT;
	}
	struct value *v = &s->pub.vals[i];
	v->param = p;
	v->name = param_name(p);
	v->canon = canon;
	v->from = NULL;
	v->copied_from = copied_from;
	v->implied = implied;
	meta_set_ix(&s->meta[i], from_ix);
	s->meta[i].flags = flags;
}

/* ------------------------------------------------------- values of [global] */

static void global_set(struct loader *L, const struct param *p, const char *canon, size_t from_ix,
    const char *implied, bool marks)
{
	struct cfgi *ci = L->ci;
	size_t pi = param_index(p);
	if (ci->nhist == ci->caphist) {
		ci->caphist = ci->caphist ? ci->caphist * 2 : 16;
		ci->hist = xrealloc(ci->hist, ci->caphist * sizeof *ci->hist);
	}
	struct hent *h = &ci->hist[ci->nhist];
	memset(h, 0, sizeof *h);
	h->v.param = p;
	h->v.name = param_name(p);
	h->v.canon = canon;
	h->v.implied = implied;
	meta_set_ix(&h->m, from_ix);
	h->m.flags = marks ? VM_MARKS : 0;
	h->gen = ++L->gen;
	h->prev = ix_get(ci->hcur, pi);
	if (h->prev == NONE && p->scope == PS_SHARE) {
		if (L->nghist % 64 == 0)
			L->ghist = xrealloc(L->ghist, (L->nghist + 64) * sizeof *L->ghist);
		L->ghist[L->nghist++] = pi;
	}
	ix_set(ci->hcur, pi, ci->nhist++);
	if (marks)
		ci->gmarked[pi] = 1;
}

/* The [global] entry of p in force at generation gen (NONE: the built-in default). */
static size_t global_at(const struct cfgi *ci, const struct param *p, unsigned long gen)
{
	size_t h = ix_get(ci->hcur, param_index(p));
	while (h != NONE && ci->hist[h].gen > gen)
		h = ci->hist[h].prev;
	return h;
}

/* Effective value of p in share s while loading: canon and the entry it came from. */
static const char *share_eff(struct loader *L, struct isec *s, const struct param *p)
{
	size_t i = share_find(L, s, p);
	if (i != NONE)
		return s->pub.vals[i].canon;
	size_t h = global_at(L->ci, p, s->gen);
	if (h != NONE)
		return L->ci->hist[h].v.canon;
	return param_def(p) ? param_def(p) : "";
}

static const char *global_eff(struct loader *L, const struct param *p)
{
	size_t h = ix_get(L->ci->hcur, param_index(p));
	if (h != NONE)
		return L->ci->hist[h].v.canon;
	return param_def(p) ? param_def(p) : "";
}

/* ------------------------------------------------------ parametric options */

static void oh_insert_raw(struct loader *L, struct isec *s, size_t pos, uint32_t h)
{
	size_t mask = L->ohcap - 1, i = h & mask;
	while (L->oh[i].s != NULL && L->oh[i].s != TOMB)
		i = (i + 1) & mask;
	if (L->oh[i].s == NULL)
		L->ohused++;
	L->oh[i].s = s;
	L->oh[i].pos = pos;
	L->oh[i].h = h;
}

static void oh_grow(struct loader *L)
{
	struct ohent *old = L->oh;
	size_t oldcap = L->ohcap;
	L->ohcap = oldcap ? oldcap * 2 : 32;   /* doubles: a small file keeps a small table */
	L->oh = xcalloc(L->ohcap, sizeof *L->oh);
	L->ohused = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].s != NULL && old[i].s != TOMB)
			oh_insert_raw(L, old[i].s, old[i].pos, old[i].h);
	free(old);
}

static struct value *opt_vals(struct loader *L, struct isec *s)
{
	return s == L->global ? L->ci->gopt : s->pub.vals;
}

static struct ohent *oh_find(struct loader *L, struct isec *s, const char *name, uint32_t h)
{
	if (L->ohcap == 0)
		return NULL;
	size_t mask = L->ohcap - 1, i = h & mask;
	for (; L->oh[i].s != NULL; i = (i + 1) & mask) {
		struct ohent *e = &L->oh[i];
		if (e->s == s && e->h == h && fold_eq(opt_vals(L, s)[e->pos].name, name))
			return e;
	}
	return NULL;
}

/* Option names match ignoring case and blanks ("fruit : x" is "FRUIT:x"), as testparm shows. */
static uint32_t opt_hash(struct isec *s, const char *name)
{
	uint32_t h = 2166136261u;
	for (; *name; name++)
		if (!is_blank((unsigned char)*name))
			h = (h ^ (unsigned char)(*name >= 'A' && *name <= 'Z' ? *name + 32 : *name)) * 16777619u;
	return hash_mix32(h ^ seed32((uintptr_t)s));
}

/*
 * Sets a parametric option of s (name already in Samba's lower-case form):
 * an existing one keeps its place, a new one goes in front of the list
 * (stored at the end of our array; printing walks it backwards).
 * Returns the assign index it replaced, or NONE.
 */
static size_t opt_set(struct loader *L, struct isec *s, const char *name, const char *value,
    size_t from_ix, const struct section *copied_from, const char *implied)
{
	uint32_t h = opt_hash(s, name);
	struct ohent *e = oh_find(L, s, name, h);
	struct value *v;
	struct vmeta *m;
	size_t prev = NONE;

	if (e != NULL) {
		v = &opt_vals(L, s)[e->pos];
		m = s == L->global ? &L->ci->goptm[e->pos] : &s->meta[e->pos];
		prev = meta_ix(m);
	} else {
		size_t pos;
		if (s == L->global) {
			struct cfgi *ci = L->ci;
			if (ci->ngopt == ci->capgopt) {
				ci->capgopt = ci->capgopt ? ci->capgopt * 2 : 16;
				ci->gopt = xrealloc(ci->gopt, ci->capgopt * sizeof *ci->gopt);
				ci->goptm = xrealloc(ci->goptm, ci->capgopt * sizeof *ci->goptm);
			}
			pos = ci->ngopt++;
			v = &ci->gopt[pos];
			m = &ci->goptm[pos];
		} else {
			pos = share_slot(s);
			v = &s->pub.vals[pos];
			m = &s->meta[pos];
		}
		if ((L->ohused + 1) * 2 > L->ohcap)
			oh_grow(L);
		oh_insert_raw(L, s, pos, h);
		v->name = name;
	}
	v->param = NULL;
	v->canon = value;
	v->from = NULL;
	v->copied_from = copied_from;
	v->implied = implied;
	meta_set_ix(m, from_ix);
	m->flags = VM_EXPLICIT;
	return prev;
}

/* Reopening a share drops its parametric options (lp_do_section frees them). */
static void drop_opts(struct loader *L, struct isec *s)
{
	struct section *p = &s->pub;
	size_t w = 0;
	if (L->pos_owner == s) {   /* positions are about to move */
		for (size_t i = 0; i < p->nvals; i++)
			if (p->vals[i].param != NULL)
				ix_set(L->pos, param_index(p->vals[i].param), NONE);
		L->pos_owner = NULL;
	}
	for (size_t i = 0; i < p->nvals; i++) {
		if (p->vals[i].param != NULL) {
			p->vals[w] = p->vals[i];
			s->meta[w++] = s->meta[i];
			continue;
		}
		struct ohent *e = oh_find(L, s, p->vals[i].name, opt_hash(s, p->vals[i].name));
		if (e != NULL)
			e->s = TOMB;
		size_t fx = meta_ix(&s->meta[i]);
		if (fx != NONE && L->c->assigns[fx].section == p)
			L->c->assigns[fx].dropped = true;
	}
	p->nvals = w;
}

/* -------------------------------------------------------- implied settings */

static const struct {
	const char *printing;
	const char *cmd[7];   /* lpq, lprm, print, lppause, lpresume, queuepause, queueresume */
} print_cmds[] = {
	{"bsd", {"lpq -P'%p'", "lprm -P'%p' %j", "lpr -r -P'%p' %s", NULL, NULL, NULL, NULL}},
	{"aix", {"lpq -P'%p'", "lprm -P'%p' %j", "lpr -r -P'%p' %s", NULL, NULL, NULL, NULL}},
	{"nt", {"lpq -P'%p'", "lprm -P'%p' %j", "lpr -r -P'%p' %s", NULL, NULL, NULL, NULL}},
	{"os2", {"lpq -P'%p'", "lprm -P'%p' %j", "lpr -r -P'%p' %s", NULL, NULL, NULL, NULL}},
	{"plp", {"lpq -P'%p'", "lprm -P'%p' %j", "lpr -r -P'%p' %s", "lpc hold '%p' %j",
	    "lpc release '%p' %j", "lpc stop '%p'", "lpc start '%p'"}},
	{"lprng", {"lpq -P'%p'", "lprm -P'%p' %j", "lpr -r -P'%p' %s", "lpc hold '%p' %j",
	    "lpc release '%p' %j", "lpc stop '%p'", "lpc start '%p'"}},
	{"cups", {"%p", "", "", "", "", "", ""}},
	{"iprint", {"%p", "", "", "", "", "", ""}},
	{"sysv", {"lpstat -o%p", "cancel %p-%j", "lp -c -d%p %s; rm %s", "lp -i %p-%j -H hold",
	    "lp -i %p-%j -H resume", "disable %p", "enable %p"}},
	{"hpux", {"lpstat -o%p", "cancel %p-%j", "lp -c -d%p %s; rm %s", "lp -i %p-%j -H hold",
	    "lp -i %p-%j -H resume", "disable %p", "enable %p"}},
	{"qnx", {"lpq -P%p", "lprm -P%p %j", "lp -r -P%p %s", NULL, NULL, NULL, NULL}},
};

static const char IMPLIED_PRINTING[] = "set by the `printing =` line: each printing system brings its own print commands";

/*
 * `printing = x` in a share replaces that share's print commands
 * (handle_printing).  In [global] it does not touch the share defaults:
 * Samba applies them to a scratch copy there (verified with testparm).
 */
static void apply_printing(struct loader *L, struct isec *s, const char *canon, size_t from_ix)
{
	for (size_t k = 0; k < sizeof print_cmds / sizeof print_cmds[0]; k++) {
		if (strcmp(print_cmds[k].printing, canon) != 0)
			continue;
		for (int j = 0; j < 7; j++) {
			if (print_cmds[k].cmd[j] == NULL || L->p_cmd[j] == NULL)
				continue;
			share_set(L, s, L->p_cmd[j], print_cmds[k].cmd[j], from_ix, NULL, IMPLIED_PRINTING, 0);
		}
		return;
	}
}

static const char *canon_of(struct loader *L, const struct param *p, const char *value)
{
	char *canon = NULL;
	const char *out = value;
	if (param_check_value(p, value, &canon) && canon != NULL)
		out = arena_strdup(&L->ci->arena, canon);
	free(canon);
	return out;
}

/*
 * lp_server_role() says AD DC only when `server role` says so and `security`
 * agrees (auto or user); with security = ads or domain Samba picks member.
 */
static bool global_role_is_ad_dc(struct loader *L)
{
	if (L->p_role == NULL || !str_caseeq(global_eff(L, L->p_role), "active directory domain controller"))
		return false;
	const char *sec = L->p_security ? global_eff(L, L->p_security) : "AUTO";
	return str_caseeq(sec, "auto") || str_caseeq(sec, "user");
}

static size_t role_line(struct loader *L)
{
	size_t h = ix_get(L->ci->hcur, param_index(L->p_role));
	return h == NONE ? NONE : meta_ix(&L->ci->hist[h].m);
}

static const struct value *gopt_find(struct loader *L, const char *name)
{
	for (size_t i = 0; i < L->ci->ngopt; i++)
		if (fold_eq(L->ci->gopt[i].name, name))
			return &L->ci->gopt[i];
	return NULL;
}

static const char IMPLIED_ADDC[] = "forced on an Active Directory domain controller (server role = active directory domain controller)";

/* init_locals(): leaving [global] for a share on an AD DC forces some share defaults. */
static void ad_dc_locals(struct loader *L)
{
	static const char *const vals[5] = {"No", "No", "No", "No", "Yes"};
	if (!global_role_is_ad_dc(L))
		return;
	size_t from = role_line(L);
	if (L->p_vfs != NULL && global_eff(L, L->p_vfs)[0] == '\0') {
		const char *v = "dfs_samba4 acl_xattr";
		if (gopt_find(L, "xattr_tdb:file") != NULL)
			v = "dfs_samba4 acl_xattr xattr_tdb";
		else if (gopt_find(L, "posix:eadb") != NULL)
			v = "dfs_samba4 acl_xattr posix_eadb";
		global_set(L, L->p_vfs, canon_of(L, L->p_vfs, v), from, IMPLIED_ADDC, true);
	}
	for (int i = 0; i < 5; i++)
		if (L->p_adlocal[i] != NULL)
			global_set(L, L->p_adlocal[i], canon_of(L, L->p_adlocal[i], vals[i]), from, IMPLIED_ADDC, true);
}

/* lp_enforce_ad_dc_settings(), run after the whole file on an AD DC. */
static void ad_dc_enforce(struct loader *L)
{
	static const char *const opts[][2] = {
		{"winbindd:use external pipes", "true"}, {"rpc_server:default", "external"},
		{"rpc_server:svcctl", "embedded"}, {"rpc_server:srvsvc", "embedded"},
		{"rpc_server:eventlog", "embedded"}, {"rpc_server:ntsvcs", "embedded"},
		{"rpc_server:winreg", "embedded"}, {"rpc_server:spoolss", "embedded"},
		{"rpc_daemon:spoolssd", "embedded"}, {"rpc_server:tcpip", "no"},
	};
	if (!global_role_is_ad_dc(L))
		return;
	size_t from = role_line(L);
	if (L->p_passdb != NULL)
		global_set(L, L->p_passdb, "samba_dsdb", from, IMPLIED_ADDC, true);
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		opt_set(L, L->global, opts[i][0], opts[i][1], from, NULL, IMPLIED_ADDC);
}

static const char IMPLIED_NOPATH[] = "the share has no path, so Samba makes it unavailable";
static const char IMPLIED_PRINTABLE[] = "Samba forces [printers] to be printable";
static const char IMPLIED_NOBROWSE[] = "Samba makes [printers] not browseable";

/* lpcfg_service_ok(), run on the previous share when a share header follows and at the end. */
static void service_ok(struct loader *L)
{
	struct isec *s = L->last;
	if (s == NULL)
		return;
	if (s->pub.name[0] == '\0') {
		fail_at(L, s->pub.header_file, s->pub.header,
		    "a section header with an empty name ([]) makes the load fail");
		return;
	}
	if (fold_eq(s->pub.name, "printers")) {
		bool b = false;
		if (L->p_printable && param_parse_bool(share_eff(L, s, L->p_printable), &b) && !b)
			share_set(L, s, L->p_printable, "Yes", NONE, NULL, IMPLIED_PRINTABLE, 0);
		if (L->p_browseable && param_parse_bool(share_eff(L, s, L->p_browseable), &b) && b)
			share_set(L, s, L->p_browseable, "No", NONE, NULL, IMPLIED_NOBROWSE, 0);
	}
	if (L->p_path && share_eff(L, s, L->p_path)[0] == '\0' && !fold_eq(s->pub.name, "homes") &&
	    (L->p_msdfs == NULL || share_eff(L, s, L->p_msdfs)[0] == '\0')) {
		bool b = true;
		if (L->p_available && param_parse_bool(share_eff(L, s, L->p_available), &b) && b)
			share_set(L, s, L->p_available, "No", NONE, NULL, IMPLIED_NOPATH, 0);
	}
}

/* ------------------------------------------------------------------- copy */

static const char IMPLIED_COPYDEF[] = "the built-in default, copied by `copy =` from a share that did not change it";

/* What src has for p when it has no value of its own: its [global] snapshot, or the built-in default. */
static void copy_inherited(struct loader *L, struct isec *s, struct isec *src, const struct param *p)
{
	struct cfgi *ci = L->ci;
	size_t d = share_find(L, s, p);
	if (d != NONE && (s->meta[d].flags & VM_EXPLICIT))
		return;
	size_t hs = global_at(ci, p, src->gen);
	if (d == NONE && hs == global_at(ci, p, s->gen))
		return;   /* s already inherits the same */
	if (hs != NONE)
		share_set(L, s, p, ci->hist[hs].v.canon, meta_ix(&ci->hist[hs].m), &src->pub, ci->hist[hs].v.implied, 0);
	else
		share_set(L, s, p, param_def(p) ? param_def(p) : "", NONE, &src->pub, IMPLIED_COPYDEF, 0);
}

/*
 * copy_service() with the copy map: every share-level parameter s did not
 * set itself takes src's value, whatever src got it from.  Only these can
 * differ between the two: src's own values, the share defaults [global]
 * set, and s's own values that no line of s set (implied or copied).
 */
static void do_copy(struct loader *L, struct isec *s, struct isec *src)
{
	size_t n = src->pub.nvals;
	struct value *sv = xmalloc((n ? n : 1) * sizeof *sv);
	struct vmeta *sm = xmalloc((n ? n : 1) * sizeof *sm);
	if (n > 0) {   /* s's table may move while we copy: work from a snapshot */
		memcpy(sv, src->pub.vals, n * sizeof *sv);
		memcpy(sm, src->meta, n * sizeof *sm);
	}

	unsigned char *seen = xcalloc(param_count, 1);
	for (size_t i = 0; i < n; i++) {
		if (sv[i].param == NULL)
			continue;
		seen[param_index(sv[i].param)] = 1;
		size_t d = share_find(L, s, sv[i].param);
		if (d != NONE && (s->meta[d].flags & VM_EXPLICIT))
			continue;
		share_set(L, s, sv[i].param, sv[i].canon, meta_ix(&sm[i]), &src->pub, sv[i].implied, 0);
	}
	for (size_t k = 0; k < L->nghist; k++) {
		size_t pi = L->ghist[k];
		if (!seen[pi]) {
			seen[pi] = 1;
			copy_inherited(L, s, src, &param_table[pi]);
		}
	}
	for (size_t i = 0; i < s->pub.nvals; i++) {
		const struct param *p = s->pub.vals[i].param;
		if (p == NULL || seen[param_index(p)] || (s->meta[i].flags & VM_EXPLICIT))
			continue;
		seen[param_index(p)] = 1;
		copy_inherited(L, s, src, p);
	}
	free(seen);
	/* Parametric options, in src's list order (newest first). */
	for (size_t i = n; i-- > 0;)
		if (sv[i].param == NULL)
			opt_set(L, s, sv[i].name, sv[i].canon, meta_ix(&sm[i]), &src->pub, sv[i].implied);
	free(sv);
	free(sm);
}

/* ----------------------------------------------------------------- include */

/* Samba's talloc_sub_basic() as testparm sees it (no client): the macros it expands and to what. */
static bool macro_char(char ch)
{
	return ch != '\0' && strchr("maUDIivMRwNLhTtd$", ch) != NULL;
}

static char *expand_macros(struct loader *L, const char *v, bool *has_macro)
{
	struct sbuf b = {0};
	*has_macro = false;
	for (const char *p = v; *p; p++) {
		if (*p != '%' || !macro_char(p[1])) {
			sbuf_addc(&b, *p);
			continue;
		}
		*has_macro = true;
		const char *rep = NULL;
		switch (p[1]) {
		case 'm': case 'U': case 'D': case 'M': rep = ""; break;
		case 'a': case 'R': rep = "UNKNOWN"; break;
		case 'I': case 'i': rep = "0.0.0.0"; break;
		case 'v': rep = param_samba_version; break;
		case 'w': rep = L->p_winbind_sep ? global_eff(L, L->p_winbind_sep) : "\\"; break;
		default: break;
		}
		if (rep != NULL) {
			sbuf_adds(&b, rep);
			p++;
		} else {
			sbuf_addc(&b, *p);
		}
	}
	if (b.s == NULL)
		sbuf_add(&b, "", 0);
	return sbuf_take(&b);
}

/* The in-memory contents standing in for the file at path (config_opts.overrides), or NULL. */
static const struct config_override *find_override(const struct config_opts *o, const char *path)
{
	for (size_t i = 0; o != NULL && i < o->noverrides; i++)
		if (o->overrides[i].path != NULL && strcmp(o->overrides[i].path, path) == 0)
			return &o->overrides[i];
	return NULL;
}

static struct config_include *new_include(struct loader *L, struct srcfile *f, const struct node *n)
{
	struct config *c = L->c;
	if (c->nincludes == L->capincludes) {
		L->capincludes = L->capincludes ? L->capincludes * 2 : 8;
		c->includes = xrealloc(c->includes, L->capincludes * sizeof *c->includes);
	}
	struct config_include *inc = &c->includes[c->nincludes++];
	memset(inc, 0, sizeof *inc);
	inc->from = f;
	inc->node = n;
	inc->target = xstrdup(n->value ? n->value : "");
	inc->relative = inc->target[0] != '/';
	return inc;
}

static void add_file(struct loader *L, struct srcfile *f)
{
	struct config *c = L->c;
	if (c->nfiles == L->capfiles) {
		L->capfiles = L->capfiles ? L->capfiles * 2 : 8;
		c->files = xrealloc(c->files, L->capfiles * sizeof *c->files);
	}
	c->files[c->nfiles++] = f;
}

static void process_file(struct loader *L, struct srcfile *f);

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static void set_section_value(struct loader *L, size_t ix, const struct param *p, const char *canon);

/* lp_include(): `include = FILE` (or registry) at assign ix. */
static void do_include(struct loader *L, size_t ix)
{
	struct assign *a = &L->c->assigns[ix];
	struct srcfile *f = a->file;
	const struct node *n = a->node;
	struct config_include *inc = new_include(L, f, n);   /* valid until the recursion below */

	a->status = AS_META;
	if (L->depth >= MAX_INCLUDE_DEPTH) {
		inc->status = INC_LOOP;
		fail_at(L, f, n, "include nesting deeper than %d files (an include loop?)", MAX_INCLUDE_DEPTH);
		return;
	}
	if (str_caseeq(a->value, "registry")) {
		if (L->in_global) {
			inc->status = INC_REGISTRY;
			global_set(L, L->p_regshares, "Yes", ix, "set by `include = registry`", true);
		} else {
			inc->status = INC_REGISTRY_BAD;
			fail_at(L, f, n, "`include = registry` is only allowed in [global]");
		}
		return;
	}
	bool macro;
	char *fname = expand_macros(L, a->value, &macro);
	a->canon = arena_strdup(&L->ci->arena, fname);
	set_section_value(L, ix, a->param, a->canon);
	if (macro) {
		inc->status = INC_MACRO;
		free(fname);
		return;
	}
	if (fname[0] == '\0') {   /* Samba stats "" itself, which never exists */
		inc->status = INC_MISSING;
		free(fname);
		return;
	}
	struct sbuf path = {0};
	if (fname[0] == '/') {
		sbuf_adds(&path, fname);
	} else {
		sbuf_adds(&path, L->root);
		if (path.len == 0 || path.s[path.len - 1] != '/')
			sbuf_addc(&path, '/');
		sbuf_adds(&path, fname);
	}
	free(fname);
	inc->resolved = sbuf_take(&path);
	unsigned char *data;
	size_t len;
	const struct config_override *ov = find_override(L->opts, inc->resolved);
	struct stat st;
	if (ov != NULL && L->follow) {
		data = xmalloc(ov->len + 1);
		memcpy(data, ov->data, ov->len);
		data[ov->len] = '\0';
		len = ov->len;
		goto have_data;
	}
	if (stat(inc->resolved, &st) != 0) {
		inc->status = has_glob(inc->resolved) ? INC_GLOB : INC_MISSING;
		return;
	}
	if (!L->follow) {
		inc->status = INC_UNREADABLE;
		return;
	}
	char *err = NULL;
	if (read_file_big(inc->resolved, L->maxsize, &data, &len, &err) != 0) {
		inc->status = (S_ISREG(st.st_mode) && (size_t)st.st_size > L->maxsize) ? INC_TOO_LARGE : INC_UNREADABLE;
		free(err);
		return;
	}
have_data:;
	/*
	 * Files that include each other more than once multiply (two includes
	 * per file, 40 levels deep, is 2^40 reads).  Samba would never finish
	 * either; smblint stops reading includes past a budget instead.
	 */
	if (++L->nread > MAX_INCLUDE_READS || (L->read_bytes += len) > L->maxsize) {
		bulk_free(data);
		inc->status = INC_BUDGET;
		return;
	}
	/* lines (see SRC_MAX_LINES): the top file's count only once a file is included */
	if (L->uncounted != NULL) {
		size_t top = src_count_lines(L->uncounted->data, L->uncounted->len);
		L->lines_left -= top < L->lines_left ? top : L->lines_left;
		L->uncounted = NULL;
	}
	size_t lines = src_count_lines(data, len);
	if (lines > L->lines_left) {
		bulk_free(data);
		inc->status = lines > SRC_MAX_LINES ? INC_TOO_LARGE : INC_BUDGET;
		return;
	}
	L->lines_left -= lines;
	struct srcfile *nf = src_new(inc->resolved, data, len);
	nf->parent = f;
	nf->parent_line = n->line;
	nf->depth = L->depth + 1;
	tree_parse_begin(nf);
	add_file(L, nf);
	inc->status = INC_OK;
	inc->file = nf;
	L->depth++;
	process_file(L, nf);
	L->depth--;
}

/* ------------------------------------------------------------ the lines */

/*
 * Samba clears a parameter's "was set" flag for the synonyms that sit next to
 * it in its table; these ones do not, so testparm never lists [global]
 * values set through them (measured with testparm 4.17).
 */
static bool marks_global(const struct param *spelled)
{
	static const char *const silent[] = {"smb encrypt", "writeable", "writable", "write ok", "enable spoolss"};
	if (spelled == NULL || !(spelled->flags & PF_SYNONYM))
		return true;
	for (size_t i = 0; i < sizeof silent / sizeof silent[0]; i++)
		if (strcmp(param_name(spelled), silent[i]) == 0)
			return false;
	return true;
}

/* Stores the value of a known parameter line in the section it was read in. */
static void set_section_value(struct loader *L, size_t ix, const struct param *p, const char *canon)
{
	if (L->in_global) {
		size_t h = ix_get(L->ci->hcur, param_index(p));
		for (; h != NONE; h = L->ci->hist[h].prev) {
			size_t fx = meta_ix(&L->ci->hist[h].m);
			if (fx != NONE && L->c->assigns[fx].param == p && L->c->assigns[fx].section == &L->global->pub) {
				L->ovr[ix] = fx;
				break;
			}
		}
		global_set(L, p, canon, ix, NULL, marks_global(L->c->assigns[ix].spelled));
		return;
	}
	size_t i = share_find(L, L->cur, p);
	if (i != NONE) {
		size_t fx = meta_ix(&L->cur->meta[i]);
		if (fx != NONE && L->c->assigns[fx].param == p && L->c->assigns[fx].section == &L->cur->pub)
			L->ovr[ix] = fx;
	}
	share_set(L, L->cur, p, canon, ix, NULL, NULL, VM_EXPLICIT);
}

static void do_copy_line(struct loader *L, size_t ix)
{
	struct assign *a = &L->c->assigns[ix];
	a->status = AS_META;
	if (L->in_global) {
		fail_at(L, a->file, a->node, "`copy =` outside a share (in [global]) makes the load fail");
		return;
	}
	set_section_value(L, ix, a->param, a->canon);
	char kb[256];
	char *k = name_key(L, a->value, kb, sizeof kb);
	struct isec *src = stab_find(L->ci, k, hash_str(k, 0));
	if (k != kb)
		free(k);
	bool hidden = false;
	if (src != NULL && L->p_valid != NULL) {
		bool b = true;
		if (param_parse_bool(share_eff(L, src, L->p_valid), &b) && !b)
			hidden = true;
	}
	a = &L->c->assigns[ix];
	if (src == NULL || hidden) {
		fail_at(L, a->file, a->node, hidden ?
		    "`copy = %s`: that share is hidden (-valid = no), so Samba cannot copy it" :
		    "`copy = %s`: no share of that name is defined above this line", a->value);
		return;
	}
	if (src == L->cur) {
		fail_at(L, a->file, a->node, "`copy = %s` names its own share", a->value);
		return;
	}
	do_copy(L, L->cur, src);
}

/* Whether any value of p is accepted and kept as written (once trimmed). */
static bool plain_string(struct loader *L, const struct param *p)
{
	size_t i = param_index(p);
	if (L->plain[i] == 0) {
		const struct param *c = param_canonical(p);
		bool plain = p->type == PT_STRING && strcmp(param_name(c), "realm") != 0 &&
		    strcmp(param_name(c), "rpc server dynamic port range") != 0 && c != L->p_dos_cs;
		L->plain[i] = plain ? 1 : 2;
	}
	return L->plain[i] == 1;
}

/* param_check_value() through the memo; *canon is the value's own text when unchanged. */
static bool check_memo(struct loader *L, const struct param *p, const char *value, const char **canon)
{
	size_t vlen = strlen(value);
	if (plain_string(L, p) && (vlen == 0 || (!is_blank((unsigned char)value[0]) &&
	    !is_blank((unsigned char)value[vlen - 1])))) {
		*canon = value;   /* a free-form string without blanks to trim: Samba keeps it as it is */
		return true;
	}
	if (vlen > VMEMO_LEN) {
		/* long values (paths, comments) rarely repeat: not worth remembering */
		char *c = NULL;
		bool ok = param_check_value(p, value, &c);
		*canon = ok && c != NULL && strcmp(c, value) != 0 ? arena_strdup(&L->ci->arena, c) : value;
		free(c);
		return ok;
	}
	uint32_t h = hash_mem(value, vlen, (uintptr_t)p);
	if (L->vmcap == 0) {
		L->vmcap = 16;   /* grows by doubling: a small file should not pay for a big table */
		L->vm = xcalloc(L->vmcap, sizeof *L->vm);
	}
	size_t mask = L->vmcap - 1, i = h & mask;
	for (; L->vm[i].p != NULL; i = (i + 1) & mask) {
		struct vmemo *e = &L->vm[i];
		if (e->p == p && e->h == h && strcmp(e->value, value) == 0) {
			*canon = e->canon ? e->canon : value;
			return e->ok;
		}
	}
	char *c = NULL;
	bool ok = param_check_value(p, value, &c);
	const char *keep = NULL;
	if (ok && c != NULL && strcmp(c, value) != 0)
		keep = arena_strdup(&L->ci->arena, c);
	free(c);
	*canon = keep ? keep : value;
	if (L->vmn < VMEMO_MAX) {
		if ((L->vmn + 1) * 2 > L->vmcap) {
			struct vmemo *old = L->vm;
			size_t oldcap = L->vmcap;
			L->vmcap *= 2;
			L->vm = xcalloc(L->vmcap, sizeof *L->vm);
			for (size_t k = 0; k < oldcap; k++) {
				if (old[k].p == NULL)
					continue;
				size_t j = old[k].h & (L->vmcap - 1);
				while (L->vm[j].p != NULL)
					j = (j + 1) & (L->vmcap - 1);
				L->vm[j] = old[k];
			}
			free(old);
			mask = L->vmcap - 1;
			for (i = h & mask; L->vm[i].p != NULL; i = (i + 1) & mask)
				;
		}
		L->vm[i] = (struct vmemo){.p = p, .value = value, .canon = keep, .h = h, .ok = ok};
		L->vmn++;
	}
	return ok;
}

static bool blank_only(const char *s)
{
	while (is_blank((unsigned char)*s))
		s++;
	return *s == '\0';
}

/*
 * A PT_LIST line: its value applied to the list in force where it stands
 * (param_list_apply), i.e. the section's own, else for a share the one of
 * [global] when the share was opened, else the default; none when nothing
 * set it and the default is empty.
 */
static bool list_line(struct loader *L, const struct param *p, const char *value, const char **canon)
{
	const char *cur = NULL;
	size_t i = L->in_global ? NONE : share_find(L, L->cur, p);
	if (i != NONE) {
		cur = L->cur->pub.vals[i].canon;
	} else {
		size_t h = L->in_global ? ix_get(L->ci->hcur, param_index(p)) : global_at(L->ci, p, L->cur->gen);
		cur = h != NONE ? L->ci->hist[h].v.canon : param_def(p);
	}
	/* "" is no list, unless it is the empty list a line left (param_empty_list) */
	if (cur != NULL && *cur == '\0' && cur != param_empty_list)
		cur = NULL;
	char *c = NULL;
	bool ok = param_list_apply(cur, value, &c);
	if (ok && *c == '\0' && (cur != NULL || param_list_elements(value) > 0))
		*canon = param_empty_list;
	else
		*canon = ok && strcmp(c, value) != 0 ? arena_strdup(&L->ci->arena, c) : value;
	free(c);
	return ok;
}

static const char IMPLIED_IDMAP[] = "set by the deprecated idmap backend/uid/gid line, which Samba turns into this option";

static void do_param(struct loader *L, struct srcfile *f, const struct node *n)
{
	size_t ix = new_assign(L, f, n);
	struct assign *a = &L->c->assigns[ix];
	struct arena_block **ar = &L->ci->arena;

	const struct param *sp = n->param != 0 ? &param_table[n->param - 1] : NULL;   /* looked up by the parser */
	if (L->failed) {   /* still say what the line is, for the rules */
		a->status = AS_NOT_READ;
		a->spelled = sp;
		a->param = sp ? param_canonical(sp) : NULL;
		a->name = sp ? (char *)(uintptr_t)param_name(a->param) : norm_blanks_arena(ar, n->key);
		a->parametric = sp == NULL && strchr(n->key, ':') != NULL;
		return;
	}
	if (sp == NULL) {
		if (strchr(n->key, ':') != NULL) {
			const char *k = n->key;
			while (is_blank((unsigned char)*k))
				k++;
			char *lk = arena_alloc(ar, strlen(k) + 1);
			fold_lower_into(lk, k);
			a->name = lk;
			a->parametric = true;
			a->status = AS_SET;
			struct isec *s = L->in_global ? L->global : L->cur;
			size_t prev = opt_set(L, s, a->name, a->value, ix, NULL, NULL);
			if (prev != NONE && L->c->assigns[prev].section == &s->pub)
				L->ovr[ix] = prev;
			return;
		}
		a->name = norm_blanks_arena(ar, n->key);
		a->status = AS_UNKNOWN;
		return;
	}
	const struct param *p = param_canonical(sp);
	a->spelled = sp;
	a->param = p;
	a->name = (char *)(uintptr_t)param_name(p);
	if (!L->in_global && p->scope == PS_GLOBAL) {
		a->status = AS_GLOBAL_IN_SHARE;
		return;
	}
	const char *canon;
	bool list = sp->type == PT_LIST;
	if (!(list ? list_line(L, p, a->value, &canon) : check_memo(L, sp, a->value, &canon))) {
		a->status = AS_INVALID;
		fail_at(L, f, n, "invalid value '%s' for '%s'%s%s", a->value, param_name(sp),
		    list ? ": " : "", list ? PARAM_LIST_EDIT_RULE " (\"Unsupported list syntax\")" : "");
		return;
	}
	/* a command list set to separators or "" is a list, though an empty one */
	if (sp->type == PT_CMDLIST && *canon == '\0' && !blank_only(a->value))
		canon = param_empty_list;
	a->canon = (char *)(uintptr_t)canon;
	if (sp->flags & PF_INVERSE)
		a->value = a->canon;
	if (p == L->p_include) {
		do_include(L, ix);
		return;
	}
	if (p == L->p_copy) {
		do_copy_line(L, ix);
		return;
	}
	a->status = AS_SET;
	set_section_value(L, ix, p, a->canon);
	if (L->in_global && (p == L->p_unix_cs || p == L->p_dos_cs))
		/* the value as written: a UTF-8 dos charset compares as itself, then stores the default */
		charset_line(L, p == L->p_unix_cs, p == L->p_unix_cs ? L->c->assigns[ix].canon :
		    norm_blanks_arena(&L->ci->arena, L->c->assigns[ix].value));
	if (p == L->p_printing && !L->in_global)
		apply_printing(L, L->cur, L->c->assigns[ix].canon, ix);
	if (L->in_global && (p == L->p_idmap_backend || p == L->p_idmap_uid || p == L->p_idmap_gid))
		opt_set(L, L->global, p == L->p_idmap_backend ? "idmap config * : backend" : "idmap config * : range",
		    L->c->assigns[ix].canon, ix, NULL, IMPLIED_IDMAP);
}

/* ----------------------------------------------------------------- headers */

static void add_reopen(struct section *s, struct srcfile *f, const struct node *n)
{
	size_t k = s->nreopened;
	if ((k & (k - 1)) == 0) {   /* 0, 1, 2, 4, ...: double */
		size_t cap = k ? k * 2 : 1;
		s->reopened = xrealloc(s->reopened, cap * sizeof *s->reopened);
		s->reopened_file = xrealloc(s->reopened_file, cap * sizeof *s->reopened_file);
	}
	s->reopened[s->nreopened] = n;
	s->reopened_file[s->nreopened++] = f;
}

/* lp_do_section(). */
static void do_header(struct loader *L, struct srcfile *f, const struct node *n)
{
	const char *name = n->name ? n->name : "";
	bool isglobal = fold_eq(name, "global") || fold_eq(name, "globals");

	if (L->in_global && !isglobal)
		ad_dc_locals(L);
	L->in_global = isglobal;
	L->seen_header = true;
	if (isglobal) {
		struct section *g = &L->global->pub;
		if (g->header == NULL) {
			g->header = n;
			g->header_file = f;
		} else {
			add_reopen(g, f, n);
		}
		return;
	}
	service_ok(L);
	if (L->failed)
		return;
	char kb[256];
	char *k = name_key(L, name, kb, sizeof kb);
	struct isec *s = stab_find(L->ci, k, hash_str(k, 0));
	if (s != NULL) {
		add_reopen(&s->pub, f, n);
		drop_opts(L, s);
	} else {
		s = section_new(L, name, k, false);
		s->pub.header = n;
		s->pub.header_file = f;
		/* the lines up to the next header (a large file: waiting for the parser to get there) */
		struct tree *t = f->tree;
		for (size_t j = (size_t)(n - t->nodes) + 1, avail = 0;; j++) {
			if (j >= avail && (avail = tree_await(t, j)) <= j)
				break;
			if (t->nodes[j].kind == NODE_SECTION)
				break;
			s->hint += t->nodes[j].kind == NODE_PARAM;
		}
	}
	if (k != kb)
		free(k);
	L->cur = s;
	L->last = s;
}

/* Makes room for `want` assignments in all. */
static void reserve_assigns(struct loader *L, size_t want, bool touch)
{
	if (want <= L->capassigns)
		return;
	size_t old = L->capassigns;
	L->capassigns = want;
	L->c->assigns = bulk_realloc(L->c->assigns, old * sizeof *L->c->assigns, want * sizeof *L->c->assigns);
	L->ovr = bulk_realloc(L->ovr, old * sizeof *L->ovr, want * sizeof *L->ovr);
	if (touch) {
		prefault(L->c->assigns, want * sizeof *L->c->assigns);
		prefault(L->ovr, want * sizeof *L->ovr);
	}
}

/*
 * Runs the lines of f in order.  A large file is still being parsed: its
 * nodes are taken as they are finished (tree_await), and its tree is
 * complete when this returns.
 */
static void process_file(struct loader *L, struct srcfile *f)
{
	struct tree *t = f->tree;
	/*
	 * Touched at once when exact; while parsing it is a bound (each takes
	 * an '='), reserved up to what real files need (a line of 16 bytes or
	 * more per parameter), beyond which new_assign grows the array.
	 */
	size_t want = tree_param_bound(t);
	if (t->stream != NULL && want > f->len / 16 + 1024)
		want = f->len / 16 + 1024;
	reserve_assigns(L, L->c->nassigns + want, t->stream == NULL);
	for (size_t i = 0, avail = 0;; i++) {
		if (i == avail && (avail = tree_await(t, i)) <= i)
			break;
		const struct node *n = &t->nodes[i];
		switch (n->kind) {
		case NODE_SECTION:
			if (!L->failed)
				do_header(L, f, n);
			break;
		case NODE_PARAM:
			do_param(L, f, n);
			break;
		case NODE_BADHEADER:
			fail_at(L, f, n, "a section header without a closing ']' makes the load fail");
			break;
		case NODE_EMPTYNAME:
			fail_at(L, f, n, "a line starting with '=' (no parameter name) makes the load fail");
			break;
		default:
			break;
		}
	}
	tree_parse_end(t);
}

/* ---------------------------------------------------------------- finishing */

static const struct assign *assign_at(const struct config *c, size_t ix)
{
	return ix == NONE ? NULL : &c->assigns[ix];
}

static void finish_share(struct loader *L, struct isec *s, struct value **scratch, size_t *scap)
{
	struct section *p = &s->pub;
	struct config *c = L->c;

	if (L->p_valid != NULL) {
		bool b = true;
		if (param_parse_bool(share_eff(L, s, L->p_valid), &b) && !b)
			p->hidden = true;
	}
	if (c->registry_backend)
		p->hidden = true;
	for (size_t i = 0; i < p->nvals; i++)
		p->vals[i].from = assign_at(c, meta_ix(&s->meta[i]));
	if (s->heap)
		free(s->meta);
	s->meta = NULL;
	/* table parameters sorted, then options in Samba's list order (newest first) */
	if (*scap < p->nvals) {
		*scap = p->nvals * 2;
		*scratch = xrealloc(*scratch, *scap * sizeof **scratch);
	}
	struct value *opts = *scratch;
	size_t k = 0, no = 0;
	for (size_t i = 0; i < p->nvals; i++) {
		if (p->vals[i].param == NULL) {
			opts[no++] = p->vals[i];
			continue;
		}
		struct value v = p->vals[i];
		size_t j = k++;
		for (; j > 0 && p->vals[j - 1].param > v.param; j--)
			p->vals[j] = p->vals[j - 1];
		p->vals[j] = v;
	}
	s->nregular = k;
	while (no > 0)
		p->vals[k++] = opts[--no];
}

static const char IMPLIED_LANMAN[] = "Samba turns it off when client NTLMv2 auth is on";
static const char IMPLIED_PLAINTEXT[] = "Samba turns it off when client lanman auth is off";

/* set_allowed_client_auth(), after the load: NTLMv2 rules out LANMAN, no LANMAN rules out plain text. */
static void client_auth(struct loader *L)
{
	const struct param *v2 = &param_table[PARAM_CLIENT_NTLMV2_AUTH];
	const struct param *lm = &param_table[PARAM_CLIENT_LANMAN_AUTH];
	const struct param *pt = &param_table[PARAM_CLIENT_PLAINTEXT_AUTH];
	bool b;
	size_t h = ix_get(L->ci->hcur, param_index(v2));
	size_t from = h == NONE ? NONE : meta_ix(&L->ci->hist[h].m);
	if (param_parse_bool(global_eff(L, v2), &b) && b && param_parse_bool(global_eff(L, lm), &b) && b)
		global_set(L, lm, "No", from, IMPLIED_LANMAN, false);
	h = ix_get(L->ci->hcur, param_index(lm));
	from = h == NONE ? NONE : meta_ix(&L->ci->hist[h].m);
	if (param_parse_bool(global_eff(L, lm), &b) && !b && param_parse_bool(global_eff(L, pt), &b) && b)
		global_set(L, pt, "No", from, IMPLIED_PLAINTEXT, false);
}

static const char IMPLIED_REGISTRY[] = "Samba reads the registry instead of the file (config backend = registry)";

/*
 * `config backend = registry`: after reading the file, Samba starts over
 * from the registry (lp_load_ex), so nothing the file set stays.  What the
 * registry holds is unknown here: keep only what the switch itself sets.
 */
static void registry_restart(struct loader *L)
{
	struct cfgi *ci = L->ci;
	const struct param *pb = &param_table[PARAM_CONFIG_BACKEND];
	if (L->failed || !str_caseeq(global_eff(L, pb), "registry"))
		return;
	size_t h = ix_get(ci->hcur, param_index(pb));
	size_t from = h == NONE ? NONE : meta_ix(&ci->hist[h].m);
	L->c->registry_backend = true;
	memset(ci->hcur, 0, param_count * sizeof *ci->hcur);
	memset(ci->gmarked, 0, param_count);
	for (size_t i = 0; i < L->ohcap; i++)
		if (L->oh[i].s == L->global)
			L->oh[i].s = TOMB;
	ci->ngopt = 0;
	opt_set(L, L->global, "idmap config * : backend", "tdb", NONE, NULL, IMPLIED_REGISTRY);
	global_set(L, L->p_regshares, "Yes", from, IMPLIED_REGISTRY, true);
}

static void finish(struct loader *L)
{
	struct config *c = L->c;
	struct cfgi *ci = L->ci;

	registry_restart(L);
	for (size_t i = 0; i < c->nassigns; i++)
		c->assigns[i].overrides = assign_at(c, L->ovr[i]);
	for (size_t i = 0; i < ci->nhist; i++)
		ci->hist[i].v.from = assign_at(c, meta_ix(&ci->hist[i].m));

	/* [global]: the last value of each parameter, then its options */
	struct section *g = &L->global->pub;
	size_t n = ci->ngopt;
	ci->gpos = xcalloc(param_count, sizeof *ci->gpos);
	ci->gshare = xmalloc(param_count * sizeof *ci->gshare);
	for (size_t pi = 0; pi < param_count; pi++)
		if (ci->hcur[pi] != 0)
			n++;
	g->vals = xmalloc((n ? n : 1) * sizeof *g->vals);
	g->nvals = g->capvals = n;
	size_t k = 0;
	for (size_t pi = 0; pi < param_count; pi++) {
		if (ci->hcur[pi] == 0)
			continue;
		ix_set(ci->gpos, pi, k);
		g->vals[k++] = ci->hist[ix_get(ci->hcur, pi)].v;
		if (param_table[pi].scope == PS_SHARE)
			ci->gshare[ci->ngshare++] = (uint32_t)pi;
	}
	L->global->nregular = k;
	for (size_t i = ci->ngopt; i-- > 0;) {
		g->vals[k] = ci->gopt[i];
		g->vals[k++].from = assign_at(c, meta_ix(&ci->goptm[i]));
	}
	struct value *scratch = NULL;
	size_t scap = 0;
	for (size_t i = 1; i < c->nsections; i++)
		finish_share(L, isec_of(c->sections[i]), &scratch, &scap);
	free(scratch);
}

static void loader_init(struct loader *L, struct cfgi *ci, const struct config_opts *opts)
{
	static const enum param_id cmds[7] = {PARAM_LPQ_COMMAND, PARAM_LPRM_COMMAND, PARAM_PRINT_COMMAND,
	    PARAM_LPPAUSE_COMMAND, PARAM_LPRESUME_COMMAND, PARAM_QUEUEPAUSE_COMMAND, PARAM_QUEUERESUME_COMMAND};
	static const enum param_id adl[5] = {PARAM_MAP_HIDDEN, PARAM_MAP_SYSTEM, PARAM_MAP_READONLY,
	    PARAM_MAP_ARCHIVE, PARAM_STORE_DOS_ATTRIBUTES};

	memset(L, 0, sizeof *L);
	L->ci = ci;
	L->c = &ci->pub;
	L->maxsize = opts && opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE;
	L->root = opts && opts->include_root ? opts->include_root : "/";
	L->follow = opts ? opts->follow_includes : true;
	L->opts = opts;
	L->in_global = true;
	L->pos = xcalloc(param_count, sizeof *L->pos);
	ci->hcur = xcalloc(param_count, sizeof *ci->hcur);
	ci->gmarked = xcalloc(param_count, 1);
	L->plain = xcalloc(param_count, 1);
	L->p_include = &param_table[PARAM_INCLUDE];
	L->p_unix_cs = &param_table[PARAM_UNIX_CHARSET];
	L->p_dos_cs = &param_table[PARAM_DOS_CHARSET];
	L->cs_active = L->cs_unix = "UTF-8";
	L->cs_dos = "CP850";
	L->cs_pull = L->cs_push = (iconv_t)-1;
	L->p_copy = &param_table[PARAM_COPY];
	L->p_printing = &param_table[PARAM_PRINTING];
	L->p_path = &param_table[PARAM_PATH];
	L->p_msdfs = &param_table[PARAM_MSDFS_PROXY];
	L->p_available = &param_table[PARAM_AVAILABLE];
	L->p_printable = &param_table[PARAM_PRINTABLE];
	L->p_browseable = &param_table[PARAM_BROWSEABLE];
	L->p_valid = &param_table[PARAM_VALID];
	L->p_regshares = &param_table[PARAM_REGISTRY_SHARES];
	L->p_role = &param_table[PARAM_SERVER_ROLE];
	L->p_security = &param_table[PARAM_SECURITY];
	L->p_vfs = &param_table[PARAM_VFS_OBJECTS];
	L->p_passdb = &param_table[PARAM_PASSDB_BACKEND];
	L->p_winbind_sep = &param_table[PARAM_WINBIND_SEPARATOR];
	L->p_idmap_backend = &param_table[PARAM_IDMAP_BACKEND];
	L->p_idmap_uid = &param_table[PARAM_IDMAP_UID];
	L->p_idmap_gid = &param_table[PARAM_IDMAP_GID];
	for (int i = 0; i < 7; i++)
		L->p_cmd[i] = &param_table[cmds[i]];
	for (int i = 0; i < 5; i++)
		L->p_adlocal[i] = &param_table[adl[i]];
}

static void loader_done(struct loader *L)
{
	arena_trim(L->ci->arena);   /* loading is over: nothing more goes into it */
	bulk_shrink(L->c->assigns, L->c->nassigns * sizeof *L->c->assigns);   /* room reserved for lines that were not parameters */
	bulk_free(L->ovr);
	free(L->pos);
	free(L->oh);
	free(L->vm);
	free(L->ghist);
	free(L->plain);
	if (L->cs_pull != (iconv_t)-1)
		iconv_close(L->cs_pull);
	if (L->cs_push != (iconv_t)-1)
		iconv_close(L->cs_push);
}

struct config *config_load_mem(const char *path, unsigned char *data, size_t len, const struct config_opts *opts)
{
	struct cfgi *ci = xcalloc(1, sizeof *ci);
	struct loader L;
	struct config_opts defaults = {.include_root = "/", .follow_includes = true};

	loader_init(&L, ci, opts ? opts : &defaults);
	/* a small file gets a small first block: most configurations are a few dozen lines */
	arena_grow(&ci->arena, 0, len < ABLOCK / 8 ? len * 4 + 1024 : ABLOCK);
	struct srcfile *top = src_new(path, data, len);
	tree_parse_begin(top);
	L.lines_left = SRC_MAX_LINES;
	L.uncounted = top;
	add_file(&L, top);
	L.global = section_new(&L, "global", "global", true);
	opt_set(&L, L.global, "idmap config * : backend", "tdb", NONE, NULL,
	    "Samba sets it before reading the file");
	process_file(&L, top);
	if (!L.failed) {
		service_ok(&L);
		client_auth(&L);
		ad_dc_enforce(&L);
	}
	finish(&L);
	loader_done(&L);
	return &ci->pub;
}

struct config *config_load(const char *path, const struct config_opts *opts, char **err)
{
	unsigned char *data;
	size_t len;
	char *e = NULL;
	size_t max = opts && opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE;

	if (err != NULL)
		*err = NULL;
	if (read_file_big(path, max, &data, &len, &e) != 0) {
		if (err != NULL)
			*err = e;
		else
			free(e);
		return NULL;
	}
	size_t lines;   /* counted only when the bytes alone could make too many lines */
	if (len > SRC_MAX_LINES && (lines = src_count_lines(data, len)) > SRC_MAX_LINES) {
		bulk_free(data);
		e = xasprintf("%s: too many lines (%zu; the limit is %zu)",
		    strcmp(path, "-") == 0 ? "<stdin>" : path, lines, SRC_MAX_LINES);
		if (err != NULL)
			*err = e;
		else
			free(e);
		return NULL;
	}
	return config_load_mem(path, data, len, opts);
}

void config_free(struct config *c)
{
	if (c == NULL)
		return;
	struct cfgi *ci = (struct cfgi *)c;
	for (size_t i = 0; i < c->nfiles; i++)
		src_free(c->files[i]);
	free(c->files);
	for (size_t i = 0; i < c->nsections; i++) {
		struct isec *s = isec_of(c->sections[i]);
		if (s->heap || s->pub.global)
			free(s->pub.vals);
		if (s->heap)
			free(s->meta);
		free(s->pub.reopened);
		free(s->pub.reopened_file);
	}
	free(c->sections);
	for (size_t i = 0; i < c->nincludes; i++) {
		free(c->includes[i].target);
		free(c->includes[i].resolved);
	}
	free(c->includes);
	for (size_t i = 0; i < c->nhomes; i++) {
		free(c->homes[i].name);
		free(c->homes[i].dir);
	}
	free(c->homes);
	bulk_free(c->assigns);
	free(c->fatal_reason);
	free(ci->stab);
	free(ci->hist);
	free(ci->hcur);
	free(ci->gmarked);
	free(ci->gpos);
	free(ci->gshare);
	free(ci->gopt);
	free(ci->goptm);
	arena_release(ci->arena);
	free(ci);
}

/* -------------------------------------------------------------- look-ups */

struct section *config_global(const struct config *c)
{
	return c->nsections ? c->sections[0] : NULL;
}

struct section *config_find(const struct config *c, const char *name)
{
	if (fold_eq(name, "global") || fold_eq(name, "globals"))
		return config_global(c);
	char kb[256];
	char *k = fold_tmp(name, kb, sizeof kb);
	struct isec *s = stab_find((const struct cfgi *)c, k, hash_str(k, 0));
	if (k != kb)
		free(k);
	/*
	 * Not found, or found under another spelling: a share of exactly these
	 * bytes comes first.  Keys made under another unix charset (or names
	 * Samba cannot lower-case) fold differently, so after a charset change
	 * a share can hold the key another share's name folds to.
	 */
	if (s == NULL || strcmp(s->pub.name, name) != 0)
		for (size_t i = 1; i < c->nsections; i++)
			if (strcmp(c->sections[i]->name, name) == 0)
				return c->sections[i];
	return s ? &s->pub : NULL;
}

const struct value *config_own(const struct section *s, const struct param *p)
{
	if (s == NULL || p == NULL)
		return NULL;
	p = param_canonical(p);
	const struct isec *is = isec_of(s);
	if (s->global) {
		size_t i = is->ci->gpos ? ix_get(is->ci->gpos, param_index(p)) : NONE;
		return i == NONE ? NULL : &s->vals[i];
	}
	size_t lo = 0, hi = is->nregular;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->vals[mid].param == p)
			return &s->vals[mid];
		if (s->vals[mid].param < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct value *config_lookup(const struct config *c, const struct section *s, const struct param *p)
{
	if (p == NULL)
		return NULL;
	p = param_canonical(p);
	const struct section *g = config_global(c);
	if (s == NULL || s->global || p->scope == PS_GLOBAL)
		return config_own(g, p);
	const struct value *v = config_own(s, p);
	if (v != NULL)
		return v;
	const struct cfgi *ci = (const struct cfgi *)c;
	size_t h = global_at(ci, p, isec_of(s)->gen);
	return h == NONE ? NULL : &ci->hist[h].v;
}

const struct value *config_opt(const struct config *c, const struct section *s, const char *name)
{
	const struct section *g = config_global(c);
	for (int pass = 0; pass < 2; pass++) {
		const struct section *t = pass == 0 ? s : g;
		if (t == NULL || (pass == 1 && s == g))
			continue;
		for (size_t i = isec_of(t)->nregular; i < t->nvals; i++)
			if (fold_eq(t->vals[i].name, name))
				return &t->vals[i];
	}
	return NULL;
}

const char *config_str(const struct config *c, const struct section *s, const struct param *p, samba_ver v)
{
	if (p == NULL)
		return NULL;
	const struct param *cp = param_canonical(p);
	const struct value *val = config_lookup(c, s, cp);
	const char *str = val ? val->canon : param_default_for(cp, v);
	if (str != NULL && (p->flags & PF_INVERSE)) {
		bool b;
		if (param_parse_bool(str, &b))
			return b ? "No" : "Yes";
	}
	return str;
}

bool config_bool(const struct config *c, const struct section *s, const struct param *p, samba_ver v)
{
	const char *str = config_str(c, s, p, v);
	bool b = false;
	if (str == NULL || !param_parse_bool(str, &b))
		return false;
	return b;
}

int config_enum(const struct config *c, const struct section *s, const struct param *p, samba_ver v)
{
	if (p == NULL)
		return -1;
	const struct param *cp = param_canonical(p);
	if (cp->type != PT_ENUM)
		return -1;
	const char *str = config_str(c, s, cp, v);
	int x;
	if (str == NULL || !param_enum_value(cp, str, &x))
		return -1;
	return x;
}

/* ------------------------------------------------------ auto-loaded homes */

static char *passwd_home(const char *user)
{
	struct passwd *pw = getpwnam(user);
	return pw != NULL && pw->pw_dir != NULL ? xstrdup(pw->pw_dir) : NULL;
}

/* A share smbd finds by this name: one of the file's (even one switched off by -valid) or a home added already. */
static bool service_exists(const struct config *c, const char *name)
{
	const struct section *s = config_find(c, name);
	if (s != NULL && !s->global)
		return true;
	for (size_t i = 0; i < c->nhomes; i++)
		if (fold_eq(c->homes[i].name, name))
			return true;
	return false;
}

/* lp_add_auto_services(): the names are split at blanks, commas and semicolons. */
void config_add_homes(struct config *c, config_home_lookup lookup)
{
	if (c == NULL || c->load_failed || c->registry_backend || c->nhomes > 0)
		return;
	const struct section *homes = config_find(c, "homes");
	if (homes == NULL || homes->global || homes->hidden)
		return;
	const char *list = config_str(c, config_global(c), &param_table[PARAM_AUTO_SERVICES], 0);
	if (list == NULL || *list == '\0')
		return;
	if (lookup == NULL)
		lookup = passwd_home;
	char *copy = xstrdup(list);
	size_t cap = 0;
	for (char *save = NULL, *tok = strtok_r(copy, " \t,;\n\r", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t,;\n\r", &save)) {
		/* a %-macro is expanded for the connecting client: which user that is, is unknown here */
		if (strchr(tok, '%') != NULL || service_exists(c, tok))
			continue;
		char *dir = lookup(tok);
		if (dir == NULL || *dir == '\0') {
			free(dir);
			continue;
		}
		if (c->nhomes == cap) {
			cap = cap ? cap * 2 : 4;
			c->homes = xrealloc(c->homes, cap * sizeof *c->homes);
		}
		c->homes[c->nhomes].name = xstrdup(tok);
		c->homes[c->nhomes++].dir = dir;
	}
	free(copy);
}

bool config_is_system(const struct config *c)
{
	if (c == NULL || c->nfiles == 0 || strcmp(c->files[0]->path, "-") == 0)
		return false;
	struct stat a, b;
	return stat(c->files[0]->path, &a) == 0 && stat("/etc/samba/smb.conf", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* ---------------------------------------------------------------- printing */

/* Samba's equal_parameter(): strings compare ignoring case, the rest as printed. */
static bool value_eq(const struct param *p, const char *a, const char *b)
{
	if ((a == param_empty_list) != (b == param_empty_list))
		return false;   /* an empty list is not no list */
	if (p->type == PT_STRING || p->type == PT_USTRING)
		return str_caseeq(a, b);
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool is_default(const struct param *p, const char *canon)
{
	return param_def(p) != NULL && value_eq(p, canon, param_def(p));
}

/*
 * An upper-case parameter (workgroup, netbios name, netbios scope) whose
 * bytes the unix charset cannot convert: Samba keeps them as written, so
 * the value differs from the default, and prints it as nothing (testparm:
 * 'netbios scope = ').
 */
static bool ustring_unprintable(const struct param *p, const struct value *v)
{
	return p->type == PT_USTRING && v->canon != NULL && v->canon[0] == '\0' && v->from != NULL &&
	    v->from->value != NULL && v->from->value[0] != '\0';
}

/*
 * Output goes through a buffer of our own: a big configuration prints
 * hundreds of thousands of short pieces, and stdio's per-call work would
 * cost more than everything else.
 */
struct pbuf {
	FILE *out;
	size_t n;
	char b[1 << 16];
};

static void pb_flush(struct pbuf *o)
{
	if (o->n)
		fwrite(o->b, 1, o->n, o->out);
	o->n = 0;
}

static void pb_add(struct pbuf *o, const char *s, size_t n)
{
	if (n > sizeof o->b - o->n) {
		pb_flush(o);
		if (n > sizeof o->b) {
			fwrite(s, 1, n, o->out);
			return;
		}
	}
	memcpy(o->b + o->n, s, n);
	o->n += n;
}

static void pb_puts(struct pbuf *o, const char *s)
{
	pb_add(o, s, strlen(s));
}

static void pb_putc(struct pbuf *o, char c)
{
	if (o->n == sizeof o->b)
		pb_flush(o);
	o->b[o->n++] = c;
}

static void pb_uint(struct pbuf *o, unsigned v)
{
	char t[16];
	size_t i = sizeof t;
	do
		t[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	pb_add(o, t + i, sizeof t - i);
}

static void print_origin(struct pbuf *out, const struct value *v)
{
	pb_puts(out, "\t# ");
	if (v == NULL) {
		pb_puts(out, "built-in default\n");
		return;
	}
	if (v->from != NULL) {
		const struct srcfile *f = v->from->file;
		pb_puts(out, f->display);
		pb_putc(out, ':');
		pb_uint(out, v->from->node->line);
		for (; f->parent != NULL; f = f->parent) {
			pb_puts(out, ", included from ");
			pb_puts(out, f->parent->display);
			pb_putc(out, ':');
			pb_uint(out, f->parent_line);
		}
	}
	if (v->copied_from != NULL) {
		pb_puts(out, v->from ? ", copied from [" : "copied from [");
		pb_puts(out, v->copied_from->name);
		pb_putc(out, ']');
	}
	if (v->implied != NULL) {
		if (v->from || v->copied_from)
			pb_puts(out, ": ");
		pb_puts(out, v->implied);
	}
	pb_putc(out, '\n');
}

static void print_value(struct pbuf *out, const char *name, const char *canon, const struct value *v, bool origins)
{
	if (origins)
		print_origin(out, v);
	pb_putc(out, '\t');
	pb_puts(out, name);
	pb_add(out, " = ", 3);
	pb_puts(out, canon ? canon : "");
	pb_putc(out, '\n');
}

static void print_global(const struct config *c, struct pbuf *out, bool origins)
{
	const struct cfgi *ci = (const struct cfgi *)c;
	const struct section *g = config_global(c);
	size_t nreg = isec_of(g)->nregular;

	pb_puts(out, "# Global parameters\n[global]\n");
	for (int scope = 0; scope < 2; scope++) {
		for (size_t i = 0; i < nreg; i++) {
			const struct value *v = &g->vals[i];
			const struct param *p = v->param;
			if ((scope == 0) != (p->scope == PS_GLOBAL) || param_name(p)[0] == '-')
				continue;
			/*
			 * testparm compares a char parameter with its default as an
			 * int, reading bytes past the char: a set one never matches.
			 */
			if (!ci->gmarked[param_index(p)] || (p->type != PT_CHAR && is_default(p, v->canon) &&
			    !ustring_unprintable(p, v)))
				continue;
			/* testparm sets the log level from its own command line, which a file cannot override */
			if (strcmp(param_name(p), "log level") == 0)
				continue;
			print_value(out, param_name(p), v->canon, v, origins);
		}
		if (scope == 0)
			for (size_t i = nreg; i < g->nvals; i++)
				print_value(out, g->vals[i].name, g->vals[i].canon, &g->vals[i], origins);
	}
}

static void print_share(const struct config *c, const struct section *s, struct pbuf *out, bool origins)
{
	const struct cfgi *ci = (const struct cfgi *)c;
	const struct section *g = config_global(c);
	const struct isec *is = isec_of(s);
	size_t a = 0, b = 0;

	pb_puts(out, "\n\n[");
	pb_puts(out, s->name);
	pb_puts(out, "]\n");
	/* merge the share's own parameters with those [global] set, in table order */
	while (a < is->nregular || b < ci->ngshare) {
		const struct param *pa = a < is->nregular ? s->vals[a].param : NULL;
		const struct param *pb = b < ci->ngshare ? &param_table[ci->gshare[b]] : NULL;
		const struct param *p;
		const struct value *own = NULL;   /* the share's own value of p: no look-up needed */
		if (pb == NULL || (pa != NULL && pa <= pb)) {
			p = pa;
			own = &s->vals[a++];
			if (pb == pa)
				b++;
		} else {
			p = pb;
			b++;
		}
		if (p->scope != PS_SHARE || param_name(p)[0] == '-')
			continue;
		const struct value *v = own != NULL ? own : config_lookup(c, s, p);
		const char *eff = v ? v->canon : (param_def(p) ? param_def(p) : "");
		const struct value *gv = config_own(g, p);
		const char *base = gv ? gv->canon : (param_def(p) ? param_def(p) : "");
		if (value_eq(p, eff, base))
			continue;
		print_value(out, param_name(p), eff, v, origins);
	}
	for (size_t i = is->nregular; i < s->nvals; i++)
		print_value(out, s->vals[i].name, s->vals[i].canon, &s->vals[i], origins);
}

/*
 * lp_add_home(): a copy of [homes] under the user's name, whose path is
 * the home directory when [homes] has none of its own (or the one [global]
 * sets), whose comment says whose home it is when [homes] has none, and
 * whose browseable and access based share enum are [global]'s.
 */
static void print_home(const struct config *c, const struct config_home *h, struct pbuf *out, bool origins)
{
	const struct section *g = config_global(c);
	const struct section *homes = config_find(c, "homes");
	const struct param *pp = &param_table[PARAM_PATH], *pc = &param_table[PARAM_COMMENT];
	const struct param *pbr = &param_table[PARAM_BROWSEABLE], *pab = &param_table[PARAM_ACCESS_BASED_SHARE_ENUM];
	const char *hpath = config_str(c, homes, pp, 0), *gpath = config_str(c, g, pp, 0);
	const char *hcomment = config_str(c, homes, pc, 0);
	char *comment = xasprintf("Home directory of %s", h->name);
	const struct value *auto_line = config_own(g, &param_table[PARAM_AUTO_SERVICES]);

	pb_puts(out, "\n\n[");
	pb_puts(out, h->name);
	pb_puts(out, "]\n");
	for (size_t i = 0; i < param_count; i++) {
		const struct param *p = &param_table[i];
		if (p->scope != PS_SHARE || param_name(p)[0] == '-' || param_canonical(p) != p)
			continue;
		const struct value *v = config_lookup(c, homes, p);
		const char *eff = v ? v->canon : (param_def(p) ? param_def(p) : "");
		struct value made = {.param = p, .name = param_name(p), .from = auto_line ? auto_line->from : NULL};
		if (p == pp && (hpath == NULL || *hpath == '\0' || (gpath != NULL && str_caseeq(hpath, gpath)))) {
			eff = h->dir;
			made.implied = "the user's home directory on this machine, as Samba adds a home share for each 'auto services' name";
			v = &made;
		} else if (p == pc && (hcomment == NULL || *hcomment == '\0')) {
			eff = comment;
			made.implied = "Samba's comment for a home share it adds for 'auto services'";
			v = &made;
		} else if (p == pbr || p == pab) {
			v = config_own(g, p);
			eff = v ? v->canon : (param_def(p) ? param_def(p) : "");
		}
		const struct value *gv = config_own(g, p);
		const char *base = gv ? gv->canon : (param_def(p) ? param_def(p) : "");
		if (!value_eq(p, eff, base))
			print_value(out, param_name(p), eff, v, origins);
	}
	const struct isec *is = isec_of(homes);
	for (size_t i = is->nregular; i < homes->nvals; i++)
		print_value(out, homes->vals[i].name, homes->vals[i].canon, &homes->vals[i], origins);
	free(comment);
}

void config_print(const struct config *c, FILE *fp, bool origins)
{
	struct pbuf *out = xmalloc(sizeof *out);
	out->out = fp;
	out->n = 0;
	print_global(c, out, origins);
	for (size_t i = 1; i < c->nsections; i++) {
		const struct section *s = c->sections[i];
		if (s->hidden || s->name[0] == '\0') {
			pb_putc(out, '\n');   /* testparm still writes the separator of a hidden share */
			continue;
		}
		print_share(c, s, out, origins);
	}
	for (size_t i = 0; i < c->nhomes; i++)
		print_home(c, &c->homes[i], out, origins);
	pb_flush(out);
	free(out);
}
