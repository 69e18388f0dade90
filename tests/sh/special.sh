# Special parameters
set -- a 'b c' d
echo "$#"
for i in "$@"; do echo "at:$i"; done
for i in "$*"; do echo "star:$i"; done
for i in $@; do echo "uat:$i"; done
for i in $*; do echo "ustar:$i"; done
IFS=-
echo "$*"
for i in $*; do echo "ifs:$i"; done
IFS=' 	
'
set --
for i in "$@"; do echo never; done
echo "empty:[$*][$@]"
set -- ''
for i in "$@"; do echo "one empty:[$i]"; done
for i in $@; do echo never2; done
set -- x y
echo ${1+"$@"}
f() { echo "$# $*"; }
f "$@" z
true; echo $?; false; echo $?
echo $$ | grep -q '^[0-9][0-9]*$' && echo pid ok
sleep 0 & test -n "$!" && echo bg ok
wait
