/* settings.c - finds and reads .smblint.ini (iniparser does the INI syntax) into the options. */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Debian keeps the header in a folder of its own; others install it at the top. */
#if __has_include(<iniparser.h>)
#include <iniparser.h>
#else
#include <iniparser/iniparser.h>
#endif

#include "clients.h"
#include "params.h"
#include "settings.h"
#include "util.h"

char *settings_find(const char *config_path)
{
	char *dir;

	if (strcmp(config_path, "-") == 0) {
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof cwd) == NULL)
			return NULL;
		dir = xstrdup(cwd);
	} else {
		/* realpath so that "smb.conf" and "../x/smb.conf" walk the real parents. */
		char *real = realpath(config_path, NULL);
		dir = real != NULL ? xstrdup(real) : xstrdup(config_path);
		free(real);
		char *slash = strrchr(dir, '/');
		if (slash == NULL) {
			free(dir);
			char cwd[PATH_MAX];
			if (getcwd(cwd, sizeof cwd) == NULL)
				return NULL;
			dir = xstrdup(cwd);
		} else {
			slash[slash == dir] = '\0';   /* keep "/" itself */
		}
	}
	/* dir, a slash and the name, rebuilt in one buffer for each parent in turn */
	size_t dlen = strlen(dir), nlen = strlen(SMBLINT_SETTINGS_NAME);
	char *cand = xmalloc(dlen + nlen + 2);
	for (;;) {
		struct stat st;
		size_t k = strlen(dir);
		memcpy(cand, dir, k);
		if (strcmp(dir, "/") != 0)
			cand[k++] = '/';
		memcpy(cand + k, SMBLINT_SETTINGS_NAME, nlen + 1);
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			free(dir);
			return cand;
		}
		char *slash = strrchr(dir, '/');
		if (slash == NULL || strcmp(dir, "/") == 0)
			break;
		slash[slash == dir] = '\0';
	}
	free(cand);
	free(dir);
	return NULL;
}

/*
 * libiniparser is loaded when a settings file is found, not at start-up:
 * most runs have none, and linking it in costs every run a quarter of a
 * millisecond of dynamic loading.  The header still gives the types.
 */
static struct {
	void *handle;
	__typeof__(&iniparser_load) load;
	__typeof__(&iniparser_freedict) freedict;
	__typeof__(&iniparser_getnsec) getnsec;
	__typeof__(&iniparser_getsecname) getsecname;
	__typeof__(&iniparser_getsecnkeys) getsecnkeys;
	__typeof__(&iniparser_getseckeys) getseckeys;
	__typeof__(&iniparser_getstring) getstring;
	__typeof__(&iniparser_set_error_callback) set_error_callback;
} ini;

/* Loads libiniparser once; NULL, or one line saying why it cannot. */
static const char *ini_open(void)
{
	static const char *const names[] = {"libiniparser.so.1", "libiniparser.so.4", "libiniparser.so"};
	if (ini.handle != NULL)
		return NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0] && ini.handle == NULL; i++)
		ini.handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (ini.handle == NULL)
		return "reading it needs libiniparser (Debian: apt install libiniparser1), which is not installed";
	/* POSIX allows converting dlsym's object pointer to a function pointer */
#define INI_SYM(field, name) (*(void **)(&ini.field) = dlsym(ini.handle, name))
	if (!INI_SYM(load, "iniparser_load") || !INI_SYM(freedict, "iniparser_freedict") ||
	    !INI_SYM(getnsec, "iniparser_getnsec") || !INI_SYM(getsecname, "iniparser_getsecname") ||
	    !INI_SYM(getsecnkeys, "iniparser_getsecnkeys") || !INI_SYM(getseckeys, "iniparser_getseckeys") ||
	    !INI_SYM(getstring, "iniparser_getstring") ||
	    !INI_SYM(set_error_callback, "iniparser_set_error_callback")) {
#undef INI_SYM
		dlclose(ini.handle);
		ini.handle = NULL;
		return "the installed libiniparser lacks functions smblint needs";
	}
	return NULL;
}

/* Unloads it again once the file is read: the options keep copies of what they use. */
static void ini_close(void)
{
	if (ini.handle != NULL)
		dlclose(ini.handle);
	memset(&ini, 0, sizeof ini);
}

/* iniparser reports syntax errors through a printf-like callback: keep the first one. */
static char ini_error[256];

static int ini_errback(const char *fmt, ...)
{
	va_list ap;
	if (ini_error[0] != '\0')
		return 0;
	va_start(ap, fmt);
	vsnprintf(ini_error, sizeof ini_error, fmt, ap);
	va_end(ap);
	ini_error[strcspn(ini_error, "\n")] = '\0';
	return 0;
}

struct ctx {
	const char *path;
	struct cli_opts *o;
	bool *disabled;
	signed char *sev;
	char **err;
};

static int fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct ctx *c, const char *fmt, ...)
{
	struct sbuf b = {0};
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sbuf_addf(&b, "%s: %s", c->path, msg);
	*c->err = sbuf_take(&b);
	return -1;
}

/* A copy the options keep after iniparser's dictionary is gone (freed by main). */
static const char *keep(struct cli_opts *o, const char *v)
{
	char *d = xstrdup(v);
	if (o->nowned < sizeof o->owned / sizeof o->owned[0])
		o->owned[o->nowned++] = d;
	return d;
}

static int apply_level(struct ctx *c, const char *key, const char *v, enum severity *dst, bool *set, bool allow_none)
{
	int s = severity_parse(v, allow_none);
	if (s < 0)
		return fail(c, "%s: '%s' is not error, warning, info%s", key, v, allow_none ? " or none" : "");
	if (!*set) {
		*dst = (enum severity)s;
		*set = true;
	}
	return 0;
}

static int apply_format(struct ctx *c, const char *v)
{
	static const char *const names[] = {"text", "gcc", "json", "sarif", "github", "codeclimate"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(v, names[i]) == 0) {
			if (!c->o->format_set) {
				c->o->format = (enum out_format)i;
				c->o->format_set = true;
			}
			return 0;
		}
	return fail(c, "format: '%s' is not text, gcc, json, sarif, github or codeclimate", v);
}

static int apply_main_key(struct ctx *c, const char *key, const char *v)
{
	struct cli_opts *o = c->o;
	char *e = NULL;

	if (strcmp(key, "clients") == 0 || strcmp(key, "client") == 0) {
		if (clients_parse(v, &e) == 0) {
			int r = fail(c, "%s: %s", key, e != NULL ? e : "no client profile");
			free(e);
			return r;
		}
		if (o->clients_arg == NULL)
			o->clients_arg = keep(o, v);
	} else if (strcmp(key, "samba version") == 0) {
		if (strcmp(v, "auto") != 0 && samba_ver_parse(v) == 0)
			return fail(c, "%s: '%s' is not a version like 4.17 (or auto)", key, v);
		if (o->samba_arg == NULL)
			o->samba_arg = keep(o, v);
	} else if (strcmp(key, "fail on") == 0) {
		return apply_level(c, key, v, &o->fail_on, &o->fail_on_set, true);
	} else if (strcmp(key, "severity") == 0) {
		return apply_level(c, key, v, &o->show, &o->show_set, false);
	} else if (strcmp(key, "format") == 0) {
		return apply_format(c, v);
	} else if (strcmp(key, "include root") == 0) {
		if (o->include_root == NULL)
			o->include_root = keep(o, v);
	} else if (strcmp(key, "disable") == 0 || strcmp(key, "enable") == 0) {
		if (rule_select(v, c->disabled, key[0] == 'd', &e) < 0) {
			int r = fail(c, "%s: %s", key, e);
			free(e);
			return r;
		}
	} else {
		return fail(c, "unknown setting '%s' in [smblint]", key);
	}
	return 0;
}

static int apply_severity_key(struct ctx *c, const char *key, const char *v)
{
	const struct rule *r = rule_find(key);
	int s = severity_parse(v, true);

	if (r == NULL)
		return fail(c, "[severity]: unknown rule '%s'", key);
	if (s < 0)
		return fail(c, "[severity] %s: '%s' is not error, warning, info or none", key, v);
	if (s == SEV_NONE)
		c->disabled[rule_index(r)] = true;
	else
		c->sev[rule_index(r)] = (signed char)s;
	return 0;
}

static int apply_section(struct ctx *c, dictionary *d, const char *sec)
{
	int n = ini.getsecnkeys(d, sec);
	const char **keys;
	int rc = 0;

	if (n <= 0)
		return 0;
	keys = xcalloc((size_t)n, sizeof *keys);
	ini.getseckeys(d, sec, keys);
	for (int i = 0; i < n && rc == 0; i++) {
		const char *key = keys[i] + strlen(sec) + 1;   /* "section:key" */
		const char *v = ini.getstring(d, keys[i], "");
		if (strcmp(sec, "smblint") == 0)
			rc = apply_main_key(c, key, v);
		else
			rc = apply_severity_key(c, key, v);
	}
	free(keys);
	return rc;
}

int settings_apply(const char *path, struct cli_opts *o, bool *disabled, signed char *sev, char **err)
{
	struct ctx c = {path, o, disabled, sev, err};
	struct stat st;
	dictionary *d;
	int rc = 0;

	*err = NULL;
	if (stat(path, &st) != 0)
		return fail(&c, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(&c, "not a regular file");
	if (access(path, R_OK) != 0)
		return fail(&c, "%s", strerror(errno));
	const char *why = ini_open();
	if (why != NULL)
		return fail(&c, "%s", why);
	ini_error[0] = '\0';
	ini.set_error_callback(ini_errback);
	d = ini.load(path);
	if (d == NULL || ini_error[0] != '\0') {
		rc = fail(&c, "%s", ini_error[0] ? ini_error : "cannot be read");
		if (d != NULL)
			ini.freedict(d);
		ini_close();
		return rc;
	}
	for (int i = 0; i < ini.getnsec(d) && rc == 0; i++) {
		const char *sec = ini.getsecname(d, i);
		if (strcmp(sec, "smblint") == 0 || strcmp(sec, "severity") == 0)
			rc = apply_section(&c, d, sec);
		else
			rc = fail(&c, "unknown section [%s]; use [smblint] or [severity]", sec);
	}
	ini.freedict(d);
	ini_close();
	return rc;
}
