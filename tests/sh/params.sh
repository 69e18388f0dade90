# Parameter expansion forms
unset u; e=; v=value
echo "1 ${u-dflt} ${e-dflt} ${v-dflt}"
echo "2 ${u:-dflt} ${e:-dflt} ${v:-dflt}"
echo "3 ${u+alt} ${e+alt} ${v+alt}"
echo "4 ${u:+alt} ${e:+alt} ${v:+alt}"
echo "5 ${u=set1} $u"
echo "6 ${e:=set2} $e"
echo "7 ${#v} ${#u} ${#e}"
p=/usr/local/lib/file.tar.gz
echo "8 ${p#*/} ${p##*/} ${p%/*} ${p%%/*}x ${p%.gz} ${p%.*} ${p%%.*}"
echo "9 ${p#/usr} ${p#nomatch} ${p%[a-z]}"
s=hello
echo "10 ${s#?} ${s%??} ${s#h*l} ${s##h*l}"
set -- one two three
echo "11 $# $1 ${2} ${3}"
echo "12 ${#1} ${1#o}"
( : ${u2?was unset} ) 2>/dev/null; echo "13 $?"
( : ${e2:?} ) 2>/dev/null; echo "14 $?"
echo "15 ${v%"lue"} ${v#'va'}"
x='*'
echo "16 ${x}" ${v%"$x"}
# the word of an unquoted ${v:-word} / ${v:+word} is split; quoted parts of it are not
set -- ${u:-d e}; echo "17 $#"
set -- ${u:-"d e"}; echo "18 $#"
x=1; set -- ${x:+a b c}; echo "19 $#"
set -- "${u:-d e}"; echo "20 $#"
set -- ${u:-a "b c" d}; echo "21 $# $2"
