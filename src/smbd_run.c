/* smbd_run.c - a throwaway smbd on a loopback port, with its own folders, for tests and --verify-live. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "smbd_run.h"
#include "util.h"

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}


static char *find_smbd(const struct smbd_run_opts *o)
{
	if (o->smbd && *o->smbd)
		return xstrdup(o->smbd);
	const char *env = getenv("SMBD");
	if (env && *env)
		return xstrdup(env);
	const char *path = getenv("PATH");
	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		if (n) {
			char *cand = xasprintf("%.*s/smbd", (int)n, path);
			if (access(cand, X_OK) == 0)
				return cand;
			free(cand);
		}
		path = colon ? colon + 1 : NULL;
	}
	return xstrdup("/usr/sbin/smbd");
}

/* A loopback port that nobody listens on right now (bind to 0, ask, close). */
static int free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int port = -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* True when something accepts TCP connections on 127.0.0.1:port. */
static bool port_open(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	bool ok = false;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
		ok = true;
	} else if (errno == EINPROGRESS) {
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int soerr = 1;
		socklen_t len = sizeof soerr;
		if (poll(&p, 1, 200) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0)
			ok = soerr == 0;
	}
	close(fd);
	return ok;
}

/* Replaces every @DIR@ in s by dir. */
static void add_expanded(struct sbuf *b, const char *s, const char *dir)
{
	const char *at;
	while ((at = strstr(s, "@DIR@")) != NULL) {
		sbuf_add(b, s, (size_t)(at - s));
		sbuf_adds(b, dir);
		s = at + 5;
	}
	sbuf_adds(b, s);
	if (b->len && b->s[b->len - 1] != '\n')
		sbuf_addc(b, '\n');
}

static char *conf_text(const struct smbd_run_opts *o, const char *dir, int port)
{
	struct sbuf b = {0};
	sbuf_adds(&b, "# Written by smblint for a throwaway smbd; removed when it stops.\n"
	    "[global]\n"
	    "\tserver role = standalone server\n"
	    "\tload printers = no\n"
	    "\tprintcap name = /dev/null\n"
	    "\tdisable spoolss = yes\n");
	if (o->global)
		add_expanded(&b, o->global, dir);
	if (o->shares)
		add_expanded(&b, o->shares, dir);
	/* Last, so that these win over anything above (later values win). */
	sbuf_addf(&b, "\n[global]\n"
	    "\tinterfaces = lo\n"
	    "\tbind interfaces only = yes\n"
	    "\tdisable netbios = yes\n"
	    "\tsmb ports = %d\n"
	    "\tpid directory = %s/pid\n"
	    "\tlock directory = %s/lock\n"
	    "\tstate directory = %s/state\n"
	    "\tcache directory = %s/cache\n"
	    "\tncalrpc dir = %s/ncalrpc\n"
	    /*
	     * smbd would otherwise start samba-dcerpcd on demand, which
	     * daemonizes out of smbd's process group and outlives it.
	     */
	    "\trpc start on demand helpers = no\n",
	    port, dir, dir, dir, dir, dir);
	if (!o->system_passdb)
		sbuf_addf(&b, "\tprivate dir = %s/private\n"
		    "\tpassdb backend = tdbsam:%s/private/passdb.tdb\n", dir, dir);
	return sbuf_take(&b);
}

static int write_text(const char *path, const char *text, char **err)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	bool ok = fputs(text, f) != EOF;
	if (fclose(f) != 0 || !ok) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int make_dirs(const struct smbd_run_opts *o, const char *dir, char **err)
{
	static const char *const fixed[] = {"private", "lock", "state", "cache", "pid", "ncalrpc"};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		char *p = xasprintf("%s/%s", dir, fixed[i]);
		int rc = mkdir(p, strcmp(fixed[i], "private") == 0 ? 0700 : 0755);
		if (rc != 0)
			*err = xasprintf("cannot create %s: %s", p, strerror(errno));
		free(p);
		if (rc != 0)
			return -1;
	}
	for (size_t i = 0; o->mkdirs && o->mkdirs[i]; i++) {
		char *p = xasprintf("%s/%s", dir, o->mkdirs[i]);
		int rc = mkdir(p, 0777) == 0 && chmod(p, 0777) == 0 ? 0 : -1;
		if (rc != 0)
			*err = xasprintf("cannot create %s: %s", p, strerror(errno));
		free(p);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* The last few lines of smbd's log, for an error message. */
static char *log_tail(const char *path)
{
	unsigned char *data;
	size_t len;
	char *err;
	if (read_file(path, 1 << 20, &data, &len, &err) != 0) {
		free(err);
		return xstrdup("");
	}
	size_t start = len, lines = 0;
	while (start > 0 && lines < 4) {
		start--;
		if (data[start] == '\n' && start + 1 < len)
			lines++;
	}
	struct sbuf b = {0};
	for (size_t i = start; i < len; i++) {
		if (data[i] == '\n') {
			if (b.len && i + 1 < len)
				sbuf_adds(&b, " | ");
		} else if (data[i] != '\r') {
			sbuf_addc(&b, (char)data[i]);
		}
	}
	free(data);
	return sbuf_take(&b);
}

static pid_t spawn_smbd(const char *smbd, const char *conf, const char *log, int *stdin_fd, char **err)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0) {
		*err = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	int logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (logfd < 0) {
		*err = xasprintf("cannot create %s: %s", log, strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		/* smbd -F calls setsid() itself, so it leads its own process group. */
		dup2(p[0], 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		execl(smbd, smbd, "-F", "--debug-stdout", "-s", conf, (char *)NULL);
		dprintf(2, "cannot run %s: %s\n", smbd, strerror(errno));
		_exit(127);
	}
	close(p[0]);
	close(logfd);
	if (pid < 0) {
		*err = xasprintf("fork: %s", strerror(errno));
		close(p[1]);
		return -1;
	}
	*stdin_fd = p[1];
	return pid;
}

/* True once pid has exited; it stays a zombie (not reaped), so its process group id stays ours. */
static bool exited(pid_t pid, bool block)
{
	siginfo_t info;
	for (;;) {
		memset(&info, 0, sizeof info);
		int rc = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT | (block ? 0 : WNOHANG));
		if (rc < 0 && errno == EINTR)
			continue;
		return rc < 0 || info.si_pid == pid;
	}
}

/*
 * Ends smbd: 0 when it went by itself, 1 when it had to be killed.  Its
 * helpers die with it: they are in its process group (smbd made itself a
 * session leader), killed while the unreaped smbd still holds that id.
 */
static int end_smbd(pid_t pid, int stdin_fd)
{
	int killed = 0;
	if (stdin_fd >= 0)
		close(stdin_fd);
	kill(pid, SIGTERM);
	long long deadline = now_ms() + 5000;
	while (!exited(pid, false)) {
		if (now_ms() >= deadline) {
			kill(pid, SIGKILL);
			exited(pid, true);
			killed = 1;
			break;
		}
		sleep_ms(20);
	}
	kill(-pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return killed;
}

/* One try at one port: 0 running, -1 failed (err set), 1 the port was taken. */
static int try_start(const struct smbd_run_opts *o, struct smbd_run *r, const char *smbd, char **err)
{
	char *text = conf_text(o, r->dir, r->port);
	int rc = write_text(r->conf, text, err);
	free(text);
	if (rc != 0)
		return -1;
	if (port_open(r->port)) {
		*err = xasprintf("port %d is already in use", r->port);
		return 1;
	}
	r->pid = spawn_smbd(smbd, r->conf, r->log, &r->stdin_fd, err);
	if (r->pid < 0)
		return -1;
	long long deadline = now_ms() + (o->start_timeout_ms > 0 ? o->start_timeout_ms : 10000);
	for (;;) {
		int status = 0;
		if (exited(r->pid, false)) {
			kill(-r->pid, SIGKILL);
			while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
				;
			char *tail = log_tail(r->log);
			*err = xasprintf("smbd exited (%s %d) before listening on port %d%s%s", WIFEXITED(status) ?
			    "status" : "signal", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			    r->port, *tail ? ": " : "", tail);
			bool taken = strstr(tail, "Address already in use") != NULL;
			free(tail);
			close(r->stdin_fd);
			r->stdin_fd = -1;
			r->pid = -1;
			return taken ? 1 : -1;
		}
		if (port_open(r->port))
			return 0;
		if (now_ms() >= deadline) {
			end_smbd(r->pid, r->stdin_fd);
			r->stdin_fd = -1;
			r->pid = -1;
			char *tail = log_tail(r->log);
			*err = xasprintf("smbd did not listen on port %d within %d ms%s%s", r->port,
			    o->start_timeout_ms > 0 ? o->start_timeout_ms : 10000, *tail ? ": " : "", tail);
			free(tail);
			return -1;
		}
		sleep_ms(50);
	}
}

static void run_free(struct smbd_run *r)
{
	if (r->dir)
		util_remove_tree(r->dir);
	free(r->dir);
	free(r->conf);
	free(r->log);
	free(r);
}

int smbd_run_start(const struct smbd_run_opts *o, struct smbd_run **out, char **err)
{
	static const struct smbd_run_opts none;
	struct smbd_run *r = xcalloc(1, sizeof *r);
	const char *tmp = getenv("TMPDIR");
	char *smbd;
	int rc = -1;

	*out = NULL;
	*err = NULL;
	if (o == NULL)
		o = &none;
	r->pid = -1;
	r->stdin_fd = -1;
	smbd = find_smbd(o);
	if (access(smbd, X_OK) != 0) {
		*err = xasprintf("cannot run %s: %s (Debian: apt-get install samba)", smbd, strerror(errno));
		goto fail;
	}
	r->dir = xasprintf("%s/smblint-smbd.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(r->dir) == NULL) {
		*err = xasprintf("cannot create %s: %s", r->dir, strerror(errno));
		free(r->dir);
		r->dir = NULL;
		goto fail;
	}
	/* Every user smbd serves must be able to walk through it. */
	if (chmod(r->dir, 0755) != 0 || make_dirs(o, r->dir, err) != 0) {
		if (*err == NULL)
			*err = xasprintf("cannot chmod %s: %s", r->dir, strerror(errno));
		goto fail;
	}
	r->conf = xasprintf("%s/smb.conf", r->dir);
	r->log = xasprintf("%s/smbd.log", r->dir);
	for (int tries = 0; tries < 5; tries++) {
		r->port = o->port > 0 ? o->port : free_port();
		if (r->port <= 0) {
			*err = xasprintf("cannot find a free loopback port: %s", strerror(errno));
			break;
		}
		free(*err);
		*err = NULL;
		rc = try_start(o, r, smbd, err);
		if (rc != 1 || o->port > 0)
			break;
	}
	if (rc == 0) {
		free(smbd);
		*out = r;
		return 0;
	}
fail:
	free(smbd);
	run_free(r);
	return -1;
}

int smbd_run_stop(struct smbd_run *r)
{
	int rc = 0;
	if (r == NULL)
		return 0;
	if (r->pid > 0)
		rc = end_smbd(r->pid, r->stdin_fd) ? -1 : 0;
	run_free(r);
	return rc;
}

/* Runs argv with input on its standard input; 0 when it exits 0, else -1 with *err. */
static int run_cmd(char *const argv[], const char *input, char **err)
{
	int in[2], outp[2];
	if (pipe2(in, O_CLOEXEC) != 0)
		goto sys;
	if (pipe2(outp, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		goto sys;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(outp[1], 1);
		dup2(outp[1], 2);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	if (pid < 0) {
		close(in[1]);
		close(outp[0]);
		goto sys;
	}
	/*
	 * The inputs are a few bytes: they fit in the pipe, no deadlock.  A
	 * command that exited early must not kill us with SIGPIPE; its status
	 * tells what happened.
	 */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigaction(SIGPIPE, &ign, &old);
	if (input && write(in[1], input, strlen(input)) < 0) {
		/* reported through the exit status below */
	}
	close(in[1]);
	sigaction(SIGPIPE, &old, NULL);
	struct sbuf b = {0};
	char buf[512];
	ssize_t k;
	while ((k = read(outp[0], buf, sizeof buf)) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (b.len < 4096)
			sbuf_add(&b, buf, (size_t)k);
	}
	close(outp[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		sbuf_free(&b);
		return 0;
	}
	char *text = norm_blanks(sbuf_str(&b));
	*err = xasprintf("%s failed%s%s", argv[0], *text ? ": " : "", text);
	free(text);
	sbuf_free(&b);
	return -1;
sys:
	*err = xasprintf("cannot run %s: %s", argv[0], strerror(errno));
	return -1;
}

int smbd_run_add_user(const struct smbd_run *r, const char *user, const char *password, char **err)
{
	*err = NULL;
	if (user == NULL || *user == '\0' || strpbrk(user, ":\n") != NULL) {
		*err = xstrdup("bad user name");
		return -1;
	}
	if (getpwnam(user) == NULL) {
		char *ua[] = {"useradd", "-M", "-s", "/usr/sbin/nologin", (char *)user, NULL};
		if (run_cmd(ua, NULL, err) != 0)
			return -1;
	}
	char *input = xasprintf("%s\n%s\n", password ? password : "", password ? password : "");
	char *sa[] = {"smbpasswd", "-c", r->conf, "-s", "-a", (char *)user, NULL};
	int rc = run_cmd(sa, input, err);
	free(input);
	return rc;
}
