#!/usr/bin/env bash
# Rebuild assets/plotly/plotly-partial.min.js: plotly.js with only the trace types the
# dashboard draws (scripts/plotly-bundle/entry.js), from the npm registry at the versions
# pinned in scripts/plotly-bundle/package-lock.json. Dash serves it from the app's own assets
# instead of its full bundle (dcc.Graph uses window.Plotly when it is there). The options
# are plotly.js's own (its esbuild-config.js); maplibre's CSS is left out (no map subplot).
#   bash scripts/build_plotly_bundle.sh          # writes the bundle and its licence files
#   bash scripts/build_plotly_bundle.sh --check  # rebuilds in a temporary folder, compares
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/scripts/plotly-bundle"
out="$root/assets/plotly"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$src/package.json" "$src/package-lock.json" "$src/entry.js" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
(cd "$work" && ./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife \
    --global-name=Plotly --define:global=window --define:define.amd=false \
    --define:process.env.NODE_DEBUG=false --target=es2016 --charset=utf8 \
    --loader:.css=empty \
    --legal-comments=external --log-level=warning --outfile=build/plotly-partial.min.js)
cp "$work/node_modules/plotly.js/LICENSE" "$work/build/LICENSE-plotly.js.txt"

if [[ "${1:-}" == "--check" ]]; then
    for f in "$work"/build/*; do
        cmp -s "$f" "$out/$(basename "$f")" || { echo "differs: $(basename "$f")"; exit 1; }
    done
    echo "assets/plotly matches a fresh build"
    exit 0
fi
mkdir -p "$out"
cp "$work"/build/* "$out/"
ls -l "$out"
