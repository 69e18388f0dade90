# Compound commands
if true; then echo 1; fi
if false; then echo no; else echo 2; fi
if false; then echo no; elif false; then echo no; elif true; then echo 3; else echo no; fi
if false; then echo no; fi; echo "if-status $?"
for i in a b c; do echo "for $i"; done
for i in; do echo never; done; echo "empty for"
set -- p q
for i; do echo "pos $i"; done
for i
do
  echo "nl $i"
done
n=0; while [ $n -lt 3 ]; do n=$((n+1)); echo "while $n"; done
n=0; until [ $n -ge 2 ]; do n=$((n+1)); echo "until $n"; done
for i in 1 2 3 4 5; do
  case $i in 2) continue;; 4) break;; esac
  echo "loop $i"
done
for i in 1 2; do for j in 1 2 3; do [ $j = 2 ] && continue 2; echo "$i$j"; done; done
for i in 1 2; do for j in 1 2; do [ $i = 2 ] && break 2; echo "b$i$j"; done; done
while true; do while true; do break 2; done; done; echo out
{ echo brace; echo group; }
( echo sub; exit 3 ); echo "sub status $?"
x=outer; ( x=inner ); echo $x
{ x=inbrace; }; echo $x
i=0; while i=$((i+1)); [ $i -le 2 ]; do echo "cond-list $i"; done
r=$(for i in 1 2 3; do echo $i; done); echo $r
echo done | while read l; do echo "piped $l"; done
