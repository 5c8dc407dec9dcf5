#!/usr/bin/env python3
"""How long brum takes, and how much memory, to publish phone photos.

    python3 bench/images.py              # 200 photos
    python3 bench/images.py --photos 50

Generates COUNT phone-sized photos (4032x3024 JPEG, 3-5 MB, noisy like a
camera's; examples/gen_photos.rs), one per story bundle as the story's image,
then builds the site twice with the release brum under /usr/bin/time -v: cold
(empty image cache) and cached (nothing changed). Prints wall time, peak
resident memory, the image counts brum reports, and the bytes published
against the originals. Not part of `cargo test`.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cargo_target():
    return os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))


def timed(cmd):
    run = subprocess.run(
        ["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{run.stdout}\n{run.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", run.stderr)
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
    images = re.search(r"Images: .*", run.stdout)
    return seconds, rss, images.group(0) if images else "(no images line)"


def size_of(paths):
    return sum(os.path.getsize(p) for p in paths)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=200)
    ap.add_argument("--keep", action="store_true", help="keep the generated site")
    ap.add_argument("--no-build", action="store_true", help="use the release binaries as they are")
    args = ap.parse_args()

    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--release", "--bin", "brum", "--example", "gen_photos"],
            cwd=REPO,
            check=True,
        )
    brum = os.path.join(cargo_target(), "release", "brum")
    gen = os.path.join(cargo_target(), "release", "examples", "gen_photos")

    work = tempfile.mkdtemp(prefix="brum-images-")
    site = os.path.join(work, "site")
    photos = os.path.join(work, "photos")
    subprocess.run([gen, photos, str(args.photos)], check=True)
    originals = sorted(os.path.join(photos, f) for f in os.listdir(photos))

    os.makedirs(os.path.join(site, "content", "stories"))
    with open(os.path.join(site, "site.toml"), "w") as f:
        f.write('title = "Photo bench"\nbase_url = "https://example.org"\n')
    for i, photo in enumerate(originals):
        bundle = os.path.join(site, "content", "stories", f"story-{i:03}")
        os.makedirs(bundle)
        os.link(photo, os.path.join(bundle, "photo.jpg"))
        with open(os.path.join(bundle, "index.md"), "w") as f:
            f.write(
                f'+++\ntitle = "Story {i}"\ndate = 2015-07-08\n'
                f'image = "photo.jpg"\nimage_alt = "Photo {i}"\n+++\n\nA story.\n'
            )

    results = []
    for label in ["cold", "cached"]:
        seconds, rss, images = timed([brum, "build", "--timings", "--root", site])
        results.append((label, seconds, rss, images))

    out = os.path.join(site, "public")
    published = [
        os.path.join(d, f)
        for d, _, files in os.walk(out)
        for f in files
        if f.lower().endswith((".jpg", ".webp", ".png"))
    ]
    webp = [p for p in published if p.endswith(".webp")]
    full = [p for p in published if p.endswith("/photo.jpg")]
    widest_webp = [p for p in webp if "-1600w-" in p]

    print(f"\n{args.photos} photos, {size_of(originals) / 1e6:.0f} MB of originals "
          f"({size_of(originals) / len(originals) / 1e6:.1f} MB each), on {os.cpu_count()} cores")
    for label, seconds, rss, images in results:
        print(f"  {label:6}  {seconds:7.1f} s wall  {rss / 1024:7.0f} MB peak RSS  {images}")
    print(f"  published: {len(published)} image files, {size_of(published) / 1e6:.0f} MB "
          f"({size_of(published) / size_of(originals):.0%} of the originals)")
    print(f"    full-size re-encoded originals: {size_of(full) / 1e6:.0f} MB")
    print(f"    WebP copies: {size_of(webp) / 1e6:.0f} MB; "
          f"the 1600w WebP a desktop loads: {size_of(widest_webp) / max(1, len(widest_webp)) / 1e3:.0f} KB "
          f"each on average")
    if args.keep:
        print(f"  site kept in {site}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
