#!/usr/bin/env bash
# How static/vendor/ was obtained (not run by the build: the files are committed).
set -euo pipefail
tmp=$(mktemp -d); cd "$tmp"
for p in leaflet@1.9.3 jquery@3.7.1 bootstrap@5.2.2 @fortawesome/fontawesome-free@6.2.0 \
         leaflet.awesome-markers@2.0.5 leaflet.markercluster@1.5.3 leaflet.fullscreen@3.0.0; do
  npm pack --silent "$p"
done
for f in *.tgz; do mkdir -p "x/${f%.tgz}" && tar xzf "$f" -C "x/${f%.tgz}"; done
echo "unpacked in $tmp/x — copy dist files as listed in static/vendor/README.md"
