"""The demo's SMS phone: receives the webhook gateway's POSTs and shows them on http://localhost:8025.

Development only: it shows whole numbers and codes, which is its purpose.
"""
import html
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

received = []


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8", "replace")
        try:
            sms = json.loads(body)
        except ValueError:
            sms = {"Message": body}
        received.insert(0, (time.strftime("%H:%M:%S"), str(sms.get("To", "?")), str(sms.get("Message", body))))
        print(f"SMS to {received[0][1]}: {received[0][2]}", flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def do_GET(self):
        rows = "".join(
            f"<tr><td>{at}</td><td>{html.escape(to)}</td><td><pre>{html.escape(text)}</pre></td></tr>"
            for at, to, text in received
        )
        page = (
            "<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=3>"
            "<title>SMS received</title><style>body{font-family:sans-serif;margin:2em}"
            "td{border-bottom:1px solid #ccc;padding:.4em 1em;vertical-align:top}pre{margin:0;white-space:pre-wrap}</style>"
            "<h1>SMS received by the demo</h1><table><tr><th>time</th><th>to</th><th>text</th></tr>"
            + (rows or "<tr><td colspan=3>none yet: log in at http://localhost:8080/realms/sms-demo/account</td></tr>")
            + "</table>"
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(page.encode("utf-8"))

    def log_message(self, format, *args):
        pass


ThreadingHTTPServer(("0.0.0.0", 8025), Sink).serve_forever()
