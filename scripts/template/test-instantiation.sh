#!/usr/bin/env bash
# Packs the `dotnet new` template, installs it into a throwaway template cache (the user's own cache is never
# touched), instantiates it under a name that differs from the placeholder in every form, and proves each
# generated repository on its own: it builds with warnings as errors, its fast tests, chart tests and delivery and
# hosting checks pass, no form of the placeholder name is left, and its binary starts and answers /version and
# /readyz.
#
#   scripts/template/test-instantiation.sh                  # every leg
#   scripts/template/test-instantiation.sh no-sample-no-db  # one leg (what each CI matrix job runs)
#
# Needs what ./scripts/test.sh sets up first (PostgreSQL's binaries, helm, the schema tools). Not copied into
# generated repositories (template.json excludes scripts/template/).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
name=Contoso.Billing
kebab=contoso-billing

# Each leg: a name and its `dotnet new` options.
declare -A legs=(
  [defaults]=""
  [no-sample-no-db]="--sample false --database none"
  [no-windows-no-mesh]="--windows false --mesh none"
)
order=(defaults no-sample-no-db no-windows-no-mesh)
if (($# > 0)); then
  order=("$@")
fi

work=$(mktemp -d)
cleanup() {
  # A failing leg may leave its binary running: stop anything started from this run's folder.
  pkill -TERM -f "$work/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { echo "template: $*" >&2; }
fail() {
  echo "template: FAIL: $*" >&2
  exit 1
}

step "packing the template"
dotnet pack "$root/template/KubernetesService.Templates.csproj" -c Release --nologo -v quiet -o "$work/package" >/dev/null
package=$(echo "$work"/package/*.nupkg)

# Both ways of installing must work; each gets its own throwaway cache.
step "installing from the clone and from $(basename "$package")"
dotnet new install "$root" --debug:custom-hive "$work/hive-clone" >/dev/null
dotnet new install "$package" --debug:custom-hive "$work/hive-package" >/dev/null

results=()
for leg in "${order[@]}"; do
  [[ -v "legs[$leg]" ]] || fail "unknown leg '$leg' (known: ${!legs[*]})"
  read -r -a options <<<"${legs[$leg]}"
  out="$work/$leg/$name"
  started=$SECONDS

  step "[$leg] dotnet new k8s-service -n $name ${options[*]}"
  dotnet new k8s-service -n "$name" -o "$out" "${options[@]}" --debug:custom-hive "$work/hive-package" >/dev/null
  # The clone and the package must produce the same repository.
  dotnet new k8s-service -n "$name" -o "$work/$leg/from-clone" "${options[@]}" --debug:custom-hive "$work/hive-clone" >/dev/null
  diff -r "$out" "$work/$leg/from-clone" >/dev/null || fail "[$leg] installing from the clone and from the package give different output"

  step "[$leg] no form of the placeholder is left"
  leftovers=$(grep -rIlE 'Company[._]?Service1|company[-._]?service1' "$out" || true)
  [[ -z "$leftovers" ]] || fail "[$leg] the placeholder name is still in: $leftovers"
  leftover_paths=$(find "$out" -iname '*service1*')
  [[ -z "$leftover_paths" ]] || fail "[$leg] the placeholder name is still in file names: $leftover_paths"
  [[ -f "$out/$name.sln" && -d "$out/src/$name" && -d "$out/charts/$kebab" ]] || fail "[$leg] solution, project or chart not named after $name"

  cd "$out"
  # What docs/new-service.md tells a user to do first; the delivery tests read the repository's file list from git.
  git init -q && git add -A
  step "[$leg] build (warnings are errors)"
  dotnet build "$name.sln" -c Release --nologo -v quiet >"$work/$leg-build.log" 2>&1 || { cat "$work/$leg-build.log" >&2; fail "[$leg] build"; }

  # Tests that need the binary use this leg's own, never the template's.
  dotnet publish "src/$name/$name.csproj" -c Release --no-build --nologo -v quiet -o "$work/$leg/publish" >/dev/null
  export SERVICE_PUBLISH_DIR="$work/$leg/publish"
  unset SERVICE_AOT_PUBLISH_DIR

  step "[$leg] fast tests"
  dotnet test "tests/$name.Tests" -c Release --no-build --nologo --filter "Category!=Process" \
    --logger "console;verbosity=minimal" || fail "[$leg] fast tests"

  step "[$leg] chart: lint, render and strict schema checks"
  ./scripts/setup/k8s-schemas.sh
  dotnet test tests/Charts.Tests -c Release --no-build --nologo --logger "console;verbosity=minimal" || fail "[$leg] chart tests"

  step "[$leg] workflows, scripts, compose file and service units"
  ./scripts/setup/delivery-tools.sh
  ./scripts/setup/hosting.sh
  dotnet test tests/Delivery.Tests -c Release --no-build --nologo --logger "console;verbosity=minimal" || fail "[$leg] delivery tests"
  dotnet test tests/Hosting.Tests -c Release --no-build --nologo --logger "console;verbosity=minimal" || fail "[$leg] hosting tests"

  step "[$leg] the published binary starts and answers /version and /readyz"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  version=$(SMOKE_PORT=$port ./scripts/e2e/smoke-binary.sh "$work/$leg/publish/$name") || fail "[$leg] smoke"
  [[ "$version" == *'"slot":"blue"'* ]] || fail "[$leg] /version answered '$version'"
  cd "$root"

  results+=("| $leg | ${legs[$leg]:-(defaults)} | $((SECONDS - started)) s |")
done

echo
echo "| leg | options | time |"
echo "| --- | --- | ---: |"
printf '%s\n' "${results[@]}"
