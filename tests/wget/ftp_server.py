"""An FTP server for rbox's wget tests (pyftpdlib), on 127.0.0.1, serving DIR.

Usage: ftp_server.py DIR [HOST] (default 127.0.0.1; ::1 for IPv6). Users: anonymous (read-only) and "user"/"secret". Prints the port
on stdout, then serves until killed (or 300 seconds).
"""
import os
import sys
import threading

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

root = sys.argv[1]
host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
auth = DummyAuthorizer()
auth.add_anonymous(root)
auth.add_user("user", "secret", root, perm="elr")
handler = FTPHandler
handler.authorizer = auth
handler.passive_ports = None
srv = FTPServer((host, 0), handler)
threading.Timer(300, os._exit, [0]).start()
print(srv.address[1], flush=True)
srv.serve_forever()
