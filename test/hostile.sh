#!/bin/bash
# hostile.sh - inputs meant to hurt: include bombs, huge and deep files, binary
# garbage, invalid UTF-8, special files, unreadable files.  Every case must end
# (each run is under `timeout`), exit 0, 1 or 2 (never a signal or more), say
# something sensible, and stay within a memory bound.
#
# Environment: SMBLINT (binary, default ./smblint); HOSTILE_SLOW=N multiplies
# the time limits and drops the memory checks, HOSTILE_SMALL=1 makes the big
# inputs ten times smaller (both for sanitizer and valgrind runs).
# Last line: "N passed, M failed".
cd "$(dirname "$0")/.." || exit 2
bin=${SMBLINT:-./smblint}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
slow=${HOSTILE_SLOW:-1}
limit=$((10 * slow))
big_limit=$((20 * slow))   # the multi-megabyte cases: 20 s leaves room for a busy machine
div=1
[ -n "$HOSTILE_SMALL" ] && div=10
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smblint-hostile.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $name: $*"; }

# run NAME ARGS...: runs smblint under timeout; sets rc, $tmp/out, $tmp/err, rss (KB, or empty).
run() {
	name=$1
	shift
	if [ -x /usr/bin/time ]; then
		timeout -k 2 "$limit" /usr/bin/time -f %M -o "$tmp/rss" "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		rss=$(tail -n 1 "$tmp/rss" 2>/dev/null)
		case $rss in *[!0-9]*|'') rss= ;; esac
	else
		timeout -k 2 "$limit" "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		rss=
	fi
}

# expect_exit ALLOWED...: exit status one of ALLOWED; no timeout, no signal.
expect_exit() {
	case $rc in
	124|137) bad "no answer within ${limit}s (hang?)"; return 1 ;;
	esac
	for a in "$@"; do
		[ "$rc" = "$a" ] && return 0
	done
	bad "exit $rc, expected $* ($(head -c 200 "$tmp/err"))"
	return 1
}

# one_line: exit 2 must come with exactly one line on stderr naming the problem.
one_line() {
	local n
	n=$(wc -l <"$tmp/err")
	if [ "$n" -ne 1 ] || ! grep -qi "$1" "$tmp/err"; then
		bad "expected one line matching '$1' on stderr, got $n: $(head -c 300 "$tmp/err")"
		return 1
	fi
}

# mem_below KB: peak resident set stays under KB (skipped when unknown or slow mode).
mem_below() {
	[ -n "$rss" ] && [ "$slow" = 1 ] || return 0
	if [ "$rss" -gt "$1" ]; then
		bad "peak memory ${rss} KB, limit $1 KB"
		return 1
	fi
}

# json_ok: stdout is one valid JSON document, strictly UTF-8.
json_ok() {
	if ! python3 -c '
import json, sys
d = json.loads(sys.stdin.buffer.read().decode("utf-8", "strict"))
assert isinstance(d, dict) and isinstance(d.get("findings"), list)
' <"$tmp/out" 2>"$tmp/pyerr"; then
		bad "output is not valid UTF-8 JSON: $(tail -n 1 "$tmp/pyerr")"
		return 1
	fi
}

# case_lint NAME FILE [ALLOWED_EXITS]: the usual lint run in JSON; 0 or 1 by default.
case_lint() {
	local n=$1 f=$2
	shift 2
	[ $# -gt 0 ] || set -- 0 1
	run "$n" --format=json "$f"
	expect_exit "$@" && { [ "$rc" = 2 ] || json_ok; } && ok
}

# ---- include bombs --------------------------------------------------------

# A file including itself: Samba stops at depth 100 and fails the load.
printf '[global]\ninclude = %s/self.conf\n[s]\npath = /tmp\n' "$tmp" >"$tmp/self.conf"
run include-self --format=json "$tmp/self.conf"
expect_exit 1 && json_ok && ok

# Two files including each other.
printf '[global]\ninclude = %s/pong.conf\n' "$tmp" >"$tmp/ping.conf"
printf 'include = %s/ping.conf\n' "$tmp" >"$tmp/pong.conf"
run include-ping-pong --format=text "$tmp/ping.conf"
expect_exit 1 && ok

# A chain of 150 distinct files: deeper than Samba's limit of 100.
for i in $(seq 0 149); do
	printf '[share%d]\npath = /srv/%d\ninclude = %s/chain%d.conf\n' "$i" "$i" "$tmp" $((i + 1)) >"$tmp/chain$i.conf"
done
run include-chain-150 --format=json "$tmp/chain0.conf"
expect_exit 1 && json_ok && ok

# Fan-out bomb: every level includes the next one twice, 40 levels: 2^40 reads if
# nothing bounds the total.  Must stop and report (a finding or exit 2), not hang.
for i in $(seq 0 39); do
	printf 'include = %s/fan%d.conf\ninclude = %s/fan%d.conf\n' "$tmp" $((i + 1)) "$tmp" $((i + 1)) >"$tmp/fan$i.conf"
done
printf '[fanshare]\npath = /srv\n' >"$tmp/fan40.conf"
run include-fanout-2^40 --format=json "$tmp/fan0.conf"
expect_exit 1 2 && { [ "$rc" = 2 ] || json_ok; } && mem_below 1048576 && ok

# ---- special files as includes ------------------------------------------

mkdir "$tmp/adir"
mkfifo "$tmp/fifo"
printf '[global]\ninclude = %s/adir\ninclude = %s/fifo\ninclude = /dev/zero\ninclude = /dev/null\n[s]\npath = /srv\n' \
	"$tmp" "$tmp" >"$tmp/special.conf"
run include-dir-fifo-zero --format=json "$tmp/special.conf"
expect_exit 0 1 && json_ok && ok

# A symbolic link pointing at itself and a path longer than PATH_MAX as includes.
ln -s "$tmp/linkloop" "$tmp/linkloop"
printf '[global]\ninclude = %s/linkloop\ninclude = /%s\n' "$tmp" "$(head -c 5000 /dev/zero | tr '\0' a)" >"$tmp/paths.conf"
run include-symlink-loop-long-path --format=json "$tmp/paths.conf"
expect_exit 0 1 && json_ok && ok

# ---- special files as arguments ------------------------------------------

run arg-symlink-loop "$tmp/linkloop"
expect_exit 2 && one_line 'symbolic links\|loop' && ok

run arg-directory "$tmp/adir"
expect_exit 2 && one_line 'directory' && ok

run arg-fifo "$tmp/fifo"
expect_exit 2 && one_line 'fifo\|regular' && ok

run arg-dev-zero /dev/zero
expect_exit 2 && one_line 'regular\|device\|large' && ok

run arg-missing "$tmp/no-such-file.conf"
expect_exit 2 && one_line 'no such file' && ok

# Standard input that never ends: the read limit must stop it.
name=stdin-dev-zero
timeout -k 2 $((30 * slow)) "$bin" --format=json - </dev/zero >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_exit 2 && one_line 'large\|limit' && ok

# Unreadable file: root reads anything, so run as nobody when possible.
printf '[s]\npath = /srv\n' >"$tmp/secret.conf"
chmod 000 "$tmp/secret.conf"
name=unreadable
if [ "$(id -u)" -ne 0 ]; then
	run unreadable "$tmp/secret.conf"
	expect_exit 2 && one_line 'permission' && ok
elif command -v setpriv >/dev/null && cp "$bin" "$tmp/smblint-nobody" && chmod 755 "$tmp/smblint-nobody" &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
	# A copy in the temporary folder: nobody may not reach the build tree.
	timeout -k 2 "$limit" setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$tmp/smblint-nobody" "$tmp/secret.conf" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_exit 2 && one_line 'permission' && ok
else
	echo "skip unreadable: cannot drop root privileges here (setpriv, user nobody)"
fi
chmod 644 "$tmp/secret.conf"

# ---- degenerate contents -------------------------------------------------

: >"$tmp/empty.conf"
case_lint empty-file "$tmp/empty.conf"
[ "$rc" = 0 ] || bad "an empty file should be clean (exit 0), got $rc"

python3 -c 'import random, sys; sys.stdout.buffer.write(random.Random(7).randbytes((1 << 20) // '"$div"'))' >"$tmp/garbage.bin"
case_lint binary-garbage-1MB "$tmp/garbage.bin"

# Invalid UTF-8 (and control bytes) in section names, parameter names and values.
printf '[sh\xffare\xc3]\n\xfe\xfe = \xc0\xaf\n[\x1b[31mred\x1b[0m]\npath = /srv/\xed\xa0\x80\n\xc3\x28guest ok = yes\n[ok]\ncomment = caf\xc3\xa9 \xe2\x82\n' \
	>"$tmp/badutf8.conf"
case_lint invalid-utf8 "$tmp/badutf8.conf"
run invalid-utf8-sarif --format=sarif "$tmp/badutf8.conf"
if expect_exit 0 1; then
	if python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8","strict"))' <"$tmp/out"; then
		ok
	else
		bad "SARIF output is not valid UTF-8 JSON"
	fi
fi
run invalid-utf8-text --format=text "$tmp/badutf8.conf"
if expect_exit 0 1; then
	if grep -q $'\x1b\[31m' "$tmp/out"; then bad "escape sequences from the file reach the terminal"; else ok; fi
fi

# NUL bytes everywhere.
python3 -c '
import sys
sys.stdout.buffer.write(b"[global]\n\0map to guest = bad user\n[a\0b]\npath = /srv\0/x\n\0\0\0\n" * 1000)' >"$tmp/nul.conf"
case_lint nul-bytes "$tmp/nul.conf"

# ---- size and depth: multi-megabyte inputs get the longer limit -------------
limit=$big_limit

# A million sections (6.9 MB of 7-byte lines): linear work, about 500 bytes a section at most.
seq 1 $((1000000 / div)) | sed 's/.*/[s&]/' >"$tmp/million.conf"
run million-sections --format=json "$tmp/million.conf"
expect_exit 0 1 && mem_below $((512 * 1024)) && ok

# 200,000 different parameters in one share (parametric and unknown ones): no quadratic look-ups.
python3 -c '
import sys
w = sys.stdout.write
w("[big]\n")
for i in range(100000 // '"$div"'):
    w("x%d:opt = %d\nunknown param %d = v\n" % (i, i, i))' >"$tmp/wide.conf"
run wide-section --format=json "$tmp/wide.conf"
expect_exit 0 1 && ok

# One 50 MB line.
{ printf '[s]\ncomment = '; head -c $((50000000 / div)) /dev/zero | tr '\0' x; printf '\n'; } >"$tmp/longline.conf"
run long-line-50MB --format=json "$tmp/longline.conf"
expect_exit 0 1 2 && mem_below $((4 * 50000 + 65536)) && ok

# 100,000 backslash-continued lines making one logical line.
python3 -c '
import sys
sys.stdout.write("[s]\ncomment = start \\\n" + "more text \\\n" * (100000 // '"$div"') + "end\n")' >"$tmp/cont.conf"
run continuation-100k --format=json "$tmp/cont.conf"
expect_exit 0 1 && ok

# 20 MB of empty lines: one node for the whole run, not one per byte.
head -c $((20000000 / div)) /dev/zero | tr '\0' '\n' >"$tmp/newlines.conf"
printf '[s]\npath = /srv\n' >>"$tmp/newlines.conf"
run newlines-20MB --format=json "$tmp/newlines.conf"
expect_exit 0 1 && json_ok && mem_below $((4 * 20000 + 8192)) && ok

# A 100 MB file: a finding or one clear line (exit 2), and bounded memory.
yes '# padding comment line of a very large configuration file, nothing else' | head -c $((100000000 / div)) >"$tmp/huge.conf"
printf '[s]\npath = /srv\nguest ok = yes\n' >>"$tmp/huge.conf"
run huge-100MB --format=text "$tmp/huge.conf"
if expect_exit 0 1 2; then
	{ [ "$rc" != 2 ] || one_line 'large\|limit'; } && mem_below $((4 * 100000 + 65536)) && ok
fi

# Millions of one-byte lines (each a node and a finding): past 4,194,304 lines smblint
# refuses the file in one line rather than take gigabytes.  Not scaled down: the
# refusal happens before parsing, so it is quick under the sanitizers too.
python3 -c 'import sys; sys.stdout.write("x\n" * 4300000)' >"$tmp/xlines.conf"
run lines-4.3M --format=json "$tmp/xlines.conf"
expect_exit 2 && one_line 'too many lines' && mem_below 65536 && ok

# The same file as an include: a finding (SL1017), and it is not read.
printf '[global]\ninclude = %s/xlines.conf\n[s]\npath = /srv\n' "$tmp" >"$tmp/incxlines.conf"
run include-lines-4.3M --format=json "$tmp/incxlines.conf"
expect_exit 0 1 && json_ok && grep -q 'SL1017' "$tmp/out" && mem_below 65536 && ok

# Two includes of 2.5 million lines each: together past the limit, so the second is not read.
python3 -c 'import sys; sys.stdout.write("# c\n" * 2500000)' >"$tmp/clines.conf"
printf '[global]\ninclude = %s/clines.conf\ninclude = %s/clines.conf\n' "$tmp" "$tmp" >"$tmp/inc2.conf"
run include-lines-budget --format=json "$tmp/inc2.conf"
expect_exit 0 1 && json_ok && grep -q 'was not read' "$tmp/out" && ok

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
