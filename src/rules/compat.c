/* compat.c - SL2xxx: settings that keep Windows (and other) clients out or make them fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules.h"
#include "rutil.h"
#include "util.h"

/* Profiles of l's targets for which one of the CL_* bits in `bits` is set. */
static unsigned targeted(const struct lint *l, unsigned bits)
{
	return (l->opts != NULL ? l->opts->clients : CL_DEFAULT) & bits;
}

#define CL_WINDOWS (CL_WIN7 | CL_WIN10_HOME | CL_WIN10_ENT | CL_WIN11_24H2)

/*
 * The `copy =` lines of a configuration, gathered on first use, so that
 * naming the one behind a finding does not walk every line each time.
 */
struct copy_lines {
	bool built;
	const struct assign **a;
	size_t n;
};

/* By section (its position), then line order. */
static int copy_cmp(const void *x, const void *y)
{
	const struct assign *a = *(const struct assign *const *)x, *b = *(const struct assign *const *)y;
	if (a->section->order != b->section->order)
		return a->section->order < b->section->order ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

static const struct assign *find_copy_line(const struct config *c, struct copy_lines *cl,
    const struct section *s, const struct section *from)
{
	if (!cl->built) {
		const struct param *copy = param_lookup("copy");
		size_t cap = 0;
		for (size_t i = 0; i < c->nassigns; i++) {
			const struct assign *a = &c->assigns[i];
			if (a->param != copy || a->node == NULL || a->node->value == NULL || a->section == NULL)
				continue;
			if (cl->n == cap) {
				cap = cap ? 2 * cap : 16;
				cl->a = xrealloc(cl->a, cap * sizeof *cl->a);
			}
			cl->a[cl->n++] = a;
		}
		if (cl->n > 1)
			qsort(cl->a, cl->n, sizeof *cl->a, copy_cmp);
		cl->built = true;
	}
	/* The first copy line of s, by binary search; the last matching one wins. */
	size_t lo = 0, hi = cl->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cl->a[mid]->section->order < s->order)
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct assign *found = NULL;
	for (size_t i = lo; i < cl->n && cl->a[i]->section == s; i++)
		if (from == NULL || fold_eq(cl->a[i]->node->value, from->name))
			found = cl->a[i];
	return found;
}

/* Adds "[x] takes it from [y] through copy = y (file:line)" when a share got the value by copy. */
static void note_copy(struct lint *l, struct copy_lines *cl, struct finding *f,
    const struct ru_group *g)
{
	if (g->copier == NULL)
		return;
	const struct assign *cp = find_copy_line(l->cfg, cl, g->copier, g->copied);
	if (cp != NULL)
		ru_note(f, "[%s] takes it from [%s] through 'copy = %s' (%s:%u)", g->copier->name,
		    g->copied->name, cp->node->value, cp->file->display, cp->node->line);
}

/* ---- SL2001 guest-fallback ---------------------------------------------- */

static void check_guest_fallback(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff e;
	if (ru_map_to_guest(l->cfg, v, &e) <= 0)
		return;   /* never, bad uid off a domain, or no guest session at all (encryption required) */
	unsigned hit = ru_clients_where(l, ru_refuses_guest);
	if (hit == 0)
		return;
	char *who = ru_client_labels(hit);
	const char *whom = fold_eq(e.str, "bad uid") ?
	    "an account that has no Unix user on this server" :
	    fold_eq(e.str, "bad password") ? "a mistyped password or an unknown user name" :
	    "a user name this server does not know";
	struct finding *f = ru_report_eff(l, NULL, &e, "map to guest = %s: %s gets a guest session, "
	    "which %s refuse%s instead of asking for a password", e.str, whom, who,
	    (hit & (hit - 1)) ? "" : "s");
	ru_note(f, "Windows then shows \"You can't access this shared folder because your "
	    "organization's security policies block unauthenticated guest access\" (System error "
	    "1272)%s; set 'map to guest = never'", (hit & CL_WIN11_24H2) ?
	    ", or on 24H2 0xc000a000 STATUS_INVALID_SIGNATURE" : "");
	if (e.from != NULL)
		ru_edit_value(f, e.from, "never");
	free(who);
}

static const struct rule r_guest_fallback = {
	.code = "SL2001",
	.name = "guest-fallback",
	.severity = SEV_WARNING,
	.fix = FIX_SAFE,
	.summary = "map to guest turns failed sign-ins into guest sessions that Windows rejects",
	.what = "'map to guest = bad user' (or bad password, bad uid) while the targeted clients "
	    "include Windows 10/11 Enterprise or Education, Windows Server 2019+ or Windows 11 "
	    "24H2. It fires even when no share allows guests.",
	.why = "With 'bad user', a client whose user name is unknown to the server (the Windows "
	    "login name, a Microsoft account e-mail, a typo) is logged on as guest instead of "
	    "being refused. These Windows versions refuse guest sessions, so instead of a "
	    "password prompt the user gets \"You can't access this shared folder because your "
	    "organization's security policies block unauthenticated guest access\" (0x80070035, "
	    "'net use': System error 1272, event 31017). Windows 11 24H2 also requires signing, "
	    "which a guest session cannot provide: 0xc000a000 (STATUS_INVALID_SIGNATURE).",
	.fix_text = "Set 'map to guest = never' (smblint's fix, in whichever file holds the line). "
	    "Windows then asks for a user name and password, and users sign in with real "
	    "accounts (smbpasswd -a).",
	.workaround = "Enabling insecure guest logons on each PC (group policy 'Enable insecure "
	    "guest logons' or AllowInsecureGuestAuth=1) lets these clients accept the guest "
	    "session, but it weakens every SMB connection that PC makes, to any server, and it "
	    "does nothing for Windows 11 24H2, whose signing requirement a guest session still "
	    "cannot meet.",
	.example = "[global]\n    map to guest = bad user\n",
	.check = check_guest_fallback,
};

/* ---- SL2002 guest-share --------------------------------------------------- */

/* Shares for which a guest-refusing profile gets a guest-only verdict. */
static unsigned guest_verdicts(struct lint *l, const struct section *s, samba_ver v)
{
	unsigned mask = 0;
	for (size_t i = 0; i < client_profile_count; i++) {
		const struct client_profile *p = &client_profiles[i];
		struct client_verdict vd;
		if (!targeted(l, p->bit) || !ru_refuses_guest(p))
			continue;
		client_verdict_quick(l->cfg, s, p, v, &vd);
		if (!vd.ok && vd.guest_only)
			mask |= p->bit;
	}
	return mask;
}

/* "no", spelled like the value it replaces ("No" for "Yes", "NO" for "YES"). */
static const char *no_like(const char *value)
{
	bool upper = false, lower = false;
	for (const char *p = value; *p; p++) {
		upper |= *p >= 'A' && *p <= 'Z';
		lower |= *p >= 'a' && *p <= 'z';
	}
	if (upper && !lower)
		return "NO";
	return value[0] >= 'A' && value[0] <= 'Z' ? "No" : "no";
}

/*
 * The unsafe fix: the line that makes the share a guest share says no
 * instead.  In the share itself that changes the share only; a [global]
 * line is the default of every share, so the note says so.  A value
 * brought in by copy = is left alone (the template may be meant for guests).
 */
static void fix_guest_share(struct finding *f, const struct ru_group *g,
    const struct ru_groups *all)
{
	const struct assign *a = g->e.from;
	if (a == NULL || a->node == NULL)
		return;
	if (g->e.copied_from != NULL || g->copier != NULL) {
		ru_note(f, "not fixed automatically: the line is shared through 'copy ='");
		return;
	}
	if (!g->e.inherited && a->section != g->first)
		return;
	if (g->e.inherited && !a->section->global)
		return;
	if (!ru_edit_value(f, a, no_like(a->node->value)))
		return;
	if (g->e.inherited) {
		const struct ru_group *every = ru_group_find(all, &g->e, g->first);
		size_t n = every != NULL ? every->n : g->n;
		ru_note(f, "the fix (unsafe) sets '%s = %s' in [global], which turns guest access off "
		    "for every share that does not set it itself (%zu share%s now): each user then "
		    "needs an account", a->node->key, no_like(a->node->value), n, n == 1 ? "" : "s");
	} else {
		ru_note(f, "the fix (unsafe) sets '%s = %s' in [%s]: its users then need accounts",
		    a->node->key, no_like(a->node->value), g->first->name);
	}
}

static void check_guest_share(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_groups gs = {0};
	int known[2] = {-1, -1};
	size_t ng;
	const struct ru_guest *guests = ru_guest_sections(l, &ng);
	if (ng == 0)
		return;   /* no line admits guests (the default does not) */
	ru_groups_reserve(&gs, ng);
	for (size_t i = 0; i < ng; i++) {
		const struct ru_guest *gi = &guests[i];
		if (!gi->share || !gi->vu_empty)
			continue;   /* valid users: the guest account is not among them */
		/*
		 * For a guest share the verdict depends on the share only
		 * through whether it requires encryption (see clients.c):
		 * two answers at most, each worked out once.
		 */
		int req = gi->enc;
		if (known[req] < 0)
			known[req] = (int)guest_verdicts(l, gi->s, v);
		unsigned mask = (unsigned)known[req];
		if (mask != 0)
			ru_group_add(&gs, &gi->guest, gi->s, mask);
	}
	/* Every section by the line that admits guests to it, for the notes of [global] fixes. */
	struct ru_groups all = {0};
	struct copy_lines cl = {0};
	for (size_t i = 0; i < gs.n; i++) {
		if (!gs.g[i].e.inherited)
			continue;
		for (size_t k = 0; k < ng; k++)
			if (guests[k].guest.from != NULL)
				ru_group_add(&all, &guests[k].guest, guests[k].s, 0);
		break;
	}
	for (size_t i = 0; i < gs.n; i++) {
		const struct ru_group *g = &gs.g[i];
		/* ru_group_shares and ru_client_labels, without copies. */
		struct finding *f = ru_report_eff(l, g->first, &g->e, "guest access to %s%s: %s refuse%s "
		    "guest sessions, so only users with an account on this server can open %s",
		    g->n == 1 ? "share " : "shares ", g->shares.s != NULL ? g->shares.s : "",
		    ru_client_labels_memo(g->mask), (g->mask & (g->mask - 1)) ? "" : "s",
		    g->n == 1 ? "it" : "them");
		if (g->e.inherited)
			ru_note(f, "[global] sets the default of every share; %s inherit%s it",
			    g->shares.s, g->n == 1 ? "s" : "");
		else
			note_copy(l, &cl, f, g);
		fix_guest_share(f, g, &all);
	}
	ru_groups_free(&gs);
	ru_groups_free(&all);
	free(cl.a);
}

static const struct rule r_guest_share = {
	.code = "SL2002",
	.name = "guest-share",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "A share meant for guests, and targeted clients that refuse guest sessions",
	.what = "A share with 'guest ok = yes' (or 'public = yes'), set in the share, inherited "
	    "from [global] or brought in by 'copy =', while the targeted clients include "
	    "Windows versions that refuse guest sessions. Shares limited by 'valid users' are "
	    "skipped: the guest account is not let in there anyway.",
	.why = "Windows 10/11 Enterprise and Education (1709+), Windows Server 2019+ and every "
	    "edition of Windows 11 24H2 do not accept a guest session. Users without an account "
	    "on the server cannot open the share at all; Windows reports \"You can't access "
	    "this shared folder because your organization's security policies block "
	    "unauthenticated guest access\" (System error 1272), and 24H2 with insecure guest "
	    "logons re-enabled still fails with 0xc000a000 (STATUS_INVALID_SIGNATURE).",
	.fix_text = "Give the people who use the share accounts on the server (smbpasswd -a, or "
	    "one shared account) and list them in 'valid users'; keep 'guest ok = yes' only for "
	    "devices that really cannot sign in. smblint's fix (unsafe: users without an account "
	    "lose access) sets the line that admits guests ('guest ok' or 'public') to no: in the "
	    "share when it is set there, else in [global], which then affects every share that "
	    "inherits it. A value brought in by 'copy =' is left to you.",
	.workaround = "Allowing insecure guest logons on each PC (group policy or "
	    "AllowInsecureGuestAuth=1) makes guest shares reachable again on some editions, "
	    "but weakens every SMB connection the PC makes and does not help Windows 11 24H2, "
	    "which requires signing.",
	.example = "[public]\n    path = /srv/public\n    guest ok = yes\n",
	.check = check_guest_share,
	.own_thread = true,
};

/* ---- SL2003 usershare-guests -------------------------------------------- */

static void check_usershare_guests(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff e, max;
	if (!ru_bool(l->cfg, NULL, "usershare allow guests", v, &e) || e.from == NULL)
		return;
	ru_get(l->cfg, NULL, "usershare max shares", v, &max);
	if (atoi(max.str) <= 0)
		return;   /* user shares are off: the line has no effect */
	unsigned hit = ru_clients_where(l, ru_refuses_guest);
	if (hit == 0)
		return;
	char *who = ru_client_labels(hit);
	struct finding *f = ru_report_eff(l, NULL, &e, "usershare allow guests = yes lets users "
	    "publish guest shares (for example from the file manager), which %s cannot open", who);
	ru_note(f, "set 'usershare allow guests = no'; user shares then require a sign-in");
	ru_edit_value(f, e.from, "no");
	free(who);
}

static const struct rule r_usershare_guests = {
	.code = "SL2003",
	.name = "usershare-guests",
	.severity = SEV_WARNING,
	.fix = FIX_SAFE,
	.summary = "Users may publish guest shares that current Windows cannot open",
	.what = "'usershare allow guests = yes' while user shares are enabled ('usershare max "
	    "shares' above 0) and the targeted clients refuse guest sessions.",
	.why = "Shares that users publish with 'net usershare' or a file manager's sharing "
	    "dialog can then be guest shares. Windows versions that refuse guest sessions "
	    "cannot open them (System error 1272, or 0xc000a000 on Windows 11 24H2), and the "
	    "user who shared the folder has no way to see why.",
	.fix_text = "Set 'usershare allow guests = no' (smblint's fix). User shares then need "
	    "an account, which every client handles.",
	.workaround = "Enabling insecure guest logons on the PCs weakens all their SMB "
	    "connections and does not help Windows 11 24H2.",
	.example = "[global]\n    usershare allow guests = yes\n",
	.check = check_usershare_guests,
};

/* ---- SL2004 no-common-dialect ------------------------------------------- */

static void report_dialect(struct lint *l, const struct ru_eff *e, unsigned mask, bool max_side,
    enum dialect d)
{
	char *who = ru_client_labels(mask);
	struct finding *f;
	if (max_side) {
		f = ru_report_eff(l, NULL, e, "server max protocol = %s: the server speaks nothing newer "
		    "than %s, so %s cannot connect at all", ru_as_written(e), ru_dialect_name(d), who);
		if (mask & CL_WINDOWS)
			ru_note(f, "Windows says \"This share requires the obsolete SMB1 protocol\"; "
			    "delete the line (the default is SMB3)");
		if (e->from != NULL && e->from->overrides == NULL)
			ru_edit_remove(f, e->from->file, e->from->node);
		else if (e->from != NULL)
			ru_edit_value(f, e->from, "SMB3");
	} else {
		f = ru_report_eff(l, NULL, e, "server min protocol = %s: the server refuses anything "
		    "older than %s, so %s cannot connect at all", ru_as_written(e), ru_dialect_name(d), who);
		if (mask & CL_SMB1)
			ru_note(f, "SMB1-only devices need 'server min protocol = NT1'; SMB1 is "
			    "insecure, so keep such devices on a separate network or replace them");
	}
	free(who);
}

static void check_dialects(struct lint *l)
{
	samba_ver v = ru_ver(l);
	enum dialect smin, smax;
	struct ru_eff emin, emax;
	unsigned low = 0, high = 0;

	ru_server_dialects(l->cfg, v, &smin, &smax, &emin, &emax);
	if (smin > smax) {
		/* an empty range: smbd answers every negotiation with NOT_SUPPORTED */
		/* at the line that did it: the maximum when the minimum is the default */
		struct finding *f;
		if (emin.from == NULL && emax.from != NULL) {
			char *vs = ru_ver_str(v);
			f = ru_report_eff(l, NULL, &emax, "server max protocol = %s is below 'server min "
			    "protocol' (%s, Samba %s's default): the server speaks no protocol at all, so no "
			    "client can connect", ru_as_written(&emax), emin.str, vs);
			free(vs);
		} else {
			f = ru_report_eff(l, NULL, emin.from != NULL ? &emin : &emax, "server min protocol = "
			    "%s is above server max protocol = %s: the server speaks no protocol at all, so no "
			    "client can connect", ru_as_written(&emin), ru_as_written(&emax));
		}
		if (emin.from != NULL && emax.from != NULL) {
			ru_note(f, "'server max protocol' is set at %s:%u; lower 'server min protocol' or "
			    "raise 'server max protocol' (its default, SMB3, suits current clients)",
			    emax.from->file->display, emax.from->node->line);
		} else if (emax.from != NULL) {
			ru_note(f, "delete the line (the default is SMB3)");
			if (emax.from->overrides == NULL)
				ru_edit_remove(f, emax.from->file, emax.from->node);
			else
				ru_edit_value(f, emax.from, "SMB3");
		}
		return;
	}
	for (size_t i = 0; i < client_profile_count; i++) {
		const struct client_profile *p = &client_profiles[i];
		if (!targeted(l, p->bit))
			continue;
		if (p->min > smax)
			high |= p->bit;
		else if (p->max < smin)
			low |= p->bit;
	}
	if (high)
		report_dialect(l, &emax, high, true, smax);
	if (low)
		report_dialect(l, &emin, low, false, smin);
}

static const struct rule r_dialects = {
	.code = "SL2004",
	.name = "no-common-dialect",
	.severity = SEV_ERROR,
	.fix = FIX_UNSAFE,
	.summary = "The server's protocol range and a targeted client's do not overlap",
	.what = "'server max protocol' below what a targeted client speaks (NT1 or older "
	    "against current Windows, which has no SMB1 client), or 'server min protocol' above "
	    "it (SMB2 or newer against SMB1-only devices; SMB3 against Windows 7), or a minimum "
	    "above the maximum, which leaves no protocol for anyone. Built-in defaults count: "
	    "since Samba 4.11 the minimum is SMB2_02.",
	.why = "The connection fails during protocol negotiation before any password is asked. "
	    "Windows 10 1709+ and Windows 11 have no SMB1 client and report \"This share "
	    "requires the obsolete SMB1 protocol\"; SMB1-only scanners and media players just "
	    "report that the server cannot be reached.",
	.fix_text = "Remove a 'server max protocol' below SMB2 (smblint's fix, unsafe only "
	    "because SMB1-only devices would need a separate decision). For SMB1-only devices, "
	    "'server min protocol = NT1' lets them in at the cost of enabling SMB1 for everyone: "
	    "prefer replacing or isolating them.",
	.workaround = "Re-installing the SMB1 client on Windows ('SMB 1.0/CIFS Client' feature) "
	    "brings back a protocol with known remote-code-execution history, and Windows 11 "
	    "releases no longer offer it everywhere.",
	.example = "[global]\n    server max protocol = NT1\n",
	.check = check_dialects,
};

/* ---- SL2005 smb1-enabled / SL2006 smb1-needed ---------------------------- */

static bool smb1_on(struct lint *l, struct ru_eff *e)
{
	enum dialect smin, smax;
	struct ru_eff emax;
	ru_server_dialects(l->cfg, ru_ver(l), &smin, &smax, e, &emax);
	return smin <= D_NT1 && smax >= D_SMB2_02;
}

static void check_smb1_enabled(struct lint *l)
{
	struct ru_eff e;
	samba_ver v = ru_ver(l);
	if (!smb1_on(l, &e) || targeted(l, CL_SMB1))
		return;
	struct finding *f = ru_report_eff(l, NULL, &e, "SMB1 is enabled (server min protocol = %s), "
	    "and none of the targeted clients needs it", e.str);
	const char *def = param_default_for(e.param, v);
	bool def_ok = ru_dialect(def, true, v) >= D_SMB2_02;
	if (e.from == NULL) {
		ru_edit_add_global(f, l->cfg, "server min protocol = SMB2_02");
	} else if (def_ok && e.from->overrides == NULL && e.from->section->global) {
		ru_note(f, "delete the line: the default of this Samba version is %s", def);
		ru_edit_remove(f, e.from->file, e.from->node);
	} else {
		ru_edit_value(f, e.from, "SMB2_02");
	}
}

static const struct rule r_smb1_enabled = {
	.code = "SL2005",
	.name = "smb1-enabled",
	.severity = SEV_WARNING,
	.fix = FIX_SAFE,
	.summary = "SMB1 is enabled although no targeted client needs it",
	.what = "'server min protocol' is NT1 or older (set explicitly, or by the built-in "
	    "default of Samba before 4.11) while no SMB1-only client is targeted (--client "
	    "without smb1).",
	.why = "SMB1 has no encryption, weak integrity protection and a long history of "
	    "remote-code-execution flaws (the WannaCry family). Windows has not needed it since "
	    "Vista; keeping it on only widens what an attacker on the network can try.",
	.fix_text = "Set 'server min protocol = SMB2_02', or delete the line where that is the "
	    "default (Samba 4.11 and later). smblint does one or the other.",
	.workaround = NULL,
	.example = "[global]\n    server min protocol = NT1\n",
	.check = check_smb1_enabled,
};

static void check_smb1_needed(struct lint *l)
{
	struct ru_eff e;
	if (!smb1_on(l, &e) || !targeted(l, CL_SMB1))
		return;
	struct finding *f = ru_report_eff(l, NULL, &e, "SMB1 is enabled (server min protocol = %s) "
	    "for SMB1-only devices: every client may now use the insecure protocol", e.str);
	ru_note(f, "keep SMB1-only devices on a separate network, and plan to replace them");
}

static const struct rule r_smb1_needed = {
	.code = "SL2006",
	.name = "smb1-needed",
	.severity = SEV_INFO,
	.fix = FIX_NONE,
	.summary = "SMB1 is enabled because SMB1-only devices are targeted",
	.what = "'server min protocol' allows SMB1 and --client includes smb1 (old scanners, "
	    "media players, Windows XP).",
	.why = "Those devices need SMB1, so smblint does not ask to turn it off, but SMB1 is "
	    "then available to any client on the network, with its weak integrity protection "
	    "and history of remote-code-execution flaws.",
	.fix_text = "Limit the exposure: 'hosts allow' for the devices' addresses, a separate "
	    "VLAN, or a separate Samba instance for them; replace the devices when possible.",
	.workaround = NULL,
	.example = "[global]\n    server min protocol = NT1\n",
	.check = check_smb1_needed,
};

/* ---- SL2007 netbios-name-length ------------------------------------------- */

static void check_netbios_name(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff e;
	ru_get(l->cfg, NULL, "netbios name", v, &e);
	if (e.from != NULL && strlen(e.str) > 15) {
		struct finding *f = ru_report_eff(l, NULL, &e, "netbios name '%s' has %zu characters: "
		    "NetBIOS names hold at most 15", e.str, strlen(e.str));
		ru_note(f, "name registration and browsing use a truncated name, and joining a "
		    "domain fails; pick a name of 15 characters or fewer");
	}
	ru_get(l->cfg, NULL, "netbios aliases", v, &e);
	if (e.from == NULL)
		return;
	char *list = xstrdup(e.str), *save;
	for (char *w = strtok_r(list, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save))
		if (strlen(w) > 15)
			ru_report_eff(l, NULL, &e, "netbios alias '%s' has %zu characters: NetBIOS names "
			    "hold at most 15", w, strlen(w));
	free(list);
}

static const struct rule r_netbios_name = {
	.code = "SL2007",
	.name = "netbios-name-length",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A NetBIOS name longer than 15 characters",
	.what = "'netbios name' or an entry of 'netbios aliases' longer than 15 characters.",
	.why = "NetBIOS names have room for 15 characters. Name registration and network "
	    "browsing use a truncated name that Windows clients then fail to match, and joining "
	    "a domain is refused outright (testparm warns as well).",
	.fix_text = "Choose a name of at most 15 characters; DNS names may stay longer.",
	.workaround = NULL,
	.example = "[global]\n    netbios name = fileserver-basement\n",
	.check = check_netbios_name,
};

/* ---- SL2008 encryption-unsupported ---------------------------------------- */

/* Targeted profiles that cannot encrypt with this server: no SMB3 encryption on either side. */
static unsigned cannot_encrypt(struct lint *l, samba_ver v)
{
	enum dialect smin, smax;
	struct ru_eff emin, emax;
	unsigned mask = 0;
	ru_server_dialects(l->cfg, v, &smin, &smax, &emin, &emax);
	for (size_t i = 0; i < client_profile_count; i++) {
		const struct client_profile *p = &client_profiles[i];
		if (targeted(l, p->bit) && (!p->smb3_encryption || p->max < D_SMB3_00 || smax < D_SMB3_00))
			mask |= p->bit;
	}
	return mask;
}

static void check_encryption(struct lint *l)
{
	samba_ver v = ru_ver(l);
	unsigned hit = cannot_encrypt(l, v);
	struct ru_groups gs = {0};
	if (hit == 0)
		return;
	/* A client on SMB1 meets the share's own requirement only (ru_encrypt_required_smb1). */
	enum dialect smin, smax;
	struct ru_eff emin, emax;
	ru_server_dialects(l->cfg, v, &smin, &smax, &emin, &emax);
	unsigned nt1 = 0;
	for (size_t i = 0; i < client_profile_count; i++)
		if ((hit & client_profiles[i].bit) && ru_speaks_nt1(&client_profiles[i], smax))
			nt1 |= client_profiles[i].bit;
	for (size_t i = 0; i < l->cfg->nsections; i++) {
		const struct section *s = l->cfg->sections[i];
		struct ru_eff e, e1;
		if (!ru_is_share(l->cfg, s, v))
			continue;
		bool two = (hit & ~nt1) && ru_encrypt_required(l->cfg, s, v, &e);
		bool one = nt1 && ru_encrypt_required_smb1(l->cfg, s, v, &e1);
		if (two && one && e.from == e1.from)
			ru_group_add(&gs, &e, s, hit);
		else if (two)
			ru_group_add(&gs, &e, s, hit & ~nt1);
		if (one && !(two && e.from == e1.from))
			ru_group_add(&gs, &e1, s, nt1);
	}
	for (size_t i = 0; i < gs.n; i++) {
		const struct ru_group *g = &gs.g[i];
		char *who = ru_client_labels(g->mask), *what = ru_group_shares(g);
		struct finding *f = ru_report_eff(l, g->first, &g->e, "%s = %s requires SMB3 encryption "
		    "on %s: %s cannot encrypt and cannot open %s", g->e.from ? g->e.from->node->key :
		    "server smb encrypt", g->e.from ? g->e.from->node->value : g->e.str, what, who,
		    g->n == 1 ? "it" : "them");
		ru_note(f, "Windows reports \"Access is denied\"; 'server smb encrypt = desired' "
		    "encrypts for clients that can and still serves the others");
		free(who);
		free(what);
	}
	ru_groups_free(&gs);
}

static const struct rule r_encryption = {
	.code = "SL2008",
	.name = "encryption-unsupported",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "Encryption is required, and a targeted client cannot encrypt",
	.what = "'server smb encrypt = required' (or the old 'smb encrypt = mandatory') in "
	    "[global] or a share, while the targeted clients include Windows 7 (SMB 2.1 at "
	    "most) or SMB1-only devices, neither of which can do SMB3 encryption.",
	.why = "Samba refuses unencrypted access to such shares: those clients cannot open them "
	    "at all (Windows 7 reports \"Access is denied\").",
	.fix_text = "Use 'server smb encrypt = desired' to encrypt for capable clients while "
	    "serving the others, or move the old clients to shares without the requirement.",
	.workaround = NULL,
	.example = "[global]\n    server smb encrypt = required\n[data]\n    path = /srv/data\n",
	.check = check_encryption,
};

/* ---- SL2010 guest-encryption ------------------------------------------------ */

static void check_guest_encryption(struct lint *l)
{
	struct ru_groups gs = {0}, ds = {0};
	size_t ng;
	samba_ver v = ru_ver(l);
	enum dialect smin, smax;
	struct ru_eff emin, emax;
	ru_server_dialects(l->cfg, v, &smin, &smax, &emin, &emax);
	bool smb3 = smax >= D_SMB3_00;
	const struct ru_guest *guests = ru_guest_sections(l, &ng);
	for (size_t i = 0; i < ng; i++) {
		if (!guests[i].share || !guests[i].vu_empty)
			continue;   /* valid users: not a share for guests */
		if (guests[i].enc) {
			ru_group_add(&gs, &guests[i].enc_e, guests[i].s, 0);
			continue;
		}
		struct ru_eff d;
		if (smb3 && ru_guest_desired_bug(l->cfg, guests[i].s, v, &d))
			ru_group_add(&ds, &d, guests[i].s, 0);
	}
	for (size_t i = 0; i < ds.n; i++) {
		const struct ru_group *g = &ds.g[i];
		char *what = ru_group_shares(g);
		char *vs = ru_ver_str(v);
		struct finding *f = ru_report_eff(l, g->first, &g->e, "%s = %s on guest %s: Samba %s asks "
		    "a guest session to encrypt as well, which it cannot, so guests cannot use %s over SMB3",
		    g->e.from ? g->e.from->node->key : "server smb encrypt",
		    g->e.from ? g->e.from->node->value : g->e.str, what, vs, g->n == 1 ? "it" : "them");
		ru_note(f, "a bug of Samba 4.15.0 to 4.19.6 and 4.20.0-4.20.1 (fixed in 4.19.7, 4.20.2 and "
		    "4.21); until the upgrade, 'server smb encrypt = if_required' (the default) keeps the "
		    "share open to guests");
		free(vs);
		free(what);
	}
	ru_groups_free(&ds);
	for (size_t i = 0; i < gs.n; i++) {
		const struct ru_group *g = &gs.g[i];
		char *what = ru_group_shares(g);
		struct finding *f = ru_report_eff(l, g->first, &g->e, "%s = %s on guest %s: a guest "
		    "session has no key to encrypt with, so guests cannot open %s from any client",
		    g->e.from ? g->e.from->node->key : "server smb encrypt",
		    g->e.from ? g->e.from->node->value : g->e.str, what, g->n == 1 ? "it" : "them");
		ru_note(f, "Samba answers ACCESS_DENIED; use 'server smb encrypt = desired' if the "
		    "share must stay open to guests");
		free(what);
	}
	ru_groups_free(&gs);
}

static const struct rule r_guest_encryption = {
	.code = "SL2010",
	.name = "guest-encryption",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "Encryption is required on a guest share (or desired, on Samba 4.15 to 4.19.6): guests cannot open it",
	.what = "A share with 'guest ok = yes' (and no 'valid users') on which SMB encryption is "
	    "required ('server smb encrypt = required' there or in [global]); or, on Samba 4.15.0 "
	    "to 4.19.6 and 4.20.0-4.20.1 (--samba-version), only desired ('server smb encrypt = "
	    "desired') while the server speaks SMB3.",
	.why = "SMB3 encryption uses keys derived from the user's password. A guest session has "
	    "none, so Samba refuses the guest's tree connect with ACCESS_DENIED, whatever the "
	    "client. The share works only for users who sign in, which defeats 'guest ok'. Samba "
	    "4.15.0 to 4.19.6 and 4.20.0-4.20.1 (bug 15412) also mark a guest's connection for "
	    "encryption when it is merely desired: over SMB3 the client has no key for it and "
	    "cannot list the share (smbclient reports NT_STATUS_INVALID_PARAMETER_MIX).",
	.fix_text = "Use 'server smb encrypt = desired' (encrypts whenever the session can; on "
	    "the Samba versions with the bug, 'if_required' or an upgrade), or drop 'guest ok' and "
	    "give the users accounts.",
	.workaround = NULL,
	.example = "[global]\n    server smb encrypt = required\n[public]\n    path = /srv/public\n"
	    "    guest ok = yes\n",
	.check = check_guest_encryption,
	.own_thread = true,
};

/* ---- SL2011 ntlm-disabled ------------------------------------------------------ */

/*
 * Checked with smbd 4.17 on loopback (test/probe/verdicts.py): a user with
 * an account and the right password gets STATUS_NTLM_BLOCKED at session
 * setup; a made-up user under map to guest = bad user still gets a guest
 * session.
 */
static void check_ntlm_disabled(struct lint *l)
{
	struct ru_eff e;
	if (!ru_ntlm_blocked(l->cfg, ru_ver(l), &e))
		return;
	struct finding *f = ru_report_eff(l, NULL, &e, "ntlm auth = %s: the server accepts no NTLM "
	    "sign-in and, without a domain, has no Kerberos to offer instead, so no one can sign in "
	    "with an account", e.str);
	ru_note(f, "Windows reports \"System error 1937: Authentication failed because NTLM "
	    "authentication has been disabled\"; set 'ntlm auth = ntlmv2-only' (the default)");
	if (e.from != NULL)
		ru_edit_value(f, e.from, "ntlmv2-only");
}

static const struct rule r_ntlm_disabled = {
	.code = "SL2011",
	.name = "ntlm-disabled",
	.severity = SEV_ERROR,
	.fix = FIX_UNSAFE,
	.summary = "NTLM is disabled on a server without Kerberos: no one can sign in",
	.what = "'ntlm auth = disabled' on a standalone server or a classic (NT4-style) domain "
	    "controller. An Active Directory domain controller or a domain member (security = "
	    "ads or domain) is left alone: domain clients sign in there with Kerberos.",
	.why = "'disabled' refuses NTLM of every version, NTLMv2 included. Without a domain the "
	    "server has no Kerberos, so NTLM is the only way a user with an account can sign "
	    "in: every such sign-in fails with STATUS_NTLM_BLOCKED, and Windows reports System "
	    "error 1937. Only guest and anonymous sessions still work.",
	.fix_text = "Set 'ntlm auth = ntlmv2-only' (the default since Samba 4.5), which still "
	    "refuses the weak NTLMv1 and LANMAN. smblint's fix does that; it is marked unsafe "
	    "because it lets NTLMv2 sign-ins in again, which may have been meant to be off.",
	.workaround = NULL,
	.example = "[global]\n    ntlm auth = disabled\n",
	.check = check_ntlm_disabled,
};

/* ---- SL2009 no-netbios-browsing ------------------------------------------- */

/* An explicit line asking to take part in NetBIOS browsing ("local master = yes", "os level = 20"). */
static bool browse_line(struct lint *l, samba_ver v, struct ru_eff *e)
{
	static const char *const yes[] = {"local master", "preferred master", "domain master",
	    "wins support", NULL};
	for (size_t i = 0; yes[i] != NULL; i++) {
		ru_get(l->cfg, NULL, yes[i], v, e);
		bool b;
		if (e->from != NULL && (fold_eq(e->str, "auto") || (param_parse_bool(e->str, &b) && b)))
			return true;
	}
	ru_get(l->cfg, NULL, "os level", v, e);
	return e->from != NULL && atoi(e->str) > 0;
}

static void check_browsing(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff e, emin, emax;
	enum dialect smin, smax;

	if (!targeted(l, CL_WINDOWS))
		return;
	if (ru_bool(l->cfg, NULL, "disable netbios", v, &e) || ru_is_dc(l->cfg, v, &e))
		return;
	if (!ru_bool(l->cfg, NULL, "local master", v, &e) && e.from != NULL)
		return;   /* told to stay out of browsing */
	ru_server_dialects(l->cfg, v, &smin, &smax, &emin, &emax);
	if (smin < D_SMB2_02)
		return;
	const struct ru_eff *at = emin.from != NULL ? &emin : browse_line(l, v, &e) ? &e : NULL;
	if (at == NULL)
		return;
	struct finding *f = ru_report_eff(l, NULL, at, "SMB1 is off, so Windows no longer finds "
	    "this server by NetBIOS browsing: it will not appear under Network");
	ru_note(f, "run a WS-Discovery responder (wsdd or wsdd2) next to Samba; connecting "
	    "by name (\\\\server\\share) works regardless");
}

static const struct rule r_browsing = {
	.code = "SL2009",
	.name = "no-netbios-browsing",
	.severity = SEV_INFO,
	.fix = FIX_NONE,
	.summary = "Without SMB1 the server disappears from Windows' Network view",
	.what = "SMB1 is disabled (explicitly, or by the default of Samba 4.11 and later) while "
	    "the configuration sets 'server min protocol' or asks to take part in NetBIOS "
	    "browsing ('local master = yes', 'os level', 'wins support = yes'...), NetBIOS is "
	    "not disabled and Windows clients are targeted. Reported once.",
	.why = "The NetBIOS browse service that fills Windows' Network folder works over SMB1, "
	    "and Windows 10 1709+ no longer runs it. Shares still work when opened by name, but "
	    "users looking under Network do not see the server and assume it is down.",
	.fix_text = "Install a WS-Discovery responder such as wsdd or wsdd2 next to Samba, or "
	    "tell users to open \\\\server directly or map the drive.",
	.workaround = "Re-enabling SMB1 on the clients to get browsing back re-opens the "
	    "protocol's security holes on every PC.",
	.example = "[global]\n    server min protocol = SMB2_10\n    local master = yes\n",
	.check = check_browsing,
};

/* ---- SL2012 fruit-stack --------------------------------------------------- */

/* Position (1-based) of module `name` in a 'vfs objects' list, 0 when it is not there. */
static size_t vfs_pos(const char *list, const char *name)
{
	static const char sep[] = " \t,\n\r";
	size_t n = strlen(name), i = 0;
	for (const char *p = list + strspn(list, sep); *p != '\0'; p += strspn(p, sep)) {
		size_t len = strcspn(p, sep);
		i++;
		if (len == n && memcmp(p, name, n) == 0)
			return i;
		p += len;
	}
	return 0;
}

static bool loads_fruit(const char *canon)
{
	return vfs_pos(canon, "fruit") != 0;
}

static void check_fruit(struct lint *l)
{
	const struct config *c = l->cfg;
	samba_ver v = ru_ver(l);
	struct ru_said seen = {0};

	/* a share's own Time Machine line, in a share that never loads the module reading it */
	for (size_t i = 0; i < c->nassigns; i++) {
		const struct assign *a = &c->assigns[i];
		/* (the name first: a share may hold 100,000 other options, and config_opt walks them) */
		if (!a->parametric || a->status != AS_SET || strncasecmp(a->name, "fruit:", 6) != 0 ||
		    a->section->global || !ru_is_share(c, a->section, v))
			continue;
		const struct value *tm = config_opt(c, a->section, "fruit:time machine");
		bool yes = false;
		if (tm == NULL || tm->from != a || !param_parse_bool(tm->canon, &yes) || !yes)
			continue;
		struct ru_eff vfs;
		ru_get(c, a->section, "vfs objects", v, &vfs);
		if (loads_fruit(vfs.str))
			continue;
		struct finding *f = ru_report_assign(l, a, "fruit:time machine = %s has no effect: 'vfs "
		    "objects' of [%s] does not load fruit, so Macs do not see the share as a Time "
		    "Machine destination", tm->canon, a->section->name);
		ru_note(f, "load the modules as Samba documents them: 'vfs objects = catia fruit streams_xattr'");
	}
	/* the rest concerns shares that load fruit: none without a line that says so */
	if (!ru_any_line(l, "vfs objects", loads_fruit))
		return;
	const struct section *first_fruit = NULL, *first_plain = NULL;
	struct ru_eff first_vfs = {0};
	size_t nplain = 0;
	for (size_t i = 1; i < c->nsections; i++) {
		const struct section *s = c->sections[i];
		if (!ru_is_share(c, s, v))
			continue;
		struct ru_eff vfs, e;
		ru_get(c, s, "vfs objects", v, &vfs);
		size_t fruit = vfs_pos(vfs.str, "fruit"), xattr = vfs_pos(vfs.str, "streams_xattr");
		if (fruit == 0) {
			nplain++;
			if (first_plain == NULL)
				first_plain = s;
			continue;
		}
		if (first_fruit == NULL) {
			first_fruit = s;
			first_vfs = vfs;
		}
		if (vfs.from != NULL && (xattr == 0 || xattr < fruit) && !ru_said_before(&seen, vfs.from, 0)) {
			struct finding *f;
			if (xattr == 0)
				f = ru_report_eff(l, s, &vfs, "vfs objects = %s loads fruit without streams_xattr: "
				    "fruit hands every named stream other than the Mac's own two to "
				    "streams_xattr, so Macs fail to store the other streams and extended "
				    "attributes of their files", vfs.str);
			else
				f = ru_report_eff(l, s, &vfs, "vfs objects = %s loads streams_xattr before fruit: "
				    "streams_xattr then takes the Mac's metadata and resource fork streams "
				    "that fruit exists to handle", vfs.str);
			ru_note(f, "load the modules in the order Samba documents: 'vfs objects = catia fruit streams_xattr'%s",
			    vfs.inherited ? " (this [global] line reaches every share that does not set its own)" : "");
		}
		/* vfs_fruit warns itself: Time Machine wants every write on disk when the Mac asks */
		const struct value *tm = config_opt(c, s, "fruit:time machine");
		bool tm_yes = false;
		if (tm != NULL && !param_parse_bool(tm->canon, &tm_yes))
			tm_yes = false;
		if (tm_yes && !ru_bool(c, s, "strict sync", v, &e) && e.from != NULL && !ru_said_before(&seen, e.from, 1)) {
			struct finding *f = ru_report_eff(l, s, &e, "strict sync = %s on a Time Machine share: "
			    "Samba acknowledges the Mac's flush requests without writing to disk, so a "
			    "power cut or crash can leave the backup corrupt", e.str);
			ru_note(f, v >= 40700 ? "delete the line (Samba's default is Yes since 4.7)" : "set 'strict sync = yes'");
		}
	}
	/* macOS asks for its SMB2 extensions (AAPL) at the first share it opens, for the whole connection */
	if (first_fruit != NULL && first_plain != NULL) {
		char more[48] = "";
		if (nplain > 1)
			snprintf(more, sizeof more, " and %zu more", nplain - 1);
		struct finding *f = ru_report_eff(l, first_fruit, &first_vfs, "[%s] loads fruit but [%s]%s "
		    "%s not: a Mac that opens a share without fruit first gets none of Apple's SMB "
		    "extensions on that connection, for the fruit shares too", first_fruit->name,
		    first_plain->name, more, nplain > 1 ? "do" : "does");
		ru_note(f, "load fruit (with catia and streams_xattr) on every file share, e.g. with "
		    "'vfs objects' in [global] (testparm warns about the mix too)");
	}
	ru_said_free(&seen);
}

static const struct rule r_fruit = {
	.code = "SL2012",
	.name = "fruit-stack",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A share set up for Macs whose vfs_fruit set-up does not work as meant",
	.what = "A share that loads vfs_fruit (the module for Apple clients) without "
	    "streams_xattr, or with streams_xattr listed before it; a share's own "
	    "'fruit:time machine = yes' while its 'vfs objects' does not load fruit; and "
	    "'strict sync = no' on a Time Machine share; and shares with fruit beside shares "
	    "without it (testparm warns about that mix). Each line is reported once, also when "
	    "it is in [global] and reaches many shares.",
	.why = "vfs_fruit handles the two streams macOS keeps for Finder metadata and resource "
	    "forks and passes every other named stream down to streams_xattr, so the two must "
	    "be stacked in that order. Without fruit, the fruit: options of a share are read by "
	    "no one and Time Machine does not offer the share as a backup disk. Without strict "
	    "sync, Samba does not write data to disk when the Mac asks it to, which Time Machine "
	    "relies on to keep its backup consistent (Samba logs a warning about it). macOS "
	    "negotiates Apple's SMB2 extensions once per connection, at the first share it opens: "
	    "if that share has no fruit, the fruit shares lose them too.",
	.fix_text = "Use 'vfs objects = catia fruit streams_xattr' (catia maps the characters "
	    "macOS allows and Windows does not) on the Mac shares, and keep 'strict sync' at its "
	    "default.",
	.workaround = NULL,
	.example = "[backup]\n    path = /srv/timemachine\n    vfs objects = streams_xattr fruit\n"
	    "    fruit:time machine = yes\n",
	.check = check_fruit,
};

/* ---- SL2013 workgroup-is-netbios-name ------------------------------------ */

static void check_workgroup_name(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff wg, nb, dn;
	ru_get(l->cfg, NULL, "workgroup", v, &wg);
	ru_get(l->cfg, NULL, "netbios name", v, &nb);
	/* unset, the NetBIOS name is this machine's host name: only known here */
	if (nb.from == NULL || wg.str[0] == '\0' || strcasecmp(wg.str, nb.str) != 0)
		return;
	const struct ru_eff *at = wg.from != NULL && (wg.from->index > nb.from->index) ? &wg : &nb;
	struct finding *f = ru_report_eff(l, NULL, at, "workgroup and netbios name are both '%s': "
	    "NetBIOS keeps machine and workgroup (or domain) names in one name space, so the "
	    "server's name collides with its own workgroup", nb.str);
	if (ru_bool(l->cfg, NULL, "disable netbios", v, &dn))
		ru_note(f, "with NetBIOS disabled the collision remains for domains, whose NetBIOS "
		    "name is the workgroup; rename the server or the workgroup");
	else
		ru_note(f, "name registration of one of them fails, and Windows browsing and NetBIOS "
		    "name look-ups of the server go wrong; rename the server or the workgroup");
}

static const struct rule r_workgroup_name = {
	.code = "SL2013",
	.name = "workgroup-is-netbios-name",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "The server's NetBIOS name is the same as its workgroup",
	.what = "'netbios name' set to the same name as 'workgroup' (ignoring case). testparm "
	    "warns about it without saying where.",
	.why = "NetBIOS has one name space for machines, workgroups and domains. A server named "
	    "like its workgroup cannot register both names, so browsing and name resolution by "
	    "NetBIOS misbehave, and in a domain the machine account would carry the domain's own "
	    "name.",
	.fix_text = "Give the server a name of its own (or the workgroup another name); the "
	    "Windows default workgroup is WORKGROUP.",
	.workaround = NULL,
	.example = "[global]\n    workgroup = NAS\n    netbios name = nas\n",
	.check = check_workgroup_name,
};

const struct rule *const rules_compat[] = {
	&r_guest_fallback, &r_guest_share, &r_usershare_guests, &r_dialects, &r_smb1_enabled,
	&r_smb1_needed, &r_netbios_name, &r_encryption, &r_browsing, &r_guest_encryption,
	&r_ntlm_disabled, &r_fruit, &r_workgroup_name,
};
const size_t rules_compat_count = sizeof rules_compat / sizeof rules_compat[0];
