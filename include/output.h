/* output.h - the report (findings of every file, matrix, extra sections) and the formats that print it. */
#ifndef SMBLINT_OUTPUT_H
#define SMBLINT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "clients.h"
#include "lint.h"
#include "probe.h"
#include "util.h"

/* ---- a buffered writer ------------------------------------------------- */

/*
 * The formats write through one of these rather than stdio call by call:
 * bytes collect in buf and go to out with fwrite when it fills (ob_flush).
 * Write errors show up on out (ferror), as with any stdio write.
 */
#define OBUF_SIZE 16384

struct obuf {
	FILE *out;
	size_t len;
	char buf[OBUF_SIZE];
};

void ob_init(struct obuf *b, FILE *out);
/* Hands what is buffered to out (fwrite); out_write() flushes out itself. */
void ob_flush(struct obuf *b);
/* ob_write() when the bytes do not fit what is left of the buffer. */
void ob_write_full(struct obuf *b, const void *p, size_t n);
void ob_uint(struct obuf *b, unsigned long long v);
void ob_int(struct obuf *b, long long v);
/* Like out_safe(), into the buffer. */
void ob_safe(struct obuf *b, const char *s, size_t n);
/* Escaped as the inside of a JSON string (no quotes): valid UTF-8, bad bytes -> U+FFFD. */
void ob_json_chars(struct obuf *b, const char *s, size_t n);

/* Room for n (<= OBUF_SIZE) more bytes at the returned pointer; add what was used to b->len. */
static inline char *ob_room(struct obuf *b, size_t n)
{
	if (OBUF_SIZE - b->len < n)
		ob_flush(b);
	return b->buf + b->len;
}

static inline void ob_putc(struct obuf *b, char c)
{
	if (b->len == OBUF_SIZE)
		ob_flush(b);
	b->buf[b->len++] = c;
}

static inline void ob_write(struct obuf *b, const void *p, size_t n)
{
	if (OBUF_SIZE - b->len < n) {
		ob_write_full(b, p, n);
		return;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static inline void ob_puts(struct obuf *b, const char *s)
{
	ob_write(b, s, strlen(s));
}

/* A string literal (its length is known at compile time). */
#define ob_lit(b, s) ob_write((b), (s), sizeof(s) - 1)

/* ---- a small streaming JSON writer (2-space indent) --------------------- */

#define JSON_MAX_DEPTH 32

struct json {
	struct obuf ob;                    /* json_done() flushes it */
	int depth;
	bool pretty;
	bool after_key;                    /* the next value follows "key": */
	bool nonempty[JSON_MAX_DEPTH];     /* the container at that depth has members */
};

void json_init(struct json *j, FILE *out, bool pretty);
void json_obj(struct json *j);                /* { */
void json_end_obj(struct json *j);            /* } */
void json_arr(struct json *j);                /* [ */
void json_end_arr(struct json *j);            /* ] */
/* "key": with its length given (json_key() and the shorthands below compute it, at compile time for literals). */
void json_keyn(struct json *j, const char *key, size_t n);
static inline void json_key(struct json *j, const char *key) { json_keyn(j, key, strlen(key)); }
/* A string value: any bytes; written as valid UTF-8 (bad bytes -> U+FFFD), escaped. NULL -> null. */
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t n);
/* One string value: a, sep and b joined (sep must be ASCII; a and b not NULL). */
void json_str3(struct json *j, const char *a, const char *sep, const char *b);
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/*
 * "key": for a key that is a string literal of printable ASCII without '"'
 * or '\\' (the formats' own member names): written as it is, not escaped.
 */
void json_key_lit(struct json *j, const char *quoted_colon_space, size_t n);
#define JSON_KEY(j, lit) json_key_lit((j), "\"" lit "\": ", sizeof(lit) + 3)
#define JSON_KSTR(j, lit, s) (JSON_KEY(j, lit), json_str((j), (s)))
#define JSON_KINT(j, lit, v) (JSON_KEY(j, lit), json_int((j), (v)))
#define JSON_KBOOL(j, lit, v) (JSON_KEY(j, lit), json_bool((j), (v)))

/* "key": value shorthands. */
static inline void json_kstr(struct json *j, const char *key, const char *s)
{
	json_keyn(j, key, strlen(key));
	json_str(j, s);
}

static inline void json_kint(struct json *j, const char *key, long long v)
{
	json_keyn(j, key, strlen(key));
	json_int(j, v);
}

static inline void json_kbool(struct json *j, const char *key, bool v)
{
	json_keyn(j, key, strlen(key));
	json_bool(j, v);
}
/* Ends the document with a newline and hands everything to the FILE. */
void json_done(struct json *j);

/* ---- the client matrix (--matrix) ------------------------------------- */

struct matrix_cell {
	const struct section *share;
	const struct client_profile *profile;
	struct client_verdict verdict;
};

struct matrix {
	const struct config *cfg;
	const struct section **shares;     /* every share but hidden ones, in file order */
	size_t nshares;
	const struct client_profile **profiles;   /* targeted profiles, table order */
	size_t nprofiles;
	struct matrix_cell *cells;         /* share-major: cells[s * nprofiles + p] */
};

void matrix_build(struct matrix *m, const struct config *cfg, unsigned clients, samba_ver v);
void matrix_free(struct matrix *m);

/* ---- the report ------------------------------------------------------- */

/*
 * A section of the report beyond findings and matrix, added by a later
 * module (the live probe's "probe" array, for one).  json writes the value
 * of the top-level member `key`; text prints it for humans (after the
 * findings).  Either may be NULL: the other formats ignore extras.
 */
struct report_extra {
	const char *key;
	void (*json)(struct json *j, void *ctx);
	void (*text)(FILE *out, bool color, void *ctx);
	void *ctx;
};

struct report {
	struct lint **lints;               /* one per linted file, in argument order */
	size_t nlints;
	struct matrix *matrices;           /* one per lint when --matrix, else NULL */
	size_t nmatrices;
	const struct report_extra *extras;
	size_t nextras;
	const struct probe_result *probe;  /* --probe verdicts, share-major, or NULL */
	size_t nprobe;
	const char *probe_target;          /* "host:port" that was probed */
	unsigned clients;                  /* what was targeted (for the record) */
	samba_ver samba;
};

struct out_opts {
	FILE *out;
	bool color;                        /* ANSI colours (text only) */
	bool quiet;                        /* findings only: no source, summary or matrix */
	enum severity show;                /* lowest severity printed */
};

struct summary {
	size_t count[3];                   /* shown findings by severity */
	size_t suppressed;                 /* hidden by smblint: comments */
	size_t hidden;                     /* below the shown severity */
	size_t fixable;                    /* shown and fixed by plain --fix */
	size_t unsafe_fixable;             /* shown and fixed only with --unsafe-fixes */
	size_t files;                      /* files linted */
};

/* Whether a finding is printed under these options (not suppressed, severity high enough). */
bool out_shown(const struct out_opts *o, const struct finding *f);
void out_summary(const struct report *r, const struct out_opts *o, struct summary *s);
/* True when plain --fix fixes it: a safe rule with edits. */
bool finding_fixable(const struct finding *f);
/* The name the finding's file is shown under. */
const char *finding_path(const struct finding *f);
/* Column of byte offset off counted in Unicode code points (1-based), for SARIF. */
unsigned out_char_col(struct srcfile *f, size_t off, unsigned *line);
/* "4.17" / "4.17.2" */
char *samba_ver_str(samba_ver v);

/*
 * Appends s[0..n) for a terminal or a log: valid UTF-8 (bad bytes become
 * U+FFFD) and no control characters but tab (they become U+FFFD too), so a
 * hostile config cannot send escape sequences to the terminal.
 */
void out_safe(struct sbuf *b, const char *s, size_t n);

/* Writes the report in a format; returns 0, or -1 when writing failed. */
int out_write(enum out_format fmt, const struct report *r, const struct out_opts *o);

/* One function per format (src/out_<format>.c). */
void out_text(const struct report *r, const struct out_opts *o);
void out_gcc(const struct report *r, const struct out_opts *o);
void out_json(const struct report *r, const struct out_opts *o);
/* The members of one probe verdict (share, client, connected, dialect, ...) inside an open object. */
void out_json_probe_fields(struct json *j, const struct probe_result *p);
void out_sarif(const struct report *r, const struct out_opts *o);
void out_github(const struct report *r, const struct out_opts *o);
void out_codeclimate(const struct report *r, const struct out_opts *o);
/* The matrix and the probe verdicts as text tables (used by out_text). */
void out_text_matrix(FILE *out, const struct matrix *m, bool color);
void out_text_probe(FILE *out, const struct report *r, bool color);

/* ---- the rule table for people (src/explain.c) ------------------------ */

/* --explain: returns 0, or -1 when no rule has that code or name. */
int explain_rule(FILE *out, const char *code_or_name);
/* --list-rules as a table (text, gcc, github) or a JSON array (json, sarif). */
void explain_list(FILE *out, enum out_format fmt);
/* --man-rules: the mdoc source of smblint-rules(7). */
void explain_man(FILE *out);

#endif
