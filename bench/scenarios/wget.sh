# wget: download a 256 MiB file from a loopback server to a file and to /dev/null, over HTTP
# and HTTPS (issue 7). Peers: curl, GNU wget, Debian's busybox-static wget (which does not
# check certificates, so it runs with --no-check-certificate; the others verify against the
# test CA). The servers are Python's (http.server, and tests/wget/https_server.py for TLS),
# on fixed loopback ports; they stop by themselves after 30 minutes.
wget_here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WGET_HTTP=http://127.0.0.1:18780/big.bin
WGET_HTTPS=https://127.0.0.1:18781/big.bin
wget_setup() {
	local d=$WORK/wget
	mkdir -p "$d/www" "$d/pki" || return 1
	[ -s "$d/www/big.bin" ] || head -c 268435456 /dev/urandom >"$d/www/big.bin" || return 1
	if [ ! -s "$d/pki/srv.crt" ]; then
		(cd "$d/pki" &&
			openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
				-keyout ca.key -out ca.crt -days 30 -subj "/CN=bench CA" &&
			openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
				-keyout srv.key -out srv.csr -subj "/CN=127.0.0.1" &&
			printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >ext &&
			openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
				-days 30 -extfile ext -out srv.crt) >/dev/null 2>&1 || return 1
	fi
	if ! curl -sf -o /dev/null -r 0-0 "$WGET_HTTP"; then
		(cd "$d/www" && exec timeout 1800 python3 -m http.server 18780 --bind 127.0.0.1) \
			>/dev/null 2>&1 &
	fi
	if ! curl -sf -o /dev/null -r 0-0 --cacert "$d/pki/ca.crt" "$WGET_HTTPS"; then
		(cd "$d/www" && exec timeout 1800 python3 -c '
import http.server, ssl, sys
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 18781), http.server.SimpleHTTPRequestHandler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()' "$d/pki/srv.crt" "$d/pki/srv.key") >/dev/null 2>&1 &
	fi
	local i
	for i in $(seq 1 50); do
		curl -sf -o /dev/null -r 0-0 "$WGET_HTTP" &&
			curl -sf -o /dev/null -r 0-0 --cacert "$d/pki/ca.crt" "$WGET_HTTPS" && return 0
		sleep 0.2
	done
	return 1
}
export WGET_HTTP WGET_HTTPS
scenario wget-http-file wget_setup "$RBOX/wget -q -O $WORK/wget/out $WGET_HTTP" \
	curl="curl -s -o $WORK/wget/out $WGET_HTTP" \
	gnu="/usr/bin/wget -q -O $WORK/wget/out $WGET_HTTP" \
	busybox="$BUSYBOX/wget -q -O $WORK/wget/out $WGET_HTTP"
scenario wget-http-null wget_setup "$RBOX/wget -q -O /dev/null $WGET_HTTP" \
	curl="curl -s -o /dev/null $WGET_HTTP" \
	gnu="/usr/bin/wget -q -O /dev/null $WGET_HTTP" \
	busybox="$BUSYBOX/wget -q -O /dev/null $WGET_HTTP"
scenario wget-https-file wget_setup \
	"$RBOX/wget -q --ca-certificate $WORK/wget/pki/ca.crt -O $WORK/wget/out $WGET_HTTPS" \
	curl="curl -s --cacert $WORK/wget/pki/ca.crt -o $WORK/wget/out $WGET_HTTPS" \
	gnu="/usr/bin/wget -q --ca-certificate=$WORK/wget/pki/ca.crt -O $WORK/wget/out $WGET_HTTPS" \
	busybox="$BUSYBOX/wget -q --no-check-certificate -O $WORK/wget/out $WGET_HTTPS"
scenario wget-https-null wget_setup \
	"$RBOX/wget -q --ca-certificate $WORK/wget/pki/ca.crt -O /dev/null $WGET_HTTPS" \
	curl="curl -s --cacert $WORK/wget/pki/ca.crt -o /dev/null $WGET_HTTPS" \
	gnu="/usr/bin/wget -q --ca-certificate=$WORK/wget/pki/ca.crt -O /dev/null $WGET_HTTPS" \
	busybox="$BUSYBOX/wget -q --no-check-certificate -O /dev/null $WGET_HTTPS"
