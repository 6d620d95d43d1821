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
# base-images.sh runs with `set -e`; here each check counts its own failure instead.
set +e
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

# ------------------------------------------------------------ a store of our own
# So that every base image is really pulled from the registry by digest.
sed -e "s#$IMAGES_HOME/storage#$IMAGES_HOME/test-storage#" -e "s#$IMAGES_HOME/run/storage#$IMAGES_HOME/run/test-storage#" \
  "$IMAGES_HOME/conf/storage.conf" >"$IMAGES_HOME/conf/test-storage.conf"
sed -e "s#$IMAGES_HOME/run/libpod#$IMAGES_HOME/run/test-libpod#" "$IMAGES_HOME/conf/containers.conf" >"$IMAGES_HOME/conf/test-containers.conf"
export CONTAINERS_STORAGE_CONF=$IMAGES_HOME/conf/test-storage.conf CONTAINERS_CONF=$IMAGES_HOME/conf/test-containers.conf
podman rm -af -t 0 >/dev/null 2>&1 || true
buildah rm --all >/dev/null 2>&1 || true
grep -o " $IMAGES_HOME/test-storage[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount 2>/dev/null || true
rm -rf "$IMAGES_HOME/test-storage" "$IMAGES_HOME/run/test-storage" "$IMAGES_HOME/run/test-libpod"

# The lock file dfharden pin would write, resolved here from the local registry (the usual
# registries are not reachable from this machine).
lock_file() {
  cat <<LOCK
version = 1

[[image]]
reference = "docker.io/library/golang:1.26"
digest = "$(digest_of library/golang 1.26)"
resolved-at = "2026-01-01T00:00:00Z"

[[image]]
reference = "docker.io/library/debian:trixie-slim"
digest = "$(digest_of library/debian trixie-slim)"
resolved-at = "2026-01-01T00:00:00Z"

[[image]]
reference = "docker.io/library/nginx:1.30"
digest = "$(digest_of library/nginx 1.30)"
resolved-at = "2026-01-01T00:00:00Z"

[[image]]
reference = "docker.io/nginxinc/nginx-unprivileged:1.30"
digest = "$(digest_of nginxinc/nginx-unprivileged 1.30)"
resolved-at = "2026-01-01T00:00:00Z"

[[image]]
reference = "docker.io/tianon/gosu:1.17"
digest = "$(digest_of tianon/gosu 1.17)"
resolved-at = "2026-01-01T00:00:00Z"

[[image]]
reference = "gcr.io/distroless/static-debian13:nonroot"
digest = "$(digest_of distroless/static-debian13 nonroot)"
resolved-at = "2026-01-01T00:00:00Z"
LOCK
  local ref
  for ref in "library/rust 1.91" "library/rust 1-trixie" "library/node 24" "library/python 3.13-slim" "library/python 3.13-slim-trixie" \
    "library/eclipse-temurin 21-jdk" "distroless/cc-debian13 nonroot" "distroless/nodejs24-debian13 nonroot" \
    "distroless/python3-debian13 nonroot" "distroless/java21-debian13 nonroot"; do
    set -- $ref
    case $1 in distroless/*) ref=gcr.io/$1:$2 ;; *) ref=docker.io/$1:$2 ;; esac
    printf '\n[[image]]\nreference = "%s"\ndigest = "%s"\nresolved-at = "2026-01-01T00:00:00Z"\n' "$ref" "$(digest_of "$1" "$2")"
  done
}

# ------------------------------------------------------------ helpers
build() { # app dockerfile tag
  buildah build --isolation oci --network none --pull=missing -f "$WORK/$1/$2" -t "localhost/dfharden-test:$3" "$WORK/$1" \
    >"$IMAGES_HOME/logs/build-$3.log" 2>&1
}
files_of() { # image -> one line per notable entry: "setuid PATH" or "shell PATH"
  local c; c=$(podman create -q "$1" /nonexistent) || return 1
  podman export "$c" | python3 -c '
import sys, tarfile
SHELLS = {"bin/sh", "bin/bash", "bin/dash", "bin/ash", "usr/bin/sh", "usr/bin/bash", "usr/bin/dash"}
with tarfile.open(fileobj=sys.stdin.buffer, mode="r|") as t:
    for m in t:
        name = m.name.lstrip("./")
        if m.isreg() and m.mode & 0o6000:
            print("setuid /" + name)
        if name in SHELLS and (m.isreg() or m.issym()):
            print("shell /" + name)'
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

# ------------------------------------------------------------ one app: build, rewrite, run, check
port=18300
test_app() { # name dockerfile-dir expect-shell(yes|no) [own: the directory holds the whole app]
  local app=$1 source=$2 expect_shell=$3 tag image listing setuid shells result ids body
  mkdir -p "$WORK/$app"
  if [ "${4:-}" = own ]; then
    printf 'Dockerfile*\ndfharden.lock\n*.txt\n' >"$WORK/$app/.dockerignore"
  else
    cp "$ROOT"/examples/go-web/{main.go,go.mod} "$WORK/$app/"
    printf '*\n!go.mod\n!*.go\n!start.sh\n' >"$WORK/$app/.dockerignore"
  fi
  cp -r "$source"/. "$WORK/$app/"
  lock_file >"$WORK/$app/dfharden.lock"
  (cd "$WORK/$app" && "$DFHARDEN" fix Dockerfile >Dockerfile.hardened) || fail "$app: dfharden fix"
  echo "---- $app: rewritten Dockerfile"; cat "$WORK/$app/Dockerfile.hardened"; echo "----"
  grep -q "@sha256:" "$WORK/$app/Dockerfile.hardened" && pass "$app: base images pinned from the lock file" || fail "$app: not pinned"
  for variant in original:Dockerfile hardened:Dockerfile.hardened; do
    tag=$app-${variant%%:*}
    if build "$app" "${variant#*:}" "$tag"; then pass "$app: buildah build ${variant%%:*} (--network none)"; else fail "$app: buildah build ${variant%%:*}"; tail -15 "$IMAGES_HOME/logs/build-$tag.log"; fi
  done
  for kind in original hardened; do
    image=localhost/dfharden-test:$app-$kind
    podman image exists "$image" || { fail "$app $kind: no image"; continue; }
    port=$((port + 1))
    listing=$(files_of "$image")
    setuid=$(printf '%s\n' "$listing" | grep -c '^setuid ')
    shells=$(printf '%s\n' "$listing" | grep -c '^shell ')
    result=$(serve "$image" "$port"); ids=${result%%|*}; body=${result#*|}
    echo "---- $app $kind: uid gid = $ids; setuid/setgid files = $setuid; shells = $shells; body = $body"
    if [ "$kind" = original ]; then
      check "$app original (control): process uid gid" "$ids" "0 0"
      [ "$setuid" -gt 0 ] && pass "$app original (control): has $setuid setuid/setgid files" || fail "$app original: the control has no setuid files"
    else
      check "$app hardened: process uid gid" "$ids" "65532 65532"
      check "$app hardened: HTTP answer" "$body" "hello from uid=65532"
      check "$app hardened: setuid/setgid files" "$setuid" "0"
      if [ "$expect_shell" = no ]; then
        check "$app hardened: shells in the distroless image" "$shells" "0"
      else
        [ "$shells" -gt 0 ] && pass "$app hardened: shell kept for the start script" || fail "$app hardened: the start script lost its shell"
      fi
    fi
  done
}

rm -rf "$WORK"; mkdir -p "$WORK"
# A single-stage Go build: restructured onto distroless/static.
mkdir -p "$WORK/src-go-web" && cp "$ROOT/examples/go-web/Dockerfile" "$WORK/src-go-web/"
test_app go-web "$WORK/src-go-web" no
grep -q "^FROM gcr.io/distroless/static-debian13:nonroot@sha256:" "$WORK/go-web/Dockerfile.hardened" \
  && pass "go-web: final stage moved to distroless" || fail "go-web: final stage not distroless"
# One app per ecosystem, each built and run in its official image, each moved onto its
# distroless image (no shell, uid 65532): Rust on cc, Node.js, Python (system site-packages and
# a venv) and Java.
for pair in rust-cc:cc-debian13 node:nodejs24-debian13 python-site:python3-debian13 python-venv:python3-debian13 python-multistage:python3-debian13 java:java21-debian13 java-cp:java21-debian13; do
  app=${pair%%:*} final=${pair#*:}
  mkdir -p "$WORK/src-$app" && cp -r "$ROOT/tests/images/$app"/. "$WORK/src-$app/"
  case $app in
    python-*) python3 "$ROOT/tests/images/wheel/make_wheel.py" "$WORK/src-$app" ;;
    java-cp) cp "$ROOT/tests/images/java/Main.java" "$WORK/src-$app/" ;;  # the same server
  esac
  test_app "$app" "$WORK/src-$app" no own
  grep -q "^FROM gcr.io/distroless/$final:nonroot@sha256:" "$WORK/$app/Dockerfile.hardened" \
    && pass "$app: final stage moved to distroless/$final" || fail "$app: final stage not distroless/$final"
done

# A shell-script entrypoint on Debian: hardened in place.
test_app in-place "$ROOT/tests/images/in-place" yes
grep -q "^FROM debian:trixie-slim@sha256:" "$WORK/in-place/Dockerfile.hardened" \
  && pass "in-place: Debian base kept (the entrypoint is a shell script)" || fail "in-place: base not kept"

# ------------------------------------------------------------ images that must start as root
# The start needs root (an entrypoint that steps down with gosu; nginx's master): dfharden must
# leave the user alone and say why, and the rewrite must build and serve as the original does,
# with the serving process (the app after gosu, nginx's worker) running as a non-root uid.
worker_ids() { # image kind(go|nginx) port -> "uid|body"
  local name=dfharden-test-root-$3 pid="" body="" i
  podman run -d --name "$name" --network host -e "ADDR=127.0.0.1:$3" "$1" >/dev/null || { echo "run-failed|"; return; }
  for i in $(seq 1 100); do body=$(curl -fsS "http://127.0.0.1:$3/" 2>/dev/null) && break; sleep 0.2; done
  if [ "$2" = nginx ]; then
    pid=$(pgrep -f 'nginx: worker process' | head -1)
  else
    pid=$(ss -ltnpH "sport = :$3" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  fi
  echo "$(awk '/^Uid:/{print $2}' "/proc/$pid/status" 2>/dev/null)|$body"
  podman logs "$name" >"$IMAGES_HOME/logs/run-$name.log" 2>&1
  podman rm -f -t 0 "$name" >/dev/null
}
test_starts_as_root() { # app source kind(go|nginx) port want-uid
  local app=$1 source=$2 kind=$3 port=$4 want=$5 result original="" variant tag
  mkdir -p "$WORK/$app"
  cp "$ROOT"/examples/go-web/{main.go,go.mod} "$WORK/$app/"
  cp -r "$source"/. "$WORK/$app/"
  printf '*\n!go.mod\n!*.go\n!docker-entrypoint.sh\n!index.html\n!*.conf\n' >"$WORK/$app/.dockerignore"
  lock_file >"$WORK/$app/dfharden.lock"
  (cd "$WORK/$app" && "$DFHARDEN" fix --explain Dockerfile >Dockerfile.hardened 2>explain.txt) || fail "$app: dfharden fix"
  echo "---- $app: rewritten Dockerfile"; cat "$WORK/$app/Dockerfile.hardened"; echo "----"
  grep -qi '^USER' "$WORK/$app/Dockerfile.hardened" && fail "$app: a USER was added" || pass "$app: no USER added (the start needs root)"
  grep -q 'DH101 .*no USER is added, because' "$WORK/$app/explain.txt" && pass "$app: the explanation says why no USER was added" \
    || { fail "$app: no reason given for keeping root"; cat "$WORK/$app/explain.txt"; }
  for variant in original:Dockerfile hardened:Dockerfile.hardened; do
    tag=$app-${variant%%:*}
    if build "$app" "${variant#*:}" "$tag"; then pass "$app: buildah build ${variant%%:*} (--network none)"; else fail "$app: buildah build ${variant%%:*}"; tail -15 "$IMAGES_HOME/logs/build-$tag.log"; continue; fi
    result=$(worker_ids "localhost/dfharden-test:$tag" "$kind" "$port")
    echo "---- $tag: serving uid|body = $result"
    check "$app ${variant%%:*}: serving process uid" "${result%%|*}" "$want"
    if [ -z "$original" ]; then original=${result#*|}; [ -n "$original" ] && pass "$app original: serves" || fail "$app original: no answer"
    else check "$app hardened: same answer as the original" "${result#*|}" "$original"; fi
  done
}
test_starts_as_root step-down "$ROOT/tests/images/step-down" go 18400 10001
test_starts_as_root nginx-port80 "$ROOT/tests/images/nginx-port80" nginx 80 101

# ------------------------------------------------------------ nginx moved to nginx-unprivileged
# No USER line can make the official nginx image run without root; the rewrite moves it to the
# unprivileged image (port 8080). Both must serve the same page; in the rewrite every nginx
# process, the master included, runs as uid 101.
nginx_uids() { # image port -> "master-uid worker-uid|body"
  local name=dfharden-test-nginx-$2 body="" i master worker
  podman run -d --name "$name" --network host "$1" >/dev/null || { echo "run-failed|"; return; }
  for i in $(seq 1 100); do body=$(curl -fsS "http://127.0.0.1:$2/" 2>/dev/null) && break; sleep 0.2; done
  master=$(pgrep -f 'nginx: master process' | head -1); worker=$(pgrep -f 'nginx: worker process' | head -1)
  echo "$(awk '/^Uid:/{print $2}' "/proc/$master/status" 2>/dev/null) $(awk '/^Uid:/{print $2}' "/proc/$worker/status" 2>/dev/null)|$body"
  podman logs "$name" >"$IMAGES_HOME/logs/run-$name.log" 2>&1
  podman rm -f -t 0 "$name" >/dev/null
}
app=nginx-site
mkdir -p "$WORK/$app" && cp -r "$ROOT/tests/images/$app"/. "$WORK/$app/" && lock_file >"$WORK/$app/dfharden.lock"
(cd "$WORK/$app" && "$DFHARDEN" fix --explain Dockerfile >Dockerfile.hardened 2>explain.txt) || fail "$app: dfharden fix"
echo "---- $app: rewritten Dockerfile"; cat "$WORK/$app/Dockerfile.hardened"; echo "----"
grep -q '^FROM nginxinc/nginx-unprivileged:1.30@sha256:' "$WORK/$app/Dockerfile.hardened" \
  && pass "$app: moved to nginxinc/nginx-unprivileged, pinned" || fail "$app: not moved to the unprivileged image"
grep -q '^EXPOSE 8080' "$WORK/$app/Dockerfile.hardened" && pass "$app: EXPOSE 80 became 8080" || fail "$app: EXPOSE not moved to 8080"
grep -qi '^USER' "$WORK/$app/Dockerfile.hardened" && fail "$app: a USER line was added" || pass "$app: no USER line (the image has USER 101)"
grep -q 'publish port 8080' "$WORK/$app/explain.txt" && pass "$app: the explanation tells to publish 8080" || { fail "$app: the port change is not explained"; cat "$WORK/$app/explain.txt"; }
original=""
for variant in original:Dockerfile:80:"0 101" hardened:Dockerfile.hardened:8080:"101 101"; do
  IFS=: read -r kind file p want <<<"$variant"
  if build "$app" "$file" "$app-$kind"; then pass "$app: buildah build $kind (--network none)"; else fail "$app: buildah build $kind"; tail -15 "$IMAGES_HOME/logs/build-$app-$kind.log"; continue; fi
  result=$(nginx_uids "localhost/dfharden-test:$app-$kind" "$p")
  echo "---- $app $kind on port $p: master worker uid|body = $result"
  check "$app $kind: master and worker uids" "${result%%|*}" "$want"
  if [ "$kind" = original ]; then original=${result#*|}; [ -n "$original" ] && pass "$app original: serves" || fail "$app original: no answer"
  else check "$app hardened: same answer as the original" "${result#*|}" "$original"; fi
done

# ------------------------------------------------------------ dfharden's own image
# The repository's Dockerfile, pinned from the lock file, must pass `dfharden check` with no
# finding; it builds offline (crates vendored into the context, as `cargo vendor` does) and the
# image runs dfharden as uid 65532 with no shell or setuid file, checking and fixing a mounted
# Dockerfile.
app=self
rm -rf "$WORK/$app"; mkdir -p "$WORK/$app"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$WORK/$app/" 2>/dev/null)
lock_file >"$WORK/$app/dfharden.lock"
(cd "$WORK/$app" && "$DFHARDEN" fix --write Dockerfile >/dev/null 2>&1)
grep -q '^FROM rust:1-trixie@sha256:' "$WORK/$app/Dockerfile" && grep -q '^FROM gcr.io/distroless/cc-debian13:nonroot@sha256:' "$WORK/$app/Dockerfile" \
  && pass "$app: both base images pinned from the lock file" || { fail "$app: not pinned"; cat "$WORK/$app/Dockerfile"; }
(cd "$WORK/$app" && "$DFHARDEN" check --select ALL Dockerfile >"$WORK/$app.check" 2>&1)
check "$app: dfharden check --select ALL of dfharden's own Dockerfile, pinned: exit" $? 0
[ -s "$WORK/$app.check" ] && sed 's/^/      /' "$WORK/$app.check"
mkdir -p "$WORK/$app/.cargo"
# Run in the copy, so that the printed source replacement names `vendor` relative to it.
if (cd "$WORK/$app" && cargo vendor --locked vendor >.cargo/config.toml 2>"$IMAGES_HOME/logs/vendor.log"); then
  grep -q 'replace-with = "vendored-sources"' "$WORK/$app/.cargo/config.toml" \
    && pass "$app: crates vendored into the context for a build without network" \
    || { fail "$app: cargo vendor printed no source replacement"; cat "$WORK/$app/.cargo/config.toml"; }
else
  fail "$app: cargo vendor"; tail -5 "$IMAGES_HOME/logs/vendor.log"
fi
if build "$app" Dockerfile "$app"; then pass "$app: buildah build of dfharden's own Dockerfile (--network none)"; else fail "$app: buildah build"; tail -20 "$IMAGES_HOME/logs/build-$app.log"; fi
image=localhost/dfharden-test:$app
if podman image exists "$image"; then
  check "$app: the image's user" "$(podman image inspect -f '{{.Config.User}}' "$image")" "65532:65532"
  listing=$(files_of "$image")
  check "$app: shells in the image" "$(printf '%s\n' "$listing" | grep -c '^shell ')" 0
  check "$app: setuid/setgid files in the image" "$(printf '%s\n' "$listing" | grep -c '^setuid ')" 0
  check "$app: dfharden --version in the image" "$(podman run --rm --network none "$image" --version 2>&1)" "dfharden 0.1.0"
  mkdir -p "$WORK/$app-mount" && printf 'FROM ubuntu:latest\nRUN apt-get update && apt-get install -y curl\nCMD ["curl", "--version"]\n' >"$WORK/$app-mount/Dockerfile"
  podman run --rm --network none -v "$WORK/$app-mount:/work:ro" "$image" check --color=never Dockerfile >"$WORK/$app.run" 2>&1
  check "$app: dfharden check of a mounted Dockerfile with findings: exit" $? 1
  grep -q 'Dockerfile:1:1: DH101' "$WORK/$app.run" && pass "$app: the findings are printed" || { fail "$app: no DH101 in the output"; cat "$WORK/$app.run"; }
  podman run --rm --network none -v "$WORK/$app-mount:/work:ro" "$image" fix Dockerfile >"$WORK/$app.fixed" 2>&1
  grep -q '^USER ' "$WORK/$app.fixed" && pass "$app: dfharden fix of the mounted Dockerfile adds a USER" || { fail "$app: fix output"; cat "$WORK/$app.fixed"; }
else
  fail "$app: no image to run"
fi
finish
