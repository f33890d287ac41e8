#!/usr/bin/env bash
# Proves the README's test command works for a new user: clones the repository's HEAD into a
# temporary folder, hides the tools the bootstrap installs (Trunk, wasm-bindgen) and gives cargo
# an empty install root, then runs the README's test command there. Everything must get
# installed on the way.
#
# Slow (it installs the tools and builds everything from scratch, 30+ minutes on 2 cores), so it
# is not part of `make test`: run it when the set-up changes.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The README's test command: the fenced-block line that runs the tests, alone on its line.
test_command="$(awk '/^```/ { fenced = !fenced; next } fenced && /(^| )test( |$)/ { print; exit }' \
  "$repo_root/README.md")"
[[ -n "$test_command" ]] || { echo "no test command in a fenced block of README.md" >&2; exit 1; }

work="$(mktemp -d /tmp/fresh-clone.XXXXXX)"
echo "fresh-clone check in $work (kept if the check fails)"
git clone --quiet "$repo_root" "$work/repo"

# An empty install root: every `cargo install` of the bootstrap lands here, none is found.
export CARGO_INSTALL_ROOT="$work/cargo-install"
mkdir -p "$CARGO_INSTALL_ROOT/bin"

# Keep cargo, rustup and friends reachable but hide what the bootstrap must install itself.
cargo_home_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
shims="$work/shims"
mkdir -p "$shims"
for tool in "$cargo_home_bin"/*; do
  case "$(basename "$tool")" in
    trunk | wasm-bindgen | wasm-bindgen-test-runner | wasm2es6js) ;;
    *) ln -s "$tool" "$shims/" ;;
  esac
done
path_without_cargo_bin="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$cargo_home_bin" | paste -sd: -)"
export PATH="$shims:$path_without_cargo_bin"
for hidden in trunk wasm-bindgen wasm-bindgen-test-runner; do
  if command -v "$hidden" >/dev/null; then
    echo "could not hide $hidden (found at $(command -v "$hidden"))" >&2
    exit 1
  fi
done

echo "running: $test_command"
started=$SECONDS
(cd "$work/repo" && bash -c "$test_command")

for installed in trunk wasm-bindgen wasm-bindgen-test-runner; do
  [[ -x "$CARGO_INSTALL_ROOT/bin/$installed" ]] || {
    echo "the bootstrap did not install $installed" >&2
    exit 1
  }
done
echo "fresh clone passed in $((SECONDS - started))s; the bootstrap installed:"
find "$CARGO_INSTALL_ROOT/bin" -type f -printf '  %f\n'
rm -rf "$work"
