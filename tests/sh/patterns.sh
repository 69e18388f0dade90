# Pattern matching in case, ${..#..}, and globs
m() { case $1 in $2) r=yes;; *) r=no;; esac; printf "'%s' ~ '%s': %s\n" "$1" "$2" $r; }
m abc 'a*'
m abc '*c'
m abc '?b?'
m abc '[abc][abc][abc]'
m abc '[!a]*'
m 'a]c' 'a]c'
m 'a]c' 'a[]]c'
m 'a-c' 'a[a-]c'
m 'a-c' 'a[-z]c'
m 'a\c' 'a\\c'
m 'a*c' 'a\*c'
m 'abc' 'a\*c'
m '.x' '*x'
m '/a' '*a'
m 'x' '[[:alpha:]]'
m '5' '[[:alpha:]]'
m '5' '[[:alnum:][:punct:]]'
m ' ' '[[:space:]]'
m 'A' '[[:lower:]]'
m 'é' '?'
m '' ''
m '' '*'
m 'ab' 'a'
m '[' '['
m '[x' '[x'
m 'x' '[!]'
s=aXbXc
echo "${s#*X}" "${s##*X}" "${s%X*}" "${s%%X*}"
echo "${s#"*X"}" "${s#\*X}"
q='X*'
echo "${s%$q}" "${s%"$q"}"
case "a*b" in *'*'*) echo "quoted star in pattern";; esac
case "a b" in a\ b) echo "escaped space";; esac
case x in [x]) echo bracket;; esac
case '-' in [-]) echo dash;; esac
case ab in a|ab) echo first-alt;; esac
