#!/usr/bin/env bash
# Builds the npm package `dfharden` into target/npm/package and packs it as
# target/npm/dfharden-VERSION.tgz: the dfharden-wasm crate for wasm32 in the size-first `web`
# profile, wasm-bindgen for Node.js (CommonJS) and for the web (an ES module with an init
# function), wasm-opt -Oz on each, and the manifest with the workspace's version.
# Needs what scripts/lib.sh installs: the wasm32 target, wasm-bindgen-cli, node_modules.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
OUT=$ROOT/target/npm
PACKAGE=$OUT/package

cd "$ROOT"
cargo build -p dfharden-wasm --target wasm32-unknown-unknown --profile web --locked --quiet
# Where cargo put it: the caller may have set CARGO_TARGET_DIR.
WASM=${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/web/dfharden_wasm.wasm
rm -rf "$PACKAGE" && mkdir -p "$PACKAGE"
for target in node web; do
  flavour=$target; [ "$target" = node ] && flavour=nodejs
  wasm-bindgen --target "$flavour" --out-name dfharden --out-dir "$PACKAGE/$target" "$WASM"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$PACKAGE/$target/dfharden_bg.wasm" -o "$PACKAGE/$target/dfharden_bg.wasm"
done
version=$(cargo metadata --format-version 1 --no-deps --locked \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).packages.find(p=>p.name==="dfharden-wasm").version))')
node -e 'const fs=require("fs");const m=JSON.parse(fs.readFileSync(process.argv[1]));m.version=process.argv[2];fs.writeFileSync(process.argv[3],JSON.stringify(m,null,2)+"\n")' \
  "$ROOT/integrations/npm/package.json" "$version" "$PACKAGE/package.json"
cp "$ROOT/integrations/npm/README.md" "$PACKAGE/README.md"
(cd "$OUT" && npm pack ./package --silent >/dev/null)
echo "$OUT/dfharden-$version.tgz"
