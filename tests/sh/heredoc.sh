# Here-documents
x=world
cat <<EOF
hello $x
literal \$x and \\ and \`
$(echo cmdsub) $((1+1))
EOF
cat <<'EOF'
quoted $x $(nothing) \n
EOF
cat <<"EOF"
dquoted delim $x
EOF
cat <<\EOF
backslash delim $x
EOF
cat <<-EOF
	tab stripped $x
		two tabs
	EOF
cat <<A <<B
first
A
second
B
cat <<EOF | tr a-z A-Z
piped heredoc
EOF
f() {
  cat <<END
in function $1
END
}
f arg
for i in 1 2; do
cat <<EOF
loop $i
EOF
done
eval 'cat <<EOF
from eval
EOF'
y=$(cat <<EOF
in cmdsub
EOF
)
echo "$y"
cat <<EOF
EOF
echo "empty done"
cat <<EOF
line with trailing backslash \
continued
EOF
cat <<EOF; echo after on same line
body
EOF
