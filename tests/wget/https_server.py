"""An HTTPS file server for rbox's wget tests: serves DIR on 127.0.0.1 with CERT/KEY.

Usage: https_server.py CERT KEY DIR [tls12|tls13] (only that TLS version). Prints the port on stdout, then serves until killed
(or 300 seconds, so a crashed test leaves nothing running).
"""
import http.server
import os
import ssl
import sys
import threading

cert, key, root = sys.argv[1:4]
os.chdir(root)


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)


def sni(sock, name, context):
    # Records the server name the client sent (None for an IP address), for the SNI test.
    with open(os.path.join(root, ".sni"), "a") as f:
        f.write(f"{name}\n")


ctx.sni_callback = sni
if sys.argv[4:] == ["tls12"]:
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
elif sys.argv[4:] == ["tls13"]:
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
threading.Timer(300, os._exit, [0]).start()
print(srv.server_address[1], flush=True)
srv.serve_forever()
