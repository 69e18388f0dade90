# Functions
f() { echo "f called with $# args: $*"; }
f
f a b c
g() {
  local v=local
  echo "in g: $v $1"
  return 7
}
v=global
g x; echo "ret $? v=$v"
h() { echo "h $1"; shift; echo "after shift $*"; }
h 1 2 3
set -- outer args
h in func
echo "positional restored: $*"
rec() { if [ $1 -gt 0 ]; then echo "rec $1"; rec $(($1-1)); fi; }
rec 3
sub() ( cd /; echo "subshell func" )
sub
cnt=0; inc() { cnt=$((cnt+1)); }; inc; inc; inc; echo "cnt $cnt"
outer() { inner() { echo inner defined; }; }
outer; inner
k() { return; }; false; k; echo "bare return $?"
fr() { echo redirected; } >/dev/null; fr; echo "after fr"
m() { echo "$1" >&2; }; m stderr 2>/dev/null
v1=a; tv() { echo "tv sees $v1"; }; v1=b tv; echo "v1 after $v1"
lc() { local a=1 b; b=2; echo "$a$b"; }; lc; echo "a=[$a] b=[$b]"
unset -f f; type f >/dev/null 2>&1 || echo "f unset"
