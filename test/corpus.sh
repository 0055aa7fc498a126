#!/bin/bash
# corpus.sh - every real-world config: no crash or hang, valid JSON and SARIF,
# exit status 0 or 1, and the same verdict on the bytes read from stdin.
# (One python3 reads every JSON and SARIF output at the end: starting it twice a
# file took most of this suite's time.)
cd "$(dirname "$0")/.." || exit 2
corpus=${SMBLINT_CORPUS:-../shared/corpus/real}
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smblint-corpus.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
n=0
for f in "$corpus"/*; do
	n=$((n + 1))
	timeout 10 ./smblint --format=json "$f" >"$tmp/$n.json" 2>"$tmp/err"
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL exit $rc: $f: $(head -c 300 "$tmp/err")"
		fail=$((fail + 1))
		rm -f "$tmp/$n.json"
		continue
	fi
	timeout 10 ./smblint --format=sarif "$f" >"$tmp/$n.sarif" 2>/dev/null
	printf '%s\t%s\n' "$n" "$f" >>"$tmp/files"
	stdin_out=$(timeout 10 ./smblint --format=gcc - <"$f" 2>/dev/null | sed 's/^<stdin>://')
	file_out=$(timeout 10 ./smblint --format=gcc "$f" 2>/dev/null | sed "s|^$f:||")
	if [ "$stdin_out" = "$file_out" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		echo "FAIL stdin differs: $f"
	fi
done
# The JSON has a findings array, the SARIF is version 2.1.0: prints a FAIL line
# for each that is not, then "PASSED FAILED".
if [ -s "$tmp/files" ]; then
	counts=$(python3 - "$tmp" <<'EOF' | tee "$tmp/py.out" | tail -n 1
import json, sys
tmp = sys.argv[1]
ok = bad = 0
def check(path, test):
    try:
        with open(path, encoding="utf-8") as fh:
            return test(json.load(fh))
    except Exception:
        return False
for line in open(tmp + "/files", encoding="utf-8", errors="surrogateescape"):
    n, name = line.rstrip("\n").split("\t", 1)
    for kind, test in (("json", lambda d: isinstance(d["findings"], list)),
                       ("sarif", lambda d: d["version"] == "2.1.0")):
        if check("%s/%s.%s" % (tmp, n, kind), test):
            ok += 1
        else:
            bad += 1
            print("FAIL %s: %s" % (kind, name))
print(ok, bad)
EOF
	)
	grep '^FAIL' "$tmp/py.out"
	read -r json_pass json_fail <<<"$counts"
	pass=$((pass + ${json_pass:-0}))
	fail=$((fail + ${json_fail:-1}))
fi
[ $((pass + fail)) -gt 0 ] || { echo "FAIL: no corpus files in $corpus"; fail=1; }
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
