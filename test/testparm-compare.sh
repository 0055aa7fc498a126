#!/bin/bash
# testparm-compare.sh - smblint's effective configuration must be what Samba's
# own loader makes of the same file.
#
# For every corpus file ($SMBLINT_CORPUS, default ../shared/corpus/real beside
# the repository), every test/fixtures/**/*.conf and every include fixture
# (test/fixtures/config/*.conf.in, instantiated in a scratch folder), runs
# `testparm -s FILE` and `./smblint --print-config FILE` and compares them:
#   - testparm loads the file: both outputs, normalised (blank runs collapsed,
#     lines sorted within each section, sections in any order, yes/no/true/false
#     in any case), must be equal;
#   - testparm refuses it ("Error loading services"): smblint must exit 1 and
#     say "FILE:LINE:COL: error: smbd will not start: REASON" on stderr.
# Both run from / like smbd, so relative includes resolve the same way.
# Files listed in test/testparm-exceptions.txt (name TAB reason) are reported,
# not judged.  Last line: "N passed, M failed"; exit status 1 when M > 0.
set -u
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
corpus=${SMBLINT_CORPUS:-$(git rev-parse --show-toplevel 2>/dev/null || pwd)/../shared/corpus/real}
smblint=$root/smblint
exceptions=$root/test/testparm-exceptions.txt

if ! command -v testparm >/dev/null 2>&1; then
	echo "testparm-compare: testparm (Debian package samba) is not installed"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$smblint" ]; then
	echo "testparm-compare: $smblint is missing: run make first"
	echo "0 passed, 1 failed"
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/testparm-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Include fixtures name their companions as @DIR@/...: make them absolute.
mkdir -p "$work/inc"
for f in test/fixtures/config/*.conf.in test/fixtures/config/inc/*; do
	[ -f "$f" ] || continue
	sed "s|@DIR@|$work/inc|g" "$f" >"$work/inc/$(basename "${f%.in}")"
done

files=()
if [ -d "$corpus" ]; then
	for f in "$corpus"/*; do
		[ -f "$f" ] && files+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")")
	done
else
	echo "testparm-compare: no corpus at $corpus (set SMBLINT_CORPUS)"
fi
while IFS= read -r f; do
	files+=("$root/$f")
done < <(find -H test/fixtures -name '*.conf' -type f | LC_ALL=C sort)   # -H: a symlink too (memcheck's shadow tree)
for f in test/fixtures/config/*.conf.in; do
	[ -f "$f" ] && files+=("$work/inc/$(basename "${f%.in}")")
done

# Sections and lines in a stable order; what differs only in layout or in the
# case of a boolean compares equal.
normalise() {
	awk '
	/^#/ || NF == 0 { next }
	/^\[/ { sec = $0; print sec "\t"; next }
	{
		line = $0
		gsub(/[ \t]+/, " ", line); sub(/^ /, "", line); sub(/ $/, "", line)
		n = index(line, " = ")
		if (n > 0) {
			v = tolower(substr(line, n + 3))
			if (v == "yes" || v == "no" || v == "true" || v == "false")
				line = substr(line, 1, n + 2) v
		}
		print sec "\t" line
	}' | LC_ALL=C sort
}

# One file: prints "PASS<TAB>name", "FAIL<TAB>name<TAB>why" or "EXC<TAB>name<TAB>why".
compare_one() {
	local f=$1 name out
	name=$(basename "$f")
	out=$work/out/$name.$$.$RANDOM
	mkdir -p "$work/out"
	local why
	why=$(awk -F'\t' -v n="$name" '$1 == n { print $2; exit }' "$exceptions" 2>/dev/null)
	(cd / && testparm -s "$f" >"$out.tp" 2>"$out.tperr" </dev/null)
	(cd / && "$smblint" --print-config --host-checks=always "$f" >"$out.sl" 2>"$out.slerr" </dev/null)
	local rc=$?
	local kind=PASS reason=
	if grep -q "Error loading services" "$out.tperr"; then
		if [ $rc -ne 1 ] || ! grep -q ':[0-9]*:[0-9]*: error: smbd will not start: ' "$out.slerr"; then
			kind=FAIL
			reason="testparm refuses the file; smblint exited $rc: $(head -c 300 "$out.slerr" | tr '\n\t' '  ')"
		fi
	elif [ $rc -ne 0 ]; then
		kind=FAIL
		reason="testparm loads the file; smblint exited $rc: $(head -c 300 "$out.slerr" | tr '\n\t' '  ')"
	elif ! cmp -s <(normalise <"$out.tp") <(normalise <"$out.sl"); then
		kind=FAIL
		reason="$(diff <(normalise <"$out.tp") <(normalise <"$out.sl") | head -n 8 | tr '\n\t' '  ')"
	fi
	[ $kind = PASS ] && ! grep -q "Error loading services" "$out.tperr" && cmp -s "$out.tp" "$out.sl" &&
		reason=identical
	if [ -n "$why" ]; then
		[ $kind = PASS ] && why="$why (agrees with testparm now: the exception can go)"
		printf 'EXC\t%s\t%s\n' "$name" "$why"
	else
		printf '%s\t%s\t%s\n' "$kind" "$name" "$reason"
	fi
	rm -f "$out".*
}
export -f compare_one normalise
export work smblint exceptions

printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P 2 bash -c 'compare_one "$1"' _ >"$work/results"

pass=$(grep -c '^PASS' "$work/results")
exact=$(grep -c '^PASS	.*	identical$' "$work/results")
fail=$(grep -c '^FAIL' "$work/results")
while IFS=$'\t' read -r kind name why; do
	case $kind in
	FAIL) printf 'FAIL %s: %s\n' "$name" "$why" ;;
	EXC) printf 'exception %s: %s\n' "$name" "$why" ;;
	esac
done <"$work/results"
echo "($exact of the outputs are identical to testparm's byte for byte)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
