#!/usr/bin/env python3
"""brum serve under strain: load, edits, and live-reload connections.

    cargo build --release
    python3 bench/serve_strain.py                      # 10,000 stories, 50 clients, 30 s
    python3 bench/serve_strain.py --stories 2000 --seconds 10 --sse 200

1. Generates a corpus (bench/corpus.py) and starts `brum serve`
   on it (a free port, SOURCE_DATE_EPOCH fixed so pages do not follow the clock).
2. For --seconds, --clients threads fetch pages named in the served
   sitemap (keep-alive connections, as browsers use), while an editor thread
   edits, renames, deletes and adds stories every --edit-every seconds.
   A failed request is one that gets no answer or a 5xx; a 404 is counted
   apart (the editor deletes and renames pages the clients still ask for).
3. When the edits stop and the server has settled, every file of a cold
   `brum build --drafts` of the final tree (with the server's address as the
   base URL) is fetched and compared byte for byte (less the live-reload
   script the server adds); every page the server's sitemap lists must be
   in the cold build too.
4. Opens --sse live-reload connections (/__brum/events), drops them, and
   compares the server's open file descriptors and threads before and after
   (from /proc).
Prints resident memory (VmRSS, and the peak VmHWM) after the first build,
after the load and at the end. Exits non-zero when anything failed.
Not part of `cargo test`: it takes a minute or two and a release build.
"""
import argparse
import http.client
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(REPO, "bench", "corpus.py")
EPOCH = "1764028800"
LIVE = b'<script src="/__brum/live.js" defer></script>'


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def memory(pid):
    s = proc_status(pid)
    return s["VmRSS"], s["VmHWM"]


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


class Server:
    def __init__(self, brum, root):
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
        self.proc = subprocess.Popen(
            [brum, "serve", "--root", root, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
        )
        self.lines = []
        self.port = None
        ready = threading.Event()

        def read():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                m = re.search(r"Serving the preview at http://127\.0\.0\.1:(\d+)/", line)
                if m:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(600) or self.port is None:
            sys.exit("brum serve did not start:\n" + "\n".join(self.lines))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def get(conn, path):
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, r.read()


def sitemap_paths(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body = get(conn, "/sitemap.xml")
    assert status == 200, status
    base = f"http://127.0.0.1:{port}"
    return [loc[len(base):] for loc in re.findall(r"<loc>([^<]+)</loc>", body.decode())]


def load(port, paths, seconds, clients, results):
    stop = time.monotonic() + seconds

    def client(n):
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        counts = {"ok": 0, "404": 0, "5xx": 0, "failed": 0, "other": 0}
        while time.monotonic() < stop:
            path = rng.choice(paths)
            try:
                status, _ = get(conn, path)
            except Exception as e:  # no answer: a failed request
                counts["failed"] += 1
                results.setdefault("errors", []).append(f"{path}: {e!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            if status == 200:
                counts["ok"] += 1
            elif status == 404:
                counts["404"] += 1
            elif status >= 500:
                counts["5xx"] += 1
                results.setdefault("errors", []).append(f"{path}: {status}")
            else:
                counts["other"] += 1
        conn.close()
        results[n] = counts

    workers = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for w in workers:
        w.start()
    return workers


def edit(root, seconds, every, log):
    """Edits, renames, deletes and adds stories, as authors do mid-preview."""
    rng = random.Random(7)
    stories = os.path.join(root, "content", "stories")
    stop = time.monotonic() + seconds
    n = 0
    while time.monotonic() < stop:
        names = sorted(f for f in os.listdir(stories) if f.endswith(".md"))
        name = rng.choice(names)
        path = os.path.join(stories, name)
        action = ["edit", "edit", "rename", "delete", "add"][n % 5]
        if action == "edit":
            with open(path, "a") as f:
                f.write(f"\n\nEdited under load, pass {n}.\n")
        elif action == "rename":
            os.rename(path, os.path.join(stories, f"renamed-{n}-{name}"))
        elif action == "delete":
            os.remove(path)
        else:
            with open(os.path.join(stories, f"added-{n}.md"), "w") as f:
                f.write(f'+++\ntitle = "Added under load {n}"\ndate = 2015-07-01\n+++\nNew story {n}.\n')
        log.append(action)
        n += 1
        time.sleep(every)


def settle(server, quiet=3.0, limit=300):
    """Waits until the server has printed nothing for `quiet` seconds."""
    start = time.monotonic()
    seen = len(server.lines)
    last = time.monotonic()
    while time.monotonic() - start < limit:
        time.sleep(0.2)
        if len(server.lines) != seen:
            seen = len(server.lines)
            last = time.monotonic()
        elif time.monotonic() - last >= quiet:
            return
    sys.exit("the server never settled")


def compare_with_cold_build(brum, root, port, work):
    out = os.path.join(work, "cold")
    subprocess.run(
        [brum, "build", "--root", root, "--output", out, "--drafts",
         "--base-url", f"http://127.0.0.1:{port}/"],
        check=True, env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH),
        stdout=subprocess.DEVNULL,
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    mismatched, compared = [], 0
    for dirpath, _, files in os.walk(out):
        for name in files:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, out)
            if rel == ".brum-manifest":
                continue
            with open(full, "rb") as f:
                want = f.read()
            url = "/" + "/".join(urllib.parse.quote(part) for part in rel.split(os.sep))
            status, body = get(conn, url)
            compared += 1
            if rel.endswith(".html"):
                body = body.replace(LIVE, b"", 1)
            if status != 200 or body != want:
                mismatched.append((rel, status))
    served = set(sitemap_paths(port))
    with open(os.path.join(out, "sitemap.xml")) as f:
        cold = set(loc[len(f"http://127.0.0.1:{port}"):]
                   for loc in re.findall(r"<loc>([^<]+)</loc>", f.read()))
    return compared, mismatched, served ^ cold


def live_reload_connections(port, n):
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(b"GET /__brum/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        socks.append(s)
    answered = 0
    for s in socks:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            if not chunk:
                break
            head += chunk
        if head.startswith(b"HTTP/1.1 200"):
            answered += 1
    for s in socks:
        s.close()
    return answered


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--brum", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "brum"))
    p.add_argument("--stories", type=int, default=10000)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--edit-every", type=float, default=0.2)
    p.add_argument("--sse", type=int, default=1000)
    args = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.sse + 512)), hard))

    work = tempfile.mkdtemp(prefix="brum-strain-")
    root = os.path.join(work, "site")
    subprocess.run([sys.executable, GEN, "--out", root, "--stories", str(args.stories), "--quiet"],
                   check=True)
    server = Server(args.brum, root)
    pid = server.proc.pid
    failed = False
    try:
        print(f"serving {args.stories} stories on port {server.port}: {server.lines[-2:]}")
        rss0 = memory(pid)
        paths = sitemap_paths(server.port)
        print(f"memory after the first build: RSS {rss0[0]}, peak {rss0[1]}; {len(paths)} pages in the sitemap")

        results, log = {}, []
        workers = load(server.port, paths, args.seconds, args.clients, results)
        edit(root, args.seconds, args.edit_every, log)
        for w in workers:
            w.join()
        totals = {}
        for n in range(args.clients):
            for k, v in results.get(n, {}).items():
                totals[k] = totals.get(k, 0) + v
        rss1 = memory(pid)
        rebuilds = sum(1 for l in server.lines if " changed: " in l)
        print(f"load: {args.clients} clients for {args.seconds:.0f} s: {totals}; "
              f"{len(log)} edits ({', '.join(f'{log.count(a)} {a}' for a in ('edit', 'rename', 'delete', 'add'))}); "
              f"{rebuilds} rebuild lines")
        for e in results.get("errors", [])[:10]:
            print("  failed:", e)
        print(f"memory after the load: RSS {rss1[0]}, peak {rss1[1]}")
        if totals.get("failed", 0) or totals.get("5xx", 0):
            failed = True

        settle(server)
        compared, mismatched, differ = compare_with_cold_build(args.brum, root, server.port, work)
        print(f"after settling: {compared} files compared with a cold build, "
              f"{len(mismatched)} differ, {len(differ)} sitemap entries differ")
        for m in mismatched[:10]:
            print("  differs:", m)
        for d in sorted(differ)[:10]:
            print("  sitemap:", d)
        if mismatched or differ:
            failed = True
        for line in server.lines:
            if "panicked" in line:
                print("  server:", line)
                failed = True

        fd0, th0 = fds(pid), threads(pid)
        answered = live_reload_connections(server.port, args.sse)
        time.sleep(1)
        fd1, th1 = fds(pid), threads(pid)
        # A dropped stream is noticed at the latest by the next keep-alive
        # comment (every 15 s).
        time.sleep(20)
        fd2, th2 = fds(pid), threads(pid)
        print(f"live reload: {answered}/{args.sse} connections answered, then dropped; "
              f"fds {fd0} before, {fd1} 1 s after, {fd2} 20 s after; threads {th0}, {th1}, {th2}")
        if answered != args.sse or fd2 > fd0:
            failed = True
        # The server still answers.
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        status, _ = get(conn, "/")
        if status != 200:
            failed = True
        rss2 = memory(pid)
        print(f"memory at the end: RSS {rss2[0]}, peak {rss2[1]}")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("FAILED" if failed else "OK")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
