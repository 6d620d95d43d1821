# Shared helpers for the scripts: logging and idempotent installation of what the tests need.
# Every install step checks first and does nothing when the tool is already there.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Root runs apt-get directly; anyone else needs sudo.
apt_install() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  # Keep packaged services (docker-registry) from starting on install: the tests start
  # their own, on loopback only.
  local policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ $policy_added = 1 ] && $sudo rm -f /usr/sbin/policy-rc.d
  return 0
}

# The version of a crate in Cargo.lock.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

cargo_install() { # crate version [--locked]
  local crate=$1 version=$2 bin=${4:-$1}
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -qF "$version"; then
    return 0
  fi
  log "cargo install $crate $version"
  cargo install "$crate" --version "$version" ${3:-} --quiet
}

ensure_rust_wasm() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || {
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  }
  cargo_install trunk 0.21.14 --locked
  # Without --locked: with it, cargo wants a webpki-roots version the registry lacks.
  cargo_install wasm-bindgen-cli "$(locked_version wasm-bindgen)" "" wasm-bindgen
}

# npm ci whenever package-lock.json changed since the last install (a stamp holds its hash).
ensure_node_modules() {
  local stamp=$ROOT/node_modules/.dfharden-lock-sha want
  want=$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "npm ci (playwright-core, binaryen, the SARIF schema)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
}

ensure_chromium() {
  apt_install chromium chromium-driver
}

# Real image builds and a real registry: buildah, podman, the Distribution registry,
# debootstrap for the stand-in base images.
ensure_image_tools() {
  apt_install buildah podman skopeo docker-registry debootstrap uidmap fuse-overlayfs runc curl iproute2 python3
}

ensure_oracle_venv() {
  local venv=$ROOT/.venv
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import dockerfile' 2>/dev/null; then
    log "python venv with the official Dockerfile parser"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/tests/oracle/requirements.txt"
  fi
}

# The tools integrations/test.sh drives (pre-commit, check-jsonschema, shellcheck), in a venv
# under target/ (ignored); reinstalled when integrations/requirements.txt changes.
ensure_integrations_venv() {
  local venv=$ROOT/target/integrations/venv want
  want=$(sha256sum "$ROOT/integrations/requirements.txt" | cut -d' ' -f1)
  if [ ! -x "$venv/bin/pre-commit" ] || [ "$(cat "$venv/.requirements-sha" 2>/dev/null)" != "$want" ]; then
    log "python venv for the integration tests (pre-commit, check-jsonschema, shellcheck)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/integrations/requirements.txt"
    echo "$want" >"$venv/.requirements-sha"
  fi
}

# The web page's release build into dist/.
build_web() {
  log "trunk build (release, web profile)"
  (cd "$ROOT" && TRUNK_SKIP_VERSION_CHECK=true trunk build --release --cargo-profile web --offline --dist dist)
}
