#!/bin/bash
# recipes.sh - the integration recipes shipped with smblint work as written:
# .pre-commit-hooks.yaml, examples/ci/postinst-snippet.sh,
# examples/ci/gitlab-ci.yml (with --format=codeclimate) and
# examples/ci/github-code-scanning.yml (SARIF).  The YAML files are read with
# python3-yaml and their smblint commands are run with ./smblint on PATH.
# The last line is "N passed, M failed"; the exit status is 1 on failures.
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
. test/lib.sh

[ -x ./smblint ] || { bad "./smblint not built"; finish; }
python3 -c 'import yaml' 2>/dev/null ||
	{ bad "python3-yaml missing (scripts/install-deps.sh test)"; finish; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/smblint-recipes.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
unset NO_COLOR CLICOLOR CLICOLOR_FORCE SMB_CONF
export LC_ALL=C TERM=dumb

# A PATH with ./smblint first, and one with no smblint at all (the snippet
# needs only shell builtins).
bin=$scratch/bin nobin=$scratch/nobin
mkdir -p "$bin" "$nobin"
ln -s "$root/smblint" "$bin/smblint"
PATH_WITH=$bin:$PATH

# Reads a YAML file and prints what the Python expression (over `doc`) gives:
# a string as is, a list one item a line, anything else as JSON.
yq() {
	python3 - "$1" "$2" <<'EOF'
import json, sys, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
v = eval(sys.argv[2], {"doc": doc})
if isinstance(v, str):
    print(v)
elif isinstance(v, list) and all(isinstance(x, str) for x in v):
    print("\n".join(v))
else:
    print(json.dumps(v))
EOF
}

# Inputs: a configuration with warnings only, one with an error, a clean one.
cat >"$scratch/warn.conf" <<'EOF'
[global]
   map to guest = Bad User
[share]
   path = /srv/share
EOF
cat >"$scratch/error.conf" <<'EOF'
[global]
   security = ads
   map to guest = Bad User
[share]
   path = /srv/share
EOF
cp examples/nas-after.conf "$scratch/good.conf"
cp examples/nas-before.conf "$scratch/bad.conf"

# ---- .pre-commit-hooks.yaml ----------------------------------------------
echo "--- .pre-commit-hooks.yaml"
hooks=.pre-commit-hooks.yaml
check "$hooks parses as a list of hooks with id, name, entry, language" \
	python3 - "$hooks" <<'EOF'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
assert isinstance(doc, list) and doc, doc
for h in doc:
    for k in ("id", "name", "entry", "language"):
        assert isinstance(h.get(k), str) and h[k], (k, h)
    assert h["language"] == "system", h["language"]
    assert h.get("pass_filenames", True) is True
    assert h["entry"].split()[0] == "smblint", h["entry"]
EOF
entry=$(yq "$hooks" 'doc[0]["entry"]')
run_entry() { (cd "$scratch" && PATH=$PATH_WITH sh -c "$entry \"\$@\"" sh "$@" >/dev/null 2>&1); }
run_entry bad.conf; rc=$?
check "pre-commit entry on a bad file exits 1 (got $rc)" [ $rc -eq 1 ]
run_entry good.conf; rc=$?
check "pre-commit entry on a good file exits 0 (got $rc)" [ $rc -eq 0 ]
run_entry good.conf bad.conf; rc=$?
check "pre-commit entry on a good and a bad file exits 1 (got $rc)" [ $rc -eq 1 ]
out=$(cd "$scratch" && PATH=$PATH_WITH sh -c "$entry \"\$@\"" sh bad.conf 2>/dev/null)
check "pre-commit entry prints file:line:col: lines" \
	grep -qE '^bad\.conf:[0-9]+:[0-9]+: (error|warning|note): ' <<<"$out"

# pre-commit matches `files` with Python's re.search against the path in the repository.
check "$hooks 'files' matches configs and nothing else" python3 - "$hooks" <<'EOF'
import re, sys, yaml
hook = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))[0]
rx = re.compile(hook["files"])
assert hook.get("types") == ["file"], hook.get("types")
yes = ["smb.conf", "foo/smb.conf", "etc/samba/smb.conf", "smb.conf.example",
       "deploy/smb.conf.sample", "smb.conf.default", "office.smb.conf",
       "hosts/nas1.smb.conf", "smb.conf.d/shares.conf", "etc/samba/smb.conf.d/homes.conf",
       "smb.d/printers.conf", "samba/smb.d/10-shares.conf"]
no = ["README.md", "smb.conf.md", "docs/smb.conf.5.md", "smb.conf.bak", "smb.conf.orig",
      "smb.conf.j2", "templates/smb.conf.in", "smb.conf.smblint.bak", "mysmb.conf",
      ".smb.conf", "krb5.conf", "smb.conf.d/README", "smb.conf.d/old/x.txt",
      "smb.conf/README", "nginx.conf", "etc/samba/lmhosts"]
wrong = [p for p in yes if not rx.search(p)] + [p for p in no if rx.search(p)]
if wrong:
    sys.exit("files regex wrong for: %s" % ", ".join(wrong))
EOF

# ---- examples/ci/postinst-snippet.sh ---------------------------------------
echo "--- postinst-snippet.sh"
snippet=$root/examples/ci/postinst-snippet.sh
# postinst ARG CONF PATH: runs the snippet as dpkg would (sh -e), output in $out.
postinst() {
	out=$(cd "$scratch" && SMB_CONF=$2 PATH=$3 /bin/sh -e "$snippet" "$1" 2>&1)
}
postinst configure "$scratch/warn.conf" "$PATH_WITH"; rc=$?
check "postinst: warnings only exits 0 (got $rc)" [ $rc -eq 0 ]
check "postinst: warnings only prints nothing (got '$out')" [ -z "$out" ]
postinst configure "$scratch/good.conf" "$PATH_WITH"; rc=$?
check "postinst: clean config exits 0 and prints nothing" [ $rc -eq 0 -a -z "$out" ]
postinst configure "$scratch/error.conf" "$PATH_WITH"; rc=$?
check "postinst: errors still exit 0 (got $rc)" [ $rc -eq 0 ]
check "postinst: errors print the warning line" \
	grep -qF "warning: $scratch/error.conf has errors smbd will refuse" <<<"$out"
check "postinst: errors print the error finding" grep -qF "SL1028" <<<"$out"
check "postinst: errors print no warnings-level finding" \
	eval '! grep -qF SL2001 <<<"$out"'
postinst configure "$scratch/error.conf" "$nobin"; rc=$?
check "postinst: smblint absent exits 0 (got $rc)" [ $rc -eq 0 ]
check "postinst: smblint absent prints nothing (got '$out')" [ -z "$out" ]
postinst configure "$scratch/missing.conf" "$PATH_WITH"; rc=$?
check "postinst: no config exits 0 and prints nothing" [ $rc -eq 0 -a -z "$out" ]
postinst abort-upgrade "$scratch/error.conf" "$PATH_WITH"; rc=$?
check "postinst: other than configure does nothing" [ $rc -eq 0 -a -z "$out" ]
# Without SMB_CONF the snippet checks Samba's file; a stub stands in for
# smblint so that the real file is only named, never read.
stub=$scratch/stub
mkdir -p "$stub"
printf '#!/bin/sh\nfor a; do echo "$a"; done >"%s/stub.args"\nexit 0\n' "$scratch" >"$stub/smblint"
chmod +x "$stub/smblint"
out=$(cd "$scratch" && env -u SMB_CONF PATH="$stub:$PATH" /bin/sh -e "$snippet" configure 2>&1); rc=$?
if [ -f /etc/samba/smb.conf ]; then
	check "postinst: default config is /etc/samba/smb.conf" \
		grep -qx /etc/samba/smb.conf "$scratch/stub.args"
else
	check "postinst: default config absent: nothing run" [ ! -e "$scratch/stub.args" ]
fi
check "postinst: default run exits 0 quietly" [ $rc -eq 0 -a -z "$out" ]
if command -v shellcheck >/dev/null 2>&1; then
	check "postinst snippet passes shellcheck -s sh" shellcheck -s sh "$snippet"
fi

# ---- corpus-like inputs of the CI recipes ---------------------------------------
# A repository of configs: the examples, the test fixtures and, when there, a
# few files of the shared corpus, in nested folders.
repo=$scratch/repo
mkdir -p "$repo/examples" "$repo/fixtures" "$repo/corpus"
cp examples/*.conf "$repo/examples/"
cp test/fixtures/config/*.conf "$repo/fixtures/"
if [ -d "${SMBLINT_CORPUS:-}" ]; then
	find "$SMBLINT_CORPUS" -maxdepth 1 -type f -name '*.conf' | sort | head -n 25 |
		while read -r f; do cp "$f" "$repo/corpus/"; done
fi
printf '[global]\n   workgroup = CAF\xc3\x89\n   comment = bad \xff\xfe bytes \x01\x1b[31m\n[s]\n   path = /srv\n   map to guest = Bad User\n' \
	>"$repo/hostile.smb.conf"
printf '[s]\n   path = /srv\n   frobnicate = 1\n   frobnicate = 1\n' >"$repo/twice.smb.conf"

# Runs a recipe's command line in the repository with ./smblint on PATH.
run_cmd() { (cd "$repo" && PATH=$PATH_WITH sh -c "$1" >"$scratch/cmd.out" 2>"$scratch/cmd.err"); }

# Checks a Code Quality report: codeclimate_ok REPORT [JSON-REPORT].
codeclimate_ok() {
	python3 - "$@" <<'EOF'
import json, os, re, sys
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")                     # strict: valid UTF-8
doc = json.loads(text)
assert isinstance(doc, list), "not a JSON array"
sev = {"info", "minor", "major", "critical", "blocker"}
cats = {"Bug Risk", "Clarity", "Compatibility", "Complexity", "Duplication",
        "Performance", "Security", "Style"}
fps = set()
for i, it in enumerate(doc):
    where = "issue %d" % i
    assert isinstance(it, dict), where
    for k in ("description", "check_name", "fingerprint", "severity", "location"):
        assert k in it, "%s: no %s" % (where, k)
    assert it.get("type", "issue") == "issue", where
    assert isinstance(it["description"], str) and it["description"], where
    assert re.fullmatch(r"SL[0-9]{4} [a-z0-9-]+", it["check_name"]), it["check_name"]
    assert re.fullmatch(r"[0-9a-f]{32}", it["fingerprint"]), it["fingerprint"]
    assert it["fingerprint"] not in fps, "%s: duplicate fingerprint" % where
    fps.add(it["fingerprint"])
    assert it["severity"] in sev, it["severity"]
    assert set(it.get("categories", ["Bug Risk"])) <= cats, it.get("categories")
    loc = it["location"]
    p = loc["path"]
    assert isinstance(p, str) and not p.startswith("/") and not p.startswith("./"), p
    assert os.path.isfile(p), "%s: no file %s" % (where, p)
    b = loc["lines"]["begin"]
    assert isinstance(b, int) and b >= 1, b
if len(sys.argv) > 2:
    # the same findings as --format=json, in the same order
    js = json.load(open(sys.argv[2], encoding="utf-8"))["findings"]
    assert len(js) == len(doc), "%d issues, %d findings" % (len(doc), len(js))
    m = {"info": "info", "warning": "major", "error": "critical"}
    for it, f in zip(doc, js):
        assert it["severity"] == m[f["severity"]], (it, f)
        assert it["check_name"] == "%s %s" % (f["rule"], f["name"]), (it, f)
        assert it["location"]["lines"]["begin"] == max(f["line"], 1), (it, f)
        assert it["description"] == f["message"], (it, f)
        assert os.path.normpath(it["location"]["path"]) == os.path.normpath(f["file"]), (it, f)
EOF
}

# ---- examples/ci/gitlab-ci.yml ----------------------------------------------
echo "--- gitlab-ci.yml"
gl=examples/ci/gitlab-ci.yml
check "$gl parses; job smblint has script and a codequality report" python3 - "$gl" <<'EOF'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["smblint"]
assert isinstance(job["script"], list) and job["script"]
assert isinstance(job["artifacts"]["reports"]["codequality"], str)
assert job["artifacts"].get("when") == "always", "the report must be kept when the job fails"
EOF
report_name=$(yq "$gl" 'doc["smblint"]["artifacts"]["reports"]["codequality"]')
mapfile -t gl_cmds < <(yq "$gl" '[c for c in doc["smblint"]["script"] if c.split()[0] == "smblint"]')
check "$gl has two smblint commands (got ${#gl_cmds[@]})" [ ${#gl_cmds[@]} -eq 2 ]
check "$gl writes the report it uploads ($report_name)" \
	grep -qF -- "--format=codeclimate" <<<"${gl_cmds[0]}"
check "$gl: report command redirects to $report_name" \
	grep -qE ">[[:space:]]*$report_name\$" <<<"${gl_cmds[0]}"
run_cmd "${gl_cmds[0]}"; rc=$?
check "gitlab: codeclimate command exits 0 (got $rc)" [ $rc -eq 0 ]
check "gitlab: codeclimate command is quiet on stderr" [ ! -s "$scratch/cmd.err" ]
(cd "$repo" && "$root/smblint" --format=json --fail-on=none . >"$scratch/same.json")
if (cd "$repo" && codeclimate_ok "$report_name" "$scratch/same.json" >"$scratch/v.out" 2>&1); then ok; else
	bad "gitlab: $report_name is not a valid Code Quality report"; tail -n 5 "$scratch/v.out"
fi
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$repo/$report_name")
check "gitlab: the report has issues (got $n)" [ "${n:-0}" -gt 5 ]
for s in critical major info; do
	check "gitlab: the report has $s issues" grep -q "\"severity\": \"$s\"" "$repo/$report_name"
done
check "gitlab: the report has the hostile file's issues" \
	grep -q '"path": "hostile.smb.conf"' "$repo/$report_name"
ncrit=$(grep -c '"severity": "critical"' "$repo/$report_name")
run_cmd "${gl_cmds[1]}"; rc=$?
want=0; [ "$ncrit" -gt 0 ] && want=1
check "gitlab: gcc command exits $want with $ncrit errors (got $rc)" [ $rc -eq $want ]
check "gitlab: gcc command prints the $ncrit errors" \
	eval '[ "$(grep -c ": error: " "$scratch/cmd.out")" -eq "$ncrit" ]'

# Fingerprints survive moved lines, and tell identical findings apart.
cp "$repo/$report_name" "$scratch/before.json"
for f in "$repo"/examples/*.conf "$repo"/twice.smb.conf; do
	{ printf '# moved down\n\n\n'; cat "$f"; } >"$f.new" && mv "$f.new" "$f"
done
run_cmd "${gl_cmds[0]}"
check "codeclimate: fingerprints are stable when lines move" python3 - "$scratch/before.json" "$repo/$report_name" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
fa = {i["fingerprint"]: i for i in a}; fb = {i["fingerprint"]: i for i in b}
assert set(fa) == set(fb), "fingerprints changed: %d vs %d common of %d" % (len(fa), len(set(fa) & set(fb)), len(fb))
moved = 0
for k, x in fa.items():
    y = fb[k]
    assert x["check_name"] == y["check_name"] and x["location"]["path"] == y["location"]["path"]
    if x["location"]["path"].startswith("examples/") or x["location"]["path"] == "twice.smb.conf":
        assert y["location"]["lines"]["begin"] == x["location"]["lines"]["begin"] + 3, (x, y)
        moved += 1
assert moved > 3, moved
EOF
check "codeclimate: identical findings get different fingerprints" python3 - "$repo/$report_name" <<'EOF'
import json, sys
twice = [i for i in json.load(open(sys.argv[1])) if i["location"]["path"] == "twice.smb.conf"
         and i["check_name"].startswith("SL1002 ")]
assert len(twice) == 2 and twice[0]["description"] == twice[1]["description"], twice
assert twice[0]["fingerprint"] != twice[1]["fingerprint"]
EOF
out=$(printf '[global]\n   workgroup = X\n' | ./smblint --no-settings --format=codeclimate -)
check "codeclimate: a clean file gives []" [ "$out" = "[]" ]
out=$(printf '[s]\n  path=/x\n  frobnicate = 1\n' | ./smblint --no-settings --format=codeclimate --severity=error -)
check "codeclimate: --severity filters issues" [ "$out" = "[]" ]
out=$(cd "$repo/examples" && "$root/smblint" --no-settings --format=codeclimate ./nas-before.conf | grep -m1 '"path"')
check "codeclimate: a leading ./ is dropped from paths ($out)" grep -qF '"path": "nas-before.conf"' <<<"$out"

# ---- examples/ci/github-code-scanning.yml -----------------------------------
echo "--- github-code-scanning.yml"
gh=examples/ci/github-code-scanning.yml
check "$gh parses; a step uploads SARIF" python3 - "$gh" <<'EOF'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
steps = doc["jobs"]["smblint"]["steps"]
assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
assert doc["permissions"]["security-events"] == "write"
EOF
sarif_cmd=$(yq "$gh" '[s["run"].strip() for s in doc["jobs"]["smblint"]["steps"] if "--format=sarif" in s.get("run", "")][0]')
sarif_name=$(yq "$gh" '[s["with"]["sarif_file"] for s in doc["jobs"]["smblint"]["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif")][0]')
fail_cmd=$(yq "$gh" '[s["run"].strip() for s in doc["jobs"]["smblint"]["steps"] if "--format=github" in s.get("run", "")][0]')
check "$gh: the SARIF command writes $sarif_name" grep -qE ">[[:space:]]*$sarif_name\$" <<<"$sarif_cmd"
run_cmd "$sarif_cmd"; rc=$?
check "github: SARIF command exits 0 (got $rc)" [ $rc -eq 0 ]
check "github: $sarif_name is JSON, SARIF 2.1.0, with results" python3 - "$repo/$sarif_name" <<'EOF'
import json, sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
assert doc["version"] == "2.1.0", doc.get("version")
run = doc["runs"][0]
assert run["tool"]["driver"]["name"] == "smblint"
assert len(run["results"]) > 5, len(run["results"])
EOF
validator=test/cli/sarif/validate.js
if command -v node >/dev/null 2>&1 && [ -d test/cli/sarif/node_modules/ajv ]; then
	if node "$validator" "$repo/$sarif_name" >"$scratch/v.out" 2>&1; then ok; else
		bad "github: $sarif_name fails the SARIF 2.1.0 schema"; head -n 10 "$scratch/v.out"
	fi
else
	echo "note: SARIF schema check skipped (no node or test/cli/sarif/node_modules)"
fi
run_cmd "$fail_cmd"; rc=$?
ngherr=$(grep -c '^::error ' "$scratch/cmd.out")
want=0; [ "$ngherr" -gt 0 ] && want=1
check "github: fail step exits $want with $ngherr errors (got $rc)" [ $rc -eq $want ]
check "github: fail step prints workflow commands only" \
	eval '! grep -qv "^::\(error\|warning\|notice\) " "$scratch/cmd.out"'

finish
