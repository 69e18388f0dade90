# Subshells, exit paths and isolation
x=1; (x=2; exit 3); echo "$? $x"
f() { (exit 4); echo "in f $?"; }; f
g() { return 5; echo no; }; g; echo "g $?"
h() { exit 6; }; (h); echo "h $?"
v=$(h); echo "subst exit $?"
(cd /; pwd); pwd | grep -q / && echo "cwd kept"
(set -e; false; echo no); echo "sub set-e $?"
(trap 'echo sub-exit-trap' EXIT; echo body)
(trap 'echo never' EXIT; exec echo exec-replaced) 2>/dev/null || true
{ (echo nested; (echo deeper; exit 2)); echo "inner $?"; }
a=$( (echo p; echo q) | tr pq PQ ); echo $a
( ( ( echo three levels ) ) )
unset y; (y=set); echo "y=[${y-}]"
func_in_sub() ( echo "sub func $$" >/dev/null; z=1 ); z=0; func_in_sub; echo "z=$z"
echo "$( (exit 9); echo $? )"
for i in 1 2; do (echo "loop $i"; exit $i); done; echo "last $?"
(umask 077; umask); umask 022; umask
(false) || echo "or after subshell"
! (exit 1) && echo "negated subshell"
