#!/usr/bin/env bash
# The check of the GitHub Action (action.yml): `dfharden check` on the action's inputs.
#
# A composite action gets no INPUT_* variables from GitHub by itself: action.yml maps each
# input to one, and this script reads them:
#   INPUT_PATHS        files or directories; one per line, or separated by spaces (default: .)
#   INPUT_CONFIG       a dfharden.toml to use instead of the ones found upwards (optional)
#   INPUT_SARIF_FILE   where to write the SARIF report (default: dfharden.sarif)
#   INPUT_FAIL         true: exit 1 on findings; false: findings never fail (errors still do)
#   INPUT_ANNOTATIONS  true: findings are printed as GitHub annotations; false: as text
# DFHARDEN is the binary (default: dfharden on PATH). Outputs, into $GITHUB_OUTPUT (standard
# output elsewhere): sarif-file, findings (the number of results) and exit-code (dfharden's:
# 0 clean, 1 findings, 2 error). Exits 0, 1 (findings, with fail true) or 2 (error).
set -uo pipefail

dfharden=${DFHARDEN:-dfharden}
sarif=${INPUT_SARIF_FILE:-dfharden.sarif}
config=${INPUT_CONFIG:-}

output() { # name=value
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >>"$GITHUB_OUTPUT"; else echo "$1"; fi
}
error() { echo "::error title=dfharden::$*" >&2; exit 2; }

boolean() { # name value
  case "$(printf '%s' "$2" | tr '[:upper:]' '[:lower:]')" in
    true | yes | on | 1) echo true ;;
    false | no | off | 0) echo false ;;
    *) error "input $1 must be true or false, not '$2'" ;;
  esac
}
fail=$(boolean fail "${INPUT_FAIL:-true}") || exit 2
annotations=$(boolean annotations "${INPUT_ANNOTATIONS:-true}") || exit 2

# Paths: one per line when there are several lines (names may then hold spaces), else words.
paths=()
input=${INPUT_PATHS:-.}
if [[ $input == *$'\n'* ]]; then
  while IFS= read -r line; do
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    [ -n "$line" ] && paths+=("$line")
  done <<<"$input"
else
  set -f
  # shellcheck disable=SC2206 # splitting into words is the point; globbing is off
  paths=($input)
  set +f
fi
[ ${#paths[@]} -gt 0 ] || paths=(.)

command -v "$dfharden" >/dev/null 2>&1 || error "$dfharden not found (the install step puts it on PATH)"

args=(check --color never --quiet)
if [ -n "$config" ]; then
  [ -f "$config" ] || error "config $config: no such file"
  args+=(--config "$config")
fi

mkdir -p "$(dirname "$sarif")" || error "cannot create the directory of $sarif"

# The report for code scanning first, its errors kept; then the findings for the log.
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
"$dfharden" "${args[@]}" --output-format sarif -- "${paths[@]}" >"$sarif" 2>"$errors"
code=$?
if [ "$annotations" = true ]; then format=github; else format=text; fi
"$dfharden" "${args[@]}" --output-format "$format" -- "${paths[@]}"
shown=$?
# An error the second run did not show again.
if [ "$code" -gt 1 ] && [ "$shown" -le 1 ]; then cat "$errors" >&2; fi

findings=""
if [ "$code" -le 1 ]; then
  findings=$(python3 -c 'import json, sys; print(sum(len(r.get("results", [])) for r in json.load(open(sys.argv[1]))["runs"]))' "$sarif" 2>/dev/null ||
    jq '[.runs[].results | length] | add // 0' "$sarif" 2>/dev/null || true)
fi

output "sarif-file=$sarif"
output "findings=$findings"
output "exit-code=$code"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "$code" -le 1 ]; then
  echo "dfharden: ${findings:-some} finding(s) in ${paths[*]}; SARIF report in \`$sarif\`." >>"$GITHUB_STEP_SUMMARY"
fi

case $code in
  0) exit 0 ;;
  1)
    if [ "$fail" = true ]; then
      echo "::error title=dfharden::${findings:-some} finding(s); see the log or the code scanning alerts (set fail: false to report without failing)" >&2
      exit 1
    fi
    echo "dfharden: ${findings:-some} finding(s); fail is false, so the step succeeds" >&2
    exit 0
    ;;
  *) error "dfharden check failed (exit $code); no usable SARIF report" ;;
esac
