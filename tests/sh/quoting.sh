# Quoting in all its forms
x='a b'
echo "it's" 'say "hi"' \"q\"
echo "${x}y" "${x:-def}" "$x"'$x'
echo "nested $(echo "inner $(echo deep)")"
echo `echo back\`echo tick\``
echo "tab	in" 'ws  kept'
echo a\
b
echo "line
break"
printf '%s\n' "$x" $x
echo "" '' x""y
set -- "" ""
echo $#
