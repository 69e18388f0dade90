# More builtins and options
# dash: skip (set -o listing, export -n, read -u/-d, [[ ]] are ash extensions or print differently)
set -o | grep -E '^(errexit|noglob|xtrace) '
set -e; set -o | grep '^errexit'; set +e
export AA=1 BB=2; export -n AA; sh -c 'echo "AA=[${AA-}] BB=[${BB-}]"'
readonly RR=5; readonly -p | grep RR
x=1; unset -v x; echo "[${x-unset}]"
f() { :; }; unset -f f; command -v f || echo "f gone"
mkdir -p d1/sub; CDPATH=$PWD/d1; cd sub > /dev/null; pwd | sed 's,.*/,,'; cd ../..
ln -s d1 link1; cd -P link1; pwd | sed 's,.*/,,'; cd ..
cd -L link1; pwd | sed 's,.*/,,'; cd ..
echo "a:b" > rf; read -u 0 -d : first < rf; echo "$first"
exec 7< rf; read -u 7 line; echo "u7 $line"; exec 7<&-
test 1 -eq 1 -a 2 -eq 2 -o 3 -eq 4; echo "4arg $?"
test ! 1 -eq 2; echo "not $?"
test -n "" -o -z ""; echo "or $?"
[[ -z "" && ! -n "" ]]; echo "and-not $?"
[[ $(echo x) == x ]]; echo "subst $?"
trap 'echo usr2' USR2; kill -s USR2 $$; kill -12 $$
printf '%s=%d\n' a 1 b 2
printf '%3$s %1$s\n' 2>/dev/null; echo "posarg $?"
type : true
times | wc -l
echo ${#HOME} | grep -q '[0-9]' && echo "len ok"
set +o | grep -c "set [-+]o"
