# Redirections
# dash: skip (noclobber failure status: ash 1, dash 2)
echo one > f1; echo two >> f1; cat f1
cat < f1
echo err >&2 2>/dev/null
{ echo o; echo e >&2; } > f2 2>&1; cat f2
exec 3> f3; echo via3 >&3; exec 3>&-; cat f3
exec 4< f1; read l <&4; echo "read $l"; exec 4<&-
cat <> f1
echo data > f4; cat 0< f4
set -C; echo a > f5; (echo b > f5) 2>/dev/null; echo "noclobber $?"; echo c >| f5; cat f5; set +C
: > f6; test -s f6 || echo "empty f6"
echo hi 2>&1 | cat
cat nonexistent_zz 2>/dev/null; echo "cat status $?"
(echo sub-out; echo sub-err >&2) 2>&1 | sort
while read line; do echo "line: $line"; done < f1
for i in 1 2; do echo $i; done > f7; cat f7
if true; then echo ifout; fi > f8; cat f8
cat <<EOF > f9
heredoc to file
EOF
cat f9
x=f10; echo indirect > $x; cat f10
echo "append" >> f10; cat f10
exec 6>&1; exec > f11; echo to file; exec 1>&6 6>&-; cat f11
echo "restored stdout"
f() { echo in f; } ; f > f12; cat f12
