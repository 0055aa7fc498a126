/* security.c - SL3xxx: settings that hand out more access than intended or weaken authentication. */
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "rutil.h"
#include "util.h"

/* Whether a user or group name in force user/group/guest account means root. */
static bool is_root(const char *name)
{
	while (*name == '+' || *name == '&' || *name == '@' || *name == '%')
		name++;
	return fold_eq(name, "root") || strcmp(name, "0") == 0;
}

/* ---- SL3001 guest-account-root ------------------------------------------ */

static void check_guest_root(struct lint *l)
{
	struct ru_eff e;
	ru_get(l->cfg, NULL, "guest account", ru_ver(l), &e);
	if (e.from != NULL && is_root(e.str))
		ru_report_eff(l, NULL, &e, "guest account = %s: anyone who gets a guest session "
		    "works as root on every guest share", e.str);
}

static const struct rule r_guest_root = {
	.code = "SL3001",
	.name = "guest-account-root",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "The guest account is root",
	.what = "'guest account = root'.",
	.why = "Guest sessions need no password. With root as the guest account, every file "
	    "a guest can reach is read and written with root's rights: permissions no longer "
	    "protect anything, and files created by guests belong to root.",
	.fix_text = "Leave the default (nobody) or use a dedicated unprivileged account.",
	.workaround = NULL,
	.example = "[global]\n    guest account = root\n",
	.check = check_guest_root,
};

/* ---- SL3002 force-root ---------------------------------------------------- */

static bool root_value(const char *v)
{
	return v != NULL && is_root(v);
}

static void check_force_root(struct lint *l)
{
	static const char *const params[] = {"force user", "force group"};
	samba_ver v = ru_ver(l);
	struct ru_groups groups[2] = {{0}};
	if (!ru_any_line(l, "force user", root_value) && !ru_any_line(l, "force group", root_value))
		return;   /* the defaults (none) are not root */
	for (size_t i = 0; i < l->cfg->nsections; i++) {
		const struct section *s = l->cfg->sections[i];
		struct ru_eff e[2];
		bool hit[2];
		for (size_t k = 0; k < 2; k++) {
			ru_get(l->cfg, s, params[k], v, &e[k]);
			hit[k] = e[k].from != NULL && is_root(e[k].str);
		}
		if (!(hit[0] || hit[1]) || !ru_is_share(l->cfg, s, v))
			continue;
		for (size_t k = 0; k < 2; k++)
			if (hit[k])
				ru_group_add(&groups[k], &e[k], s, 0);
	}
	for (size_t k = 0; k < 2; k++) {
		struct ru_groups sg = groups[k];
		for (size_t i = 0; i < sg.n; i++)
			ru_report_eff(l, sg.g[i].first, &sg.g[i].e, "%s = %s: every user of %s %s works "
			    "with root's rights there", params[k], sg.g[i].e.str, sg.g[i].n == 1 ? "share" :
			    "shares", sg.g[i].shares.s);
		ru_groups_free(&sg);
	}
}

static const struct rule r_force_root = {
	.code = "SL3002",
	.name = "force-root",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A share forces the root user or group",
	.what = "'force user = root' or 'force group = root' in a share or in [global].",
	.why = "Every file operation on the share then runs as root (or with root's group), "
	    "whoever is connected: permissions stop protecting anything under the share's "
	    "path, and symbolic links or a path near / expose the whole system.",
	.fix_text = "Force a dedicated unprivileged account that owns the share's files, or "
	    "fix the permissions so that users can work as themselves.",
	.workaround = NULL,
	.example = "[data]\n    path = /srv/data\n    force user = root\n",
	.check = check_force_root,
};

/* ---- SL3003 writable-guest-share / SL3004 guest-world-writable ---------- */

/* A share guests can write to; *at gets the line to report (the one in the share itself if any). */
static bool guest_writable(const struct ru_guest *gi, struct ru_eff *at, struct ru_eff *other)
{
	if (!gi->share || !gi->writable)
		return false;
	if (gi->printable)
		return false;   /* a print queue: writing means spooling a job */
	if (!gi->vu_empty)
		return false;
	const struct section *s = gi->s;
	const struct ru_eff *g = &gi->guest, *w = &gi->w;
	bool g_own = g->from != NULL && g->from->section == s;
	bool w_own = w->from != NULL && w->from->section == s;
	*at = (w_own && !g_own) ? *w : *g;
	*other = (w_own && !g_own) ? *g : *w;
	return true;
}

static void check_writable_guest(struct lint *l)
{
	struct ru_groups sg = {0};
	size_t ng;
	const struct ru_guest *guests = ru_guest_sections(l, &ng);
	ru_groups_reserve(&sg, ng);
	for (size_t i = 0; i < ng; i++) {
		struct ru_eff at, other;
		if (guest_writable(&guests[i], &at, &other))
			ru_group_add(&sg, &at, guests[i].s, 0);
	}
	for (size_t i = 0; i < sg.n; i++) {
		struct ru_group *g = &sg.g[i];
		struct finding *f = ru_report_eff(l, g->first, &g->e, "%s %s %s writable for guests: "
		    "anyone on the network can change or delete files there without signing in",
		    g->n == 1 ? "share" : "shares", g->shares.s, g->n == 1 ? "is" : "are");
		ru_note(f, "give writers accounts and list them in 'write list', or make the "
		    "share read only for guests");
	}
	ru_groups_free(&sg);
}

static const struct rule r_writable_guest = {
	.code = "SL3003",
	.name = "writable-guest-share",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "A share that guests can write to",
	.what = "A share with 'guest ok = yes' that is writable ('read only = no', 'writeable = "
	    "yes'), without a 'valid users' list that keeps the guest account out.",
	.why = "Anyone who can reach the server (a visitor's laptop, a compromised IoT device, "
	    "ransomware on any PC) can create, change and delete files there without a "
	    "password, and nothing records who did it.",
	.fix_text = "Require accounts for writing: keep the share read only and name the "
	    "writers in 'write list', or drop 'guest ok'.",
	.workaround = NULL,
	.example = "[drop]\n    path = /srv/drop\n    guest ok = yes\n    read only = no\n",
	.check = check_writable_guest,
	.own_thread = true,
};

static void check_world_writable(struct lint *l)
{
	static const char *const masks[] = {
		"create mask", "directory mask", "force create mode", "force directory mode",
	};
	samba_ver v = ru_ver(l);
	struct ru_groups sg[4] = {{0}};
	size_t ng;
	const struct ru_guest *guests = ru_guest_sections(l, &ng);
	for (size_t i = 0; i < ng; i++) {
		const struct section *s = guests[i].s;
		struct ru_eff at, other, m;
		if (!guest_writable(&guests[i], &at, &other))
			continue;
		for (size_t k = 0; k < 4; k++) {
			ru_get(l->cfg, s, masks[k], v, &m);
			if (m.from != NULL && (strtol(m.str, NULL, 8) & 02))
				ru_group_add(&sg[k], &m, s, 0);
		}
	}
	for (size_t k = 0; k < 4; k++) {
		for (size_t i = 0; i < sg[k].n; i++)
			ru_report_eff(l, sg[k].g[i].first, &sg[k].g[i].e, "%s = %s on guest-writable %s %s: "
			    "what guests store there is world-writable on the server as well", masks[k],
			    sg[k].g[i].e.str, sg[k].g[i].n == 1 ? "share" : "shares", sg[k].g[i].shares.s);
		ru_groups_free(&sg[k]);
	}
}

static const struct rule r_world_writable = {
	.code = "SL3004",
	.name = "guest-world-writable",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "Files on a guest-writable share are created world-writable",
	.what = "'create mask', 'directory mask', 'force create mode' or 'force directory "
	    "mode' with the others-write bit (o+w, e.g. 0777) on a share guests can write to.",
	.why = "Files and folders dropped by guests then carry write permission for every "
	    "account on the server, so local users and services (a web server, a media "
	    "indexer) can alter them too, beyond what the share itself allows.",
	.fix_text = "Drop the others-write bit (0664/0775, or the defaults 0744/0755); use "
	    "'force group' with group write if several accounts must share the files.",
	.workaround = NULL,
	.example = "[drop]\n    path = /srv/drop\n    guest ok = yes\n    read only = no\n"
	    "    create mask = 0777\n",
	.check = check_world_writable,
	.own_thread = true,
};

/* ---- SL3005 dc-schannel ---------------------------------------------------- */

static void check_schannel(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff dc, e;
	if (!ru_is_dc(l->cfg, v, &dc))
		return;
	ru_get(l->cfg, NULL, "server schannel", v, &e);
	if (!fold_eq(e.str, "yes")) {
		struct finding *f = ru_report_eff(l, NULL, &e, "server schannel = %s on a domain "
		    "controller: machines may use Netlogon without a secure channel, the hole "
		    "exploited by ZeroLogon (CVE-2020-1472)", e.str);
		ru_note(f, "set 'server schannel = yes'; exempt an old machine that cannot "
		    "cope with 'server require schannel:NAME$ = no'");
		if (e.from != NULL)
			ru_edit_value(f, e.from, "yes");
		return;
	}
	ru_get(l->cfg, NULL, "server schannel require seal", v, &e);
	if (e.from != NULL && fold_eq(e.str, "no")) {
		struct finding *f = ru_report_eff(l, NULL, &e, "server schannel require seal = no on "
		    "a domain controller: Netlogon accepts secure channels that are only signed, "
		    "which CVE-2022-38023 showed to be forgeable");
		ru_note(f, "delete the line (the default is yes); exempt old machines one by one");
		ru_edit_value(f, e.from, "yes");
	}
}

static const struct rule r_schannel = {
	.code = "SL3005",
	.name = "dc-schannel",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "A domain controller that does not insist on Netlogon's secure channel",
	.what = "On a domain controller (AD DC, classic PDC/BDC, or 'domain logons = yes'): "
	    "'server schannel' other than yes (the default since Samba 4.8), or 'server "
	    "schannel require seal = no'.",
	.why = "Without an enforced secure channel an attacker on the network can take over "
	    "the domain through Netlogon (ZeroLogon, CVE-2020-1472); without sealing, signed-"
	    "only channels can be forged (CVE-2022-38023). testparm warns about the former too.",
	.fix_text = "Set both to yes (or delete the lines: yes is the default). Exempt a machine "
	    "that really cannot cope by name with 'server require schannel:NAME$ = no' rather "
	    "than opening the door for all. The fix is unsafe because such machines stop "
	    "working until exempted.",
	.workaround = NULL,
	.example = "[global]\n    server role = active directory domain controller\n"
	    "    server schannel = auto\n",
	.check = check_schannel,
};

/* ---- SL3006 nt4-crypto / SL3007 null-passwords / SL3008 plaintext-passwords --- */

static void check_nt4_crypto(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff dc, e;
	if (!ru_is_dc(l->cfg, v, &dc) || !ru_bool(l->cfg, NULL, "allow nt4 crypto", v, &e) || e.from == NULL)
		return;
	struct finding *f = ru_report_eff(l, NULL, &e, "allow nt4 crypto = yes: the domain "
	    "controller accepts Netlogon clients using the broken NT4-era cryptography");
	ru_note(f, "delete the line; exempt a machine that still needs it with "
	    "'allow nt4 crypto:NAME$ = yes'");
	ru_edit_value(f, e.from, "no");
}

static const struct rule r_nt4_crypto = {
	.code = "SL3006",
	.name = "nt4-crypto",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "A domain controller accepts NT4-era Netlogon cryptography",
	.what = "'allow nt4 crypto = yes' on a domain controller.",
	.why = "It lets clients set up Netlogon secure channels without strong keys, which "
	    "exposes machine account credentials to attackers on the network (see "
	    "CVE-2022-38023); Samba deprecated the parameter.",
	.fix_text = "Delete the line or set it to no; exempt individual machines by name if "
	    "they really need it. Unsafe: those machines stop working until exempted.",
	.workaround = NULL,
	.example = "[global]\n    server role = active directory domain controller\n"
	    "    allow nt4 crypto = yes\n",
	.check = check_nt4_crypto,
};

static void check_null_passwords(struct lint *l)
{
	struct ru_eff e;
	if (!ru_bool(l->cfg, NULL, "null passwords", ru_ver(l), &e) || e.from == NULL)
		return;
	struct finding *f = ru_report_eff(l, NULL, &e, "null passwords = yes: accounts with an "
	    "empty password can sign in");
	ru_edit_value(f, e.from, "no");
}

static const struct rule r_null_passwords = {
	.code = "SL3007",
	.name = "null-passwords",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "Accounts with an empty password may sign in",
	.what = "'null passwords = yes'.",
	.why = "Any account whose Samba password is empty becomes reachable by anyone who "
	    "knows or guesses its name, with that account's full rights.",
	.fix_text = "Set 'null passwords = no' (the default) and give every account a password. "
	    "Unsafe: accounts without a password stop working.",
	.workaround = NULL,
	.example = "[global]\n    null passwords = yes\n",
	.check = check_null_passwords,
};

static void check_plaintext(struct lint *l)
{
	struct ru_eff e;
	if (ru_bool(l->cfg, NULL, "encrypt passwords", ru_ver(l), &e) || e.from == NULL)
		return;
	struct finding *f = ru_report_eff(l, NULL, &e, "encrypt passwords = no: SMB1 clients are "
	    "asked to send passwords in clear text, which current Windows refuses to do");
	ru_note(f, "delete the line (the default is yes) and set passwords with smbpasswd");
	/*
	 * With encrypted passwords testparm rejects a password chat that types
	 * the old password (SL1035): the fix would turn a file it loads into
	 * one it rejects.
	 */
	struct ru_eff sync, chat;
	ru_get(l->cfg, NULL, "passwd chat", ru_ver(l), &chat);
	if (ru_bool(l->cfg, NULL, "unix password sync", ru_ver(l), &sync) && strstr(chat.str, "%o") != NULL) {
		ru_note(f, "not changed automatically: 'passwd chat' types the old password (%%o), "
		    "which encrypted passwords never provide (see SL1035)");
		return;
	}
	ru_edit_value(f, e.from, "yes");
}

static const struct rule r_plaintext = {
	.code = "SL3008",
	.name = "plaintext-passwords",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "Clear-text passwords are requested",
	.what = "'encrypt passwords = no'.",
	.why = "Over SMB1 the server then asks for the password in clear text, readable by "
	    "anyone on the path. Windows refuses to send clear-text passwords by default, so "
	    "its users cannot sign in that way either.",
	.fix_text = "Delete the line (yes is the default) and store passwords with smbpasswd. "
	    "Unsafe: accounts that only had Unix passwords need a Samba password first.",
	.workaround = "Allowing clear-text passwords in the Windows registry "
	    "(EnablePlainTextPassword) exposes the password of everyone who connects.",
	.example = "[global]\n    encrypt passwords = no\n",
	.check = check_plaintext,
};

/* ---- SL3009 insecure-wide-links ------------------------------------------ */

static void check_wide_links(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff allow;
	if (!ru_bool(l->cfg, NULL, "allow insecure wide links", v, &allow) || allow.from == NULL)
		return;
	struct ru_groups sg = {0};
	for (size_t i = 0; i < l->cfg->nsections; i++) {
		const struct section *s = l->cfg->sections[i];
		struct ru_eff e;
		if (ru_is_share(l->cfg, s, v) && ru_bool(l->cfg, s, "wide links", v, &e) && e.from != NULL)
			ru_group_add(&sg, &e, s, 0);
	}
	for (size_t i = 0; i < sg.n; i++) {
		struct finding *f = ru_report_eff(l, sg.g[i].first, &sg.g[i].e, "wide links = yes with "
		    "allow insecure wide links = yes: a symbolic link in %s %s can lead users to any "
		    "file on the server", sg.g[i].n == 1 ? "share" : "shares", sg.g[i].shares.s);
		ru_note(f, "with SMB1 UNIX extensions, clients can create such links themselves; "
		    "prefer bind mounts over wide links");
	}
	ru_groups_free(&sg);
}

static const struct rule r_wide_links = {
	.code = "SL3009",
	.name = "insecure-wide-links",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "Symbolic links may lead out of shares",
	.what = "'wide links = yes' on a share while [global] sets 'allow insecure wide links "
	    "= yes'.",
	.why = "Samba then follows symbolic links that point outside the share. Anyone who "
	    "can create a link there (a local user, or an SMB1 client using UNIX extensions) "
	    "can read and write any file the connected account can reach, far beyond the "
	    "share. Without 'allow insecure wide links', Samba switches wide links off "
	    "whenever UNIX extensions are on, for exactly this reason.",
	.fix_text = "Remove both lines and make the outside folders visible with bind mounts "
	    "inside the share, or share them separately.",
	.workaround = NULL,
	.example = "[global]\n    allow insecure wide links = yes\n[data]\n    path = /srv/data\n"
	    "    wide links = yes\n",
	.check = check_wide_links,
};

/* ---- SL3010 ntlmv1-allowed / SL3011 lanman-auth -------------------------- */

static void check_ntlmv1(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff e;
	ru_get(l->cfg, NULL, "ntlm auth", v, &e);
	if (!fold_eq(e.str, "ntlmv1-permitted") && !fold_eq(e.str, "yes"))
		return;
	bool smb1 = l->opts != NULL && (l->opts->clients & CL_SMB1);
	struct finding *f = ru_report_eff(l, NULL, &e, "ntlm auth = %s allows NTLMv1, whose "
	    "responses can be cracked or relayed to recover the password hash", e.str);
	if (smb1) {
		ru_note(f, "some SMB1-only devices only speak NTLMv1; check them before "
		    "setting 'ntlm auth = ntlmv2-only'");
		return;
	}
	ru_note(f, "no targeted client needs NTLMv1: set 'ntlm auth = ntlmv2-only'");
	if (e.from != NULL)
		ru_edit_value(f, e.from, "ntlmv2-only");
	else
		ru_edit_add_global(f, l->cfg, "ntlm auth = ntlmv2-only");
}

static const struct rule r_ntlmv1 = {
	.code = "SL3010",
	.name = "ntlmv1-allowed",
	.severity = SEV_WARNING,
	.fix = FIX_SAFE,
	.summary = "NTLMv1 authentication is accepted",
	.what = "'ntlm auth = yes' or 'ntlmv1-permitted' (or the default of Samba before 4.5).",
	.why = "NTLMv1 responses are weak: captured ones can be cracked to the password hash "
	    "within hours, which then works like the password. Windows has sent NTLMv2 by "
	    "default for years and Windows 11 24H2 removed NTLMv1 altogether, so no current "
	    "Windows needs it.",
	.fix_text = "Set 'ntlm auth = ntlmv2-only' (the default since Samba 4.5; smblint's fix "
	    "when no SMB1-only device is targeted).",
	.workaround = NULL,
	.example = "[global]\n    ntlm auth = yes\n",
	.check = check_ntlmv1,
};

static void check_lanman(struct lint *l)
{
	struct ru_eff e;
	if (!ru_bool(l->cfg, NULL, "lanman auth", ru_ver(l), &e) || e.from == NULL)
		return;
	struct finding *f = ru_report_eff(l, NULL, &e, "lanman auth = yes: Samba may accept LANMAN "
	    "responses and keeps LANMAN hashes of new passwords, which can be cracked in minutes");
	ru_note(f, "set 'lanman auth = no' (the default), then change the passwords so the "
	    "stored LANMAN hashes are dropped");
	ru_edit_value(f, e.from, "no");
}

static const struct rule r_lanman = {
	.code = "SL3011",
	.name = "lanman-auth",
	.severity = SEV_WARNING,
	.fix = FIX_SAFE,
	.summary = "LANMAN authentication is accepted",
	.what = "'lanman auth = yes'.",
	.why = "The LANMAN hash splits passwords into upper-cased 7-character halves; it falls "
	    "to brute force in minutes. Only pre-2000 clients need it, and Samba deprecated "
	    "the parameter in 4.11.",
	.fix_text = "Set 'lanman auth = no' (smblint's fix; the default) and have users change "
	    "their passwords so no LANMAN hash remains stored.",
	.workaround = NULL,
	.example = "[global]\n    lanman auth = yes\n",
	.check = check_lanman,
};

/* ---- SL3012 anonymous-enumeration ------------------------------------------ */

/*
 * Verified with smbd 4.17.12 on loopback (rpcclient -U% -N, smbclient -L -N,
 * and an unknown user under map to guest = bad user):
 *   0 (the default): anonymous and guest sessions reach IPC$; NetShareEnumAll
 *     lists every share with its path, SAMR enumdomusers/querydominfo list
 *     the local accounts, LSA lookupnames turns names into SIDs;
 *   1: no share list, no SAMR enumeration (LSA lookups still answer);
 *   2: IPC$ itself is refused to them; a guest share still opens by name.
 */
static void check_restrict_anonymous(struct lint *l)
{
	samba_ver v = ru_ver(l);
	struct ru_eff e;
	ru_get(l->cfg, NULL, "restrict anonymous", v, &e);
	if (atoi(e.str) != 0)
		return;
	const struct section *guest = NULL;
	size_t ng;
	const struct ru_guest *guests = ru_guest_sections(l, &ng);
	for (size_t i = 0; i < ng && guest == NULL; i++)
		if (guests[i].share)
			guest = guests[i].s;
	struct ru_eff map;
	bool mapped = ru_map_to_guest(l->cfg, v, &map) > 0;
	if (guest == NULL && !mapped)
		return;
	struct finding *f = ru_report_eff(l, NULL, &e, "restrict anonymous = %s with guest access: "
	    "clients that do not sign in (anonymous or guest sessions) can list every share with its "
	    "path and enumerate the server's user accounts over IPC$", e.str);
	if (guest != NULL)
		ru_note(f, "[%s] admits guests", guest->name);
	else
		ru_note(f, "map to guest = %s gives unknown users guest sessions", map.str);
	ru_note(f, "'restrict anonymous = 2' refuses IPC$ to such sessions (guests can still open a "
	    "guest share by its name, but no longer see the list of shares); 1 hides the share and "
	    "account lists only");
}

static const struct rule r_restrict_anonymous = {
	.code = "SL3012",
	.name = "anonymous-enumeration",
	.severity = SEV_INFO,
	.fix = FIX_NONE,
	.summary = "Anonymous and guest sessions may list shares and user accounts",
	.what = "'restrict anonymous = 0' (the default) while the server admits guests: a share "
	    "with 'guest ok = yes', or 'map to guest' other than never.",
	.why = "With 0, a client that does not sign in can connect to IPC$ and ask the server's "
	    "RPC services: the share list with each share's path (NetShareEnumAll), the local "
	    "user accounts (SAMR) and the SID of any name (LSA). A server that admits guests is "
	    "usually reachable by people without accounts, who thereby learn every user name to "
	    "try passwords on. (Verified with Samba 4.17: an anonymous 'rpcclient -U% -N' lists the "
	    "accounts; so does a guest session.)",
	.fix_text = "Set 'restrict anonymous = 2' in [global]: anonymous and guest sessions can no "
	    "longer use IPC$, while guest shares still open when addressed by name "
	    "(\\\\server\\share); they no longer appear when browsing the server. "
	    "'restrict anonymous = 1' only stops the share list and account enumeration. Check "
	    "old clients and applications that rely on anonymous browsing first.",
	.workaround = NULL,
	.example = "[global]\n    map to guest = bad user\n[public]\n    path = /srv/public\n"
	    "    guest ok = yes\n",
	.check = check_restrict_anonymous,
	.own_thread = true,
};

/* ---- SL3013 ipc-signing-off ---------------------------------------------- */

static void check_ipc_signing(struct lint *l)
{
	struct ru_eff e;
	ru_get(l->cfg, NULL, "client ipc signing", ru_ver(l), &e);
	if (e.from == NULL)
		return;
	bool off = fold_eq(e.str, "no");
	if (!off && !fold_eq(e.str, "if_required"))
		return;
	struct finding *f = ru_report_eff(l, NULL, &e, "client ipc signing = %s: the RPC connections "
	    "smbd, winbindd and tools such as net make to domain controllers and other servers %s, "
	    "so a machine in the middle can change the answers (user and group look-ups, "
	    "password checks)", ru_as_written(&e), off ? "are never signed" : "are signed only when the other side insists");
	ru_note(f, "Windows domain controllers sign on request; 'required' (what the default "
	    "means) works with every DC from Windows 2000 on");
	ru_edit_value(f, e.from, "required");
}

static const struct rule r_ipc_signing = {
	.code = "SL3013",
	.name = "ipc-signing-off",
	.severity = SEV_WARNING,
	.fix = FIX_UNSAFE,
	.summary = "Samba's own connections to domain controllers may go unsigned",
	.what = "'client ipc signing' set to off (no, disabled) or to if_required (auto, yes, "
	    "enabled), which testparm warns about.",
	.why = "A domain member asks its domain controllers who users are, which groups they "
	    "are in and whether their passwords are right, over RPC on SMB connections. "
	    "Unsigned, those answers can be altered on the way by anyone who can intercept the "
	    "traffic, which can grant access to the wrong people. The default signs them.",
	.fix_text = "Delete the line, or set 'client ipc signing = required' (what the default "
	    "means). Unsafe only for servers that talk to an old peer unable to sign.",
	.workaround = NULL,
	.example = "[global]\n    security = ads\n    realm = EXAMPLE.COM\n    workgroup = EXAMPLE\n"
	    "    client ipc signing = auto\n",
	.check = check_ipc_signing,
};

const struct rule *const rules_security[] = {
	&r_guest_root, &r_force_root, &r_writable_guest, &r_world_writable, &r_schannel,
	&r_nt4_crypto, &r_null_passwords, &r_plaintext, &r_wide_links, &r_ntlmv1, &r_lanman,
	&r_restrict_anonymous, &r_ipc_signing,
};
const size_t rules_security_count = sizeof rules_security / sizeof rules_security[0];
