# Lexical corners: reserved words, comments, continuation, operators without spaces
echo if then fi
for for in in; do echo $for; done
case in in in) echo in-in;; esac
if(true)then echo nospace;fi
{ echo a;}
echo a;echo b&&echo c||echo d
echo x#notcomment # comment
echo \#x '#'y "#"z
e\
cho joined
ec''ho quoted-cmd
"echo" dq-cmd
x=1 y=2;echo $x$y
echo $((1+\
2))
echo "a\
b"
echo 'a\
b'
f(){ echo tight;};f
while false;do :;done;echo w
echo {a,b} {} { }
echo !x
echo a\;b a\&b a\|b
echo ';' '&&' "|"
i=0;until [ $i = 2 ];do i=$((i+1));done;echo $i
echo $(echo $(echo $(echo deep)))
echo `echo a``echo b`
: <<'EOF' ; echo after-colon-heredoc
ignored
EOF
echo done
