#!/bin/bash
# test/probe/start.sh - does smbd start, and serve the share?  smblint's findings
# that depend on this machine (SL1045 server-directory-missing, SL1031
# guest-account-missing, SL1050 interfaces-missing: smbd will not start; SL1047 vfs-module-missing: the
# share refuses connections) and one that does not (SL1042 on 'wide links',
# which smbd switches off), and SL1048 (smbclient with a file's protocol range)
# against a real smbd on each configuration.
#
# Every case points all of smbd's folders into this test's scratch folder (some
# missing, or missing their parent, or a file) and listens only on loopback at a
# high port.  smbd "starts" when it logs that it waits for connections within
# WAIT seconds, and "fails" when it exits first; either way it is stopped by its
# pid (and anything that still names the scratch folder is killed) before the
# next case.  smblint runs with --host-checks=always on the same file, and must
# report the rule exactly when smbd fails.  Needs root, smbd and smbclient.
# Last line: "N passed, M failed".
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

# start_verdict CONF LOG: "starts" or "fails" (smbd stopped again either way).
start_verdict() {
	local conf=$1 log=$2 verdict=
	"$SMBD" -F -s "$conf" --debug-stdout -d3 >"$log" 2>&1 <&7 &
	smbd_pid=$!
	for _ in $(seq $((WAIT * 10))); do
		if ! kill -0 "$smbd_pid" 2>/dev/null; then
			verdict=fails
			break
		fi
		if grep -q 'waiting for connections' "$log"; then
			verdict=starts
			break
		fi
		sleep 0.1
	done
	[ -n "$verdict" ] || verdict=starts   # still running after WAIT seconds
	stop_smbd
	echo "$verdict"
}

# case NAME RULE SETUP...: SETUP (shell code run in the case's folder $D) makes
# the folders and may change $conf's lines; RULE is the code smblint must report
# exactly when smbd fails.
case_() {
	local name=$1 rule=$2 setup=$3
	D=$T/$name
	mkdir -p "$D"
	mkdir -p "$D/lock" "$D/state" "$D/cache" "$D/pid" "$D/private" "$D/ncalrpc"
	lock=$D/lock state=$D/state cache=$D/cache pid=$D/pid private=$D/private ncalrpc=$D/ncalrpc guest=nobody ifs=lo
	eval "$setup"
	conf=$D/smb.conf
	cat >"$conf" <<EOF
[global]
	lock directory = $lock
	state directory = $state
	cache directory = $cache
	pid directory = $pid
	private dir = $private
	ncalrpc dir = $ncalrpc
	guest account = $guest
	log file = $D/log.%m
	smb ports = $PORT
	interfaces = $ifs
	bind interfaces only = yes
	disable netbios = yes
	load printers = no
	disable spoolss = yes
[s]
	path = $D
EOF
	local v findings reported=no
	v=$(start_verdict "$conf" "$D/smbd.out")
	findings=$("$SMBLINT" --no-settings --host-checks=always --format=gcc --fail-on=none "$conf" 2>&1)
	grep -qE "\[$rule[] ]" <<<"$findings" && reported=yes
	if { [ "$v" = fails ] && [ $reported = yes ]; } || { [ "$v" = starts ] && [ $reported = no ]; }; then
		ok "$name: smbd $v, $rule $([ $reported = yes ] && echo reported || echo silent)"
	else
		bad "$name: smbd $v but $rule $([ $reported = yes ] && echo reported || echo silent)" \
			"$(grep -iE 'error|fail|exit' "$D/smbd.out" | head -n 5; echo "$findings" | head -n 5)"
	fi
}

t0=$(now_ms)
case_ all-there SL1045 ':'
case_ lock-made SL1045 'rmdir "$D/lock"'
case_ state-made SL1045 'rmdir "$D/state"'
case_ pid-parent-missing SL1045 'pid=$D/nopid/pid'
case_ lock-parent-missing SL1045 'lock=$D/nolock/lock'
case_ state-parent-missing SL1045 'state=$D/nostate/state'
case_ cache-parent-missing SL1045 'cache=$D/nocache/cache'
case_ ncalrpc-parent-missing SL1045 'ncalrpc=$D/nonc/np'
case_ state-is-a-file SL1045 'rmdir "$D/state"; : >"$D/state"'
case_ private-missing SL1045 'rmdir "$D/private"'
case_ guest-account-exists SL1031 ':'
case_ guest-account-missing SL1031 'guest=smblint-no-such-guest'
case_ interfaces-lo SL1050 ':'
case_ interfaces-missing SL1050 'ifs="smblint-no-if0 smblint-no-if1"'
case_ interfaces-pattern SL1050 'ifs="smblint-no-if0 l*"'
case_ interfaces-address SL1050 'ifs=127.0.0.1'
case_ interfaces-not-an-address-here SL1050 'ifs=127.0.0.2'
case_ interfaces-network SL1050 'ifs=127.0.0.0/8'
case_ interfaces-bindable SL1050 'ifs=127.0.0.2/8'
case_ interfaces-unbindable SL1050 'ifs=192.0.2.1/24'
echo "(smbd start checks: $(($(now_ms) - t0)) ms)"

# --- VFS modules: one smbd, a share per module, each connected to as a guest.
# A share whose module smbd cannot load refuses the tree connect
# (BAD_NETWORK_NAME); SL1047 must name exactly those shares.  What is installed
# differs by machine (Debian's samba-vfs-modules is only recommended), and the
# verdicts come from smbd, so the expectations follow the machine.
t0=$(now_ms)
D=$T/vfs
mkdir -p "$D"/{lock,state,cache,pid,private,ncalrpc,data}
chmod 755 "$T" "$D" "$D/data"
conf=$D/smb.conf
shares=(plain builtin recycle typo prefix upper absolute)
mods=("" posixacl recycle recyle vfs_recycle Recycle /smblint-no-such-dir/mod.so)
{
	printf '[global]\n\tlock directory = %s\n\tstate directory = %s\n\tcache directory = %s\n' "$D/lock" "$D/state" "$D/cache"
	printf '\tpid directory = %s\n\tprivate dir = %s\n\tncalrpc dir = %s\n' "$D/pid" "$D/private" "$D/ncalrpc"
	printf '\tlog file = %s/log.%%m\n\tsmb ports = %s\n\tinterfaces = lo\n\tbind interfaces only = yes\n' "$D" "$PORT"
	printf '\tdisable netbios = yes\n\tload printers = no\n\tdisable spoolss = yes\n\tmap to guest = bad user\n'
	for i in "${!shares[@]}"; do
		printf '[%s]\n\tpath = %s/data\n\tguest ok = yes\n' "${shares[$i]}" "$D"
		[ -n "${mods[$i]}" ] && printf '\tvfs objects = %s\n' "${mods[$i]}"
	done
} >"$conf"
findings=$("$SMBLINT" --no-settings --host-checks=always --format=gcc --fail-on=none "$conf" 2>&1)
"$SMBD" -F -s "$conf" --debug-stdout -d3 >"$D/smbd.out" 2>&1 <&7 &
smbd_pid=$!
for _ in $(seq $((WAIT * 10))); do
	grep -q 'waiting for connections' "$D/smbd.out" && break
	kill -0 "$smbd_pid" 2>/dev/null || break
	sleep 0.1
done
if ! grep -q 'waiting for connections' "$D/smbd.out"; then
	bad "vfs: smbd did not start" "$(tail -n 5 "$D/smbd.out")"
else
	for i in "${!shares[@]}"; do
		name=${shares[$i]}
		out=$(smbclient -N -p "$PORT" "//127.0.0.1/$name" -c ls 2>&1)
		if grep -q NT_STATUS_BAD_NETWORK_NAME <<<"$out"; then
			v=refused
		elif grep -q 'blocks of size' <<<"$out"; then
			v=served
		else
			bad "vfs [$name]: neither served nor refused" "$(head -n 3 <<<"$out")"
			continue
		fi
		reported=no
		grep -E "\[SL1047[] ]" <<<"$findings" | grep -qF "[$name]" && reported=yes
		if { [ $v = refused ] && [ $reported = yes ]; } || { [ $v = served ] && [ $reported = no ]; }; then
			ok "vfs [$name] (${mods[$i]:-none}): smbd $v it, SL1047 $([ $reported = yes ] && echo reported || echo silent)"
		else
			bad "vfs [$name] (${mods[$i]:-none}): smbd $v it but SL1047 $([ $reported = yes ] && echo reported || echo silent)" \
				"$(grep -F "[$name]" <<<"$findings" | head -n 2)"
		fi
	done
	# Samba's own client with a protocol range of the file's: SL1048 must report
	# exactly the ranges with which smbclient cannot negotiate.
	for range in "SMB2 SMB3" "SMB3 SMB2" "default NT1"; do
		read -r cmin cmax <<<"$range"
		cconf=$D/client-$cmin-$cmax.conf
		printf '[global]\n\tclient min protocol = %s\n\tclient max protocol = %s\n' "$cmin" "$cmax" >"$cconf"
		out=$(smbclient -s "$cconf" -N -p "$PORT" //127.0.0.1/plain -c ls 2>&1)
		if grep -q 'blocks of size' <<<"$out"; then
			v=connects
		elif grep -q 'protocol negotiation failed' <<<"$out"; then
			v=fails
		else
			bad "client $cmin-$cmax: neither connected nor failed to negotiate" "$(tail -n 2 <<<"$out")"
			continue
		fi
		reported=no
		"$SMBLINT" --no-settings --format=gcc --fail-on=none "$cconf" 2>&1 | grep -qE "\[SL1048[] ]" && reported=yes
		if { [ $v = fails ] && [ $reported = yes ]; } || { [ $v = connects ] && [ $reported = no ]; }; then
			ok "client min $cmin, max $cmax: smbclient $v, SL1048 $([ $reported = yes ] && echo reported || echo silent)"
		else
			bad "client min $cmin, max $cmax: smbclient $v but SL1048 $([ $reported = yes ] && echo reported || echo silent)"
		fi
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
	mkdir -p "$D"/{lock,state,cache,pid,private,ncalrpc,data,outside}
	echo hello >"$D/outside/f.txt"
	ln -s "$D/outside" "$D/data/link"
	chmod 755 "$D" "$D/data" "$D/outside"
	chmod 644 "$D/outside/f.txt"
	conf=$D/smb.conf
	{
		printf '[global]\n\tlock directory = %s\n\tstate directory = %s\n\tcache directory = %s\n' "$D/lock" "$D/state" "$D/cache"
		printf '\tpid directory = %s\n\tprivate dir = %s\n\tncalrpc dir = %s\n' "$D/pid" "$D/private" "$D/ncalrpc"
		printf '\tlog file = %s/log.%%m\n\tsmb ports = %s\n\tinterfaces = lo\n\tbind interfaces only = yes\n' "$D" "$PORT"
		printf '\tdisable netbios = yes\n\tload printers = no\n\tdisable spoolss = yes\n\tmap to guest = bad user\n'
		[ $ux = no ] && printf '\tsmb1 unix extensions = no\n'
		printf '[w]\n\tpath = %s/data\n\tguest ok = yes\n\twide links = yes\n' "$D"
	} >"$conf"
	findings=$("$SMBLINT" --no-settings --format=gcc --fail-on=none "$conf" 2>&1)
	"$SMBD" -F -s "$conf" --debug-stdout -d3 >"$D/smbd.out" 2>&1 <&7 &
	smbd_pid=$!
	for _ in $(seq $((WAIT * 10))); do
		grep -q 'waiting for connections' "$D/smbd.out" && break
		kill -0 "$smbd_pid" 2>/dev/null || break
		sleep 0.1
	done
	out=$(smbclient -N -p "$PORT" //127.0.0.1/w -c 'get link/f.txt /dev/null' 2>&1)
	stop_smbd
	if grep -q 'getting file' <<<"$out"; then
		v=follows
	elif grep -q NT_STATUS_OBJECT_PATH_NOT_FOUND <<<"$out"; then
		v=refuses
	else
		bad "wide links ($ux unix extensions): the link neither opened nor was refused" "$(tail -n 3 <<<"$out")"
		continue
	fi
	reported=no
	grep -E "\[SL1042[] ]" <<<"$findings" | grep -q 'wide links' && reported=yes
	if { [ $v = refuses ] && [ $reported = yes ]; } || { [ $v = follows ] && [ $reported = no ]; }; then
		ok "wide links ($ux unix extensions): smbd $v the link, SL1042 $([ $reported = yes ] && echo reported || echo silent)"
	else
		bad "wide links ($ux unix extensions): smbd $v the link but SL1042 $([ $reported = yes ] && echo reported || echo silent)" \
			"$(grep -F 'wide links' <<<"$findings" | head -n 2)"
	fi
done
echo "(wide links checks: $(($(now_ms) - t0)) ms)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
