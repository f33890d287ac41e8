#!/usr/bin/env bash
# `make test`: every check CI runs, in order, stopping at the first failure.
#
#   bootstrap -> rustfmt -> clippy (native, then wasm) -> engine tests -> browser tests (wasm in
#   headless Chromium) -> release build -> Playwright journeys against that build.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"

timings=()

# Runs one step under a header and records how long it took.
step() {
  local name="$1"
  shift
  printf '\n==== %s\n' "$name"
  local started=$SECONDS
  "$@"
  local took=$((SECONDS - started))
  timings+=("$(printf '%5ss  %s' "$took" "$name")")
  printf '==== %s: ok (%ss)\n' "$name" "$took"
}

# What a first visit downloads (wasm, JS, CSS, HTML), gzipped, at most: this stage's budget.
# 400 KB for the share issue, 450 KB from the kinds issue; the layout issue's dock, sheets, rail,
# fit and hint took 27 KB of wasm spread over their reactive closures (docs/benchmarks.md), so
# 500 KB from there on; the faults issue's timeline (31 KB), gallery (12 KB) and edge policies
# put it at 542 KB (docs/benchmarks.md, "The faults issue's first load"), so 550 KB from there;
# the retries issue's engine policies (21 KB) and their form and live view (10 KB) put it at
# 577 KB ("The retries issue's first load"), so 585 KB from there; the shards issue's data with
# versions, shard router and resharding faults (20 KB of engine) and their form, heat strip and
# fault chips (7.6 KB) put it at 605 KB ("The shards issue's first load"), so 615 KB from there.
first_load_budget=615000

# Prints the release bundle's files with their raw and gzipped sizes; fails over the budget.
bundle_sizes() {
  local file raw gz total_raw=0 total_gz=0
  for file in dist/*.wasm dist/*.js dist/*.css dist/index.html; do
    raw=$(wc -c <"$file")
    gz=$(gzip -9 -c "$file" | wc -c)
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + gz))
    printf '  %-48s %8d B raw %8d B gzipped\n' "${file#dist/}" "$raw" "$gz"
  done
  printf '  %-48s %8d B raw %8d B gzipped\n' "first load, total" "$total_raw" "$total_gz"
  # Deterministic, so a check and not a benchmark; docs/ARCHITECTURE.md ("Bundle size") says
  # where the bytes went.
  if ((total_gz > first_load_budget)); then
    printf 'the first load is %d B gzipped, over the %d B budget\n' "$total_gz" "$first_load_budget" >&2
    return 1
  fi
}

release_build() {
  trunk build --release
  bundle_sizes
}

# Serves dist/ under a sub-path on a free loopback port, so the journeys also prove that the
# build's asset paths are relative, and runs them against it.
journeys() {
  local site port server
  site="$(mktemp -d)"
  ln -s "$repo_root/dist" "$site/pattern-playground"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p artifacts
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" \
    >artifacts/http-server.log 2>&1 &
  server=$!
  # shellcheck disable=SC2064 # expand now: the locals are gone when the trap fires
  trap "kill $server 2>/dev/null || true; rm -rf '$site'" EXIT

  # A journey compares the page's summary with `cargo run --bin simulate`: build that first, so
  # the journey's 30-second budget is not spent compiling on a fresh clone.
  cargo build --quiet -p pattern-engine --bin simulate

  local base="http://127.0.0.1:$port/pattern-playground/"
  for _ in $(seq 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('$base')" 2>/dev/null && break
    sleep 0.1
  done
  (cd e2e && BASE_URL="$base" playwright test)
}

step "bootstrap" scripts/bootstrap.sh
step "rustfmt" cargo fmt --all -- --check
step "clippy (native, whole workspace)" cargo clippy --workspace --all-targets -- -D warnings
step "clippy (wasm32, app)" \
  cargo clippy --target wasm32-unknown-unknown -p pattern-playground --all-targets -- -D warnings
step "engine tests (native)" cargo test -p pattern-engine
step "app tests (wasm, headless Chromium)" \
  cargo test --target wasm32-unknown-unknown -p pattern-playground
step "release build (Trunk)" release_build
step "journeys (Playwright, release build on loopback)" journeys

printf '\n==== all steps passed\n'
printf '%s\n' "${timings[@]}"
