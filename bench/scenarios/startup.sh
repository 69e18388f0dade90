# Process start-up through the applet links: exec, dispatch, run, exit.
scenario startup-true '' "$RBOX/true" busybox="$BUSYBOX/true" toybox="$TOYBOX/true" gnu="/bin/true"
scenario startup-ls-d '' "$RBOX/ls -d /" busybox="$BUSYBOX/ls -d /" toybox="$TOYBOX/ls -d /" gnu="/bin/ls -d /"
scenario startup-sh-c '' "$RBOX/sh -c :" busybox="$BUSYBOX/sh -c :" dash="/bin/dash -c :"
