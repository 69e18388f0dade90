# Arithmetic corners shared by ash and dash
echo $(( 1 + 2 - 3 * 4 / 5 % 6 ))
echo $(( (1 + 2) * 3 )) $(( -3 )) $(( - -3 )) $(( !1 )) $(( ~1 ))
echo $(( 7 / -2 )) $(( 7 % -2 )) $(( -7 % 2 ))
echo $(( 1 < 2 == 1 )) $(( 2 & 3 ^ 1 | 4 ))
echo $(( 0 || 0 && 1 )) $(( 1 || 0 && 0 ))
a=5 b=3
echo $(( a > b ? a - b : b - a )) $(( a < b ? 1 : 0 ))
echo $(( a += b )) $(( a -= 1 )) $(( a *= 2 )) $(( a /= 3 )) $(( a %= 3 )) $a
echo $(( a = 9 )) $a
x=010; echo $(( x + 1 ))
y=0x10; echo $(( y + 1 ))
echo $(( 2147483647 + 1 )) $(( 4294967296 * 2 ))
n=3; echo $(( n * ( n + 1 ) / 2 ))
echo $((  a   +   b  ))
echo $(( $a + $b ))
s=" 12 "; echo $(( s + 1 ))
i=0; while [ $(( i += 1 )) -lt 4 ]; do :; done; echo $i
