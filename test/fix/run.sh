#!/bin/bash
# run.sh - the fixer: golden before/after cases, safe in-place writing, and
# invariants over the real-world corpus.  UPDATE=1 rewrites the goldens
# (then review them: git diff test/fix/cases); CASES="name ..." limits the golden
# cases run; SMBLINT_FIX_QUICK=1 skips the corpus; SMBLINT=path tests another binary.
cd "$(dirname "$0")/../.." || exit 2
root=$(pwd)
smblint=$(realpath "${SMBLINT:-./smblint}")
corpus=${SMBLINT_CORPUS:-../shared/corpus/real}
cases=$root/test/fix/cases
pass=0 fail=0
tmp=$(mktemp -d /tmp/smblint-fix-test.XXXXXX)
mounts=()
quick=${SMBLINT_FIX_QUICK:-}   # set: skip the corpus invariants
cleanup() {
	for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {
	local what=$1
	shift
	if "$@"; then ok; return 0; fi
	bad "$what"
	return 1
}
same() { cmp -s "$1" "$2"; }
skip() { echo "SKIP: $*"; }

printf '[global]\n' | "$smblint" --diff - >/dev/null 2>&1
if [ $? -eq 2 ]; then
	echo "FAIL: $smblint does not support --diff/--fix yet"
	echo "0 passed, 1 failed"
	exit 1
fi

# ---- golden cases ---------------------------------------------------------
# cases/NAME/in/       the files before (smb.conf is the one given to smblint)
# cases/NAME/args      extra options, one line (optional)
# cases/NAME/out/      every file after --fix in place
# cases/NAME/out.diff  what --diff prints
# cases/NAME/summary   exit statuses and stderr of --diff and --fix (temp dir shown as DIR)

run_case() {
	local c=$1 name w args=()
	name=$(basename "$c")
	w=$tmp/case-$name
	rm -rf "$w"
	mkdir -p "$w"
	cp -a "$c/in/." "$w/"
	w=$(realpath "$w")
	[ -f "$c/args" ] && read -r -a args <"$c/args"
	local run=("$smblint" --include-root . "${args[@]}")
	(cd "$w" && "${run[@]}" --diff smb.conf) >"$tmp/diff" 2>"$tmp/diff.err"
	local drc=$?
	(cd "$w" && "${run[@]}" --fix --no-backup smb.conf) >"$tmp/fix.out" 2>"$tmp/fix.err"
	local frc=$?
	{
		echo "--diff: exit $drc"
		sed "s|$w|DIR|g" "$tmp/diff.err"
		echo "--fix: exit $frc"
		sed "s|$w|DIR|g" "$tmp/fix.err"
	} >"$tmp/summary"
	sed -i "s|$w|DIR|g" "$tmp/diff"
	if [ -n "$UPDATE" ]; then
		rm -rf "$c/out"
		mkdir -p "$c/out"
		cp -a "$w/." "$c/out/"
		cp "$tmp/diff" "$c/out.diff"
		cp "$tmp/summary" "$c/summary"
	fi
	check "$name: --diff output" same "$c/out.diff" "$tmp/diff" ||
		diff -u "$c/out.diff" "$tmp/diff" | head -20
	check "$name: summary" same "$c/summary" "$tmp/summary" ||
		diff -u "$c/summary" "$tmp/summary" | head -20
	local f bad_files=""
	for f in "$c"/out/*; do
		same "$f" "$w/$(basename "$f")" || bad_files="$bad_files $(basename "$f")"
	done
	check "$name: fixed files differ from out/:$bad_files" [ -z "$bad_files" ]
	# Fixing the fixed files changes nothing.
	(cd "$w" && "${run[@]}" --diff smb.conf) >"$tmp/diff2" 2>/dev/null
	check "$name: not a fixed point" [ ! -s "$tmp/diff2" ]
	# The diff applies with patch(1) and gives the fixed files (when it names only local files).
	if [ -s "$c/out.diff" ] && ! grep -q '^--- a/DIR' "$c/out.diff" && command -v patch >/dev/null; then
		local p=$tmp/patch-$name
		rm -rf "$p"
		mkdir -p "$p"
		cp -a "$c/in/." "$p/"
		(cd "$p" && patch -s -p1 <"$c/out.diff") >/dev/null 2>&1
		bad_files=""
		for f in "$c"/out/*; do
			same "$f" "$p/$(basename "$f")" || bad_files="$bad_files $(basename "$f")"
		done
		check "$name: patch -p1 < out.diff gives other bytes:$bad_files" [ -z "$bad_files" ]
	fi
}

# CASES="a b" runs (and with UPDATE=1 rewrites) only those cases.
for c in "$cases"/*/; do
	c=${c%/}
	[ -z "$CASES" ] || [[ " $CASES " == *" $(basename "$c") "* ]] || continue
	run_case "$c"
done

# ---- in place ---------------------------------------------------------------
# A config with one safe fix (map to guest) and one unsafe one (an inline comment).
conf() {
	printf '[global]\n\tworkgroup = WG\n\tmap to guest = bad user\n\n[data]\n\tpath = /srv/data\n\tcomment = Data ; old\n'
}
fixed_safe() {
	printf '[global]\n\tworkgroup = WG\n\tmap to guest = never\n\n[data]\n\tpath = /srv/data\n\tcomment = Data ; old\n'
}

d=$tmp/inplace
mkdir -p "$d"
conf >"$d/smb.conf"
chmod 0640 "$d/smb.conf"
"$smblint" --fix "$d/smb.conf" >/dev/null 2>"$tmp/err"
rc=$?
check "in place: exit $rc" [ $rc -le 1 ]
check "in place: fixed bytes" same "$d/smb.conf" <(fixed_safe)
check "in place: mode kept" [ "$(stat -c %a "$d/smb.conf")" = 640 ]
check "in place: backup holds the original" same "$d/smb.conf.smblint.bak" <(conf)
check "in place: backup mode" [ "$(stat -c %a "$d/smb.conf.smblint.bak")" = 640 ]
check "in place: summary names the left-out unsafe fix" grep -q '1 left out: unsafe (use --unsafe-fixes)' "$tmp/err"
check "in place: no temporary file left" [ "$(ls -A "$d" | wc -l)" = 2 ]

# --no-backup, --unsafe-fixes
conf >"$d/nb.conf"
"$smblint" --fix --no-backup --unsafe-fixes "$d/nb.conf" >/dev/null 2>&1
check "--no-backup: no backup" [ ! -e "$d/nb.conf.smblint.bak" ]
check "--unsafe-fixes: comment moved" grep -q '^	; old$' "$d/nb.conf"

# Owner and group survive (root only: chown to nobody:nogroup first).
if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null && getent group nogroup >/dev/null; then
	conf >"$d/own.conf"
	chown nobody:nogroup "$d/own.conf"
	"$smblint" --fix "$d/own.conf" >/dev/null 2>&1
	check "owner kept" [ "$(stat -c %U:%G "$d/own.conf")" = nobody:nogroup ]
	check "owner: file was fixed" same "$d/own.conf" <(fixed_safe)
	check "owner kept on the backup" [ "$(stat -c %U:%G "$d/own.conf.smblint.bak")" = nobody:nogroup ]
else
	skip "owner test needs root and nobody:nogroup"
fi

# Extended attributes survive (when the file system has user xattrs).
conf >"$d/x.conf"
if python3 -c 'import os,sys; os.setxattr(sys.argv[1], "user.smblint", b"kept")' "$d/x.conf" 2>/dev/null; then
	"$smblint" --fix "$d/x.conf" >/dev/null 2>&1
	check "xattr kept" python3 -c 'import os,sys; assert os.getxattr(sys.argv[1], "user.smblint") == b"kept"' "$d/x.conf"
	check "xattr: file was fixed" same "$d/x.conf" <(fixed_safe)
else
	skip "user extended attributes not supported on $(df --output=fstype "$d" | tail -1)"
fi

# A symlinked config is rewritten at its target; the link stays.
mkdir -p "$d/real"
conf >"$d/real/smb.conf"
ln -s real/smb.conf "$d/link.conf"
"$smblint" --fix "$d/link.conf" >/dev/null 2>&1
check "symlink kept" [ -L "$d/link.conf" ]
check "symlink target fixed" same "$d/real/smb.conf" <(fixed_safe)
check "symlink: backup beside the target" same "$d/real/smb.conf.smblint.bak" <(conf)

# -o FILE and -o - leave the original alone; stdin goes to stdout.
conf >"$d/orig.conf"
"$smblint" --fix -o "$d/out.conf" "$d/orig.conf" >/dev/null 2>&1
check "-o FILE: output fixed" same "$d/out.conf" <(fixed_safe)
check "-o FILE: original untouched" same "$d/orig.conf" <(conf)
"$smblint" --fix -o - "$d/orig.conf" >"$tmp/stdout" 2>/dev/null
check "-o -: fixed bytes on stdout" same "$tmp/stdout" <(fixed_safe)
conf | "$smblint" --fix - >"$tmp/stdout" 2>/dev/null
check "stdin: fixed bytes on stdout" same "$tmp/stdout" <(fixed_safe)
"$smblint" --diff "$d/orig.conf" >"$tmp/stdout" 2>/dev/null
check "--diff: original untouched" same "$d/orig.conf" <(conf)
check "--diff: no backup" [ ! -e "$d/orig.conf.smblint.bak" ]

# With -o, fixes in included files are left out and said so; the included file stays.
mkdir -p "$d/inc"
printf '[global]\n\tlanman auth = yes\n\tinclude = shares.conf\n' >"$d/inc/smb.conf"
printf '\tmap to guest = bad user\n[data]\n\tpath = /srv/data\n\tvalid users = bob\n' >"$d/inc/shares.conf"
cp "$d/inc/shares.conf" "$tmp/shares.orig"
(cd "$d/inc" && "$smblint" --fix --include-root . -o out.conf smb.conf) >/dev/null 2>"$tmp/err"
check "-o with includes: top file written" grep -q 'include = shares.conf' "$d/inc/out.conf"
check "-o with includes: lanman line fixed" sh -c '! grep -q "lanman auth = yes" "$1"' sh "$d/inc/out.conf"
check "-o with includes: included file untouched" same "$d/inc/shares.conf" "$tmp/shares.orig"
check "-o with includes: left-out reason" grep -q '1 left out: in an included file that is not written' "$tmp/err"

# A change between reading and writing refuses the write (test hook).
conf >"$d/race.conf"
SMBLINT_TEST_BEFORE_RENAME="printf '# edited meanwhile\n' >>'$d/race.conf'" \
	"$smblint" --fix "$d/race.conf" >/dev/null 2>"$tmp/err"
rc=$?
check "concurrent change: exit 2 (got $rc)" [ $rc = 2 ]
check "concurrent change: message" grep -q 'changed since it was read' "$tmp/err"
check "concurrent change: the other writer's bytes kept" same "$d/race.conf" <(conf; printf '# edited meanwhile\n')
check "concurrent change: no temporary file or backup" [ -z "$(ls -A "$d" | grep -e '^\.race' -e 'race.conf.smblint')" ]

# A failed verification writes nothing (a testparm that refuses the fixed file).
cat >"$tmp/fake-testparm" <<'EOF'
#!/bin/sh
# loads a file only while it still says "bad user"
for last; do :; done
grep -q 'bad user' "$last"
EOF
chmod +x "$tmp/fake-testparm"
conf >"$d/tp.conf"
SMBLINT_TESTPARM=$tmp/fake-testparm "$smblint" --fix "$d/tp.conf" >/dev/null 2>"$tmp/err"
rc=$?
check "verification failure: exit 2 (got $rc)" [ $rc = 2 ]
check "verification failure: reason given" grep -q 'testparm loads .* but not its fixed version' "$tmp/err"
check "verification failure: untouched" same "$d/tp.conf" <(conf)
check "verification failure: no backup" [ ! -e "$d/tp.conf.smblint.bak" ]

# Permission denied (an unprivileged user, a directory it cannot write).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	p=$tmp/perm
	mkdir -p "$p"
	conf >"$p/smb.conf"
	chmod 0644 "$p/smb.conf"
	chmod 0555 "$p"
	chmod o+x "$tmp"
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$smblint" --fix "$p/smb.conf" >/dev/null 2>"$tmp/err"
	rc=$?
	check "permission denied: exit 2 (got $rc)" [ $rc = 2 ]
	check "permission denied: clear message" grep -qi 'permission denied' "$tmp/err"
	check "permission denied: untouched" same "$p/smb.conf" <(conf)
	chmod 0755 "$p"
else
	skip "permission test needs root (to become nobody) and setpriv"
fi

# Read-only file system and full disk: small tmpfs mounts (root only).
m=$tmp/mnt
mkdir -p "$m"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$m" 2>/dev/null; then
	mounts+=("$m")
	conf >"$m/smb.conf"
	mount -o remount,ro "$m"
	"$smblint" --fix "$m/smb.conf" >/dev/null 2>"$tmp/err"
	rc=$?
	check "read-only fs: exit 2 (got $rc)" [ $rc = 2 ]
	check "read-only fs: clear message" grep -qi 'read-only file system' "$tmp/err"
	check "read-only fs: untouched" same "$m/smb.conf" <(conf)
	mount -o remount,rw "$m"
	# Fill the disk to the last block.
	dd if=/dev/zero of="$m/fill" bs=4k >/dev/null 2>&1
	dd if=/dev/zero of="$m/fill2" bs=1 >/dev/null 2>&1
	"$smblint" --fix "$m/smb.conf" >/dev/null 2>"$tmp/err"
	rc=$?
	check "full disk: exit 2 (got $rc)" [ $rc = 2 ]
	check "full disk: clear message" grep -qi 'no space left on device' "$tmp/err"
	check "full disk: untouched" same "$m/smb.conf" <(conf)
	check "full disk: no temporary file left" [ "$(ls -A "$m" | sort | tr '\n' ' ')" = "fill fill2 smb.conf " ]
	umount "$m" && mounts=()
else
	skip "read-only and full-disk tests need root and tmpfs mounts"
fi

# ---- corpus invariants ------------------------------------------------------
# For every real config, safe fixes then also unsafe ones:
#  - smblint never refuses (exit 2) and fixing the output again changes nothing;
#  - the --diff output, applied with patch(1), gives the bytes --fix writes;
#  - the output has no finding still marked fixable (safe pass);
#  - the effective configuration changes only in parameters that had findings
#    or sit on lines the fix changed (when the original loads at all);
#  - testparm loads every fixed file whose original it loaded.
# The JSON and effective-configuration checks run in one python3 at the end,
# the testparm runs in parallel (smblint's own testparm check is skipped here:
# it is the golden and in-place tests' business, and testparm is slow).
corpus_checks() {
	python3 - "$1" "$2" <<'EOF'
import difflib, json, re, sys
def fold(s): return re.sub(r'\s+', '', s).lower()
# Synonyms from testparm --show-all-parameters: "min protocol=...(synonym of server min protocol)"
canon = {}
for line in open(sys.argv[2], errors='replace'):
    m = re.match(r'([^=]+)=.*\((?:inverse )?synonym of ([^)]+)\)', line)
    if m: canon[fold(m.group(1))] = fold(m.group(2))
def cname(s): return canon.get(fold(s), fold(s))
def settings(path):
    sec, out = None, {}
    for line in open(path, encoding='utf-8', errors='replace'):
        line = line.rstrip('\n')
        if line.startswith('['): sec = line.lower()
        elif line.startswith('\t') and ' = ' in line:
            k, v = line[1:].split(' = ', 1)
            out[(sec, fold(k))] = v
    return out
def check(kind, a):
    if kind == 'fixable':
        js, name = a
        left = [f['rule'] + ':' + str(f['line']) for f in json.load(open(js))['findings'] if f.get('fixable')]
        return 'FAIL: corpus: fixable finding left after --fix: %s: %s' % (name, ' '.join(left)) if left else 'PASS'
    orig, fixed, p_orig, p_fixed, js, name = a
    allowed = {cname(f['parameter']) for f in json.load(open(js))['findings'] if f.get('parameter')}
    ol = open(orig, 'rb').read().decode('latin-1').splitlines()
    fl = open(fixed, 'rb').read().decode('latin-1').splitlines()
    for line in difflib.unified_diff(ol, fl, lineterm='', n=0):
        if line[:1] in '+-' and not line.startswith(('+++', '---')) and '=' in line:
            allowed.add(cname(line[1:].split('=', 1)[0].strip('"\' \t\xef\xbb\xbf')))
    x, y = settings(p_orig), settings(p_fixed)
    bad = sorted('%s %s: %r -> %r' % (k[0], k[1], x.get(k), y.get(k))
                 for k in set(x) | set(y) if x.get(k) != y.get(k) and k[1] not in allowed)
    return 'FAIL: corpus: effective configuration changed beyond the fixes: %s: %s' % (name, '; '.join(bad)) if bad else 'PASS'
for row in open(sys.argv[1]):
    kind, *a = row.rstrip('\n').split('\t')
    try:
        print(check(kind, a))
    except Exception as e:
        print('FAIL: corpus: %s check of %s: %s' % (kind, a[-1], e))
EOF
}

if [ -n "$quick" ]; then
	skip "corpus invariants (SMBLINT_FIX_QUICK is set)"
elif [ -d "$corpus" ]; then
	have_testparm=$(command -v testparm)
	cdir=$tmp/corpus
	list=$cdir/list
	mkdir -p "$cdir"
	: >"$list"
	: >"$cdir/testparm"
	n=0
	for f in "$corpus"/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		base=$(basename "$f")
		k=$cdir/$n
		"$smblint" --format=json "$f" >"$k.json" 2>/dev/null
		"$smblint" --print-config "$f" >"$k.p_orig" 2>/dev/null
		loads=$?   # 1: smbd would not start, so there is no effective configuration to compare
		for mode in safe unsafe; do
			extra=()
			[ $mode = unsafe ] && extra=(--unsafe-fixes)
			out=$k.$mode.out
			SMBLINT_TESTPARM=none timeout 60 "$smblint" --fix "${extra[@]}" -o "$out" "$f" >/dev/null 2>"$tmp/err"
			rc=$?
			if [ $rc -gt 1 ]; then
				bad "corpus $mode: exit $rc: $base: $(tr '\n' ' ' <"$tmp/err" | head -c 400)"
				continue
			fi
			ok
			SMBLINT_TESTPARM=none timeout 60 "$smblint" --fix "${extra[@]}" -o "$out.2" "$out" >/dev/null 2>&1
			check "corpus $mode: not a fixed point: $base" same "$out" "$out.2"
			if [ $mode = safe ]; then
				"$smblint" --format=json "$out" >"$out.json" 2>/dev/null
				printf 'fixable\t%s\t%s\n' "$out.json" "$base" >>"$list"
			fi
			same "$f" "$out" && continue
			if command -v patch >/dev/null; then
				# --diff shows exactly what --fix writes: patch(1) turns the original into it.
				SMBLINT_TESTPARM=none "$smblint" --diff "${extra[@]}" "$f" >"$out.diff" 2>/dev/null
				patch -s -o "$out.patched" "$f" <"$out.diff" >/dev/null 2>&1
				check "corpus $mode: --diff and --fix disagree: $base" same "$out" "$out.patched"
			fi
			if [ $loads = 0 ]; then
				"$smblint" --print-config "$out" >"$out.p" 2>/dev/null
				printf 'effective\t%s\t%s\t%s\t%s\t%s\t%s\n' "$f" "$out" "$k.p_orig" "$out.p" "$k.json" "$base ($mode)" >>"$list"
			fi
			[ $mode = unsafe ] && same "$out" "$k.safe.out" && continue
			printf '%s\0%s\0' "$f" "$out" >>"$cdir/testparm"
		done
	done
	[ $n -gt 0 ] || bad "corpus $corpus is empty"
	while IFS= read -r line; do
		case $line in
		PASS) ok ;;
		*) bad "${line#FAIL: }" ;;
		esac
	done < <(corpus_checks "$list" <(testparm --show-all-parameters 2>/dev/null))
	if [ -n "$have_testparm" ]; then
		# Each pair: the original, then its fixed version; checked only when the original loads.
		while IFS= read -r line; do
			case $line in
			PASS) ok ;;
			*) bad "corpus: testparm refuses the fixed file: $line" ;;
			esac
		done < <(xargs -0 -n 2 -P "$(nproc)" sh -c 'cd / || exit
			testparm -s --suppress-prompt "$1" >/dev/null 2>&1 || exit 0
			if testparm -s --suppress-prompt "$2" >/dev/null 2>&1; then echo PASS; else echo "$1"; fi' sh <"$cdir/testparm")
	else
		skip "testparm is not installed"
	fi
else
	skip "no corpus at $corpus"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
