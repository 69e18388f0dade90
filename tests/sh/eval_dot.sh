# eval, ., exit
eval 'a=1; b=2'; echo $a$b
eval "echo \$a"
cmd='echo from var'; eval $cmd
eval 'f() { echo eval func; }'; f
echo 'echo sourced; sv=1' > s1.sh
. ./s1.sh; echo "sv=$sv"
echo 'return 3; echo no' > s2.sh
. ./s2.sh; echo "dot return $?"
eval 'exit 4' ; echo never
