# Where BusyBox ash and dash differ; we follow ash (see applets/sh/README.md).
# dash: skip
x='a b'
y=1; echo $((y++)) $y $((y--)) $y $((++y)) $((--y))
echo -e 'esc\tx\n2'
echo 'no\tesc'
printf '\101\x42\n'
cat < /nonexistent 2>/dev/null; echo "redir fail $?"
echo ok > /nonexistent/dir/file 2>/dev/null; echo "create fail $?"
echo 'echo args: $1 $2' > s3.sh
. ./s3.sh x y
echo "$x" '$x' \$x "\$x" "\\" '\\' "\a"
echo $((0x1F)) $((0X10)) $((017)) $((8#17)) $((16#ff)) $((2#111))
x=5; let x=x+1 y=x*2; echo $x $y
echo $(( (1+2) * (3+4) )) $((1,2,3))
