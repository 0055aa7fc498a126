/* output.c - what every format shares: the JSON writer, safe text, the summary and the matrix. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- the buffered writer ------------------------------------------------ */

/* errno of the first write that failed since out_write() started, or 0. */
static int write_errno;

void ob_init(struct obuf *b, FILE *out)
{
	b->out = out;
	b->len = 0;
}

/*
 * n bytes to out.  A stream with a file descriptor gets them with write(2)
 * once its own buffer is flushed: the text is already buffered here, and
 * copying it through stdio would only add a buffer (and a page) of its own.
 */
static void out_bytes(FILE *out, const char *p, size_t n)
{
	int fd = fileno(out);
	if (fd < 0 || fflush(out) != 0) {
		if (fwrite(p, 1, n, out) != n && write_errno == 0)
			write_errno = errno;
		return;
	}
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (write_errno == 0)
				write_errno = w < 0 ? errno : EIO;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

void ob_flush(struct obuf *b)
{
	if (b->len > 0)
		out_bytes(b->out, b->buf, b->len);
	b->len = 0;
}

void ob_write_full(struct obuf *b, const void *p, size_t n)
{
	ob_flush(b);
	if (n >= OBUF_SIZE) {
		out_bytes(b->out, p, n);
		return;
	}
	memcpy(b->buf, p, n);
	b->len = n;
}

static const char two_digits[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

void ob_uint(struct obuf *b, unsigned long long v)
{
	size_t n = 1;
	for (unsigned long long p = 10; n < 20 && v >= p; p *= 10)
		n++;
	char *d = ob_room(b, n) + n;
	b->len += n;
	while (v >= 100) {
		d -= 2;
		memcpy(d, two_digits + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		d -= 2;
		memcpy(d, two_digits + 2 * v, 2);
	} else {
		*--d = (char)('0' + v);
	}
}

void ob_int(struct obuf *b, long long v)
{
	if (v < 0) {
		ob_putc(b, '-');
		ob_uint(b, 0ULL - (unsigned long long)v);
	} else {
		ob_uint(b, (unsigned long long)v);
	}
}

/*
 * The UTF-8 sequence at s (s[0] >= 0x80) that sbuf_add_utf8_safe() keeps:
 * returns its length, with its code point in *cp, or 0 for a bad byte.
 */
static size_t utf8_seq(const unsigned char *s, const unsigned char *end, unsigned *cp)
{
	unsigned c = s[0], v;
	size_t need;

	if (c >= 0xc2 && c <= 0xdf) { need = 1; v = c & 0x1f; }
	else if (c >= 0xe0 && c <= 0xef) { need = 2; v = c & 0x0f; }
	else if (c >= 0xf0 && c <= 0xf4) { need = 3; v = c & 0x07; }
	else return 0;
	if ((size_t)(end - s) <= need)
		return 0;
	for (size_t k = 1; k <= need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3f);
	}
	if ((need == 2 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
	    (need == 3 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	*cp = v;
	return need + 1;
}

#define REPLACEMENT "\xef\xbf\xbd"

/*
 * The conversions below write to d, which has room for at least
 * <growth> * (bytes consumed) + SPARE bytes: they stop once s reaches stop
 * (a sequence begun before it may end after, up to end).  Runs are copied
 * before they are checked, hence the spare bytes.
 */
#define SPARE 16

#ifdef __SSE2__
/* The bytes of x outside printable ASCII, and with json also quote and backslash. */
static inline unsigned special16(__m128i x, bool json)
{
	__m128i m = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));
	if (json)
		m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
	return (unsigned)_mm_movemask_epi8(m);
}

/* The run above stops right at a byte to convert: convert that one, then look for a run again. */
#define SCALAR_SPAN 1
#else
/* The run above stops up to 7 bytes early: convert up to 8 one by one. */
#define SCALAR_SPAN 8

/*
 * Without SSE2, eight bytes at a time: the tests below are nonzero when one of the bytes
 * needs a closer look.  They may also flag a byte next to one that does
 * (carries and borrows), which only sends a clean byte down the slow path.
 */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

static inline uint64_t load8(const unsigned char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}

/* A byte outside printable ASCII 0x20..0x7e. */
static inline uint64_t unprintable8(uint64_t x)
{
	return (x | (x - 0x20 * ONES) | (x + ONES)) & HIGHS;
}

/* A byte equal to c. */
static inline uint64_t has8(uint64_t x, unsigned char c)
{
	uint64_t y = x ^ (c * ONES);
	return (y - ONES) & ~y & HIGHS;
}

static inline uint64_t special8(uint64_t x, bool json)
{
	uint64_t m = unprintable8(x);
	if (json)
		m |= has8(x, '"') | has8(x, '\\');
	return m;
}
#endif

/* Copies n < 16 bytes with a few fixed-size moves. */
static inline void small_copy(unsigned char *d, const unsigned char *s, size_t n)
{
	if (n >= 8) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else if (n > 0) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

/*
 * Copies the bytes from *sp on that need no conversion, stopping at stop or
 * at (or shortly before) the first one that does.  s0 and d0 are where the
 * conversion started: while d - d0 == s - s0 every byte so far was copied
 * as it was, so the last bytes of the input may be read (and written)
 * overlapping those.
 */
static inline __attribute__((always_inline)) void clean_run(const unsigned char **sp, char **dp, const unsigned char *stop,
    const unsigned char *s0, const char *d0, bool json)
{
	const unsigned char *s = *sp;
	char *d = *dp;
	size_t rest;

#ifdef __SSE2__
	(void)s0;
	(void)d0;
	while ((size_t)(stop - s) >= 32) {
		__m128i x = _mm_loadu_si128((const void *)s), y = _mm_loadu_si128((const void *)(s + 16));
		if ((special16(x, json) | special16(y, json)) != 0)
			break;
		_mm_storeu_si128((void *)d, x);
		_mm_storeu_si128((void *)(d + 16), y);
		s += 32;
		d += 32;
	}
	while ((size_t)(stop - s) >= 16) {
		__m128i x = _mm_loadu_si128((const void *)s);
		unsigned m = special16(x, json);
		_mm_storeu_si128((void *)d, x);
		if (m != 0) {
			unsigned k = (unsigned)__builtin_ctz(m);
			s += k;
			d += k;
			goto out;
		}
		s += 16;
		d += 16;
	}
	rest = (size_t)(stop - s);
	if (rest > 0) {
		/* The short tail, checked in a zeroed copy (never read past the input). */
		unsigned char tail[16] = {0};
		small_copy(tail, s, rest);
		__m128i x = _mm_loadu_si128((const void *)tail);
		unsigned m = special16(x, json) & ((1u << rest) - 1);
		unsigned k = m != 0 ? (unsigned)__builtin_ctz(m) : (unsigned)rest;
		_mm_storeu_si128((void *)d, x);
		s += k;
		d += k;
	}
#else
	while ((size_t)(stop - s) >= 8) {
		uint64_t x = load8(s);
		if (special8(x, json) != 0)
			goto out;
		memcpy(d, &x, 8);
		s += 8;
		d += 8;
	}
	rest = (size_t)(stop - s);
	if (rest > 0 && (size_t)(s - s0) >= 8 - rest && d - d0 == s - s0) {
		uint64_t x = load8(stop - 8);
		if (special8(x, json) == 0) {
			memcpy(d + rest - 8, &x, 8);
			s += rest;
			d += rest;
		}
	}
#endif
out:
	*sp = s;
	*dp = d;
}

/* out_safe(): printable ASCII, tab and UTF-8 from U+00A0 up pass; the rest becomes U+FFFD. */
#define SAFE_GROWTH 3

static inline __attribute__((always_inline)) const unsigned char *safe_conv(char **dp, const unsigned char *s, const unsigned char *stop,
    const unsigned char *end)
{
	const unsigned char *s0 = s;
	char *d = *dp, *d0 = d;

	while (s < stop) {
		clean_run(&s, &d, stop, s0, d0, false);
		const unsigned char *lim = (size_t)(stop - s) > SCALAR_SPAN ? s + SCALAR_SPAN : stop;
		while (s < lim) {
			unsigned c = *s, cp;
			size_t k;
			if ((c >= 0x20 && c < 0x7f) || c == '\t') {
				*d++ = (char)c;
				s++;
			} else if (c < 0x80 || (k = utf8_seq(s, end, &cp)) == 0) {
				memcpy(d, REPLACEMENT, 3);
				d += 3;
				s++;
			} else if (cp < 0xa0) {
				/* C1 controls (U+0080..U+009F) can also start terminal sequences. */
				memcpy(d, REPLACEMENT, 3);
				d += 3;
				s += k;
			} else {
				memcpy(d, s, k);
				d += k;
				s += k;
			}
		}
	}
	*dp = d;
	return s;
}

/* JSON string contents: valid UTF-8 passes; quote, backslash and controls are escaped. */
#define JSON_GROWTH 6

static inline __attribute__((always_inline)) const unsigned char *json_conv(char **dp, const unsigned char *s, const unsigned char *stop,
    const unsigned char *end)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s0 = s;
	char *d = *dp, *d0 = d;

	while (s < stop) {
		clean_run(&s, &d, stop, s0, d0, true);
		const unsigned char *lim = (size_t)(stop - s) > SCALAR_SPAN ? s + SCALAR_SPAN : stop;
		while (s < lim) {
			unsigned c = *s, cp;
			size_t k;
			if (c >= 0x20 && c < 0x7f) {
				if (c == '"' || c == '\\')
					*d++ = '\\';
				*d++ = (char)c;
				s++;
				continue;
			}
			if (c >= 0x80) {
				k = utf8_seq(s, end, &cp);
				if (k == 0) {
					memcpy(d, REPLACEMENT, 3);
					d += 3;
					s++;
				} else {
					memcpy(d, s, k);
					d += k;
					s += k;
				}
				continue;
			}
			*d++ = '\\';
			switch (c) {
			case '\n': *d++ = 'n'; break;
			case '\r': *d++ = 'r'; break;
			case '\t': *d++ = 't'; break;
			case '\b': *d++ = 'b'; break;
			case '\f': *d++ = 'f'; break;
			default:
				memcpy(d, "u00", 3);
				d[3] = hex[c >> 4];
				d[4] = hex[c & 15];
				d += 5;
			}
			s++;
		}
	}
	*dp = d;
	return s;
}

/* Input taken per round, so that its worst-case output fits an empty buffer. */
#define CONV_CHUNK 2048

/* Converts s[0..n) in rounds of CONV_CHUNK with conv, which writes at most growth bytes per byte. */
static void ob_convert(struct obuf *b, const char *str, size_t n, size_t growth,
    const unsigned char *(*conv)(char **, const unsigned char *, const unsigned char *, const unsigned char *))
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;

	while (s < end) {
		size_t chunk = (size_t)(end - s) < CONV_CHUNK ? (size_t)(end - s) : CONV_CHUNK;
		/* 3 more bytes may be consumed to finish a sequence. */
		char *d0 = ob_room(b, growth * (chunk + 3) + SPARE), *d = d0;
		s = conv(&d, s, s + chunk, end);
		b->len += (size_t)(d - d0);
	}
}

void ob_safe(struct obuf *b, const char *str, size_t n)
{
	ob_convert(b, str, n, SAFE_GROWTH, safe_conv);
}

void ob_json_chars(struct obuf *b, const char *str, size_t n)
{
	ob_convert(b, str, n, JSON_GROWTH, json_conv);
}

/* ---- JSON -------------------------------------------------------------- */

void json_init(struct json *j, FILE *out, bool pretty)
{
	j->depth = 0;
	j->pretty = pretty;
	j->after_key = false;
	j->nonempty[0] = false;
	ob_init(&j->ob, out);
}

/* A line break and two spaces per level, for every depth the writer allows. */
static const char indent_text[] = "\n                                                                ";
_Static_assert(sizeof indent_text - 2 >= 2 * (JSON_MAX_DEPTH - 1), "indent_text too short");

/* Called before every value and every key: the comma and the line break. */
static inline void json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	/* The whole indentation is copied (a fixed size is cheap); only what is needed is kept. */
	char *d = ob_room(&j->ob, sizeof indent_text);
	size_t n = 0;
	if (j->nonempty[j->depth])
		d[n++] = ',';
	j->nonempty[j->depth] = true;
	if (j->pretty) {
		memcpy(d + n, indent_text, sizeof indent_text - 1);
		n += 1 + 2 * (size_t)j->depth;
	}
	j->ob.len += n;
}

static void json_indent(struct json *j)
{
	if (!j->pretty)
		return;
	ob_write(&j->ob, indent_text, 1 + 2 * (size_t)j->depth);
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	ob_putc(&j->ob, c);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->nonempty[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	bool had = j->nonempty[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (had)
		json_indent(j);
	ob_putc(&j->ob, c);
}

void json_obj(struct json *j) { json_open(j, '{'); }
void json_end_obj(struct json *j) { json_close(j, '}'); }
void json_arr(struct json *j) { json_open(j, '['); }
void json_end_arr(struct json *j) { json_close(j, ']'); }

/* A quoted string; short clean ones (keys, names, codes) in one go. */
static inline void json_quote(struct obuf *b, const char *s, size_t n)
{
#ifdef __SSE2__
	if (n < 16) {
		unsigned char t[16] = {0};
		small_copy(t, (const unsigned char *)s, n);
		__m128i x = _mm_loadu_si128((const void *)t);
		if ((special16(x, true) & ((1u << n) - 1)) == 0) {
			char *d = ob_room(b, 18);
			d[0] = '"';
			_mm_storeu_si128((void *)(d + 1), x);
			d[1 + n] = '"';
			b->len += n + 2;
			return;
		}
	}
#endif
	ob_putc(b, '"');
	ob_json_chars(b, s, n);
	ob_putc(b, '"');
}

void json_keyn(struct json *j, const char *key, size_t n)
{
	json_sep(j);
	json_quote(&j->ob, key, n);
	if (j->pretty)
		ob_lit(&j->ob, ": ");
	else
		ob_putc(&j->ob, ':');
	j->after_key = true;
}

/* Copies n <= 32 bytes with a few fixed-size moves (never past either end). */
static inline void copy_upto32(char *d, const char *s, size_t n)
{
	if (n >= 16) {
		memcpy(d, s, 16);
		memcpy(d + n - 16, s + n - 16, 16);
	} else {
		small_copy((unsigned char *)d, (const unsigned char *)s, n);
	}
}

void json_key_lit(struct json *j, const char *text, size_t n)
{
	json_sep(j);
	if (!j->pretty)
		n--;   /* no space after the colon */
	if (n <= 32) {
		copy_upto32(ob_room(&j->ob, 32), text, n);
		j->ob.len += n;
	} else {
		ob_write(&j->ob, text, n);
	}
	j->after_key = true;
}

void json_strn(struct json *j, const char *s, size_t n)
{
	json_sep(j);
	json_quote(&j->ob, s, n);
}

void json_str(struct json *j, const char *s)
{
	if (s == NULL)
		json_null(j);
	else
		json_strn(j, s, strlen(s));
}

/* An ASCII separator cannot join or split a UTF-8 sequence, so the parts are escaped one by one. */
void json_str3(struct json *j, const char *a, const char *sep, const char *b)
{
	json_sep(j);
	ob_putc(&j->ob, '"');
	ob_json_chars(&j->ob, a, strlen(a));
	ob_json_chars(&j->ob, sep, strlen(sep));
	ob_json_chars(&j->ob, b, strlen(b));
	ob_putc(&j->ob, '"');
}

void json_int(struct json *j, long long v)
{
	json_sep(j);
	ob_int(&j->ob, v);
}

void json_bool(struct json *j, bool v)
{
	json_sep(j);
	if (v)
		ob_lit(&j->ob, "true");
	else
		ob_lit(&j->ob, "false");
}

void json_null(struct json *j)
{
	json_sep(j);
	ob_lit(&j->ob, "null");
}


void json_done(struct json *j)
{
	ob_putc(&j->ob, '\n');
	ob_flush(&j->ob);
}

/* ---- text that is safe to print --------------------------------------- */

void out_safe(struct sbuf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;

	if (n == 0) {
		sbuf_add(b, "", 0);
		return;
	}
	while (s < end) {
		size_t chunk = (size_t)(end - s) < CONV_CHUNK ? (size_t)(end - s) : CONV_CHUNK;
		size_t need = b->len + SAFE_GROWTH * (chunk + 3) + SPARE + 1;
		if (need > b->cap) {
			size_t cap = b->cap ? b->cap : 64;
			while (cap < need)
				cap *= 2;
			b->s = xrealloc(b->s, cap);
			b->cap = cap;
		}
		char *d = b->s + b->len;
		s = safe_conv(&d, s, s + chunk, end);
		b->len = (size_t)(d - b->s);
	}
	b->s[b->len] = '\0';
}

/* ---- findings ---------------------------------------------------------- */

bool out_shown(const struct out_opts *o, const struct finding *f)
{
	return !f->suppressed && f->severity != SEV_NONE && f->severity >= o->show;
}

bool finding_fixable(const struct finding *f)
{
	return f->rule != NULL && f->rule->fix == FIX_SAFE && f->nedits > 0;
}

const char *finding_path(const struct finding *f)
{
	return f->file != NULL ? f->file->display : "-";
}

void out_summary(const struct report *r, const struct out_opts *o, struct summary *s)
{
	memset(s, 0, sizeof *s);
	s->files = r->nlints;
	for (size_t i = 0; i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++) {
			const struct finding *f = &r->lints[i]->findings[k];
			if (f->suppressed)
				s->suppressed++;
			else if (!out_shown(o, f))
				s->hidden++;
			else {
				s->count[f->severity]++;
				s->fixable += finding_fixable(f);
				s->unsafe_fixable += f->rule != NULL && f->rule->fix == FIX_UNSAFE && f->nedits > 0;
			}
		}
}

unsigned out_char_col(struct srcfile *f, size_t off, unsigned *line)
{
	unsigned l, c, chars = 1;
	src_pos(f, off, &l, &c);
	for (size_t p = off - (c - 1); p < off; p++)
		if ((f->data[p] & 0xc0) != 0x80)
			chars++;
	*line = l;
	return chars;
}

char *samba_ver_str(samba_ver v)
{
	if (v % 100)
		return xasprintf("%u.%u.%u", v / 10000, v / 100 % 100, v % 100);
	return xasprintf("%u.%u", v / 10000, v / 100 % 100);
}

int out_write(enum out_format fmt, const struct report *r, const struct out_opts *o)
{
	write_errno = 0;
	switch (fmt) {
	case FMT_TEXT: out_text(r, o); break;
	case FMT_GCC: out_gcc(r, o); break;
	case FMT_JSON: out_json(r, o); break;
	case FMT_SARIF: out_sarif(r, o); break;
	case FMT_GITHUB: out_github(r, o); break;
	case FMT_CODECLIMATE: out_codeclimate(r, o); break;
	}
	if (fflush(o->out) != 0 || ferror(o->out) || write_errno != 0) {
		if (write_errno != 0)
			errno = write_errno;
		return -1;
	}
	return 0;
}

/* ---- the client matrix -------------------------------------------------- */

void matrix_build(struct matrix *m, const struct config *cfg, unsigned clients, samba_ver v)
{
	memset(m, 0, sizeof *m);
	m->cfg = cfg;
	m->shares = xcalloc(cfg->nsections, sizeof *m->shares);
	for (size_t i = 0; i < cfg->nsections; i++)
		if (!cfg->sections[i]->global && !cfg->sections[i]->hidden)
			m->shares[m->nshares++] = cfg->sections[i];
	m->profiles = xcalloc(client_profile_count, sizeof *m->profiles);
	for (size_t i = 0; i < client_profile_count; i++)
		if (client_profiles[i].bit & clients)
			m->profiles[m->nprofiles++] = &client_profiles[i];
	m->cells = xcalloc(m->nshares * m->nprofiles + 1, sizeof *m->cells);
	for (size_t s = 0; s < m->nshares; s++)
		for (size_t p = 0; p < m->nprofiles; p++) {
			struct matrix_cell *c = &m->cells[s * m->nprofiles + p];
			c->share = m->shares[s];
			c->profile = m->profiles[p];
			client_verdict(cfg, m->shares[s], m->profiles[p], v, &c->verdict);
		}
}

void matrix_free(struct matrix *m)
{
	for (size_t i = 0; i < m->nshares * m->nprofiles; i++)
		client_verdict_free(&m->cells[i].verdict);
	free(m->cells);
	free(m->shares);
	free(m->profiles);
	memset(m, 0, sizeof *m);
}
