/* verify_live.h - --fix --verify-live (check a fix on throwaway servers first) and --fix --probe --reload. */
#ifndef SMBLINT_VERIFY_LIVE_H
#define SMBLINT_VERIFY_LIVE_H

#include <stdbool.h>

#include "cli.h"
#include "fix.h"
#include "lint.h"
#include "output.h"

/* What main.c resolved from the command line, for both modes. */
struct live_opts {
	const char *path;               /* the one FILE (not "-") */
	const struct lint_opts *lint;   /* how to lint it (clients, rules, severities) */
	const struct fix_opts *fix;     /* --fix as it would run: FIXMODE_FIX, -o or NULL, backups... */
	enum out_format format;         /* how the report (remaining findings and verdicts) is printed */
	const struct out_opts *out;
	unsigned clients;               /* CL_* bits: the profiles probed */
	samba_ver samba;
	/*
	 * smbd's working folder while it reads the configuration (relative
	 * includes and paths are resolved from it): --include-root, "/" by
	 * default, as for the real smbd.
	 */
	const char *include_root;
	/* Credentials (-U / --probe-auth), or user NULL: only the made-up user is tried. */
	const char *user, *password, *domain;
	/* --reload: the running server (--probe=HOST[:PORT]); port 0 = 445. */
	const char *host;
	int port;
	int timeout_ms;                 /* --probe-timeout, 0 = the probe's default */
};

/*
 * --fix --verify-live: computes the fix without writing it, starts one
 * throwaway smbd with the original configuration and one with the fixed
 * configuration (loopback, free ports, own state folders, the system's
 * passdb as the configuration names it), probes both as every targeted
 * client, and writes the fix (through fix_apply, so backups and the
 * file's mode and owner are handled as by --fix) only when every share
 * that some targeted client could not reach before is reachable now and
 * nothing reachable before became unreachable.  Otherwise nothing is
 * written and each share/profile that stands in the way is named.  Both
 * servers are stopped and every temporary file removed on every path,
 * SIGINT/SIGTERM/SIGHUP included.
 *
 * Returns the exit status: fix_apply's (0 or 1) after writing; 2 when the
 * fix was not written (verification refused it, or trouble).
 */
int live_verify_fix(const struct live_opts *o);

/*
 * --fix --probe[=HOST[:PORT]] --reload: probes the running server, writes
 * the fix, asks the smbd on this machine to reload its configuration
 * (`smbcontrol -s FILE smbd reload-config`; SIGHUP to the pid in its pid
 * file when smbcontrol is missing or fails), waits for the change to show
 * (at most 5 s), probes again and prints both sets of verdicts.
 *
 * Returns fix_apply's status (0 or 1), or 2 when the first probe failed
 * (nothing written), the fix was refused, or the reload or the second
 * probe failed (the file is fixed then).
 */
int live_fix_reload(const struct live_opts *o);

#endif
