#!/bin/bash
# run-all.sh - runs every test script after the unit tests and adds up their counts.
# Each script prints "N passed, M failed" as its last line and exits non-zero on failure.
cd "$(dirname "$0")/.." || exit 2
export SMBLINT_CORPUS=${SMBLINT_CORPUS:-$(pwd)/../shared/corpus/real}

suites=(test/cli/run.sh test/rules/run.sh test/testparm-compare.sh test/corpus.sh test/fix/run.sh test/man.sh test/probe/run.sh test/probe/verify.sh test/recipes.sh test/install.sh test/deb.sh test/hostile.sh test/fuzz-regress.sh)
total_pass=0 total_fail=0 failed_suites=()
mkdir -p test/out
for s in "${suites[@]}"; do
	if [ ! -f "$s" ]; then
		echo "run-all: missing test suite $s" >&2
		failed_suites+=("$s (missing)")
		total_fail=$((total_fail + 1))
		continue
	fi
	name=$(echo "$s" | tr '/' '_')
	echo "=== $s"
	bash "$s" >"test/out/$name.log" 2>&1
	rc=$?
	tail -n 15 "test/out/$name.log"
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "test/out/$name.log" | tail -n 1)
	p=$(echo "$last" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$last" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	[ -n "$p" ] || { p=0; f=1; }
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	if [ $rc -ne 0 ] || [ "$f" -ne 0 ]; then
		failed_suites+=("$s")
		[ "$f" -ne 0 ] || total_fail=$((total_fail + 1))
	fi
done
echo
[ ${#failed_suites[@]} -eq 0 ] || echo "failed suites: ${failed_suites[*]} (logs in test/out/)"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
