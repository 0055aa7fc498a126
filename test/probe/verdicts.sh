#!/bin/bash
# test/probe/verdicts.sh - what smblint says about each client (--matrix) against what
# real smbd servers do, on generated files: test/probe/verdicts.py, with the probe
# driver it needs (built here) and the throwaway Samba user (made here, removed at
# the end if it was made here).  Every smbd is stopped by its pid through its driver.
# VERDICT_CASES (default 40) and VERDICT_SEED (1) choose the files; make verdicttest
# runs more.  Needs root, smbd, smbpasswd, libsmbclient and python3.
# Last line: "N passed, M failed".
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
T=$(mktemp -d /tmp/smblint-verdicts-test.XXXXXX)
chmod 755 "$T"
SUITE=verdicts.sh
USER_NAME=smblinttest
USER_PASS='Probe-Pass-123'
# shellcheck source=test/probe/lib.sh
. test/probe/lib.sh
# (verdicts.py stops each server, and says so when one outlived its driver)
trap 'rc=$?; cleanup; exit $rc' EXIT

need_samba
[ -x "$ROOT/smblint" ] || give_up "$ROOT/smblint is not built (make)"
build_driver "$T/probe-driver"
make_user
rc=0
"${PY[@]}" test/probe/verdicts.py --driver "$T/probe-driver" --user "$USER_NAME%$USER_PASS" \
	--cases "${VERDICT_CASES:-40}" --seed "${VERDICT_SEED:-1}" --smblint "$ROOT/smblint" || rc=$?
exit "$rc"
