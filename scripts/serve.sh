#!/usr/bin/env bash
# `make serve`: installs what is missing, then builds and serves the playground with Trunk on
# http://127.0.0.1:8080 (Trunk.toml), rebuilding on every change. Extra arguments go to Trunk.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"

scripts/bootstrap.sh
exec trunk serve "$@"
