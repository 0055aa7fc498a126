# dpkg postinst snippet: check the admin's smb.conf after an upgrade.
# Prints only problems that stop smbd (errors), never prompts, and never blocks
# the upgrade: smblint's exit status is reported, not propagated.
if [ "$1" = configure ] && command -v smblint >/dev/null 2>&1 &&
   [ -f /etc/samba/smb.conf ]; then
	if ! smblint --quiet --fail-on=error --no-settings /etc/samba/smb.conf >&2; then
		echo "warning: /etc/samba/smb.conf has errors smbd will refuse;" \
		     "run 'smblint /etc/samba/smb.conf' for details" >&2
	fi
fi
