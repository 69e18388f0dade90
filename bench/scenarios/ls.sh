# ls over a directory of 100 000 files and a tree of 200 000 entries (issue 5).
# Peers: GNU ls, Debian's busybox-static, toybox (apt package toybox). Output goes to a
# pipe (hyperfine discards it), so plain `ls` is one name per line without colours.
ls_flat() {
	[ -d "$WORK/ls100k" ] && return 0
	mkdir -p "$WORK/ls100k" && (cd "$WORK/ls100k" && seq -f 'file%06g' 1 100000 | xargs touch)
}
ls_tree() {
	[ -d "$WORK/ls200k" ] && return 0
	mkdir -p "$WORK/ls200k" || return 1
	# 400 directories of 499 files: 200 000 entries with the directories.
	(cd "$WORK/ls200k" && for d in $(seq 1 400); do
		mkdir "d$d" && (cd "d$d" && seq -f 'f%03g' 1 499 | xargs touch)
	done)
}
scenario ls-100k ls_flat "$RBOX/ls $WORK/ls100k" \
	gnu="/bin/ls $WORK/ls100k" busybox="$BUSYBOX/ls $WORK/ls100k" toybox="$TOYBOX/ls $WORK/ls100k"
scenario ls-l-100k ls_flat "$RBOX/ls -l $WORK/ls100k" \
	gnu="/bin/ls -l $WORK/ls100k" busybox="$BUSYBOX/ls -l $WORK/ls100k" toybox="$TOYBOX/ls -l $WORK/ls100k"
scenario ls-la-color-100k ls_flat "$RBOX/ls -la --color=always $WORK/ls100k" \
	gnu="/bin/ls -la --color=always $WORK/ls100k" busybox="$BUSYBOX/ls -la --color=always $WORK/ls100k" \
	toybox="$TOYBOX/ls -la --color=always $WORK/ls100k"
scenario ls-lR-200k ls_tree "$RBOX/ls -lR $WORK/ls200k" \
	gnu="/bin/ls -lR $WORK/ls200k" busybox="$BUSYBOX/ls -lR $WORK/ls200k" toybox="$TOYBOX/ls -lR $WORK/ls200k"
