#!/bin/sh
# make bench: see tests/bench/bench.py. `make bench BENCH=family` (or
# BENCH=examples,limits ...) runs only those cases; BENCH_ARGS passes more
# options (--quick, --cap SECONDS, --seeds A-B, --save FILE).
set -eu
exec /usr/bin/python3 tests/bench/bench.py "${1:-build}" ${BENCH:+--cases "$BENCH"} ${BENCH_ARGS:-}
