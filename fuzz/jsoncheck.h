/* jsoncheck.h - a strict JSON (RFC 8259) validator for the harnesses: grammar, escapes and UTF-8. */
#ifndef SMBLINT_JSONCHECK_H
#define SMBLINT_JSONCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct jc {
	const unsigned char *s;
	size_t n, i;
	int depth;
};

static void jc_ws(struct jc *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

/* One UTF-8 sequence at j->i (not ASCII); false when it is not valid UTF-8. */
static bool jc_utf8(struct jc *j)
{
	unsigned char c = j->s[j->i];
	size_t need;
	unsigned cp;
	if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
	else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
	else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
	else return false;
	if (j->i + need >= j->n)
		return false;
	for (size_t k = 1; k <= need; k++) {
		if ((j->s[j->i + k] & 0xc0) != 0x80)
			return false;
		cp = (cp << 6) | (j->s[j->i + k] & 0x3f);
	}
	if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
		return false;
	j->i += need + 1;
	return true;
}

static bool jc_string(struct jc *j)
{
	j->i++;   /* the opening quote */
	while (j->i < j->n) {
		unsigned char c = j->s[j->i];
		if (c == '"') {
			j->i++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (++j->i >= j->n)
				return false;
			c = j->s[j->i];
			if (c == 'u') {
				for (int k = 1; k <= 4; k++)
					if (j->i + k >= j->n || !strchr("0123456789abcdefABCDEF", j->s[j->i + k]) || !j->s[j->i + k])
						return false;
				j->i += 5;
			} else if (strchr("\"\\/bfnrt", c) && c) {
				j->i++;
			} else {
				return false;
			}
		} else if (c >= 0x80) {
			if (!jc_utf8(j))
				return false;
		} else {
			j->i++;
		}
	}
	return false;
}

static bool jc_number(struct jc *j)
{
	size_t st = j->i;
	if (j->i < j->n && j->s[j->i] == '-')
		j->i++;
	if (j->i < j->n && j->s[j->i] == '0')
		j->i++;
	else if (j->i < j->n && j->s[j->i] >= '1' && j->s[j->i] <= '9')
		while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	else
		return false;
	if (j->i < j->n && j->s[j->i] == '.') {
		j->i++;
		if (j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
			return false;
		while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	}
	if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		if (j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
			return false;
		while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	}
	return j->i > st;
}

static bool jc_value(struct jc *j);

static bool jc_container(struct jc *j, unsigned char close, bool object)
{
	if (++j->depth > 200)
		return false;
	j->i++;
	jc_ws(j);
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		j->depth--;
		return true;
	}
	for (;;) {
		jc_ws(j);
		if (object) {
			if (j->i >= j->n || j->s[j->i] != '"' || !jc_string(j))
				return false;
			jc_ws(j);
			if (j->i >= j->n || j->s[j->i] != ':')
				return false;
			j->i++;
		}
		if (!jc_value(j))
			return false;
		jc_ws(j);
		if (j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->i < j->n && j->s[j->i] == close) {
			j->i++;
			j->depth--;
			return true;
		}
		return false;
	}
}

static bool jc_lit(struct jc *j, const char *w)
{
	size_t n = strlen(w);
	if (j->n - j->i < n || memcmp(j->s + j->i, w, n) != 0)
		return false;
	j->i += n;
	return true;
}

static bool jc_value(struct jc *j)
{
	jc_ws(j);
	if (j->i >= j->n)
		return false;
	switch (j->s[j->i]) {
	case '{': return jc_container(j, '}', true);
	case '[': return jc_container(j, ']', false);
	case '"': return jc_string(j);
	case 't': return jc_lit(j, "true");
	case 'f': return jc_lit(j, "false");
	case 'n': return jc_lit(j, "null");
	default: return jc_number(j);
	}
}

/* True when s[0..n) is exactly one JSON value (surrounded by whitespace at most). */
static inline bool json_valid(const char *s, size_t n)
{
	struct jc j = { (const unsigned char *)s, n, 0, 0 };
	if (!jc_value(&j))
		return false;
	jc_ws(&j);
	return j.i == n;
}

#endif
