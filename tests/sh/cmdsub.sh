# Command substitution
echo $(echo hello)
echo "$(echo '  spaced  ')"
echo $(echo '  spaced  ')
echo "[$(printf 'trail\n\n\n')]"
echo `echo backtick`
echo $(echo $(echo nested))
echo "$(echo "$(echo "dq nested")")"
x=$(false); echo "status $?"
x=$(exit 4); echo "status $?"
echo $(case x in x) echo case-in-subst;; esac)
echo $( echo paren )
y=$(echo a; echo b); echo "$y"
echo "$(cat <<EOF
heredoc in subst
EOF
)"
echo $(echo '$HOME is literal')
n=$(echo 5); echo $((n*2))
echo "$(echo ")")"
echo $(for i in 1 2; do printf $i; done)
z=`echo \`echo inner\``; echo $z
echo "`echo \"quoted bq\"`"
