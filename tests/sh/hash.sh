# hash remembers commands found for pipeline stages (the parent looks them up first) and
# prints in ash's table order; -r forgets; a name not found is not remembered.
PATH=/usr/bin:/bin
date >/dev/null | cat
ls /nonexistent 2>/dev/null | sort | wc -l >/dev/null
hash
echo --
hash -r
hash
echo "status $?"
cat </dev/null | nosuchcommand 2>/dev/null
hash
hash nosuchcommand 2>/dev/null
echo "status $?"
hash -r
hash | wc -l
