#!/bin/bash
# test/probe/verify.sh - --fix --verify-live and --fix --probe --reload against real smbd servers.
#
# --verify-live starts its own two throwaway smbd servers (src/smbd_run.c) with the
# system passdb as the configuration names it: the configurations here point
# "private dir" and "passdb backend" at this test's folder, where a Samba user is
# added, so nothing of the machine's own Samba is touched.  The --reload cases
# run one smbd of their own, started here with the broken configuration, which
# smblint then fixes in place and has reloaded.  Every smbd is stopped by its pid
# on exit, whatever happens.  Needs root (useradd, smbpasswd), smbd, smbcontrol,
# libsmbclient and python3.  Last line: "N passed, M failed".
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SMBLINT=${SMBLINT:-$ROOT/smblint}
T=$(mktemp -d /tmp/smblint-verify-test.XXXXXX)
chmod 755 "$T"		# smbd serves users who must walk through it

SUITE=verify.sh
USER_NAME=smblintvfy
USER_PASS='Verify-Pass-123'
# shellcheck source=test/probe/lib.sh
. test/probe/lib.sh
live_pid=		# the smbd started here for --reload

stop_live() {
	local i
	[ -n "$live_pid" ] || return 0
	kill -TERM "$live_pid" 2>/dev/null || true
	for i in $(seq 50); do
		kill -0 "$live_pid" 2>/dev/null || break
		sleep 0.1
	done
	# smbd leads its own process group (it calls setsid): its helpers go with it.
	kill -KILL -- "-$live_pid" 2>/dev/null || kill -KILL "$live_pid" 2>/dev/null || true
	wait "$live_pid" 2>/dev/null || true
	live_pid=
	exec 7>&- 2>/dev/null || true
}

finish() {
	local rc=$?
	stop_live
	# Anything smblint left behind under our folder (it should leave nothing).
	kill_left "$T/"
	cleanup
	exit "$rc"
}
trap finish EXIT

# --- prerequisites: fail loudly, never skip --------------------------------
[ -x "$SMBLINT" ] || give_up "$SMBLINT is not built (run make)"
need_samba smbcontrol

t_start=$(now_ms)

# --- the account and its passdb (in $T, named by every configuration below) --
mkdir -p "$T/private" "$T/priv" "$T/pub" "$T/tmp"
chmod 777 "$T/priv" "$T/pub"
make_user
PASSDB="	private dir = $T/private
	passdb backend = tdbsam:$T/private/passdb.tdb"
printf '[global]\n%s\n' "$PASSDB" >"$T/passdb.conf"
if printf '%s\n%s\n' "$USER_PASS" "$USER_PASS" | smbpasswd -c "$T/passdb.conf" -s -a "$USER_NAME" >"$T/smbpasswd.log" 2>&1; then
	ok "smbpasswd added $USER_NAME to the test passdb"
else
	give_up "smbpasswd failed" "$(cat "$T/smbpasswd.log")"
fi

# run NAME [smblint options...]: stdout, stderr and status in $T/NAME.{out,err,rc}, time in $T/NAME.ms.
# smblint's temporary folders go to $T/tmp, which must be empty (and unused) afterwards.
run() {
	local name=$1 rc=0 t0 left
	shift
	t0=$(now_ms)
	TMPDIR="$T/tmp" "$SMBLINT" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
	echo "$rc" >"$T/$name.rc"
	echo $(($(now_ms) - t0)) >"$T/$name.ms"
	left=$(find "$T/tmp" -mindepth 1 -maxdepth 1 | head -3)
	if [ -n "$left" ]; then
		bad "$name: temporary files left behind" "$left"
		rm -rf "${T:?}/tmp/"*
	fi
	left=$(pids_using "$T/tmp/" | tr '\n' ' ')
	if [ -n "$left" ]; then
		bad "$name: processes left running: $left"
	fi
}

# expect_rc NAME WANT
expect_rc() {
	local got
	got=$(cat "$T/$1.rc")
	if [ "$got" = "$2" ]; then
		ok "$1: exit $got in $(cat "$T/$1.ms") ms"
	else
		bad "$1: exit $got, wanted $2" "$(head -20 "$T/$1.err" "$T/$1.out")"
	fi
}

# expect_in NAME out|err TEXT: TEXT appears (as a fixed string) in that output
expect_in() {
	if grep -qF -- "$3" "$T/$1.$2"; then
		ok "$1: $2 says: $3"
	else
		bad "$1: $2 lacks: $3" "$(head -30 "$T/$1.$2")"
	fi
}
expect_not_in() {
	if grep -qF -- "$3" "$T/$1.$2"; then
		bad "$1: $2 should not say: $3" "$(grep -F -- "$3" "$T/$1.$2" | head -5)"
	else
		ok "$1: $2 does not say: $3"
	fi
}

# json NAME PYTHON-EXPRESSION: the expression (over d, the parsed stdout) must be true
json() {
	local name=$1 expr=$2
	if "${PY[@]}" -c '
import json, sys
d = json.load(open(sys.argv[1]))
def check(share, client):
    for c in d["verify_live"]["checks"]:
        if c["share"] == share and c["client"] == client:
            return c
    raise SystemExit("no check for [%s] %s" % (share, client))
def verdict(key, share, client):
    for v in d["reload"][key]:
        if v["share"] == share and v["client"] == client:
            return v
    raise SystemExit("no %s verdict for [%s] %s" % (key, share, client))
if not eval(sys.argv[2]):
    raise SystemExit("false")
' "$T/$name.out" "$expr" 2>"$T/$name.json.err"; then
		ok "$name: $expr"
	else
		bad "$name: $expr" "$(cat "$T/$name.json.err"; head -c 1500 "$T/$name.out")"
	fi
}

# =============================================================================
# (a) map to guest = bad user and a user share: the fix (map to guest = never)
#     turns the dead end of win10-enterprise and win11-24h2 into a password
#     prompt after which the user gets in.  Written.  A share whose folder is
#     missing here is reported as not testable and does not block.
# =============================================================================
A_CONF="[global]
	workgroup = WORKGROUP
$PASSDB
	map to guest = bad user

[priv]
	path = $T/priv
	valid users = $USER_NAME
	read only = no

[gone]
	path = $T/no-such-folder
	valid users = $USER_NAME
"
printf '%s' "$A_CONF" >"$T/a.conf"
cp -p "$T/a.conf" "$T/a.orig"
chmod 640 "$T/a.conf"
run a-text --fix --verify-live -U "$USER_NAME%$USER_PASS" "$T/a.conf"
expect_rc a-text 0
check "a-text: map to guest = never was written" grep -q '^	map to guest = never$' "$T/a.conf"
check "a-text: a backup of the original was kept" cmp -s "$T/a.orig" "$T/a.conf.smblint.bak"
check "a-text: the file kept its mode" [ "$(stat -c %a "$T/a.conf")" = 640 ]
expect_in a-text out "Live verification of the fix"
expect_in a-text out "[priv]  win10-enterprise  refused (SMB_GUEST_LOGON_BLOCKED)  prompt, then $USER_NAME"
expect_in a-text out "[priv]  win11-24h2        refused (INVALID_SIGNATURE)"
expect_in a-text out "not testable: path missing: $T/no-such-folder"
expect_in a-text out "the fix was written"
expect_in a-text err "smblint: fixed $T/a.conf (1 fix; backup in $T/a.conf.smblint.bak)"
cp "$T/a.conf" "$T/a.fixedref"

# The same as JSON, on a fresh copy; the credentials from an authentication file.
cp -p "$T/a.orig" "$T/a.conf"
rm -f "$T/a.conf.smblint.bak"
printf 'username = %s\npassword = %s\n' "$USER_NAME" "$USER_PASS" >"$T/auth.txt"
run a-json --fix --verify-live --probe-auth="$T/auth.txt" --no-backup -f json "$T/a.conf"
expect_rc a-json 0
check "a-json: fixed, no backup" bash -c "grep -q '^	map to guest = never$' '$T/a.conf' && [ ! -e '$T/a.conf.smblint.bak' ]"
json a-json 'd["verify_live"]["written"] is True'
for c in win10-enterprise win11-24h2; do
	json a-json "check('priv', '$c')['before'] == 'refused' and check('priv', '$c')['after'] == 'reachable' and check('priv', '$c')['verdict'] == 'fixed'"
	json a-json "'asks for a password, then connects as $USER_NAME' in check('priv', '$c')['after_detail']"
done
json a-json "check('priv', 'win11-24h2')['before_detail'].startswith('refused: guest session refused: signing required (0xC000A000')"
json a-json "check('priv', 'win10-enterprise')['before_detail'].startswith('refused: guest session refused by the client')"
json a-json "check('priv', 'win10-home')['verdict'] == 'ok'"
json a-json "check('gone', 'win10-home')['verdict'] == 'not testable' and not check('gone', 'win10-home')['blocks']"
json a-json "len([v for v in d['verify_live']['verdicts'] if v['identity'] == 'user']) == 6"

# -o: the fixed file goes elsewhere; the original stays.
cp -p "$T/a.orig" "$T/a.conf"
run a-output --fix --verify-live -U "$USER_NAME%$USER_PASS" -o "$T/a.fixed" "$T/a.conf"
expect_rc a-output 0
check "a-output: the original is untouched" cmp -s "$T/a.orig" "$T/a.conf"
check "a-output: the fixed copy is written" grep -q '^	map to guest = never$' "$T/a.fixed"

# =============================================================================
# (b) A guest-only share and no accounts to offer: the fix (map to guest =
#     never) takes win10-home's guest access away and gives win10-enterprise
#     and win11-24h2 only a password prompt nobody can answer.  Not written.
# =============================================================================
printf '[global]\n%s\n\tmap to guest = bad user\n\n[public]\n\tpath = %s\n\tguest ok = yes\n\tguest only = yes\n' \
	"$PASSDB" "$T/pub" >"$T/b.conf"
cp -p "$T/b.conf" "$T/b.orig"
run b-guest --fix --verify-live "$T/b.conf"
expect_rc b-guest 2
check "b-guest: nothing written" cmp -s "$T/b.orig" "$T/b.conf"
check "b-guest: no backup" [ ! -e "$T/b.conf.smblint.bak" ]
expect_in b-guest out "[public] win10-home: reachable before (connects as guest), but now asks for a user name and password"
expect_in b-guest out "[public] win11-24h2: refused before (guest session refused: signing required (0xC000A000 NT_STATUS_INVALID_SIGNATURE)); now asks for a password, but no credentials were given"
expect_in b-guest out "[public] win10-enterprise: refused before (guest session refused by the client's policy"
expect_in b-guest out "Not written (3 problems)"
expect_in b-guest err "the fix was not written (3 problems, listed above)"

# (b2) A fix that does not touch the guest fallback (the rule is disabled; a
#      deprecated line goes): the guest share stays out of reach for win11-24h2
#      and win10-enterprise, so the fix is not written, and the reason is given
#      on standard error next to the JSON report.
printf '[global]\n%s\n\tmap to guest = bad user\n\tencrypt passwords = yes\n\n[public]\n\tpath = %s\n\tguest ok = yes\n' \
	"$PASSDB" "$T/pub" >"$T/b2.conf"
cp -p "$T/b2.conf" "$T/b2.orig"
run b2-still --fix --verify-live --disable=guest-fallback -U "$USER_NAME%$USER_PASS" -f json "$T/b2.conf"
expect_rc b2-still 2
check "b2-still: nothing written" cmp -s "$T/b2.orig" "$T/b2.conf"
expect_in b2-still err "smblint: --verify-live: [public] win11-24h2: still refused: guest session refused: signing required (0xC000A000 NT_STATUS_INVALID_SIGNATURE)"
expect_in b2-still err "smblint: --verify-live: [public] win10-enterprise: still refused: guest session refused by the client's policy (0xC05D0002 NT_STATUS_SMB_GUEST_LOGON_BLOCKED)"
json b2-still 'd["verify_live"]["written"] is False'
json b2-still "check('public', 'win11-24h2')['verdict'] == 'still refused' and check('public', 'win11-24h2')['blocks']"
json b2-still "check('public', 'win10-home')['verdict'] == 'ok'"
json b2-still "any(f['rule'] == 'SL1016' for f in d['findings'])"

# (b3) The fixed configuration must start: an invalid value that --unsafe-fixes
#      repairs makes the original fail to start, which counts as "no client gets
#      in before"; after the fix the user does.
printf '[global]\n%s\n\tmap to guest = never\n\n[priv]\n\tpath = %s\n\tvalid users = %s\n\tread only = no # for now\n' \
	"$PASSDB" "$T/priv" "$USER_NAME" >"$T/b3.conf"
run b3-broken --fix --unsafe-fixes --verify-live -U "$USER_NAME%$USER_PASS" "$T/b3.conf"
expect_rc b3-broken 0
expect_in b3-broken out "original configuration does not start"
expect_in b3-broken out "[priv]  win11-24h2        smbd fails  prompt, then $USER_NAME  fixed"
expect_in b3-broken err "smbd does not start with the original configuration"

# =============================================================================
# (c) --fix --probe --reload against a running smbd started with the broken
#     configuration: smblint probes it, fixes the file in place, has smbd
#     reload it and probes again.
# =============================================================================
PORT=$("${PY[@]}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$T/live"/{pid,lock,state,cache,ncalrpc}
cat >"$T/live.conf" <<EOF
[global]
	server role = standalone server
	smb ports = $PORT
	interfaces = lo
	bind interfaces only = yes
	disable netbios = yes
	pid directory = $T/live/pid
	lock directory = $T/live/lock
	state directory = $T/live/state
	cache directory = $T/live/cache
	ncalrpc dir = $T/live/ncalrpc
$PASSDB
	rpc start on demand helpers = no
	load printers = no
	map to guest = bad user
	server min protocol = NT1

[pub]
	path = $T/pub
	guest ok = yes

[priv]
	path = $T/priv
	valid users = $USER_NAME
EOF
cp -p "$T/live.conf" "$T/live.orig"
# smbd -F ends when its standard input does: give it a FIFO that stays open.
mkfifo "$T/live.stdin"
exec 7<>"$T/live.stdin"
"$SMBD" -F --debug-stdout -s "$T/live.conf" <&7 >"$T/live.log" 2>&1 &
live_pid=$!
for i in $(seq 100); do
	(exec 2>/dev/null; : <"/dev/tcp/127.0.0.1/$PORT") && break
	kill -0 "$live_pid" 2>/dev/null || break
	sleep 0.1
done
if (exec 2>/dev/null; : <"/dev/tcp/127.0.0.1/$PORT"); then
	ok "live smbd $live_pid listening on 127.0.0.1:$PORT"
else
	give_up "the live smbd did not start" "$(tail -5 "$T/live.log")"
fi

# reset_live: the broken file again, and smbd told so.
reset_live() {
	cp -p "$T/live.orig" "$T/live.conf"
	rm -f "$T/live.conf.smblint.bak"
	kill -HUP "$live_pid"
	sleep 0.5
}

run c-reload --fix --probe="127.0.0.1:$PORT" --reload -f json "$T/live.conf"
expect_rc c-reload 1		# fixed; the guest-share warning remains
check "c-reload: map to guest = never written" grep -q '^	map to guest = never$' "$T/live.conf"
check "c-reload: server min protocol = NT1 removed" bash -c "! grep -q 'server min protocol' '$T/live.conf'"
json c-reload 'd["reload"]["reloaded"] is True and "smbcontrol" in d["reload"]["method"]'
json c-reload "verdict('before', 'pub', 'win10-home')['connected'] and verdict('before', 'pub', 'win10-home')['guest']"
json c-reload "verdict('after', 'pub', 'win10-home')['status'] == 'NT_STATUS_LOGON_FAILURE' and not verdict('after', 'pub', 'win10-home')['connected']"
json c-reload "verdict('before', 'pub', 'win10-enterprise')['status'] == 'NT_STATUS_SMB_GUEST_LOGON_BLOCKED'"
json c-reload "verdict('after', 'pub', 'win10-enterprise')['status'] == 'NT_STATUS_LOGON_FAILURE'"
json c-reload "'asks for a user name and password' in verdict('after', 'priv', 'win11-24h2')['windows_error']"
check "c-reload: the running smbd is still up" kill -0 "$live_pid"

# The same with credentials, as text: the user's verdicts before and after.
reset_live
run c-text --fix --probe="127.0.0.1:$PORT" --reload -U "$USER_NAME%$USER_PASS" "$T/live.conf"
expect_rc c-text 1
expect_in c-text out "Reload: probe of 127.0.0.1:$PORT as $USER_NAME, before and after the fix:"
expect_in c-text out "smbd reloaded its configuration (/usr/bin/smbcontrol -s $T/live.conf smbd reload-config)"
expect_in c-text out "[priv]  win11-24h2        yes SMB3_11 signed"

# smbcontrol missing: SIGHUP to the pid in the pid file does it.
reset_live
SMBCONTROL=/nonexistent/smbcontrol run c-sighup --fix --probe="127.0.0.1:$PORT" --reload -f json "$T/live.conf"
expect_rc c-sighup 1
expect_in c-sighup err "cannot run /nonexistent/smbcontrol (is Samba's smbcontrol installed?); trying SIGHUP"
json c-sighup "d['reload']['method'].startswith('SIGHUP to smbd $live_pid ')"
json c-sighup "not verdict('after', 'pub', 'win10-home')['connected']"

# Neither works (no smbcontrol, no pid file): the file is fixed, smbd is not
# reloaded, and that is exit status 2.
reset_live
mv "$T/live/pid/smbd.pid" "$T/live/smbd.pid.away"
SMBCONTROL=/nonexistent/smbcontrol run c-noreload --fix --probe="127.0.0.1:$PORT" --reload "$T/live.conf"
mv "$T/live/smbd.pid.away" "$T/live/pid/smbd.pid"
expect_rc c-noreload 2
check "c-noreload: the file is fixed anyway" grep -q '^	map to guest = never$' "$T/live.conf"
expect_in c-noreload err "is fixed, but smbd could not be asked to reload it"
expect_in c-noreload out "smbd was NOT reloaded"

# A server that is not there: nothing written.
reset_live
run c-noserver --fix --probe=127.0.0.1:1 --reload "$T/live.conf"
expect_rc c-noserver 2
check "c-noserver: nothing written" cmp -s "$T/live.orig" "$T/live.conf"
expect_in c-noserver err "cannot probe the running server first"

stop_live
left=$(pids_using "$T/live.conf" | tr '\n' ' ')
if [ -z "$left" ]; then ok "the live smbd stopped"; else bad "the live smbd left processes: $left"; fi

# =============================================================================
# (d) usage errors
# =============================================================================
run d-reload-noprobe --fix --reload "$T/a.conf"
expect_rc d-reload-noprobe 2
expect_in d-reload-noprobe err "--reload needs --probe"
run d-reload-nofix --probe --reload "$T/a.conf"
expect_rc d-reload-nofix 2
expect_in d-reload-nofix err "need --fix or --diff"
run d-verify-diff --diff --verify-live "$T/a.conf"
expect_rc d-verify-diff 2
expect_in d-verify-diff err "--verify-live and --reload go with --fix, not --diff"
run d-verify-stdin --fix --verify-live - </dev/null
expect_rc d-verify-stdin 2
expect_in d-verify-stdin err "--verify-live takes exactly one FILE"

# =============================================================================
# (e) a signal in the middle: both servers stopped, the folder removed, nothing
#     written, and smblint dies of the signal.
# =============================================================================
for delay in 0.1 0.3 0.6; do
	cp -p "$T/a.orig" "$T/a.conf"
	rm -f "$T/a.conf.smblint.bak"
	TMPDIR="$T/tmp" "$SMBLINT" --fix --verify-live -U "$USER_NAME%$USER_PASS" "$T/a.conf" >"$T/e.out" 2>"$T/e.err" &
	spid=$!
	sleep "$delay"
	kill -TERM "$spid" 2>/dev/null || true
	rc=0
	wait "$spid" || rc=$?
	left=$( (find "$T/tmp" -mindepth 1 -maxdepth 1; pids_using "$T/tmp/") | head -3)
	if [ "$rc" -eq 143 ] && [ -z "$left" ] && cmp -s "$T/a.orig" "$T/a.conf"; then
		ok "SIGTERM after ${delay}s: exit 143, nothing left, nothing written"
	elif [ "$rc" -eq 143 ] && [ -z "$left" ] && cmp -s "$T/a.fixedref" "$T/a.conf"; then
		# (the signal came after the verification, while the verified fix was written)
		ok "SIGTERM after ${delay}s: exit 143, nothing left, the verified fix written whole"
	elif [ "$rc" -eq 0 ] && [ -z "$left" ]; then
		ok "SIGTERM after ${delay}s: smblint had already finished (exit 0), nothing left"
	else
		bad "SIGTERM after ${delay}s: exit $rc" "$left$(cat "$T/e.err")"
		rm -rf "${T:?}/tmp/"*
	fi
done

echo "(all cases in $(($(now_ms) - t_start)) ms)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
