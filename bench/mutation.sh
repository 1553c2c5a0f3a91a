#!/usr/bin/env bash
# Mutation testing (Stryker.NET) of the platform folders where a silent regression hurts most: the code is changed
# one small edit (a mutant) at a time, and the tests must notice. Prints the score per folder and keeps the reports
# (json, html, markdown) in artifacts/mutation/<Folder>/. bench/results/mutation.md holds the last scores and the reason
# each surviving mutant is left alone.
#
# Usage: bench/mutation.sh [FOLDER...]   (default: Errors Health Shutdown RateLimiting Hosting Authentication)
#   MUTATION_CONCURRENCY   test runs side by side (default 1: the machine is shared; 2 on an idle 2-core one)
#
# Not part of CI: it is slow on 2 cores. Each folder is its own Stryker run, tested by the folder's own in-process
# tests (Company.Service1.Tests/Platform/<Folder>, Category!=Process) plus the test folders listed for it in `extra`
# below, with per-test coverage: most platform code runs while a test host starts, so Stryker cannot tell which test
# reaches it and runs every selected test for each mutant. Against the whole in-process suite that is ~35 s a mutant,
# hours per folder; against a few test folders, seconds. So a score here is a lower bound: a test left out may also
# kill a mutant that survives here, and code only other tests reach shows as not covered.
#
# The process-level tests are left out: they start a published binary, and Stryker's VSTest runner switches a mutant
# on inside the test host only (by reflection), never in a child process, so they could not kill a mutant. What only
# they would catch is listed in bench/results/mutation.md.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
concurrency=${MUTATION_CONCURRENCY:-1}
folders=("$@")
if [[ ${#folders[@]} -eq 0 ]]; then folders=(Errors Health Shutdown RateLimiting Hosting Authentication); fi
for folder in "${folders[@]}"; do
  if [[ ! -d src/Company.Service1/Platform/$folder || ! -d tests/Company.Service1.Tests/Platform/$folder ]]; then
    echo "mutation: no folder Platform/$folder in src/Company.Service1 and tests/Company.Service1.Tests" >&2
    exit 2
  fi
done

"$root/scripts/setup/postgres.sh"
dotnet tool restore >/dev/null

# A test host Stryker stops on a timeout cannot stop the PostgreSQL servers its tests started: stop those, and only
# those, when the run ends.
before_pids=$(pgrep -f 'postgres -D /tmp/pg-' || true)
cleanup() {
  local pid
  for pid in $(pgrep -f 'postgres -D /tmp/pg-' || true); do
    grep -qx "$pid" <<<"$before_pids" || kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# Test folders that exercise a platform folder through what a client sees, beyond its own tests: authentication is
# proven on the sample's endpoints and the API document (and must let an unrelated exception through to the 500), error
# answers by the sample's bad-input battery.
declare -A extra=(
  [Authentication]="Todos Platform.OpenApi Platform.Errors.UnhandledExceptionTests"
  [Errors]="Todos"
)

output="$root/artifacts/mutation"
rm -rf "$output"
for folder in "${folders[@]}"; do
  tests="FullyQualifiedName~Company.Service1.Tests.Platform.$folder."
  for more in ${extra[$folder]:-}; do tests+="|FullyQualifiedName~Company.Service1.Tests.$more."; done
  echo "== mutation: Platform/$folder, tested by ${tests//FullyQualifiedName~Company.Service1.Tests./}"
  # Run from the project under test, not the root, where Stryker would take the solution and every test project.
  (cd src/Company.Service1 && dotnet stryker --config-file "$root/bench/stryker-config.json" --concurrency "$concurrency" \
    --output "$output/$folder" --skip-version-check --mutate "**/Platform/$folder/**/*.cs" \
    --test-case-filter "Category!=Process&($tests)" \
    --test-project "$root/tests/Company.Service1.Tests/Company.Service1.Tests.csproj")
done

echo "== mutation score per folder: (killed + timeout) / covered mutants; not covered = no test of the folder reaches it"
python3 - "$output" "${folders[@]}" <<'PY'
import json, sys
output, folders = sys.argv[1], sys.argv[2:]
for folder in folders:
    report = json.load(open(f"{output}/{folder}/reports/mutation-report.json"))
    status = [m["status"] for f in report["files"].values() for m in f["mutants"]]
    killed, survived = status.count("Killed") + status.count("Timeout"), status.count("Survived")
    covered = killed + survived
    score = f"{100 * killed / covered:5.1f}%" if covered else "    -"
    print(f"{folder:<15} {score}  killed {killed:3}  survived {survived:3}  not covered {status.count('NoCoverage'):3}")
PY
