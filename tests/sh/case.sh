# case
for w in apple banana cherry 42 '' '*' 'a b' x.c; do
  case $w in
    a*) echo "$w: a-word";;
    banana|cherry) echo "$w: fruit";;
    [0-9]*) echo "$w: number";;
    '') echo "empty";;
    \*) echo "star";;
    *' '*) echo "$w: has space";;
    *.c) echo "$w: C file";;
    *) echo "$w: other";;
  esac
done
case x in (x) echo paren;; esac
case y in x) ;; esac; echo "nomatch $?"
case z in z) false;; esac; echo "status $?"
p='a*'
case abc in $p) echo "unquoted var pattern";; esac
case abc in "$p") echo no;; *) echo "quoted var literal";; esac
case 'a*' in "$p") echo "quoted matches literal";; esac
case x in
x)
echo multi
;;
esac
case word in w?r[a-z]) echo glob;; esac
case "" in *) echo "empty matches star";; esac
