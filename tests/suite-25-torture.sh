# Allocation torture, sampled: builds build-torture/ (make TORTURE=1, under
# AddressSanitizer) if it is missing or stale, then runs tests/torture.sh
# on the solver's allocations of `rota plan examples/small.json` (-S), every
# 23rd from the 1st and from the 12th, and on the whole program (`check`
# and `plan`: reader, solver and writers), every 17th from the 9th: each
# failed allocation must give exit status 5 with "out of memory", no
# signal, no leak and nothing written. The full run (every N) is
# `sh tests/torture.sh` by hand; docs/model.md gives its counts.
#
# Sourced by tests/run.sh: uses pass/fail, $TMP, $TOP. Its own variables
# start with p25_.

p25_log=$TMP/p25.log
if ! (cd "$TOP" && make --no-print-directory -s TORTURE=1 all) >"$p25_log" 2>&1; then
	fail torture.build "$(tail -n 20 "$p25_log")"
else
	for p25_first in 1 12; do
		if (cd "$TOP" && sh tests/torture.sh -S -s 23 -f "$p25_first" build-torture) \
			>"$p25_log" 2>&1; then
			pass "torture.solver-from-$p25_first"
		else
			fail "torture.solver-from-$p25_first" "$(tail -n 40 "$p25_log")"
		fi
	done
	if (cd "$TOP" && sh tests/torture.sh -s 17 -f 9 build-torture) >"$p25_log" 2>&1; then
		pass torture.whole-program
	else
		fail torture.whole-program "$(tail -n 40 "$p25_log")"
	fi
fi
