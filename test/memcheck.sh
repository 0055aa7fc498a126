#!/bin/bash
# memcheck.sh - the tests again under a memory checker; any error or leak fails.
#
#   test/memcheck.sh asan      build/asan/{run-unit,smblint} (make asan): unit tests,
#                              the suites of test/run-all.sh that run the binary,
#                              hostile.sh, and every corpus file in every mode
#   test/memcheck.sh valgrind  ./smblint and test/run-unit under valgrind: unit tests and
#                              every corpus file in every mode
#
# Sanitizer and valgrind reports go to build/memcheck-MODE/ (one file per report),
# so an error is caught even where a test ignores the exit status.
# Last line: "N passed, M failed".
cd "$(dirname "$0")/.." || exit 2
mode=${1:?usage: test/memcheck.sh asan|valgrind}
top=$(pwd)
corpus=${SMBLINT_CORPUS:-$top/../shared/corpus/real}
# Absolute: the suites below run from another folder (the shadow tree).
[ -d "$corpus" ] && corpus=$(cd "$corpus" && pwd)
logs=$top/build/memcheck-$mode
mkdir -p "$top/build"
# One run a mode at a time in a tree: a second one would delete the first's
# logs and shadow tree under it (its suites would then exit 127, not found).
exec 9>"$top/build/memcheck-$mode.lock"
flock -n 9 || { echo "memcheck: another 'test/memcheck.sh $mode' runs in $top"; echo "0 passed, 1 failed"; exit 1; }
rm -rf "$logs"
mkdir -p "$logs/work"
jobs=$(nproc 2>/dev/null || echo 2)
pass=0 fail=0

case $mode in
asan)
	bin=$top/build/asan/smblint unit=$top/build/asan/run-unit
	export ASAN_OPTIONS="detect_leaks=1:exitcode=86:log_path=$logs/report:detect_stack_use_after_return=1:check_initialization_order=1"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$logs/report"
	export LSAN_OPTIONS="exitcode=86"
	wrap=""
	;;
valgrind)
	command -v valgrind >/dev/null || { echo "memcheck: valgrind is not installed"; echo "0 passed, 1 failed"; exit 1; }
	bin=$top/smblint unit=$top/test/run-unit
	wrap="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible"
	wrap="$wrap --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
	wrap="$wrap --suppressions=$top/test/valgrind.supp"
	wrap="$wrap --log-file=$logs/report.%p"
	# The fixer's testparm check is a child process valgrind does not follow anyway.
	export SMBLINT_TESTPARM=none
	;;
*)
	echo "usage: test/memcheck.sh asan|valgrind" >&2
	exit 2
	;;
esac
[ -x "$bin" ] && [ -x "$unit" ] || { echo "memcheck: build $bin and $unit first"; echo "0 passed, 1 failed"; exit 1; }

# reports: prints the non-empty reports written since the last call and moves them aside.
reports() {
	local found=0
	for r in "$logs"/report*; do
		[ -s "$r" ] || { rm -f "$r"; continue; }
		found=1
		echo "--- $(basename "$r"):"
		head -n 40 "$r"
		mv "$r" "$logs/seen-$(basename "$r")"
	done
	return $found
}

step() {   # step NAME COMMAND...: one counted step; fails on a bad status or any report
	local name=$1
	shift
	echo "=== $name"
	"$@" >"$logs/$name.log" 2>&1
	local rc=$?
	if [ $rc -eq 0 ] && reports; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name (exit $rc; log build/memcheck-$mode/$name.log)"
		tail -n 15 "$logs/$name.log"
		reports >/dev/null
	fi
}

# ---- unit tests (in-process, so leaks in the code under test are seen) ----
step unit env CK_FORK=no $wrap "$unit"

# ---- every corpus file in every mode -----------------------------------------
# corpus_one FILE: prints one line per failure; exit status 1 if any.
corpus_one() {
	local f=$1 w
	w=$(mktemp -d "$logs/work/c.XXXXXX")
	local bad=0
	run() {
		# A status over 2 is a crash or a checker report (86 ASan, 99 valgrind).
		$wrap "$bin" "$@" >"$w/out" 2>"$w/err"
		local rc=$?
		if [ $rc -gt 2 ]; then
			echo "exit $rc: smblint $* ($(head -c 200 "$w/err"))"
			bad=1
		fi
	}
	run --format=json --matrix "$f"
	run --print-config-origins "$f"
	run --fix -o "$w/fixed.conf" "$f"
	# valgrind is slow: the three runs above cover loading, every rule, the
	# matrix, JSON and the fixer; ASan takes every mode.
	if [ -z "$wrap" ]; then
		run --format=sarif "$f"
		run --format=text --color=always --matrix --client=all "$f"
		run --format=gcc --samba-version=4.10 "$f"
		run --format=github --severity=info "$f"
		run --diff "$f"
		cp "$f" "$w/copy.conf"
		run --fix --unsafe-fixes "$w/copy.conf"
		run --format=json - <"$f"
	fi
	rm -rf "$w"
	return $bad
}
export -f corpus_one
export wrap bin logs
corpus_all() {
	[ -n "$(find -H "$corpus" -maxdepth 1 -type f | head -n 1)" ] || { echo "FAIL: no corpus files in $corpus"; return 1; }
	find -H "$corpus" -maxdepth 1 -type f -print0 | sort -z |
		xargs -0 -P "$jobs" -I{} bash -c 'corpus_one "$1" || echo "FAIL corpus $1"' _ {}
	! grep -q '^FAIL' "$logs/corpus.log"
}
step corpus corpus_all

# ---- asan only: the CLI suites and the hostile inputs --------------------------
if [ "$mode" = asan ]; then
	# A shadow of the work tree whose ./smblint is the sanitized binary: the suites
	# run unchanged (they cd to their tree and call ./smblint).
	shadow=$top/build/asan/tree
	rm -rf "$shadow"
	mkdir -p "$shadow/test"
	for e in "$top"/* "$top"/.[!.]*; do
		case $(basename "$e") in smblint|build|test|.git) continue ;; esac
		ln -s "$e" "$shadow/$(basename "$e")"
	done
	for e in "$top"/test/*; do
		case $(basename "$e") in out) continue ;; esac
		ln -s "$e" "$shadow/test/$(basename "$e")"
	done
	ln -s "$bin" "$shadow/smblint"
	# The suites must find the shadow and, in it, a binary that is the sanitized one.
	shadow_ok() {
		[ -f "$shadow/test/run-all.sh" ] || { echo "no $shadow/test/run-all.sh"; return 1; }
		ASAN_OPTIONS=help=1 "$shadow/smblint" --version 2>&1 | grep -q AddressSanitizer ||
			{ echo "$shadow/smblint is not built with AddressSanitizer"; return 1; }
	}
	step shadow shadow_ok
	# Every suite of run-all.sh that runs the binary.  Left out: packaging
	# (deb, install) and fuzz-regress.sh build their own, sanitized already;
	# hostile.sh runs below with the limits a sanitized binary needs; the
	# make:TARGET entries are this script itself and the fuzzers.
	for suite in $(sed -n 's/^suites=(\(.*\))$/\1/p' "$top/test/run-all.sh"); do
		case $suite in test/deb.sh | test/install.sh | test/fuzz-regress.sh | test/hostile.sh | make:*) continue ;; esac
		[ -f "$top/$suite" ] || { echo "memcheck: $suite of test/run-all.sh is missing"; fail=$((fail + 1)); continue; }
		runner=bash
		case $suite in *.py) runner=python3 ;; esac
		step "$(echo "$suite" | tr / _)" env SMBLINT_CORPUS="$corpus" "$runner" "$shadow/$suite"
	done
	step hostile env HOSTILE_SLOW=3 HOSTILE_SMALL=1 SMBLINT="$bin" bash "$top/test/hostile.sh"
fi

rm -rf "$logs/work"
[ "$mode" = asan ] && rm -rf "$shadow"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
