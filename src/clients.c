/* clients.c - client profiles (what each client accepts) and whether a profile can use a share. */
#include <stdlib.h>
#include <string.h>

#include "clients.h"
#include "rutil.h"
#include "util.h"

/*
 * What each client offers and accepts, from docs/samba-facts.md.
 * win10-enterprise also stands for Windows Server 2019 and later; smb1 for
 * old scanners, media players and Windows XP.  The
 * dialect range is what the client offers out of the box; guest says
 * whether it accepts a guest session; signing_required whether it insists
 * on signed sessions (which a guest session can never satisfy).
 */
const struct client_profile client_profiles[] = {
	{
		.name = "win7", .bit = CL_WIN7,
		.label = "Windows 7",
		.min = D_NT1, .max = D_SMB2_10,
		.guest = true, .signing_required = false, .ntlmv1 = true, .smb3_encryption = false,
	},
	{
		.name = "win10-home", .bit = CL_WIN10_HOME,
		.label = "Windows 10/11 Home/Pro",
		.min = D_SMB2_02, .max = D_SMB3_11,
		.guest = true, .signing_required = false, .ntlmv1 = true, .smb3_encryption = true,
	},
	{
		.name = "win10-enterprise", .bit = CL_WIN10_ENT,
		.label = "Windows 10/11 Enterprise/Education",
		.min = D_SMB2_02, .max = D_SMB3_11,
		.guest = false, .signing_required = false, .ntlmv1 = true, .smb3_encryption = true,
	},
	{
		.name = "win11-24h2", .bit = CL_WIN11_24H2,
		.label = "Windows 11 24H2",
		.min = D_SMB2_02, .max = D_SMB3_11,
		.guest = false, .signing_required = true, .ntlmv1 = false, .smb3_encryption = true,
	},
	{
		.name = "smb1", .bit = CL_SMB1,
		.label = "SMB1-only devices",
		.min = D_NT1, .max = D_NT1,
		.guest = true, .signing_required = false, .ntlmv1 = true, .smb3_encryption = false,
	},
	{
		.name = "macos", .bit = CL_MACOS,
		.label = "macOS",
		.min = D_SMB2_02, .max = D_SMB3_11,
		.guest = true, .signing_required = false, .ntlmv1 = false, .smb3_encryption = true,
	},
	{
		.name = "linux-cifs", .bit = CL_LINUX,
		.label = "Linux (kernel CIFS client)",
		.min = D_SMB2_10, .max = D_SMB3_11,
		.guest = true, .signing_required = false, .ntlmv1 = false, .smb3_encryption = true,
	},
};
const size_t client_profile_count = sizeof client_profiles / sizeof client_profiles[0];

const struct client_profile *client_find(const char *name)
{
	for (size_t i = 0; i < client_profile_count; i++)
		if (strcasecmp(client_profiles[i].name, name) == 0)
			return &client_profiles[i];
	return NULL;
}

static unsigned parse_one(const char *word, char **err)
{
	if (strcasecmp(word, "default") == 0)
		return CL_DEFAULT;
	if (strcasecmp(word, "all") == 0) {
		unsigned all = 0;
		for (size_t i = 0; i < client_profile_count; i++)
			all |= client_profiles[i].bit;
		return all;
	}
	const struct client_profile *p = client_find(word);
	if (p != NULL)
		return p->bit;
	struct sbuf b = {0};
	sbuf_addf(&b, "unknown client '%s' (known: ", word);
	for (size_t i = 0; i < client_profile_count; i++)
		sbuf_addf(&b, "%s, ", client_profiles[i].name);
	sbuf_adds(&b, "default, all)");
	*err = sbuf_take(&b);
	return 0;
}

unsigned clients_parse(const char *list, char **err)
{
	unsigned mask = 0;
	char *copy = xstrdup(list != NULL ? list : "");
	char *save = NULL;

	*err = NULL;
	for (char *w = strtok_r(copy, ", \t", &save); w != NULL; w = strtok_r(NULL, ", \t", &save)) {
		unsigned bits = parse_one(w, err);
		if (bits == 0) {
			free(copy);
			return 0;
		}
		mask |= bits;
	}
	free(copy);
	if (mask == 0)
		*err = xstrdup("empty client list (use a profile name, 'default' or 'all')");
	return mask;
}

/* reason is NULL when no text is wanted (client_verdict_quick). */
static void fail(struct client_verdict *out, const struct assign *cause, const char *error, char *reason)
{
	out->ok = false;
	out->reason = reason;
	out->windows_error = reason != NULL ? xstrdup(error) : NULL;
	out->cause = cause;
}

static bool is_windows(const struct client_profile *p)
{
	return p->bit & (CL_WIN7 | CL_WIN10_HOME | CL_WIN10_ENT | CL_WIN11_24H2);
}

/* The server's dialect range and the lines behind it, worked out once per verdict. */
struct srange {
	enum dialect min, max;
	struct ru_eff emin, emax;
};

/* No dialect in common: the connection fails at negotiation. */
static bool check_dialects(const struct srange *r, const struct client_profile *p,
    struct client_verdict *out, bool text)
{
	enum dialect smin = r->min, smax = r->max;
	const struct ru_eff emin = r->emin, emax = r->emax;

	if (smin > smax) {
		/* Nothing lies between the two: smbd answers every negotiation with NOT_SUPPORTED. */
		fail(out, emin.from != NULL ? emin.from : emax.from, is_windows(p)
		    ? "the connection fails during protocol negotiation (System error 50: The request is not supported)"
		    : "the connection fails during protocol negotiation",
		    !text ? NULL : xasprintf("server min protocol = %s is above server max protocol = %s: "
		    "the server speaks no protocol at all, so no client can connect",
		    ru_as_written(&emin), ru_as_written(&emax)));
		return false;
	}
	if (p->min > smax) {
		fail(out, emax.from, is_windows(p)
		    ? "\"This share requires the obsolete SMB1 protocol\" (the server speaks only SMB1)"
		    : "the connection fails during protocol negotiation",
		    !text ? NULL : xasprintf("server max protocol = %s: the server speaks nothing newer "
		    "than %s, %s needs at least %s", emax.str, ru_dialect_name(smax), p->label,
		    ru_dialect_name(p->min)));
		return false;
	}
	if (p->max < smin) {
		fail(out, emin.from, p->bit == CL_SMB1
		    ? "the device cannot connect (it offers only SMB1, which the server refuses)"
		    : "the connection fails during protocol negotiation",
		    !text ? NULL : xasprintf("server min protocol = %s: %s speaks at most %s",
		    emin.str, p->label, ru_dialect_name(p->max)));
		return false;
	}
	return true;
}

/* available = no (said, or implied by a share without a path): smbd serves no such share. */
static bool check_available(const struct config *c, const struct section *share, samba_ver v,
    struct client_verdict *out, bool text)
{
	struct ru_eff e, path;
	if (share == NULL || share->global || ru_bool(c, share, "available", v, &e))
		return true;
	ru_get(c, share, "path", v, &path);
	fail(out, e.from, "\"The network name cannot be found\" (System error 67; the server answers "
	    "BAD_NETWORK_NAME)", !text ? NULL : path.str[0] == '\0' && e.from == NULL ?
	    xasprintf("[%s] has no path, so Samba switches it off: no client can open it", share->name) :
	    xasprintf("available = %s: [%s] is switched off, no client can open it", e.str, share->name));
	return false;
}

/* ntlm auth = disabled without Kerberos: a sign-in with an account has nothing left to use. */
static bool check_ntlm(const struct config *c, const struct client_profile *p, samba_ver v,
    struct client_verdict *out, bool text)
{
	struct ru_eff e;
	if (!ru_ntlm_blocked(c, v, &e))
		return true;
	fail(out, e.from, is_windows(p)
	    ? "System error 1937: Authentication failed because NTLM authentication has been disabled "
	    "(the server answers STATUS_NTLM_BLOCKED)"
	    : "the sign-in fails (the server answers STATUS_NTLM_BLOCKED)",
	    !text ? NULL : xasprintf("ntlm auth = %s: the server accepts no NTLM sign-in and, without a "
	    "domain, has no Kerberos to offer instead, so %s users cannot sign in with an account",
	    e.str, p->label));
	return false;
}

/* Encryption required for p on share, by the rules of the dialect p lands on. */
static bool encrypt_required(const struct config *c, const struct section *share,
    const struct client_profile *p, samba_ver v, enum dialect smax, struct ru_eff *e)
{
	return ru_speaks_nt1(p, smax) ? ru_encrypt_required_smb1(c, share, v, e) :
	    ru_encrypt_required(c, share, v, e);
}

static bool check_encryption(const struct config *c, const struct section *share,
    const struct client_profile *p, samba_ver v, enum dialect smax, struct client_verdict *out, bool text)
{
	struct ru_eff e;

	if (!encrypt_required(c, share, p, v, smax, &e))
		return true;
	if (p->smb3_encryption && smax >= D_SMB3_00)
		return true;
	fail(out, e.from, "\"Access is denied\" (System error 5) when opening the share",
	    !text ? NULL : xasprintf("server smb encrypt = %s requires SMB3 encryption, which %s "
	    "cannot do", e.str, p->label));
	return false;
}

static const char *guest_error(const struct client_profile *p)
{
	if (p->signing_required && p->guest)
		return "0xc000a000 (STATUS_INVALID_SIGNATURE): a guest session cannot be signed";
	if (p->signing_required)
		return "\"You can't access this shared folder because your organization's security "
		    "policies block unauthenticated guest access\" (System error 1272); with insecure "
		    "guest logons enabled, 0xc000a000 (STATUS_INVALID_SIGNATURE)";
	return "\"You can't access this shared folder because your organization's security "
	    "policies block unauthenticated guest access\" (0x80070035, System error 1272)";
}

/* Samba bug 15412 (ru_guest_desired_bug), for a client that speaks SMB3 with this server. */
static bool guest_desired_bug(const struct config *c, const struct section *share,
    const struct client_profile *p, samba_ver v, enum dialect smax, struct ru_eff *e)
{
	return p->max >= D_SMB3_00 && smax >= D_SMB3_00 && ru_guest_desired_bug(c, share, v, e);
}

/*
 * SL2002 (compat.c) relies on this: for a share that admits guests, the
 * verdict of a client that refuses guests depends on the share only through
 * whether it requires encryption.  Keep it so, or change guest_verdicts there.
 */
static bool check_guest(const struct config *c, const struct section *share,
    const struct client_profile *p, samba_ver v, enum dialect smax, struct client_verdict *out, bool text)
{
	struct ru_eff e;

	if (!ru_refuses_guest(p)) {
		struct ru_eff g;
		if (share == NULL || !ru_guest_share(c, share, v, &g))
			return true;
		if (!encrypt_required(c, share, p, v, smax, &e)) {
			if (!guest_desired_bug(c, share, p, v, smax, &e))
				return true;
			/* Samba bug 15412: the guest's tree connect is marked for encryption it cannot do. */
			out->guest_only = true;
			fail(out, e.from, "guests cannot list or open files on the share over SMB3 (the client "
			    "has no key for the encryption the server asks for: STATUS_INVALID_PARAMETER_MIX)",
			    !text ? NULL : xasprintf("[%s] is meant for guests and server smb encrypt = %s; Samba "
			    "4.15 to 4.19.6 and 4.20.0-4.20.1 ask a guest session to encrypt too, which it cannot, "
			    "so %s users without an account cannot use it over SMB3", share->name, e.str, p->label));
			return false;
		}
		/* A guest session has no key to encrypt with. */
		out->guest_only = true;
		fail(out, e.from, "\"Access is denied\" for guests (the server answers ACCESS_DENIED)",
		    !text ? NULL : xasprintf("[%s] is meant for guests but requires encryption, which a "
		    "guest session cannot do: %s users without an account cannot open it", share->name,
		    p->label));
		return false;
	}
	if (ru_guest_share(c, share, v, &e)) {
		out->guest_only = true;
		fail(out, e.from, guest_error(p),
		    !text ? NULL : xasprintf("[%s] is meant for guests (guest ok = yes), and %s refuses "
		    "guest sessions: only users with an account on the server can open it", share->name,
		    p->label));
		return false;
	}
	if (ru_map_to_guest(c, v, &e) > 0) {
		fail(out, e.from, guest_error(p),
		    !text ? NULL : xasprintf("map to guest = %s: a user name the server does not know gets "
		    "a guest session, which %s rejects instead of asking for a password", e.str, p->label));
		return false;
	}
	return true;
}

static void verdict(const struct config *c, const struct section *share,
    const struct client_profile *p, samba_ver v, struct client_verdict *out, bool text)
{
	memset(out, 0, sizeof *out);
	out->ok = true;
	if (v == 0)
		v = param_table_version();
	if (!check_available(c, share, v, out, text))
		return;
	struct srange r;
	ru_server_dialects(c, v, &r.min, &r.max, &r.emin, &r.emax);
	if (!check_dialects(&r, p, out, text))
		return;
	if (!check_ntlm(c, p, v, out, text))
		return;
	if (!check_encryption(c, share, p, v, r.max, out, text))
		return;
	check_guest(c, share, p, v, r.max, out, text);
}

void client_verdict(const struct config *c, const struct section *share,
    const struct client_profile *p, samba_ver v, struct client_verdict *out)
{
	verdict(c, share, p, v, out, true);
}

void client_verdict_quick(const struct config *c, const struct section *share,
    const struct client_profile *p, samba_ver v, struct client_verdict *out)
{
	verdict(c, share, p, v, out, false);
}

void client_verdict_free(struct client_verdict *v)
{
	free(v->reason);
	free(v->windows_error);
	v->reason = v->windows_error = NULL;
}
