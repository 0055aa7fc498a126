#!/bin/bash
# corpus.sh - every real-world config: no crash or hang, valid JSON and SARIF,
# exit status 0 or 1, and the same verdict on the bytes read from stdin.
cd "$(dirname "$0")/.." || exit 2
corpus=${SMBLINT_CORPUS:-../shared/corpus/real}
pass=0 fail=0
check() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi; }
for f in "$corpus"/*; do
	out=$(timeout 10 ./smblint --format=json "$f" 2>/tmp/smblint-corpus.err)
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL exit $rc: $f: $(head -c 300 /tmp/smblint-corpus.err)"
		fail=$((fail + 1))
		continue
	fi
	check python3 -c 'import json,sys; d=json.load(sys.stdin); assert isinstance(d["findings"], list)' <<<"$out" ||
		echo "FAIL json: $f"
	sarif=$(timeout 10 ./smblint --format=sarif "$f" 2>/dev/null)
	check python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["version"]=="2.1.0"' <<<"$sarif" ||
		echo "FAIL sarif: $f"
	stdin_out=$(timeout 10 ./smblint --format=gcc - <"$f" 2>/dev/null | sed 's/^<stdin>://')
	file_out=$(timeout 10 ./smblint --format=gcc "$f" 2>/dev/null | sed "s|^$f:||")
	check [ "$stdin_out" = "$file_out" ] || echo "FAIL stdin differs: $f"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
