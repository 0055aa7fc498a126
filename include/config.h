/* config.h - the effective configuration: what smbd will run, and where each value came from. */
#ifndef SMBLINT_CONFIG_H
#define SMBLINT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "params.h"
#include "tree.h"

struct section;

/* What Samba's loader did with one `name = value` line. */
enum assign_status {
	AS_SET,             /* stored in its section */
	AS_UNKNOWN,         /* unknown parameter: Samba logs it and goes on */
	AS_GLOBAL_IN_SHARE, /* a global-only parameter inside a share: ignored */
	AS_INVALID,         /* a value Samba refuses: the load fails (smbd will not start) */
	AS_NOT_READ,        /* after a fatal error: Samba stopped before this line */
	AS_META,            /* include / copy / registry handling, see struct config_include */
};

/* One parameter line, in the order Samba processes them (across includes). */
struct assign {
	struct srcfile *file;
	const struct node *node;       /* NODE_PARAM */
	struct section *section;       /* section it was read in (global for lines before any header;
	                                  AS_NOT_READ: the one current when reading stopped) */
	const struct param *spelled;   /* table entry as written (may be a synonym); NULL if unknown */
	const struct param *param;     /* canonical entry (synonym followed); NULL if unknown/parametric */
	char *name;                    /* canonical name; parametric "a:b" as testparm prints it; unknown: as written, blanks normalized */
	char *value;                   /* value Samba stores (after inverse synonyms are inverted) */
	char *canon;                   /* value as testparm -s prints it */
	const struct assign *overrides;/* earlier assignment of the same parameter in the same section, or NULL */
	uint32_t index;                /* position in config.assigns */
	uint8_t status;                /* enum assign_status (a byte, to keep the struct small);
	                                  AS_INVALID: config.fatal_reason says why (loading stops there,
	                                  so there is at most one) */
	bool parametric;               /* "x:y = ..." option */
	bool before_section;           /* appeared before any section header (belongs to global) */
	bool dropped;                  /* parametric option lost when its section was reopened */
};

/* One value in effect in a section. */
struct value {
	const struct param *param;     /* canonical; NULL for parametric options */
	const char *name;              /* canonical name (or parametric name) */
	const char *canon;             /* as testparm prints it */
	const struct assign *from;     /* line that set it (see implied: may be NULL then) */
	const struct section *copied_from; /* set when it arrived through `copy =` */
	/*
	 * Non-NULL when Samba's loader set the value by itself rather than
	 * a `name = value` line: one line saying why (e.g. a share without
	 * `path` is made unavailable, `printing = bsd` sets the print
	 * commands).  `from` is then the line that caused it, or NULL.
	 */
	const char *implied;
};

struct section {
	char *name;                    /* first spelling seen ("global" for the global section) */
	bool global;
	bool hidden;                   /* -valid = no */
	const struct node *header;     /* first header node (NULL for an implicit global) */
	struct srcfile *header_file;
	const struct node **reopened;  /* later headers that reopened it */
	struct srcfile **reopened_file;
	size_t nreopened;
	/*
	 * Set in this section itself (last wins, one per parameter): by its
	 * own lines, by `copy =`, or implied by the loader.  Sorted in
	 * parameter-table order, then parametric options in the order
	 * testparm prints them.  For [global] this also holds the share-level
	 * defaults set there.
	 */
	struct value *vals;
	size_t nvals, capvals;
	size_t order;                  /* position in config.sections */
};

/* An include = line (or config file = / registry) and what became of it. */
enum include_status {
	INC_OK,            /* read and parsed */
	INC_MISSING,       /* file does not exist: Samba skips it silently */
	INC_UNREADABLE,    /* exists but cannot be read (or is not a regular file) */
	INC_GLOB,          /* contains * ? [ : Samba does not expand globs, skips it */
	INC_MACRO,         /* contains %-macros: depends on the client connecting */
	INC_LOOP,          /* would exceed Samba's include depth (100): load fails */
	INC_REGISTRY,      /* include = registry */
	INC_REGISTRY_BAD,  /* include = registry outside [global]: load fails */
	INC_TOO_LARGE,     /* larger than the reader's limit */
	INC_BUDGET,        /* not read: too many included files in one load (repeated includes multiply) */
};

struct config_include {
	struct srcfile *from;          /* file holding the include line */
	const struct node *node;
	char *target;                  /* the value as written */
	char *resolved;                /* path actually opened (after cwd), or NULL */
	enum include_status status;
	struct srcfile *file;          /* INC_OK: the included file */
	bool relative;                 /* target does not start with '/' */
};

/*
 * Contents to use instead of a file on disk (the fixer verifies edits to
 * included files this way): when an include resolves to `path` (compared
 * with strcmp against the path it would open, i.e. srcfile.path), these
 * bytes are read instead.  The loader copies them.
 */
struct config_override {
	const char *path;
	const unsigned char *data;
	size_t len;
};

struct config_opts {
	const char *include_root;      /* directory relative includes are resolved from; smbd uses "/" (default) */
	size_t max_file_size;          /* per file; 0 = default (256 MiB) */
	bool follow_includes;          /* read included files (true when opts is NULL); false: INC_UNREADABLE */
	const struct config_override *overrides;  /* see struct config_override; NULL = none */
	size_t noverrides;
};

/*
 * A home share Samba adds when it loads: one per name in `auto services`
 * (preload) that is no share already and is a user of this machine with a
 * home directory, made from [homes] (see config_add_homes).
 */
struct config_home {
	char *name;                    /* as listed, which is also the user name */
	char *dir;                     /* the user's home directory on this machine */
};

/* Looks up a user's home directory: a copy the caller frees, or NULL when there is no such user. */
typedef char *(*config_home_lookup)(const char *user);

struct config {
	struct srcfile **files;        /* files[0] is the top file; then included files in reading order */
	size_t nfiles;
	struct section **sections;     /* sections[0] is global; shares in first-seen order */
	size_t nsections;
	struct assign *assigns;        /* every parameter line, in processing order */
	size_t nassigns;
	struct config_include *includes;
	size_t nincludes;
	bool load_failed;              /* Samba's load fails: smbd will refuse to start */
	/*
	 * `config backend = registry` in effect: Samba drops everything the
	 * file set and reads the registry instead.  [global] then holds only
	 * what that switch sets and every share is hidden.
	 */
	bool registry_backend;
	const struct node *fatal_node; /* the first line that makes it fail */
	struct srcfile *fatal_file;
	char *fatal_reason;            /* one line, e.g. "invalid value 'bad users' for 'map to guest'" */
	/* Home shares of `auto services`, after config_add_homes (config_print lists them last). */
	struct config_home *homes;
	size_t nhomes;
};

/*
 * Reads and parses `path` ("-" for stdin) and everything it includes, and
 * builds the effective configuration as Samba 4.x's loader would.  Returns
 * NULL only when the top file cannot be read (then *err gets one line).
 * Problems inside the files never stop it: they are recorded above.
 */
struct config *config_load(const char *path, const struct config_opts *opts, char **err);
/* The same from bytes already in memory (takes ownership of data, NUL-terminated). */
struct config *config_load_mem(const char *path, unsigned char *data, size_t len, const struct config_opts *opts);
void config_free(struct config *c);

/*
 * Adds the home shares smbd would add at load time for the names in
 * `auto services`: each that is not a share yet, given [homes] and a user
 * of that name with a home directory (look-up; NULL: this machine's
 * passwd database, getpwnam).  Nothing when the load failed.  It depends on
 * the machine it runs on, as testparm's output does, so callers decide
 * whether to (--host-checks).
 */
void config_add_homes(struct config *c, config_home_lookup lookup);
/* Whether the top file is this machine's smbd configuration, /etc/samba/smb.conf (the same file, by device and inode). */
bool config_is_system(const struct config *c);

/* The global section; a share by name (compared as Samba does: case-insensitively). */
struct section *config_global(const struct config *c);
struct section *config_find(const struct config *c, const char *name);

/* The value explicitly set in s itself (not inherited), or NULL. */
const struct value *config_own(const struct section *s, const struct param *p);
/*
 * The value in effect for p in s: s's own, else (share-level parameters) the
 * one set in [global], else NULL meaning Samba's built-in default.  Like
 * Samba, a share takes the [global] value in force when its section was
 * first opened: a [global] line further down does not reach shares above it.
 */
const struct value *config_lookup(const struct config *c, const struct section *s, const struct param *p);
/*
 * A parametric option ("fruit:time machine") in effect in s: its own, else
 * the one set in [global] (as Samba's lp_parm_* look-ups do).  The name is
 * compared ignoring case and blanks.  NULL when not set.
 */
const struct value *config_opt(const struct config *c, const struct section *s, const char *name);
/* Same, as a string: the effective value including the built-in default for Samba version v (0 = table version). */
const char *config_str(const struct config *c, const struct section *s, const struct param *p, samba_ver v);
/* Boolean value in effect (defaults included). */
bool config_bool(const struct config *c, const struct section *s, const struct param *p, samba_ver v);
/* Enum value in effect (param_enum_value of config_str); -1 if not an enum or unparsable. */
int config_enum(const struct config *c, const struct section *s, const struct param *p, samba_ver v);

/*
 * Prints the effective configuration in `testparm -s` layout: "# Global
 * parameters", "[global]", then "\tname = value" lines for values that differ
 * from the defaults; each share likewise.  origins=true adds "\t# file:line"
 * comments saying where each value came from.
 */
void config_print(const struct config *c, FILE *out, bool origins);

#endif
