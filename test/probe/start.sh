#!/bin/bash
# test/probe/start.sh - does smbd start, and serve the share?  smblint's findings
# that depend on this machine (SL1045 server-directory-missing, SL1031
# guest-account-missing, SL1050 interfaces-missing: smbd will not start;
# SL1047 vfs-module-missing: the share refuses connections) and one that does
# not (SL1042 on 'wide links', which smbd switches off), and SL1048 (smbclient
# with a file's protocol range) against a real smbd on each configuration.
#
# Every configuration points all of smbd's folders into this test's scratch
# folder (some missing, or missing their parent, or a file) and listens only on
# loopback at a high port.  smbd "starts" when it logs that it waits for
# connections within WAIT seconds, and "fails" when it exits first; either way
# it is stopped by its pid (and anything that still names the scratch folder is
# killed) before the next one.  smblint runs on the same file and must report
# the rule exactly when smbd (or smbclient) fails.  Needs root, smbd and
# smbclient.  Last line: "N passed, M failed".
set -uo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SMBLINT=${SMBLINT:-$ROOT/smblint}
T=$(mktemp -d /tmp/smblint-start-test.XXXXXX)
SUITE=start.sh
USER_NAME=smblintstart	# never created: need_samba's helpers only
WAIT=${START_WAIT:-8}
PORT=$((40000 + $$ % 20000))
# shellcheck source=test/probe/lib.sh
. test/probe/lib.sh
smbd_pid=

stop_smbd() {
	[ -n "$smbd_pid" ] || return 0
	kill -TERM "$smbd_pid" 2>/dev/null
	for _ in $(seq 30); do
		kill -0 "$smbd_pid" 2>/dev/null || break
		sleep 0.1
	done
	# smbd leads its own process group (it calls setsid): its helpers go with it
	kill -KILL -- "-$smbd_pid" 2>/dev/null || kill -KILL "$smbd_pid" 2>/dev/null
	wait "$smbd_pid" 2>/dev/null
	smbd_pid=
	kill_left "$T/"
}
finish() {
	stop_smbd
	kill_left "$T/"
	rm -rf "$T"
}
trap finish EXIT

[ -x "$SMBLINT" ] || give_up "$SMBLINT is not built (run make)"
need_samba smbclient
# smbd -F ends when its standard input does: every smbd here reads a FIFO that stays open.
mkfifo "$T/stdin"
exec 7<>"$T/stdin"

# globals D [LINE...]: a [global] section whose folders are D/lock, D/state...
# (made here unless a LINE sets that parameter), listening on loopback at
# $PORT only, then each LINE.
globals() {
	local d=$1 p l
	shift
	echo "[global]"
	for p in lock:"lock directory" state:"state directory" cache:"cache directory" \
		pid:"pid directory" private:"private dir" ncalrpc:"ncalrpc dir"; do
		for l in "$@"; do [[ $l == "${p#*:} ="* ]] && continue 2; done
		mkdir -p "$d/${p%%:*}"
		printf '\t%s = %s\n' "${p#*:}" "$d/${p%%:*}"
	done
	for l in "$@"; do [[ $l == "interfaces ="* ]] && break; done
	[[ ${l:-} == "interfaces ="* ]] || printf '\tinterfaces = lo\n'
	printf '\tlog file = %s/log.%%m\n\tsmb ports = %s\n\tbind interfaces only = yes\n' "$d" "$PORT"
	printf '\tdisable netbios = yes\n\tload printers = no\n\tdisable spoolss = yes\n'
	for l in "$@"; do printf '\t%s\n' "$l"; done
}

# start_smbd CONF LOG: starts smbd and sets verdict to "starts" (it waits for
# connections; it keeps running, smbd_pid) or "fails" (it ended first).
start_smbd() {
	"$SMBD" -F -s "$1" --debug-stdout -d3 >"$2" 2>&1 <&7 &
	smbd_pid=$!
	disown "$smbd_pid"   # an smbd that panics is the point here, not news for the log
	verdict=starts   # unless it ends first, or after WAIT seconds still running
	for _ in $(seq $((WAIT * 10))); do
		grep -q 'waiting for connections' "$2" && return
		kill -0 "$smbd_pid" 2>/dev/null || { verdict=fails; return; }
		sleep 0.1
	done
}

# agree WHAT VERDICT BAD_VERDICT RULE REPORTED DETAIL: ok when RULE was
# reported (yes/no) exactly when the real verdict is the bad one.
agree() {
	local what=$1 v=$2 badv=$3 rule=$4 reported=$5 detail=${6:-} said
	said=$([ "$reported" = yes ] && echo reported || echo silent)
	if { [ "$v" = "$badv" ] && [ "$reported" = yes ]; } || { [ "$v" != "$badv" ] && [ "$reported" = no ]; }; then
		ok "$what: $v, $rule $said"
	else
		bad "$what: $v but $rule $said" "$detail"
	fi
}

# reports RULE [FILTER] < FINDINGS: yes when a finding of RULE (containing FILTER) is there.
reports() {
	if grep -E "\[$1[] ]" | grep -qF -- "${2:-}"; then echo yes; else echo no; fi
}

# --- does smbd start?  case NAME RULE LINE...: a configuration of the LINEs
# (SETUP, shell code run first in the case's folder $D, comes as $setup).
case_() {
	local name=$1 rule=$2 v findings
	shift 2
	D=$T/$name
	mkdir -p "$D"
	eval "${setup:-:}"
	conf=$D/smb.conf
	{ globals "$D" "guest account = ${guest:-nobody}" "$@"; printf '[s]\n\tpath = %s\n' "$D"; } >"$conf"
	start_smbd "$conf" "$D/smbd.out"
	stop_smbd
	v=$verdict
	findings=$("$SMBLINT" --no-settings --host-checks=always --format=gcc --fail-on=none "$conf" 2>&1)
	agree "$name: smbd" "$v" fails "$rule" "$(reports "$rule" <<<"$findings")" \
		"$(grep -iE 'error|fail|exit' "$D/smbd.out" | head -n 5; echo "$findings" | head -n 5)"
}

t0=$(now_ms)
case_ all-there SL1045
case_ lock-made SL1045 "lock directory = $T/lock-made/lock"
case_ state-made SL1045 "state directory = $T/state-made/state"
case_ pid-parent-missing SL1045 "pid directory = $T/pid-parent-missing/nopid/pid"
case_ lock-parent-missing SL1045 "lock directory = $T/lock-parent-missing/nolock/lock"
case_ state-parent-missing SL1045 "state directory = $T/state-parent-missing/nostate/state"
case_ cache-parent-missing SL1045 "cache directory = $T/cache-parent-missing/nocache/cache"
case_ ncalrpc-parent-missing SL1045 "ncalrpc dir = $T/ncalrpc-parent-missing/nonc/np"
setup=': >"$D/state"' case_ state-is-a-file SL1045 "state directory = $T/state-is-a-file/state"
case_ private-missing SL1045 "private dir = $T/private-missing/private"
case_ guest-account-exists SL1031
guest=smblint-no-such-guest case_ guest-account-missing SL1031
case_ interfaces-lo SL1050 "interfaces = lo"
case_ interfaces-missing SL1050 "interfaces = smblint-no-if0 smblint-no-if1"
case_ interfaces-pattern SL1050 "interfaces = smblint-no-if0 l*"
case_ interfaces-address SL1050 "interfaces = 127.0.0.1"
case_ interfaces-not-an-address-here SL1050 "interfaces = 127.0.0.2"
case_ interfaces-network SL1050 "interfaces = 127.0.0.0/8"
case_ interfaces-bindable SL1050 "interfaces = 127.0.0.2/8"
case_ interfaces-unbindable SL1050 "interfaces = 192.0.2.1/24"
echo "(smbd start checks: $(($(now_ms) - t0)) ms)"

# --- VFS modules: one smbd, a share per module, each connected to as a guest.
# A share whose module smbd cannot load refuses the tree connect
# (BAD_NETWORK_NAME); SL1047 must name exactly those shares.  What is installed
# differs by machine (Debian's samba-vfs-modules is only recommended), and the
# verdicts come from smbd, so the expectations follow the machine.
t0=$(now_ms)
D=$T/vfs
mkdir -p "$D/data"
chmod 755 "$T" "$D" "$D/data"
conf=$D/smb.conf
shares=(plain builtin recycle typo prefix upper absolute)
mods=("" posixacl recycle recyle vfs_recycle Recycle /smblint-no-such-dir/mod.so)
{
	globals "$D" "map to guest = bad user"
	for i in "${!shares[@]}"; do
		printf '[%s]\n\tpath = %s/data\n\tguest ok = yes\n' "${shares[$i]}" "$D"
		[ -n "${mods[$i]}" ] && printf '\tvfs objects = %s\n' "${mods[$i]}"
	done
} >"$conf"
findings=$("$SMBLINT" --no-settings --host-checks=always --format=gcc --fail-on=none "$conf" 2>&1)
start_smbd "$conf" "$D/smbd.out"
if [ "$verdict" != starts ]; then
	bad "vfs: smbd did not start" "$(tail -n 5 "$D/smbd.out")"
else
	for i in "${!shares[@]}"; do
		name=${shares[$i]}
		out=$(smbclient -N -p "$PORT" "//127.0.0.1/$name" -c ls 2>&1)
		if grep -q NT_STATUS_BAD_NETWORK_NAME <<<"$out"; then
			v="smbd refused it"
		elif grep -q 'blocks of size' <<<"$out"; then
			v="smbd served it"
		else
			bad "vfs [$name]: neither served nor refused" "$(head -n 3 <<<"$out")"
			continue
		fi
		agree "vfs [$name] (${mods[$i]:-none})" "$v" "smbd refused it" SL1047 \
			"$(reports SL1047 "[$name]" <<<"$findings")" "$(grep -F "[$name]" <<<"$findings" | head -n 2)"
	done
	# Samba's own client with a protocol range of the file's: SL1048 must report
	# exactly the ranges with which smbclient cannot negotiate.
	for range in "SMB2 SMB3" "SMB3 SMB2" "default NT1"; do
		read -r cmin cmax <<<"$range"
		cconf=$D/client-$cmin-$cmax.conf
		printf '[global]\n\tclient min protocol = %s\n\tclient max protocol = %s\n' "$cmin" "$cmax" >"$cconf"
		out=$(smbclient -s "$cconf" -N -p "$PORT" //127.0.0.1/plain -c ls 2>&1)
		if grep -q 'blocks of size' <<<"$out"; then
			v="smbclient connects"
		elif grep -q 'protocol negotiation failed' <<<"$out"; then
			v="smbclient fails"
		else
			bad "client $cmin-$cmax: neither connected nor failed to negotiate" "$(tail -n 2 <<<"$out")"
			continue
		fi
		agree "client min $cmin, max $cmax" "$v" "smbclient fails" SL1048 \
			"$("$SMBLINT" --no-settings --format=gcc --fail-on=none "$cconf" 2>&1 | reports SL1048)"
	done
fi
stop_smbd
echo "(vfs module and client protocol checks: $(($(now_ms) - t0)) ms)"

# --- wide links: a link in the share to a folder outside it, with and without
# SMB1 UNIX extensions (on by default).  SL1042 must report 'wide links = yes'
# exactly when smbd does not follow the link.
t0=$(now_ms)
for ux in default no; do
	D=$T/wide-$ux
	mkdir -p "$D/data" "$D/outside"
	echo hello >"$D/outside/f.txt"
	ln -s "$D/outside" "$D/data/link"
	chmod 755 "$D" "$D/data" "$D/outside"
	chmod 644 "$D/outside/f.txt"
	conf=$D/smb.conf
	extra=()
	[ $ux = no ] && extra=("smb1 unix extensions = no")
	{
		globals "$D" "map to guest = bad user" "${extra[@]}"
		printf '[w]\n\tpath = %s/data\n\tguest ok = yes\n\twide links = yes\n' "$D"
	} >"$conf"
	findings=$("$SMBLINT" --no-settings --format=gcc --fail-on=none "$conf" 2>&1)
	start_smbd "$conf" "$D/smbd.out"
	out=$(smbclient -N -p "$PORT" //127.0.0.1/w -c 'get link/f.txt /dev/null' 2>&1)
	stop_smbd
	if grep -q 'getting file' <<<"$out"; then
		v="smbd follows the link"
	elif grep -q NT_STATUS_OBJECT_PATH_NOT_FOUND <<<"$out"; then
		v="smbd refuses the link"
	else
		bad "wide links ($ux unix extensions): the link neither opened nor was refused" "$(tail -n 3 <<<"$out")"
		continue
	fi
	agree "wide links ($ux unix extensions)" "$v" "smbd refuses the link" SL1042 \
		"$(reports SL1042 'wide links' <<<"$findings")" "$(grep -F 'wide links' <<<"$findings" | head -n 2)"
done
echo "(wide links checks: $(($(now_ms) - t0)) ms)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
