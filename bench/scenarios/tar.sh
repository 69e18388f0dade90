# tar: create and extract 20 000 small files and one 256 MiB file (plain, gzip, zstd), and
# list a large archive, against GNU tar, BusyBox tar (no zstd) and bsdtar (libarchive-tools).
# Extraction commands remove their previous output first (the same cost for every peer);
# archives are written to files, not /dev/null (GNU tar skips reading data for /dev/null).

tar_small_setup() {
	[ -d "$WORK/tar/small" ] && return 0
	mkdir -p "$WORK/tar/small" || return 1
	(
		cd "$WORK/tar/small" || exit 1
		for d in $(seq 1 100); do
			mkdir "d$d"
			for f in $(seq 1 200); do
				printf 'file %s in dir %s\n' "$f" "$d" >"d$d/f$f"
			done
		done
	)
	/bin/tar cf "$WORK/tar/small.tar" -C "$WORK/tar/small" .
	gzip -c "$WORK/tar/small.tar" >"$WORK/tar/small.tar.gz"
	zstd -q -c "$WORK/tar/small.tar" >"$WORK/tar/small.tar.zst"
}

tar_big_setup() {
	[ -f "$WORK/tar/big/big" ] && return 0
	mkdir -p "$WORK/tar/big" || return 1
	# Text-like data (base64 of random bytes) so the compressors have work to do.
	head -c 201326592 /dev/urandom | base64 -w 0 >"$WORK/tar/big/big"
	/bin/tar cf "$WORK/tar/big.tar" -C "$WORK/tar/big" big
	gzip -c "$WORK/tar/big.tar" >"$WORK/tar/big.tar.gz"
	zstd -q -c "$WORK/tar/big.tar" >"$WORK/tar/big.tar.zst"
}

# tar_x PEER ARCHIVE-ARGS: a shell command extracting into a fresh per-peer directory.
tar_x() {
	echo "sh -c 'rm -rf \$WORK/tar/x-$1 && mkdir \$WORK/tar/x-$1 && $2 -C \$WORK/tar/x-$1'"
}

for kind in small big; do
	for z in plain gz zst; do
		case $z in
		plain) flag='' ext='' ;;
		gz) flag='-z' ext='.gz' ;;
		zst) flag='--zstd' ext='.zst' ;;
		esac
		src=$WORK/tar/$kind
		out=$WORK/tar/out-$kind$ext
		bb=()
		[ "$z" != zst ] && bb=(busybox="$BUSYBOX/tar -c $flag -f $out.bb -C $src .")
		scenario "tar-create-$kind-$z" "tar_${kind}_setup" \
			"$RBOX/tar -c $flag -f $out.rbox -C $src ." \
			gnu="/bin/tar -c $flag -f $out.gnu -C $src ." \
			"${bb[@]}" \
			bsdtar="bsdtar -c $flag -f $out.bsd -C $src ."
		arch=$WORK/tar/$kind.tar$ext
		bb=()
		[ "$z" != zst ] && bb=(busybox="$(tar_x bb "$BUSYBOX/tar -x $flag -f $arch")")
		scenario "tar-extract-$kind-$z" "tar_${kind}_setup" \
			"$(tar_x rbox "$RBOX/tar -x -f $arch")" \
			gnu="$(tar_x gnu "/bin/tar -x $flag -f $arch")" \
			"${bb[@]}" \
			bsdtar="$(tar_x bsd "bsdtar -x -f $arch")"
	done
done

scenario tar-list-small tar_small_setup \
	"sh -c '$RBOX/tar -tvf $WORK/tar/small.tar >/dev/null'" \
	gnu="sh -c '/bin/tar -tvf $WORK/tar/small.tar >/dev/null'" \
	busybox="sh -c '$BUSYBOX/tar -tvf $WORK/tar/small.tar >/dev/null'" \
	bsdtar="sh -c 'bsdtar -tvf $WORK/tar/small.tar >/dev/null'"

scenario tar-list-big tar_big_setup \
	"$RBOX/tar -tf $WORK/tar/big.tar" \
	gnu="/bin/tar -tf $WORK/tar/big.tar" \
	busybox="$BUSYBOX/tar -tf $WORK/tar/big.tar" \
	bsdtar="bsdtar -tf $WORK/tar/big.tar"
