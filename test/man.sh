#!/bin/bash
# man.sh - both man pages format without warnings, and the rules page is what
# the rule table generates now (so the page and --explain cannot drift).
cd "$(dirname "$0")/.." || exit 2
. test/lib.sh
for m in man/smblint.1 man/smblint-rules.7; do
	if [ ! -f "$m" ]; then bad "$m missing"; continue; fi
	out=$(mandoc -T lint -W warning "$m" 2>&1)
	if [ -z "$out" ]; then ok; else bad "$m: $out"; fi
done
if ./smblint --man-rules | cmp -s - man/smblint-rules.7; then ok; else
	bad "man/smblint-rules.7 is stale: run ./smblint --man-rules > man/smblint-rules.7"
fi
# every rule of the table is in the page and has an --explain text
while read -r code _; do
	grep -q "$code" man/smblint-rules.7 || bad "$code missing from smblint-rules.7"
	[ -n "$(./smblint --explain "$code")" ] && ok || bad "--explain $code"
done < <(./smblint --list-rules | grep -E '^SL[0-9]+' )
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
