#!/bin/sh
# The whole test suite: `sh tests/run.sh BUILD_DIR` from the top directory.
# Runs every tests/suite-*.sh in name order; each reports through pass/fail.
# The last line is "N passed, N failed".
set -u
BUILD=${1:-build}
ROTA=$BUILD/rota
TOP=$(pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rota-tests.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
PASSED=0
FAILED=0
FAILED_NAMES=

pass() {
	PASSED=$((PASSED + 1))
	echo "ok $1"
}

# fail NAME [DETAIL...]: the details are printed indented.
fail() {
	name=$1
	shift
	FAILED=$((FAILED + 1))
	FAILED_NAMES="$FAILED_NAMES $name"
	echo "not ok $name"
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/    /'
	done
}

# check NAME COMMAND...: passes when the command exits 0; shows its output otherwise.
check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "$out"
	fi
}

export ROTA BUILD TOP TMP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for suite in tests/suite-*.sh; do
	echo "# $suite"
	. "./$suite"
done

echo
if [ "$FAILED" -ne 0 ]; then
	echo "failed:$FAILED_NAMES"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
