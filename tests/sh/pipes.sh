# Pipelines and lists
echo a | cat
echo b | cat | cat | cat
printf '3\n1\n2\n' | sort
! false; echo "bang $?"
! true; echo "bang2 $?"
true | false; echo "last status $?"
false | true; echo "last status2 $?"
x=0; echo 1 | x=1; echo "x=$x"
echo v | read v; echo "read in pipe [${v-}]"
true && echo and1; false && echo and2; false || echo or1; true || echo or2
true && false || echo chain
false || true && echo chain2
echo one; echo two
{ echo g1; echo g2; } | sort -r
(echo s1; echo s2) | tail -1
echo bg & wait
sleep 0 & p=$!; wait $p; echo "wait status $?"
(exit 5) & wait $!; echo "bg exit $?"
echo $(echo a | tr a b)
yes | head -3
