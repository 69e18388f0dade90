# read and IFS
# dash: skip (read -n/-d/-t are ash extensions)
r() { printf '%s' "$1" | { read $2 a b c; printf 'st=%s a=[%s] b=[%s] c=[%s]\n' $? "$a" "$b" "$c"; }; }
r '  one two three four  
'
r 'one
'
r 'a\ b c
'
r 'a\ b c
' -r
r 'x\
y z
'
r 'no newline'
r '
'
r ''
IFS=: 
r 'a:b:c:d
'
r 'a::b
'
r ':a:b
'
r 'a:b:
'
r 'a:b:c:
'
r ' a : b 
'
IFS=' :'
r ' a : b :: c
'
unset IFS
printf 'abcdef' | { read -n 2 x; read -n 10 y; echo "$x|$y"; }
printf 'a,b;c' | { read -d ';' x; echo "$x"; }
printf 'one\ntwo\n' | { read; echo "REPLY=$REPLY"; }
printf '  lead  \n' | { read -r; echo "[$REPLY]"; }
printf '  lead  \n' | { IFS= read -r l; echo "[$l]"; }
read x < /dev/null; echo "eof $? [$x]"
