"""An NTLM-protected HTTP server for the ews-client interop test, built on pyspnego's acceptor.

pyspnego (not written here) checks every NTLM message: the credentials come from the file named by
NTLM_USER_FILE (lines DOMAIN:USER:PASSWORD), and LM_COMPAT_LEVEL=5 makes it refuse LM and NTLMv1, so only
NTLMv2 passes. Each keep-alive connection carries its own handshake, as IIS does.

Usage: python3 ntlm_server.py RESPONSE_FILE
Prints "PORT <n>" once listening on 127.0.0.1; answers authenticated POSTs with RESPONSE_FILE's bytes, in
which {USER} becomes the user pyspnego accepted and {REQUEST} the number of the request on its connection.
"""

import base64
import http.server
import sys

import spnego


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.context = None
        self.user = None
        self.requests = 0

    def log_request(self, code="-", size="-"):
        pass  # only refusals are worth a line

    def log_message(self, format, *args):
        sys.stderr.write("ntlm_server: " + (format % args) + "\n")

    def reply(self, status, headers, body=b""):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def refuse(self, token=None):
        value = "NTLM " + base64.b64encode(token).decode() if token else "NTLM"
        self.reply(401, [("WWW-Authenticate", value)], b"401 - Unauthorized")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        self.requests += 1
        if self.user is not None:
            return self.ok()
        header = self.headers.get("Authorization", "")
        if not header.startswith("NTLM "):
            return self.refuse()
        token = base64.b64decode(header[5:])
        # A negotiate message (type 1) starts a new handshake on this connection.
        if self.context is None or token[8:12] == b"\x01\x00\x00\x00":
            self.context = spnego.server(protocol="ntlm", options=spnego.NegotiateOptions.use_ntlm)
        try:
            answer = self.context.step(token)
        except Exception as error:  # pyspnego raises on a wrong password or a refused NTLMv1 answer
            self.log_message("refused: %s", error)
            self.context = None
            return self.refuse()
        if not self.context.complete:
            return self.refuse(answer)
        self.user = self.context.client_principal
        self.ok()

    def ok(self):
        with open(sys.argv[1], encoding="utf-8") as f:
            body = f.read().replace("{USER}", self.user).replace("{REQUEST}", str(self.requests))
        self.reply(200, [("Content-Type", "text/xml; charset=utf-8")], body.encode())


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("PORT", server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
