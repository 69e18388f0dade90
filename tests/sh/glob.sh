# Pathname expansion
# dash: skip ([^...] negation is ash/bash only)
mkdir -p g && cd g || exit 1
touch a b c ab abc .hidden 'sp ace' x1 x2 x10
mkdir -p dir/sub
touch dir/f1 dir/f2 dir/sub/deep
echo *
echo ?
echo a*
echo [ab]
echo [!a]*
echo [^a]*
echo x[0-9]
echo x[0-9]*
echo .*
echo dir/*
echo */*
echo */*/*
echo nomatch*
echo "quoted*" 'a*'
echo \*
echo [a
echo d*/
set -f
echo *
set +f
for f in *; do echo "f: $f"; done | head -3
x='a*'
echo $x
echo "$x"
echo [[:alpha:]]
echo [[:digit:]]*
