/* probe.h - connect to a live smbd as each Windows client profile would, and report who gets in. */
#ifndef SMBLINT_PROBE_H
#define SMBLINT_PROBE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * This is the only module of smblint that talks to a server.  It knows
 * nothing of the configuration module: the caller hands it plain data (host,
 * share names, credentials, client profiles) and gets plain data back.
 *
 * libsmbclient is not linked into smblint.  probe_run() loads
 * "libsmbclient.so.0" with dlopen() the first time it needs it, and every
 * connection attempt runs in a forked child process with its output sent to
 * /dev/null, so nothing libsmbclient prints reaches the caller's terminal, a
 * wedged attempt can be killed at its deadline, and whatever libsmbclient
 * leaks dies with the child.
 */

/* One share to try.  name is the share name as a client types it. */
struct probe_share {
	const char *name;
	/*
	 * The [homes] section: a user reaches it under their own name, so with
	 * credentials the probe connects to \\host\USER; without credentials it
	 * tries the literal name "homes".  The result keeps the name given here.
	 */
	bool is_homes;
	/*
	 * A printer share: reached when the tree connect succeeds, since a print
	 * queue can't be opened as a folder.  Any other share is reached only
	 * when its folder opens too.
	 */
	bool printable;
};

struct probe_opts {
	const char *host;	/* name or address; an IPv6 literal without brackets */
	int port;		/* 0 means 445 */
	const struct probe_share *shares;
	size_t nshares;
	/*
	 * Credentials.  user NULL or "" means "none given": the probe then logs
	 * on as a made-up user with a random password, which is what a Windows
	 * machine does with its local account, and learns whether the server
	 * hands such a user a guest session.  A user written DOMAIN\name or
	 * DOMAIN/name is split when domain is NULL.
	 */
	const char *user, *password, *domain;
	/*
	 * Client profile names (see probe_profile_names()); NULL or nprofiles 0
	 * means every profile.
	 */
	const char *const *profiles;
	size_t nprofiles;
	/*
	 * Deadline in milliseconds of each network step: the TCP connect, the
	 * negotiation, and each whole logon attempt (connect, negotiate,
	 * session setup, tree connect, open).  0 or less means 5000.
	 */
	int timeout_ms;
};

/*
 * One verdict: what a client of one profile sees when it opens one share.
 *
 * How the fields are found, and their limits:
 *
 * connected   The profile's own policy accepts the session (a guest session
 *             is a failure for win11-24h2 and win10-enterprise), the tree
 *             connect succeeded and, unless the share is printable, its
 *             folder opened (so a share that needs encryption the client
 *             can't do, or whose folder the user can't read, counts as not
 *             reached, as it does for a user in Explorer).
 * dialect     From an SMB2 NEGOTIATE (or, for "smb1", an SMB1 NEGOTIATE)
 *             that probe.c sends itself, offering exactly the profile's
 *             dialects with the contexts Windows sends for SMB 3.1.1:
 *             "NT1", "SMB2_02", "SMB2_10", "SMB3_00", "SMB3_02", "SMB3_11",
 *             or "" when negotiation failed.  libsmbclient is restricted to
 *             the same range, so it lands on the same dialect.
 * guest       The session the server handed out was a guest session.  Found
 *             with two attempts: one with client signing required, which a
 *             guest session cannot satisfy (it has no session key), and one
 *             with the profile's usual signing.  If the first fails during
 *             session setup on a bad or missing signature (or with
 *             ACCESS_DENIED) and the second's session setup succeeds, the
 *             session was a guest one.  Limits: a server that maps bad users
 *             to guest *and* signs guest sessions would not be caught (Samba
 *             and Windows can't); the phase markers come from libsmbclient's
 *             debug log ("session setup ok", "tconx ok"), so a libsmbclient
 *             that rewords them makes guest and connected fall back to the
 *             plain success of opening the share.
 * signed_     Messages of the session are signed as that client would sign
 *             them: the session is authenticated (not guest) and the
 *             profile requires signing (win11-24h2) or the server's
 *             NEGOTIATE says it requires signing.  That signing really works
 *             was checked by the signing-required attempt.  SMB 3.x sessions
 *             that are encrypted instead are still reported as signed when
 *             that rule holds.
 * encrypted   libsmbclient, run with "client smb encrypt = default" (encrypt
 *             only when the server demands it, as Windows does), encrypted
 *             traffic on the share: seen as "Encrypted SMB2 message" in its
 *             debug log.  SMB1 and SMB 2.x sessions are never encrypted.
 * ntstatus,   The NTSTATUS the client ends with: 0 / NT_STATUS_OK when
 * status_name connected; otherwise the server's answer taken from
 *             libsmbclient's debug log (its errno is the fallback), or the
 *             status the Windows client makes up itself when its own policy
 *             refuses the session (0xC000A000 NT_STATUS_INVALID_SIGNATURE for
 *             a guest session under required signing, 0xC05D0002
 *             NT_STATUS_SMB_GUEST_LOGON_BLOCKED for a refused guest logon,
 *             0xC00000B5 NT_STATUS_IO_TIMEOUT when an attempt ran out of time).
 * windows_error  What a Windows user of that profile would see, e.g.
 *             "System error 1272: ... block unauthenticated guest access";
 *             NULL when connected.
 * note        One line on how the verdict was reached (may be NULL).
 */
struct probe_result {
	char *share;		/* as given in probe_share.name */
	const char *profile;	/* static string: the profile's name */
	bool connected;
	char dialect[16];
	bool guest;
	bool signed_;
	bool encrypted;
	unsigned ntstatus;
	char *status_name;
	char *windows_error;
	char *note;
};

/*
 * Probes every share with every profile (results share-major: all profiles
 * of the first share, then the next share).  Returns 0 and sets *out (caller
 * frees with probe_results_free) and *nout; or -1 and sets *err to a one-line
 * reason (caller frees) when no verdict is possible at all: bad options, an
 * unknown profile name, libsmbclient missing, the host not resolving, the
 * port closed or unreachable, or a server that accepts the TCP connection
 * but never answers the SMB negotiation within timeout_ms.
 *
 * Up to four attempts run at once.  An attempt that runs out of time yields
 * an NT_STATUS_IO_TIMEOUT verdict, and the share's remaining verdicts say
 * so without being tried.  Other shares go on, unless a fresh negotiation
 * then goes unanswered too or a second share hangs: the server counts as
 * stopped, running attempts are abandoned and the rest reported as not
 * tried.  So a server that stops answering after the negotiation costs at
 * most about three timeouts in all, however many shares there are.
 */
int probe_run(const struct probe_opts *o, struct probe_result **out, size_t *nout, char **err);
void probe_results_free(struct probe_result *r, size_t n);

/* The profile names, NULL-terminated, in their canonical order. */
const char *const *probe_profile_names(void);
/* A one-line description of a profile, or NULL for an unknown name. */
const char *probe_profile_describe(const char *name);

/*
 * Reads smbclient's authentication file ("username = NAME", "password =
 * SECRET", "domain = NAME", one per line; other lines ignored; names match
 * case-insensitively).  The password keeps everything after "= " except the
 * line end; user and domain are trimmed.  Returns 0 and sets the three
 * outputs (caller frees; password and domain may be NULL when absent), or -1
 * and sets *err when the file can't be read or has no username line.
 */
int probe_parse_auth_file(const char *path, char **user, char **pass, char **domain, char **err);

#endif
