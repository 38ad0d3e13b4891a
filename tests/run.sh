#!/bin/sh
# The whole test suite: `sh tests/run.sh BUILD_DIR` from the top directory.
# Runs every tests/suite-*.sh in name order; each reports through
# pass/fail/skip. The last line is "N passed, N failed, N skipped"; a skip
# never makes the run fail, but it is counted and named.
set -u
BUILD=${1:-build}
ROTA=$BUILD/rota
TOP=$(pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rota-tests.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
PASSED=0
FAILED=0
SKIPPED=0
FAILED_NAMES=
SKIPPED_NAMES=

pass() {
	PASSED=$((PASSED + 1))
	echo "ok $1"
}

# The helpers' own variables start with rt_: the suites are sourced into
# this shell, and a helper must not change a suite's "name" or "out".

# fail NAME [DETAIL...]: the details are printed indented.
fail() {
	rt_name=$1
	shift
	FAILED=$((FAILED + 1))
	FAILED_NAMES="$FAILED_NAMES $rt_name"
	echo "not ok $rt_name"
	for rt_line in "$@"; do
		printf '%s\n' "$rt_line" | sed 's/^/    /'
	done
}

# skip NAME REASON: a test that could not run here, counted and shown.
skip() {
	SKIPPED=$((SKIPPED + 1))
	SKIPPED_NAMES="$SKIPPED_NAMES $1"
	echo "skip $1: $2"
}

# check NAME COMMAND...: passes when the command exits 0; shows its output otherwise.
check() {
	rt_check=$1
	shift
	if rt_out=$("$@" 2>&1); then
		pass "$rt_check"
	else
		fail "$rt_check" "$rt_out"
	fi
}

export ROTA BUILD TOP TMP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$TOP/tests/lsan.supp:print_suppressions=0}

# A suite's standard error is kept and shown after it: a command the shell
# cannot find (a test function renamed or lost, a tool missing) fails the
# run instead of silently dropping the tests it held.
# ROTA_SUITES='30 50' runs only those suites (by their number), for a
# quick look while working; the default is every suite.
for suite in tests/suite-*.sh; do
	if [ -n "${ROTA_SUITES:-}" ]; then
		number=${suite#tests/suite-}
		number=${number%%-*}
		case " $ROTA_SUITES " in
		*" $number "*) ;;
		*) continue ;;
		esac
	fi
	echo "# $suite"
	exec 3>&2 2>"$TMP/suite.err"
	. "./$suite"
	exec 2>&3 3>&-
	cat "$TMP/suite.err" >&2
	if grep -q ': not found$' "$TMP/suite.err"; then
		fail "$suite.commands" "$(grep ': not found$' "$TMP/suite.err")"
	fi
done

echo
if [ "$SKIPPED" -ne 0 ]; then
	echo "skipped:$SKIPPED_NAMES"
fi
if [ "$FAILED" -ne 0 ]; then
	echo "failed:$FAILED_NAMES"
fi
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
