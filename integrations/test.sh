#!/usr/bin/env bash
# Integration tests: the pre-commit hooks (.pre-commit-hooks.yaml), the GitHub Action
# (action.yml and integrations/github-action/) and the crates' packaging.
#
# - pre-commit: the real pre-commit (from integrations/requirements.txt, in the venv that
#   scripts/lib.sh's ensure_integrations_venv makes) runs the published hooks of a snapshot of
#   this working tree, committed to a scratch repository (so uncommitted changes are tested
#   too), in a scratch user repository: a finding fails the check, a clean file passes, the
#   names matched are dfharden's, the fix hook rewrites in place, `git commit` is stopped.
# - Language server: `dfharden server` under pytest-lsp (integrations/lsp/test_server.py).
#   The first run of the hooks builds dfharden with `cargo install --locked --path cli` (a
#   release build, about 4 minutes on 2 busy cores): that build is also the test of the
#   documented install. It is kept in PRE_COMMIT_HOME (under target/) while the sources stay
#   the same.
# - GitHub Action: run.sh with the variables action.yml passes (INPUT_*, GITHUB_OUTPUT, ...)
#   against scratch Dockerfiles: SARIF written and valid, exit codes for fail true and false,
#   errors; install.sh's cache key and reuse; action.yml against the Action metadata schema.
# - Packages: `cargo package` of both crates (no build), and the packaged manifests; the npm
#   package (integrations/npm/build.sh) installed from its tarball into a scratch project, where
#   node's test runner holds it to the CLI (integrations/npm/test/api.test.mjs) and tsc checks
#   its TypeScript declarations (integrations/npm/test/types.ts).
#
# Prints one line per check and ends with "N passed, N failed"; exits 1 on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
VENV=${INTEGRATIONS_VENV:-$ROOT/target/integrations/venv}
DFHARDEN=${DFHARDEN:-$ROOT/target/debug/dfharden}
STATE=$ROOT/target/integrations
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PASSED=0; FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "PASS  $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL  $*"; }
check() { # name got want
  if [ "$2" = "$3" ]; then pass "$1 = $2"; else fail "$1 = '$2' (want '$3')"; fi
}
contains() { # name file text
  if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: no '$3' in:"; sed 's/^/      /' "$2" | head -40; fi
}
lacks() { # name file text
  if grep -qF -- "$3" "$2"; then fail "$1: '$3' in:"; sed 's/^/      /' "$2" | head -40; else pass "$1"; fi
}
finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ]
  exit $?
}

export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

[ -x "$VENV/bin/pre-commit" ] || { fail "$VENV has no pre-commit (scripts/lib.sh: ensure_integrations_venv)"; finish; }
if [ ! -x "$DFHARDEN" ]; then
  (cd "$ROOT" && cargo build -p dfharden --locked --quiet) || { fail "cargo build -p dfharden"; finish; }
fi

# Fixtures: a Dockerfile with findings, one without (a digest-pinned distroless Debian 13
# image, non-root; clean until Debian 13's end of life).
bad_dockerfile() {
  printf 'FROM ubuntu:latest\nRUN apt-get update && apt-get install -y curl\nCMD ["curl", "--version"]\n'
}
clean_dockerfile() {
  printf 'FROM gcr.io/distroless/static-debian13:nonroot@sha256:%s\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]\n' \
    "$(printf '0123456789abcdef%.0s' 1 2 3 4)"
}
bad_dockerfile >"$WORK/probe.Dockerfile"; clean_dockerfile >"$WORK/clean.Dockerfile"
"$DFHARDEN" check --quiet "$WORK/clean.Dockerfile" >"$WORK/probe.out" 2>&1
check "fixture: dfharden check on the clean Dockerfile exits" $? 0
"$DFHARDEN" check --quiet "$WORK/probe.Dockerfile" >"$WORK/probe.out" 2>&1
check "fixture: dfharden check on the bad Dockerfile exits" $? 1

# ------------------------------------------------------------------------------- scripts
"$VENV/bin/shellcheck" "$ROOT/integrations/test.sh" "$ROOT/integrations/pre-commit/hook.sh" \
  "$ROOT/integrations/github-action/run.sh" "$ROOT/integrations/github-action/install.sh" >"$WORK/shellcheck.out" 2>&1
check "shellcheck of the integration scripts exits" $? 0
[ "$FAILED" = 0 ] || sed 's/^/      /' "$WORK/shellcheck.out" | head -40

# ------------------------------------------------------------------------------- GitHub Action
"$VENV/bin/check-jsonschema" --builtin-schema vendor.github-actions "$ROOT/action.yml" >"$WORK/schema.out" 2>&1
check "action.yml against the GitHub Action metadata schema exits" $? 0
# Each input is passed to run.sh by action.yml, and each INPUT_* run.sh reads is declared.
"$VENV/bin/python" - "$ROOT/action.yml" "$ROOT/integrations/github-action/run.sh" >"$WORK/wiring.out" 2>&1 <<'PY'
import re, sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
script = open(sys.argv[2]).read()
steps = action["runs"]["steps"]
check = next(s for s in steps if s.get("id") == "check")
problems = []
for name in action["inputs"]:
    if name == "cache":
        continue
    var = "INPUT_" + name.upper().replace("-", "_")
    if check["env"].get(var) != "${{ inputs.%s }}" % name:
        problems.append(f"input {name} is not passed as {var}")
for var in sorted(set(re.findall(r"\bINPUT_[A-Z_]+", script))):
    name = var[len("INPUT_"):].lower().replace("_", "-")
    if name not in action["inputs"]:
        problems.append(f"run.sh reads {var}, but action.yml has no input {name}")
for out in action["outputs"].values():
    m = re.fullmatch(r"\$\{\{ steps\.check\.outputs\.([a-z-]+) \}\}", out["value"])
    if not m or f"output \"{m.group(1)}=" not in script:
        problems.append(f"output {out['value']} is not written by run.sh")
if action["inputs"]["paths"]["default"] != "." or action["inputs"]["fail"]["default"] != "true" \
        or action["inputs"]["sarif-file"]["default"] != "dfharden.sarif":
    problems.append("defaults: paths ., fail true, sarif-file dfharden.sarif")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
PY
check "action.yml passes every input to run.sh and takes every output from it (exit)" $? 0
[ -s "$WORK/wiring.out" ] && sed 's/^/      /' "$WORK/wiring.out"

# run.sh as the action runs it: in the workspace, inputs as INPUT_*, GITHUB_OUTPUT and
# GITHUB_STEP_SUMMARY files. Prints the exit code; stdout+stderr in $WORK/action.log.
ws=$WORK/workspace
mkdir -p "$ws/services/api" "$ws/with space" "$ws/clean"
bad_dockerfile >"$ws/Dockerfile"
bad_dockerfile >"$ws/services/api/api.Dockerfile"
bad_dockerfile >"$ws/with space/Dockerfile"
clean_dockerfile >"$ws/clean/Containerfile"
printf 'ignore = ["DH1"]\n' >"$ws/dfharden.ci.toml"
action() { # VAR=value...
  rm -f "$WORK/github_output" "$WORK/summary"
  (cd "$ws" && env -u INPUT_PATHS -u INPUT_CONFIG -u INPUT_SARIF_FILE -u INPUT_FAIL -u INPUT_ANNOTATIONS \
    DFHARDEN="$DFHARDEN" GITHUB_OUTPUT="$WORK/github_output" GITHUB_STEP_SUMMARY="$WORK/summary" "$@" \
    bash "$ROOT/integrations/github-action/run.sh" >"$WORK/action.log" 2>&1)
  echo $?
}
gh_output() { sed -n "s/^$1=//p" "$WORK/github_output" 2>/dev/null; }
sarif() { # python expression over the SARIF document d
  "$VENV/bin/python" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>&1
}
results='sum(len(r["results"]) for r in d["runs"])'

rm -f "$ws/dfharden.sarif"
check "action, defaults (paths ., fail true), findings: exit" "$(action)" 1
check "action: SARIF written to dfharden.sarif, version" "$(sarif "$ws/dfharden.sarif" 'd["version"]')" 2.1.0
n=$(sarif "$ws/dfharden.sarif" "$results")
if [ "$n" -gt 0 ] 2>/dev/null; then pass "action: SARIF has results ($n)"; else fail "action: SARIF results: $n"; fi
# SARIF locations are URIs: a space is percent-encoded (code scanning decodes it).
check "action: SARIF results from the files found under ." \
  "$(sarif "$ws/dfharden.sarif" 'sorted({l["physicalLocation"]["artifactLocation"]["uri"] for r in d["runs"] for x in r["results"] for l in x["locations"]})')" \
  "['Dockerfile', 'services/api/api.Dockerfile', 'with%20space/Dockerfile']"
check "action: SARIF has DH101 as an error" \
  "$(sarif "$ws/dfharden.sarif" '{x["level"] for r in d["runs"] for x in r["results"] if x["ruleId"] == "DH101"}')" "{'error'}"
check "action: output findings" "$(gh_output findings)" "$n"
check "action: output sarif-file" "$(gh_output sarif-file)" dfharden.sarif
check "action: output exit-code" "$(gh_output exit-code)" 1
contains "action: findings as annotations in the log" "$WORK/action.log" "::error file=Dockerfile,line=1,col=1"
contains "action: a failing step says why" "$WORK/action.log" "::error title=dfharden::$n finding(s)"
contains "action: step summary" "$WORK/summary" "dfharden: $n finding(s)"

rm -f "$ws/dfharden.sarif"
check "action, fail false, findings: exit" "$(action INPUT_FAIL=false)" 0
check "action, fail false: SARIF still has the results" "$(sarif "$ws/dfharden.sarif" "$results")" "$n"
check "action, fail false: output exit-code" "$(gh_output exit-code)" 1

check "action, paths clean/ (a clean Containerfile), fail true: exit" \
  "$(action INPUT_PATHS=clean INPUT_SARIF_FILE=reports/clean.sarif)" 0
check "action: SARIF in a new directory, no results" "$(sarif "$ws/reports/clean.sarif" "$results")" 0
check "action, clean: output findings" "$(gh_output findings)" 0

check "action, paths on two lines (one with a space), annotations false: exit" \
  "$(action INPUT_PATHS=$'  with space/Dockerfile\n\n  services/api\n' INPUT_ANNOTATIONS=false INPUT_SARIF_FILE=lines.sarif)" 1
check "action, two lines: files in the SARIF" \
  "$(sarif "$ws/lines.sarif" 'sorted({l["physicalLocation"]["artifactLocation"]["uri"] for r in d["runs"] for x in r["results"] for l in x["locations"]})')" \
  "['services/api/api.Dockerfile', 'with%20space/Dockerfile']"
contains "action, annotations false: text findings in the log" "$WORK/action.log" "services/api/api.Dockerfile:1:1: DH101 [error]"
lacks "action, annotations false: no annotations" "$WORK/action.log" "::error file="

check "action, paths on one line separated by spaces: exit" \
  "$(action "INPUT_PATHS=clean services/api" INPUT_SARIF_FILE=words.sarif)" 1
check "action, words: files in the SARIF" \
  "$(sarif "$ws/words.sarif" 'sorted({l["physicalLocation"]["artifactLocation"]["uri"] for r in d["runs"] for x in r["results"] for l in x["locations"]})')" \
  "['services/api/api.Dockerfile']"

check "action, config ignoring DH1: exit" "$(action INPUT_CONFIG=dfharden.ci.toml INPUT_SARIF_FILE=config.sarif)" 1
check "action, config: no DH1xx result" \
  "$(sarif "$ws/config.sarif" 'sorted({x["ruleId"] for r in d["runs"] for x in r["results"] if x["ruleId"].startswith("DH1")})')" "[]"

check "action, a path that does not exist, fail false: exit (errors still fail)" \
  "$(action INPUT_PATHS=missing INPUT_FAIL=false)" 2
contains "action, missing path: the error in the log" "$WORK/action.log" "missing: no such file or directory"
check "action, missing path: output exit-code" "$(gh_output exit-code)" 2
check "action, a config that does not exist: exit" "$(action INPUT_CONFIG=nope.toml)" 2
check "action, fail neither true nor false: exit" "$(action INPUT_FAIL=maybe)" 2
contains "action, bad fail: says so" "$WORK/action.log" "input fail must be true or false"
check "action, fail FALSE (any case): exit" "$(action INPUT_FAIL=FALSE)" 0

# install.sh: the cache key depends on the sources' contents only; an installed binary built
# from the same sources is reused (the cargo install itself is the one the pre-commit test runs).
key=$(DFHARDEN_INSTALL_BASE=$WORK/tools bash "$ROOT/integrations/github-action/install.sh" key | sed -n 's/^key=//p')
dir=$(DFHARDEN_INSTALL_BASE=$WORK/tools bash "$ROOT/integrations/github-action/install.sh" key | sed -n 's/^dir=//p')
if [[ $key =~ ^[0-9a-f]{20}$ ]]; then pass "install.sh key: $key"; else fail "install.sh key: '$key'"; fi
check "install.sh key: dir" "$dir" "$WORK/tools/$key"
mkdir -p "$dir/bin" && cp "$DFHARDEN" "$dir/bin/dfharden"
rm -f "$WORK/github_output" "$WORK/github_path"
(GITHUB_OUTPUT=$WORK/github_output GITHUB_PATH=$WORK/github_path DFHARDEN_INSTALL_BASE=$WORK/tools \
  bash "$ROOT/integrations/github-action/install.sh" install >"$WORK/install.log" 2>&1)
check "install.sh install, binary present: exit" $? 0
contains "install.sh install: reuses the binary" "$WORK/install.log" "using $dir/bin/dfharden"
check "install.sh install: output path" "$(gh_output path)" "$dir/bin/dfharden"
check "install.sh install: GITHUB_PATH" "$(cat "$WORK/github_path")" "$dir/bin"

# ------------------------------------------------------------------------------- pre-commit
"$VENV/bin/pre-commit" validate-manifest "$ROOT/.pre-commit-hooks.yaml" >"$WORK/manifest.out" 2>&1
check "pre-commit validate-manifest .pre-commit-hooks.yaml exits" $? 0
if (cd "$ROOT" && git ls-files --error-unmatch integrations/pre-commit/hook.sh >/dev/null 2>&1); then
  check "hook.sh is committed executable (mode)" "$(cd "$ROOT" && git ls-files -s integrations/pre-commit/hook.sh | cut -d' ' -f1)" 100755
else
  if [ -x "$ROOT/integrations/pre-commit/hook.sh" ]; then pass "hook.sh is executable (not committed yet)"; else fail "hook.sh is not executable"; fi
fi

# The hook repository: this working tree (tracked and new files, as `git add -A` would take
# them), committed with fixed dates so that the same sources give the same revision, and
# pre-commit's cache (PRE_COMMIT_HOME) keeps the checkout and the binary built in it.
hooks=$STATE/hook-repo
rm -rf "$hooks" && mkdir -p "$hooks"
(cd "$ROOT" && git ls-files -z -co --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$hooks"
(cd "$hooks" && git init -q -b main && git add -A &&
  GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -q -m snapshot) ||
  { fail "snapshot of the working tree as a hook repository"; finish; }
rev=$(git -C "$hooks" rev-parse HEAD)
pass "hook repository: a snapshot of the working tree at $rev"
check "install.sh key of the snapshot = of the working tree" \
  "$(bash "$hooks/integrations/github-action/install.sh" key | sed -n 's/^key=//p')" "$key"

export PRE_COMMIT_HOME=$STATE/pre-commit-home
# cargo install keeps its build here instead of a temporary directory: a new revision then
# rebuilds only dfharden's own crates (this is a cache; what is built is the same).
export CARGO_TARGET_DIR=$STATE/cargo-target
user=$STATE/user-repo
rm -rf "$user" && mkdir -p "$user/svc"
cd "$user" || { fail "cd $user"; finish; }
git init -q -b main
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: dfharden-check
      - id: dfharden-fix
        stages: [manual]
EOF
bad_dockerfile >Dockerfile
clean_dockerfile >Containerfile
bad_dockerfile >svc/api.Dockerfile
bad_dockerfile >svc/Dockerfile.dev
bad_dockerfile >svc/dockerfile
bad_dockerfile >Dockerfile.md
bad_dockerfile >svc/Dockerfile.template
bad_dockerfile >docker-compose.yml
bad_dockerfile >README.txt
git add -A
precommit() { # args... ; prints the exit code, output in $WORK/pc.log
  "$VENV/bin/pre-commit" "$@" --color never >"$WORK/pc.log" 2>&1
  echo $?
}

start=$(date +%s)
check "pre-commit run dfharden-check --files Dockerfile (findings): exit" "$(precommit run dfharden-check --files Dockerfile)" 1
echo "      (the first run builds the hook's dfharden if needed: $(($(date +%s) - start)) s)"
contains "pre-commit check: dfharden's findings in the output" "$WORK/pc.log" "Dockerfile:1:1: DH101 [error]"
contains "pre-commit check: exit code shown" "$WORK/pc.log" "exit code: 1"
if grep -q "error: \|cargo install" "$WORK/pc.log" && ! grep -q "DH101" "$WORK/pc.log"; then sed 's/^/      /' "$WORK/pc.log" | head -40; fi
bin=$(find "$PRE_COMMIT_HOME" -path '*/target/pre-commit/bin/dfharden' -newer "$hooks/.git/HEAD" 2>/dev/null | head -1)
[ -n "$bin" ] || bin=$(find "$PRE_COMMIT_HOME" -path '*/target/pre-commit/bin/dfharden' 2>/dev/null | head -1)
if [ -n "$bin" ] && "$bin" --version >/dev/null 2>&1; then
  pass "cargo install --locked --path cli (by the hook): $("$bin" --version)"
else
  fail "the hook's cargo install --locked --path cli left no dfharden binary"
fi

check "pre-commit run dfharden-check --files Containerfile (clean): exit" "$(precommit run dfharden-check --files Containerfile)" 0
contains "pre-commit check, clean: Passed" "$WORK/pc.log" "Passed"

check "pre-commit run dfharden-check --all-files: exit" "$(precommit run dfharden-check --all-files)" 1
for f in Dockerfile svc/api.Dockerfile svc/Dockerfile.dev svc/dockerfile; do
  contains "pre-commit --all-files checks $f" "$WORK/pc.log" "$f:1:1: DH101"
done
for f in Containerfile Dockerfile.md svc/Dockerfile.template docker-compose.yml README.txt; do
  lacks "pre-commit --all-files: no finding in $f" "$WORK/pc.log" "$f:"
done

cp Dockerfile "$WORK/Dockerfile.before"
check "pre-commit run dfharden-fix --files Dockerfile: exit (files were modified)" \
  "$(precommit run dfharden-fix --hook-stage manual --files Dockerfile)" 1
contains "pre-commit fix: reports the modification" "$WORK/pc.log" "files were modified by this hook"
if cmp -s Dockerfile "$WORK/Dockerfile.before"; then fail "pre-commit fix: Dockerfile unchanged"; else pass "pre-commit fix: Dockerfile rewritten"; fi
"$DFHARDEN" fix "$WORK/Dockerfile.before" >"$WORK/Dockerfile.want" 2>/dev/null
if cmp -s Dockerfile "$WORK/Dockerfile.want"; then pass "pre-commit fix: the file is what dfharden fix prints"; else fail "pre-commit fix: the file differs from dfharden fix's output"; diff "$WORK/Dockerfile.want" Dockerfile | head -20 | sed 's/^/      /'; fi
contains "pre-commit fix: USER added" Dockerfile "USER 65532:65532"
check "pre-commit run dfharden-fix again (nothing left to change): exit" \
  "$(precommit run dfharden-fix --hook-stage manual --files Dockerfile)" 0
check "pre-commit run dfharden-fix --files Containerfile (clean): exit" \
  "$(precommit run dfharden-fix --hook-stage manual --files Containerfile)" 0

# Where people really meet it: `git commit` with the hook installed.
git add -A && git reset -q -- svc Dockerfile.md docker-compose.yml README.txt Dockerfile
"$VENV/bin/pre-commit" install >/dev/null 2>&1
git commit -q -m clean >"$WORK/commit.log" 2>&1
check "git commit of a clean Containerfile with the hook installed: exit" $? 0
bad_dockerfile >Dockerfile
git add Dockerfile
git commit -q -m bad >"$WORK/commit.log" 2>&1
check "git commit of a Dockerfile with findings: exit (stopped)" $? 1
contains "git commit stopped: the findings are shown" "$WORK/commit.log" "Dockerfile:1:1: DH101 [error]"
check "git commit stopped: nothing committed" "$(git rev-list --count HEAD)" 1

# Keep only the checkout of this revision in pre-commit's cache.
"$VENV/bin/pre-commit" gc >/dev/null 2>&1
cd "$ROOT" || finish

# ------------------------------------------------------------------------------- language server
# `dfharden server` under a real LSP client (pytest-lsp): diagnostics, hover, quick fixes, the
# fix-all action, and dfharden.toml read again on change.
(cd "$ROOT/integrations/lsp" && DFHARDEN="$DFHARDEN" "$VENV/bin/python" -m pytest -p no:cacheprovider -q -rA test_server.py) >"$WORK/lsp.out" 2>&1
check "language server: pytest-lsp tests (exit)" $? 0
grep -E '^(PASSED|FAILED|ERROR) ' "$WORK/lsp.out" | sed 's/^/      /'
[ "$FAILED" = 0 ] || tail -30 "$WORK/lsp.out" | sed 's/^/      /'
lsp_passed=$(grep -c '^PASSED ' "$WORK/lsp.out")
if [ "$lsp_passed" -ge 4 ]; then pass "language server: $lsp_passed pytest-lsp tests passed"; else fail "language server: only $lsp_passed pytest-lsp tests passed"; fi

# ------------------------------------------------------------------------------- packages
# Both crates together: dfharden depends on dfharden-core, which is not on crates.io yet, and
# cargo packages a workspace's crates against each other only when they are packaged together.
pkg=$WORK/package-target
cargo package -p dfharden-core -p dfharden --allow-dirty --no-verify --list >"$WORK/list.out" 2>"$WORK/list.err"
check "cargo package --list of dfharden-core and dfharden: exit" $? 0
contains "cargo package --list: README.md in the package" "$WORK/list.out" "README.md"
lacks "cargo package --list: no warning" "$WORK/list.err" "warning"
cargo package -p dfharden-core -p dfharden --allow-dirty --no-verify --target-dir "$pkg" >"$WORK/package.out" 2>&1
check "cargo package -p dfharden-core -p dfharden --no-verify: exit" $? 0
[ "$FAILED" = 0 ] || tail -5 "$WORK/package.out" | sed 's/^/      /'
for crate in dfharden-core dfharden; do
  file=$pkg/package/$crate-0.1.0.crate
  if tar -xzOf "$file" "$crate-0.1.0/Cargo.toml" >"$WORK/$crate.toml" 2>/dev/null; then
    pass "$crate-0.1.0.crate written"
  else
    fail "$crate-0.1.0.crate missing"; continue
  fi
  for key in description license repository readme keywords categories rust-version; do
    contains "$crate's packaged manifest has $key" "$WORK/$crate.toml" "$key = "
  done
done
"$VENV/bin/python" -c '
import sys, tomllib
m = tomllib.load(open(sys.argv[1], "rb"))
d = m["dependencies"]["dfharden-core"]
sys.exit(0 if d.get("version") == "0.1.0" and "path" not in d else 1)' "$WORK/dfharden.toml"
check "dfharden's packaged dependency on dfharden-core: version 0.1.0, no path (exit)" $? 0

# The rust-version each crate declares is what `cargo install` promises: no dependency of the
# crate (as locked) may need a newer Rust.
cargo metadata --format-version 1 --locked >"$WORK/metadata.json" 2>"$WORK/metadata.err"
check "cargo metadata --locked: exit" $? 0
for crate in dfharden-core dfharden dfharden-web; do
  "$VENV/bin/python" - "$WORK/metadata.json" "$crate" >"$WORK/msrv.out" 2>&1 <<'PY'
import json, sys
meta = json.load(open(sys.argv[1]))
packages = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
root = next(p for p in meta["packages"] if p["name"] == sys.argv[2])
version = lambda text: tuple(int(part) for part in (text.split(".") + ["0", "0"])[:3])
declared = version(root["rust_version"])
seen, todo, newer = set(), [root["id"]], []
while todo:
    node = todo.pop()
    if node in seen:
        continue
    seen.add(node)
    package = packages[node]
    if package.get("rust_version") and version(package["rust_version"]) > declared:
        newer.append(f'{package["name"]} {package["version"]} needs Rust {package["rust_version"]}')
    todo += [d["pkg"] for d in nodes[node]["deps"] if any(k["kind"] is None for k in d["dep_kinds"])]
print(f'{sys.argv[2]} declares Rust {root["rust_version"]}; ' + ("; ".join(sorted(newer)) or "every dependency builds with it"))
sys.exit(1 if newer else 0)
PY
  check "$crate: no dependency needs a newer Rust than its rust-version (exit)" $? 0
  sed 's/^/      /' "$WORK/msrv.out"
done

# ------------------------------------------------------------------------------- npm package
# Built, packed, installed from the tarball as a user would, then tested against the CLI.
# The workspace's own target directory (the pre-commit section above points CARGO_TARGET_DIR
# at its scratch one), so the wasm build is shared with earlier runs.
CARGO_TARGET_DIR="$ROOT/target" "$ROOT/integrations/npm/build.sh" >"$WORK/npm-build.out" 2>&1
check "integrations/npm/build.sh: exit" $? 0
tarball=$(tail -1 "$WORK/npm-build.out")
[ "$FAILED" = 0 ] || tail -20 "$WORK/npm-build.out" | sed 's/^/      /'
tar -tzf "$tarball" >"$WORK/npm-files.out" 2>&1
for file in package/package.json package/README.md package/node/dfharden.js package/node/dfharden_bg.wasm \
  package/node/dfharden.d.ts package/web/dfharden.js package/web/dfharden_bg.wasm package/web/dfharden.d.ts; do
  contains "npm tarball holds $file" "$WORK/npm-files.out" "$file"
done
lacks "npm tarball holds no Rust sources" "$WORK/npm-files.out" ".rs"
contains "npm package: typed results in the declarations" "$WORK/npm-files.out" "package/node/dfharden.d.ts"
wasm_gzip=$(gzip -9 -c "$ROOT/target/npm/package/node/dfharden_bg.wasm" | wc -c)
echo "      npm package: wasm $(wc -c <"$ROOT/target/npm/package/node/dfharden_bg.wasm") bytes, $wasm_gzip gzip; tarball $(wc -c <"$tarball") bytes"
project=$WORK/npm-user
mkdir -p "$project"
(cd "$project" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$tarball") >"$WORK/npm-install.out" 2>&1
check "npm install of the tarball into a scratch project: exit" $? 0
cp "$ROOT/integrations/npm/test/api.test.mjs" "$ROOT/integrations/npm/test/types.ts" "$project/"
(cd "$project" && DFHARDEN="$DFHARDEN" EXAMPLES="$ROOT/examples" node --test --test-reporter=tap api.test.mjs) >"$WORK/npm-test.out" 2>&1
check "npm package: node --test api.test.mjs (exit)" $? 0
grep -E '^(not )?ok ' "$WORK/npm-test.out" | sed 's/^/      /'
[ "$FAILED" = 0 ] || grep -vE '^(ok|# )' "$WORK/npm-test.out" | head -60 | sed 's/^/      /'
npm_passed=$(grep -cE '^ok ' "$WORK/npm-test.out")
if [ "$npm_passed" -ge 12 ]; then pass "npm package: $npm_passed node tests passed"; else fail "npm package: only $npm_passed node tests passed"; fi
(cd "$project" && "$ROOT/node_modules/.bin/tsc" --noEmit --strict --target es2022 --module nodenext --moduleResolution nodenext types.ts) >"$WORK/tsc.out" 2>&1
check "npm package: tsc --strict on a user's TypeScript, with its expected errors (exit)" $? 0
[ "$FAILED" = 0 ] || sed 's/^/      /' "$WORK/tsc.out" | head -20

finish
