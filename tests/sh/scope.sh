# local: dynamic scoping as ash and dash have it
# dash: skip (`local x` without a value: ash unsets x, dash keeps the outer value; we follow ash)
x=global
inner() { echo "inner sees $x"; x=set-by-inner; }
outer() { local x=outer-local; inner; echo "outer after inner: $x"; }
outer; echo "global now: $x"
u() { local x; echo "local without value: [${x-unset}]"; x=1; unset x; echo "after unset: [${x-unset}]"; }
x=g2; u; echo "restored: $x"
r() { local n=$1; if [ $n -gt 0 ]; then r $((n-1)); fi; echo "level $n"; }
r 2
e() { local v=1; export v; sh -c 'echo "child sees $v"'; }
e; echo "v after: [${v-unset}]"
p() { local IFS=:; set -- $1; echo "$# fields"; }
p a:b:c; set -- x y; echo "IFS restored: $#"
q() { local OPTIND=1 o; while getopts a o "$@"; do echo "opt $o"; done; }
q -a -a
