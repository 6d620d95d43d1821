#!/usr/bin/env bash
# Installs dfharden for the GitHub Action (action.yml) from the action's own checkout.
#
#   install.sh key       prints `key=` (a hash of the sources dfharden is built from) and `dir=`
#                        (where that build goes), for the cache step, into $GITHUB_OUTPUT
#   install.sh install   `cargo install --locked --path cli` into that dir unless a binary built
#                        from the same sources is already there (restored from the cache, or on
#                        a self-hosted runner from an earlier run); prints `path=` (the binary)
#                        into $GITHUB_OUTPUT and puts its directory on $GITHUB_PATH
#
# Outside GitHub (the tests) the outputs go to standard output; DFHARDEN_INSTALL_BASE names the
# base directory (default: $RUNNER_TOOL_CACHE/dfharden, else ~/.cache/dfharden-action).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
base=${DFHARDEN_INSTALL_BASE:-${RUNNER_TOOL_CACHE:+$RUNNER_TOOL_CACHE/dfharden}}
base=${base:-$HOME/.cache/dfharden-action}

sha256() { if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi; }

# Every file the binary is built from, in a fixed order; the hash of their hashes.
sources_key() {
  (cd "$src" && find Cargo.toml Cargo.lock core/Cargo.toml core/src cli/Cargo.toml cli/src -type f | LC_ALL=C sort |
    while IFS= read -r f; do printf '%s  %s\n' "$(sha256 <"$f" | cut -d' ' -f1)" "$f"; done | sha256 | cut -c1-20)
}

output() { # name=value
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >>"$GITHUB_OUTPUT"; else echo "$1"; fi
}

key=$(sources_key)
dir=$base/$key
bin=$dir/bin/dfharden

case "${1:-}" in
  key)
    output "key=$key"
    output "dir=$dir"
    ;;
  install)
    if [ -x "$bin" ]; then
      echo "dfharden: using $bin (built from the same sources)" >&2
    else
      command -v cargo >/dev/null 2>&1 || {
        echo "::error::dfharden's action builds dfharden with cargo: add a Rust toolchain to the runner (GitHub's hosted runners have one)" >&2
        exit 2
      }
      echo "dfharden: cargo install --locked --path cli (a release build, once per version of the action when cached)" >&2
      cargo install --locked --path "$src/cli" --root "$dir"
    fi
    "$bin" --version >&2
    output "path=$bin"
    if [ -n "${GITHUB_PATH:-}" ]; then echo "$dir/bin" >>"$GITHUB_PATH"; fi
    ;;
  *)
    echo "usage: install.sh key|install" >&2
    exit 2
    ;;
esac
