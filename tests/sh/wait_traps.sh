# A trapped signal ends `wait PID` (POSIX: the trap runs, wait returns >128); the job can
# be waited for again afterwards.
trap 'echo got USR1' USR1
sleep 1 & p=$!
( sleep 0.2; kill -USR1 $$ ) &
wait $p
echo "status $?"
wait $p
echo "again $?"
# without operands too
sleep 1 &
( sleep 0.2; kill -USR1 $$ ) &
wait
echo "all $?"
wait
echo "all again $?"
