#!/usr/bin/env python3
"""The built site under its own _headers, as Netlify or Cloudflare Pages serve
it: public/ is served on 127.0.0.1 with the headers of every _headers block
whose path matches, and headless Chromium (through chromedriver, W3C
WebDriver over plain HTTP) loads every page and runs searches. Fails on any
Content-Security-Policy violation, on a console error other than the 404
page's own status, or on a search that does not answer. Run by .ci/run after
the site is built; runs alone too: python3 .ci/headers.py [public]"""

import http.server
import json
import mimetypes
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "public")


def parse_headers(text):
    rules, current = [], None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = (re.compile("^" + re.escape(line.strip()).replace(r"\*", ".*") + "$"), [])
            rules.append(current)
        else:
            name, _, value = line.strip().partition(":")
            current[1].append((name.strip(), value.strip()))
    return rules


RULES = parse_headers(open(os.path.join(ROOT, "_headers"), encoding="utf-8").read())
mimetypes.add_type("text/javascript", ".js")


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=ROOT, **kwargs)

    def end_headers(self):
        path = self.path.split("?")[0]
        for pattern, headers in RULES:
            if pattern.match(path):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = os.path.join(ROOT, "404.html")
        if code != 404 or not os.path.exists(page):
            return super().send_error(code, message, explain)
        body = open(page, "rb").read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
BASE = f"http://127.0.0.1:{server.server_address[1]}"

driver_port = free_port()
driver = subprocess.Popen(
    ["chromedriver", f"--port={driver_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
)


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{driver_port}{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)["value"]


def pages():
    for folder, _, files in sorted(os.walk(ROOT)):
        if "index.html" in files:
            rel = os.path.relpath(folder, ROOT).replace(os.sep, "/")
            yield "/" if rel == "." else f"/{rel}/"


problems = []
try:
    for _ in range(100):
        try:
            call("GET", "/status")
            break
        except OSError:
            time.sleep(0.1)
    profile = tempfile.mkdtemp(prefix="brum-headers-chromium-")
    args = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}",
    ]
    caps = {"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:loggingPrefs": {"browser": "ALL"},
        "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args},
    }}}
    session = "/session/" + call("POST", "/session", caps)["sessionId"]

    def js(script):
        return call("POST", session + "/execute/sync", {"script": script, "args": []})

    # Every violation a page sees, recorded from before its first script.
    call("POST", session + "/goog/cdp/execute", {
        "cmd": "Page.addScriptToEvaluateOnNewDocument",
        "params": {"source": "window.__csp=[];document.addEventListener('securitypolicyviolation',"
                   "e=>window.__csp.push(e.effectiveDirective+' blocked '+(e.blockedURI||'inline')));"},
    })

    def visit(page, after=None):
        call("POST", session + "/url", {"url": BASE + page})
        note = after() if after else ""
        for v in js("return window.__csp"):
            problems.append(f"{page}: CSP violation: {v}")
        for entry in call("POST", session + "/se/log", {"type": "browser"}):
            message = entry["message"]
            if page == "/404-check/" and "status of 404" in message:
                continue
            if entry["level"] in ("SEVERE", "WARNING"):
                problems.append(f"{page}: console {entry['level']}: {message[:300]}")
        return note

    def search_answers():
        status = ""
        for _ in range(150):
            status = js("const s=document.getElementById('brum-search-status');return s?s.textContent:''")
            if status:
                break
            time.sleep(0.1)
        if not status:
            problems.append("search did not answer within 15 s")
        return status

    count, searches = 0, []
    for page in pages():
        visit(page)
        count += 1
        if page.endswith("/search/"):
            searches.append(page)
    visit("/404-check/")
    answers = []
    # Each language's search page, with a word in every language's pages and
    # with one in none.
    for page in searches:
        answers.append(visit(page + "?q=birmingham", search_answers))
        answers.append(visit(page + "?q=qqqq", search_answers))
    call("DELETE", session)
finally:
    driver.terminate()
    server.shutdown()

print(f"{count} pages and the 404 page loaded under public/_headers; searches: {answers}")
for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
