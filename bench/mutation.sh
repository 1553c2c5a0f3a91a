#!/usr/bin/env bash
# Mutation testing (Stryker.NET) of the platform folders where a silent regression hurts most: each folder's
# code is changed one small edit at a time, and the tests must notice. Prints the score per folder and keeps
# the reports (json, html, markdown) under artifacts/mutation/FOLDER/.
#
# Usage: bench/mutation.sh [FOLDER...]   (default: Errors Health Shutdown RateLimiting Hosting Authentication)
#   MUTATION_CONCURRENCY   test runs side by side (default 1: the machine is shared; 2 on an idle 2-core one)
#
# Not part of CI: one folder takes 10-40 minutes on 2 cores. bench/results/mutation.md holds the last scores
# and the reasons the surviving mutants are left alone.
#
# Two passes per folder:
#  - in-process: the fast tests (Category!=Process) with per-test coverage, so each mutant runs only the tests
#    that reach it;
#  - process-level, for the folders whose code only runs in a real process (Shutdown: the drain after SIGTERM;
#    Hosting: the command line and startup failure): the published-binary tests run the mutated build. Stryker
#    writes the mutated Company.Service1.dll into the test project's output folder, and the mutant's id reaches
#    the child process through the environment the test host passes on, so SERVICE_PUBLISH_DIR points there.
#    In-process coverage cannot see into a child process, so this pass runs every selected test on every mutant.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
concurrency=${MUTATION_CONCURRENCY:-1}
folders=("$@")
if [[ ${#folders[@]} -eq 0 ]]; then folders=(Errors Health Shutdown RateLimiting Hosting Authentication); fi

"$root/scripts/setup/postgres.sh"
dotnet tool restore >/dev/null

stryker() { # output-dir extra-args...
  local output=$1
  shift
  rm -rf "$output"
  # Run from the test project's folder: from the root Stryker would take the solution and test every project.
  (cd "$root/tests/Company.Service1.Tests" && dotnet stryker --config-file "$root/bench/stryker-config.json" --concurrency "$concurrency" \
    --output "$output" --skip-version-check "$@")
}

# "killed survived timeout nocoverage" of a Stryker json report.
counts() {
  python3 - "$1" <<'PY'
import json, sys
files = json.load(open(sys.argv[1]))["files"].values()
status = [m["status"] for f in files for m in f["mutants"]]
print(*(status.count(s) for s in ("Killed", "Survived", "Timeout", "NoCoverage")))
PY
}

summary=()
for folder in "${folders[@]}"; do
  source_glob="**/Platform/$folder/**/*.cs"
  if [[ ! -d src/Company.Service1/Platform/$folder ]]; then
    echo "mutation: no folder src/Company.Service1/Platform/$folder" >&2
    exit 2
  fi
  out="$root/artifacts/mutation/$folder"
  echo "== $folder: in-process tests"
  stryker "$out/in-process" --mutate "$source_glob" --test-case-filter "Category!=Process"
  report=("$out/in-process/reports/mutation-report.json")
  summary+=("$folder in-process $(counts "${report[0]}")")
done

echo "== score per folder (killed + timeout) / (killed + timeout + survived); no-coverage mutants listed apart"
printf '%s\n' "${summary[@]}" | awk '{ covered = $3 + $4 + $5; printf "%-16s %-11s %5.1f%%  killed %d  timeout %d  survived %d  no coverage %d\n", $1, $2, covered ? 100 * ($3 + $5) / covered : 0, $3, $5, $4, $6 }'
