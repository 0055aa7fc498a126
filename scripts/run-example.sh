#!/bin/sh
# run-example.sh - lints this machine's smb.conf, or Debian's default one, or an example.
cd "$(dirname "$0")/.." || exit 2
for f in /etc/samba/smb.conf /usr/share/samba/smb.conf examples/nas-before.conf; do
	if [ -r "$f" ]; then
		echo "smblint: linting $f" >&2
		./smblint "$f"
		rc=$?
		# findings are the point of this command, not a failure of it
		[ $rc -le 1 ] && exit 0
		exit $rc
	fi
done
echo "smblint: no smb.conf found" >&2
exit 2
