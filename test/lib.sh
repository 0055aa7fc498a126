# test/lib.sh - the counting shared by the plain shell suites (deb, install, man,
# recipes): sourced after `cd` to the repository root.  Each suite's last line is
# "N passed, M failed" and its exit status is 1 on failures.
# shellcheck shell=bash

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# check DESCRIPTION COMMAND...: one test, passed when the command succeeds.
check() { local _what=$1; shift; if "$@"; then ok; else bad "$_what"; fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
