#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine with the .NET 10 SDK: installs what the tests need, builds with
# warnings as errors, publishes the service both ways (JIT and Native AOT), runs every test project against real
# parts, and enforces the 80% line-coverage gate on src/.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
artifacts="$root/artifacts"
rm -rf "$artifacts/test-results" "$artifacts/coverage"

echo "== setup"
"$root/scripts/setup/postgres.sh"
"$root/scripts/setup/helm.sh" >/dev/null
"$root/scripts/setup/k8s-schemas.sh"
"$root/scripts/setup/shellcheck.sh"
"$root/scripts/setup/prometheus.sh"
"$root/scripts/setup/aspire-dashboard.sh" >/dev/null
"$root/scripts/setup/hosting.sh"
"$root/scripts/setup/delivery-tools.sh"
"$root/scripts/setup/browser.sh"
dotnet tool restore >/dev/null
"$root/scripts/setup/docker.sh"
# Local stand-ins for the official .NET base images (no registry answers here); cached after the first run.
"$root/scripts/images/build-local-bases.sh" >/dev/null

echo "== build"
dotnet build Company.Service1.sln -c Release --nologo -v quiet
# Style and import order as the CI build job checks them, so a local run catches what GitHub would.
dotnet format Company.Service1.sln --no-restore --verify-no-changes --verbosity minimal

echo "== publish (JIT and Native AOT)"
dotnet publish src/Company.Service1/Company.Service1.csproj -c Release --no-build --nologo -v quiet -o "$artifacts/publish/jit"
dotnet publish src/Company.Service1/Company.Service1.csproj -c Release -r linux-x64 -p:PublishAot=true --nologo -v quiet -o "$artifacts/publish/aot"
export SERVICE_PUBLISH_DIR="$artifacts/publish/jit"
export SERVICE_AOT_PUBLISH_DIR="$artifacts/publish/aot"

echo "== test"
# One test project at a time (-m:1): the process-level tests assert timings (drain, recovery) that another
# project's image builds running alongside on a 2-core machine would distort.
dotnet test Company.Service1.sln -c Release --no-build --nologo -m:1 \
  --settings coverage.runsettings --collect "XPlat Code Coverage" \
  --results-directory "$artifacts/test-results" --logger "console;verbosity=minimal"
"$root/scripts/leftover-processes.sh"

echo "== coverage"
"$root/scripts/coverage.sh" "$artifacts/test-results" "$artifacts/coverage" 80
#if (templateRepository)

echo "== template"
# The `dotnet new` template: packed, installed into a throwaway cache, instantiated and proven leg by leg.
"$root/scripts/template/test-instantiation.sh"
#endif
