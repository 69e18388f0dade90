# Traps
trap 'echo exit trap' EXIT
trap 'echo got USR1' USR1
kill -USR1 $$
echo after signal
trap 'echo got TERM' TERM
kill -TERM $$
echo after term
trap - USR1
trap '' USR2
kill -USR2 $$
echo ignored usr2
( trap; echo in sub ) 
f() { trap 'echo in trap $1' HUP; kill -HUP $$; }
f x
(trap 'echo sub exit' EXIT; echo sub body)
echo end
