# Builtins
echo -n "no nl"; echo
printf '%s|%s\n' a b c
printf '%d %i %o %x %X %u\n' 10 -3 8 255 255 7
printf '[%5d] [%-5d] [%05d] [%+d] [% d]\n' 42 42 42 42 42
printf '[%s] [%10s] [%-10s] [%.2s]\n' str str str str
printf '%c%c\n' abc d
printf '%%\n'
printf '%b\n' 'a\nb' 'c\0101'
printf '%s\n'
printf 'x%sy\n' ''
printf '%.3f %e %g\n' 3.14159 1234.5 0.0001
printf '%d\n' "'a"
v=$(printf '%03d' 7); echo $v
test -z "" && echo z; test -n "x" && echo n
[ 1 -lt 2 ] && [ 2 -le 2 ] && [ 3 -gt 2 ] && [ 3 -ge 3 ] && [ 1 -ne 2 ] && echo cmp
[ abc = abc ] && [ abc != abd ] && echo str
[ -e / ] && [ -d / ] && [ ! -f / ] && echo files
[ ! ] ; echo "bang $?"
[ ] ; echo "empty $?"
[ -n ] ; echo "-n alone $?"
[ x -a "" ]; echo "a $?"; [ x -o "" ]; echo "o $?"
[ \( 1 -eq 1 \) -a \( 2 -eq 2 \) ]; echo "paren $?"
test; echo "test none $?"
read a b <<EOF
first second third
EOF
echo "$a|$b"
IFS=: read -r c d <<EOF
x:y:z
EOF
echo "$c|$d"
read -r e <<'EOF'
back\slash
EOF
echo "$e"
read f <<'EOF'
back\slash
EOF
echo "$f"
shift 0; set -- 1 2 3; shift 2; echo $*
eval echo evaluated '$x'
command echo via command
type cd
type nosuch_cmd_q >/dev/null 2>&1; echo "type missing $?"
command -v cd
command -v nosuch_cmd_q; echo "v missing $?"
alias ll='echo alias ll'
ll
unalias ll
hash -r
pwd >/dev/null && echo pwd ok
cd / && pwd
cd /tmp; cd /; cd - >/dev/null; pwd
exec 5>&1; echo to5 >&5; exec 5>&-
times >/dev/null && echo times ok
umask 027; umask
umask 0022; umask -S
getopts ab: o -b val; echo "$o $OPTARG $OPTIND"
OPTIND=1
while getopts :x:y opt -y -x 1 -z; do echo "opt=$opt arg=${OPTARG-}"; done
kill -l 15
export EXP=1; sh -c 'echo exported $EXP'
readonly RO=1; (RO=2) 2>/dev/null; echo "readonly $?"
unset EXP; echo "unset [${EXP-}]"
true; false; echo $?
: ; echo colon $?
