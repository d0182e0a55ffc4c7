#!/usr/bin/env bash
# Installs Artillery for `npm run test:artillery` into .techmoda/artillery (ignored by git): about 600 MB and a
# minute or two, which is why the test is opt-in and not part of `npm test`. 2.0.21 is the last release that runs on
# Node 20 (later ones require Node 22.13). Its Playwright engine's browser download is skipped: HTTP only here.
set -euo pipefail
version=2.0.21
dir="$(cd "$(dirname "$0")/.." && pwd)/.techmoda/artillery"
if [ -x "$dir/node_modules/.bin/artillery" ] && grep -q "\"version\": \"$version\"" "$dir/node_modules/artillery/package.json"; then
  exit 0
fi
mkdir -p "$dir"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$dir" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "artillery@$version"
