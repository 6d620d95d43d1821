"""The image tests' multi-stage Python app: answers with the uid it runs as, through a package
installed from a wheel into a venv built in another stage, and reads /etc/app/settings.ini at
start (so the test proves both were carried to the final image)."""
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

import greeting

# The settings file the Dockerfile copies outside the app's directory: without it, no start.
SETTINGS = open("/etc/app/settings.ini", encoding="utf-8").read()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = greeting.hello(os.getuid()).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


host, port = os.environ.get("ADDR", "0.0.0.0:8080").split(":")
print(f"listening on {host}:{port}", flush=True)
HTTPServer((host, int(port)), Handler).serve_forever()
