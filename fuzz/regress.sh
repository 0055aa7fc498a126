#!/bin/bash
# regress.sh - replays every saved input of fuzz/regress/*/ and fuzz/seeds/ through each
# harness named (an input that broke one module is worth showing to the others), built
# without libFuzzer but with ASan/UBSan (build/replay/, see mk/fuzz.mk).
# Usage: fuzz/regress.sh HARNESS...   Last line: "N passed, M failed".
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for h in "$@"; do
	for f in fuzz/regress/*/* fuzz/seeds/*; do
		[ -f "$f" ] || continue
		if timeout 60 "build/replay/$h" "$f" >/dev/null 2>"build/replay/$h.err"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $h $f"
			grep -m 5 -E 'ERROR|SUMMARY|invariant failed|round trip|runtime error' "build/replay/$h.err"
		fi
	done
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
