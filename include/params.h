/* params.h - Samba's parameter table (generated) and version history (hand-kept). */
#ifndef SMBLINT_PARAMS_H
#define SMBLINT_PARAMS_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

enum param_type {
	PT_BOOL, PT_BOOLREV, PT_ENUM, PT_INTEGER, PT_OCTAL, PT_BYTES,
	PT_STRING, PT_USTRING, PT_LIST, PT_CMDLIST, PT_CHAR,
};

enum param_scope { PS_GLOBAL, PS_SHARE };

#define PF_SYNONYM    0x01u  /* an alias: see synonym_of */
#define PF_INVERSE    0x02u  /* inverse synonym (writeable = yes means read only = no) */
#define PF_DEPRECATED 0x04u  /* Samba marks it deprecated */

/* One allowed spelling of an enum value and the value it means. */
struct param_enum {
	const char *name;    /* as Samba lists it, e.g. "Bad User" */
	int value;           /* values equal for synonyms (No/False/0) */
	const char *canon;   /* the spelling testparm prints for this value */
};

/*
 * One entry of the generated table.  Its strings are offsets into
 * param_strings (read them with param_name and param_def): a table without
 * pointers needs no relocation at start, so its pages are shared, not copied.
 */
struct param {
	uint32_t name_at;          /* canonical spelling, as testparm prints it */
	uint32_t def_at;           /* default as testparm -sv prints it (0: none printed) */
	uint8_t type;              /* enum param_type */
	uint8_t scope;             /* enum param_scope */
	uint8_t flags;             /* PF_* */
	uint8_t enums;             /* PT_ENUM: 1 + its list in param_enum_lists; 0: none */
	int16_t synonym_of;        /* index of the target parameter, or -1 */
};

extern const char param_strings[];
extern const struct param_enum *const param_enum_lists[];

/* Canonical spelling of p, as testparm prints it. */
static inline const char *param_name(const struct param *p)
{
	return param_strings + p->name_at;
}

/* Default as testparm -sv prints it (NULL: none printed). */
static inline const char *param_def(const struct param *p)
{
	return p->def_at != 0 ? param_strings + p->def_at : NULL;
}

/* PT_ENUM: the allowed spellings, NULL-name terminated (NULL for other types). */
static inline const struct param_enum *param_enums(const struct param *p)
{
	return p->enums != 0 ? param_enum_lists[p->enums - 1] : NULL;
}

extern const struct param param_table[];
extern const size_t param_count;
extern const char param_samba_version[];   /* e.g. "4.17.12-Debian" */

/* Finds a parameter ignoring case and all blanks, as Samba does; NULL if unknown. */
/* Longer than any folded parameter name (scripts/gen-params.py checks). */
#define PARAM_KEY_MAX 128
/*
 * Samba's key for a parameter name: folded into key (ASCII lower case,
 * blanks dropped), its FNV-1a hash in *hash (may be NULL).  False when the
 * key would be longer than any parameter name.
 */
bool param_fold(const char *name, char key[PARAM_KEY_MAX], uint32_t *hash);
const struct param *param_lookup(const char *name);
/* Follows a synonym to its target (itself when it is not a synonym). */
inline const struct param *param_canonical(const struct param *p)
{
	return p->synonym_of >= 0 ? &param_table[p->synonym_of] : p;
}
/* Index of p in param_table. */
inline size_t param_index(const struct param *p)
{
	return (size_t)(p - param_table);
}
/*
 * The canonical parameter named exactly (used by rules): must exist, aborts otherwise.
 * Case and blanks do not matter, but a synonym ("public") aborts too.
 */
const struct param *param_get(const char *canonical_name);

/*
 * Value checking as Samba's loader does it.  Returns true when Samba accepts
 * `value` for p; *canon (may be NULL) gets the value as testparm would print it
 * (malloc'ed; set to NULL on failure).  For PT_BOOLREV the result is the value
 * of the target, inverted.  Leading/trailing blanks are ignored (the reader
 * strips them); runs of blanks inside are kept as given.  A PT_LIST value
 * with no elements, or one of "+x"/"-x" edits, is resolved against the
 * parameter's default (the loader uses param_list_apply with the list in
 * force instead).
 */
bool param_check_value(const struct param *p, const char *value, char **canon);
/*
 * A PT_LIST value applied to the list in force, `current` (as testparm
 * prints it; NULL when there is none yet), as Samba's loader applies it:
 * no elements leave it as it is, "+x"/"-x" elements edit it, another
 * first element replaces it.  false when Samba refuses the value (an
 * element that is not an edit after one that is); *canon (may be NULL)
 * gets the resulting list as testparm prints it (malloc'ed).
 */
bool param_list_apply(const char *current, const char *value, char **canon);
/* Why param_list_apply refuses a value, for messages. */
#define PARAM_LIST_EDIT_RULE \
	"after a '+name' or '-name' element, which edits the list, Samba takes only more of them"
/* Elements of a list value (PT_LIST, PT_CMDLIST): 0 for "", " , ;" and the like. */
size_t param_list_elements(const char *value);
/*
 * Whether a charset name is UTF-8 as Samba spells it ("UTF8" or "UTF-8", any
 * case).  As a 'dos charset' Samba refuses it (handle_dos_charset): it logs
 * an error and keeps its default, CP850.
 */
bool param_charset_utf8(const char *value);
/*
 * A case table as runs of code points: every step-th one from first to
 * last maps to itself plus delta (Samba 4.17's tables, measured with
 * testparm: the lower-casing of share names in config.c, the upper-casing
 * of workgroup and realm in params.c).
 */
struct case_run {
	uint16_t first, last;
	int16_t delta;
	uint8_t step;
};
/* c mapped by the runs (sorted by first, not overlapping), or c itself when none holds it. */
unsigned case_run_map(const struct case_run *runs, size_t n, unsigned c);
/* The elements of a list value, unquoted, as Samba splits it: *elements (free with param_list_free) gets n of them. */
size_t param_list_split(const char *value, char ***elements);
void param_list_free(char **elements, size_t n);
/*
 * The value of a list parameter that is set but holds no element or only
 * empty ones (`valid users = ,`): printed as "" like no list at all, but
 * Samba tells the two apart (an empty `valid users` list lets nobody in,
 * no list lets everyone in; testparm lists the first, not the second).
 * The loader uses this very address for it: compare by address.
 */
extern const char param_empty_list[];
/* Boolean parsing as Samba: yes/true/on/1 and no/false/off/0, ignoring case and blanks. */
bool param_parse_bool(const char *s, bool *out);
/* Enum value of a spelling (ignoring case and blanks), or false if not allowed. */
bool param_enum_value(const struct param *p, const char *s, int *out);

/*
 * Up to n closest known parameter names to an unknown one (did-you-mean):
 * edit distance <= 2 on folded names (<= 1 for 4 characters or fewer),
 * "mask"/"mode" swapped counts as one edit; best first, canonical names
 * before synonyms, then table order.  Returns how many were stored (0: none).
 */
size_t param_suggest(const char *name, const struct param **out, size_t n);
/* The same, also storing each suggestion's distance in dist[i] (dist may be NULL); at most 16. */
size_t param_suggest_dist(const char *name, const struct param **out, size_t *dist, size_t n);

/* --- hand-kept history: what the generated table cannot know --- */

/* A Samba version as major*10000 + minor*100 + patch (4.11.0 -> 41100). */
typedef unsigned samba_ver;
samba_ver samba_ver_parse(const char *s);   /* "4.17", "4.17.12-Debian"; 0 on error */
samba_ver param_table_version(void);

/* A value that a release removed (Samba refuses it from `since` on). */
struct removed_value {
	const char *param;     /* canonical name */
	const char *value;     /* spelling, compared ignoring case and blanks */
	samba_ver since;
	const char *note;      /* one line: what to use instead */
};
extern const struct removed_value removed_values[];

/* A parameter a release removed or deprecated (it may be unknown to the table). */
struct param_history {
	const char *param;
	samba_ver deprecated, removed;  /* 0 = never */
	const char *note;
};
extern const struct param_history param_history[];

/* A default that changed: before `since` it was old_default. */
struct default_change {
	const char *param;
	samba_ver since;
	const char *old_default;
	const char *new_default;
};
extern const struct default_change default_changes[];

/*
 * Effective default of p for Samba version v (table default, or the older one;
 * v == 0 means the table's version).  A synonym gives its target's default,
 * inverted for PT_BOOLREV.  NULL when none is known.
 */
const char *param_default_for(const struct param *p, samba_ver v);
/* History entry for a name (folded compare), or NULL. */
const struct param_history *param_history_find(const char *name);
/* The same for a table entry, by its own name (param_history_find(p->name), faster). */
const struct param_history *param_history_of(const struct param *p);
/* A removed-value entry matching p/value at version v, or NULL. */
const struct removed_value *param_removed_value(const struct param *p, const char *value, samba_ver v);
/* Whether removed_values lists any value of p's canonical entry. */
bool param_has_removed_values(const struct param *p);

/*
 * The tables above indexed by parameter table position (params_ix.c,
 * generated from them by `make params-ix`, so that nothing is looked up by
 * name at start): the param_history entry of each table entry (the first
 * whose name folds like its own), and per canonical entry chains of
 * default_changes and removed_values entry numbers in table order.  -1:
 * none / end of chain.
 */
extern const size_t param_ix_count;   /* == param_count */
extern const int16_t param_hist_ix[];
extern const int16_t param_dc_first[], param_dc_next[];
extern const int16_t param_rv_first[], param_rv_next[];

#endif
