#!/usr/bin/env bash
# Browser benchmarks (e2e/bench/*.bench.ts) in headless Chromium against the release build:
# dragging a node on a 200-node diagram, the live view with 5,000 requests in flight on a
# 50-node diagram, a million-request fast-forward, and how the page answers while hostile links
# run to their budget. Prints numbers; see docs/benchmarks.md.
# Pass a Playwright filter to run one: scripts/bench-browser.sh -g "million".
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"
trunk build --release
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 0.5
(cd e2e && BASE_URL="http://127.0.0.1:$port/" playwright test -c bench.config.ts "$@")
