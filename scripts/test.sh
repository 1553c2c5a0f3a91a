#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine with the .NET 10 SDK: installs what the tests need,
# builds with warnings as errors, runs every test project and enforces the line-coverage gate on src/.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

"$root/scripts/setup/postgres.sh"
"$root/scripts/setup/prometheus.sh"

dotnet build Service.sln -c Release -warnaserror
dotnet test Service.sln -c Release --no-build
