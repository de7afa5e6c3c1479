"""A stand-in for the inventory's enrolment endpoint, on loopback over TLS.

    /usr/bin/python3 enrollment_server.py CERT KEY STATUS RECORD
Prints the port it listens on, then answers every POST with STATUS and appends the request
(path, Authorization and Content-Type headers, body) to RECORD as one JSON line.
"""
import http.server
import json
import ssl
import sys

cert, key, status, record = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
        with open(record, "a", encoding="utf-8") as out:
            out.write(json.dumps({
                "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "contentType": self.headers.get("Content-Type"),
                "body": body,
            }) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
