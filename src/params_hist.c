/*
 * params_hist.c - hand-kept facts about older Samba releases that the
 * generated table (one release's testparm) cannot know.
 *
 * Every entry names its source: the release notes (WHATSNEW.txt) of the
 * release that made the change, or the smb.conf manual page of the release
 * before it for an old default.  test/unit/test_params.c checks each entry
 * against the generated 4.17 table (removed names are unknown there,
 * deprecated ones known, new defaults equal to what testparm prints).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "util.h"

const struct removed_value removed_values[] = {
	/*
	 * Samba 4.0.0: "security = share" and "security = server" are gone
	 * from the security enum (deprecated in 3.6.0, WHATSNEW 3.6.0 "BUG
	 * 8151: Deprecate security parameters"); 4.x refuses them.
	 */
	{ "security", "share", 40000,
	  "use security = user with real accounts (map to guest = Bad User and guest ok = yes for guest shares)" },
	{ "security", "server", 40000,
	  "use security = domain or security = ads to authenticate against another server" },
	/*
	 * WHATSNEW 4.15.0 "Removed SMB (development) dialects": SMB2_22,
	 * SMB2_24 and SMB3_10 are no longer supported; replace SMB2_22 and
	 * SMB2_24 by SMB3_00 and SMB3_10 by SMB3_11.  All protocol parameters
	 * share one list of values, so the ipc ones lost them as well.
	 */
#define PROTOCOL_VALUES_4_15(param)                                             \
	{ param, "SMB2_22", 41500, "use SMB3_00 (or leave the protocol unset / \"default\")" }, \
	{ param, "SMB2_24", 41500, "use SMB3_00 (or leave the protocol unset / \"default\")" }, \
	{ param, "SMB3_10", 41500, "use SMB3_11 (or leave the protocol unset / \"default\")" }
	PROTOCOL_VALUES_4_15("server min protocol"),
	PROTOCOL_VALUES_4_15("server max protocol"),
	PROTOCOL_VALUES_4_15("client min protocol"),
	PROTOCOL_VALUES_4_15("client max protocol"),
	PROTOCOL_VALUES_4_15("client ipc min protocol"),
	PROTOCOL_VALUES_4_15("client ipc max protocol"),
#undef PROTOCOL_VALUES_4_15
	{ NULL, NULL, 0, NULL },
};

const struct param_history param_history[] = {
	/* WHATSNEW 3.6.0 (BUG 8151) deprecated; WHATSNEW 4.8.0 "use spnego: Removed". */
	{ "use spnego", 30600, 40800, "SPNEGO is always used; delete the line" },
	/* WHATSNEW 3.6.0 (BUG 8151) deprecated; WHATSNEW 4.5.0 "username: Removed". */
	{ "username", 30600, 40500, "delete the line; restrict access with valid users" },
	/* WHATSNEW 4.5.0 "only user: Removed". */
	{ "only user", 0, 40500, "delete the line; restrict access with valid users" },
	/* WHATSNEW 3.6.0 (BUG 8151) deprecated; WHATSNEW 4.1.0 "password level: Removed". */
	{ "password level", 30600, 40100, "delete the line" },
	/* WHATSNEW 4.1.0 "set directory: Removed". */
	{ "set directory", 0, 40100, "delete the line" },
	/* WHATSNEW 3.6.0 (BUG 8151) deprecated; the 4.17 table still has it (deprecated). */
	{ "enable privileges", 30600, 0, "privileges are always honoured; delete the line" },
	/* Deprecated in 4.0.0 (commit "Deprecate \"acl check permissions\"", 2011). */
	/* WHATSNEW 3.6.0: "idmap uid" and "idmap gid" deprecated (and the 3.6 manual: "idmap backend"). */
	{ "idmap uid", 30600, 0, "use idmap config * : range" },
	{ "idmap gid", 30600, 0, "use idmap config * : range" },
	{ "idmap backend", 30600, 0, "use idmap config * : backend" },
	{ "acl check permissions", 40000, 0, "delete the line" },
	/* WHATSNEW 4.0.0 smb.conf changes: Removed. */
	{ "acl compatibility", 0, 40000, "delete the line" },
	{ "announce as", 0, 40000, "delete the line" },
	{ "announce version", 0, 40000, "delete the line" },
	{ "directory security mask", 0, 40000, "delete the line" },
	{ "display charset", 0, 40000, "delete the line" },
	{ "force security mode", 0, 40000, "delete the line" },
	{ "force directory security mode", 0, 40000, "delete the line" },
	{ "paranoid server security", 0, 40000, "delete the line" },
	{ "printer admin", 0, 40000, "grant SePrintOperatorPrivilege instead" },
	{ "security mask", 0, 40000, "delete the line" },
	{ "send spnego principal", 0, 40000, "delete the line" },
	{ "share modes", 0, 40000, "delete the line; share modes are always enforced" },
	{ "time offset", 0, 40000, "delete the line" },
	/* WHATSNEW 4.3.0 "use ntdb: Removed". */
	{ "use ntdb", 0, 40300, "delete the line" },
	/* WHATSNEW 4.7.0 deprecated; WHATSNEW 4.8.0 removed. */
	{ "auth methods", 40700, 40800, "delete the line; the server role chooses the methods" },
	{ "map untrusted to domain", 40700, 40800, "delete the line" },
	{ "profile acls", 40700, 40800, "delete the line" },
	/* WHATSNEW 4.8.0: Removed. */
	{ "oplock contention limit", 0, 40800, "delete the line" },
	{ "winbind trusted domains only", 0, 40800, "delete the line" },
	/* WHATSNEW 4.8.0: Deprecated (default changed to yes). */
	{ "server schannel", 40800, 0, "leave it at the default (yes)" },
	{ "client schannel", 40800, 0, "leave it at the default (yes)" },
	{ "unicode", 40800, 0, "delete the line" },
	/* WHATSNEW 4.8.0 "ldap ssl ads: Deprecated"; WHATSNEW 4.13.0: Removed. */
	{ "ldap ssl ads", 40800, 41300, "delete the line" },
	/* WHATSNEW 4.6.0 "lsa over netlogon: New (deprecated)". */
	{ "lsa over netlogon", 40600, 0, "delete the line" },
	/* Commit "smbd: Deprecate \"blocking locks\" parameter", first released in 4.11.0. */
	{ "blocking locks", 41100, 0, "delete the line" },
	/* WHATSNEW 4.11.0: Deprecated. */
	{ "lanman auth", 41100, 0, "LanMan authentication is insecure; delete the line" },
	{ "encrypt passwords", 41100, 0, "plaintext passwords are insecure; delete the line" },
	{ "allocation roundup size", 41100, 0, "delete the line (the default is now 0)" },
	/* WHATSNEW 4.11.0 "rndc command: Deprecated"; WHATSNEW 4.12.0: Removed. */
	{ "rndc command", 41100, 41200, "delete the line" },
	/* WHATSNEW 4.11.0 "web port: Removed". */
	{ "web port", 0, 41100, "delete the line" },
	/* WHATSNEW 4.12.0 "write cache size: Removed". */
	{ "write cache size", 0, 41200, "delete the line" },
	/* WHATSNEW 4.13.0: Deprecated. */
	{ "domain logons", 41300, 0, "NT4-style domains are deprecated; consider an AD DC" },
	{ "raw NTLMv2 auth", 41300, 0, "delete the line" },
	{ "client plaintext auth", 41300, 0, "delete the line" },
	{ "client NTLMv2 auth", 41300, 0, "delete the line" },
	{ "client lanman auth", 41300, 0, "delete the line" },
	{ "client use spnego", 41300, 0, "delete the line" },
	/* WHATSNEW 4.17.0 "smb1 unix extensions: Replaces \"unix extensions\"" (kept as a synonym). */
	{ "unix extensions", 0, 0, "renamed smb1 unix extensions in 4.17; the old name still works as a synonym" },
	/* WHATSNEW 4.17.4 smb.conf changes (CVE-2022-38023): Deprecated. */
	{ "allow nt4 crypto", 41704, 0, "NT4 crypto is insecure; delete the line" },
	{ "reject md5 clients", 41704, 0, "leave it at the default (yes)" },
	{ "reject md5 servers", 41704, 0, "leave it at the default (yes)" },
	{ "server schannel require seal", 41704, 0, "leave it at the default (yes)" },
	{ "winbind sealed pipes", 41704, 0, "leave it at the default (yes)" },
	{ NULL, 0, 0, NULL },
};

/*
 * Old defaults: the new one is what WHATSNEW of `since` announces (and what
 * testparm 4.17 prints); the old one is the default in the smb.conf manual
 * of the release before.  Sorted by parameter, then version.
 */
const struct default_change default_changes[] = {
	/* WHATSNEW 4.11.0: "Default changed/Deprecated 0"; 4.10 manual: 1048576. */
	{ "allocation roundup size", 41100, "1048576", "0" },
	/* WHATSNEW 4.11.0 "SMB1 is disabled by default"; 4.10 manual: CORE. */
	{ "client min protocol", 41100, "CORE", "SMB2_02" },
	/* WHATSNEW 4.8.0: "Default changed/Deprecated yes"; 4.7 manual: auto. */
	{ "client schannel", 40800, "Auto", "Yes" },
	/* WHATSNEW 4.9.0: "Default changed yes"; 4.8 manual: no. */
	{ "ea support", 40900, "No", "Yes" },
	/* WHATSNEW 4.16.0: "New default No"; 4.15 manual: yes. */
	{ "kernel share modes", 41600, "Yes", "No" },
	/* WHATSNEW 4.4.0: "Changed default 1000"; 4.3 manual: 1024. */
	{ "ldap page size", 40400, "1024", "1000" },
	/* WHATSNEW 4.11.0: "Changed default illegal"; 4.10 manual: yes. */
	{ "mangled names", 41100, "yes", "illegal" },
	/* WHATSNEW 4.9.0: "Default changed no"; 4.8 manual: yes. */
	{ "map readonly", 40900, "yes", "no" },
	/*
	 * WHATSNEW 4.5.0 "NTLMv1 authentication disabled by default": yes -> no;
	 * WHATSNEW 4.7.0 renamed the values: "yes" is now spelt
	 * "ntlmv1-permitted" and "no" "ntlmv2-only" (as testparm 4.17 prints).
	 */
	{ "ntlm auth", 40500, "ntlmv1-permitted", "ntlmv2-only" },
	/* WHATSNEW 4.17.4 (CVE-2022-38023): "New Default, Deprecated Yes"; 4.17.0 manual: no. */
	{ "reject md5 clients", 41704, "No", "Yes" },
	{ "reject md5 servers", 41704, "No", "Yes" },
	/* WHATSNEW 4.11.0 "SMB1 is disabled by default"; 4.10 manual: LANMAN1. */
	{ "server min protocol", 41100, "LANMAN1", "SMB2_02" },
	/* WHATSNEW 4.15.0: "Changed Yes (on Linux and FreeBSD)"; 4.14 manual: no. */
	{ "server multi channel support", 41500, "No", "Yes" },
	/* WHATSNEW 4.8.0: "Default changed/Deprecated yes"; 4.7 manual: auto. */
	{ "server schannel", 40800, "Auto", "Yes" },
	/*
	 * WHATSNEW 4.17.4 (CVE-2022-38023): "New, Deprecated Yes".  The
	 * parameter is new there; older releases behaved as "no".
	 */
	{ "server schannel require seal", 41704, "No", "Yes" },
	/* WHATSNEW 4.5.0: "smb2 leases: Changed default yes"; 4.4 manual: no. */
	{ "smb2 leases", 40500, "No", "Yes" },
	/* WHATSNEW 4.2.0: "Changed default 8388608"; 4.1 manual: 1048576. */
	{ "smb2 max read", 40200, "1048576", "8388608" },
	{ "smb2 max trans", 40200, "1048576", "8388608" },
	{ "smb2 max write", 40200, "1048576", "8388608" },
	/* WHATSNEW 4.9.0: "Default changed yes"; 4.8 manual: no. */
	{ "store dos attributes", 40900, "No", "Yes" },
	/* WHATSNEW 4.7.0: "Default changed yes"; 4.6 manual: no. */
	{ "strict sync", 40700, "No", "Yes" },
	/* WHATSNEW 4.2.0: "Changed default 0"; 4.1 manual: 1. */
	{ "winbind expand groups", 40200, "1", "0" },
	/* WHATSNEW 4.15.0: "Changed No"; 4.14 manual: yes. */
	{ "winbind scan trusted domains", 41500, "Yes", "No" },
	/* WHATSNEW 4.15.0: "Changed Yes"; 4.14 manual: no. */
	{ "winbind use krb5 enterprise principals", 41500, "No", "Yes" },
	{ NULL, 0, NULL, NULL },
};

samba_ver samba_ver_parse(const char *s)
{
	unsigned part[3] = { 0, 0, 0 };
	int nparts = 0;

	if (s == NULL)
		return 0;
	while (*s && is_blank((unsigned char)*s))
		s++;
	while (nparts < 3) {
		if (!isdigit((unsigned char)*s))
			return 0;
		unsigned v = 0;
		size_t digits = 0;
		while (isdigit((unsigned char)*s)) {
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++digits > 4)
				return 0;
		}
		part[nparts++] = v;
		if (*s != '.' || nparts == 3)
			break;
		s++;
		if (!isdigit((unsigned char)*s))
			return 0;   /* "4." or "4.17." */
	}
	/* A major and a minor are required; minor and patch are two digits. */
	if (nparts < 2 || part[0] == 0 || part[0] > 99 || part[1] > 99 || part[2] > 99)
		return 0;
	/* Whatever follows ("-Debian", "rc1") must not continue a number. */
	if (*s == '.' || isdigit((unsigned char)*s))
		return 0;
	return part[0] * 10000 + part[1] * 100 + part[2];
}

samba_ver param_table_version(void)
{
	return samba_ver_parse(param_samba_version);
}

#ifndef PARAMS_IX_GEN   /* the index generator (scripts/gen-params-ix.c) needs only the tables */

static const char *inverted(const char *def)
{
	bool b;
	if (def == NULL || !param_parse_bool(def, &b))
		return NULL;
	return b ? "No" : "Yes";
}

/*
 * The canonical parameter's default, or its older one; for an inverse
 * synonym (writeable) the inverted boolean, as the synonym reads it.
 */
const char *param_default_for(const struct param *p, samba_ver v)
{
	const struct param *c = param_canonical(p);
	const char *def = param_def(c);
	samba_ver best = 0;

	for (int i = v == 0 ? -1 : param_dc_first[param_index(c)]; i >= 0; i = param_dc_next[i]) {
		const struct default_change *d = &default_changes[i];
		if (v >= d->since)
			continue;
		/* The earliest change after v says what v had. */
		if (best == 0 || d->since < best) {
			best = d->since;
			def = d->old_default;
		}
	}
	if (p->flags & PF_INVERSE)
		return inverted(def);
	return def;
}

/*
 * History entries by any folded name (a name the table does not know, as
 * removed parameters are): an open-addressing hash (first entry of
 * a name wins, as the table is read top down).
 */
static size_t hist_slots;   /* a power of two, at least four times the entries */
static const struct param_history **hist_slot;
static char **hist_key;     /* folded names, all in one block (hist_keys) */
static char *hist_keys;
/* Built once, also when rules run on two threads (lint.c). */
static pthread_once_t hist_once = PTHREAD_ONCE_INIT;

static void hist_build(void)
{
	size_t n = 0;
	while (param_history[n].param != NULL)
		n++;
	for (hist_slots = 16; hist_slots < 4 * n; hist_slots *= 2)
		;
	size_t room = 0;
	for (const struct param_history *h = param_history; h->param != NULL; h++)
		room += strlen(h->param) + 1;   /* a folded name is never longer */
	hist_slot = xcalloc(hist_slots, sizeof *hist_slot);
	hist_key = xcalloc(hist_slots, sizeof *hist_key);
	hist_keys = xmalloc(room);
	char *at = hist_keys;
	for (const struct param_history *h = param_history; h->param != NULL; h++) {
		char buf[PARAM_KEY_MAX];
		uint32_t hash;
		if (!param_fold(h->param, buf, &hash))
			continue;   /* longer than any name param_history_find is asked for */
		size_t k = hash & (hist_slots - 1);
		bool dup = false;
		for (; hist_slot[k] != NULL; k = (k + 1) & (hist_slots - 1))
			if (strcmp(hist_key[k], buf) == 0) {
				dup = true;
				break;
			}
		if (!dup) {
			hist_slot[k] = h;
			hist_key[k] = strcpy(at, buf);
			at += strlen(buf) + 1;
		}
	}
}

const struct param_history *param_history_find(const char *name)
{
	char buf[PARAM_KEY_MAX];
	uint32_t hash;

	if (name == NULL || !param_fold(name, buf, &hash))
		return NULL;   /* longer than any name in the table */
	pthread_once(&hist_once, hist_build);
	size_t k = hash & (hist_slots - 1);
	for (; hist_slot[k] != NULL; k = (k + 1) & (hist_slots - 1))
		if (strcmp(hist_key[k], buf) == 0)
			return hist_slot[k];
	return NULL;
}

/*
 * A table entry's name, folded, is the key param_lookup finds it by, so the
 * first entry whose name folds alike is the first whose name denotes it:
 * what param_history_find(p->name) gives.
 */
const struct param_history *param_history_of(const struct param *p)
{
	int k = p != NULL ? param_hist_ix[param_index(p)] : -1;
	return k >= 0 ? &param_history[k] : NULL;
}

bool param_has_removed_values(const struct param *p)
{
	return param_rv_first[param_index(param_canonical(p))] >= 0;
}

const struct removed_value *param_removed_value(const struct param *p, const char *value, samba_ver v)
{
	if (value == NULL)
		return NULL;
	const struct param *c = param_canonical(p);
	for (int i = param_rv_first[param_index(c)]; i >= 0; i = param_rv_next[i]) {
		const struct removed_value *r = &removed_values[i];
		if (v >= r->since && fold_eq(r->value, value))
			return r;
	}
	return NULL;
}

#endif   /* PARAMS_IX_GEN */
