#!/bin/sh
# install-deps.sh - installs the Debian packages smblint's build and tests need,
# only those that are missing.  Safe to run repeatedly; quiet when all is there.
# Usage: scripts/install-deps.sh [build|test|all]   (default: all)
set -eu

build="gcc make pkg-config libc6-dev libiniparser-dev"
test="check libsmbclient-dev libsmbclient samba smbclient mandoc python3 valgrind clang libclang-rt-14-dev passwd util-linux time python3-yaml bash-completion debhelper dpkg-dev lintian fakeroot"
case "${1:-all}" in
build) want="$build" ;;
test|all) want="$build $test" ;;
*) echo "usage: $0 [build|test|all]" >&2; exit 2 ;;
esac

# The SARIF schema check of the tests uses two npm packages, when npm is there.
sarif_deps() {
	[ "${1:-all}" = build ] && return 0
	command -v npm >/dev/null 2>&1 || return 0
	dir=$(cd "$(dirname "$0")/../test/cli/sarif" && pwd) || return 0
	[ -d "$dir/node_modules" ] && return 0
	(cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) ||
		echo "smblint: npm ci failed; SARIF output will be checked for structure only" >&2
}

missing=""
for p in $want; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
if [ -z "$missing" ]; then
	sarif_deps "${1:-all}"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "smblint: missing Debian packages:$missing" >&2
	echo "smblint: run as root, or: sudo apt-get install$missing" >&2
	exit 2
fi
echo "smblint: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
sarif_deps "${1:-all}"
