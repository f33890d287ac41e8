#!/usr/bin/env bash
# Engine speed against an earlier commit, side by side in one sitting: machines of this kind
# differ by 30% from one day to the next, so only the ratio of interleaved runs means anything.
#
#   scripts/bench-compare.sh BASE_REV [ROUNDS]
#
# Builds BASE_REV in a temporary git worktree and this checkout as it is, then runs
# `cargo bench -p pattern-engine` of each in turn ROUNDS times (default 3), and prints each
# run's events/s and the mean ratio per scenario. If valgrind is installed it also counts
# callgrind instructions per event of `simulate` on the M/M/4 model (200,000 requests) for
# both: a figure that, unlike wall-clock time, does not move with the machine's load.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

base_rev="${1:?usage: scripts/bench-compare.sh BASE_REV [ROUNDS]}"
rounds="${2:-3}"
base_dir="$(mktemp -d)/base"
git worktree add --quiet --detach "$base_dir" "$base_rev"
trap 'git worktree remove --force "$base_dir"' EXIT

build() {
  (cd "$1" && cargo bench --quiet -p pattern-engine --no-run 2>/dev/null &&
    cargo build --quiet --release -p pattern-engine --bin simulate)
}

# Prints "scenario events/s" lines from one benchmark run in folder $1 (cargo bench also runs
# the library's empty test harness, whose lines are skipped).
bench_once() {
  (cd "$1" && cargo bench --quiet -p pattern-engine 2>/dev/null) |
    awk '$1 ~ /\.json$/ { print $1, $5 }'
}

echo "building $base_rev and this checkout"
build "$base_dir"
build .

results="$(mktemp)"
for round in $(seq "$rounds"); do
  bench_once "$base_dir" | sed "s/^/base $round /" >>"$results"
  bench_once . | sed "s/^/this $round /" >>"$results"
done

printf '\n%-16s %6s %14s %14s %8s\n' scenario round "$base_rev" "this" ratio
awk '
  { rate[$1, $2, $3] = $4; scenarios[$3] = 1; rounds[$2] = 1 }
  END {
    for (s in scenarios) {
      sum = 0; n = 0
      for (r in rounds) {
        ratio = rate["this", r, s] / rate["base", r, s]
        printf "%-16s %6s %14.0f %14.0f %8.3f\n", s, r, rate["base", r, s], rate["this", r, s], ratio
        sum += ratio; n++
      }
      printf "%-16s %6s %14s %14s %8.3f\n\n", s, "mean", "", "", sum / n
    }
  }' "$results"

if command -v valgrind >/dev/null; then
  model=public/scenarios/bench/mm4.json
  for side in base this; do
    dir=$([[ $side == base ]] && echo "$base_dir" || echo .)
    out="$(mktemp)"
    (cd "$dir" && valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      target/release/simulate "$model" --requests 200000 >"$out" 2>"$out.err")
    instructions=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$out.err")
    events=$(grep -o '"events": *[0-9]*' "$out" | head -n1 | grep -o '[0-9]*$')
    awk -v side="$side" -v i="$instructions" -v e="$events" \
      'BEGIN { printf "callgrind %-4s %14d instructions %10d events %8.1f per event\n", side, i, e, i / e }'
  done
fi
