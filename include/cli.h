/* cli.h - the parsed command line, shared by main.c and the modes it dispatches to. */
#ifndef SMBLINT_CLI_H
#define SMBLINT_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "lint.h"

#ifndef SMBLINT_VERSION
#define SMBLINT_VERSION "0.1.0"
#endif
/* Where SARIF consumers send people for documentation about the tool. */
#ifndef SMBLINT_URL
#define SMBLINT_URL "https://www.samba.org/samba/docs/current/man-html/smb.conf.5.html"
#endif
#define SMBLINT_DEFAULT_CONFIG "/etc/samba/smb.conf"
#define SMBLINT_SETTINGS_NAME ".smblint.ini"

/* Exit statuses (see EXIT STATUS in smblint(1)). */
enum {
	EXIT_CLEAN = 0,     /* nothing at or above --fail-on */
	EXIT_FINDINGS = 1,  /* findings at or above --fail-on; --print-config: smbd would not start */
	EXIT_TROUBLE = 2,   /* bad usage, unreadable input, write error */
};

enum out_format { FMT_TEXT, FMT_GCC, FMT_JSON, FMT_SARIF, FMT_GITHUB, FMT_CODECLIMATE };
enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* What the command line asks for; main.c runs exactly one of these. */
enum cli_mode {
	MODE_LINT,          /* default */
	MODE_HELP,
	MODE_VERSION,
	MODE_LIST_RULES,
	MODE_EXPLAIN,
	MODE_MAN_RULES,
	MODE_PRINT_CONFIG,
	MODE_FIX,           /* --fix or --diff */
};

/*
 * Everything the command line said.  A *_set flag records that the user gave
 * the option explicitly, so that the settings file fills in only the rest
 * (the command line wins).  Strings point into argv or are owned by the
 * struct when noted.
 */
struct cli_opts {
	enum cli_mode mode;
	char **files;               /* FILE... as given (owned array, strings from argv) */
	size_t nfiles;

	enum out_format format;
	bool format_set;
	enum color_mode color;
	enum severity fail_on;      /* default SEV_WARNING */
	bool fail_on_set;
	enum severity show;         /* --severity: lowest severity shown; default SEV_INFO */
	bool show_set;
	bool quiet;

	const char *clients_arg;    /* --client=LIST as given, or NULL */
	const char *samba_arg;      /* --samba-version as given, or NULL */
	const char *settings_path;  /* --settings FILE */
	bool no_settings;
	const char *include_root;   /* --include-root, default "/" */
	signed char host_checks;    /* --host-checks: 1 always, -1 never, 0 auto (see lint_opts) */
	bool origins;               /* --print-config-origins / --origins */
	bool matrix;
	const char *explain;        /* --explain CODE|NAME */

	char *disable;              /* --disable lists joined by ',' (owned), or NULL */
	char *enable;               /* --enable likewise */

	/* Reserved for the fixer. */
	bool fix, diff, unsafe_fixes, no_backup;
	const char *output;         /* -o FILE */

	/* Reserved for the live probe (it adds a "probe" section to a lint run). */
	bool probe;
	const char *probe_target;   /* HOST[:PORT], or NULL for the default */
	const char *probe_auth;     /* --probe-auth FILE */
	char *probe_user;           /* -U USER (owned) */
	char *probe_pass;           /* -U USER%PASS: the password (owned; wiped from argv) */
	double probe_timeout;       /* seconds; 0 = module default */
	bool verify_live, reload;

	char *owned[8];             /* strings the settings file contributed (freed by main) */
	size_t nowned;

	/* Resolved values (after the settings file), filled by main.c. */
	unsigned clients;           /* CL_* bits */
	samba_ver samba;
};

#endif
