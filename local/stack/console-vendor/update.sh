#!/usr/bin/env bash
# Refreshes the console's vendored browser libraries (ADR 0151) from the npm registry: installs
# exactly what package-lock.json pins, then copies the single ES-module file of each library and its
# licence into src/main/resources/console/vendor/. The build never runs npm; VendoredLibrariesTest
# checks that the committed files are byte for byte those of the pinned release.
# To move to another version: edit package.json, run `npm install --package-lock-only
# --ignore-scripts` here, then this script, then the console's browser tests.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
vendor="$here/../src/main/resources/console/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
cp "$work/node_modules/@dagrejs/dagre/dist/dagre.esm.js" "$vendor/dagre.esm.js"
cp "$work/node_modules/@dagrejs/dagre/LICENSE" "$vendor/dagre.LICENSE.txt"
echo "vendored @dagrejs/dagre $(cd "$work" && node -p 'require("./node_modules/@dagrejs/dagre/package.json").version')"
