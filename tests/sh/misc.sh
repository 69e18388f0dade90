# Assorted
a=1 b=2; echo $a $b
c=3 echo "c in env [$c]"
echo "c after [${c-}]"
d=$((1+1)) e=$d; echo $e
f=`echo x`y; echo $f
echo $((1+1))x
x=abc; echo ${x}def
echo a; # comment ; echo hidden
echo 'a#b' a#b #c
echo \#notcomment
if [ -d / ]; then echo dir; fi
longvar_with_underscores_123=ok; echo $longvar_with_underscores_123
echo $1x "${1}x"
i=0; while :; do i=$((i+1)); [ $i -ge 3 ] && break; done; echo $i
for x in 1 2 3; do :; done; echo "last x=$x"
set -- "a b" c; echo "$1" "$2"
IFS=,; set -- $(echo "p,q,r"); IFS=' '; echo $2
echo "$(( $(echo 3) + 4 ))"
v="with  spaces"; set -- $v; echo $#
unset v; echo "unset v [${v-gone}]"
echo end
