# Tilde expansion
HOME=/home/test
echo ~ ~/x "~" '~' \~ x~
echo ~/a:~/b
a=~/p; echo $a
b=x:~/q; echo $b
echo ${u:-~}
echo ~root | grep -q / && echo root home
echo ~nosuchuser_q
