/* smbd_run.h - start and stop a throwaway smbd on loopback, for tests and live verification. */
#ifndef SMBLINT_SMBD_RUN_H
#define SMBLINT_SMBD_RUN_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * The server runs as `smbd -F --debug-stdout -s CONF` with everything in a
 * fresh temporary folder (mode 0755, or no user could reach the shares):
 * private, lock, state, cache, pid and ncalrpc folders, the generated
 * smb.conf, and smbd's output in smbd.log.  It listens on 127.0.0.1 only, on a
 * high port, with NetBIOS off, so it never touches a real server's sockets,
 * files or users.  Its standard input is a pipe kept open for its lifetime,
 * because `smbd -F` exits when its standard input reaches end of file.
 */
struct smbd_run_opts {
	/*
	 * Extra lines for [global] (may be NULL), then the share sections (may
	 * be NULL).  Both may say @DIR@, which is replaced by the temporary
	 * folder.  The listening and state settings are written again in a
	 * final [global] block, so neither text can make this smbd listen
	 * elsewhere or use the system's state folders.
	 */
	const char *global;
	const char *shares;
	/* Folders to create inside the temporary folder (mode 0777), NULL-terminated; may be NULL. */
	const char *const *mkdirs;
	/*
	 * false: a new, empty tdbsam passdb in the temporary folder (add users
	 * with smbd_run_add_user).  true: the system's passdb, private folder
	 * and secrets, as `smbd` without options would use them, so that the
	 * real accounts work (for --verify-live).
	 */
	bool system_passdb;
	/* 0: pick a free loopback port. */
	int port;
	/* How long to wait for the port to accept connections; 0 means 10000. */
	int start_timeout_ms;
	/* The smbd binary; NULL: $SMBD, else "smbd" in PATH, else /usr/sbin/smbd. */
	const char *smbd;
};

struct smbd_run {
	pid_t pid;		/* smbd's process id (also its process group) */
	int port;
	char *dir;		/* the temporary folder */
	char *conf;		/* the generated smb.conf inside it */
	char *log;		/* smbd's standard output and error */
	int stdin_fd;		/* write end of smbd's standard input */
};

/*
 * Starts smbd and waits until the port accepts TCP connections.  Returns 0
 * and sets *out (stop it with smbd_run_stop), or -1 and sets *err to a
 * one-line reason, including the last lines of smbd's log when it died; in
 * that case nothing is left running or on disk.
 */
int smbd_run_start(const struct smbd_run_opts *o, struct smbd_run **out, char **err);

/*
 * Stops smbd (end of standard input and SIGTERM, then SIGKILL after 5 s),
 * kills what is left of its process group, removes the temporary folder
 * and frees r.  Returns 0, or -1 when smbd had to be killed.  r may be NULL.
 */
int smbd_run_stop(struct smbd_run *r);

/*
 * Adds a Samba user to the passdb this smbd uses: creates the Unix account
 * first when it is missing (useradd -M), then runs `smbpasswd -c CONF -s -a`.
 * With system_passdb this changes the system's passdb.  Returns 0, or -1 and
 * sets *err.
 */
int smbd_run_add_user(const struct smbd_run *r, const char *user, const char *password, char **err);

#endif
