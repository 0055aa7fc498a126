#!/bin/bash
# install.sh - `make install` and `make uninstall` put and remove the binary,
# both man pages and the bash completion where the variables say, and the
# completion completes options, formats, client profiles and rule codes.
# The last line is "N passed, M failed"; the exit status is 1 on failures.
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
. test/lib.sh
[ -x ./smblint ] || { bad "./smblint not built"; finish; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/smblint-install.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
unset PREFIX BINDIR MANDIR COMPDIR DESTDIR MAKEFLAGS MFLAGS

# installed DESTDIR FILE SOURCE MODE: FILE is a copy of SOURCE with MODE.
installed() {
	local f=$1$2
	if [ ! -f "$f" ]; then bad "$2 not installed"; return; fi
	cmp -s "$f" "$3" || { bad "$2 differs from $3"; return; }
	local m
	m=$(stat -c %a "$f")
	[ "$m" = "$4" ] || { bad "$2 has mode $m, not $4"; return; }
	ok
}
# files_left DESTDIR: the files under DESTDIR, one a line.
files_left() { (cd "$1" && find . -type f | sort); }

echo "--- make install DESTDIR PREFIX=/usr"
d=$scratch/usr-root
if make -s install DESTDIR="$d" PREFIX=/usr >"$scratch/make.out" 2>&1; then ok; else
	bad "make install failed"; tail -n 5 "$scratch/make.out"
fi
installed "$d" /usr/bin/smblint smblint 755
installed "$d" /usr/share/man/man1/smblint.1 man/smblint.1 644
installed "$d" /usr/share/man/man7/smblint-rules.7 man/smblint-rules.7 644
installed "$d" /usr/share/bash-completion/completions/smblint completions/smblint 644
check "nothing else installed" [ "$(files_left "$d" | wc -l)" -eq 4 ]
out=$("$d/usr/bin/smblint" --version 2>&1)
check "the installed binary runs ($out)" grep -q smblint <<<"$out"
if command -v mandoc >/dev/null 2>&1; then
	check "the installed man pages format" \
		eval 'mandoc -T lint -W warning "$d/usr/share/man/man1/smblint.1" "$d/usr/share/man/man7/smblint-rules.7" >/dev/null 2>&1'
fi
if make -s uninstall DESTDIR="$d" PREFIX=/usr >"$scratch/make.out" 2>&1; then ok; else
	bad "make uninstall failed"; tail -n 5 "$scratch/make.out"
fi
left=$(files_left "$d")
check "make uninstall removes every file (left: $left)" [ -z "$left" ]

echo "--- default PREFIX=/usr/local"
d=$scratch/local-root
make -s install DESTDIR="$d" >/dev/null 2>&1
installed "$d" /usr/local/bin/smblint smblint 755
installed "$d" /usr/local/share/man/man1/smblint.1 man/smblint.1 644
installed "$d" /usr/local/share/man/man7/smblint-rules.7 man/smblint-rules.7 644
installed "$d" /usr/local/share/bash-completion/completions/smblint completions/smblint 644
make -s uninstall DESTDIR="$d" >/dev/null 2>&1
check "make uninstall removes the /usr/local files" [ -z "$(files_left "$d")" ]

echo "--- MANDIR, BINDIR and COMPDIR overrides"
d=$scratch/over-root
make -s install DESTDIR="$d" PREFIX=/opt/smb MANDIR=/usr/man BINDIR=/sbin \
	COMPDIR=/etc/bash_completion.d >/dev/null 2>&1
installed "$d" /usr/man/man1/smblint.1 man/smblint.1 644
installed "$d" /usr/man/man7/smblint-rules.7 man/smblint-rules.7 644
installed "$d" /sbin/smblint smblint 755
installed "$d" /etc/bash_completion.d/smblint completions/smblint 644
check "MANDIR override: nothing under PREFIX/share/man" [ ! -e "$d/opt/smb/share/man" ]
make -s uninstall DESTDIR="$d" PREFIX=/opt/smb MANDIR=/usr/man BINDIR=/sbin \
	COMPDIR=/etc/bash_completion.d >/dev/null 2>&1
check "make uninstall with the same overrides removes every file" [ -z "$(files_left "$d")" ]

# ---- the bash completion ------------------------------------------------------
echo "--- bash completion"
bc=/usr/share/bash-completion/bash_completion
if [ ! -f "$bc" ]; then
	bad "bash-completion not installed (scripts/install-deps.sh test)"
	finish
fi
bin=$scratch/bin
mkdir -p "$bin"
ln -s "$root/smblint" "$bin/smblint"
mkdir -p "$scratch/files/sub"
touch "$scratch/files/smb.conf" "$scratch/files/other.conf"

# complete LINE: what completing at the end of LINE offers, one a line.  The
# words are split as readline splits them (COMP_WORDBREAKS: '=' and ':' are
# words of their own), then _smblint is called as `complete -F` would call it.
complete_line() {
	PATH=$bin:$PATH LINE=$1 bash --norc --noprofile -c '
		source '"$bc"' >/dev/null 2>&1
		source "'"$root"'/completions/smblint" || exit 3
		COMP_LINE=$LINE COMP_POINT=${#LINE}
		COMP_WORDS=() w=
		for ((i = 0; i < ${#LINE}; i++)); do
			c=${LINE:i:1}
			case $c in
			" ") [ -n "$w" ] && COMP_WORDS+=("$w"); w= ;;
			"=" | ":") [ -n "$w" ] && COMP_WORDS+=("$w"); COMP_WORDS+=("$c"); w= ;;
			*) w+=$c ;;
			esac
		done
		COMP_WORDS+=("$w")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_smblint smblint "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}"
	' 2>&1
}
# has LINE WORD...: completing LINE offers each WORD.
has() {
	local line=$1 got w miss=
	shift
	got=$(cd "$scratch/files" && complete_line "$line")
	for w; do grep -qxF -- "$w" <<<"$got" || miss+=" $w"; done
	if [ -z "$miss" ]; then ok; else
		bad "completing '$line': missing$miss; got: $(tr '\n' ' ' <<<"$got")"
	fi
}
# only LINE WORD...: completing LINE offers exactly the WORDs.
only() {
	local line=$1 got want
	shift
	got=$(cd "$scratch/files" && complete_line "$line" | sort)
	want=$(printf '%s\n' "$@" | sort)
	if [ "$got" = "$want" ]; then ok; else
		bad "completing '$line': want $(tr '\n' ' ' <<<"$want")got $(tr '\n' ' ' <<<"$got")"
	fi
}

check "the completion registers _smblint for smblint" \
	eval "bash --norc -c 'source $bc; source completions/smblint; complete -p smblint' 2>/dev/null | grep -q -- '-F _smblint smblint'"
only "smblint --form" --format=
has "smblint --" --format= --fail-on= --client= --explain= --fix --diff --list-rules --help --matrix --severity=
only "smblint --format=" text gcc json sarif github codeclimate
only "smblint --format=co" codeclimate
only "smblint -f s" sarif
only "smblint --format s" sarif
only "smblint --fail-on=" error warning info none
only "smblint --severity=w" warning
only "smblint --color=a" auto always
only "smblint --client=win1" win10-home win10-enterprise win11-24h2
only "smblint --client=win10-home,win11" win10-home,win11-24h2
has "smblint --client=" win7 macos linux-cifs smb1 all default
has "smblint --explain SL20" SL2001 SL2005 SL2010
has "smblint --explain=SL10" SL1001 SL1029
has "smblint --explain=guest-" guest-fallback guest-share guest-account-root
only "smblint --disable=SL1002,SL300" SL1002,SL3001 SL1002,SL3002 SL1002,SL3003 SL1002,SL3004 \
	SL1002,SL3005 SL1002,SL3006 SL1002,SL3007 SL1002,SL3008 SL1002,SL3009
has "smblint sm" smb.conf
has "smblint --settings=o" other.conf
only "smblint --include-root=s" sub
# Every rule code of --list-rules and every format of --help is offered.
codes=$(./smblint --list-rules | awk '/^SL[0-9]/ {print $1}')
got=$(cd "$scratch/files" && complete_line "smblint --explain=SL")
missing=$(comm -23 <(sort <<<"$codes") <(sort <<<"$got"))
check "--explain=SL offers all $(wc -l <<<"$codes") rule codes (missing: $missing)" [ -z "$missing" ]
# The client profiles of the completion are the binary's.
known=$(./smblint --client=nosuch --no-settings - </dev/null 2>&1 | sed -n 's/.*(known: \(.*\))$/\1/p' | tr -d ' ' | tr ',' '\n' | sort)
got=$(cd "$scratch/files" && complete_line "smblint --client=" | sort)
check "--client= offers the binary's profiles (binary: $(tr '\n' ' ' <<<"$known"))" \
	[ -n "$known" -a "$known" = "$got" ]

finish
