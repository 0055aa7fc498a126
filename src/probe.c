/* probe.c - the only module that talks to a server: logs on to each share as each client profile would. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"
#include "util.h"

/*
 * How a verdict is reached (details in probe.h):
 *
 *  1. probe.c itself opens a TCP connection and sends one NEGOTIATE per
 *     distinct dialect range (SMB2 with the 3.1.1 contexts, or SMB1 "NT LM
 *     0.12").  That gives the dialect, whether the server requires signing,
 *     and whether it answers at all.  A closed port or a mute server ends the
 *     whole probe with an error after at most one timeout.
 *  2. For every share and profile, libsmbclient opens smb://host/share in a
 *     forked child, restricted to the profile's dialects, first with client
 *     signing required.  Its debug log (level 10, caught by a callback) says
 *     how far it got ("session setup ok", "tconx ok"), the NTSTATUS behind its
 *     errno ("map_errno_from_nt_status ... code=c0000022"), whether a
 *     signature check failed, and whether traffic was encrypted.
 *  3. When that attempt did not get a session, a second one with the
 *     profile's usual signing tells a guest session (gets in only unsigned)
 *     from a real refusal (fails both ways).
 *  4. The profile's policy then turns that into what its user would see.
 */

/* ---- client profiles ---------------------------------------------------- */

struct profile {
	const char *name;
	bool smb1;			/* speaks NT1 and nothing else */
	unsigned short min, max;	/* SMB2 dialect range otherwise */
	bool nt1_fallback;		/* also NT1, when the server speaks no SMB2 dialect of the range */
	bool require_signing;
	bool refuse_guest;
	const char *about;
};

static const struct profile profiles[] = {
	{"win11-24h2", false, 0x0202, 0x0311, false, true, true,
	 "Windows 11 24H2: SMB 2.0.2 to 3.1.1, signing required, no guest logons"},
	{"win10-enterprise", false, 0x0202, 0x0311, false, false, true,
	 "Windows 10/11 Enterprise, Education, Server 2019+: SMB 2.0.2 to 3.1.1, refuses guest logons"},
	{"win10-home", false, 0x0202, 0x0311, false, false, false,
	 "Windows 10 Home/Pro: SMB 2.0.2 to 3.1.1, accepts guest logons"},
	{"smb1", true, 0, 0, false, false, false,
	 "an SMB1-only client (old Windows, NAS, scanners): NT1 with NTLMv2"},
	{"win7", false, 0x0202, 0x0210, true, false, false,
	 "Windows 7 / Server 2008 R2: SMB 2.0.2 to 2.1, or NT1 from a server without SMB2; accepts guest logons"},
	{"macos", false, 0x0202, 0x0311, false, false, false,
	 "macOS Finder: SMB 2.0.2 to 3.1.1, accepts guest logons"},
	/* the kernel's default (vers=default) offers 2.1, 3.0, 3.0.2 and 3.1.1: not 2.0.2 */
	{"linux-cifs", false, 0x0210, 0x0311, false, false, false,
	 "Linux kernel cifs mount: SMB 2.1 to 3.1.1, accepts guest logons"},
};
#define NPROFILES (sizeof profiles / sizeof profiles[0])

static const char *const profile_names[] = {
	"win11-24h2", "win10-enterprise", "win10-home", "smb1", "win7", "macos", "linux-cifs", NULL,
};

const char *const *probe_profile_names(void)
{
	return profile_names;
}

static const struct profile *profile_find(const char *name)
{
	for (size_t i = 0; i < NPROFILES; i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

const char *probe_profile_describe(const char *name)
{
	const struct profile *p = profile_find(name);
	return p ? p->about : NULL;
}

static const struct {
	unsigned short code;
	const char *name;
} dialects[] = {
	{0x0202, "SMB2_02"}, {0x0210, "SMB2_10"}, {0x0300, "SMB3_00"},
	{0x0302, "SMB3_02"}, {0x0311, "SMB3_11"},
};
#define NDIALECTS (sizeof dialects / sizeof dialects[0])

static const char *dialect_name(unsigned short code)
{
	for (size_t i = 0; i < NDIALECTS; i++)
		if (dialects[i].code == code)
			return dialects[i].name;
	return NULL;
}

/* ---- NTSTATUS names and what Windows shows for them --------------------- */

#define ST_OK			0x00000000u
#define ST_UNSUCCESSFUL		0xC0000001u
#define ST_ACCESS_DENIED	0xC0000022u
#define ST_OBJECT_NAME_NOT_FOUND 0xC0000034u
#define ST_LOGON_FAILURE	0xC000006Du
#define ST_IO_TIMEOUT		0xC00000B5u
#define ST_INVALID_NETWORK_RESPONSE 0xC00000C3u
#define ST_NOT_SUPPORTED	0xC00000BBu
#define ST_BAD_NETWORK_NAME	0xC00000CCu
#define ST_CONNECTION_DISCONNECTED 0xC000020Cu
#define ST_CONNECTION_RESET	0xC000020Du
#define ST_CONNECTION_REFUSED	0xC0000236u
#define ST_INVALID_SIGNATURE	0xC000A000u
/* Windows SDK value; made by the Windows client itself, never by a server. */
#define ST_GUEST_LOGON_BLOCKED	0xC05D0002u

static const struct status_info {
	unsigned code;
	const char *name;
	unsigned winerr;	/* the "System error N" that net use prints; 0 = none */
	const char *text;
} statuses[] = {
	{0x00000000, "NT_STATUS_OK", 0, NULL},
	{0xC0000001, "NT_STATUS_UNSUCCESSFUL", 31, "A device attached to the system is not functioning."},
	{0xC000000D, "NT_STATUS_INVALID_PARAMETER", 87, "The parameter is incorrect."},
	{0xC000000F, "NT_STATUS_NO_SUCH_FILE", 2, "The system cannot find the file specified."},
	{0xC0000022, "NT_STATUS_ACCESS_DENIED", 5, "Access is denied."},
	{0xC0000034, "NT_STATUS_OBJECT_NAME_NOT_FOUND", 2, "The system cannot find the file specified."},
	{0xC000003A, "NT_STATUS_OBJECT_PATH_NOT_FOUND", 3, "The system cannot find the path specified."},
	{0xC000005E, "NT_STATUS_NO_LOGON_SERVERS", 1311, "There are currently no logon servers available to service the logon request."},
	{0xC0000064, "NT_STATUS_NO_SUCH_USER", 1317, "The specified account does not exist."},
	{0xC0000066, "NT_STATUS_NO_SUCH_GROUP", 1319, "The specified group does not exist."},
	{0xC000006A, "NT_STATUS_WRONG_PASSWORD", 86, "The specified network password is not correct."},
	{0xC000006D, "NT_STATUS_LOGON_FAILURE", 1326, "The user name or password is incorrect."},
	{0xC000006E, "NT_STATUS_ACCOUNT_RESTRICTION", 1327, "Account restrictions are preventing this user from signing in."},
	{0xC000006F, "NT_STATUS_INVALID_LOGON_HOURS", 1328, "Your account has time restrictions that keep you from signing in right now."},
	{0xC0000070, "NT_STATUS_INVALID_WORKSTATION", 1329, "This user isn't allowed to sign in to this computer."},
	{0xC0000071, "NT_STATUS_PASSWORD_EXPIRED", 1330, "The password for this account has expired."},
	{0xC0000072, "NT_STATUS_ACCOUNT_DISABLED", 1331, "This user can't sign in because this account is currently disabled."},
	{0xC00000B5, "NT_STATUS_IO_TIMEOUT", 53, "The network path was not found."},
	{0xC00000BB, "NT_STATUS_NOT_SUPPORTED", 50, "The request is not supported."},
	{0xC00000BE, "NT_STATUS_BAD_NETWORK_PATH", 53, "The network path was not found."},
	{0xC00000C3, "NT_STATUS_INVALID_NETWORK_RESPONSE", 58, "The specified server cannot perform the requested operation."},
	{0xC00000C9, "NT_STATUS_NETWORK_NAME_DELETED", 64, "The specified network name is no longer available."},
	{0xC00000CA, "NT_STATUS_NETWORK_ACCESS_DENIED", 65, "Network access is denied."},
	{0xC00000CC, "NT_STATUS_BAD_NETWORK_NAME", 67, "The network name cannot be found."},
	{0xC0000103, "NT_STATUS_NOT_A_DIRECTORY", 267, "The directory name is invalid."},
	{0xC000015B, "NT_STATUS_LOGON_TYPE_NOT_GRANTED", 1385, "The user has not been granted the requested logon type at this computer."},
	{0xC0000193, "NT_STATUS_ACCOUNT_EXPIRED", 1793, "The user's account has expired."},
	{0xC000020C, "NT_STATUS_CONNECTION_DISCONNECTED", 64, "The specified network name is no longer available."},
	{0xC000020D, "NT_STATUS_CONNECTION_RESET", 64, "The specified network name is no longer available."},
	{0xC0000224, "NT_STATUS_PASSWORD_MUST_CHANGE", 1907, "The user's password must be changed before signing in."},
	{0xC0000234, "NT_STATUS_ACCOUNT_LOCKED_OUT", 1909, "The referenced account is currently locked out and may not be logged on to."},
	{0xC0000236, "NT_STATUS_CONNECTION_REFUSED", 53, "The network path was not found."},
	{0xC0000418, "NT_STATUS_NTLM_BLOCKED", 1937, "Authentication failed because NTLM authentication has been disabled."},
	{0xC000A000, "NT_STATUS_INVALID_SIGNATURE", 0, NULL},
	{0xC05D0002, "NT_STATUS_SMB_GUEST_LOGON_BLOCKED", 1272, NULL},
};

static const struct status_info *status_find(unsigned code)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].code == code)
			return &statuses[i];
	return NULL;
}

static char *status_name(unsigned code)
{
	const struct status_info *s = status_find(code);
	return s ? xstrdup(s->name) : xasprintf("NT_STATUS_0x%08X", code);
}

/* The generic "what Windows says" for a status the server returned. */
static char *status_windows_error(unsigned code)
{
	const struct status_info *s = status_find(code);
	if (s && s->winerr && s->text)
		return xasprintf("System error %u: %s", s->winerr, s->text);
	return xasprintf("Error 0x%08X%s%s", code, s ? " " : "", s ? s->name : "");
}

/* Statuses that a second attempt with other signing cannot change. */
static bool status_is_final_logon_failure(unsigned code)
{
	switch (code) {
	case 0xC000006A: case 0xC000006D: case 0xC0000064: case 0xC000006E:
	case 0xC000006F: case 0xC0000070: case 0xC0000071: case 0xC0000072:
	case 0xC000015B: case 0xC0000193: case 0xC0000224: case 0xC0000234:
	case 0xC0000236: case 0xC0000418:
		return true;
	}
	return false;
}

/* ---- libsmbclient, loaded on demand -------------------------------------- */

/*
 * The few entry points used, declared here so that smblint needs neither
 * libsmbclient's header nor the library at build time.  Contexts and
 * directory handles stay opaque.
 */
typedef void smbctx;
typedef void smbdir;
typedef void (*auth_fn)(smbctx *c, const char *srv, const char *shr, char *wg, int wglen,
			char *un, int unlen, char *pw, int pwlen);
typedef void (*log_fn)(void *priv, int level, const char *msg);
typedef smbdir *(*opendir_fn)(smbctx *c, const char *url);
typedef int (*closedir_fn)(smbctx *c, smbdir *d);

struct smbc_api {
	void *handle;
	smbctx *(*new_context)(void);
	smbctx *(*init_context)(smbctx *c);
	int (*free_context)(smbctx *c, int shutdown);
	void (*set_debug)(smbctx *c, int level);
	void (*set_log_callback)(smbctx *c, void *priv, log_fn fn);
	int (*set_configuration)(smbctx *c, const char *file);
	void (*set_port)(smbctx *c, uint16_t port);
	void (*set_timeout)(smbctx *c, int ms);
	void (*set_no_auto_anonymous)(smbctx *c, int b);
	void (*set_use_kerberos)(smbctx *c, int b);
	void (*set_fallback_after_kerberos)(smbctx *c, int b);
	void (*set_use_ccache)(smbctx *c, int b);
	int (*set_protocols)(smbctx *c, const char *min, const char *max);
	void (*set_auth)(smbctx *c, auth_fn fn);
	opendir_fn (*get_opendir)(smbctx *c);
	closedir_fn (*get_closedir)(smbctx *c);
};

static int smbc_load(struct smbc_api *a, char **err)
{
	static const char *const names[] = {
		"smbc_new_context", "smbc_init_context", "smbc_free_context", "smbc_setDebug",
		"smbc_setLogCallback", "smbc_setConfiguration", "smbc_setPort", "smbc_setTimeout",
		"smbc_setOptionNoAutoAnonymousLogin", "smbc_setOptionUseKerberos",
		"smbc_setOptionFallbackAfterKerberos", "smbc_setOptionUseCCache",
		"smbc_setOptionProtocols", "smbc_setFunctionAuthDataWithContext",
		"smbc_getFunctionOpendir", "smbc_getFunctionClosedir",
	};
	void *sym[sizeof names / sizeof names[0]];

	memset(a, 0, sizeof *a);
	a->handle = dlopen("libsmbclient.so.0", RTLD_NOW | RTLD_LOCAL);
	if (a->handle == NULL) {
		const char *why = dlerror();
		*err = xasprintf("--probe needs libsmbclient (Debian: apt-get install libsmbclient)%s%s",
		    why ? ": " : "", why ? why : "");
		return -1;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		sym[i] = dlsym(a->handle, names[i]);
		if (sym[i] == NULL) {
			*err = xasprintf("--probe needs libsmbclient 4.12 or later (Debian: apt-get install libsmbclient): "
			    "libsmbclient.so.0 has no %s", names[i]);
			dlclose(a->handle);
			a->handle = NULL;
			return -1;
		}
	}
	/* POSIX lets a data pointer from dlsym be converted to a function pointer. */
	size_t i = 0;
	*(void **)&a->new_context = sym[i++];
	*(void **)&a->init_context = sym[i++];
	*(void **)&a->free_context = sym[i++];
	*(void **)&a->set_debug = sym[i++];
	*(void **)&a->set_log_callback = sym[i++];
	*(void **)&a->set_configuration = sym[i++];
	*(void **)&a->set_port = sym[i++];
	*(void **)&a->set_timeout = sym[i++];
	*(void **)&a->set_no_auto_anonymous = sym[i++];
	*(void **)&a->set_use_kerberos = sym[i++];
	*(void **)&a->set_fallback_after_kerberos = sym[i++];
	*(void **)&a->set_use_ccache = sym[i++];
	*(void **)&a->set_protocols = sym[i++];
	*(void **)&a->set_auth = sym[i++];
	*(void **)&a->get_opendir = sym[i++];
	*(void **)&a->get_closedir = sym[i++];
	return 0;
}

/* ---- time and sockets ----------------------------------------------------- */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int ms_left(long long deadline)
{
	long long r = deadline - now_ms();
	return r < 0 ? 0 : r > INT_MAX ? INT_MAX : (int)r;
}

/* Waits for events on fd until the deadline: 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short events, long long deadline)
{
	for (;;) {
		struct pollfd p = {.fd = fd, .events = events};
		int n = poll(&p, 1, ms_left(deadline));
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 ? -1 : n;
	}
}

/* Connects to the first address that answers; returns the socket or -errno. */
static int tcp_connect(const struct addrinfo *ai, long long deadline)
{
	int last = ECONNREFUSED;
	for (; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			last = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			return fd;
		if (errno == EINPROGRESS) {
			int w = wait_fd(fd, POLLOUT, deadline);
			int soerr = 0;
			socklen_t len = sizeof soerr;
			if (w == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0)
				return fd;
			last = w == 0 ? ETIMEDOUT : soerr ? soerr : errno;
		} else {
			last = errno;
		}
		close(fd);
		if (last == ETIMEDOUT)
			break;
	}
	return -last;
}

/* 0 on success, otherwise ETIMEDOUT, EPIPE (peer closed) or an errno. */
static int send_all(int fd, const unsigned char *p, size_t n, long long deadline)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k > 0) {
			p += k;
			n -= (size_t)k;
		} else if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(fd, POLLOUT, deadline) <= 0)
				return ETIMEDOUT;
		} else if (k < 0 && errno != EINTR) {
			return errno;
		}
	}
	return 0;
}

static int recv_all(int fd, unsigned char *p, size_t n, long long deadline)
{
	while (n) {
		ssize_t k = recv(fd, p, n, 0);
		if (k > 0) {
			p += k;
			n -= (size_t)k;
		} else if (k == 0) {
			return EPIPE;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			int w = wait_fd(fd, POLLIN, deadline);
			if (w == 0)
				return ETIMEDOUT;
			if (w < 0)
				return errno;
		} else if (errno != EINTR) {
			return errno;
		}
	}
	return 0;
}

/* Reads one NetBIOS session message (at most 64 KiB) into *msg. */
static int recv_message(int fd, long long deadline, unsigned char **msg, size_t *len)
{
	unsigned char h[4];
	int e = recv_all(fd, h, 4, deadline);
	if (e)
		return e;
	size_t n = ((size_t)h[1] << 16) | ((size_t)h[2] << 8) | h[3];
	if (h[0] != 0 || n > 65536)
		return EPROTO;
	*msg = xmalloc(n ? n : 1);
	*len = n;
	e = recv_all(fd, *msg, n, deadline);
	if (e) {
		free(*msg);
		*msg = NULL;
	}
	return e;
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)((v >> 8) & 0xff);
}

static void put32(unsigned char *p, unsigned long v)
{
	put16(p, (unsigned)(v & 0xffff));
	put16(p + 2, (unsigned)((v >> 16) & 0xffff));
}

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] | ((unsigned)p[1] << 8);
}

static unsigned get32(const unsigned char *p)
{
	return get16(p) | (get16(p + 2) << 16);
}

static void fill_random(void *p, size_t n)
{
	unsigned char *b = p;
	ssize_t k = getrandom(b, n, GRND_NONBLOCK);
	if (k == (ssize_t)n)
		return;
	/* Only used for GUIDs, salts and a made-up user name: anything will do. */
	unsigned long long x = (unsigned long long)now_ms() ^ ((unsigned long long)getpid() << 32);
	for (size_t i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		b[i] = (unsigned char)(x >> 56);
	}
}

/* ---- NEGOTIATE, sent by hand ---------------------------------------------- */

enum neg_state { NEG_OK, NEG_FAILED, NEG_TIMEOUT, NEG_NO_TCP };

struct neg {
	bool done;
	enum neg_state state;
	char dialect[16];
	bool server_requires_signing;
	bool encryption;		/* the server offers SMB3 encryption */
	unsigned status;		/* why it failed, as an NTSTATUS */
	int err_no;			/* TCP-level failure */
};

/* Builds an SMB2 NEGOTIATE offering [min,max], with the 3.1.1 contexts. */
static size_t build_smb2_negotiate(unsigned char *m, unsigned short min, unsigned short max)
{
	size_t n = 4, ndial = 0, hdr = 4;
	bool has311 = false;

	memset(m, 0, 512);
	memcpy(m + n, "\xfeSMB", 4);
	put16(m + n + 4, 64);		/* StructureSize */
	put16(m + n + 14, 1);		/* CreditRequest */
	n += 64;
	put16(m + n, 36);		/* StructureSize */
	put16(m + n + 4, 1);		/* SecurityMode: signing enabled */
	put32(m + n + 8, 0x7f);		/* Capabilities, as Windows 10 */
	fill_random(m + n + 12, 16);	/* ClientGuid */
	size_t dial = n + 36;
	for (size_t i = 0; i < NDIALECTS; i++) {
		if (dialects[i].code < min || dialects[i].code > max)
			continue;
		put16(m + dial + 2 * ndial++, dialects[i].code);
		has311 |= dialects[i].code == 0x0311;
	}
	put16(m + n + 2, (unsigned)ndial);
	n = dial + 2 * ndial;
	if (has311) {
		n = (n - hdr + 7) / 8 * 8 + hdr;
		put32(m + hdr + 64 + 28, (unsigned long)(n - hdr));	/* NegotiateContextOffset */
		put16(m + hdr + 64 + 32, 3);				/* NegotiateContextCount */
		/* Preauth integrity: SHA-512 with a 32-byte salt. */
		put16(m + n, 1);
		put16(m + n + 2, 38);
		put16(m + n + 8, 1);
		put16(m + n + 10, 32);
		put16(m + n + 12, 1);
		fill_random(m + n + 14, 32);
		n += 8 + 38;
		n = (n - hdr + 7) / 8 * 8 + hdr;
		/* Encryption: AES-256-GCM, AES-256-CCM, AES-128-GCM, AES-128-CCM. */
		put16(m + n, 2);
		put16(m + n + 2, 10);
		put16(m + n + 8, 4);
		put16(m + n + 10, 4);
		put16(m + n + 12, 3);
		put16(m + n + 14, 2);
		put16(m + n + 16, 1);
		n += 8 + 10;
		n = (n - hdr + 7) / 8 * 8 + hdr;
		/* Signing: AES-GMAC, AES-CMAC, HMAC-SHA256. */
		put16(m + n, 8);
		put16(m + n + 2, 8);
		put16(m + n + 8, 3);
		put16(m + n + 10, 2);
		put16(m + n + 12, 1);
		put16(m + n + 14, 0);
		n += 8 + 8;
	}
	m[1] = (unsigned char)((n - 4) >> 16);
	m[2] = (unsigned char)((n - 4) >> 8);
	m[3] = (unsigned char)(n - 4);
	return n;
}

static void parse_smb2_negotiate(const unsigned char *r, size_t len, struct neg *out)
{
	out->state = NEG_FAILED;
	out->status = ST_INVALID_NETWORK_RESPONSE;
	if (len < 64 || memcmp(r, "\xfeSMB", 4) != 0 || get16(r + 12) != 0)
		return;
	unsigned st = get32(r + 8);
	if (st != 0) {
		out->status = st;
		return;
	}
	if (len < 64 + 64) {
		out->status = ST_INVALID_NETWORK_RESPONSE;
		return;
	}
	const unsigned char *b = r + 64;
	const char *name = dialect_name((unsigned short)get16(b + 4));
	if (name == NULL) {
		out->status = ST_NOT_SUPPORTED;
		return;
	}
	out->state = NEG_OK;
	out->status = ST_OK;
	snprintf(out->dialect, sizeof out->dialect, "%s", name);
	out->server_requires_signing = (get16(b + 2) & 0x02) != 0;
	out->encryption = (get32(b + 24) & 0x40) != 0;
	if (get16(b + 4) == 0x0311) {
		/* 3.1.1 states encryption in a context: a non-zero cipher. */
		size_t off = get32(b + 60), count = get16(b + 6);
		for (size_t i = 0; i < count && off + 8 <= len; i++) {
			unsigned type = get16(r + off), dlen = get16(r + off + 2);
			if (off + 8 + dlen > len)
				break;
			if (type == 2 && dlen >= 4)
				out->encryption = get16(r + off + 8) >= 1 && get16(r + off + 10) != 0;
			off = (off + 8 + dlen + 7) / 8 * 8;
		}
	}
}

/* An SMB1 NEGOTIATE that offers "NT LM 0.12" and nothing else. */
static size_t build_smb1_negotiate(unsigned char *m)
{
	static const char dialect[] = "\x02NT LM 0.12";
	size_t n = 4;

	memset(m, 0, 512);
	memcpy(m + n, "\xffSMB", 4);
	m[n + 4] = 0x72;		/* SMB_COM_NEGOTIATE */
	m[n + 9] = 0x18;		/* canonical, case-insensitive paths */
	put16(m + n + 10, 0xc801);	/* unicode, NT status, extended security, long names */
	put16(m + n + 24, 0xffff);	/* TID */
	put16(m + n + 26, (unsigned)getpid() & 0xffff);
	n += 32;
	m[n++] = 0;			/* WordCount */
	put16(m + n, sizeof dialect);	/* ByteCount, with the final NUL */
	n += 2;
	memcpy(m + n, dialect, sizeof dialect);
	n += sizeof dialect;
	m[3] = (unsigned char)(n - 4);
	return n;
}

static void parse_smb1_negotiate(const unsigned char *r, size_t len, struct neg *out)
{
	out->state = NEG_FAILED;
	out->status = ST_INVALID_NETWORK_RESPONSE;
	if (len < 35 || memcmp(r, "\xffSMB", 4) != 0 || r[4] != 0x72)
		return;
	unsigned st = get32(r + 5);
	if (st != 0) {
		out->status = st;
		return;
	}
	if (r[32] == 0 || get16(r + 33) != 0) {
		out->status = ST_NOT_SUPPORTED;	/* no dialect in common */
		return;
	}
	out->state = NEG_OK;
	out->status = ST_OK;
	snprintf(out->dialect, sizeof out->dialect, "NT1");
	out->server_requires_signing = r[32] >= 17 && len > 35 && (r[35] & 0x08) != 0;
}

static void negotiate(const struct addrinfo *ai, bool smb1, unsigned short min, unsigned short max,
		      int timeout_ms, struct neg *out)
{
	long long deadline = now_ms() + timeout_ms;
	unsigned char m[512], *r = NULL;
	size_t n, rlen = 0;

	memset(out, 0, sizeof *out);
	out->done = true;
	int fd = tcp_connect(ai, deadline);
	if (fd < 0) {
		out->state = NEG_NO_TCP;
		out->err_no = -fd;
		out->status = -fd == ETIMEDOUT ? ST_IO_TIMEOUT : ST_CONNECTION_REFUSED;
		return;
	}
	n = smb1 ? build_smb1_negotiate(m) : build_smb2_negotiate(m, min, max);
	int e = send_all(fd, m, n, deadline);
	if (e == 0)
		e = recv_message(fd, deadline, &r, &rlen);
	close(fd);
	if (e == ETIMEDOUT) {
		out->state = NEG_TIMEOUT;
		out->status = ST_IO_TIMEOUT;
	} else if (e) {
		out->state = NEG_FAILED;
		out->err_no = e;
		out->status = e == EPIPE ? ST_CONNECTION_DISCONNECTED :
		    e == EPROTO ? ST_INVALID_NETWORK_RESPONSE : ST_CONNECTION_RESET;
	} else if (smb1) {
		parse_smb1_negotiate(r, rlen, out);
	} else {
		parse_smb2_negotiate(r, rlen, out);
	}
	free(r);
}

/* ---- one libsmbclient attempt, in a child process -------------------------- */

/* What the child learned; sent back whole through a pipe. */
struct attempt_out {
	int ran;		/* the child got to the end */
	int init_failed;	/* libsmbclient refused the context settings */
	int err_no;		/* errno of the failed call */
	int have_status;
	unsigned status;	/* last NTSTATUS libsmbclient turned into errno */
	int session_ok;		/* "session setup ok" was logged */
	int tcon_ok;		/* "tconx ok" was logged */
	int opened;		/* opendir succeeded */
	int bad_sig;		/* a signature check failed */
	int encrypted;		/* an SMB2 message was encrypted */
};

struct attempt_spec {
	const char *url;
	const char *conf;	/* client settings file */
	const char *min, *max;	/* libsmbclient's names for the dialect range */
	const char *user, *pass, *domain;
	const char *home;	/* HOME for the child: keeps ~/.smb/smb.conf out */
	int port, timeout_ms;
};

/* Child-only state: the callbacks of libsmbclient have no other way in. */
static struct attempt_out *child_out;
static const struct attempt_spec *child_spec;

static void child_log(void *priv, int level, const char *msg)
{
	const char *p;
	(void)priv;
	(void)level;
	if (msg == NULL)
		return;
	if (strstr(msg, "session setup ok"))
		child_out->session_ok = 1;
	if (strstr(msg, "tconx ok"))
		child_out->tcon_ok = 1;
	if (strstr(msg, "Bad SMB2") || strstr(msg, "BAD SIG"))
		child_out->bad_sig = 1;
	if (strstr(msg, "Encrypted SMB2 message"))
		child_out->encrypted = 1;
	if (strstr(msg, "map_errno_from_nt_status") && (p = strstr(msg, "code=")) != NULL) {
		char *end;
		unsigned long v = strtoul(p + 5, &end, 16);
		if (end != p + 5) {
			child_out->status = (unsigned)v;
			child_out->have_status = 1;
		}
	}
}

static void child_auth(smbctx *c, const char *srv, const char *shr, char *wg, int wglen,
		       char *un, int unlen, char *pw, int pwlen)
{
	(void)c;
	(void)srv;
	(void)shr;
	if (child_spec->domain && wglen > 0)
		snprintf(wg, (size_t)wglen, "%s", child_spec->domain);
	if (unlen > 0)
		snprintf(un, (size_t)unlen, "%s", child_spec->user);
	if (pwlen > 0)
		snprintf(pw, (size_t)pwlen, "%s", child_spec->pass ? child_spec->pass : "");
}

static void write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t k = write(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		c += k;
		n -= (size_t)k;
	}
}

static void __attribute__((noreturn)) child_attempt(const struct smbc_api *a, const struct attempt_spec *s, int wfd)
{
	struct attempt_out r;
	memset(&r, 0, sizeof r);
	child_out = &r;
	child_spec = s;

	/* Whatever libsmbclient prints goes nowhere. */
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	setenv("HOME", s->home, 1);
	/* Should libsmbclient panic, no core file lands in the caller's folder. */
	struct rlimit nocore = {0, 0};
	setrlimit(RLIMIT_CORE, &nocore);

	smbctx *c = a->new_context();
	if (c == NULL) {
		r.init_failed = 1;
		r.err_no = errno;
		goto out;
	}
	a->set_log_callback(c, NULL, child_log);
	a->set_configuration(c, s->conf);
	a->set_debug(c, 10);
	a->set_port(c, (uint16_t)s->port);
	a->set_timeout(c, s->timeout_ms);
	a->set_no_auto_anonymous(c, 1);
	a->set_use_kerberos(c, 0);
	a->set_fallback_after_kerberos(c, 1);
	a->set_use_ccache(c, 0);
	a->set_auth(c, child_auth);
	if (!a->set_protocols(c, s->min, s->max) || a->init_context(c) == NULL) {
		r.init_failed = 1;
		r.err_no = errno;
		goto out;
	}
	smbdir *d = a->get_opendir(c)(c, s->url);
	if (d) {
		r.opened = 1;
		a->get_closedir(c)(c, d);
	} else {
		r.err_no = errno;
	}
	/* Each step implies the one before, should a marker be missing from the log. */
	r.tcon_ok |= r.opened;
	r.session_ok |= r.tcon_ok;
	a->free_context(c, 1);
out:
	r.ran = 1;
	write_all(wfd, &r, sizeof r);
	_exit(0);
}

/* Forks the child of one attempt; returns its pid (and the pipe to read) or -1. */
static pid_t spawn_attempt(const struct smbc_api *a, const struct attempt_spec *s, int *rfd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		child_attempt(a, s, p[1]);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	*rfd = p[0];
	return pid;
}

/* The NTSTATUS behind a failed attempt: the logged one, else from errno. */
static unsigned attempt_status(const struct attempt_out *r)
{
	if (r->opened)
		return ST_OK;
	if (r->have_status)
		return r->status;
	switch (r->err_no) {
	case EACCES: return ST_ACCESS_DENIED;
	case EPERM: return ST_LOGON_FAILURE;
	case ENOENT: return r->tcon_ok ? ST_OBJECT_NAME_NOT_FOUND : ST_BAD_NETWORK_NAME;
	case ETIMEDOUT: return ST_IO_TIMEOUT;
	case ECONNREFUSED: return ST_CONNECTION_REFUSED;
	case ECONNRESET: return ST_CONNECTION_RESET;
	case ENOTSUP: return ST_NOT_SUPPORTED;
	}
	return ST_UNSUCCESSFUL;
}

/* ---- the whole probe -------------------------------------------------------- */

struct negcache {
	bool smb1;
	unsigned short min, max;
	struct neg n;
};

struct pstate {
	struct smbc_api api;
	struct addrinfo *ai;
	char *where;		/* "host:port" for messages */
	char *url_host;		/* host as it goes into smb:// URLs */
	int port, timeout_ms;
	char *user, *pass, *domain;	/* what the attempts log on with */
	bool made_up;		/* no credentials were given: user is random */
	bool wedged;		/* the server stopped answering: try no more */
	bool *hung;		/* per share: an attempt on it timed out */
	size_t nhung;
	char *dir;		/* client settings files; the children's HOME */
	char *conf[NPROFILES][2];	/* [profile][require signing] */
	struct negcache cache[8];
	size_t ncache;
};

static const struct neg *neg_get(struct pstate *st, bool smb1, unsigned short min, unsigned short max)
{
	for (size_t i = 0; i < st->ncache; i++) {
		struct negcache *c = &st->cache[i];
		if (c->smb1 == smb1 && c->min == min && c->max == max)
			return &c->n;
	}
	/* Profiles share a handful of ranges, so the cache never fills. */
	struct negcache *c = &st->cache[st->ncache < 8 ? st->ncache++ : 7];
	c->smb1 = smb1;
	c->min = min;
	c->max = max;
	negotiate(st->ai, smb1, min, max, st->timeout_ms, &c->n);
	return &c->n;
}

static const struct neg *neg_profile(struct pstate *st, const struct profile *p)
{
	if (p->smb1)
		return neg_get(st, true, 0, 0);
	const struct neg *n = neg_get(st, false, p->min, p->max);
	if (n->state == NEG_FAILED && p->nt1_fallback) {
		/* the server answered, but with no dialect of the range: the client's SMB1 comes in */
		const struct neg *one = neg_get(st, true, 0, 0);
		if (one->state == NEG_OK)
			return one;
	}
	return n;
}

/* The profile's negotiation if it was done already, else NULL. */
static const struct neg *neg_known(const struct pstate *st, const struct profile *p)
{
	for (size_t i = 0; i < st->ncache; i++) {
		const struct negcache *c = &st->cache[i];
		if (c->smb1 == p->smb1 && (p->smb1 || (c->min == p->min && c->max == p->max))) {
			if (!(p->nt1_fallback && c->n.state == NEG_FAILED))
				return &c->n;
			/* its SMB1 try decides (neg_profile) */
			for (size_t k = 0; k < st->ncache; k++)
				if (st->cache[k].smb1 && st->cache[k].n.state == NEG_OK)
					return &st->cache[k].n;
			return &c->n;
		}
	}
	return NULL;
}

/*
 * Client settings for one profile.  Everything that matters is spelled out,
 * because the system smb.conf that libsmbclient reads first may say
 * otherwise.  The state directories point into our temporary folder so that
 * the probe leaves nothing behind in /var.
 */
static char *write_client_conf(struct pstate *st, const struct profile *p, bool sign, char **err)
{
	char *path = xasprintf("%s/%s-%s.conf", st->dir, p->name, sign ? "sign" : "plain");
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	fprintf(f, "[global]\n"
	    "\tclient signing = %s\n"
	    "\tclient ipc signing = default\n"
	    "\tclient smb encrypt = %s\n"
	    "\tclient min protocol = %s\n"
	    "\tclient max protocol = %s\n"
	    "\tclient use kerberos = off\n"
	    "\tclient ntlmv2 auth = yes\n"
	    "\tclient lanman auth = no\n"
	    "\tclient plaintext auth = no\n"
	    "\tclient use spnego = yes\n"
	    "\tname resolve order = host\n"
	    "\tdisable netbios = yes\n"
	    "\tlock directory = %s\n"
	    "\tstate directory = %s\n"
	    "\tcache directory = %s\n"
	    "\tprivate dir = %s\n",
	    sign ? "required" : "default",
	    p->smb1 ? "off" : "default",
	    p->smb1 || p->nt1_fallback ? "NT1" : dialect_name(p->min),
	    p->smb1 ? "NT1" : dialect_name(p->max),
	    st->dir, st->dir, st->dir, st->dir);
	if (fclose(f) != 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

static char *url_escape(const char *s)
{
	struct sbuf b = {0};
	sbuf_adds(&b, "");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~$!'()*+,;=@", c))
			sbuf_addc(&b, (char)c);
		else
			sbuf_addf(&b, "%%%02X", c);
	}
	return sbuf_take(&b);
}

/*
 * libsmbclient's URLs can't hold an IPv6 literal (a colon ends the host),
 * but Samba resolves the Windows spelling of one: colons become dashes, a
 * zone's "%" an "s", and ".ipv6-literal.net" follows (::1 -> --1.ipv6-literal.net).
 */
static char *ipv6_url_host(const char *addr)
{
	struct sbuf b = {0};
	for (const char *p = addr; *p; p++)
		sbuf_addc(&b, *p == ':' ? '-' : *p == '%' ? 's' : *p);
	sbuf_adds(&b, ".ipv6-literal.net");
	return sbuf_take(&b);
}

static void fail(struct probe_result *res, unsigned code, char *werr, char *note)
{
	res->connected = false;
	res->ntstatus = code;
	free(res->status_name);
	res->status_name = status_name(code);
	free(res->windows_error);
	res->windows_error = werr ? werr : status_windows_error(code);
	free(res->note);
	res->note = note;
}

static void fail_timeout(struct pstate *st, struct probe_result *res, const char *note)
{
	fail(res, ST_IO_TIMEOUT,
	    xasprintf("System error 53: The network path was not found. (no answer in time; timeout %d ms)",
		st->timeout_ms),
	    xstrdup(note));
}

static void judge_negotiation(struct pstate *st, const struct profile *p, const struct neg *n, struct probe_result *res)
{
	if (n->state == NEG_TIMEOUT || (n->state == NEG_NO_TCP && n->err_no == ETIMEDOUT)) {
		st->wedged = true;
		fail_timeout(st, res, "negotiation timed out");
		return;
	}
	if (n->state == NEG_NO_TCP) {
		fail(res, n->status, NULL, xasprintf("TCP connection failed: %s", strerror(n->err_no)));
		return;
	}
	if (p->smb1) {
		fail(res, n->status,
		    xstrdup("System error 64: The specified network name is no longer available. "
			"(the server does not offer SMB1, the only protocol this client speaks)"),
		    xstrdup("SMB1 (NT1) negotiation refused"));
		return;
	}
	const struct neg *any2 = neg_get(st, false, 0x0202, 0x0311);
	const struct neg *one = any2->state == NEG_OK ? NULL : neg_get(st, true, 0, 0);
	if (one && one->state == NEG_OK) {
		fail(res, n->status,
		    xstrdup("You can't connect to the file share because it's not secure. "
			"This share requires the obsolete SMB1 protocol, which is unsafe and could expose your "
			"system to attack."),
		    xstrdup("the server speaks SMB1 only"));
		return;
	}
	fail(res, n->status,
	    xasprintf("System error 64: The specified network name is no longer available. "
		"(no SMB dialect in common: this client offers %s to %s)",
		dialect_name(p->min), dialect_name(p->max)),
	    xstrdup("SMB2 negotiation failed"));
}

/*
 * A session that got this far.  A printer counts as reached when the tree
 * connect worked (its queue can't be listed as a folder); any other share
 * only when its folder opened too.
 */
static void accept_session(const struct profile *p, const struct neg *n, const struct attempt_out *a,
			   bool guest, bool printable, struct probe_result *res)
{
	const char *who = guest ? "guest session" : "authenticated session";
	res->guest = guest;
	if (!a->tcon_ok && !a->opened) {
		fail(res, attempt_status(a), NULL, xasprintf("%s; the share refused the tree connect", who));
		return;
	}
	if (!a->opened && !printable) {
		unsigned code = attempt_status(a);
		fail(res, code, NULL, xasprintf("%s; tree connect succeeded but the share's folder could not be "
		    "opened (%s)", who, status_find(code) ? status_find(code)->name : "unknown status"));
		return;
	}
	res->connected = true;
	res->ntstatus = ST_OK;
	res->status_name = status_name(ST_OK);
	res->windows_error = NULL;
	res->encrypted = a->encrypted != 0;
	res->signed_ = !guest && (p->require_signing || n->server_requires_signing);
	res->note = xstrdup(who);
}

/* A note for a failed attempt; says what libsmbclient said when no status was logged. */
static char *attempt_note(const struct attempt_out *a, const char *what)
{
	if (a->have_status || a->err_no == 0)
		return xstrdup(what);
	return xasprintf("%s (libsmbclient: %s)", what, strerror(a->err_no));
}

/*
 * One verdict being worked out: its first attempt (signing required), then
 * maybe a second (the profile's own signing).  Up to PARALLEL attempts run
 * at once, each in its own child with its own deadline.
 */
#define PARALLEL 4

enum job_phase { JOB_SIGNED, JOB_PLAIN, JOB_DONE };

struct job {
	const struct profile *p;
	const struct probe_share *sh;
	size_t share;		/* index of sh */
	const struct neg *n;
	struct probe_result *res;
	struct attempt_spec spec;
	char *url;
	enum job_phase phase;	/* the attempt to run next, or done */
	pid_t pid;		/* > 0 while an attempt runs */
	int fd;
	long long deadline;
	size_t got;
	struct attempt_out cur;	/* the running attempt's result, as it arrives */
	struct attempt_out first;	/* the signing-required attempt */
	unsigned first_status;
	bool made_up;		/* logging on as a made-up user (no credentials given) */
};

static void job_start(struct pstate *st, struct job *j)
{
	j->spec.conf = st->conf[j->p - profiles][j->phase == JOB_SIGNED];
	j->got = 0;
	memset(&j->cur, 0, sizeof j->cur);
	j->deadline = now_ms() + st->timeout_ms;
	j->pid = spawn_attempt(&st->api, &j->spec, &j->fd);
	if (j->pid < 0) {
		j->pid = 0;
		fail(j->res, ST_UNSUCCESSFUL, NULL, xasprintf("cannot start an attempt: %s", strerror(errno)));
		j->phase = JOB_DONE;
	}
}

/* After the signing-required attempt: done, or the plain one is needed. */
static void job_after_signed(struct job *j, const struct attempt_out *a)
{
	j->first = *a;
	if (a->session_ok) {
		accept_session(j->p, j->n, a, false, j->sh->printable, j->res);
		j->phase = JOB_DONE;
		return;
	}
	j->first_status = attempt_status(a);
	if (status_is_final_logon_failure(j->first_status)) {
		/* Without credentials Windows tried its own account; refused, it asks for one. */
		char *werr = j->made_up && j->first_status == ST_LOGON_FAILURE ?
		    xstrdup("Windows asks for a user name and password (\"Enter network credentials\"); "
			"a wrong one gives System error 1326: The user name or password is incorrect.") : NULL;
		fail(j->res, j->first_status, werr, attempt_note(a, "logon refused"));
		j->phase = JOB_DONE;
		return;
	}
	j->phase = JOB_PLAIN;
}

/* After the plain attempt: a session that only this one got is a guest session. */
static void job_after_plain(struct job *j, const struct attempt_out *a)
{
	const struct profile *p = j->p;
	struct probe_result *res = j->res;

	j->phase = JOB_DONE;
	if (!a->session_ok) {
		fail(res, attempt_status(a), NULL, attempt_note(a, "logon refused"));
		return;
	}
	bool guest = j->first.bad_sig || j->first_status == ST_ACCESS_DENIED ||
	    j->first_status == ST_INVALID_SIGNATURE;
	res->guest = guest;
	if (p->require_signing) {
		fail(res, ST_INVALID_SIGNATURE,
		    xasprintf("Error 0xC000A000 (STATUS_INVALID_SIGNATURE): The cryptographic signature is invalid. (%s)",
			guest ? "the server gave a guest session, which cannot be signed, and this client requires signing"
			      : "this client requires signing and the session could not be signed"),
		    xstrdup(guest ? "guest session refused: signing required" : "signing failed"));
	} else if (guest && p->refuse_guest) {
		fail(res, ST_GUEST_LOGON_BLOCKED,
		    xstrdup("System error 1272 (0x80070035): You can't access this shared folder because your "
			"organization's security policies block unauthenticated guest access."),
		    xstrdup("guest session refused by the client's policy"));
	} else {
		accept_session(p, j->n, a, guest, j->sh->printable, res);
	}
}

/*
 * An attempt on share i ran out of time.  One share can hang on its own (a
 * stuck printer helper, a dead network file system behind the path), so
 * the others go on; but when a fresh negotiation gets no answer either, or
 * a second share hangs too, the server as a whole has stopped answering.
 * That keeps the total at a few timeouts, whatever the number of shares.
 */
static void note_hang(struct pstate *st, const struct job *j)
{
	struct neg alive;
	if (st->wedged || st->hung[j->share])
		return;
	st->hung[j->share] = true;
	if (++st->nhung >= 2) {
		st->wedged = true;
		return;
	}
	negotiate(st->ai, j->p->smb1, j->p->min, j->p->max, st->timeout_ms, &alive);
	if (alive.state != NEG_OK)
		st->wedged = true;
}

/* Ends the running attempt: rc 0 finished, 1 out of time, -1 the child died. */
static void job_end(struct pstate *st, struct job *j, int rc)
{
	if (rc != 0)
		kill(j->pid, SIGKILL);
	while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(j->fd);
	j->pid = 0;
	if (rc == 1) {
		fail_timeout(st, j->res, "logon and tree connect timed out");
		j->phase = JOB_DONE;
		note_hang(st, j);
	} else if (rc < 0 || j->cur.init_failed) {
		fail(j->res, ST_UNSUCCESSFUL, NULL,
		    xstrdup(rc < 0 ? "the libsmbclient attempt died" : "libsmbclient refused the client settings"));
		j->phase = JOB_DONE;
	} else if (j->phase == JOB_SIGNED) {
		job_after_signed(j, &j->cur);
	} else {
		job_after_plain(j, &j->cur);
	}
}

/* Reads what a child sent; ends the attempt once all of it (or EOF) arrived. */
static void job_read(struct pstate *st, struct job *j)
{
	ssize_t k = read(j->fd, (char *)&j->cur + j->got, sizeof j->cur - j->got);
	if (k < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (k <= 0) {
		job_end(st, j, -1);
		return;
	}
	j->got += (size_t)k;
	if (j->got == sizeof j->cur)
		job_end(st, j, j->cur.ran ? 0 : -1);
}

/* Starts what may start; false when nothing runs and nothing is left. */
static bool jobs_launch(struct pstate *st, struct job *jobs, size_t n, size_t *running)
{
	for (size_t i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		if (j->phase == JOB_DONE || j->pid > 0)
			continue;
		if (st->wedged || st->hung[j->share]) {
			/* Bound the total time: no more attempts where one timed out. */
			fail_timeout(st, j->res, st->wedged ? "the server stopped answering; not tried"
			    : "an earlier attempt on this share timed out; not tried");
			j->phase = JOB_DONE;
		} else if (*running < PARALLEL) {
			job_start(st, j);
			*running += j->pid > 0;
		}
	}
	return *running > 0;
}

static void jobs_run(struct pstate *st, struct job *jobs, size_t n)
{
	struct pollfd pfd[PARALLEL];
	struct job *who[PARALLEL];

	for (;;) {
		size_t running = 0, np = 0;
		for (size_t i = 0; i < n; i++)
			running += jobs[i].pid > 0;
		if (!jobs_launch(st, jobs, n, &running))
			return;
		long long first = LLONG_MAX;
		for (size_t i = 0; i < n && np < PARALLEL; i++) {
			if (jobs[i].pid <= 0)
				continue;
			pfd[np] = (struct pollfd){.fd = jobs[i].fd, .events = POLLIN};
			who[np++] = &jobs[i];
			if (jobs[i].deadline < first)
				first = jobs[i].deadline;
		}
		int r = poll(pfd, (nfds_t)np, ms_left(first));
		if (r < 0 && errno != EINTR)
			st->wedged = true;	/* can't wait any more: wind everything up */
		long long now = now_ms();
		for (size_t i = 0; i < np; i++) {
			if (who[i]->pid <= 0)
				continue;
			if (r > 0 && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				job_read(st, who[i]);
			else if (now >= who[i]->deadline || st->wedged)
				job_end(st, who[i], 1);	/* doomed once the server is */
		}
	}
}

/* Fills in what needs no attempt, and the attempt's details for the rest. */
static void job_init(struct pstate *st, struct job *j, const struct profile *p, const struct probe_share *sh,
		     size_t share, struct probe_result *res)
{
	j->p = p;
	j->sh = sh;
	j->share = share;
	j->res = res;
	j->made_up = st->made_up;
	res->share = xstrdup(sh->name);
	res->profile = p->name;
	j->phase = JOB_DONE;
	if (st->wedged) {
		const struct neg *k = neg_known(st, p);
		snprintf(res->dialect, sizeof res->dialect, "%s", k && k->state == NEG_OK ? k->dialect : "");
		fail_timeout(st, res, "the server stopped answering; not tried");
		return;
	}
	j->n = neg_profile(st, p);
	snprintf(res->dialect, sizeof res->dialect, "%s", j->n->state == NEG_OK ? j->n->dialect : "");
	if (j->n->state != NEG_OK) {
		judge_negotiation(st, p, j->n, res);
		return;
	}
	char *name = url_escape(sh->is_homes && !st->made_up ? st->user : sh->name);
	j->url = xasprintf("smb://%s/%s", st->url_host, name);
	free(name);
	j->spec = (struct attempt_spec){
		.url = j->url,
		.min = p->smb1 || p->nt1_fallback ? "NT1" : dialect_name(p->min),
		.max = p->smb1 ? "NT1" : dialect_name(p->max),
		.user = st->user, .pass = st->pass, .domain = st->domain, .home = st->dir,
		.port = st->port, .timeout_ms = st->timeout_ms,
	};
	j->phase = JOB_SIGNED;
}

/* Removes the folder we made and whatever libsmbclient left in it. */

static char *random_hex(size_t nbytes)
{
	unsigned char raw[32];
	struct sbuf b = {0};
	if (nbytes > sizeof raw)
		nbytes = sizeof raw;
	fill_random(raw, nbytes);
	for (size_t i = 0; i < nbytes; i++)
		sbuf_addf(&b, "%02x", raw[i]);
	return sbuf_take(&b);
}

/* Sets user, password and domain; a made-up pair when none was given. */
static void pick_identity(struct pstate *st, const struct probe_opts *o)
{
	if (o->user == NULL || o->user[0] == '\0') {
		char *r = random_hex(6);
		st->user = xasprintf("u%s", r);
		free(r);
		st->pass = random_hex(12);
		st->domain = o->domain ? xstrdup(o->domain) : NULL;
		st->made_up = true;
		return;
	}
	const char *sep = strpbrk(o->user, "\\/");
	if (sep && o->domain == NULL) {
		st->domain = xstrndup(o->user, (size_t)(sep - o->user));
		st->user = xstrdup(sep + 1);
	} else {
		st->domain = o->domain ? xstrdup(o->domain) : NULL;
		st->user = xstrdup(o->user);
	}
	st->pass = xstrdup(o->password ? o->password : "");
}

static int resolve(struct pstate *st, const struct probe_opts *o, char **err)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	char port[16];
	snprintf(port, sizeof port, "%d", st->port);
	int e = getaddrinfo(o->host, port, &hints, &st->ai);
	if (e != 0) {
		*err = xasprintf("cannot resolve %s: %s", o->host, gai_strerror(e));
		st->ai = NULL;
		return -1;
	}
	return 0;
}

/* The first negotiation doubles as the check that anyone is there at all. */
static int check_reachable(struct pstate *st, const struct profile *first, char **err)
{
	const struct neg *n = neg_profile(st, first);
	if (n->state == NEG_NO_TCP) {
		if (n->err_no == ETIMEDOUT)
			*err = xasprintf("cannot connect to %s: no answer within %d ms", st->where, st->timeout_ms);
		else
			*err = xasprintf("cannot connect to %s: %s%s", st->where, strerror(n->err_no),
			    n->err_no == ECONNREFUSED ? " (is smbd running and listening on that port?)" : "");
		return -1;
	}
	if (n->state == NEG_TIMEOUT) {
		*err = xasprintf("%s accepted the TCP connection but did not answer the SMB negotiation within %d ms",
		    st->where, st->timeout_ms);
		return -1;
	}
	return 0;
}

static int select_profiles(const struct probe_opts *o, const struct profile ***sel, size_t *nsel, char **err)
{
	size_t n = o->profiles && o->nprofiles ? o->nprofiles : NPROFILES;
	*sel = xcalloc(n, sizeof **sel);
	*nsel = n;
	for (size_t i = 0; i < n; i++) {
		if (!(o->profiles && o->nprofiles)) {
			(*sel)[i] = &profiles[i];
			continue;
		}
		(*sel)[i] = o->profiles[i] ? profile_find(o->profiles[i]) : NULL;
		if ((*sel)[i] == NULL) {
			struct sbuf b = {0};
			for (size_t k = 0; k < NPROFILES; k++)
				sbuf_addf(&b, "%s%s", k ? ", " : "", profiles[k].name);
			*err = xasprintf("unknown client profile '%s' (known: %s)",
			    o->profiles[i] ? o->profiles[i] : "(null)", sbuf_str(&b));
			sbuf_free(&b);
			free(*sel);
			*sel = NULL;
			return -1;
		}
	}
	return 0;
}

static int make_confs(struct pstate *st, const struct profile **sel, size_t nsel, char **err)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/smblint-probe.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(tmpl) == NULL) {
		*err = xasprintf("cannot create a temporary folder %s: %s", tmpl, strerror(errno));
		free(tmpl);
		return -1;
	}
	st->dir = tmpl;
	for (size_t i = 0; i < nsel; i++) {
		size_t k = (size_t)(sel[i] - profiles);
		for (int sign = 0; sign < 2; sign++) {
			if (st->conf[k][sign])
				continue;
			st->conf[k][sign] = write_client_conf(st, sel[i], sign, err);
			if (st->conf[k][sign] == NULL)
				return -1;
		}
	}
	return 0;
}

static void state_free(struct pstate *st)
{
	if (st->dir)
		util_remove_tree(st->dir);
	free(st->dir);
	for (size_t i = 0; i < NPROFILES; i++) {
		free(st->conf[i][0]);
		free(st->conf[i][1]);
	}
	if (st->ai)
		freeaddrinfo(st->ai);
	if (st->api.handle)
		dlclose(st->api.handle);
	free(st->hung);
	free(st->where);
	free(st->url_host);
	free(st->user);
	free(st->pass);
	free(st->domain);
}

int probe_run(const struct probe_opts *o, struct probe_result **out, size_t *nout, char **err)
{
	struct pstate st;
	const struct profile **sel = NULL;
	size_t nsel = 0;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	*err = NULL;
	if (o == NULL || o->host == NULL || o->host[0] == '\0') {
		*err = xstrdup("--probe needs a host");
		return -1;
	}
	if (o->port < 0 || o->port > 65535) {
		*err = xasprintf("bad port %d", o->port);
		return -1;
	}
	if (select_profiles(o, &sel, &nsel, err) != 0)
		return -1;
	if (o->nshares == 0) {
		free(sel);
		return 0;
	}
	memset(&st, 0, sizeof st);
	st.port = o->port ? o->port : 445;
	st.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 5000;
	bool v6 = strchr(o->host, ':') != NULL;
	st.url_host = v6 ? ipv6_url_host(o->host) : xstrdup(o->host);
	st.where = xasprintf(v6 ? "[%s]:%d" : "%s:%d", o->host, st.port);
	pick_identity(&st, o);

	if (smbc_load(&st.api, err) != 0 || resolve(&st, o, err) != 0 ||
	    check_reachable(&st, sel[0], err) != 0 || make_confs(&st, sel, nsel, err) != 0)
		goto done;

	size_t n = o->nshares * nsel;
	struct job *jobs = xcalloc(n, sizeof *jobs);
	*out = xcalloc(n, sizeof **out);
	st.hung = xcalloc(o->nshares, sizeof *st.hung);
	for (size_t i = 0; i < o->nshares; i++)
		for (size_t k = 0; k < nsel; k++)
			job_init(&st, &jobs[i * nsel + k], sel[k], &o->shares[i], i, &(*out)[i * nsel + k]);
	jobs_run(&st, jobs, n);
	for (size_t i = 0; i < n; i++)
		free(jobs[i].url);
	free(jobs);
	*nout = n;
	rc = 0;
done:
	state_free(&st);
	free(sel);
	return rc;
}

void probe_results_free(struct probe_result *r, size_t n)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(r[i].share);
		free(r[i].status_name);
		free(r[i].windows_error);
		free(r[i].note);
	}
	free(r);
}

/* ---- smbclient's authentication file ------------------------------------------ */

static char *trim_dup(const char *s, size_t n)
{
	while (n && is_blank((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && is_blank((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

int probe_parse_auth_file(const char *path, char **user, char **pass, char **domain, char **err)
{
	unsigned char *data;
	size_t len;

	*user = *pass = *domain = NULL;
	*err = NULL;
	if (read_file(path, 65536, &data, &len, err) != 0)
		return -1;
	const char *p = (const char *)data, *end = p + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		const char *eq = memchr(p, '=', (size_t)(le - p));
		if (eq) {
			char *key = trim_dup(p, (size_t)(eq - p));
			const char *v = eq + 1;
			const char *ve = le;
			if (ve > v && ve[-1] == '\r')
				ve--;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			char **slot = fold_eq(key, "username") ? user : fold_eq(key, "password") ? pass :
			    fold_eq(key, "domain") ? domain : NULL;
			if (slot) {
				free(*slot);
				*slot = slot == pass ? xstrndup(v, (size_t)(ve - v)) : trim_dup(v, (size_t)(ve - v));
			}
			free(key);
		}
		p = eol ? eol + 1 : end;
	}
	free(data);
	if (*user == NULL || (*user)[0] == '\0') {
		*err = xasprintf("%s: no \"username = NAME\" line", path);
		free(*user);
		free(*pass);
		free(*domain);
		*user = *pass = *domain = NULL;
		return -1;
	}
	return 0;
}
