#!/usr/bin/env bash
# Sums the <Counters> of every .trx file in a results folder (what `dotnet test --logger trx` writes) and prints,
# as its last line:
#
#   N passed, N failed
#
# "failed" counts every result that neither passed nor was skipped (failed, error, timeout, aborted, inconclusive,
# passedButRunAborted, notRunnable, disconnected) and, unless --allow-skips is given, skipped tests:
# on CI nothing may be absent (the scripts start whatever a test needs, e.g. Azurite), so a skip is a failure.
# The trx logger leaves skipped tests out of `executed` (and usually out of `notExecuted`), so a skip is counted
# as max(total - executed, notExecuted).
#
# JUnit XML files in the same folder (*.junit.xml: the browser test's node runner, pytest's --junitxml) are summed
# too: per <testcase>, one with a <failure> or <error> is failed, one with <skipped> is skipped, any other passed.
#
# Usage: .ci/trx-summary.sh [--allow-skips] [--expect-files N] [--expect-junit N] [RESULTS_DIR]
#                                                                              (RESULTS_DIR defaults to .testresults)
#   --allow-skips     report skipped tests but do not count them as failures (local runs)
#   --expect-files N  fail unless exactly N .trx files exist (one per test project: none missing or overwritten)
#   --expect-junit N  fail unless exactly N .junit.xml files exist (one per non-.NET suite)
# Exit status: 0 when at least one test passed and nothing failed; 1 otherwise; 2 on bad usage.
set -euo pipefail

allow_skips=0
expect_files=""
expect_junit=""
dir=".testresults"
while [ $# -gt 0 ]; do
  case "$1" in
    --allow-skips) allow_skips=1; shift ;;
    --expect-files) expect_files="${2:?--expect-files needs a number}"; shift 2 ;;
    --expect-junit) expect_junit="${2:?--expect-junit needs a number}"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "trx-summary: unknown option $1" >&2; exit 2 ;;
    *) dir="$1"; shift ;;
  esac
done

shopt -s nullglob
files=("$dir"/*.trx)
junit=("$dir"/*.junit.xml)
shopt -u nullglob

problems=0
if [ "${#files[@]}" -eq 0 ]; then
  echo "trx-summary: no .trx files in $dir"
  problems=1
elif [ -n "$expect_files" ] && [ "${#files[@]}" -ne "$expect_files" ]; then
  echo "trx-summary: expected $expect_files .trx files (one per test project), found ${#files[@]} in $dir"
  problems=1
fi

if [ -n "$expect_junit" ] && [ "${#junit[@]}" -ne "$expect_junit" ]; then
  echo "trx-summary: expected $expect_junit .junit.xml files (one per non-.NET suite), found ${#junit[@]} in $dir"
  problems=1
fi

# One line per file: "total executed notExecuted passed <the not-passed counters...>", or "MISSING".
counters() {
  local f line name value
  for f in "$@"; do
    line=$(grep -o '<Counters [^>]*>' "$f" | head -n 1 || true)
    if [ -z "$line" ]; then
      echo "MISSING"
      continue
    fi
    for name in total executed notExecuted passed \
                failed error timeout aborted inconclusive passedButRunAborted notRunnable disconnected; do
      # The leading space keeps "passed" from matching inside "passedButRunAborted".
      value=$(printf '%s' "$line" | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9][0-9]*' || echo 0)
      printf '%s ' "${value:-0}"
    done
    printf '\n'
  done
}

read -r total passed failed skipped empty missing < <(
  counters "${files[@]}" | awk '
    $1 == "MISSING" { missing++; next }
    {
      skip = $1 - $2; if ($3 > skip) skip = $3
      total += $1; passed += $4; skipped += skip
      for (i = 5; i <= NF; i++) failed += $i
      if ($1 == 0) empty++
    }
    END { printf "%d %d %d %d %d %d\n", total, passed, failed, skipped, empty, missing }')

# JUnit: one record per <testcase> (everything up to the next one), so a failure's text cannot be miscounted.
j_total=0 j_passed=0 j_failed=0 j_skipped=0
for f in "${junit[@]}"; do
  read -r t p fl sk < <(awk 'BEGIN { RS = "<testcase[ >]" }
    NR > 1 { t++; if ($0 ~ /<(failure|error)[ >\/]/) f++; else if ($0 ~ /<skipped[ >\/]/) s++; else p++ }
    END { printf "%d %d %d %d\n", t, p, f, s }' "$f")
  echo "trx-summary: $(basename "$f"): $t tests: $p passed, $fl failed, $sk skipped"
  if [ "$t" -eq 0 ]; then
    echo "trx-summary: $(basename "$f") holds no test case"
    problems=1
  fi
  j_total=$((j_total + t)); j_passed=$((j_passed + p)); j_failed=$((j_failed + fl)); j_skipped=$((j_skipped + sk))
  # Name what did not pass, as for .trx below.
  awk 'BEGIN { RS = "<testcase[ >]" } NR > 1 && ($0 ~ /<(failure|error|skipped)[ >\/]/) {
    match($0, /name="[^"]*"/); print "  NotPassed: " substr($0, RSTART + 6, RLENGTH - 7) }' "$f" | head -n 50
done
total=$((total + j_total)); passed=$((passed + j_passed)); failed=$((failed + j_failed)); skipped=$((skipped + j_skipped))

echo "trx-summary: ${#files[@]} .trx + ${#junit[@]} JUnit result files, $total tests: $passed passed, $failed failed (any outcome but passed or skipped), $skipped skipped"
if [ "$empty" -gt 0 ]; then
  echo "trx-summary: $empty result file(s) held no tests (a test project without tests yet)"
fi
if [ "$missing" -gt 0 ]; then
  echo "trx-summary: $missing result file(s) have no <Counters> (truncated or not a test run)"
  problems=1
fi

# Name what did not pass (first 50), so the log shows it next to the count.
if [ "${#files[@]}" -gt 0 ]; then
  grep -ho '<UnitTestResult [^>]*>' "${files[@]}" \
    | grep -v 'outcome="Passed"' \
    | sed -n 's/.*testName="\([^"]*\)".*outcome="\([^"]*\)".*/  \2: \1/p' \
    | head -n 50 || true
fi

if [ "$skipped" -gt 0 ]; then
  if [ "$allow_skips" -eq 1 ]; then
    echo "trx-summary: $skipped skipped test(s) allowed (--allow-skips)"
  else
    echo "trx-summary: $skipped skipped test(s) counted as failed: on CI nothing may be absent, so a skip is a failure"
    failed=$((failed + skipped))
  fi
fi

if [ "$passed" -eq 0 ]; then
  echo "trx-summary: no test passed (zero tests ran?)"
  problems=1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$problems" -eq 0 ]
