/*
 * params.c - parameter lookup, value checking and did-you-mean suggestions
 * over the generated table in params_gen.c.
 *
 * The value rules below were measured against testparm 4.17.12 (see
 * test/unit/test_params.c, which holds every measured case): what Samba
 * refuses at load time ("Error loading services") is what
 * param_check_value() refuses, and the canonical text is what
 * `testparm -sv` prints back.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "util.h"

/* ASCII-only case folding: independent of the process locale. */
static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
}

/*
 * Generated with the table (params_gen.c): each parameter's folded name
 * (ASCII lower case, blanks removed) as an offset in param_strings, in
 * table order, strictly ascending.
 */
extern const unsigned short param_key_at[];
#define param_keys(i) (param_strings + param_key_at[i])
/* Also generated: the folded names hashed into slots (see scripts/gen-params.py). */
extern const unsigned param_slot_bits;
extern const unsigned short param_slots[];

static inline bool fold_name(const char *name, char key[PARAM_KEY_MAX], uint32_t *hash)
{
	uint32_t h = 2166136261u;   /* FNV-1a, as scripts/gen-params.py hashes the table's keys */
	size_t n = 0;
	for (; *name; name++) {
		if (is_blank((unsigned char)*name))
			continue;
		if (n + 1 >= PARAM_KEY_MAX)
			return false;
		key[n] = (char)lower((unsigned char)*name);
		h = (h ^ (unsigned char)key[n++]) * 16777619u;
	}
	key[n] = '\0';
	if (hash != NULL)
		*hash = h;
	return true;
}

bool param_fold(const char *name, char key[PARAM_KEY_MAX], uint32_t *hash)
{
	return fold_name(name, key, hash);
}

const struct param *param_lookup(const char *name)
{
	char key[PARAM_KEY_MAX];
	uint32_t h;
	if (name == NULL || !fold_name(name, key, &h))
		return NULL;
	size_t mask = ((size_t)1 << param_slot_bits) - 1;
	for (size_t i = h & mask; param_slots[i] != 0; i = (i + 1) & mask) {
		size_t ix = (size_t)param_slots[i] - 1;
		if (strcmp(param_keys(ix), key) == 0)
			return &param_table[ix];
	}
	return NULL;
}

/* The external definitions of the inline functions of params.h. */
extern inline const struct param *param_canonical(const struct param *p);
extern inline size_t param_index(const struct param *p);

const struct param *param_get(const char *canonical_name)
{
	const struct param *p = param_lookup(canonical_name);
	if (p == NULL || p->synonym_of >= 0) {
		fprintf(stderr, "smblint: internal error: \"%s\" is not a canonical Samba parameter\n",
		    canonical_name ? canonical_name : "(null)");
		abort();
	}
	return p;
}

bool param_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	if (s == NULL || s[0] == '\0')
		return false;   /* unset (no default) is no boolean */
	/* Values in effect come as testparm prints them: "Yes" and "No". */
	if (s[0] == 'Y' && s[1] == 'e' && s[2] == 's' && s[3] == '\0') {
		*out = true;
		return true;
	}
	if (s[0] == 'N' && s[1] == 'o' && s[2] == '\0') {
		*out = false;
		return true;
	}
	for (size_t i = 0; i < 4; i++) {
		if (fold_eq(s, yes[i])) {
			*out = true;
			return true;
		}
		if (fold_eq(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

static const struct param_enum *enum_entry(const struct param *p, const char *s)
{
	if (p->type != PT_ENUM || p->enums == 0 || s == NULL)
		return NULL;
	for (const struct param_enum *e = param_enums(p); e->name; e++)
		if (fold_eq(e->name, s))
			return e;
	return NULL;
}

bool param_enum_value(const struct param *p, const char *s, int *out)
{
	const struct param_enum *e = enum_entry(p, s);
	if (e == NULL)
		return false;
	*out = e->value;
	return true;
}

/* ------------------------------------------------------------------ */
/* Numbers, the way Samba's loader reads them.                         */

static bool is_digit_in(int c, unsigned base)
{
	int v;
	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return false;
	return (unsigned)v < base;
}

static unsigned digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	return (unsigned)(lower(c) - 'a' + 10);
}

/*
 * Reads digits of `base` from *sp into *val (64 bits).  Returns the number
 * of digits read; *overflow is set when the value does not fit.
 */
static size_t read_digits(const char **sp, unsigned base, uint64_t *val, bool *overflow)
{
	const char *s = *sp;
	size_t n = 0;
	uint64_t v = 0;
	*overflow = false;
	while (is_digit_in((unsigned char)*s, base)) {
		unsigned d = digit_value((unsigned char)*s);
		if (v > (UINT64_MAX - d) / base)
			*overflow = true;
		else
			v = v * base + d;
		s++;
		n++;
	}
	*sp = s;
	*val = v;
	return n;
}

/* Truncates to 32 bits, two's complement, as storing into a C int does. */
static int32_t wrap32(uint64_t v)
{
	uint32_t u = (uint32_t)v;
	return u <= INT32_MAX ? (int32_t)u : -(int32_t)(UINT32_MAX - u) - 1;
}

/*
 * P_INTEGER: strtol(s, NULL, 0) into a 64-bit long (saturating), then
 * truncated to int.  Garbage reads as 0 and is never an error; an empty
 * value reads as -1 (measured: `max connections =` prints -1).
 */
static int32_t parse_samba_int(const char *s)
{
	bool neg = false, overflow;
	uint64_t v;
	const char *p;

	while (is_blank((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -1;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && is_digit_in((unsigned char)s[2], 16)) {
		p = s + 2;
		read_digits(&p, 16, &v, &overflow);
	} else if (s[0] == '0') {
		p = s;
		read_digits(&p, 8, &v, &overflow);
	} else {
		p = s;
		read_digits(&p, 10, &v, &overflow);
	}
	/* Saturate like strtol on a 64-bit long. */
	if (!neg && (overflow || v > (uint64_t)INT64_MAX))
		return wrap32((uint64_t)INT64_MAX);
	if (neg && (overflow || v > (uint64_t)INT64_MAX + 1))
		return wrap32((uint64_t)INT64_MIN);
	return wrap32(neg ? (uint64_t)0 - v : v);
}

/*
 * P_OCTAL: sscanf("%o") must convert something: optional blanks, an
 * optional sign, then at least one octal digit; anything after the digits
 * is ignored.  The value goes through a 64-bit unsigned long (saturating)
 * and is truncated to int.
 */
static bool parse_samba_octal(const char *s, int32_t *out)
{
	bool neg = false, overflow;
	uint64_t v;

	while (is_blank((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (read_digits(&s, 8, &v, &overflow) == 0)
		return false;
	if (overflow)
		v = UINT64_MAX;
	else if (neg)
		v = (uint64_t)0 - v;
	*out = wrap32(v);
	return true;
}

static char *format_octal(int32_t v)
{
	/* testparm prints -1 as such and everything else as 0 + "%03o". */
	if (v == -1)
		return xstrdup("-1");
	return xasprintf("0%03o", (unsigned)(uint32_t)v);
}

/*
 * P_BYTES: optional '+', decimal digits, optional blanks, an optional
 * single K, M or G (any case), nothing else; the result must fit in an int.
 * No sign '-', no hex, no T/P, no "KB".
 */
static bool parse_samba_bytes(const char *s, int64_t *out)
{
	bool overflow;
	uint64_t v, mult = 1;

	while (is_blank((unsigned char)*s))
		s++;
	if (*s == '+')
		s++;
	if (read_digits(&s, 10, &v, &overflow) == 0 || overflow)
		return false;
	while (is_blank((unsigned char)*s))
		s++;
	switch (lower((unsigned char)*s)) {
	case 'k': mult = 1024; s++; break;
	case 'm': mult = 1024 * 1024; s++; break;
	case 'g': mult = 1024 * 1024 * 1024; s++; break;
	default: break;
	}
	while (is_blank((unsigned char)*s))
		s++;
	if (*s != '\0' || v > INT_MAX / mult)
		return false;
	*out = (int64_t)(v * mult);
	return true;
}

/* A whole-token unsigned number: optional '+', digits of base, nothing else. */
static bool parse_full_unsigned(const char *s, unsigned base, uint64_t *out)
{
	bool overflow;
	if (*s == '+')
		s++;
	if (read_digits(&s, base, out, &overflow) == 0 || overflow || *s != '\0')
		return false;
	return true;
}

/* sscanf("%d"): blanks, optional sign, decimal digits (strtol, then int). */
static bool scan_int(const char **sp, int32_t *out)
{
	const char *s = *sp;
	bool neg = false, overflow;
	uint64_t v;

	while (is_blank((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (read_digits(&s, 10, &v, &overflow) == 0)
		return false;
	if (!neg && (overflow || v > (uint64_t)INT64_MAX))
		v = (uint64_t)INT64_MAX;
	else if (neg && (overflow || v > (uint64_t)INT64_MAX + 1))
		v = (uint64_t)INT64_MIN;
	else if (neg)
		v = (uint64_t)0 - v;
	*out = wrap32(v);
	*sp = s;
	return true;
}

/*
 * "rpc server dynamic port range": sscanf("%d - %d") must read both
 * numbers (trailing text is ignored), 1024 <= low <= high <= 65535.
 */
static bool check_port_range(const char *s)
{
	int32_t low, high;
	if (!scan_int(&s, &low))
		return false;
	while (is_blank((unsigned char)*s))
		s++;
	if (*s++ != '-')
		return false;
	if (!scan_int(&s, &high))
		return false;
	return low >= 1024 && high <= 65535 && low <= high;
}

/* ------------------------------------------------------------------ */
/* Lists.                                                              */

struct strlist {
	char **v;
	size_t n, cap;
};

static void strlist_add(struct strlist *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = s;
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/*
 * Samba's list splitting: elements are separated by blanks, ',' or ';'
 * outside double quotes; quotes group and are dropped.  Runs of separators
 * make no empty elements, but a quoted empty string ("") is one.
 */
static void split_list(const char *s, struct strlist *out)
{
	struct sbuf cur = {0};
	bool quoted = false, have = false;

	for (;; s++) {
		char c = *s;
		if (c == '\0' || (!quoted && (is_blank((unsigned char)c) || c == ',' || c == ';'))) {
			if (have)
				strlist_add(out, sbuf_take(&cur));
			have = false;
			if (c == '\0')
				break;
			continue;
		}
		have = true;
		if (c == '"')
			quoted = !quoted;
		else
			sbuf_addc(&cur, c);
	}
}

/* testparm's list printing: elements holding a space are quoted. */
static char *join_list(const struct strlist *l, const char *sep)
{
	struct sbuf b = {0};
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			sbuf_adds(&b, sep);
		if (strchr(l->v[i], ' '))
			sbuf_addf(&b, "\"%s\"", l->v[i]);
		else
			sbuf_adds(&b, l->v[i]);
	}
	return sbuf_take(&b);
}

static bool list_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

/*
 * P_LIST, as Samba's loader sets one (lib/param's set_variable_helper):
 *   - a value without elements (empty, or only separators such as ",")
 *     leaves the list as it was;
 *   - while there is a list, elements "+x" and "-x" edit it (append when
 *     missing / remove, case-sensitively), and the first element that is
 *     neither makes the load fail, unless it is the first of the value:
 *     then the value replaces the list, the rest of it taken as written;
 *   - while there is none (the parameter was never set and has no default),
 *     every value is taken as written, "+x" included.
 */
bool param_list_apply(const char *current, const char *value, char **canon)
{
	struct strlist in = {0}, cur = {0};
	bool ok = true, replace = false;

	if (canon)
		*canon = NULL;
	split_list(value, &in);
	if (current != NULL)
		split_list(current, &cur);
	for (size_t i = 0; i < in.n; i++) {
		const char *e = in.v[i];
		if (current != NULL && e[0] == '+' && e[1] != '\0') {
			if (!list_has(&cur, e + 1))
				strlist_add(&cur, xstrdup(e + 1));
		} else if (current != NULL && e[0] == '-' && e[1] != '\0') {
			size_t k = 0;
			for (size_t j = 0; j < cur.n; j++) {
				if (strcmp(cur.v[j], e + 1) == 0)
					free(cur.v[j]);
				else
					cur.v[k++] = cur.v[j];
			}
			cur.n = k;
		} else {
			ok = i == 0;
			replace = true;
			break;
		}
	}
	if (ok && canon)
		*canon = in.n == 0 && current == NULL ? xstrdup("") : join_list(replace ? &in : &cur, ", ");
	strlist_free(&in);
	strlist_free(&cur);
	return ok;
}

size_t param_list_elements(const char *value)
{
	struct strlist l = {0};
	split_list(value, &l);
	size_t n = l.n;
	strlist_free(&l);
	return n;
}

size_t param_list_split(const char *value, char ***elements)
{
	struct strlist l = {0};
	split_list(value, &l);
	*elements = l.v;
	return l.n;
}

void param_list_free(char **elements, size_t n)
{
	struct strlist l = {.v = elements, .n = n, .cap = n};
	strlist_free(&l);
}

bool param_charset_utf8(const char *v)
{
	size_t n = strlen(v);
	return (n == 4 || n == 5) && strncasecmp(v, "utf", 3) == 0 && strcmp(v + 3, n == 4 ? "8" : "-8") == 0;
}

const char param_empty_list[] = "";

/* The list in force before a line sets p: its default (none when that is empty). */
static bool check_plain_list(const struct param *c, const char *value, char **canon)
{
	const char *d = param_def(c);
	return param_list_apply(d != NULL && *d != '\0' ? d : NULL, value, canon);
}

/* "kdc (default domain) supported enctypes": names or numbers, ORed. */
static bool check_enctypes(const char *value, char **canon)
{
	static const struct { const char *name; unsigned bit; } names[] = {
		{ "arcfour-hmac-md5", 0x4 }, { "rc4-hmac", 0x4 },
		{ "aes128-cts-hmac-sha1-96", 0x8 }, { "aes128-cts", 0x8 },
		{ "aes256-cts-hmac-sha1-96", 0x10 }, { "aes256-cts", 0x10 },
	};
	struct strlist l = {0};
	uint64_t all = 0;
	bool ok = true;

	/* This one splits on blanks and ',' only, and knows no quotes. */
	for (const char *s = value; *s;) {
		size_t n = 0;
		while (*s && (is_blank((unsigned char)*s) || *s == ','))
			s++;
		while (s[n] && !is_blank((unsigned char)s[n]) && s[n] != ',')
			n++;
		if (n)
			strlist_add(&l, xstrndup(s, n));
		s += n;
	}
	for (size_t i = 0; i < l.n && ok; i++) {
		const char *e = l.v[i];
		uint64_t v = 0;
		bool named = false;
		for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
			if (fold_eq(e, names[k].name)) {
				v = names[k].bit;
				named = true;
				break;
			}
		}
		if (!named) {
			/* Only a lower-case "0x" prefix means hex. */
			if (e[0] == '0' && e[1] == 'x')
				ok = parse_full_unsigned(e + 2, 16, &v);
			else
				ok = parse_full_unsigned(e, 10, &v);
		}
		all |= v;
	}
	strlist_free(&l);
	if (ok && canon)
		*canon = xasprintf("%d", (int)wrap32(all));
	return ok;
}

/*
 * The loader's check of "smb ports": every element a decimal 1..65535.  An
 * empty value is refused, but one of only separators (",") is not.
 */
static bool check_ports(const char *value, const struct strlist *l)
{
	if (*value == '\0')
		return false;
	for (size_t i = 0; i < l->n; i++) {
		uint64_t v;
		if (!parse_full_unsigned(l->v[i], 10, &v) || v < 1 || v > 65535)
			return false;
	}
	return true;
}

/* "name resolve order": lmhosts, wins, host, bcast (case-sensitive), at least one. */
static bool check_resolve_order(const struct strlist *l)
{
	if (l->n == 0)
		return false;
	for (size_t i = 0; i < l->n; i++) {
		const char *e = l->v[i];
		if (strcmp(e, "lmhosts") && strcmp(e, "wins") && strcmp(e, "host") && strcmp(e, "bcast"))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Upper-casing as Samba does for workgroup, netbios name and realm.   */

/*
 * Samba 4.17's upper case of a code point (workgroup, netbios name, netbios
 * scope, realm), as measured with testparm: each BMP character that has a
 * one-character case partner in Unicode, as the last letter of a workgroup.
 * Runs {first, last, delta, step}: every step-th code point from first to
 * last maps to itself + delta.  No mapping changes a UTF-8 sequence's length
 * (4.17 leaves dotless i, long s, micro sign, U+0450 and U+045D alone).
 */
static const struct case_run upper_runs[] = {
	{0x00e0, 0x00f6, -32, 1},
	{0x00f8, 0x00fe, -32, 1},
	{0x00ff, 0x00ff, 121, 1},
	{0x0101, 0x012f, -1, 2},
	{0x0133, 0x0137, -1, 2},
	{0x013a, 0x0148, -1, 2},
	{0x014b, 0x0177, -1, 2},
	{0x017a, 0x017e, -1, 2},
	{0x0183, 0x0185, -1, 2},
	{0x0188, 0x0188, -1, 1},
	{0x018c, 0x018c, -1, 1},
	{0x0192, 0x0192, -1, 1},
	{0x0199, 0x0199, -1, 1},
	{0x01a1, 0x01a5, -1, 2},
	{0x01a8, 0x01a8, -1, 1},
	{0x01ad, 0x01ad, -1, 1},
	{0x01b0, 0x01b0, -1, 1},
	{0x01b4, 0x01b6, -1, 2},
	{0x01b9, 0x01b9, -1, 1},
	{0x01bd, 0x01bd, -1, 1},
	{0x01c6, 0x01c6, -2, 1},
	{0x01c9, 0x01c9, -2, 1},
	{0x01cc, 0x01cc, -2, 1},
	{0x01ce, 0x01dc, -1, 2},
	{0x01dd, 0x01dd, -79, 1},
	{0x01df, 0x01ef, -1, 2},
	{0x01f3, 0x01f3, -2, 1},
	{0x01f5, 0x01f5, -1, 1},
	{0x01fb, 0x0217, -1, 2},
	{0x0253, 0x0253, -210, 1},
	{0x0254, 0x0254, -206, 1},
	{0x0256, 0x0257, -205, 1},
	{0x0259, 0x0259, -202, 1},
	{0x025b, 0x025b, -203, 1},
	{0x0260, 0x0260, -205, 1},
	{0x0263, 0x0263, -207, 1},
	{0x0268, 0x0268, -209, 1},
	{0x0269, 0x0269, -211, 1},
	{0x026f, 0x026f, -211, 1},
	{0x0272, 0x0272, -213, 1},
	{0x0275, 0x0275, -214, 1},
	{0x0283, 0x0283, -218, 1},
	{0x0288, 0x0288, -218, 1},
	{0x028a, 0x028b, -217, 1},
	{0x0292, 0x0292, -219, 1},
	{0x03ac, 0x03ac, -38, 1},
	{0x03ad, 0x03af, -37, 1},
	{0x03b1, 0x03c1, -32, 1},
	{0x03c2, 0x03c2, -31, 1},
	{0x03c3, 0x03cb, -32, 1},
	{0x03cc, 0x03cc, -64, 1},
	{0x03cd, 0x03ce, -63, 1},
	{0x03e3, 0x03ef, -1, 2},
	{0x0430, 0x044f, -32, 1},
	{0x0451, 0x045c, -80, 1},
	{0x045e, 0x045f, -80, 1},
	{0x0461, 0x0481, -1, 2},
	{0x0491, 0x04bf, -1, 2},
	{0x04c2, 0x04c4, -1, 2},
	{0x04c8, 0x04c8, -1, 1},
	{0x04cc, 0x04cc, -1, 1},
	{0x04d1, 0x04eb, -1, 2},
	{0x04ef, 0x04f5, -1, 2},
	{0x04f9, 0x04f9, -1, 1},
	{0x0561, 0x0586, -48, 1},
	{0x1e01, 0x1e95, -1, 2},
	{0x1ea1, 0x1ef9, -1, 2},
	{0x1f00, 0x1f07, 8, 1},
	{0x1f10, 0x1f15, 8, 1},
	{0x1f20, 0x1f27, 8, 1},
	{0x1f30, 0x1f37, 8, 1},
	{0x1f40, 0x1f45, 8, 1},
	{0x1f51, 0x1f57, 8, 2},
	{0x1f60, 0x1f67, 8, 1},
	{0x1f70, 0x1f71, 74, 1},
	{0x1f72, 0x1f75, 86, 1},
	{0x1f76, 0x1f77, 100, 1},
	{0x1f78, 0x1f79, 128, 1},
	{0x1f7a, 0x1f7b, 112, 1},
	{0x1f7c, 0x1f7d, 126, 1},
	{0x1fb0, 0x1fb1, 8, 1},
	{0x1fd0, 0x1fd1, 8, 1},
	{0x1fe0, 0x1fe1, 8, 1},
	{0x1fe5, 0x1fe5, 7, 1},
	{0x2170, 0x217f, -16, 1},
	{0x24d0, 0x24e9, -26, 1},
	{0xff41, 0xff5a, -32, 1},
};

unsigned case_run_map(const struct case_run *runs, size_t n, unsigned c)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (runs[mid].last < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && c >= runs[lo].first && (c - runs[lo].first) % runs[lo].step == 0)
		return (unsigned)((int)c + runs[lo].delta);
	return c;
}

static unsigned upper_cp(unsigned c)
{
	if (c < 0x80)
		return (unsigned)upper((int)c);
	return case_run_map(upper_runs, sizeof upper_runs / sizeof upper_runs[0], c);
}

/*
 * The value upper-cased as Samba 4.17 does (strupper_talloc(), UTF-8), one
 * character at a time.  Where a character does not convert (a byte that
 * starts no UTF-8 sequence, a cut or overlong one, a surrogate) Samba's
 * copy fails and the parameter is left empty: "" here.  A four-byte
 * sequence beyond U+10FFFF comes back as U+10000 plus its offset modulo
 * 2^20, as 4.17's UTF-16 round trip makes it.
 */
static char *samba_upper(const char *s)
{
	struct sbuf b = {0};
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, len, cp;
		if (c < 0x80) {
			sbuf_addc(&b, (char)upper((int)c));
			p++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			len = 2, cp = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			len = 3, cp = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			len = 4, cp = c & 0x07;
		else
			goto fail;
		for (unsigned i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				goto fail;
			cp = (cp << 6) | (p[i] & 0x3fu);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && cp < 0x10000))
			goto fail;
		if (len == 4)
			cp = 0x10000 + ((cp - 0x10000) & 0xfffff);
		else
			cp = upper_cp(cp);
		if (cp < 0x800) {
			sbuf_addc(&b, (char)(0xc0 | (cp >> 6)));
		} else if (cp < 0x10000) {
			sbuf_addc(&b, (char)(0xe0 | (cp >> 12)));
			sbuf_addc(&b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		} else {
			sbuf_addc(&b, (char)(0xf0 | (cp >> 18)));
			sbuf_addc(&b, (char)(0x80 | ((cp >> 12) & 0x3f)));
			sbuf_addc(&b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		}
		sbuf_addc(&b, (char)(0x80 | (cp & 0x3f)));
		p += len;
	}
	return sbuf_take(&b);
fail:
	free(sbuf_take(&b));
	return xstrdup("");
}

/* ------------------------------------------------------------------ */

/* The loader sees the value with leading and trailing blanks removed. */
static char *trimmed(const char *s)
{
	size_t n;
	while (*s && is_blank((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_blank((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static bool check_trimmed(const struct param *p, const char *v, char **canon)
{
	const struct param *c = param_canonical(p);
	bool b;

	switch (p->type) {
	case PT_BOOL:
	case PT_BOOLREV:
		if (!param_parse_bool(v, &b))
			return false;
		if (p->type == PT_BOOLREV)
			b = !b;
		if (canon)
			*canon = xstrdup(b ? "Yes" : "No");
		return true;
	case PT_ENUM: {
		const struct param_enum *e = enum_entry(p, v);
		if (e == NULL)
			return false;
		if (canon)
			*canon = xstrdup(e->canon);
		return true;
	}
	case PT_INTEGER: {
		if (strcmp(param_name(c), "kdc supported enctypes") == 0 ||
		    strcmp(param_name(c), "kdc default domain supported enctypes") == 0)
			return check_enctypes(v, canon);
		int32_t n = parse_samba_int(v);
		/* testparm shows values below 1 as the default here. */
		if (strcmp(param_name(c), "smb2 max credits") == 0 && n < 1 && param_def(c)) {
			if (canon)
				*canon = xstrdup(param_def(c));
			return true;
		}
		if (canon)
			*canon = xasprintf("%d", (int)n);
		return true;
	}
	case PT_OCTAL: {
		int32_t n;
		if (!parse_samba_octal(v, &n))
			return false;
		if (canon)
			*canon = format_octal(n);
		return true;
	}
	case PT_BYTES: {
		int64_t n;
		if (!parse_samba_bytes(v, &n))
			return false;
		if (canon)
			*canon = xasprintf("%lld", (long long)n);
		return true;
	}
	case PT_CHAR:
		/* Any value: Samba keeps its first byte (none for an empty one). */
		if (canon)
			*canon = xstrndup(v, *v ? 1 : 0);
		return true;
	case PT_STRING:
		if (strcmp(param_name(c), "rpc server dynamic port range") == 0 && !check_port_range(v))
			return false;
		/* Samba refuses a UTF-8 dos charset (utf8, UTF-8 in any case) and stores its default */
		if (strcmp(param_name(c), "dos charset") == 0 && param_charset_utf8(v)) {
			if (canon)
				*canon = xstrdup(param_def(c));
			return true;
		}
		if (canon)
			*canon = strcmp(param_name(c), "realm") == 0 ? samba_upper(v) : xstrdup(v);
		return true;
	case PT_USTRING:
		if (canon)
			*canon = samba_upper(v);
		return true;
	case PT_CMDLIST: {
		struct strlist l = {0};
		bool ok = true;
		split_list(v, &l);
		if (strcmp(param_name(c), "smb ports") == 0)
			ok = check_ports(v, &l);
		else if (strcmp(param_name(c), "name resolve order") == 0)
			ok = check_resolve_order(&l);
		if (ok && canon)
			*canon = join_list(&l, " ");
		strlist_free(&l);
		return ok;
	}
	case PT_LIST:
		return check_plain_list(c, v, canon);
	}
	return false;
}

/* Whether every value is accepted for p, so that checking needs no work. */
static bool any_value(const struct param *p)
{
	const struct param *c = param_canonical(p);
	switch (p->type) {
	case PT_CHAR:
	case PT_USTRING:
		return true;
	case PT_STRING:
		return strcmp(param_name(c), "rpc server dynamic port range") != 0 &&
		    strcmp(param_name(c), "dos charset") != 0;
	case PT_INTEGER:
		return strcmp(param_name(c), "kdc supported enctypes") != 0 &&
		    strcmp(param_name(c), "kdc default domain supported enctypes") != 0;
	default:
		return false;
	}
}

bool param_check_value(const struct param *p, const char *value, char **canon)
{
	if (canon == NULL && any_value(p))
		return true;
	char *v = trimmed(value ? value : "");
	bool ok;

	if (canon)
		*canon = NULL;
	ok = check_trimmed(p, v, canon);
	free(v);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Did-you-mean.                                                       */

/*
 * Optimal-string-alignment (restricted Damerau-Levenshtein) distance; b is
 * a folded table name, so shorter than PARAM_KEY_MAX.  Gives up (SIZE_MAX) once
 * the distance is sure to exceed max.
 */
static size_t edit_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][PARAM_KEY_MAX];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (lb >= PARAM_KEY_MAX)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t row_min;
		cur[0] = row_min = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = prev[j - 1] + cost;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
			if (best < row_min)
				row_min = best;
		}
		/* A transposition reaches back two rows: both must be out of reach. */
		if (row_min > max && i > 1) {
			size_t prev_min = SIZE_MAX;
			for (size_t j = 0; j <= lb; j++)
				if (prev[j] < prev_min)
					prev_min = prev[j];
			if (prev_min > max)
				return SIZE_MAX;
		}
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* Replaces every "mask" by "mode" and the other way round. */
static char *swap_mask_mode(const char *key)
{
	struct sbuf b = {0};
	while (*key) {
		if (strncmp(key, "mask", 4) == 0) {
			sbuf_adds(&b, "mode");
			key += 4;
		} else if (strncmp(key, "mode", 4) == 0) {
			sbuf_adds(&b, "mask");
			key += 4;
		} else {
			sbuf_addc(&b, *key++);
		}
	}
	return sbuf_take(&b);
}

struct candidate {
	size_t dist, index;
	bool synonym;
};

static int candidate_cmp(const void *x, const void *y)
{
	const struct candidate *a = x, *b = y;
	if (a->dist != b->dist)
		return a->dist < b->dist ? -1 : 1;
	if (a->synonym != b->synonym)
		return a->synonym ? 1 : -1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static size_t diff(size_t a, size_t b)
{
	return a > b ? a - b : b - a;
}

/*
 * Letter counts of a folded name.  Every edit changes them little: a
 * substitution moves one count down and one up (2), an insertion or a
 * deletion one count (1), a transposition none.  So half the L1 distance
 * of two names' counts bounds their edit distance from below, and most of
 * the table is ruled out without running the distance itself.
 */
#define NBUCKET 32

static void histogram(const char *k, unsigned char h[NBUCKET])
{
	memset(h, 0, NBUCKET);
	for (; *k; k++) {
		unsigned c = (unsigned char)*k;
		unsigned b = c >= 'a' && c <= 'z' ? c - 'a' : 26 + c % 6;
		if (h[b] < 255)
			h[b]++;
	}
}

/* L1 distance of two histograms, stopping once it exceeds limit. */
static size_t hist_dist(const unsigned char *a, const unsigned char *b, size_t limit)
{
	size_t d = 0;
	for (int i = 0; i < NBUCKET && d <= limit; i++)
		d += a[i] > b[i] ? (size_t)(a[i] - b[i]) : (size_t)(b[i] - a[i]);
	return d;
}

static size_t bits(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	return (size_t)((((x + (x >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24);
}

/* Which buckets occur at all: an edit adds or drops at most two of them. */
static uint32_t presence(const unsigned char h[NBUCKET])
{
	uint32_t m = 0;
	for (int i = 0; i < NBUCKET; i++)
		m |= (uint32_t)(h[i] != 0) << i;
	return m;
}

static unsigned char (*key_hist)[NBUCKET];   /* per table entry, built on first use */
static size_t *key_len;
static uint32_t *key_mask;

static void build_key_hist(void)
{
	key_hist = xmalloc(param_count * sizeof *key_hist);
	key_len = xmalloc(param_count * sizeof *key_len);
	key_mask = xmalloc(param_count * sizeof *key_mask);
	for (size_t i = 0; i < param_count; i++) {
		histogram(param_keys(i), key_hist[i]);
		key_len[i] = strlen(param_keys(i));
		key_mask[i] = presence(key_hist[i]);
	}
}

/* The closest table entries to a folded key (up to SUGGEST_MAX, best first). */
#define SUGGEST_MAX 16

struct suggestion {
	size_t n;                        /* stored */
	size_t total;                    /* found (may exceed n) */
	unsigned short index[SUGGEST_MAX];
	unsigned char dist[SUGGEST_MAX];
};

static void suggest_compute(const char *key, struct suggestion *out)
{
	char *swapped = swap_mask_mode(key);
	size_t klen = strlen(key), slen = strlen(swapped), found = 0;
	size_t maxd = klen <= 4 ? 1 : 2;
	bool has_swap = strcmp(key, swapped) != 0;
	unsigned char hk[NBUCKET], hs[NBUCKET];
	struct candidate *c = NULL;
	size_t capc = 0;

	memset(out, 0, sizeof *out);
	if (klen == 0) {
		free(swapped);
		return;
	}
	if (key_hist == NULL)
		build_key_hist();
	histogram(key, hk);
	histogram(swapped, hs);
	uint32_t mk = presence(hk), ms = presence(hs);
	for (size_t i = 0; i < param_count; i++) {
		if (param_name(&param_table[i])[0] == '-')
			continue;
		const char *pk = param_keys(i);
		size_t plen = key_len[i], d = SIZE_MAX;
		if (diff(plen, klen) <= maxd && bits(mk ^ key_mask[i]) <= 2 * maxd &&
		    hist_dist(hk, key_hist[i], 2 * maxd) <= 2 * maxd)
			d = edit_distance(key, pk, maxd);
		if (has_swap && diff(plen, slen) + 1 <= maxd &&
		    bits(ms ^ key_mask[i]) <= 2 * (maxd - 1) &&
		    hist_dist(hs, key_hist[i], 2 * (maxd - 1)) <= 2 * (maxd - 1)) {
			size_t ds = edit_distance(swapped, pk, maxd - 1);
			if (ds != SIZE_MAX)
				ds++;
			if (ds < d)
				d = ds;
		}
		if (d > maxd)
			continue;
		if (found == capc) {
			capc = capc ? capc * 2 : 16;
			c = xrealloc(c, capc * sizeof *c);
		}
		c[found++] = (struct candidate){ d, i, param_table[i].synonym_of >= 0 };
	}
	if (found > 1)
		qsort(c, found, sizeof *c, candidate_cmp);
	out->total = found;
	out->n = found < SUGGEST_MAX ? found : SUGGEST_MAX;
	for (size_t i = 0; i < out->n; i++) {
		out->index[i] = (unsigned short)c[i].index;
		out->dist[i] = (unsigned char)c[i].dist;
	}
	free(c);
	free(swapped);
}

/*
 * Answers remembered by folded name: a long configuration tends to repeat
 * the same few misspellings.  The table stops growing at MEMO_MAX names;
 * later names are computed each time (the answer is the same either way).
 */
#define MEMO_MAX 4096

static struct memo_ent {
	char *key;
	struct suggestion s;
} *memo;
static size_t memo_used, memo_cap;

static size_t memo_hash(const char *k)
{
	size_t h = 2166136261u;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h;
}

static const struct suggestion *suggest_lookup(const char *key, struct suggestion *scratch)
{
	if (memo_cap == 0) {
		memo_cap = 2 * MEMO_MAX;   /* a power of two, never more than half full */
		memo = xcalloc(memo_cap, sizeof *memo);
	}
	size_t h = memo_hash(key) & (memo_cap - 1);
	for (; memo[h].key != NULL; h = (h + 1) & (memo_cap - 1))
		if (strcmp(memo[h].key, key) == 0)
			return &memo[h].s;
	suggest_compute(key, scratch);
	if (memo_used >= MEMO_MAX)
		return scratch;
	memo[h].key = xstrdup(key);
	memo[h].s = *scratch;
	memo_used++;
	return &memo[h].s;
}

/*
 * Candidates are table names within an edit distance of 2 of the folded
 * name (1 for names of 4 characters or fewer).  "mask" and "mode" are
 * confused so often (create mask / force create mode) that swapping them
 * costs a single edit.  Best first; canonical names before synonyms; then
 * table order.  Internal names ("-valid") are never suggested.
 */
size_t param_suggest_dist(const char *name, const struct param **out, size_t *dist, size_t n)
{
	if (name == NULL || n == 0)
		return 0;
	char key[PARAM_KEY_MAX];
	struct suggestion scratch;
	/* Longer than any parameter name by far: nothing is within two edits. */
	if (!param_fold(name, key, NULL))
		return 0;
	const struct suggestion *s = suggest_lookup(key, &scratch);
	size_t k = n < s->n ? n : s->n;
	for (size_t i = 0; i < k; i++) {
		out[i] = &param_table[s->index[i]];
		if (dist != NULL)
			dist[i] = s->dist[i];
	}
	return k;
}

size_t param_suggest(const char *name, const struct param **out, size_t n)
{
	return param_suggest_dist(name, out, NULL, n);
}
