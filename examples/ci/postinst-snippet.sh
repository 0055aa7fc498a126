# dpkg postinst snippet: check the admin's smb.conf after an upgrade.
# Prints only problems that stop smbd (errors), never prompts, and never blocks
# the upgrade: smblint's exit status is reported, not propagated.
# SMB_CONF names another configuration (the default is Samba's).
smb_conf=${SMB_CONF:-/etc/samba/smb.conf}
if [ "$1" = configure ] && command -v smblint >/dev/null 2>&1 &&
   [ -f "$smb_conf" ]; then
	if ! smblint --quiet --fail-on=error --no-settings -- "$smb_conf" >&2; then
		echo "warning: $smb_conf has errors smbd will refuse;" \
		     "run 'smblint $smb_conf' for details" >&2
	fi
fi
