#!/bin/bash
# run.sh - golden tests of smblint's command line.
#
# Each folder under test/cli/cases/ is one case:
#   cmd      a bash snippet; it runs in a scratch copy of the folder with
#            $SMBLINT set to the binary (its stdout, stderr and exit status
#            are what the case checks)
#   out err status   what cmd must print and return (golden files)
#   verify   optional bash snippet run afterwards in the same folder, with
#            the actual stdout in the file .stdout; it must exit 0
#   the rest: inputs (configs, settings files, ...)
#
# UPDATE=1 ./test/cli/run.sh rewrites the golden files from the current
# binary (then review them with git diff).  CASE=glob runs some cases only.
# The last line is "N passed, M failed"; the exit status is 1 on failures.
cd "$(dirname "$0")/../.." || exit 2
root=$(pwd)
SMBLINT=${SMBLINT:-$root/smblint}
export SMBLINT SMBLINT_ROOT=$root
[ -x "$SMBLINT" ] || { echo "run.sh: $SMBLINT not built"; echo "0 passed, 1 failed"; exit 1; }

# Scratch space outside the repository, so no .smblint.ini of a parent
# folder of the checkout leaks into the cases.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/smblint-cli.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
# The cases decide about colour and terminals themselves.
unset NO_COLOR CLICOLOR CLICOLOR_FORCE
export TERM=dumb LC_ALL=C

pass=0 fail=0
for dir in test/cli/cases/${CASE:-*}/; do
	name=$(basename "$dir")
	[ -f "$dir/cmd" ] || continue
	work="$scratch/$name"
	mkdir -p "$work"
	# the inputs only: the golden files are not the case's business
	tar -C "$dir" --exclude=./out --exclude=./err --exclude=./status -cf - . | tar -C "$work" -xf -
	(cd "$work" && bash ./cmd >.stdout 2>.stderr </dev/null; echo $? >.status)
	if [ -n "$UPDATE" ]; then
		cp "$work/.stdout" "$dir/out"
		cp "$work/.stderr" "$dir/err"
		cp "$work/.status" "$dir/status"
	fi
	problems=""
	for f in out:stdout err:stderr status:status; do
		golden=$dir/${f%%:*} actual=$work/.${f#*:}
		if [ ! -f "$golden" ]; then
			problems+=" no golden '${f%%:*}' (run UPDATE=1);"
		elif ! cmp -s "$golden" "$actual"; then
			problems+=" ${f%%:*} differs;"
			diff -u "$golden" "$actual" | head -n 40 | sed "s/^/    /"
		fi
	done
	if [ -f "$dir/verify" ] && ! (cd "$work" && bash ./verify >.verify 2>&1); then
		problems+=" verify failed;"
		sed "s/^/    /" "$work/.verify" | head -n 40
	fi
	if [ -z "$problems" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL $name:$problems"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
