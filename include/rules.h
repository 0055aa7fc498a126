/* rules.h - the rule families; each src/rules/<family>.c exports its list. */
#ifndef SMBLINT_RULES_H
#define SMBLINT_RULES_H

#include "lint.h"

/*
 * Codes: SL1xxx load and syntax (what Samba refuses or silently ignores),
 * SL2xxx Windows and client compatibility, SL3xxx security, SL4xxx the running
 * server against the file (--probe only), SL9xxx smblint itself (suppressions).  A code, once published, never changes meaning.
 */
extern const struct rule *const rules_load[];      /* src/rules/load.c */
extern const size_t rules_load_count;
extern const struct rule *const rules_compat[];    /* src/rules/compat.c */
extern const size_t rules_compat_count;
extern const struct rule *const rules_security[];  /* src/rules/security.c */
extern const size_t rules_security_count;
extern const struct rule *const rules_live[];      /* src/rules/live.c: --probe results */
extern const size_t rules_live_count;
extern const struct rule *const rules_meta[];      /* src/lint.c: suppression bookkeeping */
extern const size_t rules_meta_count;

#endif
