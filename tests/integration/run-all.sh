#!/bin/sh
# Runs every integration test script and prints one summary line.
dir=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
for t in "$dir"/test-*.sh; do
	out=$(sh "$t" 2>&1)
	status=$?
	echo "$out"
	p=$(echo "$out" | sed -n 's/^# .*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' | tail -1)
	f=$(echo "$out" | sed -n 's/^# .*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
done
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
