#!/usr/bin/env bash
# The entry of the hooks in .pre-commit-hooks.yaml: `hook.sh check|fix ARGS... FILES...`.
#
# pre-commit's `language: rust` cannot build dfharden: it runs `cargo install --path .` at the
# repository root, which is a virtual workspace manifest (the binary is in cli/). So the hooks
# are `language: script` and this script does what `language: rust` would: the first run builds
# dfharden with `cargo install --locked --path cli` into this checkout (pre-commit keeps one
# checkout per hook revision in its cache, so that is once per `rev`), later runs only exec it.
# Needs cargo (Rust 1.88 or newer) on PATH for that first run.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
root=$repo/target/pre-commit
bin=$root/bin/dfharden

if [ ! -x "$bin" ]; then
  command -v cargo >/dev/null 2>&1 || {
    echo "dfharden's pre-commit hooks build dfharden with cargo the first time: install Rust (rustup), then run the hook again" >&2
    exit 2
  }
  mkdir -p "$root"
  # One build at a time when several hooks or repositories start together.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$root.lock"
    flock 9
  fi
  if [ ! -x "$bin" ]; then
    echo "dfharden: building the hook's binary once for this revision (cargo install --locked --path cli)..." >&2
    cargo install --locked --quiet --path "$repo/cli" --root "$root" >&2
  fi
  exec 9>&-
fi

exec "$bin" "$@"
