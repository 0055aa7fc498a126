#!/bin/bash
# deb.sh - `make deb` builds a Debian package into dist/ without writing next
# to the repository or into debian/, lintian finds no errors in it, and it
# unpacks to the expected files with a working, hardened binary.
# The last line is "N passed, M failed"; the exit status is 1 on failures.
cd "$(dirname "$0")/.." || exit 2
. test/lib.sh

for t in dpkg-buildpackage dh lintian fakeroot dpkg-deb; do
	command -v "$t" >/dev/null 2>&1 ||
		bad "$t missing: install debhelper dpkg-dev lintian fakeroot (scripts/install-deps.sh test)"
done
[ "$fail" -eq 0 ] || finish

scratch=$(mktemp -d "${TMPDIR:-/tmp}/smblint-debtest.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
unset MAKEFLAGS MFLAGS DEB_BUILD_OPTIONS

# What is next to the repository and in debian/ before the build.
parent_before=$(ls -A .. | sort)
debian_before=$(git status --porcelain --ignored -- debian 2>/dev/null; ls -A debian)

echo "--- make deb"
start=$(date +%s%N)
make deb >"$scratch/build.log" 2>&1; rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
printf 'make deb: exit %d in %d.%03ds\n' "$rc" $((ms / 1000)) $((ms % 1000))
if [ $rc -eq 0 ]; then ok; else bad "make deb failed (exit $rc)"; tail -n 30 "$scratch/build.log"; fi
version=$(dpkg-parsechangelog -S Version 2>/dev/null)
arch=$(dpkg --print-architecture)
deb=dist/smblint_${version}_${arch}.deb
check "$deb built" [ -f "$deb" ]
[ -f "$deb" ] || finish
check "the build ran with -Werror dropped and hardening flags" \
	eval 'grep -q -- "-Wno-error" "$scratch/build.log" && grep -q -- "-D_FORTIFY_SOURCE=2" "$scratch/build.log"'
check "the build ran the package's smoke test" grep -qF -- "--list-rules" "$scratch/build.log"

parent_after=$(ls -A .. | sort)
new=$(comm -13 <(echo "$parent_before") <(echo "$parent_after"))
check "nothing written next to the repository (new: $new)" [ -z "$new" ]
debian_after=$(git status --porcelain --ignored -- debian 2>/dev/null; ls -A debian)
check "debian/ left as it was" [ "$debian_before" = "$debian_after" ]
check "dist/ is ignored by git" git check-ignore -q dist/

echo "--- lintian"
lintian --allow-root -I "$deb" >"$scratch/lintian.out" 2>&1
grep -v '^running with root privileges' "$scratch/lintian.out" | sed 's/^/    /'
errors=$(grep -c '^E: ' "$scratch/lintian.out")
warnings=$(grep -c '^W: ' "$scratch/lintian.out")
echo "lintian: $errors errors, $warnings warnings"
check "lintian reports no errors" [ "$errors" -eq 0 ]
check "lintian ran" eval '! grep -q "^internal error\|^error:" "$scratch/lintian.out"'

echo "--- contents"
check "package name and version" eval '[ "$(dpkg-deb -f "$deb" Package)" = smblint ] && [ "$(dpkg-deb -f "$deb" Version)" = "$version" ]'
check "depends on libiniparser" eval 'dpkg-deb -f "$deb" Depends | grep -q libiniparser'
x=$scratch/root
dpkg -x "$deb" "$x" || bad "dpkg -x failed"
files=$(cd "$x" && find . -type f -o -type l | sed 's|^\./||' | sort)
want=$(sort <<'EOF'
usr/bin/smblint
usr/share/bash-completion/completions/smblint
usr/share/doc/smblint/changelog.gz
usr/share/doc/smblint/copyright
usr/share/man/man1/smblint.1.gz
usr/share/man/man7/smblint-rules.7.gz
EOF
)
if [ "$files" = "$want" ]; then ok; else
	bad "files of the package differ:"; diff <(echo "$want") <(echo "$files") | sed 's/^/    /'
fi
check "the completion is the repository's" cmp -s "$x/usr/share/bash-completion/completions/smblint" completions/smblint
check "man page smblint.1 is the repository's" eval 'zcat "$x/usr/share/man/man1/smblint.1.gz" | cmp -s - man/smblint.1'
check "man page smblint-rules.7 is the repository's" eval 'zcat "$x/usr/share/man/man7/smblint-rules.7.gz" | cmp -s - man/smblint-rules.7'
check "the binary is executable" [ -x "$x/usr/bin/smblint" ]
out=$("$x/usr/bin/smblint" --version 2>&1)
check "the packaged binary runs ($out)" grep -q "$version" <<<"$out"
"$x/usr/bin/smblint" --no-settings --format=codeclimate examples/nas-before.conf >"$scratch/cc.json"
check "the packaged binary lints (codeclimate)" \
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) > 3' "$scratch/cc.json"
if command -v readelf >/dev/null 2>&1; then
	b=$x/usr/bin/smblint
	check "binary is PIE" eval 'readelf -h "$b" | grep -q "Type:.*DYN"'
	check "binary has full RELRO" eval 'readelf -l "$b" | grep -q GNU_RELRO && readelf -d "$b" | grep -q "BIND_NOW\|FLAGS.*NOW"'
	check "binary uses the stack protector" eval 'readelf -W --dyn-syms "$b" | grep -q __stack_chk_fail'
	check "binary uses fortified functions" eval 'readelf -W --dyn-syms "$b" | grep -q "__[a-z]*_chk"'
	check "binary is stripped" eval '! readelf -S "$b" | grep -q "\.debug_info\|\.symtab"'
fi

finish
