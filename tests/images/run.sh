#!/usr/bin/env bash
# Image tests: build the original and the dfharden-rewritten Dockerfile of a real app with
# buildah (no network during builds), run both with podman, and check what hardening promises:
# the rewritten image serves, runs as a non-root uid, has no setuid/setgid files, and has no
# shell when a distroless final image was chosen. The original is the control: it must run
# as root and contain setuid files, or the checks prove nothing.
#
# Needs root, buildah, podman, docker-registry and debootstrap (scripts/test installs them).
# Prints one line per check and ends with "N passed, N failed"; exits 1 on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/images/base-images.sh"
DFHARDEN=${DFHARDEN:-$ROOT/target/debug/dfharden}
WORK=$IMAGES_HOME/work
PASSED=0; FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "PASS  $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL  $*"; }
check() { # name got want
  if [ "$2" = "$3" ]; then pass "$1 = $2"; else fail "$1 = '$2' (want '$3')"; fi
}
finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ]
  exit $?
}

[ "$(id -u)" = 0 ] || { fail "image tests need root (buildah, podman, debootstrap)"; finish; }
[ -x "$DFHARDEN" ] || { fail "$DFHARDEN is missing: cargo build -p dfharden"; finish; }
if ! prepare_base_images; then fail "preparing the stand-in base images"; finish; fi
pass "stand-in base images in the registry on $REGISTRY"

# ------------------------------------------------------------ the app and its two Dockerfiles
rm -rf "$WORK"; mkdir -p "$WORK"
cp "$ROOT"/examples/go-web/{main.go,go.mod,Dockerfile} "$WORK/"
printf '*\n!go.mod\n!*.go\n' >"$WORK/.dockerignore"
# The lock file dfharden pin would write, resolved here from the local registry (the usual
# registries are not reachable from this machine).
cat >"$WORK/dfharden.lock" <<LOCK
version = 1

[[image]]
reference = "docker.io/library/golang:1.19"
digest = "$(digest_of library/golang 1.19)"
resolved-at = "2026-01-01T00:00:00Z"

[[image]]
reference = "gcr.io/distroless/static-debian12:nonroot"
digest = "$(digest_of distroless/static-debian12 nonroot)"
resolved-at = "2026-01-01T00:00:00Z"
LOCK
(cd "$WORK" && "$DFHARDEN" fix Dockerfile >Dockerfile.hardened) || fail "dfharden fix"
echo "---- rewritten Dockerfile"; cat "$WORK/Dockerfile.hardened"; echo "----"
grep -q "^FROM gcr.io/distroless/static-debian12:nonroot@sha256:" "$WORK/Dockerfile.hardened" \
  && pass "final stage is distroless, pinned from the lock file" || fail "final stage not distroless and pinned"
grep -q "^FROM golang:1.19@sha256:" "$WORK/Dockerfile.hardened" \
  && pass "build stage pinned from the lock file" || fail "build stage not pinned"

# A store of its own, so every base image is really pulled from the registry by digest.
sed -e "s#$IMAGES_HOME/storage#$IMAGES_HOME/test-storage#" -e "s#$IMAGES_HOME/run/storage#$IMAGES_HOME/run/test-storage#" \
  "$IMAGES_HOME/conf/storage.conf" >"$IMAGES_HOME/conf/test-storage.conf"
sed -e "s#$IMAGES_HOME/run/libpod#$IMAGES_HOME/run/test-libpod#" "$IMAGES_HOME/conf/containers.conf" >"$IMAGES_HOME/conf/test-containers.conf"
export CONTAINERS_STORAGE_CONF=$IMAGES_HOME/conf/test-storage.conf CONTAINERS_CONF=$IMAGES_HOME/conf/test-containers.conf
podman rm -af -t 0 >/dev/null 2>&1; buildah rm --all >/dev/null 2>&1
grep -o " $IMAGES_HOME/test-storage[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount 2>/dev/null
rm -rf "$IMAGES_HOME/test-storage" "$IMAGES_HOME/run/test-storage" "$IMAGES_HOME/run/test-libpod"

build() { # dockerfile tag
  buildah build --isolation oci --network none --pull=missing -f "$WORK/$1" -t "localhost/dfharden-test:$2" "$WORK" \
    >"$IMAGES_HOME/logs/build-$2.log" 2>&1
}
for variant in original:Dockerfile hardened:Dockerfile.hardened; do
  tag=${variant%%:*}; file=${variant#*:}
  if build "$file" "$tag"; then pass "buildah build $tag (--network none)"; else fail "buildah build $tag"; tail -15 "$IMAGES_HOME/logs/build-$tag.log"; fi
done

# ------------------------------------------------------------ inspect and run
files_of() { # image -> "mode uid:gid path" of every entry, from an export of a container
  local c; c=$(podman create -q "$1" /nonexistent) || return 1
  podman export "$c" | python3 -c '
import sys, tarfile
with tarfile.open(fileobj=sys.stdin.buffer, mode="r|") as t:
    for m in t:
        kind = "f" if m.isreg() else ("l" if m.issym() else ("d" if m.isdir() else "o"))
        print("%s %o /%s" % (kind, m.mode, m.name.lstrip("./")))'
  podman rm -f "$c" >/dev/null
}
serve() { # image port -> "uid gid|body"
  local name=dfharden-test-$2 pid body="" i
  podman run -d --name "$name" --network host -e "ADDR=127.0.0.1:$2" "$1" >/dev/null || { echo "run-failed|"; return; }
  for i in $(seq 1 100); do body=$(curl -fsS "http://127.0.0.1:$2/" 2>/dev/null) && break; sleep 0.2; done
  pid=$(ss -ltnpH "sport = :$2" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  [ -n "$pid" ] || pid=$(podman inspect -f '{{.State.Pid}}' "$name")
  echo "$(awk '/^Uid:/{print $2}' "/proc/$pid/status") $(awk '/^Gid:/{print $2}' "/proc/$pid/status")|$body"
  podman logs "$name" >"$IMAGES_HOME/logs/run-$name.log" 2>&1
  podman rm -f -t 0 "$name" >/dev/null
}

port=18300
for tag in original hardened; do
  image=localhost/dfharden-test:$tag
  podman image exists "$image" || { fail "$tag: no image"; continue; }
  port=$((port + 1))
  listing=$(files_of "$image")
  setuid=$(printf '%s\n' "$listing" | awk '$1=="f" && and(strtonum("0" $2), 3072) {print $3}' | wc -l)
  shells=$(printf '%s\n' "$listing" | awk '$3 ~ /^\/(usr\/)?bin\/(sh|bash|dash|ash)$/ {print $3}' | wc -l)
  result=$(serve "$image" "$port"); ids=${result%%|*}; body=${result#*|}
  echo "---- $tag: uid gid = $ids; setuid/setgid files = $setuid; shells = $shells; body = $body"
  if [ "$tag" = original ]; then
    check "original (control): process uid gid" "$ids" "0 0"
    [ "$setuid" -gt 0 ] && pass "original (control): has $setuid setuid/setgid files" || fail "original: control has no setuid files"
    [ "$shells" -gt 0 ] && pass "original (control): has a shell" || fail "original: control has no shell"
  else
    check "hardened: process uid gid" "$ids" "65532 65532"
    check "hardened: HTTP answer" "$body" "hello from uid=65532"
    check "hardened: setuid/setgid files" "$setuid" "0"
    check "hardened: shells in the distroless image" "$shells" "0"
    check "hardened: image config user" "$(podman image inspect -f '{{.Config.User}}' "$image")" "65532:65532"
  fi
done
finish
