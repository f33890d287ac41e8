#!/usr/bin/env bash
# The engine benchmark compiled to wasm (wasm32-wasip1) and run under node's WASI: the same
# engine code the browser runs (built with the browser's `web` profile), measured without a
# page around it.
set -euo pipefail
cd "$(dirname "$0")/.."
rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
cargo bench -p pattern-engine --target wasm32-wasip1 --profile web --no-run
wasm=$(ls -t target/wasm32-wasip1/web/deps/throughput-*.wasm | head -n 1)
node --no-warnings scripts/run-wasi.mjs "$wasm"
