/* settings.h - the per-project settings file .smblint.ini (read with iniparser). */
#ifndef SMBLINT_SETTINGS_H
#define SMBLINT_SETTINGS_H

#include "cli.h"

/*
 * Looks for .smblint.ini in the directory of `config_path` ("-": the current
 * directory) and then in each parent up to "/".  Returns the path of the
 * first one found (malloc'ed) or NULL when there is none.
 */
char *settings_find(const char *config_path);

/*
 * Reads the settings file `path` and fills in every option of *o that the
 * command line left unset:
 *
 *	[smblint]
 *	clients = win10-home,win11-24h2
 *	samba version = 4.17
 *	fail on = error
 *	severity = warning        ; lowest severity shown
 *	format = gcc
 *	include root = /srv/samba-root
 *	disable = SL2005,guest-share
 *	enable = SL3001
 *	[severity]
 *	SL2001 = error            ; a code or a name, then error|warning|info
 *
 * Rule selection goes to disabled[] and severity overrides to sev[] (both
 * indexed like rule_table; sev -1 = the rule's default); the caller applies
 * --disable/--enable afterwards, so the command line wins there too.
 * Returns 0, or -1 with *err set to one line (caller frees) naming the file
 * and the problem: unreadable file, unknown section or key, bad value.
 */
int settings_apply(const char *path, struct cli_opts *o, bool *disabled, signed char *sev, char **err);

#endif
