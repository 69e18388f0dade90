# Account tools: 1000 `adduser -D` (home created from an empty skeleton, private group,
# shadow and gshadow lines) into a fresh temporary root, each run starting from the same
# four-line databases. Peers: the reference BusyBox (built from Debian's source; Debian's
# busybox-static has no adduser) looping inside a chroot of the root, and shadow's
# `useradd --root` (Debian package `passwd`). The loop runs in dash for rbox and useradd, in
# BusyBox's own shell for BusyBox (so no chroot exec per user).
accounts_setup() {
	cat >"$WORK/accounts-bench.sh" <<'SH'
#!/bin/sh
# Usage: accounts-bench.sh rbox|busybox|useradd [COUNT]
set -e
n=${2:-1000}
root=$(mktemp -d "$WORK/accounts-root.XXXXXX")
mkdir -p "$root/etc/skel" "$root/home" "$root/bin"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nusers:x:100:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
printf 'root:*::\nusers:*::\nnogroup:*::\n' >"$root/etc/gshadow"
chmod 640 "$root/etc/shadow" "$root/etc/gshadow"
case $1 in
rbox)
	i=0
	while [ $i -lt "$n" ]; do "$RBOX/adduser" -R "$root" -D "u$i"; i=$((i + 1)); done ;;
busybox)
	cp "${RBOX_REF_BUSYBOX:-/opt/rbox-ref/busybox}" "$root/bin/busybox"
	chroot "$root" /bin/busybox --install -s /bin
	chroot "$root" /bin/busybox sh -c \
		'i=0; while [ $i -lt '"$n"' ]; do adduser -D "u$i"; i=$((i + 1)); done' ;;
useradd)
	printf '#!/bin/false\n' >"$root/bin/sh" && chmod 755 "$root/bin/sh"
	i=0
	while [ $i -lt "$n" ]; do useradd --root "$root" -m -U -s /bin/sh "u$i"; i=$((i + 1)); done ;;
esac
[ "$(grep -c '^u' "$root/etc/passwd")" = "$n" ] || { echo "accounts-bench: $1 lost users" >&2; exit 1; }
rm -rf "$root"
SH
	chmod +x "$WORK/accounts-bench.sh"
}
if [ -x "${RBOX_REF_BUSYBOX:-/opt/rbox-ref/busybox}" ]; then
	scenario accounts-adduser-1000 accounts_setup "/bin/dash $WORK/accounts-bench.sh rbox" \
		busybox="/bin/dash $WORK/accounts-bench.sh busybox" \
		useradd="/bin/dash $WORK/accounts-bench.sh useradd"
else
	scenario accounts-adduser-1000 accounts_setup "/bin/dash $WORK/accounts-bench.sh rbox" \
		useradd="/bin/dash $WORK/accounts-bench.sh useradd"
fi
