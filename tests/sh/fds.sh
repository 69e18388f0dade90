# File descriptors and redirection corner cases
exec 3>out3
echo one >&3
{ echo two; echo three >&2; } 2>&3
exec 3>&-
cat out3
exec 4>&1
f() { echo "to fd4" >&4; }
f > /dev/null
exec 4>&-
echo x 3>f3 >&3; cat f3
: 5>f5; test -f f5 && echo "created by :"
echo a >f6 >f7; echo "f6=[$(cat f6)] f7=[$(cat f7)]"
cat <f7 <f6
echo out 2>&1 1>/dev/null | cat
(echo sub >&2) 2>&1 | cat
exec 2>errs; echo err >&2; exec 2>&-; cat errs
{ read a; read b; } <<EOF
line1
line2
EOF
echo "$a $b"
while read n; do echo "n=$n"; done <<EOF
1
2
EOF
cat <<EOF >f8; cat f8
to file
EOF
cat 3<<EOF <&3
fd3 heredoc
EOF
x=$( { echo out; echo err >&2; } 2>&1 ); echo "[$x]"
echo "append" >> f8; echo "more" 1>>f8; cat f8
echo noclobber-off > f8; cat f8
>f9 echo "prefix redirect"; cat f9
echo 9>&1 ok
