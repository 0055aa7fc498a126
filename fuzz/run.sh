#!/bin/bash
# run.sh - fuzzes each harness for SECONDS, then turns what it found into regression inputs.
# Usage: fuzz/run.sh SECONDS HARNESS...   (harnesses built in build/fuzz/ by make fuzz-build)
# Last line: "N passed, M failed" (a harness passes when it found nothing).
cd "$(dirname "$0")/.." || exit 2
secs=${1:?usage: fuzz/run.sh SECONDS HARNESS...}
shift
seeds=${FUZZ_SEEDS:-../shared/corpus/real}
pass=0 fail=0
for h in "$@"; do
	corpus=fuzz/corpus-run/$h out=fuzz/out/$h
	mkdir -p "$corpus" "$out" "fuzz/regress/$h"
	# Seeds: real-world configs, hand-written edge cases, earlier crashes (cp -n keeps what grew).
	for d in "$seeds" fuzz/seeds "fuzz/regress/$h"; do
		[ -d "$d" ] && find "$d" -maxdepth 1 -type f -exec cp -n -t "$corpus" {} +
	done
	echo "=== $h: ${secs}s, corpus $(find "$corpus" -type f | wc -l) files"
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	"build/fuzz/$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
		-dict=fuzz/smbconf.dict -artifact_prefix="$out/" -print_final_stats=1 \
		"$corpus" >"$out.log" 2>&1
	rc=$?
	grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$out.log" | tail -n 3
	if [ $rc -ne 0 ] || [ -n "$(find "$out" -type f)" ]; then
		fail=$((fail + 1))
		echo "FAIL $h (exit $rc): see $out.log"
		grep -m 3 -E 'ERROR|SUMMARY|invariant failed|round trip' "$out.log"
		for a in "$out"/*; do
			[ -f "$a" ] || continue
			# Every new artifact becomes a regression input, named by its content;
			# a saved input that still fails is reported again, not copied again.
			known=$(for k in fuzz/regress/*/*; do cmp -s "$a" "$k" && echo "$k"; done | head -n 1)
			if [ -n "$known" ]; then
				echo "  still failing: $known"
			else
				mv -n "$a" "fuzz/regress/$h/"
				echo "  regression input: fuzz/regress/$h/$(basename "$a")"
			fi
			rm -f "$a"
		done
	else
		pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
