#!/usr/bin/env bash
# Stand-in base images for the image tests, built offline from the Debian mirror apt uses, and
# a Distribution registry on 127.0.0.1 that serves them under their usual names
# (docker.io/library/golang:1.26, gcr.io/distroless/static-debian13:nonroot...).
#
# Everything lives under $IMAGES_HOME (default: target/images). Idempotent: finished steps are
# skipped. Sourced by run.sh; can also be run alone to prepare a machine.
set -euo pipefail

IMAGES_HOME=${IMAGES_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/images}
REGISTRY_PORT=${REGISTRY_PORT:-5055}
REGISTRY=127.0.0.1:$REGISTRY_PORT
mkdir -p "$IMAGES_HOME"/{conf,storage,run,tmp,rootfs,registry,logs}

say() { printf '==> %s\n' "$*" >&2; }

# ---------------------------------------------------------------- configuration
mirror() {
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -vi security | head -1 || true)
  [ -n "$uri" ] || uri=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | sed 's/\[[^]]*\]//' | awk '{print $2}' | grep -vi security | head -1 || true)
  [ -n "$uri" ] || { echo "no Debian mirror in the apt sources" >&2; return 1; }
  echo "$uri"
}

write_config() {
  # overlay if the kernel lets us mount it, vfs otherwise.
  if [ ! -f "$IMAGES_HOME/conf/storage.conf" ]; then
    local driver=vfs probe="$IMAGES_HOME/tmp/probe"
    rm -rf "$probe"; mkdir -p "$probe"
    printf '[storage]\ndriver = "overlay"\ngraphroot = "%s/g"\nrunroot = "%s/r"\n' "$probe" "$probe" >"$probe/storage.conf"
    if CONTAINERS_STORAGE_CONF=$probe/storage.conf sh -c 'c=$(buildah from scratch) && buildah mount "$c" >/dev/null && buildah umount "$c" >/dev/null && buildah rm "$c" >/dev/null' 2>/dev/null; then
      driver=overlay
    fi
    grep -o " $probe[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount 2>/dev/null || true
    rm -rf "$probe"
    printf '[storage]\ndriver = "%s"\ngraphroot = "%s/storage"\nrunroot = "%s/run/storage"\n' "$driver" "$IMAGES_HOME" "$IMAGES_HOME" >"$IMAGES_HOME/conf/storage.conf"
    [ "$driver" = overlay ] && printf '[storage.options.overlay]\nmountopt = "nodev"\n' >>"$IMAGES_HOME/conf/storage.conf"
  fi
  # Usual names resolve to the local registry, so Dockerfiles keep their real image names.
  cat >"$IMAGES_HOME/conf/registries.conf" <<EOF
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"
[[registry]]
location = "$REGISTRY"
insecure = true
[[registry]]
prefix = "docker.io"
location = "$REGISTRY"
insecure = true
[[registry]]
prefix = "gcr.io"
location = "$REGISTRY"
insecure = true
EOF
  cat >"$IMAGES_HOME/conf/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $IMAGES_HOME/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
  if [ ! -f "$IMAGES_HOME/conf/containers.conf" ]; then
    # podman cannot raise its limits here (no CAP_SYS_RESOURCE): ask for what we have.
    local nofile nproc
    nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
    [ "$nofile" = unlimited ] && nofile=1048576
    { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
    cat >"$IMAGES_HOME/conf/containers.conf" <<EOF
[containers]
netns = "none"
cgroups = "enabled"
log_driver = "k8s-file"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$IMAGES_HOME/run/events.log"
runtime = "runc"
tmp_dir = "$IMAGES_HOME/run/libpod"
EOF
  fi
  export CONTAINERS_STORAGE_CONF=$IMAGES_HOME/conf/storage.conf
  export CONTAINERS_REGISTRIES_CONF=$IMAGES_HOME/conf/registries.conf
  export CONTAINERS_CONF=$IMAGES_HOME/conf/containers.conf
  export TMPDIR=$IMAGES_HOME/tmp
}

# ---------------------------------------------------------------- registry
registry_up() { curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1; }

start_registry() {
  registry_up && return 0
  nohup docker-registry serve "$IMAGES_HOME/conf/registry.yml" >"$IMAGES_HOME/logs/registry.log" 2>&1 &
  echo $! >"$IMAGES_HOME/run/registry.pid"
  for _ in $(seq 100); do registry_up && return 0; sleep 0.1; done
  echo "the registry did not start on $REGISTRY:" >&2; cat "$IMAGES_HOME/logs/registry.log" >&2; return 1
}

stop_registry() {
  local pid
  pid=$(cat "$IMAGES_HOME/run/registry.pid" 2>/dev/null) || return 0
  # Only our own registry: check its command line before killing.
  if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "docker-registry serve $IMAGES_HOME/conf/registry.yml"; then
    kill "$pid" 2>/dev/null || true
  fi
}

ACCEPT='application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
in_registry() { curl -fs -o /dev/null -I -H "Accept: $ACCEPT" "http://$REGISTRY/v2/$1/manifests/$2"; }
digest_of() {
  curl -fsSI -H "Accept: $ACCEPT" "http://$REGISTRY/v2/$1/manifests/$2" | tr -d '\r' \
    | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}'
}

# ---------------------------------------------------------------- images
ROOTFS=$IMAGES_HOME/rootfs/trixie

debian_rootfs() {
  [ -x "$ROOTFS/bin/sh" ] && return 0
  say "debootstrap trixie (minbase) from $(mirror)"
  rm -rf "$ROOTFS"
  debootstrap --variant=minbase trixie "$ROOTFS" "$(mirror)" >"$IMAGES_HOME/logs/debootstrap.log" 2>&1 \
    || { tail -20 "$IMAGES_HOME/logs/debootstrap.log" >&2; return 1; }
  chroot "$ROOTFS" apt-get clean
  rm -rf "$ROOTFS"/var/lib/apt/lists/*
}

push() { buildah push -q --tls-verify=false "$1" "docker://$1" >/dev/null; }

debian_image() {
  in_registry library/debian trixie-slim && return 0
  say "image debian:trixie-slim"
  local c m
  c=$(buildah from scratch); m=$(buildah mount "$c")
  tar -C "$ROOTFS" -cf - . | tar -C "$m" -xpf - --numeric-owner
  buildah umount "$c" >/dev/null
  buildah config --os linux --arch amd64 --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd '["bash"]' "$c"
  buildah commit -q --rm "$c" "$REGISTRY/library/debian:trixie-slim" >/dev/null
  push "$REGISTRY/library/debian:trixie-slim"
}

golang_image() {
  in_registry library/golang 1.26 && return 0
  say "image golang:1.26 (a stand-in: Debian 13's golang-go, Go 1.24)"
  local c
  c=$(buildah from -q "$REGISTRY/library/debian:trixie-slim")
  # The only step with network access: apt from the Debian mirror, in the host's namespace.
  buildah run --isolation chroot --network host "$c" -- sh -c \
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go ca-certificates >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/* && mkdir -p /go/bin' \
    >"$IMAGES_HOME/logs/golang.log" 2>&1 || { tail -20 "$IMAGES_HOME/logs/golang.log" >&2; return 1; }
  buildah config --env GOPATH=/go --env PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --workingdir /go --cmd '["bash"]' "$c"
  buildah commit -q --rm "$c" "$REGISTRY/library/golang:1.26" >/dev/null
  push "$REGISTRY/library/golang:1.26"
}

# What every distroless stand-in has (as the real images do): /etc/passwd with root, nobody and
# nonroot (65532), the CA bundle, tzdata, /tmp, nonroot's home; no shell, no package manager.
distroless_files() { # mount
  local m=$1
  mkdir -p "$m"/etc/ssl/certs "$m"/home/nonroot "$m"/root "$m"/tmp "$m"/usr/share
  chmod 1777 "$m/tmp"; chmod 700 "$m/root" "$m/home/nonroot"; chown 65532:65532 "$m/home/nonroot"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$m/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$m/etc/group"
  [ -f "$ROOTFS/etc/ssl/certs/ca-certificates.crt" ] && cp "$ROOTFS/etc/ssl/certs/ca-certificates.crt" "$m/etc/ssl/certs/"
  [ -d "$ROOTFS/usr/share/zoneinfo" ] && cp -a "$ROOTFS/usr/share/zoneinfo" "$m/usr/share/"
  return 0
}

# glibc, libgcc and libstdc++ as distroless/cc has them: the files of Debian 13's packages, on a
# merged /usr (/lib and /lib64 are links, so a binary's /lib64/ld-linux-x86-64.so.2 resolves).
glibc_files() { # mount
  local m=$1 file
  mkdir -p "$m/usr/lib" "$m/usr/lib64" "$m/usr/bin" "$m/usr/sbin"
  for link in lib lib64 bin sbin; do [ -e "$m/$link" ] || ln -s "usr/$link" "$m/$link"; done
  for file in $(chroot "$ROOTFS" dpkg -L libc6 libgcc-s1 libstdc++6 | grep -E '^/usr/lib(64)?/'); do
    [ -d "$ROOTFS$file" ] && [ ! -L "$ROOTFS$file" ] && continue
    mkdir -p "$m$(dirname "$file")"; cp -a "$ROOTFS$file" "$m$file"
  done
}

# Copies files from a root file system (a builder stand-in) into a mount, with every shared
# library they load, as ldd inside that root resolves them.
copy_with_libraries() { # from-root to-mount path...
  local from=$1 to=$2 path lib
  shift 2
  for path in "$@"; do
    mkdir -p "$to$(dirname "$path")"; cp -a "$from$path" "$to$(dirname "$path")/"
    # No redirection inside the chroot: a mounted image has no /dev/null.
    for lib in $(chroot "$from" sh -c "find $path -type f \( -perm -u+x -o -name '*.so*' \) -exec ldd {} +" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p' | sort -u); do
      [ -e "$to$lib" ] && continue
      mkdir -p "$to$(dirname "$lib")"; cp -L "$from$lib" "$to$lib"
    done
  done
}

# Commits a distroless stand-in (user nonroot, workdir its home) and pushes it.
commit_distroless() { # container name entrypoint-json
  local c=$1 name=$2 entrypoint=$3
  buildah config --os linux --arch amd64 --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --user 65532:65532 --workingdir /home/nonroot "$c"
  [ -n "$entrypoint" ] && buildah config --entrypoint "$entrypoint" "$c"
  buildah commit -q --rm "$c" "$REGISTRY/distroless/$name:nonroot" >/dev/null
  push "$REGISTRY/distroless/$name:nonroot"
}

# A distroless-like static image: distroless_files and nothing else (no libc). Published as a
# two-platform index, like the real one.
distroless_static_image() {
  in_registry distroless/static-debian13 nonroot && return 0
  say "image distroless/static-debian13:nonroot (two-platform index)"
  local c m arch list
  c=$(buildah from scratch); m=$(buildah mount "$c")
  distroless_files "$m"
  buildah umount "$c" >/dev/null
  list=localhost/dfharden-static-index
  buildah manifest rm "$list" >/dev/null 2>&1 || true
  buildah manifest create "$list" >/dev/null
  for arch in amd64 arm64; do
    buildah config --os linux --arch "$arch" --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      --user 65532:65532 --workingdir /home/nonroot "$c"
    buildah commit -q "$c" "$REGISTRY/distroless/static-debian13:nonroot-$arch" >/dev/null
    buildah manifest add "$list" "containers-storage:$REGISTRY/distroless/static-debian13:nonroot-$arch" >/dev/null
  done
  buildah manifest push -q --all --tls-verify=false "$list" "docker://$REGISTRY/distroless/static-debian13:nonroot" >/dev/null
  buildah rm "$c" >/dev/null
}

# distroless/cc: static plus glibc, libgcc and libstdc++.
distroless_cc_image() {
  in_registry distroless/cc-debian13 nonroot && return 0
  say "image distroless/cc-debian13:nonroot"
  local c m
  c=$(buildah from scratch); m=$(buildah mount "$c")
  distroless_files "$m"; glibc_files "$m"
  buildah umount "$c" >/dev/null
  commit_distroless "$c" cc-debian13 ""
}

# A builder stand-in: Debian 13 with packages from the mirror (the only step with network
# access, apt in the host's namespace), committed under an official image's name.
builder_image() { # repository tag log script [buildah-config-args...]
  local repository=$1 tag=$2 log=$3 script=$4 c
  shift 4
  c=$(buildah from -q "$REGISTRY/library/debian:trixie-slim")
  buildah run --isolation chroot --network host "$c" -- sh -c "$script" >"$IMAGES_HOME/logs/$log.log" 2>&1 \
    || { tail -20 "$IMAGES_HOME/logs/$log.log" >&2; buildah rm "$c" >/dev/null; return 1; }
  buildah config "$@" "$c"
  buildah commit -q --rm "$c" "$REGISTRY/$repository:$tag" >/dev/null
  push "$REGISTRY/$repository:$tag"
}
APT_INSTALL='apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends'
APT_CLEAN='apt-get clean && rm -rf /var/lib/apt/lists/*'
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# A distroless runtime stand-in made from a builder stand-in's files: distroless/cc plus the
# runtime's paths and the libraries they load.
distroless_runtime_image() { # name builder-ref entrypoint-json path...
  local name=$1 builder=$2 entrypoint=$3 c b bm m
  shift 3
  in_registry "distroless/$name" nonroot && return 0
  say "image distroless/$name:nonroot (from the files of $builder)"
  b=$(buildah from -q "$REGISTRY/$builder"); bm=$(buildah mount "$b")
  c=$(buildah from scratch); m=$(buildah mount "$c")
  distroless_files "$m"; glibc_files "$m"
  copy_with_libraries "$bm" "$m" "$@"
  buildah umount "$b" >/dev/null; buildah rm "$b" >/dev/null
  RUNTIME_MOUNT=$m RUNTIME_HOOK=${RUNTIME_HOOK:-true} sh -c "$RUNTIME_HOOK"
  buildah umount "$c" >/dev/null
  commit_distroless "$c" "$name" "$entrypoint"
}

# Rust: Debian 13's rustc and cargo (1.85) under the official image's name, with its
# CARGO_HOME, so `cargo install` puts binaries in /usr/local/cargo/bin as the real one does.
rust_image() {
  in_registry library/rust 1.91 && return 0
  say "image rust:1.91 (a stand-in: Debian 13's rustc and cargo)"
  builder_image library/rust 1.91 rust "$APT_INSTALL rustc cargo gcc libc6-dev >/dev/null && $APT_CLEAN && mkdir -p /usr/local/cargo/bin" \
    --env CARGO_HOME=/usr/local/cargo --env PATH=/usr/local/cargo/bin:$DEFAULT_PATH --cmd '["bash"]'
}

# Rust, current: this machine's own toolchain (Debian 13's rustc is too old for dfharden, which
# needs 1.88) on Debian 13, laid out as the official `rust:1-trixie` is (the toolchain under
# RUSTUP_HOME, cargo and rustc in /usr/local/cargo/bin, gcc to link). Only the host target's
# files are copied. Used to build dfharden's own image.
rust_current_image() {
  in_registry library/rust 1-trixie && return 0
  local sysroot c m
  sysroot=$(rustc --print sysroot)
  say "image rust:1-trixie (a stand-in: this machine's $(rustc --version | cut -d' ' -f1-2) on Debian 13)"
  c=$(buildah from -q "$REGISTRY/library/debian:trixie-slim")
  buildah run --isolation chroot --network host "$c" -- sh -c "$APT_INSTALL gcc libc6-dev ca-certificates >/dev/null && $APT_CLEAN" \
    >"$IMAGES_HOME/logs/rust-current.log" 2>&1 || { tail -20 "$IMAGES_HOME/logs/rust-current.log" >&2; buildah rm "$c" >/dev/null; return 1; }
  m=$(buildah mount "$c")
  local toolchain=$m/usr/local/rustup/toolchains/stable-x86_64-unknown-linux-gnu
  mkdir -p "$toolchain/bin" "$toolchain/lib/rustlib" "$m/usr/local/cargo/bin"
  cp -a "$sysroot"/bin/{cargo,rustc,rustdoc} "$toolchain/bin/"
  cp -a "$sysroot"/lib/*.so* "$toolchain/lib/"
  cp -a "$sysroot/lib/rustlib/x86_64-unknown-linux-gnu" "$sysroot/lib/rustlib/etc" "$toolchain/lib/rustlib/" 2>/dev/null \
    || cp -a "$sysroot/lib/rustlib/x86_64-unknown-linux-gnu" "$toolchain/lib/rustlib/"
  [ -d "$sysroot/libexec" ] && cp -a "$sysroot/libexec" "$toolchain/"
  for tool in cargo rustc rustdoc; do ln -sf "/usr/local/rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/$tool" "$m/usr/local/cargo/bin/$tool"; done
  buildah umount "$c" >/dev/null
  buildah config --env RUSTUP_HOME=/usr/local/rustup --env CARGO_HOME=/usr/local/cargo \
    --env PATH=/usr/local/cargo/bin:$DEFAULT_PATH --cmd '["bash"]' "$c"
  buildah commit -q --rm "$c" "$REGISTRY/library/rust:1-trixie" >/dev/null
  push "$REGISTRY/library/rust:1-trixie"
}

# Node.js: Debian 13's nodejs (20) and npm under node:24's name, with its `node` user (1000).
node_image() {
  in_registry library/node 24 && return 0
  say "image node:24 (a stand-in: Debian 13's nodejs and npm)"
  builder_image library/node 24 node "$APT_INSTALL nodejs npm >/dev/null && $APT_CLEAN && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node" \
    --cmd '["node"]'
}

# distroless/nodejs24: node at /nodejs/bin/node, its entrypoint (Debian's node also loads some
# of its built-in modules from /usr/share/nodejs).
distroless_nodejs_image() {
  RUNTIME_HOOK='mkdir -p "$RUNTIME_MOUNT/nodejs/bin" && ln -sf /usr/bin/node "$RUNTIME_MOUNT/nodejs/bin/node"' \
    distroless_runtime_image nodejs24-debian13 library/node:24 '["/nodejs/bin/node"]' /usr/bin/node /usr/share/nodejs
}

# Python: Debian 13's python3.13 laid out like python:3.13-slim-trixie: the interpreter also at
# /usr/local/bin/python3, pip allowed to install into the system (no EXTERNALLY-MANAGED) and its
# packages in /usr/local/lib/python3.13/site-packages (Debian's dist-packages is a link there).
python_image() {
  in_registry library/python 3.13-slim-trixie && in_registry library/python 3.13-slim && return 0
  say "image python:3.13-slim-trixie and python:3.13-slim (a stand-in: Debian 13's python3.13)"
  builder_image library/python 3.13-slim-trixie python "$APT_INSTALL python3 python3-pip python3-venv >/dev/null && $APT_CLEAN &&
      rm -f /usr/lib/python3*/EXTERNALLY-MANAGED && mkdir -p /usr/local/lib/python3.13/site-packages &&
      rm -rf /usr/local/lib/python3.13/dist-packages && ln -s site-packages /usr/local/lib/python3.13/dist-packages &&
      ln -s /usr/bin/python3.13 /usr/local/bin/python3 && ln -s /usr/bin/python3.13 /usr/local/bin/python &&
      ln -s /usr/bin/pip3 /usr/local/bin/pip" \
    --cmd '["python3"]'
  buildah tag "$REGISTRY/library/python:3.13-slim-trixie" "$REGISTRY/library/python:3.13-slim"
  push "$REGISTRY/library/python:3.13-slim"
}

# distroless/python3: /usr/bin/python3.13 (its entrypoint) and the standard library, no pip.
distroless_python_image() {
  RUNTIME_HOOK='rm -rf "$RUNTIME_MOUNT/usr/lib/python3.13/ensurepip" "$RUNTIME_MOUNT/usr/lib/python3.13/venv"' \
    distroless_runtime_image python3-debian13 library/python:3.13-slim-trixie '["/usr/bin/python3.13"]' /usr/bin/python3.13 /usr/lib/python3.13
}

# Java: Debian 13's OpenJDK 21 under eclipse-temurin:21-jdk's name.
java_image() {
  in_registry library/eclipse-temurin 21-jdk && return 0
  say "image eclipse-temurin:21-jdk (a stand-in: Debian 13's openjdk-21-jdk-headless)"
  builder_image library/eclipse-temurin 21-jdk java "$APT_INSTALL openjdk-21-jdk-headless >/dev/null && $APT_CLEAN" \
    --env JAVA_HOME=/usr/lib/jvm/java-21-openjdk-amd64 --cmd '["jshell"]'
}

# distroless/java21: the JVM and `java -jar` as its entrypoint.
distroless_java_image() {
  RUNTIME_HOOK='ln -sf /usr/lib/jvm/java-21-openjdk-amd64/bin/java "$RUNTIME_MOUNT/usr/bin/java"' \
    distroless_runtime_image java21-debian13 library/eclipse-temurin:21-jdk '["/usr/bin/java", "-jar"]' /usr/lib/jvm/java-21-openjdk-amd64 /etc/java-21-openjdk
}

# gosu as the tianon/gosu image ships it (FROM scratch, the binary at /gosu), from Debian's
# gosu package: the step-down app copies it from there, as many real Dockerfiles do.
gosu_image() {
  in_registry tianon/gosu 1.17 && return 0
  say "image tianon/gosu:1.17 (Debian 13's gosu package)"
  local c m tmp
  tmp=$IMAGES_HOME/tmp/gosu; rm -rf "$tmp"; mkdir -p "$tmp"
  chroot "$ROOTFS" sh -c 'apt-get update -qq && cd /tmp && apt-get download -qq gosu' >"$IMAGES_HOME/logs/gosu.log" 2>&1 \
    || { tail -20 "$IMAGES_HOME/logs/gosu.log" >&2; return 1; }
  dpkg-deb -x "$ROOTFS"/tmp/gosu_*.deb "$tmp"
  rm -f "$ROOTFS"/tmp/gosu_*.deb; rm -rf "$ROOTFS"/var/lib/apt/lists/*
  c=$(buildah from scratch); m=$(buildah mount "$c")
  install -m 0755 "$tmp/usr/sbin/gosu" "$m/gosu"
  buildah umount "$c" >/dev/null
  buildah config --os linux --arch amd64 --entrypoint '["/gosu"]' "$c"
  buildah commit -q --rm "$c" "$REGISTRY/tianon/gosu:1.17" >/dev/null
  push "$REGISTRY/tianon/gosu:1.17"
}

# The official nginx image, laid out as it is (https://github.com/nginx/docker-nginx): Debian's
# nginx, a `nginx` user 101:101, the master as root with `user nginx;` for the workers, the pid
# file in /run, temporary files in /var/cache/nginx, the site in /usr/share/nginx/html on port 80.
nginx_image() {
  in_registry library/nginx 1.30 && return 0
  say "image nginx:1.30 (a stand-in: Debian 13's nginx laid out like the official image)"
  local c
  c=$(buildah from -q "$REGISTRY/library/debian:trixie-slim")
  buildah run --isolation chroot --network host "$c" -- sh -c '
    groupadd --system --gid 101 nginx && useradd --system --gid nginx --no-create-home --home /nonexistent --shell /bin/false --uid 101 nginx &&
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null &&
    apt-get clean && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/sites-available &&
    mkdir -p /var/cache/nginx /usr/share/nginx/html /etc/nginx/conf.d &&
    printf "user  nginx;\nworker_processes  1;\npid        /run/nginx.pid;\nerror_log  /var/log/nginx/error.log notice;\nevents { worker_connections 64; }\nhttp {\n  include /etc/nginx/mime.types;\n  client_body_temp_path /var/cache/nginx/client_temp;\n  proxy_temp_path /var/cache/nginx/proxy_temp;\n  fastcgi_temp_path /var/cache/nginx/fastcgi_temp;\n  uwsgi_temp_path /var/cache/nginx/uwsgi_temp;\n  scgi_temp_path /var/cache/nginx/scgi_temp;\n  access_log off;\n  include /etc/nginx/conf.d/*.conf;\n}\n" >/etc/nginx/nginx.conf &&
    printf "server {\n    listen       80;\n    location / { root /usr/share/nginx/html; index index.html; }\n}\n" >/etc/nginx/conf.d/default.conf &&
    ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log &&
    echo "welcome" >/usr/share/nginx/html/index.html' \
    >"$IMAGES_HOME/logs/nginx.log" 2>&1 || { tail -20 "$IMAGES_HOME/logs/nginx.log" >&2; return 1; }
  buildah config --port 80 --stop-signal SIGQUIT --cmd '["nginx", "-g", "daemon off;"]' "$c"
  buildah commit -q --rm "$c" "$REGISTRY/library/nginx:1.30" >/dev/null
  push "$REGISTRY/library/nginx:1.30"
}

# nginxinc/nginx-unprivileged, made from the nginx stand-in with the changes its Dockerfile
# makes (https://github.com/nginx/docker-nginx-unprivileged, mainline/debian/Dockerfile): port
# 8080, no `user` directive, the pid file and temporary files in /tmp, /etc/nginx and
# /var/cache/nginx owned by uid 101, and USER 101.
nginx_unprivileged_image() {
  in_registry nginxinc/nginx-unprivileged 1.30 && return 0
  say "image nginxinc/nginx-unprivileged:1.30 (a stand-in: the nginx stand-in changed as the real one is)"
  local c
  c=$(buildah from -q "$REGISTRY/library/nginx:1.30")
  buildah run --isolation chroot "$c" -- sh -c '
    sed -i "s,listen       80;,listen       8080;," /etc/nginx/conf.d/default.conf &&
    sed -i "/user  nginx;/d" /etc/nginx/nginx.conf &&
    sed -i "s,/run/nginx.pid,/tmp/nginx.pid," /etc/nginx/nginx.conf &&
    sed -i "s,/var/cache/nginx/\([a-z_]*\)_temp,/tmp/\1_temp," /etc/nginx/nginx.conf &&
    chown -R 101:0 /var/cache/nginx /etc/nginx && chmod -R g+w /var/cache/nginx /etc/nginx' \
    >"$IMAGES_HOME/logs/nginx-unprivileged.log" 2>&1 || { tail -20 "$IMAGES_HOME/logs/nginx-unprivileged.log" >&2; return 1; }
  buildah config --port 8080 --user 101 "$c"
  buildah commit -q --rm "$c" "$REGISTRY/nginxinc/nginx-unprivileged:1.30" >/dev/null
  push "$REGISTRY/nginxinc/nginx-unprivileged:1.30"
}

prepare_base_images() {
  write_config
  start_registry
  debian_rootfs
  debian_image
  golang_image
  distroless_static_image
  distroless_cc_image
  gosu_image
  nginx_image
  nginx_unprivileged_image
  rust_image
  rust_current_image
  node_image
  distroless_nodejs_image
  python_image
  distroless_python_image
  java_image
  distroless_java_image
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  prepare_base_images
  for ref in "library/debian trixie-slim" "library/golang 1.26" "distroless/static-debian13 nonroot" "tianon/gosu 1.17" "library/nginx 1.30" "nginxinc/nginx-unprivileged 1.30" \
    "distroless/cc-debian13 nonroot" "library/rust 1.91" "library/rust 1-trixie" "library/node 24" "distroless/nodejs24-debian13 nonroot" \
    "library/python 3.13-slim-trixie" "library/python 3.13-slim" "distroless/python3-debian13 nonroot" \
    "library/eclipse-temurin 21-jdk" "distroless/java21-debian13 nonroot"; do
    set -- $ref; echo "$1:$2 $(digest_of "$1" "$2")"
  done
fi
