#!/usr/bin/env python3
"""Save to reload: how long `brum serve` takes from an author's save to the
browser's reload, on a big site.

    cargo build --release
    python3 bench/reload.py                       # 10,000 stories, 50 saves
    python3 bench/reload.py --stories 2000 --saves 20 --template-saves 3
    python3 bench/reload.py --search              # the same with search on

1. Generates a corpus (bench/corpus.py, or --corpus DIR) and starts
   `brum serve` on it (a free port, SOURCE_DATE_EPOCH fixed), then listens on
   the live-reload events (/__brum/events) as the browser does.
2. Appends a sentence to --saves different stories, one at a time, and times
   each from just before the write to the `reload` event that follows it;
   then fetches the story's page and checks the new sentence is on it (a
   reload that shows the old page would be no reload at all).
3. Does the same for --template-saves edits of the story template (every
   story page changes), checking a story page shows the edit.
4. Prints the median and the 90th percentile of each, and what the server
   said it re-rendered. With --search the index is built as well, on the
   server's own thread; the reload does not wait for it. So with --search a
   save is also timed from the write to the new index being served (the
   served pagefind-entry.json changing: it names the index's meta file,
   whose name is a hash of every page), with the server's CPU time (user +
   system, from /proc) over that span.

A benchmark, not a test: it needs a release build and a minute or two.
"""
import argparse
import http.client
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(REPO, "bench", "corpus.py")
EPOCH = "1764028800"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listen(port, events):
    """Puts (time, event name) on `events` for each live-reload event."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=None)
    conn.request("GET", "/__brum/events", headers={"Accept": "text/event-stream"})
    resp = conn.getresponse()
    name = None
    while True:
        line = resp.fp.readline()
        if not line:
            return
        line = line.decode().rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line == "" and name:
            events.put((time.perf_counter(), name))
            name = None


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read().decode("utf-8", "replace")


def wait_up(port, proc, deadline=300):
    end = time.time() + deadline
    while time.time() < end:
        if proc.poll() is not None:
            sys.exit(f"brum serve exited with {proc.returncode}")
        try:
            status, _ = get(port, "/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("brum serve never answered")


def slug_of(path, fallback):
    """The `slug` in a story's front matter, else its file name's."""
    with open(path, encoding="utf-8") as f:
        head = f.read(2000)
    for line in head.split("+++")[1].splitlines() if head.startswith("+++") else []:
        key, _, value = line.partition("=")
        if key.strip() == "slug":
            return value.strip().strip('"')
    return fallback


def stories(corpus, n):
    """n story files spread over the corpus, each with its page's path."""
    folder = os.path.join(corpus, "content", "stories")
    found = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".md") and not name.startswith("_") and name.count(".") == 1:
            found.append((path, f"/stories/{slug_of(path, name[:-3])}/"))
        elif os.path.isdir(path) and os.path.exists(os.path.join(path, "index.md")):
            index = os.path.join(path, "index.md")
            found.append((index, f"/stories/{slug_of(index, name)}/"))
    step = max(1, len(found) // n)
    return found[::step][:n]


def next_reload(events, after, timeout=120):
    end = time.perf_counter() + timeout
    while True:
        left = end - time.perf_counter()
        if left <= 0:
            sys.exit("no reload event came")
        at, name = events.get(timeout=left)
        if at >= after and name == "reload":
            return at


def drain(events, settle=0.5):
    """Empties the queue once no event has come for `settle` seconds."""
    while True:
        try:
            events.get(timeout=settle)
        except queue.Empty:
            return


ENTRY = "/pagefind/pagefind-entry.json"


def cpu_seconds(pid):
    """The user + system CPU time of process `pid` so far (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def index_served(port, before, timeout=600):
    """Waits for the served search entry to differ from `before`."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if get(port, ENTRY)[1] != before:
            return time.perf_counter()
        time.sleep(0.01)
    sys.exit("the search index never caught up")


def timed_save(events, path, text, port, page, expect, indexed=None):
    """Save -> reload in ms; with `indexed` (the server's pid), also appends
    (save -> new index served in ms, CPU seconds over it) to indexed[1]."""
    drain(events)
    if indexed:
        entry = get(port, ENTRY)[1]
        cpu0 = cpu_seconds(indexed[0])
    t0 = time.perf_counter()
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)
    at = next_reload(events, t0)
    status, html = get(port, page)
    if status != 200 or expect not in html:
        sys.exit(f"after the reload, {page} does not show {expect!r} (status {status})")
    if indexed:
        served = index_served(port, entry)
        indexed[1].append(((served - t0) * 1000, cpu_seconds(indexed[0]) - cpu0))
    return (at - t0) * 1000


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def report(name, xs):
    print(f"{name}: {len(xs)} saves, median {pct(xs, 0.5):.0f} ms, p90 {pct(xs, 0.9):.0f} ms, "
          f"min {min(xs):.0f} ms, max {max(xs):.0f} ms")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stories", type=int, default=10000)
    ap.add_argument("--corpus", help="use this corpus (a copy is edited), instead of generating one")
    ap.add_argument("--saves", type=int, default=50)
    ap.add_argument("--template-saves", type=int, default=5)
    ap.add_argument("--search", action="store_true", help="with [search] enabled = true")
    ap.add_argument("--brum", default=os.path.join(REPO, "target", "release", "brum"))
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="brum-reload-")
    try:
        corpus = os.path.join(work, "site")
        if args.corpus:
            shutil.copytree(args.corpus, corpus)
        else:
            subprocess.run([sys.executable, GEN, "--out", corpus, "--stories", str(args.stories), "--quiet"],
                           check=True)
        toml = os.path.join(corpus, "site.toml")
        with open(toml, encoding="utf-8") as f:
            settings = f.read()
        if "[search]" not in settings:
            with open(toml, "a", encoding="utf-8") as f:
                f.write(f"\n[search]\nenabled = {'true' if args.search else 'false'}\n")
        elif not args.search:
            with open(toml, "w", encoding="utf-8") as f:
                f.write(settings.replace("enabled = true", "enabled = false"))

        port = free_port()
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
        log = open(os.path.join(work, "serve.log"), "w")
        proc = subprocess.Popen([args.brum, "serve", "--root", corpus, "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            wait_up(port, proc)
            if args.search:
                # The first index is built after the first render: wait for it.
                while get(port, ENTRY)[0] != 200:
                    time.sleep(0.1)
            events = queue.Queue()
            threading.Thread(target=listen, args=(port, events), daemon=True).start()
            time.sleep(1)

            saves = []
            indexed = (proc.pid, []) if args.search else None
            for i, (path, page) in enumerate(stories(corpus, args.saves)):
                sentence = f"\n\nA sentence added by the reload benchmark, number {i}.\n"
                saves.append(timed_save(events, path, sentence, port, page,
                                        f"reload benchmark, number {i}.", indexed))
            report("one-story save -> reload", saves)
            if indexed:
                report("one-story save -> new search index served", [ms for ms, _ in indexed[1]])
                cpu = [c for _, c in indexed[1]]
                print(f"  server CPU from save to index served: median {pct(cpu, 0.5):.2f} s, "
                      f"p90 {pct(cpu, 0.9):.2f} s")

            template = os.path.join(corpus, "templates", "story.html")
            theme = os.path.join(REPO, "themes", "default", "templates", "story.html")
            if args.template_saves:
                os.makedirs(os.path.dirname(template), exist_ok=True)
                copied = time.perf_counter()
                shutil.copy(theme, template)
                # The copy is a template save too: its rebuild must be over
                # (its reload seen) before the first timed save, or that
                # save is timed to the copy's reload, which lacks the edit.
                try:
                    next_reload(events, copied, timeout=120)
                except SystemExit:
                    pass  # the copy changed nothing, so nothing was rebuilt
                drain(events, settle=2)
                path, page = stories(corpus, 1)[0]
                template_saves = []
                for i in range(args.template_saves):
                    with open(template, encoding="utf-8") as f:
                        text = f.read()
                    marker = f"<!-- template edit {i} -->"
                    # Inside a block: a child template's text outside its
                    # blocks is not shown.
                    edited = text.replace("{% block content %}", "{% block content %}" + marker, 1)
                    drain(events)
                    t0 = time.perf_counter()
                    with open(template, "w", encoding="utf-8") as f:
                        f.write(edited)
                    at = next_reload(events, t0, timeout=600)
                    status, html = get(port, page)
                    if marker not in html:
                        sys.exit(f"after the template save, {page} does not show the edit")
                    template_saves.append((at - t0) * 1000)
                report("story-template save -> reload", template_saves)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()
        with open(os.path.join(work, "serve.log"), encoding="utf-8") as f:
            lines = [l.rstrip() for l in f if "rendered" in l or "changed" in l]
        print("the server said, last lines:")
        for line in lines[-3:]:
            print("  " + line)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
