/* main.c - options, usage and exit status: parses the command line and runs one mode. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "clients.h"
#include "config.h"
#include "fix.h"
#include "lint.h"
#include "output.h"
#include "params.h"
#include "probe.h"
#include "settings.h"
#include "util.h"
#include "verify_live.h"

static const char usage_text[] =
"Usage: smblint [OPTIONS] [FILE...]\n"
"Check Samba's smb.conf for what Samba refuses or ignores, for what keeps\n"
"Windows and other clients out, and for weak security.  FILE defaults to\n"
SMBLINT_DEFAULT_CONFIG "; '-' reads standard input; a directory means every\n"
"*.conf and smb.conf* file under it.\n"
"\n"
"Output:\n"
"  -f, --format=FMT        text (default), gcc, json, sarif, github or\n"
"                          codeclimate (GitLab Code Quality)\n"
"      --color[=WHEN]      auto (default), always or never; NO_COLOR is honoured\n"
"      --severity=LEVEL    show only findings at or above LEVEL (info)\n"
"  -q, --quiet             print only findings at or above --fail-on\n"
"      --matrix            add which targeted client can use which share\n"
"\n"
"Checking:\n"
"      --fail-on=LEVEL     exit 1 on findings at or above LEVEL: error,\n"
"                          warning (default), info or none\n"
"      --client=LIST       client profiles to check for (default:\n"
"                          win10-home,win10-enterprise,win11-24h2; 'all')\n"
"      --samba-version=V   Samba version of the server, X.Y or 'auto' (runs\n"
"                          smbd -V); default: the parameter table's version\n"
"      --disable=RULES     do not run these rules (codes or names, commas)\n"
"      --enable=RULES      run these rules even if the settings disable them\n"
"      --include-root=DIR  resolve relative include = paths from DIR (/)\n"
"      --host-checks=WHEN  look up users, groups, folders, interfaces and VFS\n"
"                          modules on this machine:\n"
"                          auto (when FILE is /etc/samba/smb.conf), always\n"
"                          or never\n"
"      --settings=FILE     read settings from FILE, not .smblint.ini\n"
"      --no-settings       read no settings file\n"
"\n"
"Fixing:\n"
"      --fix               apply the safe fixes to the files (a backup is kept)\n"
"      --diff              print what --fix would change as a unified diff\n"
"      --unsafe-fixes      also apply fixes that change what clients can do\n"
"  -o, --output=FILE       with --fix: write the fixed file to FILE ('-': stdout)\n"
"      --no-backup         with --fix: keep no FILE.smblint.bak\n"
"      --verify-live       with --fix: try the original and the fixed FILE on\n"
"                          two throwaway smbd servers first; write only if\n"
"                          every client that was kept out gets in and none\n"
"                          loses access\n"
"      --reload            with --fix --probe: probe the running server, fix,\n"
"                          reload smbd and probe again\n"
"\n"
"Live probe (connects to a running smbd as each targeted client would):\n"
"      --probe[=HOST[:PORT]]  probe HOST (default 127.0.0.1) and add the verdicts\n"
"      --probe-auth=FILE   credentials in smbclient's authentication file format\n"
"  -U, --user=USER[%PASS]  credentials (the password is asked for if missing)\n"
"      --probe-timeout=SEC deadline of each network step (default 5)\n"
"\n"
"Other modes:\n"
"      --print-config      print the effective configuration (testparm -s style)\n"
"      --origins           with --print-config: say where each value came from\n"
"      --print-config-origins  both of the above\n"
"      --explain=RULE      explain a rule (code or name)\n"
"      --list-rules        list every rule\n"
"      --man-rules         print the smblint-rules(7) manual page source\n"
"  -h, --help              print this help and exit\n"
"  -V, --version           print the version and exit\n"
"\n"

"Exit status: 0 no findings at or above --fail-on, 1 some, 2 usage or I/O error.\n"
"See smblint(1) and smblint-rules(7).\n";

static int trouble(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on stderr; returns the exit status for trouble. */
static int trouble(const char *fmt, ...)
{
	va_list ap;
	fputs("smblint: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	putc('\n', stderr);
	return EXIT_TROUBLE;
}

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("smblint: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'smblint --help'.\n", stderr);
	return EXIT_TROUBLE;
}

/* ---- parsing ------------------------------------------------------------ */

enum {
	OPT_COLOR = 256, OPT_FAIL_ON, OPT_SEVERITY, OPT_CLIENT, OPT_SAMBA, OPT_SETTINGS,
	OPT_NO_SETTINGS, OPT_PRINT_CONFIG, OPT_PRINT_ORIGINS, OPT_ORIGINS, OPT_INCLUDE_ROOT, OPT_HOST_CHECKS,
	OPT_MATRIX, OPT_EXPLAIN, OPT_LIST_RULES, OPT_MAN_RULES, OPT_DISABLE, OPT_ENABLE,
	OPT_FIX, OPT_DIFF, OPT_UNSAFE, OPT_NO_BACKUP, OPT_PROBE, OPT_PROBE_AUTH,
	OPT_PROBE_TIMEOUT, OPT_VERIFY_LIVE, OPT_RELOAD,
};

static const struct option long_opts[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"format", required_argument, NULL, 'f'},
	{"color", optional_argument, NULL, OPT_COLOR},
	{"colour", optional_argument, NULL, OPT_COLOR},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"severity", required_argument, NULL, OPT_SEVERITY},
	{"quiet", no_argument, NULL, 'q'},
	{"client", required_argument, NULL, OPT_CLIENT},
	{"clients", required_argument, NULL, OPT_CLIENT},
	{"samba-version", required_argument, NULL, OPT_SAMBA},
	{"settings", required_argument, NULL, OPT_SETTINGS},
	{"no-settings", no_argument, NULL, OPT_NO_SETTINGS},
	{"print-config", no_argument, NULL, OPT_PRINT_CONFIG},
	{"print-config-origins", no_argument, NULL, OPT_PRINT_ORIGINS},
	{"origins", no_argument, NULL, OPT_ORIGINS},
	{"include-root", required_argument, NULL, OPT_INCLUDE_ROOT},
	{"host-checks", required_argument, NULL, OPT_HOST_CHECKS},
	{"matrix", no_argument, NULL, OPT_MATRIX},
	{"explain", required_argument, NULL, OPT_EXPLAIN},
	{"list-rules", no_argument, NULL, OPT_LIST_RULES},
	{"man-rules", no_argument, NULL, OPT_MAN_RULES},
	{"disable", required_argument, NULL, OPT_DISABLE},
	{"enable", required_argument, NULL, OPT_ENABLE},
	{"fix", no_argument, NULL, OPT_FIX},
	{"diff", no_argument, NULL, OPT_DIFF},
	{"output", required_argument, NULL, 'o'},
	{"unsafe-fixes", no_argument, NULL, OPT_UNSAFE},
	{"no-backup", no_argument, NULL, OPT_NO_BACKUP},
	{"probe", optional_argument, NULL, OPT_PROBE},
	{"probe-auth", required_argument, NULL, OPT_PROBE_AUTH},
	{"user", required_argument, NULL, 'U'},
	{"probe-timeout", required_argument, NULL, OPT_PROBE_TIMEOUT},
	{"verify-live", no_argument, NULL, OPT_VERIFY_LIVE},
	{"reload", no_argument, NULL, OPT_RELOAD},
	{NULL, 0, NULL, 0},
};

static int parse_format(const char *s, struct cli_opts *o)
{
	static const char *const names[] = {"text", "gcc", "json", "sarif", "github", "codeclimate"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0) {
			o->format = (enum out_format)i;
			o->format_set = true;
			return 0;
		}
	return usage_error("unknown format '%s' (text, gcc, json, sarif, github or codeclimate)", s);
}

static int parse_color(const char *s, struct cli_opts *o)
{
	if (s == NULL || strcmp(s, "always") == 0)
		o->color = COLOR_ALWAYS;
	else if (strcmp(s, "auto") == 0)
		o->color = COLOR_AUTO;
	else if (strcmp(s, "never") == 0)
		o->color = COLOR_NEVER;
	else
		return usage_error("--color: '%s' is not auto, always or never", s);
	return 0;
}

static int parse_level(const char *opt, const char *s, bool allow_none, enum severity *dst, bool *set)
{
	int v = severity_parse(s, allow_none);
	if (v < 0)
		return usage_error("%s: '%s' is not error, warning, info%s", opt, s, allow_none ? " or none" : "");
	*dst = (enum severity)v;
	*set = true;
	return 0;
}

/* Appends a comma-separated list to *dst (repeated --disable options add up). */
static void append_list(char **dst, const char *s)
{
	char *old = *dst;
	*dst = old != NULL ? xasprintf("%s,%s", old, s) : xstrdup(s);
	free(old);
}

/* -U USER%PASS: keeps both and wipes the password from argv (ps shows argv). */
static void parse_user(char *arg, struct cli_opts *o)
{
	char *pct = strchr(arg, '%');
	free(o->probe_user);
	free(o->probe_pass);
	o->probe_user = xstrndup(arg, pct != NULL ? (size_t)(pct - arg) : strlen(arg));
	o->probe_pass = pct != NULL ? xstrdup(pct + 1) : NULL;
	if (pct != NULL)
		memset(pct + 1, 'X', strlen(pct + 1));
}

static int parse_timeout(const char *s, struct cli_opts *o)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v > 0 && v <= 3600))
		return usage_error("--probe-timeout: '%s' is not a number of seconds (0 < SEC <= 3600)", s);
	o->probe_timeout = v;
	return 0;
}

/* HOST, HOST:PORT, [V6]:PORT or a bare IPv6 address; returns -1 on a bad port. */
static int split_target(const char *t, char **host, int *port)
{
	const char *colon = strrchr(t, ':');
	char *end;

	*port = 0;
	if (t[0] == '[') {
		const char *close = strchr(t, ']');
		if (close == NULL)
			return -1;
		*host = xstrndup(t + 1, (size_t)(close - t - 1));
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] != '\0' && colon == NULL)
			return -1;
	} else if (colon != NULL && strchr(t, ':') == colon) {
		*host = xstrndup(t, (size_t)(colon - t));
	} else {
		*host = xstrdup(t);
		colon = NULL;
	}
	if (colon != NULL) {
		long v = strtol(colon + 1, &end, 10);
		if (*end != '\0' || v < 1 || v > 65535)
			return -1;
		*port = (int)v;
	}
	return **host ? 0 : -1;
}

static int parse_probe(char *arg, struct cli_opts *o)
{
	char *host = NULL;
	int port, rc = 0;
	if (arg != NULL && split_target(arg, &host, &port) != 0)
		rc = usage_error("--probe: '%s' is not HOST, HOST:PORT or [ADDRESS]:PORT", arg);
	free(host);
	o->probe = true;
	o->probe_target = arg;
	return rc;
}

/* Options that pick a mode; two of them together are a usage error. */
static int set_mode(struct cli_opts *o, enum cli_mode m, const char **seen, const char *name)
{
	if (o->mode != MODE_LINT && o->mode != m)
		return usage_error("%s cannot be combined with %s", name, *seen);
	o->mode = m;
	*seen = name;
	return 0;
}

static int parse_one(int c, char *arg, struct cli_opts *o, const char **seen)
{
	switch (c) {
	case 'h': o->mode = MODE_HELP; return 1;
	case 'V': o->mode = MODE_VERSION; return 1;
	case 'f': return parse_format(arg, o);
	case OPT_COLOR: return parse_color(arg, o);
	case OPT_FAIL_ON: return parse_level("--fail-on", arg, true, &o->fail_on, &o->fail_on_set);
	case OPT_SEVERITY: return parse_level("--severity", arg, false, &o->show, &o->show_set);
	case 'q': o->quiet = true; return 0;
	case OPT_CLIENT: o->clients_arg = arg; return 0;
	case OPT_SAMBA: o->samba_arg = arg; return 0;
	case OPT_SETTINGS: o->settings_path = arg; return 0;
	case OPT_NO_SETTINGS: o->no_settings = true; return 0;
	case OPT_PRINT_ORIGINS: o->origins = true; /* fall through */
	case OPT_PRINT_CONFIG: return set_mode(o, MODE_PRINT_CONFIG, seen, "--print-config");
	case OPT_ORIGINS: o->origins = true; return 0;
	case OPT_INCLUDE_ROOT: o->include_root = arg; return 0;
	case OPT_HOST_CHECKS:
		if (strcmp(arg, "auto") == 0)
			o->host_checks = 0;
		else if (strcmp(arg, "always") == 0)
			o->host_checks = 1;
		else if (strcmp(arg, "never") == 0)
			o->host_checks = -1;
		else
			return usage_error("--host-checks: '%s' is not auto, always or never", arg);
		return 0;
	case OPT_MATRIX: o->matrix = true; return 0;
	case OPT_EXPLAIN: o->explain = arg; return set_mode(o, MODE_EXPLAIN, seen, "--explain");
	case OPT_LIST_RULES: return set_mode(o, MODE_LIST_RULES, seen, "--list-rules");
	case OPT_MAN_RULES: return set_mode(o, MODE_MAN_RULES, seen, "--man-rules");
	case OPT_DISABLE: append_list(&o->disable, arg); return 0;
	case OPT_ENABLE: append_list(&o->enable, arg); return 0;
	case OPT_FIX: o->fix = true; return set_mode(o, MODE_FIX, seen, "--fix");
	case OPT_DIFF: o->diff = true; return set_mode(o, MODE_FIX, seen, "--diff");
	case 'o': o->output = arg; return 0;
	case OPT_UNSAFE: o->unsafe_fixes = true; return 0;
	case OPT_NO_BACKUP: o->no_backup = true; return 0;
	case OPT_PROBE: return parse_probe(arg, o);
	case OPT_PROBE_AUTH: o->probe_auth = arg; return 0;
	case 'U': parse_user(arg, o); return 0;
	case OPT_PROBE_TIMEOUT: return parse_timeout(arg, o);
	case OPT_VERIFY_LIVE: o->verify_live = true; return 0;
	case OPT_RELOAD: o->reload = true; return 0;
	}
	return -1;
}

/* The option getopt stopped at, for the message. */
static int bad_option(int c, int argc, char **argv)
{
	const char *arg = optind - 1 < argc ? argv[optind - 1] : "?";
	if (c == ':')
		return usage_error("option '%s' needs an argument", arg);
	if (optopt != 0 && optopt < 256)
		return usage_error("unknown option '-%c'", optopt);
	return usage_error("unknown option '%s'", arg);
}

/* Option combinations that make no sense. */
static int check_combinations(const struct cli_opts *o)
{
	if ((o->unsafe_fixes || o->no_backup || o->output != NULL || o->verify_live || o->reload) &&
	    o->mode != MODE_FIX)
		return usage_error("--unsafe-fixes, --no-backup, -o, --verify-live and --reload need --fix or --diff");
	if ((o->verify_live || o->reload) && o->diff)
		return usage_error("--verify-live and --reload go with --fix, not --diff");
	if (o->verify_live && o->reload)
		return usage_error("--verify-live cannot be combined with --reload");
	if (o->verify_live && o->probe)
		return usage_error("--verify-live starts its own servers: it takes no --probe");
	if (o->reload && !o->probe)
		return usage_error("--reload needs --probe (the running server to check before and after)");
	if (o->reload && o->output != NULL)
		return usage_error("--reload fixes FILE in place for the running smbd: it takes no -o");
	if (o->verify_live && o->output != NULL && strcmp(o->output, "-") == 0)
		return usage_error("--verify-live prints its verdicts on standard output: -o - is not possible");
	if ((o->probe_auth != NULL || o->probe_user != NULL || o->probe_timeout > 0) && !o->probe && !o->verify_live)
		return usage_error("--probe-auth, -U and --probe-timeout need --probe or --verify-live");
	if (o->origins && o->mode != MODE_PRINT_CONFIG)
		return usage_error("--origins needs --print-config");
	if (o->mode == MODE_PRINT_CONFIG && o->nfiles > 1)
		return usage_error("--print-config takes one file");
	if ((o->mode == MODE_EXPLAIN || o->mode == MODE_LIST_RULES || o->mode == MODE_MAN_RULES) && o->nfiles > 0)
		return usage_error("%s takes no FILE", o->mode == MODE_EXPLAIN ? "--explain" :
		    o->mode == MODE_LIST_RULES ? "--list-rules" : "--man-rules");
	return 0;
}

/* Returns 0 to go on, 1 after --help/--version (which win over anything else), -1 on a usage error. */
static int parse_args(int argc, char **argv, struct cli_opts *o)
{
	const char *seen = NULL;
	int c, rc;

	memset(o, 0, sizeof *o);
	o->fail_on = SEV_WARNING;
	o->show = SEV_INFO;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVf:qo:U:", long_opts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return bad_option(c, argc, argv), -1;
		rc = parse_one(c, optarg, o, &seen);
		if (rc == 1)
			return 1;
		if (rc != 0)
			return -1;
	}
	o->nfiles = (size_t)(argc - optind);
	o->files = xcalloc(o->nfiles + 1, sizeof *o->files);
	for (size_t i = 0; i < o->nfiles; i++)
		o->files[i] = argv[optind + (int)i];
	return check_combinations(o) != 0 ? -1 : 0;
}

static void cli_free(struct cli_opts *o)
{
	free(o->files);
	free(o->disable);
	free(o->enable);
	free(o->probe_user);
	if (o->probe_pass != NULL) {
		memset(o->probe_pass, 0, strlen(o->probe_pass));
		free(o->probe_pass);
	}
	for (size_t i = 0; i < o->nowned; i++)
		free(o->owned[i]);
}

/* ---- inputs ------------------------------------------------------------- */

struct inputs {
	char **paths;
	size_t n, cap;
	int status;               /* EXIT_TROUBLE once an argument could not be used */
};

static void input_add(struct inputs *in, const char *path)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 8;
		in->paths = xrealloc(in->paths, in->cap * sizeof *in->paths);
	}
	in->paths[in->n++] = xstrdup(path);
}

static bool is_config_name(const char *name)
{
	return fnmatch("*.conf", name, 0) == 0 || fnmatch("smb.conf*", name, 0) == 0;
}

/* Adds every config file under dir, sorted by name, depth first; symlinked directories are not followed. */
static void walk_dir(struct inputs *in, const char *dir, int depth)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0) {
		in->status = trouble("cannot read directory %s: %s", dir, strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		struct stat st;
		char *path = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 && lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth < 64)
				walk_dir(in, path, depth + 1);
			else if (is_config_name(name) && stat(path, &st) == 0 && S_ISREG(st.st_mode))
				input_add(in, path);
		}
		free(path);
		free(names[i]);
	}
	free(names);
}

static void collect_inputs(const struct cli_opts *o, struct inputs *in)
{
	memset(in, 0, sizeof *in);
	if (o->nfiles == 0) {
		input_add(in, SMBLINT_DEFAULT_CONFIG);
		return;
	}
	for (size_t i = 0; i < o->nfiles; i++) {
		struct stat st;
		const char *p = o->files[i];
		if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t before = in->n;
			walk_dir(in, p, 0);
			if (in->n == before && in->status == 0)
				in->status = trouble("%s: no *.conf or smb.conf* file in this directory", p);
		} else {
			input_add(in, p);
		}
	}
}

static void inputs_free(struct inputs *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->paths[i]);
	free(in->paths);
}

/* ---- settings and resolved options -------------------------------------- */

/* `smbd -V` prints "Version 4.17.12-Debian": run it without a shell. */
static int smbd_version(samba_ver *v)
{
	char buf[256];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	int fd = smbd_spawn_read("-V", &pid);
	if (fd < 0)
		return trouble("--samba-version=auto: %s", strerror(errno));
	while (len < sizeof buf - 1 && ((n = read(fd, buf + len, sizeof buf - 1 - len)) > 0 || (n < 0 && errno == EINTR)))
		len += n > 0 ? (size_t)n : 0;
	buf[len] = '\0';
	close(fd);
	int st = smbd_spawn_wait(pid);
	const char *ver = strstr(buf, "Version ");
	*v = ver != NULL ? samba_ver_parse(ver + 8) : 0;
	if (*v == 0)
		return trouble("--samba-version=auto: %s", st == 127 ?
		    "cannot run smbd (is Samba installed?); give --samba-version=X.Y" :
		    "cannot read the version from 'smbd -V'");
	return 0;
}

/*
 * Reads the settings file (unless --no-settings) and resolves what the
 * modes need: clients, Samba version, rule selection and severities.
 * rules[] and sev[] have rule_count entries.  Returns 0 or EXIT_TROUBLE.
 */
static int resolve(struct cli_opts *o, const char *first_input, bool *rules, signed char *sev)
{
	char *err = NULL, *found = NULL;
	const char *path = o->settings_path;

	memset(sev, -1, rule_count);
	if (!o->no_settings && path == NULL)
		path = found = settings_find(first_input);
	if (!o->no_settings && path != NULL && settings_apply(path, o, rules, sev, &err) != 0) {
		free(found);
		int rc = trouble("%s", err);
		free(err);
		return rc;
	}
	free(found);
	if ((o->disable != NULL && rule_select(o->disable, rules, true, &err) != 0) ||
	    (o->enable != NULL && rule_select(o->enable, rules, false, &err) != 0)) {
		int rc = usage_error("%s", err);
		free(err);
		return rc;
	}
	o->clients = CL_DEFAULT;
	if (o->clients_arg != NULL && (o->clients = clients_parse(o->clients_arg, &err)) == 0) {
		int rc = usage_error("--client: %s", err != NULL ? err : "no client profile");
		free(err);
		return rc;
	}
	if (o->samba_arg == NULL)
		o->samba = param_table_version();
	else if (strcmp(o->samba_arg, "auto") == 0)
		return smbd_version(&o->samba);
	else if ((o->samba = samba_ver_parse(o->samba_arg)) == 0)
		return usage_error("--samba-version: '%s' is not a version like 4.17", o->samba_arg);
	return 0;
}

static bool want_color(const struct cli_opts *o)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	if (o->color != COLOR_AUTO)
		return o->color == COLOR_ALWAYS;
	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0') &&
	    !(term != NULL && strcmp(term, "dumb") == 0);
}

static int finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return trouble("error writing standard output: %s", strerror(errno));
	return 0;
}

/* ---- the modes ---------------------------------------------------------- */

static int mode_help(void)
{
	fputs(usage_text, stdout);
	return finish_output() ? EXIT_TROUBLE : EXIT_CLEAN;
}

static int mode_version(void)
{
	printf("smblint %s (parameter table of Samba %s)\n", SMBLINT_VERSION, param_samba_version);
	return finish_output() ? EXIT_TROUBLE : EXIT_CLEAN;
}

static int mode_list_rules(const struct cli_opts *o)
{
	explain_list(stdout, o->format);
	return finish_output() ? EXIT_TROUBLE : EXIT_CLEAN;
}

static int mode_explain(const struct cli_opts *o)
{
	if (explain_rule(stdout, o->explain) != 0)
		return trouble("--explain: no rule is called '%s' (see smblint --list-rules)", o->explain);
	return finish_output() ? EXIT_TROUBLE : EXIT_CLEAN;
}

static int mode_man_rules(void)
{
	explain_man(stdout);
	return finish_output() ? EXIT_TROUBLE : EXIT_CLEAN;
}

static struct config_opts config_options(const struct cli_opts *o)
{
	struct config_opts c = {.include_root = o->include_root ? o->include_root : "/", .follow_includes = true};
	return c;
}

static int mode_print_config(struct cli_opts *o)
{
	const char *path = o->nfiles ? o->files[0] : SMBLINT_DEFAULT_CONFIG;
	bool *rules = xcalloc(rule_count + 1, sizeof *rules);
	signed char *sev = xmalloc(rule_count + 1);
	int rc = resolve(o, path, rules, sev);
	struct config_opts copts = config_options(o);
	char *err = NULL;
	struct config *cfg = rc == 0 ? config_load(path, &copts, &err) : NULL;

	free(rules);
	free(sev);
	if (rc != 0)
		return rc;
	if (cfg == NULL) {
		rc = trouble("%s", err);
		free(err);
		return rc;
	}
	if (cfg->load_failed) {
		unsigned line = 0, col = 0;
		if (cfg->fatal_file != NULL && cfg->fatal_node != NULL)
			src_pos(cfg->fatal_file, cfg->fatal_node->key_off, &line, &col);
		fprintf(stderr, "%s:%u:%u: error: smbd will not start: %s\n",
		    cfg->fatal_file != NULL ? cfg->fatal_file->display : path, line, col,
		    cfg->fatal_reason != NULL ? cfg->fatal_reason : "the configuration does not load");
		rc = EXIT_FINDINGS;
	} else {
		/* smbd adds home shares for the users `auto services` names: users of this machine */
		if (o->host_checks > 0 || (o->host_checks == 0 && config_is_system(cfg)))
			config_add_homes(cfg, NULL);
		config_print(cfg, stdout, o->origins);
		rc = finish_output() ? EXIT_TROUBLE : EXIT_CLEAN;
	}
	if (free_at_exit())
		config_free(cfg);
	return rc;
}

/*
 * Loads and lints every input; the lints go to r, unreadable files to stderr.
 * With --probe the rules run later (lint_probed), once the verdicts are in.
 */
static int lint_inputs(const struct cli_opts *o, const struct inputs *in, const struct lint_opts *lo, struct report *r)
{
	struct config_opts copts = config_options(o);
	int status = in->status;

	r->lints = xcalloc(in->n + 1, sizeof *r->lints);
	if (o->matrix && !o->quiet)
		r->matrices = xcalloc(in->n + 1, sizeof *r->matrices);
	for (size_t i = 0; i < in->n; i++) {
		char *err = NULL;
		struct config *cfg = config_load(in->paths[i], &copts, &err);
		if (cfg == NULL) {
			status = trouble("%s", err != NULL ? err : in->paths[i]);
			free(err);
			continue;
		}
		struct lint *l = xcalloc(1, sizeof *l);
		l->cfg = cfg;
		l->opts = lo;
		if (!o->probe)
			lint_run(l);
		if (r->matrices != NULL)
			matrix_build(&r->matrices[r->nmatrices++], cfg, lo->clients, lo->samba);
		r->lints[r->nlints++] = l;
	}
	return status;
}

/*
 * --probe: lints every input now that the verdicts (of the first file's
 * shares) are in; the first file's run gets them for the live rules (SL4xxx).
 * live must stay in place until the report is freed.
 */
static void lint_probed(struct report *r, const struct lint_opts *lo, struct lint_opts *live)
{
	*live = *lo;
	live->probe = r->probe;
	live->nprobe = r->probe != NULL ? r->nprobe : 0;
	for (size_t i = 0; i < r->nlints; i++) {
		r->lints[i]->opts = i == 0 ? live : lo;
		lint_run(r->lints[i]);
	}
}

static void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nmatrices; i++)
		matrix_free(&r->matrices[i]);
	free(r->matrices);
	for (size_t i = 0; i < r->nlints; i++) {
		struct config *cfg = r->lints[i]->cfg;
		lint_free(r->lints[i]);
		config_free(cfg);
		free(r->lints[i]);
	}
	free(r->lints);
}

static bool fails(const struct report *r, const struct out_opts *oo, enum severity fail_on)
{
	for (size_t i = 0; fail_on != SEV_NONE && i < r->nlints; i++)
		for (size_t k = 0; k < r->lints[i]->n; k++) {
			const struct finding *f = &r->lints[i]->findings[k];
			if (out_shown(oo, f) && f->severity >= fail_on)
				return true;
		}
	return false;
}

/* The shares of cfg as the probe wants them (names point into cfg). */
static struct probe_share *probe_shares(const struct config *cfg, samba_ver v, size_t *n)
{
	struct probe_share *sh = xcalloc(cfg->nsections + 1, sizeof *sh);
	const struct param *printable = param_get("printable");

	*n = 0;
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct section *sec = cfg->sections[i];
		if (sec->global || sec->hidden)
			continue;
		sh[*n].name = sec->name;
		sh[*n].is_homes = strcasecmp(sec->name, "homes") == 0;
		sh[*n].printable = config_bool(cfg, sec, printable, v);
		(*n)++;
	}
	return sh;
}

struct creds {
	char *user, *pass, *domain;
};

static int probe_credentials(const struct cli_opts *o, struct creds *c)
{
	char *err = NULL;

	memset(c, 0, sizeof *c);
	if (o->probe_auth != NULL && probe_parse_auth_file(o->probe_auth, &c->user, &c->pass, &c->domain, &err) != 0) {
		int rc = trouble("--probe-auth: %s", err);
		free(err);
		return rc;
	}
	if (o->probe_user != NULL) {
		free(c->user);
		c->user = xstrdup(o->probe_user);
		if (o->probe_pass != NULL) {
			free(c->pass);
			c->pass = xstrdup(o->probe_pass);
		}
	}
	if (c->user != NULL && c->pass == NULL) {
		if (!isatty(STDIN_FILENO))
			return trouble("-U %s: no password; write -U USER%%PASS or use --probe-auth", c->user);
		char *p = getpass("Password: ");
		c->pass = xstrdup(p != NULL ? p : "");
	}
	return 0;
}

static void creds_free(struct creds *c)
{
	if (c->pass != NULL)
		memset(c->pass, 0, strlen(c->pass));
	free(c->user);
	free(c->pass);
	free(c->domain);
}

/*
 * --probe: logs on to the server as each targeted client would, for every
 * share of the first file.  The verdicts go to r; they do not change the
 * exit status (findings do), trouble reaching the server does.
 */
static int run_probe(const struct cli_opts *o, struct report *r, char **target)
{
	struct probe_opts po = {.timeout_ms = (int)(o->probe_timeout * 1000)};
	const char *names[16];
	struct creds c;
	char *host = NULL, *err = NULL;
	int rc;

	split_target(o->probe_target != NULL ? o->probe_target : "127.0.0.1", &host, &po.port);
	if ((rc = probe_credentials(o, &c)) != 0) {
		free(host);
		return rc;
	}
	for (const char *const *p = probe_profile_names(); *p != NULL && po.nprofiles < 16; p++) {
		const struct client_profile *cp = client_find(*p);
		if (cp != NULL && (cp->bit & r->clients))
			names[po.nprofiles++] = *p;
	}
	struct probe_share *shares = probe_shares(r->lints[0]->cfg, r->samba, &po.nshares);
	po.host = host;
	po.shares = shares;
	po.profiles = names;
	po.user = c.user;
	po.password = c.pass;
	po.domain = c.domain;
	*target = po.port ? xasprintf(strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, po.port) : xstrdup(host);
	rc = 0;
	if (po.nprofiles == 0)
		rc = trouble("--probe: none of the targeted clients can be probed");
	else if (probe_run(&po, (struct probe_result **)&r->probe, &r->nprobe, &err) != 0) {
		rc = trouble("--probe: %s", err);
		free(err);
		r->probe = NULL;
	}
	r->probe_target = *target;
	free(shares);
	free(host);
	creds_free(&c);
	return rc;
}

static int mode_lint(struct cli_opts *o)
{
	struct inputs in;
	struct report r = {0};
	bool *rules = xcalloc(rule_count + 1, sizeof *rules);
	signed char *sev = xmalloc(rule_count + 1);
	char *target = NULL;
	int status;

	collect_inputs(o, &in);
	status = resolve(o, in.n ? in.paths[0] : "-", rules, sev);
	if (status == 0) {
		struct lint_opts lo = {.clients = o->clients, .samba = o->samba,
		    .unsafe_fixes = o->unsafe_fixes, .host_checks = o->host_checks, .disabled = rules,
		    .severity = sev};
		struct out_opts oo = {.out = stdout, .color = want_color(o), .quiet = o->quiet, .show = o->show};
		if (o->quiet && o->fail_on > oo.show)
			oo.show = o->fail_on;
		r.clients = o->clients;
		r.samba = o->samba;
		status = lint_inputs(o, &in, &lo, &r);
		struct lint_opts live;
		if (o->probe && r.nlints > 0) {
			int rc = run_probe(o, &r, &target);
			status = rc != 0 ? rc : status;
			lint_probed(&r, &lo, &live);
		}
		if (out_write(o->format, &r, &oo) != 0)
			status = trouble("error writing standard output: %s", strerror(errno));
		else if (status == 0 && fails(&r, &oo, o->fail_on))
			status = EXIT_FINDINGS;
		probe_results_free((struct probe_result *)r.probe, r.nprobe);
		if (free_at_exit())
			report_free(&r);
	}
	free(target);
	inputs_free(&in);
	free(rules);
	free(sev);
	return status;
}

/* One file through the fixer; what remains goes to r when it is to be shown. */
static int fix_one(const char *path, const struct fix_opts *fo, const struct lint_opts *lo, struct report *r)
{
	char *err = NULL;
	struct config *cfg = config_load(path, fo->copts, &err);
	struct fix_result res = {0};
	int rc;

	if (cfg == NULL) {
		rc = trouble("%s", err != NULL ? err : path);
		free(err);
		return rc;
	}
	struct lint *l = xcalloc(1, sizeof *l);
	l->cfg = cfg;
	l->opts = lo;
	lint_run(l);
	rc = fix_apply(cfg, l, fo, &res);
	if (res.owned) {
		/* The report takes the fixed configuration; the original goes. */
		lint_free(l);
		free(l);
		config_free(cfg);
		l = res.lint;
	}
	r->lints[r->nlints++] = l;
	return rc;
}

/*
 * --fix --verify-live and --fix --probe --reload (src/verify_live.c): one
 * FILE, the credentials of --probe, and for --reload the running server.
 */
static int mode_live(const struct cli_opts *o, const char *path, const struct lint_opts *lo,
    const struct fix_opts *fo, const struct out_opts *oo)
{
	struct live_opts lv = {.path = path, .lint = lo, .fix = fo, .format = o->format, .out = oo,
	    .clients = o->clients, .samba = o->samba, .include_root = o->include_root ? o->include_root : "/",
	    .timeout_ms = (int)(o->probe_timeout * 1000)};
	struct creds c;
	char *host = NULL;
	int rc = probe_credentials(o, &c);

	if (rc != 0)
		return rc;
	lv.user = c.user;
	lv.password = c.pass;
	lv.domain = c.domain;
	if (o->reload) {
		split_target(o->probe_target != NULL ? o->probe_target : "127.0.0.1", &host, &lv.port);
		lv.host = host;
		rc = live_fix_reload(&lv);
	} else {
		rc = live_verify_fix(&lv);
	}
	free(host);
	creds_free(&c);
	return rc;
}

/*
 * --fix / --diff: lint, then let the fixer change (or diff) each file.  With
 * --fix, the findings that remain are printed as a lint run prints them,
 * unless the fixed file itself goes to standard output.
 */
static int mode_fix(struct cli_opts *o)
{
	struct inputs in;
	struct report r = {0};
	bool *rules = xcalloc(rule_count + 1, sizeof *rules);
	signed char *sev = xmalloc(rule_count + 1);
	int status;

	collect_inputs(o, &in);
	status = resolve(o, in.n ? in.paths[0] : "-", rules, sev);
	if (status == 0 && o->output != NULL && in.n != 1)
		status = usage_error("-o takes exactly one FILE");
	else if (status == 0 && (o->verify_live || o->reload) && (in.n != 1 || strcmp(in.paths[0], "-") == 0))
		status = usage_error("%s takes exactly one FILE (not standard input)",
		    o->verify_live ? "--verify-live" : "--reload");
	struct config_opts copts = config_options(o);
	struct lint_opts lo = {.clients = o->clients, .samba = o->samba,
	    .unsafe_fixes = o->unsafe_fixes, .host_checks = o->host_checks, .disabled = rules,
	    .severity = sev};
	struct fix_opts fo = {.mode = o->diff ? FIXMODE_DIFF : FIXMODE_FIX, .output = o->output,
	    .unsafe = o->unsafe_fixes, .no_backup = o->no_backup, .threshold = o->show,
	    .fail_on = o->fail_on, .copts = &copts, .out = stdout, .err = stderr, .quiet = o->quiet};
	struct out_opts oo = {.out = stdout, .color = want_color(o), .quiet = o->quiet, .show = o->show};
	if (status == 0 && (o->verify_live || o->reload)) {
		status = in.status != 0 ? in.status : mode_live(o, in.paths[0], &lo, &fo, &oo);
	} else if (status == 0) {
		status = in.status;
		r.lints = xcalloc(in.n + 1, sizeof *r.lints);
		r.clients = o->clients;
		r.samba = o->samba;
		for (size_t i = 0; i < in.n; i++) {
			int rc = fix_one(in.paths[i], &fo, &lo, &r);
			status = rc > status ? rc : status;
		}
		bool to_stdout = o->output != NULL ? strcmp(o->output, "-") == 0 :
		    in.n == 1 && strcmp(in.paths[0], "-") == 0;
		bool show = !o->diff && !to_stdout;
		if (show && out_write(o->format, &r, &oo) != 0)
			status = trouble("error writing standard output: %s", strerror(errno));
		if (free_at_exit())
			report_free(&r);
	}
	inputs_free(&in);
	free(rules);
	free(sev);
	return status;
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	int rc = parse_args(argc, argv, &o);

	if (rc < 0) {
		cli_free(&o);
		return EXIT_TROUBLE;
	}
	if (o.probe && o.mode != MODE_LINT && !(o.mode == MODE_FIX && o.reload))
		rc = usage_error("--probe goes with a plain lint run only (or with --fix --reload)");
	else switch (o.mode) {
	case MODE_HELP: rc = mode_help(); break;
	case MODE_VERSION: rc = mode_version(); break;
	case MODE_LIST_RULES: rc = mode_list_rules(&o); break;
	case MODE_EXPLAIN: rc = mode_explain(&o); break;
	case MODE_MAN_RULES: rc = mode_man_rules(); break;
	case MODE_PRINT_CONFIG: rc = mode_print_config(&o); break;
	case MODE_FIX: rc = mode_fix(&o); break;
	case MODE_LINT: rc = mode_lint(&o); break;
	}
	cli_free(&o);
	return rc;
}
