/* verify_live.c - --fix --verify-live (the fix checked on throwaway servers before it is written) and --fix --reload. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clients.h"
#include "config.h"
#include "fix.h"
#include "lint.h"
#include "output.h"
#include "params.h"
#include "probe.h"
#include "smbd_run.h"
#include "util.h"
#include "verify_live.h"

/*
 * How a verdict of --verify-live is reached.
 *
 * A Windows user opening \\server\share first logs on with the account they
 * are signed in with, which the server normally does not know (the probe's
 * made-up user).  The server then either hands out a guest session (which
 * some profiles refuse: a dead end, no password prompt), or refuses the
 * logon, and Windows asks for a user name and password.  So each share and
 * profile gets one of these states, from the made-up user's verdict and,
 * when it led to a prompt and credentials were given, the given user's:
 *
 *   REACH    gets in (as guest, or as the user after the prompt)
 *   PROMPT   asks for a password, and no credentials were given to go on
 *   DENIED   asks for a password, and the given user is then denied access
 *            (the share is not open to that account: not a client problem)
 *   REFUSED  a dead end: a refused guest session, no common dialect, a
 *            failed logon of the given user, ...
 *   NA       not testable on this machine (its path is missing, it is
 *            switched off, [homes] without a user to open it as)
 *
 * The fix is written when no share/profile pair "blocks":
 *
 *   before REACH            after must be REACH          (else: regressed)
 *   before REFUSED          after REACH or DENIED        (else: still refused,
 *                                                         or unverified prompt)
 *   before PROMPT / DENIED  after anything but REFUSED   (else: regressed)
 *   NA on either side       never blocks                 (reported as such)
 */

enum reach { R_NA, R_REACH, R_PROMPT, R_DENIED, R_REFUSED };

#define ST_ACCESS_DENIED 0xC0000022u
#define ST_NO_SUCH_USER 0xC0000064u
#define ST_WRONG_PASSWORD 0xC000006Au
#define ST_LOGON_FAILURE 0xC000006Du
#define ST_NETWORK_ACCESS_DENIED 0xC00000CAu

/* How long the reload may take to show in the verdicts. */
#define RELOAD_WAIT_MS 5000
/* How long smbcontrol may take. */
#define SMBCONTROL_TIMEOUT_MS 5000
/* How long a throwaway smbd may take to listen. */
#define SMBD_START_MS 10000

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static volatile sig_atomic_t caught;

static void sleep_ms(long long ms)
{
	struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (!caught && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}


/* ---- cleanup on every path: the servers by pid, the temporary folder ---- */

static pid_t main_pid;
static volatile pid_t live_pids[2];
static struct smbd_run *live_runs[2];
static char *live_tmp;
static bool handlers_on, atexit_on;
static struct sigaction old_int, old_term, old_hup;

/*
 * A signal only stops the servers (kill is async-signal-safe); their end
 * makes any probe under way fail at once, and the normal path then stops
 * them properly, removes the folders and dies of the signal.  Children
 * forked by the probe inherit this handler: they just die.
 */
static void on_signal(int sig)
{
	if (getpid() != main_pid) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	caught = sig;
	for (int i = 0; i < 2; i++)
		if (live_pids[i] > 0)
			kill(live_pids[i], SIGTERM);
}

static void cleanup(void)
{
	for (int i = 0; i < 2; i++) {
		live_pids[i] = 0;
		if (live_runs[i] != NULL) {
			smbd_run_stop(live_runs[i]);
			live_runs[i] = NULL;
		}
	}
	if (live_tmp != NULL) {
		util_remove_tree(live_tmp);
		free(live_tmp);
		live_tmp = NULL;
	}
}

static void cleanup_at_exit(void)
{
	if (getpid() == main_pid)
		cleanup();
}

static void handlers_install(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	main_pid = getpid();
	caught = 0;
	if (!atexit_on && atexit(cleanup_at_exit) == 0)
		atexit_on = true;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	handlers_on = true;
}

/* Stops everything; dies of the signal if one came. */
static void handlers_remove(void)
{
	cleanup();
	if (!handlers_on)
		return;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	handlers_on = false;
	if (caught) {
		int sig = caught;
		fprintf(stderr, "smblint: interrupted (%s); throwaway servers stopped, nothing written\n",
		    strsignal(sig));
		fflush(NULL);
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

/* ---- shares and profiles ------------------------------------------------- */

struct vshare {
	const char *name;       /* the section's name (points into the original config) */
	bool is_homes;
	char *na;               /* not testable here: why; NULL when testable */
};

/* Expands the %-macros a path can use here; NULL when one is left that can't be known. */
static char *expand_path(const char *p, const char *share, const char *user, const char *home)
{
	struct sbuf b = {0};
	for (; *p; p++) {
		if (*p != '%') {
			sbuf_addc(&b, *p);
			continue;
		}
		const char *v = NULL;
		switch (p[1]) {
		case 'S': v = share; break;
		case 'U': case 'u': v = user; break;
		case 'H': v = home; break;
		case '%': v = "%"; break;
		}
		if (v == NULL) {
			sbuf_free(&b);
			return NULL;
		}
		sbuf_adds(&b, v);
		p++;
	}
	return sbuf_take(&b);
}

/* Why sec can't be tried on this machine, or NULL. */
static char *share_na(const struct config *cfg, const struct section *sec, samba_ver v, const char *user,
    const char *root)
{
	bool homes = strcasecmp(sec->name, "homes") == 0;
	const struct passwd *pw = NULL;

	if (!config_bool(cfg, sec, param_get("available"), v))
		return xstrdup("switched off (available = no)");
	if (homes && user == NULL)
		return xstrdup("[homes] needs a user to open it as (-U or --probe-auth)");
	if (user != NULL) {
		const char *sep = strpbrk(user, "\\/");
		pw = getpwnam(sep != NULL ? sep + 1 : user);
	}
	const char *path = config_str(cfg, sec, param_get("path"), v);
	char *exp;
	if (path == NULL || *path == '\0') {
		if (!homes)
			return xstrdup("no path (Samba makes the share unavailable)");
		if (pw == NULL)
			return xasprintf("no Unix account '%s' for [homes]", user);
		exp = xstrdup(pw->pw_dir);
	} else {
		const char *u = user;
		if (u != NULL && strpbrk(u, "\\/") != NULL)
			u = strpbrk(u, "\\/") + 1;
		exp = expand_path(path, homes && u != NULL ? u : sec->name, u, pw != NULL ? pw->pw_dir : NULL);
		if (exp == NULL)
			return NULL;    /* depends on the client: let the probe tell */
	}
	char *full = exp[0] == '/' ? xstrdup(exp) : xasprintf("%s/%s", root, exp);
	struct stat st;
	char *why = NULL;
	if (stat(full, &st) != 0)
		why = errno == ENOENT || errno == ENOTDIR ? xasprintf("path missing: %s", full) :
		    xasprintf("path %s: %s", full, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		why = xasprintf("path is not a folder: %s", full);
	free(exp);
	free(full);
	return why;
}

static bool is_printer(const struct config *cfg, const struct section *sec, samba_ver v)
{
	return config_bool(cfg, sec, param_get("printable"), v) || strcasecmp(sec->name, "printers") == 0;
}

/* Non-global, non-hidden, non-printer sections of cfg, with what makes them untestable. */
static struct vshare *collect_shares(const struct config *cfg, const struct config *fixed, samba_ver v,
    const char *user, const char *root, size_t *n)
{
	struct vshare *sh = xcalloc(cfg->nsections + 1, sizeof *sh);
	*n = 0;
	for (size_t i = 0; i < cfg->nsections; i++) {
		const struct section *sec = cfg->sections[i];
		if (sec->global || sec->hidden || is_printer(cfg, sec, v))
			continue;
		struct vshare *s = &sh[(*n)++];
		s->name = sec->name;
		s->is_homes = strcasecmp(sec->name, "homes") == 0;
		s->na = share_na(cfg, sec, v, user, root);
		if (s->na == NULL && fixed != NULL) {
			const struct section *fs = config_find(fixed, sec->name);
			if (fs != NULL)
				s->na = share_na(fixed, fs, v, user, root);
		}
	}
	return sh;
}

static void shares_free(struct vshare *sh, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(sh[i].na);
	free(sh);
}

/* The probe profiles of the targeted clients, in the probe's order. */
static size_t target_profiles(unsigned clients, const char **names, size_t max)
{
	size_t n = 0;
	for (const char *const *p = probe_profile_names(); *p != NULL && n < max; p++) {
		const struct client_profile *cp = client_find(*p);
		if (cp != NULL && (cp->bit & clients))
			names[n++] = *p;
	}
	return n;
}

static const char *short_status(const char *name)
{
	if (name == NULL)
		return "refused";
	return strncmp(name, "NT_STATUS_", 10) == 0 ? name + 10 : name;
}

static const char *bare_user(const char *user)
{
	const char *sep = user != NULL ? strpbrk(user, "\\/") : NULL;
	return sep != NULL ? sep + 1 : user;
}

/* ---- one side (original or fixed): its server and verdicts --------------- */

struct side {
	const char *label;              /* "original" / "fixed" */
	char *conf;                     /* the configuration file the server includes */
	struct smbd_run *run;           /* while it runs */
	bool started;
	char *start_error;              /* the server did not start: why */
	char *target;                   /* 127.0.0.1:PORT */
	struct probe_result *anon, *user;
	size_t nanon, nuser;
};

static void side_free(struct side *s)
{
	free(s->conf);
	free(s->start_error);
	free(s->target);
	probe_results_free(s->anon, s->nanon);
	probe_results_free(s->user, s->nuser);
}

/* One cell of the table: a state, a few words for the table, a sentence for the reasons. */
struct cell {
	enum reach state;
	char *brief;
	char *why;
};

struct check {
	const struct vshare *share;
	const char *profile;
	struct cell before, after;
	const char *verdict;    /* ok, fixed, regressed, still refused, unverified, not testable */
	bool blocks;
	char *reason;           /* a line for blocked pairs */
};

static bool denied_status(unsigned st)
{
	return st == ST_ACCESS_DENIED || st == ST_NETWORK_ACCESS_DENIED;
}

/* A refusal after which Windows asks for credentials rather than giving up. */
static bool prompt_status(unsigned st)
{
	return st == ST_LOGON_FAILURE || st == ST_NO_SUCH_USER || st == ST_WRONG_PASSWORD || denied_status(st);
}

static char *refusal(const struct probe_result *r)
{
	if (r->note != NULL)
		return xasprintf("%s (0x%08X %s)", r->note, r->ntstatus, r->status_name ? r->status_name : "");
	return xasprintf("0x%08X %s", r->ntstatus, r->status_name ? r->status_name : "");
}

static void classify(const struct probe_result *a, const struct probe_result *u, const char *user, struct cell *c)
{
	const char *who = bare_user(user);

	if (a->connected) {
		c->state = R_REACH;
		c->brief = xstrdup(a->guest ? "guest" : "connects");
		c->why = xstrdup(a->guest ? "connects as guest" : "connects");
	} else if (!prompt_status(a->ntstatus)) {
		char *r = refusal(a);
		c->state = R_REFUSED;
		c->brief = xasprintf("refused (%s)", short_status(a->status_name));
		c->why = xasprintf("refused: %s", r);
		free(r);
	} else if (u == NULL) {
		c->state = R_PROMPT;
		c->brief = xstrdup("password prompt");
		c->why = xstrdup("asks for a user name and password");
	} else if (u->connected) {
		c->state = R_REACH;
		c->brief = u->guest ? xstrdup("prompt, then guest") : xasprintf("prompt, then %s", who);
		c->why = u->guest ? xasprintf("asks for a password, then %s gets a guest session", who) :
		    xasprintf("asks for a password, then connects as %s", who);
	} else if (denied_status(u->ntstatus) && !u->guest) {
		c->state = R_DENIED;
		c->brief = xasprintf("prompt, %s denied", who);
		c->why = xasprintf("asks for a password, then denies %s access (%s)", who,
		    u->status_name ? u->status_name : "access denied");
	} else {
		char *r = refusal(u);
		c->state = R_REFUSED;
		c->brief = xasprintf("prompt, %s refused (%s)", who, short_status(u->status_name));
		c->why = xasprintf("asks for a password, then refuses %s: %s", who, r);
		free(r);
	}
}

static void cell_fill_na(struct cell *c, const char *why)
{
	c->state = R_NA;
	c->brief = xstrdup("not testable");
	c->why = xasprintf("not testable here: %s", why);
}

static void cell_fill_down(struct cell *c, const struct side *s)
{
	c->state = R_REFUSED;
	c->brief = xstrdup("smbd fails");
	c->why = xasprintf("smbd does not start with the %s configuration", s->label);
}

static void cell_free(struct cell *c)
{
	free(c->brief);
	free(c->why);
}

/* A REFUSED cell's sentence without its leading "refused: ". */
static const char *unprefixed(const char *why)
{
	return strncmp(why, "refused: ", 9) == 0 ? why + 9 : why;
}

/* Fills the check's verdict from its two cells. */
static void judge(struct check *k, bool have_creds)
{
	enum reach b = k->before.state, a = k->after.state;
	const char *p = k->profile;
	const char *n = k->share->name;

	k->blocks = false;
	if (b == R_NA || a == R_NA) {
		k->verdict = "not testable";
		return;
	}
	if (b == R_REACH) {
		if (a == R_REACH) {
			k->verdict = "ok";
			return;
		}
		k->verdict = "regressed";
		k->reason = xasprintf("[%s] %s: reachable before (%s), but now %s%s", n, p, k->before.why, k->after.why,
		    a == R_PROMPT && !have_creds ? " (give -U USER%PASS or --probe-auth to check that an account gets in)" : "");
	} else if (b == R_REFUSED) {
		if (a == R_REACH || a == R_DENIED) {
			k->verdict = "fixed";
			return;
		}
		if (a == R_PROMPT) {
			k->verdict = "unverified";
			k->reason = xasprintf("[%s] %s: refused before (%s); now asks for a password, but no credentials "
			    "were given to check that an account gets in (use -U USER%%PASS or --probe-auth)", n, p,
			    unprefixed(k->before.why));
		} else {
			k->verdict = "still refused";
			k->reason = xasprintf("[%s] %s: still refused: %s", n, p, unprefixed(k->after.why));
		}
	} else {
		if (a != R_REFUSED) {
			k->verdict = "ok";
			return;
		}
		k->verdict = "regressed";
		k->reason = xasprintf("[%s] %s: before: %s; now %s", n, p, k->before.why, k->after.why);
	}
	k->blocks = true;
}

/* ---- output ------------------------------------------------------------------ */

static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void pad(FILE *out, const char *s, size_t w)
{
	fputs(s, out);
	for (size_t n = width(s); n < w; n++)
		putc(' ', out);
}

/* A table of rows of ncol strings (the first row is the header), left-aligned. */
static void print_table(FILE *out, char **cells, size_t nrows, size_t ncol)
{
	size_t *w = xcalloc(ncol, sizeof *w);
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncol; c++)
			if (width(cells[r * ncol + c]) > w[c])
				w[c] = width(cells[r * ncol + c]);
	for (size_t r = 0; r < nrows; r++) {
		fputs("  ", out);
		for (size_t c = 0; c < ncol; c++) {
			if (c + 1 < ncol)
				pad(out, cells[r * ncol + c], w[c] + 2);
			else
				fputs(cells[r * ncol + c], out);
		}
		putc('\n', out);
	}
	free(w);
}

static char *share_label(const char *name)
{
	struct sbuf b = {0};
	sbuf_addc(&b, '[');
	out_safe(&b, name, strlen(name));
	sbuf_addc(&b, ']');
	return sbuf_take(&b);
}

static char *safe_dup(const char *s)
{
	struct sbuf b = {0};
	out_safe(&b, s, strlen(s));
	return sbuf_take(&b);
}

static void json_verdicts(struct json *j, const struct probe_result *r, size_t n, const char *target, const char *identity)
{
	for (size_t i = 0; i < n; i++) {
		const struct probe_result *p = &r[i];
		json_obj(j);
		json_kstr(j, "target", target);
		json_kstr(j, "identity", identity);
		out_json_probe_fields(j, p);
		json_end_obj(j);
	}
}

static const char *state_name(enum reach r)
{
	static const char *const names[] = {"not-testable", "reachable", "password-prompt", "denied", "refused"};
	return names[r];
}

/* ---- --verify-live -------------------------------------------------------------- */

struct verify {
	const struct live_opts *o;
	struct side side[2];
	struct vshare *shares;
	size_t nshares;
	const char *profiles[16];
	size_t nprofiles;
	struct check *checks;
	size_t nchecks;
	char **problems;        /* lines that keep the fix from being written (not per pair) */
	size_t nproblems;
	bool written;
	const char *user;       /* as given, or NULL */
};

static void add_problem(struct verify *v, char *line)
{
	v->problems = xrealloc(v->problems, (v->nproblems + 1) * sizeof *v->problems);
	v->problems[v->nproblems++] = line;
}

static size_t nblocking(const struct verify *v)
{
	size_t n = v->nproblems;
	for (size_t i = 0; i < v->nchecks; i++)
		n += v->checks[i].blocks;
	return n;
}

static void verify_text(FILE *out, bool color, void *ctx)
{
	const struct verify *v = ctx;
	(void)color;
	fputs("\nLive verification of the fix (throwaway smbd: ", out);
	for (int s = 0; s < 2; s++)
		fprintf(out, "%s%s configuration %s%s", s ? ", " : "", v->side[s].label,
		    v->side[s].started ? "on " : "does not start", v->side[s].started ? v->side[s].target : "");
	fputs("; ", out);
	if (v->user != NULL) {
		char *u = safe_dup(v->user);
		fprintf(out, "made-up user, then %s after a password prompt):\n", u);
		free(u);
	} else {
		fputs("made-up user, no credentials):\n", out);
	}
	if (v->nchecks == 0) {
		fputs("  (no share to test)\n", out);
	} else {
		size_t ncol = 5, nrows = v->nchecks + 1;
		char **cells = xcalloc(nrows * ncol, sizeof *cells);
		const char *head[] = {"share", "client", "before", "after", "verdict"};
		for (size_t c = 0; c < ncol; c++)
			cells[c] = xstrdup(head[c]);
		for (size_t i = 0; i < v->nchecks; i++) {
			const struct check *k = &v->checks[i];
			char **row = &cells[(i + 1) * ncol];
			row[0] = share_label(k->share->name);
			row[1] = xstrdup(k->profile);
			row[2] = safe_dup(k->before.brief);
			row[3] = safe_dup(k->after.brief);
			row[4] = k->share->na != NULL ? xasprintf("not testable: %s", k->share->na) :
			    k->blocks ? xasprintf("%s (blocks the fix)", k->verdict) : xstrdup(k->verdict);
		}
		print_table(out, cells, nrows, ncol);
		for (size_t i = 0; i < nrows * ncol; i++)
			free(cells[i]);
		free(cells);
	}
	size_t nb = nblocking(v), tested = 0;
	for (size_t i = 0; i < v->nchecks; i++)
		tested += v->checks[i].share->na == NULL;
	if (v->written && tested == 0) {
		fputs("  Nothing could be tested on this machine (smbd started with both configurations); "
		    "the fix was written.\n", out);
	} else if (v->written) {
		fputs("  Verified: every share that a targeted client could not reach before is reachable now, "
		    "and nothing reachable before was lost; the fix was written.\n", out);
	} else if (nb == 0) {
		fputs("  Verified, but the fix could not be written (see the messages above).\n", out);
	} else {
		fprintf(out, "  Not written (%zu problem%s):\n", nb, nb == 1 ? "" : "s");
		for (size_t i = 0; i < v->nproblems; i++) {
			char *s = safe_dup(v->problems[i]);
			fprintf(out, "    %s\n", s);
			free(s);
		}
		for (size_t i = 0; i < v->nchecks && v->side[1].started; i++)
			if (v->checks[i].blocks) {
				char *s = safe_dup(v->checks[i].reason);
				fprintf(out, "    %s\n", s);
				free(s);
			}
	}
}

static void verify_json(struct json *j, void *ctx)
{
	const struct verify *v = ctx;
	json_obj(j);
	json_kbool(j, "written", v->written);
	json_kstr(j, "user", v->user);
	json_key(j, "servers");
	json_arr(j);
	for (int s = 0; s < 2; s++) {
		json_obj(j);
		json_kstr(j, "configuration", v->side[s].label);
		json_kstr(j, "target", v->side[s].target);
		json_kstr(j, "error", v->side[s].start_error);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "checks");
	json_arr(j);
	for (size_t i = 0; i < v->nchecks; i++) {
		const struct check *k = &v->checks[i];
		json_obj(j);
		json_kstr(j, "share", k->share->name);
		json_kstr(j, "client", k->profile);
		json_kstr(j, "before", state_name(k->before.state));
		json_kstr(j, "before_detail", k->before.why);
		json_kstr(j, "after", state_name(k->after.state));
		json_kstr(j, "after_detail", k->after.why);
		json_kstr(j, "verdict", k->verdict);
		json_kbool(j, "blocks", k->blocks);
		json_kstr(j, "reason", k->reason != NULL ? k->reason : k->share->na);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "problems");
	json_arr(j);
	for (size_t i = 0; i < v->nproblems; i++)
		json_str(j, v->problems[i]);
	json_end_arr(j);
	json_key(j, "verdicts");
	json_arr(j);
	for (int s = 0; s < 2; s++) {
		char *target = v->side[s].target;
		json_verdicts(j, v->side[s].anon, v->side[s].nanon, target, "made-up");
		json_verdicts(j, v->side[s].user, v->side[s].nuser, target, "user");
	}
	json_end_arr(j);
	json_end_obj(j);
}

/* Writes bytes to a new file of this mode; 0 or -1 with *err. */
static int write_new(const char *path, const void *data, size_t len, mode_t mode, char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		*err = xasprintf("cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	const char *p = data;
	while (len > 0) {
		ssize_t k = write(fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			*err = xasprintf("cannot write %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		p += k;
		len -= (size_t)k;
	}
	if (close(fd) != 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The configuration switches smbd to something the throwaway server can't keep to itself. */
static const char *unsafe_to_start(const struct config *cfg)
{
	const struct section *g = config_global(cfg);
	const struct value *cf = g != NULL ? config_own(g, param_get("config file")) : NULL;
	if (cfg->registry_backend)
		return "it reads the registry (config backend = registry)";
	if (cf != NULL && cf->canon != NULL && cf->canon[0] != '\0')
		return "'config file =' makes smbd read another file, which would undo the throwaway server's "
		    "listening and state settings";
	for (size_t i = 0; i < cfg->nincludes; i++)
		if (cfg->includes[i].status == INC_REGISTRY)
			return "it includes the registry (include = registry)";
	return NULL;
}

/* Starts the server of one side; smbd reads the configuration with the include root as working folder. */
static int side_start(struct verify *v, int idx)
{
	struct side *s = &v->side[idx];
	char *global = xasprintf("\tinclude = %s\n"
	    "[global]\n"
	    "\tlog file = @DIR@/log.%%m\n"
	    "\tload printers = no\n"
	    "\tdisable spoolss = yes\n", s->conf);
	struct smbd_run_opts so = {.global = global, .system_passdb = true, .start_timeout_ms = SMBD_START_MS};
	int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *err = NULL;
	int rc = -1;

	if (chdir(v->o->include_root) != 0) {
		s->start_error = xasprintf("cannot enter %s: %s", v->o->include_root, strerror(errno));
	} else {
		rc = smbd_run_start(&so, &live_runs[idx], &err);
		if (rc == 0) {
			live_pids[idx] = live_runs[idx]->pid;
			s->run = live_runs[idx];
			s->started = true;
			s->target = xasprintf("127.0.0.1:%d", s->run->port);
		} else {
			s->start_error = err != NULL ? err : xstrdup("smbd did not start");
		}
	}
	if (cwd >= 0) {
		if (fchdir(cwd) != 0)
			rc = -1;
		close(cwd);
	}
	free(global);
	return rc;
}

/* Probes one side as the made-up user and, when credentials were given, as the user. */
static int side_probe(struct verify *v, int idx, char **err)
{
	struct side *s = &v->side[idx];
	size_t n = 0;
	for (size_t i = 0; i < v->nshares; i++)
		n += v->shares[i].na == NULL;
	if (n == 0)
		return 0;
	struct probe_share *anon = xcalloc(n, sizeof *anon), *user = xcalloc(n, sizeof *user);
	const char *who = bare_user(v->user);
	n = 0;
	for (size_t i = 0; i < v->nshares; i++) {
		const struct vshare *sh = &v->shares[i];
		if (sh->na != NULL)
			continue;
		/* The made-up user opens \\server\USER too, as Windows would for the home share. */
		anon[n].name = sh->is_homes && who != NULL ? who : sh->name;
		anon[n].is_homes = sh->is_homes && who == NULL;
		user[n].name = sh->name;
		user[n].is_homes = sh->is_homes;
		n++;
	}
	struct probe_opts po = {.host = "127.0.0.1", .port = s->run->port, .shares = anon, .nshares = n,
	    .profiles = v->profiles, .nprofiles = v->nprofiles, .timeout_ms = v->o->timeout_ms};
	int rc = probe_run(&po, &s->anon, &s->nanon, err);
	if (rc == 0 && v->user != NULL && !caught) {
		po.shares = user;
		po.user = v->user;
		po.password = v->o->password;
		po.domain = v->o->domain;
		rc = probe_run(&po, &s->user, &s->nuser, err);
	}
	free(anon);
	free(user);
	if (rc != 0) {
		char *e = xasprintf("probing the throwaway smbd with the %s configuration: %s", s->label, *err);
		free(*err);
		*err = e;
	}
	return rc;
}

static void build_checks(struct verify *v)
{
	v->checks = xcalloc(v->nshares * v->nprofiles + 1, sizeof *v->checks);
	size_t tested = 0;
	for (size_t i = 0; i < v->nshares; i++) {
		const struct vshare *sh = &v->shares[i];
		for (size_t p = 0; p < v->nprofiles; p++) {
			struct check *k = &v->checks[v->nchecks++];
			k->share = sh;
			k->profile = v->profiles[p];
			for (int s = 0; s < 2; s++) {
				struct cell *c = s == 0 ? &k->before : &k->after;
				const struct side *sd = &v->side[s];
				size_t at = tested * v->nprofiles + p;
				if (sh->na != NULL)
					cell_fill_na(c, sh->na);
				else if (!sd->started || at >= sd->nanon)
					cell_fill_down(c, sd);
				else
					classify(&sd->anon[at], at < sd->nuser ? &sd->user[at] : NULL, v->user, c);
			}
			judge(k, v->user != NULL);
		}
		tested += sh->na == NULL;
	}
}

static void verify_free(struct verify *v)
{
	for (int s = 0; s < 2; s++)
		side_free(&v->side[s]);
	for (size_t i = 0; i < v->nchecks; i++) {
		cell_free(&v->checks[i].before);
		cell_free(&v->checks[i].after);
		free(v->checks[i].reason);
	}
	free(v->checks);
	for (size_t i = 0; i < v->nproblems; i++)
		free(v->problems[i]);
	free(v->problems);
	shares_free(v->shares, v->nshares);
}

/* Lint of a freshly loaded config; NULL with a message when it can't be read. */
static struct lint *load_and_lint(const struct live_opts *o, struct config **cfg)
{
	char *err = NULL;
	*cfg = config_load(o->path, o->fix->copts, &err);
	if (*cfg == NULL) {
		fprintf(stderr, "smblint: %s\n", err != NULL ? err : o->path);
		free(err);
		return NULL;
	}
	struct lint *l = xcalloc(1, sizeof *l);
	l->cfg = *cfg;
	l->opts = o->lint;
	lint_run(l);
	return l;
}

static void lint_drop(struct lint *l, struct config *cfg)
{
	if (l != NULL) {
		lint_free(l);
		free(l);
	}
	config_free(cfg);
}

/* Edits that --fix in place would make to included files: they can't be verified here. */
static char *included_edits(const struct live_opts *o, const struct config *cfg, const struct lint *l)
{
	enum fix_verdict *verdict = xcalloc(l->n + 1, sizeof *verdict);
	struct edit *edits = NULL;
	size_t nedits = 0;
	char *which = NULL;

	fix_select(l->findings, l->n, o->fix->unsafe, o->fix->threshold, cfg->files[0]->path, verdict, &edits, &nedits);
	for (size_t i = 0; i < l->n && which == NULL; i++)
		if (verdict[i] == FV_ELSEWHERE)
			for (size_t k = 0; k < l->findings[i].nedits && which == NULL; k++)
				if (l->findings[i].edits[k].file != cfg->files[0])
					which = xstrdup(l->findings[i].edits[k].file->display);
	free(edits);
	free(verdict);
	return which;
}

/* Prints the report: the findings of l and the verification. */
static int print_report(const struct live_opts *o, struct lint *l, const struct report_extra *extra)
{
	struct lint *ls[1] = {l};
	struct report r = {.lints = ls, .nlints = l != NULL, .extras = extra, .nextras = 1,
	    .clients = o->clients, .samba = o->samba};
	if (out_write(o->format, &r, o->out) != 0) {
		fprintf(stderr, "smblint: error writing standard output: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* The final write: the same fix again, through fix_apply with the user's options; returns its status. */
static int write_verified(const struct live_opts *o, const unsigned char *orig, size_t orig_len,
    const unsigned char *fixed, size_t fixed_len, struct lint **shown, struct config **shown_cfg, bool *owned)
{
	struct config *cfg;
	struct lint *l = load_and_lint(o, &cfg);
	struct fix_result res = {0};

	*shown = NULL;
	*shown_cfg = NULL;
	*owned = false;
	if (l == NULL)
		return EXIT_TROUBLE;
	if (cfg->files[0]->len != orig_len || memcmp(cfg->files[0]->data, orig, orig_len) != 0) {
		fprintf(stderr, "smblint: %s changed during the verification; nothing written (run smblint again)\n",
		    cfg->files[0]->display);
		lint_drop(l, cfg);
		return EXIT_TROUBLE;
	}
	int rc = fix_apply(cfg, l, o->fix, &res);
	if (res.owned) {
		lint_drop(l, cfg);
		*shown = res.lint;
		*shown_cfg = res.cfg;
		*owned = true;
	} else {
		*shown = l;
		*shown_cfg = cfg;
		*owned = true;
	}
	if (rc == EXIT_TROUBLE)
		return rc;
	/* What was written must be what was verified. */
	const char *dest = o->fix->output != NULL ? o->fix->output : o->path;
	unsigned char *now;
	size_t nowlen;
	char *err = NULL;
	if (read_file(dest, fixed_len + 1, &now, &nowlen, &err) != 0) {
		fprintf(stderr, "smblint: cannot read back %s: %s\n", dest, err);
		free(err);
		return EXIT_TROUBLE;
	}
	if (nowlen != fixed_len || memcmp(now, fixed, fixed_len) != 0) {
		fprintf(stderr, "smblint: %s differs from the verified fix (was it changed meanwhile?)\n", dest);
		rc = EXIT_TROUBLE;
	}
	free(now);
	return rc;
}

int live_verify_fix(const struct live_opts *o)
{
	struct verify v = {.o = o, .user = o->user};
	struct config *cfg = NULL, *shown_cfg = NULL;
	struct lint *l = NULL, *shown = NULL;
	struct fix_result res = {0};
	unsigned char *fixed = NULL;
	size_t fixed_len = 0;
	char *err = NULL, *captured = NULL;
	size_t captured_len = 0;
	bool shown_owned = false;
	int status = EXIT_TROUBLE;
	const char *why;

	v.side[0].label = "original";
	v.side[1].label = "fixed";
	v.nprofiles = target_profiles(o->clients, v.profiles, 16);
	if (v.nprofiles == 0) {
		fprintf(stderr, "smblint: --verify-live: none of the targeted clients can be probed\n");
		return EXIT_TROUBLE;
	}
	if ((l = load_and_lint(o, &cfg)) == NULL)
		return EXIT_TROUBLE;
	if ((why = unsafe_to_start(cfg)) != NULL) {
		fprintf(stderr, "smblint: --verify-live: cannot run %s in a throwaway smbd: %s\n", o->path, why);
		goto out;
	}
	if (o->fix->output == NULL && (err = included_edits(o, cfg, l)) != NULL) {
		fprintf(stderr, "smblint: --verify-live: the fix also edits %s, which a throwaway server can't be "
		    "given separately; nothing written (run --fix without --verify-live, or use -o to fix only %s)\n",
		    err, cfg->files[0]->display);
		goto out;
	}

	handlers_install();
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/smblint-verify.XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL || chmod(dir, 0755) != 0) {
		fprintf(stderr, "smblint: --verify-live: cannot create %s: %s\n", dir, strerror(errno));
		free(dir);
		goto out;
	}
	live_tmp = realpath(dir, NULL);
	if (live_tmp == NULL) {
		util_remove_tree(dir);
		free(dir);
		goto out;
	}
	free(dir);

	/* The original bytes, as read, and the fix computed into the temporary folder. */
	struct stat st;
	mode_t mode = stat(o->path, &st) == 0 ? (st.st_mode & 0644) | 0600 : 0644;
	v.side[0].conf = xasprintf("%s/original.conf", live_tmp);
	v.side[1].conf = xasprintf("%s/fixed.conf", live_tmp);
	if (write_new(v.side[0].conf, cfg->files[0]->data, cfg->files[0]->len, mode, &err) != 0) {
		fprintf(stderr, "smblint: --verify-live: %s\n", err);
		goto out;
	}
	FILE *cap = open_memstream(&captured, &captured_len);
	struct fix_opts fo = *o->fix;
	fo.mode = FIXMODE_FIX;
	fo.output = v.side[1].conf;
	fo.quiet = true;
	fo.err = cap != NULL ? cap : stderr;
	int frc = fix_apply(cfg, l, &fo, &res);
	if (cap != NULL)
		fclose(cap);
	if (frc == EXIT_TROUBLE) {
		fputs(captured != NULL ? captured : "", stderr);
		goto out;
	}
	if (!res.changed) {
		/* Nothing to verify: --fix as usual (it writes nothing, or copies to -o). */
		handlers_remove();
		fix_result_free(&res);
		lint_drop(l, cfg);
		l = NULL;
		cfg = NULL;
		fprintf(stderr, "smblint: --verify-live: nothing to fix, so nothing to verify\n");
		if ((l = load_and_lint(o, &cfg)) == NULL)
			return EXIT_TROUBLE;
		status = fix_apply(cfg, l, o->fix, &res);
		if (res.owned) {
			lint_drop(l, cfg);
			l = res.lint;
			cfg = res.cfg;
			memset(&res, 0, sizeof res);
		}
		struct lint *ls[1] = {l};
		struct report r = {.lints = ls, .nlints = 1, .clients = o->clients, .samba = o->samba};
		bool to_stdout = o->fix->output != NULL && strcmp(o->fix->output, "-") == 0;
		if (!to_stdout && out_write(o->format, &r, o->out) != 0)
			status = EXIT_TROUBLE;
		goto out;
	}
	if (read_file(v.side[1].conf, (size_t)1 << 28, &fixed, &fixed_len, &err) != 0) {
		fprintf(stderr, "smblint: --verify-live: %s\n", err);
		goto out;
	}
	if ((why = unsafe_to_start(res.cfg)) != NULL) {
		fprintf(stderr, "smblint: --verify-live: cannot run the fixed configuration in a throwaway smbd: %s\n", why);
		goto out;
	}
	v.shares = collect_shares(cfg, res.cfg, o->samba, o->user, o->include_root, &v.nshares);

	/* Both servers, then both probes; a signal ends the servers and so every wait. */
	side_start(&v, 0);
	if (!caught)
		side_start(&v, 1);
	if (caught)
		goto out;
	if (v.side[0].run == NULL && v.side[1].run == NULL) {
		fprintf(stderr, "smblint: --verify-live: cannot start a throwaway smbd: %s\n", v.side[1].start_error);
		goto out;
	}
	for (int s = 0; s < 2 && !caught; s++) {
		if (v.side[s].run == NULL)
			continue;
		if (side_probe(&v, s, &err) != 0) {
			if (!caught)
				fprintf(stderr, "smblint: --verify-live: %s\n", err);
			goto out;
		}
	}
	if (caught)
		goto out;
	/* The servers and the temporary folder go before anything is written. */
	handlers_remove();
	v.side[0].run = v.side[1].run = NULL;

	if (!v.side[0].started)
		fprintf(stderr, "smblint: --verify-live: note: smbd does not start with the original configuration: %s\n",
		    v.side[0].start_error);
	if (!v.side[1].started)
		add_problem(&v, xasprintf("smbd does not start with the fixed configuration: %s", v.side[1].start_error));
	build_checks(&v);

	struct report_extra extra = {.key = "verify_live", .json = verify_json, .text = verify_text, .ctx = &v};
	if (nblocking(&v) > 0) {
		/* The text report lists the reasons; otherwise they go to standard error. */
		bool in_report = o->format == FMT_TEXT && !o->out->quiet;
		for (size_t i = 0; i < v.nproblems && !in_report; i++)
			fprintf(stderr, "smblint: --verify-live: %s\n", v.problems[i]);
		for (size_t i = 0; i < v.nchecks && v.side[1].started && !in_report; i++)
			if (v.checks[i].blocks)
				fprintf(stderr, "smblint: --verify-live: %s\n", v.checks[i].reason);
		print_report(o, l, &extra);
		fflush(stdout);
		fprintf(stderr, "smblint: --verify-live: the fix was not written (%zu problem%s%s)\n", nblocking(&v),
		    nblocking(&v) == 1 ? "" : "s", in_report ? ", listed above" : "");
		status = EXIT_TROUBLE;
		goto out;
	}
	status = write_verified(o, cfg->files[0]->data, cfg->files[0]->len, fixed, fixed_len, &shown, &shown_cfg,
	    &shown_owned);
	v.written = status != EXIT_TROUBLE;
	bool to_stdout = o->fix->output != NULL && strcmp(o->fix->output, "-") == 0;
	if (!to_stdout && print_report(o, shown != NULL ? shown : l, &extra) != 0)
		status = EXIT_TROUBLE;
out:
	handlers_remove();
	if (shown_owned)
		lint_drop(shown, shown_cfg);
	fix_result_free(&res);
	lint_drop(l, cfg);
	verify_free(&v);
	free(fixed);
	free(captured);
	free(err);
	return status;
}

/* ---- --fix --probe --reload ---------------------------------------------------- */

/* Runs argv with a deadline; 0 and *code (127: could not run it), or -1 when it timed out. */
static int run_bounded(char *const argv[], int timeout_ms, int *code, char **output)
{
	int p[2];
	*code = -1;
	*output = NULL;
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	struct sbuf b = {0};
	long long deadline = now_ms() + timeout_ms;
	bool timed_out = false;
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		struct pollfd pf = {.fd = p[0], .events = POLLIN};
		int r = poll(&pf, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		char buf[512];
		ssize_t k = read(p[0], buf, sizeof buf);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		if (b.len < 2048)
			sbuf_add(&b, buf, (size_t)k);
	}
	close(p[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	char *text = norm_blanks(sbuf_str(&b));
	sbuf_free(&b);
	*output = text;
	if (timed_out)
		return -1;
	*code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

static char *find_smbcontrol(void)
{
	const char *env = getenv("SMBCONTROL");
	if (env != NULL && *env)
		return xstrdup(env);
	const char *path = getenv("PATH");
	while (path != NULL && *path) {
		const char *colon = strchr(path, ':');
		size_t n = colon != NULL ? (size_t)(colon - path) : strlen(path);
		if (n > 0) {
			char *cand = xasprintf("%.*s/smbcontrol", (int)n, path);
			if (access(cand, X_OK) == 0)
				return cand;
			free(cand);
		}
		path = colon != NULL ? colon + 1 : NULL;
	}
	return xstrdup("/usr/bin/smbcontrol");
}

/* SIGHUP to the smbd whose pid is in the pid directory the configuration names. */
static int sighup_smbd(const struct config *cfg, samba_ver v, char **how, char **err)
{
	const char *dir = config_str(cfg, config_global(cfg), param_get("pid directory"), v);
	char *pidfile = xasprintf("%s/smbd.pid", dir != NULL && *dir ? dir : "/run/samba");
	unsigned char *data;
	size_t len;
	char *e = NULL;
	int rc = -1;

	if (read_file(pidfile, 64, &data, &len, &e) != 0) {
		*err = xasprintf("no pid file: %s", e);
		free(e);
		free(pidfile);
		return -1;
	}
	char *end;
	long pid = strtol((const char *)data, &end, 10);
	while (*end == '\n' || *end == ' ')
		end++;
	bool bad = pid <= 1 || *end != '\0';
	free(data);
	if (bad) {
		*err = xasprintf("%s does not hold a process id", pidfile);
		free(pidfile);
		return -1;
	}
	/* A stale pid file may name another program by now. */
	char *commf = xasprintf("/proc/%ld/comm", pid);
	unsigned char *comm = NULL;
	size_t clen = 0;
	if (read_file(commf, 64, &comm, &clen, &e) == 0 && strncmp((const char *)comm, "smbd", 4) != 0) {
		*err = xasprintf("process %ld of %s is not smbd (a stale pid file)", pid, pidfile);
	} else if (kill((pid_t)pid, SIGHUP) != 0) {
		*err = xasprintf("cannot signal smbd %ld (from %s): %s", pid, pidfile, strerror(errno));
	} else {
		*how = xasprintf("SIGHUP to smbd %ld (%s)", pid, pidfile);
		rc = 0;
	}
	free(e);
	free(comm);
	free(commf);
	free(pidfile);
	return rc;
}

/* Asks the smbd of this machine to reload its configuration. */
static int ask_reload(const char *conf, const struct config *cfg, samba_ver v, char **how, char **err)
{
	char *smbcontrol = find_smbcontrol();
	char *argv[] = {smbcontrol, "-s", (char *)conf, "smbd", "reload-config", NULL};
	char *output = NULL, *why = NULL, *e2 = NULL;
	int code;

	*how = *err = NULL;
	if (run_bounded(argv, SMBCONTROL_TIMEOUT_MS, &code, &output) != 0)
		why = xasprintf("%s did not finish within %d s", smbcontrol, SMBCONTROL_TIMEOUT_MS / 1000);
	else if (code == 127)
		why = xasprintf("cannot run %s (is Samba's smbcontrol installed?)", smbcontrol);
	else if (code != 0)
		why = xasprintf("%s -s %s smbd reload-config failed (status %d)%s%s", smbcontrol, conf, code,
		    output != NULL && *output ? ": " : "", output != NULL ? output : "");
	free(output);
	if (why == NULL) {
		*how = xasprintf("%s -s %s smbd reload-config", smbcontrol, conf);
		free(smbcontrol);
		return 0;
	}
	free(smbcontrol);
	fprintf(stderr, "smblint: --reload: %s; trying SIGHUP to the pid in smbd's pid file\n", why);
	if (sighup_smbd(cfg, v, how, &e2) == 0) {
		free(why);
		return 0;
	}
	*err = xasprintf("%s; %s", why, e2);
	free(why);
	free(e2);
	return -1;
}

struct reload {
	const char *target;
	const char *user;
	char *how;              /* how smbd was asked to reload, or NULL */
	char *error;            /* why it could not be, or NULL */
	bool nothing;           /* the fix changed nothing: no reload */
	struct probe_result *before, *after;
	size_t nbefore, nafter;
	bool waited_out;        /* no verdict changed within the wait */
};

static char *verdict_brief(const struct probe_result *p)
{
	if (!p->connected)
		return xasprintf("no (%s)", short_status(p->status_name));
	return xasprintf("%s%s%s%s", p->guest ? "guest" : "yes", p->dialect[0] ? " " : "", p->dialect,
	    p->encrypted ? " enc" : p->signed_ ? " signed" : "");
}

static bool same_verdict(const struct probe_result *a, const struct probe_result *b)
{
	return a->connected == b->connected && a->guest == b->guest && a->ntstatus == b->ntstatus &&
	    a->signed_ == b->signed_ && a->encrypted == b->encrypted && strcmp(a->dialect, b->dialect) == 0;
}

static bool same_verdicts(const struct probe_result *a, size_t na, const struct probe_result *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!same_verdict(&a[i], &b[i]))
			return false;
	return true;
}

static void reload_text(FILE *out, bool color, void *ctx)
{
	const struct reload *rl = ctx;
	(void)color;
	char *u = rl->user != NULL ? safe_dup(rl->user) : NULL;
	fprintf(out, "\nReload: probe of %s as %s%s, before and after the fix:\n", rl->target,
	    u != NULL ? u : "a made-up user", u != NULL ? "" : " (no credentials)");
	free(u);
	if (rl->nothing)
		fputs("  The fix changed nothing; smbd was not asked to reload.\n", out);
	else if (rl->how != NULL)
		fprintf(out, "  smbd reloaded its configuration (%s).\n", rl->how);
	else if (rl->error != NULL)
		fprintf(out, "  smbd was NOT reloaded: %s\n", rl->error);
	size_t n = rl->nbefore, ncol = 4, changed = 0;
	char **cells = xcalloc((n + 1) * ncol, sizeof *cells);
	const char *head[] = {"share", "client", "before", "after"};
	for (size_t c = 0; c < ncol; c++)
		cells[c] = xstrdup(head[c]);
	for (size_t i = 0; i < n; i++) {
		const struct probe_result *b = &rl->before[i], *a = i < rl->nafter ? &rl->after[i] : NULL;
		char **row = &cells[(i + 1) * ncol];
		row[0] = share_label(b->share);
		row[1] = xstrdup(b->profile);
		row[2] = verdict_brief(b);
		if (a == NULL) {
			row[3] = xstrdup("-");
		} else {
			char *ab = verdict_brief(a);
			bool same = same_verdict(a, b);
			changed += !same;
			row[3] = same ? xasprintf("%s (same)", ab) : xasprintf("%s (changed)", ab);
			free(ab);
		}
	}
	print_table(out, cells, n + 1, ncol);
	for (size_t i = 0; i < (n + 1) * ncol; i++)
		free(cells[i]);
	free(cells);
	if (rl->after != NULL)
		fprintf(out, "  %zu of %zu verdicts changed%s.\n", changed, n,
		    rl->waited_out ? " (none within the 5 s the reload was given)" : "");
	for (size_t i = 0; i < n && i < rl->nafter; i++) {
		const struct probe_result *b = &rl->before[i], *a = &rl->after[i];
		if (same_verdict(a, b) || a->connected || a->windows_error == NULL)
			continue;
		char *s = share_label(a->share), *w = safe_dup(a->windows_error);
		fprintf(out, "  %s %s now: %s\n", s, a->profile, w);
		free(s);
		free(w);
	}
}

static void reload_json(struct json *j, void *ctx)
{
	const struct reload *rl = ctx;
	json_obj(j);
	json_kstr(j, "target", rl->target);
	json_kstr(j, "user", rl->user);
	json_kbool(j, "reloaded", rl->how != NULL);
	json_kstr(j, "method", rl->how);
	json_kstr(j, "error", rl->nothing ? "the fix changed nothing" : rl->error);
	json_key(j, "before");
	json_arr(j);
	json_verdicts(j, rl->before, rl->nbefore, rl->target, rl->user != NULL ? "user" : "made-up");
	json_end_arr(j);
	json_key(j, "after");
	if (rl->after == NULL) {
		json_null(j);
	} else {
		json_arr(j);
		json_verdicts(j, rl->after, rl->nafter, rl->target, rl->user != NULL ? "user" : "made-up");
		json_end_arr(j);
	}
	json_end_obj(j);
}

int live_fix_reload(const struct live_opts *o)
{
	struct reload rl = {.user = o->user};
	struct config *cfg = NULL;
	struct lint *l = NULL;
	struct fix_result res = {0};
	const char *profiles[16];
	size_t nprofiles = target_profiles(o->clients, profiles, 16), nshares = 0;
	char *err = NULL, *target;
	int status = EXIT_TROUBLE;

	target = o->port ? xasprintf(strchr(o->host, ':') ? "[%s]:%d" : "%s:%d", o->host, o->port) : xstrdup(o->host);
	rl.target = target;
	if (nprofiles == 0) {
		fprintf(stderr, "smblint: --reload: none of the targeted clients can be probed\n");
		free(target);
		return EXIT_TROUBLE;
	}
	if ((l = load_and_lint(o, &cfg)) == NULL) {
		free(target);
		return EXIT_TROUBLE;
	}
	struct vshare *vs = collect_shares(cfg, NULL, o->samba, o->user, o->include_root, &nshares);
	struct probe_share *ps = xcalloc(nshares + 1, sizeof *ps);
	for (size_t i = 0; i < nshares; i++) {
		ps[i].name = vs[i].name;
		ps[i].is_homes = vs[i].is_homes;
	}
	struct probe_opts po = {.host = o->host, .port = o->port, .shares = ps, .nshares = nshares,
	    .user = o->user, .password = o->password, .domain = o->domain,
	    .profiles = profiles, .nprofiles = nprofiles, .timeout_ms = o->timeout_ms};

	if (probe_run(&po, &rl.before, &rl.nbefore, &err) != 0) {
		fprintf(stderr, "smblint: --reload: cannot probe the running server first: %s; nothing written\n", err);
		goto out;
	}
	status = fix_apply(cfg, l, o->fix, &res);
	if (status == EXIT_TROUBLE)
		goto out;
	struct lint *shown = res.owned ? res.lint : l;
	struct report_extra extra = {.key = "reload", .json = reload_json, .text = reload_text, .ctx = &rl};
	if (!res.changed) {
		rl.nothing = true;
	} else if (ask_reload(o->path, res.cfg, o->samba, &rl.how, &rl.error) != 0) {
		fprintf(stderr, "smblint: --reload: %s is fixed, but smbd could not be asked to reload it: %s\n",
		    o->path, rl.error);
		status = EXIT_TROUBLE;
	} else {
		/* The reload is asynchronous: poll until the verdicts move, for a bounded time. */
		long long deadline = now_ms() + RELOAD_WAIT_MS;
		sleep_ms(300);
		for (;;) {
			free(err);
			err = NULL;
			probe_results_free(rl.after, rl.nafter);
			rl.after = NULL;
			rl.nafter = 0;
			int rc = probe_run(&po, &rl.after, &rl.nafter, &err);
			bool moved = rc == 0 && !same_verdicts(rl.before, rl.nbefore, rl.after, rl.nafter);
			if (moved || now_ms() >= deadline || caught) {
				if (rc != 0) {
					fprintf(stderr, "smblint: --reload: %s is fixed and smbd reloaded, but the probe "
					    "after the reload failed: %s\n", o->path, err);
					status = EXIT_TROUBLE;
				}
				rl.waited_out = rc == 0 && !moved;
				break;
			}
			long long left = deadline - now_ms();
			sleep_ms(left < 700 ? left : 700);
		}
	}
	if (print_report(o, shown, &extra) != 0)
		status = EXIT_TROUBLE;
out:
	probe_results_free(rl.before, rl.nbefore);
	probe_results_free(rl.after, rl.nafter);
	free(rl.how);
	free(rl.error);
	free(ps);
	shares_free(vs, nshares);
	fix_result_free(&res);
	lint_drop(l, cfg);
	free(err);
	free(target);
	return status;
}
