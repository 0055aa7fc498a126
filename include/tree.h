/* tree.h - the lossless syntax tree of one smb.conf file. */
#ifndef SMBLINT_TREE_H
#define SMBLINT_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct tree;
struct tree_stream;
struct arena_block;

/* One file as read from disk: the exact bytes plus where it was included from. */
struct srcfile {
	char *path;                    /* path as opened ("-" for stdin) */
	char *display;                 /* name shown in diagnostics */
	unsigned char *data;           /* exact bytes; data[len] == '\0' */
	size_t len;
	const struct srcfile *parent;  /* the file whose include = brought it in, or NULL */
	unsigned parent_line;          /* line of that include = in parent */
	int depth;                     /* 0 for the top file */
	struct tree *tree;             /* parsed form, set by tree_parse() */
	uint32_t *line_starts;         /* offsets of physical line starts (built lazily) */
	size_t nlines;
};

/*
 * One node per logical line as Samba's reader (lib/util/tini.c) sees it,
 * except that a run of blank lines is one NODE_BLANK (so that a file of
 * newlines costs one node, not one per byte).  The
 * nodes of a tree cover the file's bytes exactly, in order, without gaps, so
 * writing every node's span gives back the input byte for byte.
 */
enum node_kind {
	NODE_BLANK,      /* one or more lines of only blanks (spaces, tabs, CR, VT, FF) */
	NODE_COMMENT,    /* first non-blank byte is '#' or ';' (never continues) */
	NODE_SECTION,    /* '[' ... ']' ... : a section header */
	NODE_PARAM,      /* name '=' value */
	NODE_NOEQ,       /* text without '=': Samba ignores the line */
	NODE_BADHEADER,  /* '[' without ']': Samba's whole load fails */
	NODE_EMPTYNAME,  /* '=' with nothing before it: Samba's whole load fails */
	NODE_NULSTART,   /* the logical line is empty because a NUL byte cut it: ignored */
};

#define NODE_F_CONT   0x01u  /* continues over more than one physical line (or into the end of the file) */
#define NODE_F_NUL    0x02u  /* a NUL byte cut the logical line short */
#define NODE_F_BOM    0x04u  /* content starts with a UTF-8 byte order mark */
#define NODE_F_CRLF   0x08u  /* its last physical line ends in CR LF */
#define NODE_F_NOEOL  0x10u  /* the file ends without a newline inside this node */
#define NODE_F_QUOTED 0x20u  /* NODE_PARAM whose name is wrapped in quotes */

struct node {
	/* enum node_kind and NODE_F_* bits, in a byte each to keep a node small */
	uint8_t kind;
	uint8_t flags;
	/*
	 * NODE_PARAM: the parameter table entry its name denotes, as its index
	 * + 1 (0: not a table parameter), looked up while parsing so that a
	 * large file's look-ups happen on the parsing thread (see
	 * tree_parse_begin).  0 for other kinds.
	 */
	uint16_t param;
	/*
	 * Offsets are 32-bit to keep a node small (files are limited far
	 * below 4 GiB by the reader); they widen to size_t in arithmetic.
	 */
	uint32_t line;       /* 1-based physical line of the node's first byte (node_nlines: how many) */
	uint32_t start, end; /* byte span [start, end), whole lines including newlines */
	uint32_t content;    /* offset of the first non-blank byte (== end for blank) */
	uint32_t key_off;    /* byte offset of the name's first byte (or '[' for headers) */
	uint32_t value_off;  /* byte offset of the value's first byte (== node_eq_off + 1 when empty) */
	uint32_t value_end;  /* byte offset just past the value's last byte on its last line */
	/*
	 * The strings share two slots, as no kind needs more than two:
	 *
	 * text: the logical text as Samba builds it: continuations joined (the
	 * backslash and newline removed), blank runs collapsed to their first
	 * blank, cut at the first NUL.  Set for SECTION, NOEQ, BADHEADER,
	 * EMPTYNAME and NULSTART; NULL for BLANK and COMMENT.
	 * name (SECTION): the text between '[' and the first ']', as Samba passes it on.
	 * key and value (PARAM): name and value, one blank trimmed at each
	 * end, as Samba passes them on (they hold all of the text but the '=').
	 */
	union {
		const char *text;
		const char *key;
	};
	union {
		const char *name;
		const char *value;
	};
};

struct tree {
	struct srcfile *file;
	struct node *nodes;
	size_t n;
	struct arena_block *arena;   /* storage of every string the nodes point at (util.h) */
	/*
	 * Set while a large file is still being parsed on a thread of its own
	 * (tree_parse_begin): n and the nodes past what tree_await returned
	 * are the parser's until tree_parse_end.
	 */
	struct tree_stream *stream;
};

/* Parses f->data; never fails (every byte sequence is some tree).  Sets f->tree. */
struct tree *tree_parse(struct srcfile *f);
/*
 * The same in steps, so that reading the nodes can overlap making them: a
 * file of tree_stream_min bytes or more is parsed on a thread of its own.
 * tree_await(t, i) waits until node i is finished and returns how many
 * nodes are (more than i), or, once the parse is over, the final count
 * (then i or less means node i does not exist).  tree_parse_end waits for
 * the parse to finish; only after it are t->n and t->nodes final.  A small
 * file is parsed at once by tree_parse_begin (tree_await returns t->n).
 */
struct tree *tree_parse_begin(struct srcfile *f);
size_t tree_await(struct tree *t, size_t i);
void tree_parse_end(struct tree *t);
/* The most NODE_PARAMs t can have (once parsed: how many it has; while parsing: its '=' bytes, or lines if fewer). */
size_t tree_param_bound(const struct tree *t);
/* tree_parse, always on the calling thread (the result is identical; tests compare the two). */
struct tree *tree_parse_serial(struct srcfile *f);
extern size_t tree_stream_min;
extern size_t tree_streams;   /* files parsed on a thread so far (for tests) */
/* For tests: called by the parsing thread just after it publishes the first n nodes (NULL: nothing). */
extern void (*tree_stream_pause)(size_t n);
/* Writes the tree's bytes: identical to the input. Returns 0, or -1 on a write error. */
int tree_write(const struct tree *t, FILE *out);
void tree_free(struct tree *t);

/* Physical lines a node covers (1 unless NODE_F_CONT or a blank run): its newlines, plus an unterminated last line. */
unsigned node_nlines(const struct srcfile *f, const struct node *n);
/*
 * Byte offset of the '=' of a NODE_PARAM or NODE_EMPTYNAME (0 for other
 * kinds): the first '=' from the name on, as nothing Samba drops from a
 * logical line (backslash-newline, repeated blanks) is one.
 */
size_t node_eq_off(const struct srcfile *f, const struct node *n);

/* 1-based line and byte column of a byte offset of f. */
void src_pos(struct srcfile *f, size_t off, unsigned *line, unsigned *col);
/* The bytes of physical line `line` (1-based), without its newline; *len gets the length. */
const unsigned char *src_line(struct srcfile *f, unsigned line, size_t *len);

/*
 * Makes a srcfile from bytes (takes ownership of data, which must be
 * NUL-terminated).  len must be below SRC_MAX_LEN: node offsets are 32-bit.
 */
#define SRC_MAX_LEN ((size_t)UINT32_MAX - 1)
/*
 * The most lines smblint reads in one load, the top file and its includes
 * together (five times a 100,000-share configuration).  Every line that is
 * not empty costs a node and often a finding, a few hundred bytes, so a
 * file of millions of one-byte lines would otherwise take gigabytes.  Empty
 * lines do not count: a run of them is one node.
 */
#define SRC_MAX_LINES ((size_t)1 << 22)
/* Lines of d that are not empty (a last line without a newline counts). */
size_t src_count_lines(const unsigned char *d, size_t len);
struct srcfile *src_new(const char *path, unsigned char *data, size_t len);
void src_free(struct srcfile *f);

#endif
