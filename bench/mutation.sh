#!/usr/bin/env bash
# Mutation testing (Stryker.NET) of the platform folders where a silent regression hurts most: the code is changed
# one small edit (a mutant) at a time, and the tests must notice. Prints the score per folder and keeps the reports
# (json, html, markdown) in artifacts/mutation/. bench/results/mutation.md holds the last scores and the reason
# each surviving mutant is left alone.
#
# Usage: bench/mutation.sh [FOLDER...]   (default: Errors Health Shutdown RateLimiting Hosting Authentication)
#   MUTATION_CONCURRENCY   test runs side by side (default 1: the machine is shared; 2 on an idle 2-core one)
#
# Not part of CI: it is slow (the six folders' 430 mutants take well over half an hour of testing on a busy 2-core
# machine). One Stryker run mutates every folder asked for (one --mutate pattern each), so the build and the
# initial test run are paid once.
#
# Which tests: the fast in-process ones of Company.Service1.Tests (Category!=Process), with per-test coverage, so
# each mutant runs only the tests that reach it. Observability.Tests is left out: its in-process tests run a real
# Kestrel, OTLP and Prometheus stand-ins, a minute per mutant here; what only it reaches (the management port)
# shows as not covered. The process-level tests are left out: they
# start a published binary, and Stryker's VSTest runner switches a mutant on inside the test host only (by
# reflection), never in a child process, so they could not kill a mutant. What only they would catch is listed in
# bench/results/mutation.md.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
concurrency=${MUTATION_CONCURRENCY:-1}
folders=("$@")
if [[ ${#folders[@]} -eq 0 ]]; then folders=(Errors Health Shutdown RateLimiting Hosting Authentication); fi

"$root/scripts/setup/postgres.sh"
dotnet tool restore >/dev/null

mutate=()
for folder in "${folders[@]}"; do
  if [[ ! -d src/Company.Service1/Platform/$folder ]]; then
    echo "mutation: no folder src/Company.Service1/Platform/$folder" >&2
    exit 2
  fi
  mutate+=(--mutate "**/Platform/$folder/**/*.cs")
done

output="$root/artifacts/mutation"
rm -rf "$output"
# Run from the project under test, not the root, where Stryker would take the solution and every test project.
(cd src/Company.Service1 && dotnet stryker --config-file "$root/bench/stryker-config.json" --concurrency "$concurrency" \
  --output "$output" --skip-version-check --test-case-filter "Category!=Process" "${mutate[@]}" \
  --test-project "$root/tests/Company.Service1.Tests/Company.Service1.Tests.csproj")

echo "== mutation score per folder: (killed + timeout) / covered mutants; not covered = no in-process test reaches it"
python3 - "$output/reports/mutation-report.json" "${folders[@]}" <<'PY'
import json, sys
report, folders = json.load(open(sys.argv[1])), sys.argv[2:]
for folder in folders:
    marker = f"/Platform/{folder}/"
    status = [m["status"] for path, f in report["files"].items() if marker in path.replace("\\", "/") for m in f["mutants"]]
    killed, survived = status.count("Killed") + status.count("Timeout"), status.count("Survived")
    covered = killed + survived
    score = f"{100 * killed / covered:5.1f}%" if covered else "    -"
    print(f"{folder:<15} {score}  killed {killed:3}  survived {survived:3}  not covered {status.count('NoCoverage'):3}")
PY
