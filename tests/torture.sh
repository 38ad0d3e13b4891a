#!/bin/sh
# Allocation torture:
# `sh tests/torture.sh [-S] [-s STRIDE] [-f FIRST] [-l LAST] [BUILD]`
# with BUILD made by `make TORTURE=1` (default build-torture). Runs
# `rota check` and `rota plan` of examples/small.json once per N = FIRST,
# FIRST + STRIDE, ... up to LAST or the number of allocations a clean run
# makes (and one past it),
# with the Nth allocation failing (src/torture.c), and checks each run: no
# signal and no sanitizer report (leaks included), exit status 5 with an
# "out of memory" message (0 only past the last allocation), and for
# `plan` nothing written: no output directory and no temporary left.
# Prints every problem and a last line
# "torture: check N runs, plan M runs (of A and B allocations): K problems";
# with -S only the allocations inside the solver count (ROTA_TORTURE_SCOPE=
# solve), and only `plan` is run;
# exits 1 when K > 0.
set -u
STRIDE=1
FIRST=1
LAST=
SCOPE=all
while getopts Ss:f:l: opt; do
	case $opt in
	s) STRIDE=$OPTARG ;;
	f) FIRST=$OPTARG ;;
	l) LAST=$OPTARG ;;
	S) SCOPE=solve ;;
	*) echo "usage: tests/torture.sh [-S] [-s STRIDE] [-f FIRST] [-l LAST] [BUILD]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
BUILD=${1:-build-torture}
ROTA=$BUILD/rota
CAMPAIGN=examples/small.json
[ -x "$ROTA" ] || { echo "torture: no $ROTA (make TORTURE=1)" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/rota-torture.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
# A sanitizer report (a leak, a bad access) exits 99, unlike any of rota's.
export ASAN_OPTIONS=detect_leaks=1:exitcode=99:abort_on_error=0
export SOURCE_DATE_EPOCH=1700000000
export ROTA_TORTURE_SCOPE=$SCOPE
PROBLEMS=0
problem() {
	PROBLEMS=$((PROBLEMS + 1))
	echo "torture: $*"
}

# total COMMAND...: the allocations of a clean run.
total() {
	ROTA_TORTURE_COUNT=1 "$@" 2>&1 >/dev/null |
		sed -n 's/^rota: torture: \([0-9]*\) allocations$/\1/p' | tail -n 1
}

# one WHAT N TOTAL: one run of WHAT (check or plan) with allocation N failing.
one() {
	what=$1 n=$2 all=$3
	rm -rf "$W/run"
	mkdir "$W/run"
	if [ "$what" = check ]; then
		ROTA_TORTURE_FAIL=$n "$ROTA" check "$CAMPAIGN" >/dev/null 2>"$W/err"
	else
		ROTA_TORTURE_FAIL=$n "$ROTA" plan "$CAMPAIGN" -o "$W/run/out" >/dev/null 2>"$W/err"
	fi
	status=$?
	if [ "$status" -ge 128 ]; then
		problem "$what N=$n: killed by signal $((status - 128))"
	elif [ "$status" -eq 99 ]; then
		problem "$what N=$n: sanitizer report:"
		sed -n '/ERROR\|SUMMARY\|#[0-9] /p' "$W/err" | head -n 12 | sed 's/^/    /'
	elif [ "$status" -eq 0 ]; then
		[ "$n" -gt "$all" ] || problem "$what N=$n: exit 0: the failed allocation was not reported"
	elif [ "$status" -ne 5 ]; then
		problem "$what N=$n: exit $status, expected 5: $(head -c 300 "$W/err")"
	elif ! grep -q 'out of memory' "$W/err"; then
		problem "$what N=$n: exit 5 without 'out of memory': $(head -c 300 "$W/err")"
	fi
	if [ "$what" = plan ] && [ "$status" -ne 0 ]; then
		left=$(ls -A "$W/run")
		[ -z "$left" ] || problem "$what N=$n: left behind: $left"
	fi
}

if [ "$SCOPE" = solve ]; then CHECK_ALL=0; else CHECK_ALL=$(total "$ROTA" check "$CAMPAIGN"); fi
rm -rf "$W/run" && mkdir "$W/run"
PLAN_ALL=$(total "$ROTA" plan "$CAMPAIGN" -o "$W/run/out")
case "$CHECK_ALL$PLAN_ALL" in
''|*[!0-9]*) echo "torture: cannot count the allocations of $ROTA" >&2; exit 2 ;;
esac
NCHECK=0
NPLAN=0
# upto TOTAL: the last N to try.
upto() {
	if [ -n "$LAST" ] && [ "$LAST" -le $(($1 + 1)) ]; then echo "$LAST"; else echo $(($1 + 1)); fi
}
n=$FIRST
[ "$SCOPE" = solve ] && n=$((CHECK_ALL + 2))
while [ "$n" -le "$(upto "$CHECK_ALL")" ]; do
	one check "$n" "$CHECK_ALL"
	NCHECK=$((NCHECK + 1))
	n=$((n + STRIDE))
done
n=$FIRST
while [ "$n" -le "$(upto "$PLAN_ALL")" ]; do
	one plan "$n" "$PLAN_ALL"
	NPLAN=$((NPLAN + 1))
	n=$((n + STRIDE))
done
echo "torture: check $NCHECK runs, plan $NPLAN runs (of $CHECK_ALL and $PLAN_ALL allocations): $PROBLEMS problems"
[ "$PROBLEMS" -eq 0 ]
