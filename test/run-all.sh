#!/bin/bash
# run-all.sh - runs every test script after the unit tests and adds up their counts.
# Each suite prints "N passed, M failed" as its last line and exits non-zero on failure.
# A suite is a script (run with bash, or python3 for .py) or make:TARGET (make -s TARGET, with every CPU).
#
# The slow suites (sanitizers, valgrind, fuzzing) are left out with SMBLINT_QUICK=1
# (make check-fast), and skipped when the tool they need is not installed; never
# under CI=true, where everything runs and a missing tool is a failure.
cd "$(dirname "$0")/.." || exit 2
export SMBLINT_CORPUS=${SMBLINT_CORPUS:-$(pwd)/../shared/corpus/real}

suites=(test/cli/run.sh test/rules/run.sh test/testparm-compare.sh test/difftest.py test/corpus.sh test/fix/run.sh test/man.sh test/probe/run.sh test/probe/verify.sh test/probe/verdicts.sh test/probe/start.sh test/recipes.sh test/install.sh test/deb.sh test/hostile.sh test/fuzz-regress.sh make:fuzz-smoke make:check-asan make:check-valgrind)
# The slow suites and the command each needs.
declare -A slow=([make:fuzz-smoke]=clang [make:check-asan]=cc [make:check-valgrind]=valgrind)
ci=no quick=no
[ "${CI:-}" = true ] && ci=yes
[ "${SMBLINT_QUICK:-0}" != 0 ] && [ $ci = no ] && quick=yes
jobs=$(nproc 2>/dev/null || echo 2)

total_pass=0 total_fail=0 failed_suites=() skipped=()
mkdir -p test/out
for s in "${suites[@]}"; do
	need=${slow[$s]:-}
	if [ -n "$need" ] && [ $quick = yes ]; then
		skipped+=("$s (SMBLINT_QUICK)")
		continue
	fi
	if [ -n "$need" ] && [ $ci = no ] && ! command -v "$need" >/dev/null; then
		echo "=== $s: skipped, $need is not installed (scripts/install-deps.sh)"
		skipped+=("$s (no $need)")
		continue
	fi
	case $s in
	make:*) cmd=(make -s -j"$jobs" "${s#make:}") ;;
	*.py) cmd=(python3 "$s") ;;
	*) cmd=(bash "$s") ;;
	esac
	if [ "${cmd[0]}" != make ] && [ ! -f "$s" ]; then
		echo "run-all: missing test suite $s" >&2
		failed_suites+=("$s (missing)")
		total_fail=$((total_fail + 1))
		continue
	fi
	name=$(echo "$s" | tr '/:' '__')
	echo "=== $s"
	t0=$(date +%s)
	# (a make of our own: not a part of the jobserver of the make that runs this)
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${cmd[@]}" >"test/out/$name.log" 2>&1
	rc=$?
	tail -n 15 "test/out/$name.log"
	echo "($s: $(($(date +%s) - t0)) s)"
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
[ ${#skipped[@]} -eq 0 ] || echo "skipped: ${skipped[*]}"
[ ${#failed_suites[@]} -eq 0 ] || echo "failed suites: ${failed_suites[*]} (logs in test/out/)"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
