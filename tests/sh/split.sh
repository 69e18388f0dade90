# Field splitting
show() { printf '%s' "$#:"; for a; do printf '[%s]' "$a"; done; echo; }
x='  a  b  c  '
show $x
show "$x"
IFS=:
y='a::b:c:'
show $y
y=':a'
show $y
IFS=': '
y=' a : b  :: c '
show $y
IFS=
show $x
unset IFS
show $x
IFS=' '
z="1
2"
show $z
IFS=x
v=axbxxc
show $v
show "$v"
IFS=' 	
'
e=
show $e "$e" ${e} "${e}"
show $(printf 'a\nb\n\n')
