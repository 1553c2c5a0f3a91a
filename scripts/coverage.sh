#!/usr/bin/env bash
# Merges the Cobertura reports of every test project and fails when line coverage of src/ is below the gate.
# Usage: scripts/coverage.sh RESULTS_DIR OUTPUT_DIR [MINIMUM_PERCENT]
set -euo pipefail

results=${1:?results directory}
output=${2:?output directory}
minimum=${3:-80}

dotnet reportgenerator "-reports:${results}/**/coverage.cobertura.xml" "-targetdir:${output}" \
  "-reporttypes:TextSummary;Cobertura;HtmlSummary" "-filefilters:-*/obj/*" "-verbosity:Error"

line=$(grep -m1 -E '^ *Line coverage:' "${output}/Summary.txt" | sed -E 's/.*: *([0-9.]+)%.*/\1/')
echo "coverage: line coverage of src/ is ${line}% (gate: ${minimum}%); report in ${output}/"
if ! awk -v got="$line" -v min="$minimum" 'BEGIN { exit !(got + 0 >= min + 0) }'; then
  echo "coverage: FAILED, ${line}% is below ${minimum}%" >&2
  exit 1
fi
