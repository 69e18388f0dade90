# ash extensions: substrings and replacement
# dash: skip (dash has none of these)
s=abcdefgh
echo ${s:2} ${s:2:3} ${s:0:1} ${s:7} ${s:8}x
echo ${s/cd/XX} ${s//[aeiou]/_} ${s/x/y}
t=aaa
echo ${t/a/b} ${t//a/b} ${t//a}
p=/a/b/c
echo ${p//\//:}
n=12345
echo ${n:1:2}
echo $'tab\there' $'nl\\n' $'\x41\101'
