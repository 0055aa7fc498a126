#!/bin/bash
# run.sh - golden tests of the rules: one directory per rule, CODE-name/.
#
#   fires*.conf      must produce at least one finding of the directory's rule
#   near-miss*.conf  must produce none of it
#   expected.txt     smblint --format=gcc output of every .conf, in name order
#
# A first line "# args: OPTIONS" in a .conf replaces the default options
# (--client=default --samba-version=4.17).  Cases run from inside their
# directory, so file names in the output are relative.
# UPDATE=1 rewrites expected.txt (review with git diff).  SMBLINT=path tests another binary.
cd "$(dirname "$0")/../.." || exit 2
smblint=$(realpath "${SMBLINT:-./smblint}")
pass=0 fail=0

# Prints the output for one case file.
run_conf() {
	local conf=$1 args
	args=$(head -n 1 "$conf" | sed -n 's/^# args: *//p')
	[ -n "$args" ] || args="--client=default --samba-version=4.17"
	echo "== $conf"
	# shellcheck disable=SC2086
	"$smblint" --no-settings --format=gcc --fail-on=none $args "$conf" 2>&1
	echo "-- exit $?"
}

for dir in test/rules/SL*/; do
	dir=${dir%/}
	code=$(basename "$dir" | cut -d- -f1)
	out=$(cd "$dir" && for c in *.conf; do run_conf "$c"; done)
	for c in "$dir"/fires*.conf "$dir"/near-miss*.conf; do
		[ -f "$c" ] || continue
		name=$(basename "$c")
		hits=$(cd "$dir" && run_conf "$name" | grep -c "\[$code\]$")
		case $name in
		fires*) [ "$hits" -gt 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: $c: $code does not fire"; } ;;
		*) [ "$hits" -eq 0 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: $c: $code fires"; } ;;
		esac
	done
	if [ -n "$UPDATE" ]; then
		printf '%s\n' "$out" >"$dir/expected.txt"
	fi
	if [ "$out" == "$(cat "$dir/expected.txt" 2>/dev/null)" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $dir: output differs from expected.txt"
		diff <(printf '%s\n' "$out") "$dir/expected.txt" | head -n 20
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
