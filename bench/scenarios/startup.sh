# Process start-up: exec, dispatch, exit.
scenario startup-true '' "$RBOX/true" busybox="$BUSYBOX/true" toybox="$TOYBOX/true" gnu="/bin/true"
