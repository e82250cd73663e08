#!/usr/bin/env bash
# The GitHub Action's check step (action.yml) as a script, so CI runs exactly what the action runs:
# build dmap-guard from the action's own folder if needed, run `check` on the paths with SARIF output,
# and report the exit code and the SARIF file as step outputs.
#
# Inputs (environment):
#   DMAP_GUARD_PATHS     templates to check, separated by spaces or newlines; globs (** too) are expanded
#   DMAP_GUARD_FAIL_ON   error | warning | never (default error)
#   DMAP_GUARD_CONFIG    a dmap-guard config file (optional)
#   DMAP_GUARD_SARIF     where the SARIF goes (default dmap-guard.sarif)
#   DMAP_GUARD_DEFER_FAILURE=true  exit 0 when findings fail the check, so the SARIF is uploaded first;
#                        the action fails afterwards on the exit-code output
#   DMAP_GUARD_CLI       a built dmap-guard CLI to use instead of the action folder's dist/cli.js
# Exit code: the CLI's (0 passed, 1 findings reached fail-on, 2 usage or input error).
set -euo pipefail

action_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
paths="${DMAP_GUARD_PATHS:?DMAP_GUARD_PATHS must name the templates to check (the paths input of the action)}"
fail_on="${DMAP_GUARD_FAIL_ON:-error}"
config="${DMAP_GUARD_CONFIG:-}"
sarif="${DMAP_GUARD_SARIF:-dmap-guard.sarif}"
cli="${DMAP_GUARD_CLI:-$action_dir/dist/cli.js}"

if [ ! -f "$cli" ]; then
  echo "Building dmap-guard in $action_dir"
  # Runtime dependencies suffice for the CLI bundle (esbuild is one); aws-cdk-lib is an optional peer.
  (cd "$action_dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error && node scripts/build.mjs --cli-only)
fi

shopt -s globstar
files=()
# Word splitting and glob expansion are wanted here; a pattern that matches nothing stays as written,
# so the CLI names it as a missing file.
# shellcheck disable=SC2206
files=($paths)
if [ "${#files[@]}" -eq 0 ]; then
  echo "::error::dmap-guard: the paths input names no file" >&2
  exit 2
fi

args=(check "${files[@]}" --format sarif --fail-on "$fail_on")
if [ -n "$config" ]; then args+=(--config "$config"); fi

mkdir -p "$(dirname "$sarif")"
status=0
node "$cli" "${args[@]}" > "$sarif" || status=$?

output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >> "$GITHUB_OUTPUT"; fi; }
output "exit-code=$status"
if [ "$status" -gt 1 ]; then
  # No report was written (the CLI printed why on stderr); nothing to upload.
  rm -f "$sarif"
  exit "$status"
fi
output "sarif-file=$sarif"
echo "dmap-guard: SARIF written to $sarif (exit code $status)"
if [ "$status" -eq 1 ] && [ "${DMAP_GUARD_DEFER_FAILURE:-}" = true ]; then exit 0; fi
exit "$status"
