# "$@" / "$*" corners and nested quoting
show() { printf '%s' "$#:"; for a; do printf '[%s]' "$a"; done; echo; }
set -- 'a b' '' c
show "$@"
show "$*"
show $*
show x"$@"y
show "x$@y"
show "${@}"
show ${1+"$@"}
show "${1+"$@"}"
IFS=
show "$*"
show $*
show $@
unset IFS
show "$*"
IFS=,
show "$*" $*
IFS=' 	
'
x="$@"; show "$x"
y=$*; show "$y"
set --
show "$@" "$*" ${1+"$@"}
show "${1-default}" "${1-"quoted default"}"
v='a"b'
show "${v}" "${v#a\"}" "${v%\"b}"
w="it's"
show "${w%\'s}" "$w"
show "${u:-'x y'}" ${u:-'x y'}
show "$(echo "a   b")" $(echo "a   b")
show "`echo '"q"'`"
z='*'
show "$z" "${z}" ${z:+"$z"}
show "${#z}" "${z:+set}"
