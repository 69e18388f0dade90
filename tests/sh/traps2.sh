# Trap details
trap 'echo "trap sees status $?"' USR1
false; kill -USR1 $$; echo "after $?"
trap 'echo in-loop; n=$((n+1))' USR2
n=0; for i in 1 2 3; do kill -USR2 $$; done; echo "n=$n"
f() { trap 'echo func-set' HUP; }; f; kill -HUP $$
trap - HUP USR1 USR2
trap 'echo exit-status $?' EXIT
t() { return 3; }
t
