# Sourced by the other scripts: where the tools that bootstrap.sh installs are found.
# shellcheck shell=bash

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# `cargo install` puts binaries in $CARGO_INSTALL_ROOT/bin when that is set (the fresh-clone
# check sets it to an empty folder), else in $CARGO_HOME/bin.
cargo_bin="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin"

# e2e/node_modules/.bin comes first for binaryen's wasm-opt: Debian's older wasm-opt produces a
# bundle that fails at start-up in Chromium, so it must never be the one Trunk finds.
export PATH="$repo_root/e2e/node_modules/.bin:$cargo_bin:$PATH"

# Trunk uses the tools on PATH instead of downloading its own (no such download works here).
export TRUNK_OFFLINE=true
# wasm-bindgen-test-runner drives Debian's Chromium through this driver.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
