# test/probe/lib.sh - what run.sh and verify.sh share: the pass/fail count, the
# prerequisites of a live test (fail loudly, never skip), the throwaway Unix
# account behind the Samba user, and finding processes smbd left behind.
#
# Sourced (not run) by both, after they set SUITE (a name for messages), T (the
# test's scratch folder) and USER_NAME.  Their EXIT trap ends with cleanup.
# shellcheck shell=bash

pass=0
fail=0
created_user=no

ok() {
	pass=$((pass + 1))
	echo "ok   - $1"
}
bad() {
	fail=$((fail + 1))
	echo "FAIL - $1"
	if [ -n "${2:-}" ]; then
		printf '%s\n' "$2" | sed 's/^/       /'
	fi
}
give_up() {
	bad "$1" "${2:-}"
	echo "$pass passed, $fail failed"
	exit 1
}
check() {	# check DESCRIPTION COMMAND...: ok when the command succeeds
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Processes whose command line names DIR (smbd and any helper it started).
pids_using() {
	local f
	for f in /proc/[0-9]*/cmdline; do
		if grep -qaF -- "$1" "$f" 2>/dev/null; then
			f=${f#/proc/}
			echo "${f%/cmdline}"
		fi
	done
}

# kill_left DIR: kills, saying so, what still names DIR on its command line
# (an smbd helper, a stuck smblint): it should all have ended by now.
kill_left() {
	local pid
	for pid in $(pids_using "$1"); do
		[ "$pid" = "$$" ] && continue
		echo "$SUITE: process $pid of $1 was still running; killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
	done
}

# need_samba [COMMAND...]: smbd, smbpasswd and the COMMANDs named, root,
# python3 and libsmbclient, or give up saying what is missing.  Sets SMBD and
# PY (the command that runs python3).
need_samba() {
	local c
	SMBD=$(command -v smbd || true)
	[ -n "$SMBD" ] || SMBD=/usr/sbin/smbd
	[ -x "$SMBD" ] || give_up "smbd is not installed: the $SUITE tests need a real server (Debian: apt-get install samba)"
	for c in smbpasswd "$@"; do
		command -v "$c" >/dev/null || give_up "$c is not installed (Debian: apt-get install samba samba-common-bin)"
	done
	[ "$(id -u)" -eq 0 ] || give_up "the $SUITE tests must run as root (useradd, smbpasswd, smbd)"
	# The system's python3 starts faster than a pyenv shim; -S: the standard library is enough.
	if [ -x /usr/bin/python3 ]; then
		PY=(/usr/bin/python3 -S)
	elif command -v python3 >/dev/null; then
		PY=(python3)
	else
		give_up "python3 is needed to read the JSON output"
	fi
	# (grep without -q reads all its input: no SIGPIPE for the writer under pipefail)
	ldconfig -p | grep 'libsmbclient\.so\.0' >/dev/null ||
		give_up "libsmbclient is not installed (Debian: apt-get install libsmbclient)"
}

# cleanup: the end of both EXIT traps: the account (if made here) and $T go.
cleanup() {
	remove_user
	rm -rf "$T"
}
trap 'exit 130' INT TERM

# make_user: the Unix account $USER_NAME behind the Samba user, made here unless
# it exists; remove_user takes it away again only if it was made here.
make_user() {
	if ! id "$USER_NAME" >/dev/null 2>&1; then
		useradd -M -s /usr/sbin/nologin "$USER_NAME"
		created_user=yes
	fi
}
remove_user() {
	if [ "$created_user" = yes ]; then
		userdel "$USER_NAME" 2>/dev/null ||
			echo "$SUITE: note: could not remove the user $USER_NAME now (in use); userdel it later" >&2
	fi
}

# build_driver OUT: test/probe/probe-driver.c with the probe and smbd_run code, into
# OUT (SANITIZE=1: with AddressSanitizer and UBSan); gives up when it does not build.
build_driver() {
	local san=()
	if [ "${SANITIZE:-0}" = 1 ]; then
		# (gcc 12 sees a false "null format string" in util.c when UBSan is on.)
		san=("-fsanitize=address,undefined" -fno-omit-frame-pointer -Wno-format-truncation)
	fi
	gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g "${san[@]}" -Iinclude \
		-o "$1" test/probe/probe-driver.c src/probe.c src/smbd_run.c src/util.c -ldl ||
		give_up "cannot build test/probe/probe-driver.c"
}
