/*
 * live.c - SL4xxx: what a running server (--probe) does that the file does not say.
 *
 * These rules read the probe verdicts handed to the run in lint_opts.probe;
 * without them (a plain lint run) they report nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "clients.h"
#include "probe.h"
#include "rules.h"
#include "rutil.h"
#include "util.h"

#define STATUS_IO_TIMEOUT 0xC00000B5u

/* Reports msg (taken) at the line responsible, the share's header, or line 1. */
static struct finding *report_at(struct lint *l, const struct section *s, const struct assign *cause, char *msg)
{
	struct finding *f;

	if (cause != NULL)
		f = ru_report_assign(l, cause, "%s", msg);
	else if (s != NULL && s->header != NULL)
		f = ru_report_node(l, s->header_file, s->header, s, "%s", msg);
	else
		f = lint_report(l, l->cfg->files[0], 0, s, NULL, NULL, "%s", msg);
	free(msg);
	return f;
}

/* The section a verdict is about (the global one when the share is gone). */
static const struct section *result_section(const struct lint *l, const struct probe_result *r)
{
	const struct section *s = r->share != NULL ? config_find(l->cfg, r->share) : NULL;
	return s != NULL ? s : config_global(l->cfg);
}

/* The verdict's profile, when the run targets it. */
static const struct client_profile *result_profile(const struct lint *l, const struct probe_result *r)
{
	const struct client_profile *p = r->profile != NULL ? client_find(r->profile) : NULL;
	return p != NULL && (p->bit & l->opts->clients) ? p : NULL;
}

/* ---- SL4001 live-differs ------------------------------------------------- */

static char *file_dialects(enum dialect smin, enum dialect smax, const struct client_profile *p)
{
	if (p->max <= D_NT1 && smin > D_NT1)
		return xasprintf("disables SMB1 (the server speaks %s to %s)", ru_dialect_name(smin),
		    ru_dialect_name(smax));
	return xasprintf("lets the server speak only %s to %s, and %s offers %s to %s",
	    ru_dialect_name(smin), ru_dialect_name(smax), p->label, ru_dialect_name(p->min),
	    ru_dialect_name(p->max));
}

static void check_live_differs(struct lint *l)
{
	const struct lint_opts *o = l->opts;
	samba_ver v = ru_ver(l);
	enum dialect smin, smax;
	struct ru_eff emin, emax;

	if (o->probe == NULL || o->nprobe == 0)
		return;
	ru_server_dialects(l->cfg, v, &smin, &smax, &emin, &emax);
	for (size_t i = 0; i < o->nprobe; i++) {
		const struct probe_result *r = &o->probe[i];
		const struct client_profile *p = result_profile(l, r);
		if (p == NULL)
			continue;
		const struct section *s = result_section(l, r);
		bool file_negotiates = p->min <= smax && p->max >= smin;
		bool live_negotiates = r->dialect[0] != '\0';
		const struct assign *cause = p->max < smin ? emin.from : p->min > smax ? emax.from : NULL;

		if (live_negotiates && !file_negotiates) {
			char *says = file_dialects(smin, smax, p);
			struct finding *f = report_at(l, s, cause, xasprintf("the running server let %s "
			    "negotiate %s on [%s], but this file %s: smbd has not reloaded this "
			    "configuration (smbcontrol smbd reload-config)", r->profile, r->dialect,
			    r->share, says));
			free(says);
			ru_note(f, "after the reload, %s can no longer connect", p->label);
			continue;
		}
		if (!live_negotiates && file_negotiates && !r->connected && r->ntstatus != STATUS_IO_TIMEOUT) {
			struct finding *f = report_at(l, s, NULL, xasprintf("this file lets %s negotiate "
			    "with the server (%s to %s), but the running server refused it on [%s]: smbd "
			    "has not reloaded this configuration (smbcontrol smbd reload-config), or it "
			    "runs another one", r->profile, ru_dialect_name(smin), ru_dialect_name(smax),
			    r->share));
			if (r->windows_error != NULL)
				ru_note(f, "the client saw: %s", r->windows_error);
			continue;
		}
		struct ru_eff g;
		if (r->connected && r->guest && !s->global && !ru_guest_ok(l->cfg, s, v, &g)) {
			struct finding *f = report_at(l, s, g.from, xasprintf("the running server let %s "
			    "into [%s] with a guest session, but this file does not admit guests there "
			    "(guest ok = %s): smbd has not reloaded this configuration (smbcontrol smbd "
			    "reload-config)", r->profile, r->share, g.str != NULL ? g.str : "no"));
			ru_note(f, "after the reload, users without an account lose access to [%s]", r->share);
		}
	}
}

static const struct rule r_live_differs = {
	.code = "SL4001",
	.name = "live-differs",
	.severity = SEV_WARNING,
	.fix = FIX_NONE,
	.summary = "The running server does not do what this file says (reload needed)",
	.what = "With --probe only: for a share and a targeted client, the verdict of the "
	    "running smbd differs from what this file predicts. The client negotiated a "
	    "protocol the file's server min/max protocol rule out (e.g. the file disables "
	    "SMB1 but the server accepted NT1), the file allows the client's protocols but "
	    "the server refused them, or the server handed the client a guest session on a "
	    "share the file does not open to guests.",
	.why = "smbd reads smb.conf at start and on reload-config (and some settings only "
	    "at start). Until then the file describes a server that is not running: a "
	    "hardening change such as disabling SMB1 or guest access has not taken effect, "
	    "or an opening change will surprise users when it does. It also shows up when "
	    "the file linted is not the one smbd reads (a copy, or another -s path).",
	.fix_text = "Make smbd read the file: 'smbcontrol smbd reload-config' (settings such "
	    "as interfaces or ports need 'systemctl restart smbd'), then run smblint --probe "
	    "again. Check that the file linted is the one smbd uses ('smbd -b | grep "
	    "CONFIGFILE', or testparm's 'Loaded services file').",
	.workaround = "None on the client side: the client sees the running server, not the "
	    "file. Clients that connect today may stop connecting after the reload; check "
	    "the SL2xxx findings for them first.",
	.example = "# smbd started with server min protocol = NT1; the file now says:\n"
	    "[global]\n"
	    "\tserver min protocol = SMB2_02\n"
	    "# smblint --probe --client=smb1 smb.conf: the smb1 client still connects\n",
	.check = check_live_differs,
};

/* ---- SL4002 live-unreachable ------------------------------------------- */

static void check_live_unreachable(struct lint *l)
{
	const struct lint_opts *o = l->opts;
	samba_ver v = ru_ver(l);

	if (o->probe == NULL || o->nprobe == 0)
		return;
	for (size_t i = 0; i < o->nprobe; i++) {
		const struct probe_result *r = &o->probe[i];
		const struct client_profile *p = result_profile(l, r);
		if (p == NULL || r->connected)
			continue;
		const struct section *s = result_section(l, r);
		struct client_verdict cv;
		client_verdict(l->cfg, s, p, v, &cv);
		const char *seen = r->windows_error != NULL ? r->windows_error :
		    r->status_name != NULL ? r->status_name : "it could not connect";
		struct finding *f = report_at(l, s, cv.ok ? NULL : cv.cause, xasprintf("%s cannot reach "
		    "[%s] on the running server: %s", r->profile, r->share, seen));
		if (!cv.ok && cv.reason != NULL)
			ru_note(f, "this file says why: %s", cv.reason);
		if (r->status_name != NULL && r->windows_error != NULL)
			ru_note(f, "the server answered %s", r->status_name);
		if (r->note != NULL)
			ru_note(f, "%s", r->note);
		client_verdict_free(&cv);
	}
}

static const struct rule r_live_unreachable = {
	.code = "SL4002",
	.name = "live-unreachable",
	.severity = SEV_ERROR,
	.fix = FIX_NONE,
	.summary = "A targeted client could not reach a share on the running server",
	.what = "With --probe only: smblint logged on to the running smbd as a targeted "
	    "client profile (--client) would, and could not open the share: no common "
	    "protocol, a refused or blocked logon, a guest session the client rejects, "
	    "encryption it cannot do, or no access to the folder. The finding gives the "
	    "error a Windows user of that profile sees and, when this file explains it, the "
	    "line responsible.",
	.why = "This is the failure users report, confirmed against the real server rather "
	    "than predicted from the file: the share is not usable from that kind of "
	    "client as things stand. Without -U or --probe-auth the probe logs on as an "
	    "unknown user, as a Windows machine does with its local account, so shares that "
	    "need an account are unreachable that way.",
	.fix_text = "Follow the note: the line named is the setting to change (see the SL2xxx "
	    "finding on it for the fix). Give -U USER%PASS to probe as a user with an "
	    "account; if the client is not meant to use the share, drop it from --client.",
	.workaround = "Clients can sometimes be loosened instead (enable SMB1, allow insecure "
	    "guest logons, turn off required signing), which weakens every connection they "
	    "make; fix the server instead.",
	.example = "[global]\n"
	    "\tmap to guest = bad user\n"
	    "[pub]\n"
	    "\tpath = /srv/pub\n"
	    "\tguest ok = yes\n"
	    "# smblint --probe --client=win11-24h2 smb.conf: a guest session is refused\n",
	.check = check_live_unreachable,
};

const struct rule *const rules_live[] = {&r_live_differs, &r_live_unreachable};
const size_t rules_live_count = sizeof rules_live / sizeof rules_live[0];
