/*
 * probe-driver.c - test driver for src/probe.c and src/smbd_run.c.
 *
 *   probe-driver --probe=HOST:PORT [--client=LIST] [--format=json] [-U USER[%PASS]]
 *                [--probe-auth=AUTHFILE] [-W DOMAIN] [--probe-timeout=SEC] CONF
 *       Probes the shares named by CONF's section headers and prints what
 *       `smblint --probe ... --format=json` prints: {"findings": [], "probe": [...]}.
 *       Exits 0, or 2 with "probe-driver: REASON" on stderr.
 *   probe-driver serve --info=FILE [--global=FILE] [--shares=FILE] [--mkdir=DIR]...
 *                [--user=NAME%PASS]... [--system-passdb]
 *       Starts a throwaway smbd with smbd_run, adds the users, writes
 *       "PORT PID DIR CONF" to FILE, and stops it all on SIGTERM/SIGINT/SIGHUP.
 *   probe-driver hang --info=FILE [--negotiate]
 *       Listens on a free loopback port, accepts connections and never
 *       answers (with --negotiate: answers an SMB2 NEGOTIATE with SMB 2.0.2,
 *       then nothing more); writes "PORT PID" to FILE; exits on
 *       SIGTERM/SIGINT/SIGHUP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe.h"
#include "smbd_run.h"
#include "util.h"

static void die(const char *msg)
{
	fprintf(stderr, "probe-driver: %s\n", msg);
	exit(2);
}

static char *slurp(const char *path)
{
	unsigned char *data;
	size_t len;
	char *err;
	if (read_file(path, 1 << 20, &data, &len, &err) != 0)
		die(err);
	return (char *)data;
}

static void json_str(const char *s)
{
	if (s == NULL) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* Share sections of a config: names, homes, printable (a rough scan, for tests). */
static size_t scan_shares(char *text, struct probe_share **out)
{
	size_t n = 0;
	struct probe_share *sh = NULL;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		while (is_blank((unsigned char)*line))
			line++;
		if (*line == '[') {
			char *end = strchr(line, ']');
			if (end == NULL)
				continue;
			*end = '\0';
			if (fold_eq(line + 1, "global") || fold_eq(line + 1, "globals"))
				continue;
			sh = xrealloc(sh, (n + 1) * sizeof *sh);
			sh[n].name = xstrdup(line + 1);
			sh[n].is_homes = fold_eq(line + 1, "homes");
			sh[n].printable = false;
			n++;
		} else if (n && strchr(line, '=')) {
			char *eq = strchr(line, '=');
			*eq = '\0';
			char *v = eq + 1;
			while (is_blank((unsigned char)*v))
				v++;
			if ((fold_eq(line, "printable") || fold_eq(line, "print ok")) &&
			    (fold_eq(v, "yes") || fold_eq(v, "true") || fold_eq(v, "1")))
				sh[n - 1].printable = true;
		}
	}
	*out = sh;
	return n;
}

static int cmd_probe(int argc, char **argv)
{
	const char *hostport = NULL, *clients = NULL, *conf = NULL, *authfile = NULL, *domain = NULL;
	char *user = NULL, *pass = NULL, *adom = NULL;
	int timeout = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		/* The same spellings as smblint's, so run.sh can switch between them. */
		if (strncmp(a, "--probe=", 8) == 0)
			hostport = a + 8;
		else if (strcmp(a, "--probe") == 0)
			hostport = "127.0.0.1";
		else if (strncmp(a, "--client=", 9) == 0 || strncmp(a, "--clients=", 10) == 0)
			clients = strchr(a, '=') + 1;
		else if (strcmp(a, "--format=json") == 0)
			;
		else if (strncmp(a, "--probe-timeout=", 16) == 0)
			timeout = (int)(atof(a + 16) * 1000);
		else if (strncmp(a, "--probe-auth=", 13) == 0)
			authfile = a + 13;
		else if ((strcmp(a, "-U") == 0 && i + 1 < argc) || strncmp(a, "--user=", 7) == 0) {
			char *u = xstrdup(a[1] == 'U' ? argv[++i] : a + 7), *pct = strchr(u, '%');
			if (pct) {
				*pct = '\0';
				pass = xstrdup(pct + 1);
			}
			user = u;
		} else if (strcmp(a, "-A") == 0 && i + 1 < argc)
			authfile = argv[++i];
		else if (strcmp(a, "-W") == 0 && i + 1 < argc)
			domain = argv[++i];
		else if (a[0] == '-')
			die("unknown option");
		else
			conf = a;
	}
	if (hostport == NULL || conf == NULL)
		die("usage: probe-driver --probe=HOST:PORT [--client=LIST] [-U USER%PASS] [--probe-auth=FILE] CONF");
	if (authfile) {
		char *err;
		free(user);
		free(pass);
		if (probe_parse_auth_file(authfile, &user, &pass, &adom, &err) != 0)
			die(err);
		if (domain == NULL)
			domain = adom;
	}

	char *host;
	int port = 445;
	const char *colon = strrchr(hostport, ':');
	if (hostport[0] == '[') {
		const char *rb = strchr(hostport, ']');
		if (rb == NULL)
			die("bad --probe address");
		host = xstrndup(hostport + 1, (size_t)(rb - hostport - 1));
		if (rb[1] == ':')
			port = atoi(rb + 2);
	} else if (colon) {
		host = xstrndup(hostport, (size_t)(colon - hostport));
		port = atoi(colon + 1);
	} else {
		host = xstrdup(hostport);
	}

	const char **profs = NULL;
	size_t nprofs = 0;
	char *clist = clients ? xstrdup(clients) : NULL;
	for (char *t = clist ? strtok(clist, ",") : NULL; t; t = strtok(NULL, ",")) {
		profs = xrealloc(profs, (nprofs + 1) * sizeof *profs);
		profs[nprofs++] = t;
	}

	char *text = slurp(conf);
	struct probe_share *shares;
	size_t nshares = scan_shares(text, &shares);
	struct probe_opts o = {
		.host = host, .port = port, .shares = shares, .nshares = nshares,
		.user = user, .password = pass, .domain = domain,
		.profiles = profs, .nprofiles = nprofs, .timeout_ms = timeout,
	};
	struct probe_result *res;
	size_t nres;
	char *err;
	int rc = probe_run(&o, &res, &nres, &err);
	if (rc != 0) {
		fprintf(stderr, "probe-driver: %s\n", err);
		free(err);
	} else {
		printf("{\"findings\": [], \"probe\": [");
		for (size_t i = 0; i < nres; i++) {
			const struct probe_result *r = &res[i];
			printf("%s\n  {\"share\": ", i ? "," : "");
			json_str(r->share);
			printf(", \"client\": ");
			json_str(r->profile);
			printf(", \"connected\": %s, \"dialect\": ", r->connected ? "true" : "false");
			json_str(r->dialect);
			printf(", \"guest\": %s, \"signed\": %s, \"encrypted\": %s, \"status\": ",
			    r->guest ? "true" : "false", r->signed_ ? "true" : "false", r->encrypted ? "true" : "false");
			json_str(r->status_name);
			printf(", \"ntstatus\": \"0x%08X\", \"windows_error\": ", r->ntstatus);
			json_str(r->windows_error);
			printf(", \"note\": ");
			json_str(r->note);
			putchar('}');
		}
		printf("\n]}\n");
		probe_results_free(res, nres);
	}
	for (size_t i = 0; i < nshares; i++)
		free((char *)shares[i].name);
	free(shares);
	free(text);
	free(profs);
	free(clist);
	free(host);
	free(user);
	free(pass);
	free(adom);
	return rc == 0 ? 0 : 2;
}

static void write_info(const char *path, const char *line)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (f == NULL)
		die("cannot write the info file");
	bool ok = fputs(line, f) != EOF;
	if (fclose(f) != 0 || !ok || rename(tmp, path) != 0)
		die("cannot write the info file");
	free(tmp);
}

static void wait_for_signal(void)
{
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigwait(&set, &sig);
}

static void block_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static int cmd_serve(int argc, char **argv)
{
	const char *info = NULL;
	char *global = NULL, *shares = NULL;
	const char **dirs = xcalloc(argc, sizeof *dirs);
	const char **users = xcalloc(argc, sizeof *users);
	size_t ndirs = 0, nusers = 0;
	struct smbd_run_opts o = {0};

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--info=", 7) == 0)
			info = a + 7;
		else if (strncmp(a, "--global=", 9) == 0)
			global = slurp(a + 9);
		else if (strncmp(a, "--shares=", 9) == 0)
			shares = slurp(a + 9);
		else if (strncmp(a, "--mkdir=", 8) == 0)
			dirs[ndirs++] = a + 8;
		else if (strncmp(a, "--user=", 7) == 0)
			users[nusers++] = a + 7;
		else if (strcmp(a, "--system-passdb") == 0)
			o.system_passdb = true;
		else
			die("unknown serve option");
	}
	if (info == NULL)
		die("serve needs --info=FILE");
	/* Signals wait for sigwait, so a TERM during start-up is not lost. */
	block_signals();
	o.global = global;
	o.shares = shares;
	o.mkdirs = dirs;
	struct smbd_run *r;
	char *err;
	if (smbd_run_start(&o, &r, &err) != 0)
		die(err);
	for (size_t i = 0; i < nusers; i++) {
		char *u = xstrdup(users[i]), *pct = strchr(u, '%');
		if (pct)
			*pct++ = '\0';
		if (smbd_run_add_user(r, u, pct ? pct : "", &err) != 0) {
			fprintf(stderr, "probe-driver: %s\n", err);
			smbd_run_stop(r);
			exit(2);
		}
		free(u);
	}
	char *line = xasprintf("%d %d %s %s\n", r->port, (int)r->pid, r->dir, r->conf);
	write_info(info, line);
	free(line);
	wait_for_signal();
	int rc = smbd_run_stop(r);
	free(global);
	free(shares);
	free(dirs);
	free(users);
	return rc == 0 ? 0 : 1;
}

/* Answers one SMB2 NEGOTIATE with a bare SMB 2.0.2 response. */
static void answer_negotiate(int c)
{
	unsigned char req[4096], resp[4 + 64 + 65];
	struct pollfd p = {.fd = c, .events = POLLIN};
	ssize_t n;

	if (poll(&p, 1, 2000) != 1 || (n = recv(c, req, sizeof req, 0)) < 4 + 64 || memcmp(req + 4, "\xfeSMB", 4) != 0)
		return;
	memset(resp, 0, sizeof resp);
	resp[3] = 64 + 65;
	unsigned char *h = resp + 4, *b = h + 64;
	memcpy(h, "\xfeSMB", 4);
	h[4] = 64;			/* StructureSize */
	h[14] = 1;			/* CreditResponse */
	h[16] = 1;			/* Flags: response */
	memcpy(h + 24, req + 4 + 24, 8);	/* MessageId */
	b[0] = 65;			/* StructureSize */
	b[2] = 1;			/* SecurityMode: signing enabled */
	b[4] = 0x02;			/* DialectRevision 0x0202 */
	b[5] = 0x02;
	memset(b + 8, 0x5a, 16);	/* ServerGuid */
	for (int i = 28; i < 40; i += 4)
		b[i + 2] = 1;		/* Max transact/read/write: 65536 */
	b[56] = 128;			/* SecurityBufferOffset, length 0 */
	if (send(c, resp, sizeof resp, MSG_NOSIGNAL) < 0)
		return;
}

static int cmd_hang(int argc, char **argv)
{
	const char *info = NULL;
	bool negotiate = false;
	for (int i = 2; i < argc; i++) {
		if (strncmp(argv[i], "--info=", 7) == 0)
			info = argv[i] + 7;
		else if (strcmp(argv[i], "--negotiate") == 0)
			negotiate = true;
	}
	if (info == NULL)
		die("hang needs --info=FILE");
	block_signals();
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		die("cannot listen");
	char *line = xasprintf("%d %d\n", ntohs(a.sin_port), (int)getpid());
	write_info(info, line);
	free(line);
	/* Accept and hold connections, never answer (more); stop on a signal. */
	int held[64], nheld = 0;
	sigset_t pending;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 100) == 1) {
			int c = accept(fd, NULL, NULL);
			if (c >= 0 && negotiate)
				answer_negotiate(c);
			if (c >= 0 && nheld < 64)
				held[nheld++] = c;
			else if (c >= 0)
				close(c);
		}
		sigpending(&pending);
		if (sigismember(&pending, SIGTERM) || sigismember(&pending, SIGINT) || sigismember(&pending, SIGHUP))
			break;
	}
	for (int i = 0; i < nheld; i++)
		close(held[i]);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "serve") == 0)
		return cmd_serve(argc, argv);
	if (argc > 1 && strcmp(argv[1], "hang") == 0)
		return cmd_hang(argc, argv);
	return cmd_probe(argc, argv);
}
