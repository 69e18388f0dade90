# The shell: CPU-bound loops (compare with dash), fork-heavy scripts (compare with BusyBox ash),
# and parsing a large script.
sh_setup() {
	[ -f "$WORK/sh/big-n.sh" ] && return 0
	mkdir -p "$WORK/sh"
	cat > "$WORK/sh/arith.sh" <<'EOF'
i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done; echo $i
EOF
	cat > "$WORK/sh/params.sh" <<'EOF'
s=/usr/local/lib/libexample.so.1.2.3; n=0
while [ $n -lt 50000 ]; do
	b=${s##*/}; d=${s%/*}; e=${b%%.*}; v=${s#*.so.}; l=${#s}
	case $b in lib*) n=$((n+1)) ;; esac
done
echo "$b $d $e $v $l $n"
EOF
	cat > "$WORK/sh/funcs.sh" <<'EOF'
f() { r=$1; }
i=0; while [ $i -lt 100000 ]; do f $i; i=$((i+1)); done; echo $r
EOF
	cat > "$WORK/sh/fork.sh" <<'EOF'
i=0; while [ $i -lt 2000 ]; do /bin/true; i=$((i+1)); done
EOF
	# Absolute paths: BusyBox would otherwise run its own tr, cut and cat without an exec,
	# which measures its applets rather than its shell.
	cat > "$WORK/sh/pipes.sh" <<'EOF'
i=0
while [ $i -lt 300 ]; do
	x=$(echo "line $i" | /usr/bin/tr a-z A-Z | /usr/bin/cut -c1-4)
	echo "$x" | /bin/cat > /dev/null
	i=$((i+1))
done
EOF
	# a 5 MB script of function definitions, parsed with -n (nothing runs)
	{
		n=0
		while [ $n -lt 40000 ]; do
			printf 'f%d() { if [ "$1" = x ]; then echo "a ${v:-d} $((n+1))"; else for i in 1 2 3; do case $i in 1) : ;; *) echo "$i" ;; esac; done; fi; }\n' $n
			n=$((n+1))
		done
	} > "$WORK/sh/big-n.sh"
}
scenario sh-arith-loop-1m sh_setup "$RBOX/sh \$WORK/sh/arith.sh" dash="/bin/dash \$WORK/sh/arith.sh" busybox="$BUSYBOX/sh \$WORK/sh/arith.sh"
scenario sh-param-expansion sh_setup "$RBOX/sh \$WORK/sh/params.sh" dash="/bin/dash \$WORK/sh/params.sh" busybox="$BUSYBOX/sh \$WORK/sh/params.sh"
scenario sh-function-calls-100k sh_setup "$RBOX/sh \$WORK/sh/funcs.sh" dash="/bin/dash \$WORK/sh/funcs.sh" busybox="$BUSYBOX/sh \$WORK/sh/funcs.sh"
scenario sh-fork-exec-2000 sh_setup "$RBOX/sh \$WORK/sh/fork.sh" dash="/bin/dash \$WORK/sh/fork.sh" busybox="$BUSYBOX/sh \$WORK/sh/fork.sh"
scenario sh-pipelines sh_setup "$RBOX/sh \$WORK/sh/pipes.sh" dash="/bin/dash \$WORK/sh/pipes.sh" busybox="$BUSYBOX/sh \$WORK/sh/pipes.sh"
scenario sh-parse-5mb sh_setup "$RBOX/sh -n \$WORK/sh/big-n.sh" dash="/bin/dash -n \$WORK/sh/big-n.sh" busybox="$BUSYBOX/sh -n \$WORK/sh/big-n.sh"

# A real autoconf configure script: GNU hello's, from Debian's source package (deb-src is set
# up by .ci/setup); kept under /opt/rbox-ref so that it is fetched once.
sh_configure_setup() {
	[ -f /opt/rbox-ref/hello/configure ] && return 0
	mkdir -p /opt/rbox-ref/hello.tmp && (cd /opt/rbox-ref/hello.tmp && apt-get source -qq hello >/dev/null 2>&1) || return 1
	d=$(find /opt/rbox-ref/hello.tmp -maxdepth 2 -name configure -printf '%h\n' | head -1)
	[ -n "$d" ] && rm -rf /opt/rbox-ref/hello && mv "$d" /opt/rbox-ref/hello && rm -rf /opt/rbox-ref/hello.tmp
}
scenario sh-configure-help sh_configure_setup "cd /opt/rbox-ref/hello && $RBOX/sh ./configure --help" dash="cd /opt/rbox-ref/hello && /bin/dash ./configure --help" busybox="cd /opt/rbox-ref/hello && $BUSYBOX/sh ./configure --help"
