#!/usr/bin/env bash
# Installs whatever the README's commands need and skips whatever is already there, so it is
# safe (and quick) to run before every `make serve` and `make test`.
#
# Needs: rustup with cargo, Node.js with npm, python3, and root or sudo for apt-get.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"

# 0.21.14 exactly: 0.22 needs a newer rustc than this toolchain has.
TRUNK_VERSION=0.21.14

say() { printf '  bootstrap: %s\n' "$*"; }
die() { printf 'bootstrap: %s\n' "$*" >&2; exit 1; }

for tool in rustup cargo node npm python3; do
  command -v "$tool" >/dev/null || die "$tool is missing; install it first (see README.md)"
done

# Tool installs from source are slow on small machines; they do not need the full release
# optimisation that cargo install would otherwise apply (measured: 8 min -> under 7 for Trunk).
fast_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install "$@"
}

# Prints the version a tool reports, the last word of `TOOL --version`, or nothing.
version_of() {
  command -v "$1" >/dev/null || return 0
  "$1" --version 2>/dev/null | head -n1 | awk '{print $NF}'
}

# ---- Rust target --------------------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# ---- Trunk ----------------------------------------------------------------------------------
if [[ "$(version_of trunk)" == "$TRUNK_VERSION" ]]; then
  say "trunk $TRUNK_VERSION present"
else
  say "installing trunk $TRUNK_VERSION (several minutes)"
  fast_install --locked "trunk@$TRUNK_VERSION"
fi

# ---- wasm-bindgen CLI ---------------------------------------------------------------------
# It must equal the wasm-bindgen crate in Cargo.lock, or the generated glue does not match.
[[ -f Cargo.lock ]] || die "Cargo.lock is missing; it is committed with the repository"
wasm_bindgen_version="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[[ -n "$wasm_bindgen_version" ]] || die "no wasm-bindgen package in Cargo.lock"
if [[ "$(version_of wasm-bindgen)" == "$wasm_bindgen_version" &&
      "$(version_of wasm-bindgen-test-runner)" == "$wasm_bindgen_version" ]]; then
  say "wasm-bindgen-cli $wasm_bindgen_version present"
else
  say "installing wasm-bindgen-cli $wasm_bindgen_version (found: '$(version_of wasm-bindgen)'; a few minutes)"
  # Not --locked: its lock file names a webpki-roots version the registry no longer serves.
  fast_install --force "wasm-bindgen-cli@$wasm_bindgen_version"
fi

# ---- Chromium and chromedriver, from Debian -----------------------------------------------
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  say "chromium and chromedriver present"
else
  if [[ "$(id -u)" -eq 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null; then
    sudo=(sudo)
  else
    die "chromium and chromium-driver are missing: install them as root (apt-get install chromium chromium-driver)"
  fi
  # Only refresh the package lists when they do not know the packages yet.
  if ! apt-cache show chromium chromium-driver >/dev/null 2>&1; then
    say "apt-get update"
    "${sudo[@]}" apt-get update
  fi
  say "installing chromium and chromium-driver"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

# ---- npm packages of e2e/ (Playwright, binaryen's wasm-opt, esbuild) ----------------------
# A stamp of the lock file's hash tells whether node_modules still matches it.
stamp=e2e/node_modules/.package-lock.sha256
lock_hash="$(sha256sum e2e/package-lock.json | awk '{print $1}')"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_hash" ]]; then
  say "e2e npm packages present"
else
  say "npm ci in e2e/"
  (cd e2e && npm ci --no-audit --no-fund)
  printf '%s\n' "$lock_hash" >"$stamp"
fi

# ---- Crates ---------------------------------------------------------------------------------
# Offline Trunk builds with `cargo build --offline`, which finds nothing unless fetched first.
cargo fetch --locked --quiet
say "crates fetched"
