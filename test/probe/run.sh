#!/bin/bash
# test/probe/run.sh - the live probe against throwaway smbd servers on loopback.
#
# Starts three smbd instances (through probe-driver's "serve", i.e. src/smbd_run.c),
# each on a free 127.0.0.1 port with its own folders, adds a Samba user, probes
# them as the client profiles, and checks the verdicts.  Every smbd is stopped by
# its pid on exit, whatever happens.  Needs root (useradd, smbpasswd), smbd,
# libsmbclient and python3.  Last line: "N passed, M failed".
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
export ROOT	# for PROBE_CMD=("$ROOT/smblint") below
T=$(mktemp -d /tmp/smblint-probe-test.XXXXXX)
chmod 755 "$T"
DRIVER="$T/probe-driver"

# The command under test.  It is called as
#   CMD --probe=127.0.0.1:PORT --client=LIST --format=json [-U USER%PASS | --probe-auth=FILE]
#       [--probe-timeout=SEC] CONF
# prints {"findings": [...], "probe": [...]} and exits 0 or 1, or 2 with the reason
# on stderr when nothing could be probed.  To test smblint itself, use:
#   PROBE_CMD=("$ROOT/smblint")
# (or run with PROBE_BIN=/path/to/smblint).
PROBE_CMD=("$DRIVER")
if [ -n "${PROBE_BIN:-}" ]; then
	PROBE_CMD=("$PROBE_BIN")
fi

SUITE=run.sh
USER_NAME=smblinttest
USER_PASS='Probe-Pass-123'
# shellcheck source=test/probe/lib.sh
. test/probe/lib.sh
server_pids=()		# probe-driver serve / hang processes
info_files=()

finish() {
	local rc=$? pid i f
	for pid in "${server_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${server_pids[@]}"; do
		for i in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	# Should a driver have died without stopping its smbd: that smbd, by pid.
	for f in "${info_files[@]}"; do
		[ -s "$f" ] || continue
		read -r _ pid dir _ <"$f" || continue
		if kill -0 "$pid" 2>/dev/null; then
			echo "run.sh: smbd $pid was still running; killing it" >&2
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
		fi
		case ${dir:-} in
		/tmp/smblint-smbd.*)
			kill_left "$dir"
			rm -rf "$dir"
			;;
		esac
	done
	cleanup
	exit "$rc"
}
trap finish EXIT

# --- prerequisites: fail loudly, never skip --------------------------------
need_samba

# --- the driver ------------------------------------------------------------
# SANITIZE=1 builds it with AddressSanitizer and UBSan.
build_driver "$DRIVER"
if ldd "$DRIVER" | grep smbclient >/dev/null; then
	bad "the probe code links libsmbclient (it must only dlopen it)"
else
	ok "libsmbclient is not linked in"
fi

cat >"$T/norm.py" <<'EOF'
import json, sys
doc = json.load(sys.stdin)
assert isinstance(doc.get("findings"), list), "no findings array"
cols = ["share", "client", "connected", "dialect", "guest", "signed", "encrypted", "status", "windows_error", "note"]
for r in doc["probe"]:
    out = []
    for c in cols:
        v = r[c]
        if isinstance(v, bool):
            v = "true" if v else "false"
        elif v is None:
            v = ""
        out.append(str(v).replace("\x1f", " ").replace("\n", " "))
    print("\x1f".join(out))
EOF
COLS=(share client connected dialect guest signed encrypted status windows_error note)

# --- servers ---------------------------------------------------------------
# start_server NAME GLOBAL_TEXT SHARES_TEXT [serve options...]: sets PORT_<NAME>,
# PID_<NAME>, DIR_<NAME>, CONF_<NAME>, DRV_<NAME>.
start_server() {
	local name=$1 global=$2 shares=$3
	shift 3
	printf '%s\n' "$global" >"$T/$name.global"
	printf '%s\n' "$shares" >"$T/$name.shares"
	local info="$T/$name.info"
	info_files+=("$info")
	"$DRIVER" serve --info="$info" --global="$T/$name.global" --shares="$T/$name.shares" "$@" \
		>"$T/$name.serve.log" 2>&1 &
	local drv=$!
	server_pids+=("$drv")
	printf -v "DRV_$name" '%s' "$drv"
}

wait_server() {
	local name=$1 info="$T/$1.info" i
	for i in $(seq 150); do
		[ -s "$info" ] && break
		local drv_var="DRV_$name"
		kill -0 "${!drv_var}" 2>/dev/null || break
		sleep 0.1
	done
	[ -s "$info" ] || give_up "server $name did not start" "$(cat "$T/$name.serve.log" 2>/dev/null)"
	local port pid dir conf
	read -r port pid dir conf <"$info"
	printf -v "PORT_$name" '%s' "$port"
	printf -v "PID_$name" '%s' "$pid"
	printf -v "DIR_$name" '%s' "$dir"
	printf -v "CONF_$name" '%s' "$conf"
	ok "server $name: smbd $pid listening on 127.0.0.1:$port"
}

# stop_server NAME: stops it through its driver and checks that nothing is left.
stop_server() {
	local name=$1 drv_var="DRV_$1" pid_var="PID_$1" dir_var="DIR_$1" i
	local drv=${!drv_var} pid=${!pid_var} dir=${!dir_var}
	local t0
	t0=$(now_ms)
	kill -TERM "$drv" 2>/dev/null || true
	for i in $(seq 100); do
		kill -0 "$drv" 2>/dev/null || break
		sleep 0.1
	done
	local took=$(($(now_ms) - t0))
	local left
	left=$(pids_using "$dir" | tr '\n' ' ')
	if kill -0 "$pid" 2>/dev/null; then
		bad "server $name: smbd $pid still running after stop"
	elif [ -n "$left" ]; then
		bad "server $name: processes left running after stop: $left"
	elif [ -e "$dir" ]; then
		bad "server $name: $dir still exists after stop"
	elif [ -s "$T/$name.serve.log" ]; then
		bad "server $name: the driver printed something" "$(head -5 "$T/$name.serve.log")"
	else
		ok "server $name: stopped in ${took} ms, folder removed"
	fi
}

# The Unix account behind the Samba user (removed at the end if made here).
make_user

GUEST_SHARES='[pub]
	path = @DIR@/pub
	guest ok = yes
	read only = no'

# A: guests mapped from bad users, SMB1 allowed; user, encrypted, printer and home shares.
start_server A 'map to guest = bad user
server min protocol = NT1' "$GUEST_SHARES
[priv]
	path = @DIR@/priv
	valid users = $USER_NAME
[enc]
	path = @DIR@/priv
	valid users = $USER_NAME
	smb encrypt = required
[lp]
	path = @DIR@/spool
	printable = yes
	guest ok = yes
[homes]
	path = @DIR@/homes/%S
	browseable = no
	read only = no" --mkdir=pub --mkdir=priv --mkdir=spool --mkdir=homes --mkdir="homes/$USER_NAME"

# B: SMB1 only.  Its user is added by smbd_run_add_user (serve --user).
start_server B 'server min protocol = NT1
server max protocol = NT1
map to guest = bad user' "$GUEST_SHARES" --mkdir=pub --user="$USER_NAME%$USER_PASS"

# C: Samba's default protocols, no guest mapping, signing required by the server.
# Its [typo], [group] and [mixed] test what SL1039 says of 'valid users' entries.
PRIMARY_GROUP=$(id -gn "$USER_NAME")
start_server C 'map to guest = never
server signing = mandatory' "$GUEST_SHARES
[priv]
	path = @DIR@/priv
	valid users = $USER_NAME
[typo]
	path = @DIR@/priv
	valid users = ${USER_NAME}x
[group]
	path = @DIR@/priv
	valid users = @$PRIMARY_GROUP
[mixed]
	path = @DIR@/priv
	valid users = nosuchuser1039, $USER_NAME" --mkdir=pub --mkdir=priv --user="$USER_NAME%$USER_PASS"

wait_server A
wait_server B
wait_server C

# The Samba user on server A, made here the way an administrator would.
if printf '%s\n%s\n' "$USER_PASS" "$USER_PASS" | smbpasswd -c "$CONF_A" -s -a "$USER_NAME" >"$T/smbpasswd.log" 2>&1; then
	ok "smbpasswd added $USER_NAME to server A"
else
	give_up "smbpasswd failed" "$(cat "$T/smbpasswd.log")"
fi

# --- probing -----------------------------------------------------------------
mkdir -p "$T/tmp"
ALL=win11-24h2,win10-enterprise,win10-home,smb1,win7,macos,linux-cifs

# probe NAME PORT|[ADDR]:PORT CLIENTS CONF [credential options]: table in $T/NAME.tsv
probe() {
	local name=$1 port=$2 clients=$3 conf=$4 rc=0 t0
	shift 4
	t0=$(now_ms)
	case $port in
	\[*) ;;
	*) port="127.0.0.1:$port" ;;
	esac
	TMPDIR="$T/tmp" "${PROBE_CMD[@]}" --probe="$port" --client="$clients" --format=json "$@" "$conf" \
		>"$T/$name.json" 2>"$T/$name.err" || rc=$?
	local took=$(($(now_ms) - t0))
	: >"$T/$name.tsv"
	if [ "$rc" -ge 2 ]; then
		bad "$name: probe failed (exit $rc)" "$(head -5 "$T/$name.err")"
		return 0
	fi
	if ! "${PY[@]}" "$T/norm.py" <"$T/$name.json" >"$T/$name.tsv" 2>"$T/$name.norm.err"; then
		bad "$name: output is not the expected JSON" "$(head -5 "$T/$name.json" "$T/$name.norm.err")"
		return 0
	fi
	if [ -s "$T/$name.err" ]; then
		bad "$name: something was printed on stderr" "$(head -5 "$T/$name.err")"
	else
		ok "$name: $(wc -l <"$T/$name.tsv") verdicts in $took ms, nothing on stderr"
	fi
}

# expect NAME SHARE CLIENT key=value|key~substring ...
expect() {
	local name=$1 share=$2 client=$3 row msg="" kv key want got i
	shift 3
	row=$(awk -F'\037' -v s="$share" -v c="$client" '$1 == s && $2 == c' "$T/$name.tsv")
	if [ -z "$row" ]; then
		bad "$name: $share as $client: no verdict"
		return 0
	fi
	local -a f
	IFS=$'\037' read -r -a f <<<"$row"
	for kv in "$@"; do
		local substring=no
		if [[ $kv =~ ^([a-z_]+)~(.*)$ ]]; then
			substring=yes
		elif ! [[ $kv =~ ^([a-z_]+)=(.*)$ ]]; then
			bad "expect: bad condition '$kv'"
			continue
		fi
		key=${BASH_REMATCH[1]}
		want=${BASH_REMATCH[2]}
		got=
		for i in "${!COLS[@]}"; do
			if [ "${COLS[$i]}" = "$key" ]; then
				got=${f[$i]:-}
			fi
		done
		if [ "$substring" = yes ]; then
			[[ $got == *"$want"* ]] || msg+="$key: wanted '$want' in '$got'; "
		else
			[ "$got" = "$want" ] || msg+="$key: wanted '$want', got '$got'; "
		fi
	done
	if [ -z "$msg" ]; then
		ok "$name: $share as $client: $*"
	else
		bad "$name: $share as $client" "$msg"
	fi
}

# (a) guest share behind "map to guest = bad user", no credentials.
probe A-guest "$PORT_A" "$ALL" "$CONF_A"
expect A-guest pub win10-home connected=true guest=true signed=false dialect=SMB3_11 status=NT_STATUS_OK
expect A-guest pub macos connected=true guest=true
expect A-guest pub linux-cifs connected=true guest=true
expect A-guest pub win7 connected=true guest=true dialect=SMB2_10
expect A-guest pub smb1 connected=true guest=true dialect=NT1
expect A-guest pub win10-enterprise connected=false guest=true status=NT_STATUS_SMB_GUEST_LOGON_BLOCKED \
	"windows_error~System error 1272" "windows_error~block unauthenticated guest access"
expect A-guest pub win11-24h2 connected=false guest=true status=NT_STATUS_INVALID_SIGNATURE \
	"windows_error~0xC000A000"
expect A-guest priv win10-home connected=false guest=true status=NT_STATUS_ACCESS_DENIED
expect A-guest priv win10-enterprise connected=false status=NT_STATUS_SMB_GUEST_LOGON_BLOCKED
expect A-guest lp win10-home connected=true guest=true
expect A-guest enc win10-home connected=false

# (b) user-only shares with valid credentials (and (c): SMB1 allowed on A).
probe A-user "$PORT_A" "$ALL" "$CONF_A" -U "$USER_NAME%$USER_PASS"
for c in win11-24h2 win10-enterprise win10-home macos linux-cifs; do
	expect A-user priv "$c" connected=true guest=false dialect=SMB3_11 encrypted=false
done
expect A-user priv win7 connected=true guest=false dialect=SMB2_10
expect A-user priv win11-24h2 signed=true
expect A-user priv win10-home signed=false
expect A-user priv smb1 connected=true guest=false dialect=NT1
expect A-user pub win11-24h2 connected=true guest=false signed=true
expect A-user enc win10-home connected=true encrypted=true
expect A-user enc win11-24h2 connected=true encrypted=true signed=true
expect A-user enc win7 connected=false
expect A-user enc smb1 connected=false
expect A-user homes win10-home connected=true guest=false
expect A-user lp win11-24h2 connected=true

# The same credentials from smbclient's authentication file.
printf 'username = %s\npassword = %s\ndomain = WORKGROUP\n' "$USER_NAME" "$USER_PASS" >"$T/auth.txt"
probe A-authfile "$PORT_A" win10-home "$CONF_A" --probe-auth="$T/auth.txt"
expect A-authfile priv win10-home connected=true guest=false

# The same over IPv6, when loopback has ::1 (smbd listens there too).
if grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
	probe A-ipv6 "[::1]:$PORT_A" win10-home,win11-24h2 "$CONF_A" -U "$USER_NAME%$USER_PASS"
	expect A-ipv6 priv win10-home connected=true guest=false
	expect A-ipv6 priv win11-24h2 connected=true signed=true
else
	echo "(no ::1 on this machine: IPv6 not tested)"
fi

# (e) wrong password: refused, and not turned into a guest session.
probe A-badpass "$PORT_A" win11-24h2,win10-enterprise,win10-home,smb1 "$CONF_A" -U "$USER_NAME%wrong-password"
for c in win11-24h2 win10-enterprise win10-home smb1; do
	expect A-badpass priv "$c" connected=false guest=false status=NT_STATUS_LOGON_FAILURE "windows_error~1326"
done
expect A-badpass pub win10-home connected=false status=NT_STATUS_LOGON_FAILURE

# (d) server max protocol = NT1: SMB2 clients can't connect; the SMB1 one can.
probe B-user "$PORT_B" "$ALL" "$CONF_B" -U "$USER_NAME%$USER_PASS"
for c in win11-24h2 win10-enterprise win10-home macos linux-cifs; do
	expect B-user pub "$c" connected=false dialect= "windows_error~requires the obsolete SMB1 protocol"
done
expect B-user pub smb1 connected=true guest=false dialect=NT1
# Windows 7 still has its SMB1 client: from a server without SMB2 it takes NT1.
expect B-user pub win7 connected=true guest=false dialect=NT1

# Samba's defaults plus "map to guest = never" and mandatory signing.
probe C-user "$PORT_C" "$ALL" "$CONF_C" -U "$USER_NAME%$USER_PASS"
expect C-user priv win10-home connected=true signed=true
expect C-user priv win11-24h2 connected=true signed=true
expect C-user priv smb1 connected=false "windows_error~does not offer SMB1"
# SL1039: a 'valid users' entry naming no user lets no one in (only it: the whole
# share is refused); '@group' and a live entry beside a dead one do let the user in.
expect C-user typo win10-home connected=false status=NT_STATUS_ACCESS_DENIED
expect C-user group win10-home connected=true
expect C-user mixed win10-home connected=true
if [ -x "$ROOT/smblint" ]; then
	"$ROOT/smblint" --no-settings --host-checks=always --format=gcc --fail-on=none "$CONF_C" >"$T/sl1039.out" 2>&1
	got=$(grep -o "valid users: '[^']*'.*\[SL1039\]" "$T/sl1039.out" | sed "s/ is .*(share \[/ [/; s/\]) \[SL1039\]/]/" | sort | tr '\n' ' ')
	want=$(printf '%s\n' "valid users: '${USER_NAME}x' [typo]" "valid users: 'nosuchuser1039' [mixed]" | sort | tr '\n' ' ')
	if [ "$got" = "$want" ]; then
		ok "SL1039 names the dead entries of [typo] and [mixed], nothing else"
	else
		bad "SL1039 on server C's file: wanted '$want', got '$got'" "$(head -c 800 "$T/sl1039.out")"
	fi
fi
probe C-guest "$PORT_C" win10-home,win10-enterprise,win11-24h2 "$CONF_C"
for c in win10-home win10-enterprise win11-24h2; do
	expect C-guest pub "$c" connected=false guest=false status=NT_STATUS_LOGON_FAILURE \
		"windows_error~asks for a user name and password"
done

# --- the live rules (SL4001, SL4002): smblint itself, whatever PROBE_CMD is ---
cat >"$T/codes.py" <<'EOF'
import json, sys
print(" ".join(sorted({f["rule"] for f in json.load(sys.stdin)["findings"] if f["rule"].startswith("SL4")})))
EOF
# live NAME CLIENTS CONF [options]: the SL4xxx codes found, in $T/NAME.codes
live() {
	local name=$1 clients=$2 conf=$3 rc=0
	shift 3
	echo ERROR >"$T/$name.codes"
	TMPDIR="$T/tmp" "$ROOT/smblint" --probe="127.0.0.1:$PORT_A" --client="$clients" --format=json "$@" "$conf" \
		>"$T/$name.json" 2>"$T/$name.err" || rc=$?
	if [ "$rc" -ge 2 ]; then
		bad "$name: smblint --probe failed (exit $rc)" "$(head -5 "$T/$name.err")"
	elif ! "${PY[@]}" "$T/codes.py" <"$T/$name.json" >"$T/$name.codes" 2>"$T/$name.norm.err"; then
		bad "$name: output is not the expected JSON" "$(head -5 "$T/$name.json" "$T/$name.norm.err")"
	fi
}
if [ -x "$ROOT/smblint" ]; then
	# (a) smb1 cannot open [enc] (SMB1 has no encryption): SL4002; the file matches the server.
	live L-unreach win10-home,smb1 "$CONF_A" -U "$USER_NAME%$USER_PASS"
	if [ "$(cat "$T/L-unreach.codes")" = SL4002 ] &&
		grep -q 'smb1 cannot reach \[enc\]' "$T/L-unreach.json"; then
		ok "L-unreach: SL4002 for [enc] as smb1, no SL4001"
	else
		bad "L-unreach: wanted SL4002 only, got '$(cat "$T/L-unreach.codes")'" "$(head -c 600 "$T/L-unreach.json")"
	fi
	# (b) the file disables SMB1, the running server (min protocol NT1) does not: SL4001.
	sed 's/server min protocol = NT1/server min protocol = SMB2_02/' "$CONF_A" >"$T/nosmb1.conf"
	if grep -q 'server min protocol = SMB2_02' "$T/nosmb1.conf"; then
		live L-differs smb1,win10-home "$T/nosmb1.conf" -U "$USER_NAME%$USER_PASS"
		if grep -qw SL4001 "$T/L-differs.codes" &&
			grep -q 'the running server let smb1 negotiate NT1 on \[pub\], but this file disables SMB1' "$T/L-differs.json"; then
			ok "L-differs: SL4001 when the file disables SMB1 and the server still speaks NT1"
		else
			bad "L-differs: no SL4001 ('$(cat "$T/L-differs.codes")')" "$(head -c 600 "$T/L-differs.json")"
		fi
	else
		bad "L-differs: server A's configuration has no 'server min protocol = NT1' line" "$(head -20 "$CONF_A")"
	fi
	# (c) the file the server runs, a client that reaches every share: neither.
	live L-match win10-home "$CONF_A" -U "$USER_NAME%$USER_PASS"
	if [ -z "$(cat "$T/L-match.codes")" ]; then
		ok "L-match: no SL4001 or SL4002 when the file matches the server"
	else
		bad "L-match: wanted no SL4xxx, got '$(cat "$T/L-match.codes")'" "$(head -c 600 "$T/L-match.json")"
	fi
else
	bad "the live rules: $ROOT/smblint is not built (make)"
fi

left=$(find "$T/tmp" -mindepth 1 | head -3)
if [ -z "$left" ]; then
	ok "the probe left no temporary files"
else
	bad "the probe left temporary files" "$left"
fi

cp "$CONF_A" "$T/shares.conf"
stop_server A
stop_server C
stop_server B

# (f) a closed port (B's, now stopped): a fast, clear error.
t0=$(now_ms)
rc=0
"${PROBE_CMD[@]}" --probe="127.0.0.1:$PORT_B" --client=win10-home --format=json "$T/shares.conf" >"$T/closed.out" 2>"$T/closed.err" || rc=$?
took=$(($(now_ms) - t0))
if [ "$rc" -ge 2 ] && grep -q "Connection refused" "$T/closed.err" && [ "$took" -lt 3000 ]; then
	ok "closed port: exit $rc in $took ms: $(head -1 "$T/closed.err")"
else
	bad "closed port: exit $rc in $took ms" "$(cat "$T/closed.err")"
fi

# (g) a server that accepts TCP and never answers: gives up within the timeout (2 s).
"$DRIVER" hang --info="$T/hang.info" >/dev/null 2>&1 &
hang_pid=$!
server_pids+=("$hang_pid")
for i in $(seq 50); do
	[ -s "$T/hang.info" ] && break
	sleep 0.1
done
read -r hang_port _ <"$T/hang.info"
t0=$(now_ms)
rc=0
"${PROBE_CMD[@]}" --probe="127.0.0.1:$hang_port" --probe-timeout=2 --format=json "$T/shares.conf" \
	>"$T/hang.out" 2>"$T/hang.err" || rc=$?
took=$(($(now_ms) - t0))
if [ "$rc" -ge 2 ] && grep -q "did not answer" "$T/hang.err" && [ "$took" -lt 4000 ]; then
	ok "mute server: exit $rc in $took ms: $(head -1 "$T/hang.err")"
else
	bad "mute server: exit $rc in $took ms" "$(cat "$T/hang.err")"
fi
kill -TERM "$hang_pid" 2>/dev/null || true

# A server that answers the negotiation and then falls silent: the first attempt
# times out, the rest are not tried, and each verdict says so.
"$DRIVER" hang --negotiate --info="$T/hang2.info" >/dev/null 2>&1 &
hang_pid=$!
server_pids+=("$hang_pid")
for i in $(seq 50); do
	[ -s "$T/hang2.info" ] && break
	sleep 0.1
done
read -r hang_port _ <"$T/hang2.info"
t0=$(now_ms)
probe H-silent "$hang_port" "$ALL" "$T/shares.conf" --probe-timeout=2
took=$(($(now_ms) - t0))
if [ "$took" -lt 5000 ]; then
	ok "silent server: $took ms in all"
else
	bad "silent server: took $took ms"
fi
expect H-silent pub win11-24h2 connected=false dialect=SMB2_02 status=NT_STATUS_IO_TIMEOUT
expect H-silent priv smb1 connected=false status=NT_STATUS_IO_TIMEOUT
expect H-silent homes linux-cifs connected=false status=NT_STATUS_IO_TIMEOUT
# Without the SMB1 client (whose negotiation already times out), the logons time out.
t0=$(now_ms)
probe H-silent2 "$hang_port" win10-home,win11-24h2,win7 "$T/shares.conf" --probe-timeout=2
took=$(($(now_ms) - t0))
if [ "$took" -lt 8000 ]; then
	ok "silent server, SMB2 clients only: $took ms in all"
else
	bad "silent server, SMB2 clients only: took $took ms"
fi
expect H-silent2 pub win10-home connected=false status=NT_STATUS_IO_TIMEOUT "note~timed out"
expect H-silent2 homes win7 connected=false status=NT_STATUS_IO_TIMEOUT "note~not tried"
kill -TERM "$hang_pid" 2>/dev/null || true

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
