#!/usr/bin/env bash
# Brings a release of Decap CMS into vendor/decap-cms/dist/, the files brum
# publishes under /admin/decap/: the bundle, its chunks, its WebAssembly and
# the bundle's licence notices. Source maps and the `cms.js` variant are left
# out. Usage: vendor/decap-cms/update.sh 3.16.3   (needs npm and network)
set -euo pipefail
version=${1:?usage: update.sh VERSION}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "decap-cms@$version" >/dev/null)
tar xzf "$work/decap-cms-$version.tgz" -C "$work"
rm -rf "$here/dist"
mkdir -p "$here/dist"
cd "$work/package/dist"
cp decap-cms.js ./*.decap-cms.js ./*.wasm decap-cms.js.LICENSE.txt "$here/dist/"
echo "decap-cms $version: $(ls "$here/dist" | wc -l) files; update the version in README.md and src/cms/mod.rs"
sha256sum "$work/decap-cms-$version.tgz"
