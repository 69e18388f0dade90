# set options
# dash: skip (this dash has no pipefail)
set -e
false || echo "or saves"
if false; then :; fi
! true
while false; do :; done
f() { false; echo "in f after false"; }
f || echo "f failed"
set +e
set -u
( echo ${nounset_var}; ) 2>/dev/null; echo "nounset status $?"
echo "${nounset_var:-default ok}"
set +u
set -f; echo *; set +f
set -- a b
set -o pipefail; false | true; echo "pipefail $?"; set +o pipefail
false | true; echo "no pipefail $?"
set -a; auto=1; sh -c 'echo "allexport $auto"'; set +a
(set -e; false; echo never); echo "subshell -e $?"
set -e; x=$(echo ok); echo $x; set +e
set -n; echo not printed
