/* clients.h - client profiles (what each Windows/other client accepts) and per-share verdicts. */
#ifndef SMBLINT_CLIENTS_H
#define SMBLINT_CLIENTS_H

#include <stdbool.h>

#include "config.h"
#include "lint.h"

/* Protocol dialects in Samba's order. */
enum dialect { D_NONE = 0, D_CORE, D_LANMAN1, D_LANMAN2, D_NT1, D_SMB2_02, D_SMB2_10, D_SMB3_00, D_SMB3_02, D_SMB3_11 };

struct client_profile {
	const char *name;          /* "win11-24h2" */
	unsigned bit;              /* CL_* */
	const char *label;         /* "Windows 11 24H2 (all editions)" */
	enum dialect min, max;     /* dialects it offers */
	bool guest;                /* accepts guest sessions */
	bool signing_required;
	bool ntlmv1;               /* can still use NTLMv1 */
	bool smb3_encryption;      /* can do SMB3 encryption */
};

extern const struct client_profile client_profiles[];
extern const size_t client_profile_count;
const struct client_profile *client_find(const char *name);
/* "win10-home,win11-24h2", "all" or "default" -> CL_* bits; 0 and *err (malloc'ed) on an unknown name. */
unsigned clients_parse(const char *list, char **err);

/* Whether a profile can use a share under the effective configuration, and if not why. */
struct client_verdict {
	bool ok;
	bool guest_only;           /* it gets in only as a guest (or not at all without an account) */
	char *reason;              /* NULL when ok; one line */
	char *windows_error;       /* what its user sees, NULL when ok */
	const struct assign *cause;/* the line responsible, or NULL (a default) */
};
void client_verdict(const struct config *c, const struct section *share,
    const struct client_profile *p, samba_ver v, struct client_verdict *out);
/* The same without reason and windows_error (both NULL): for rules that only need ok and guest_only. */
void client_verdict_quick(const struct config *c, const struct section *share,
    const struct client_profile *p, samba_ver v, struct client_verdict *out);
void client_verdict_free(struct client_verdict *v);

#endif
