#!/usr/bin/env bash
# What one request-completion line costs, written the two ways the service can write it: the default short cut
# (stdout the only sink) and the Serilog event every other sink gets. Prints a table of CPU (request thread and
# formatting loop together) and bytes allocated per line, medians of 7 alternating rounds, and the ratio between them.
# The reason the short cut is kept (see RequestCompletionLog); run it on a quiet machine.
#
# Usage: bench/completion-line.sh [LINES_PER_ROUND]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build bench/CompletionLine/CompletionLine.csproj -c Release -o "$out" -nologo -v quiet >/dev/null
dotnet "$out/CompletionLine.dll" "${1:-1000000}"
