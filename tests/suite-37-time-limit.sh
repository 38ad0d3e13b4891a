# --time-limit is a limit (issue 11, docs/model.md section 8):
#
#   - on a generated commune that takes far longer than the limit without
#     one, `rota plan --time-limit 2` writes its plan within the tolerance
#     (a second or a tenth of the limit, whichever is more), with one
#     thread and with two; the plan keeps rules 1-6
#     (tests/checker/check_plan.py) and is no worse on any deadline level
#     than the benchmark's greedy baseline (tests/bench/greedy.py), by the
#     plan's coverage and by its solver record (deadline-pN values); the
#     limit did stop the run (a level the solver never reached: gap 1 in
#     rota.json where value and bound agree, and "chưa giải tới" in the
#     summary), so the campaign takes longer than the limit on the machine
#     that runs the test, whatever its speed;
#   - --progress, under the same limit, shows the run while it lasts;
#   - a limit long enough for the whole solve gives the plan of a run
#     without one, byte for byte (SOURCE_DATE_EPOCH), on a commune and on
#     a district of two communes with a district team, with every LP kept
#     between the phases frozen and thawed (the debug trace says so).
#
# Under the sanitizers (a build directory named *san*) the program runs
# several times slower: the wall times are not checked there (skipped, and
# said so), everything else is.
#
# Sourced by tests/run.sh: uses pass/fail/check/skip, $ROTA, $BUILD, $TMP.
# Its own variables start with t37_.

t37_py=/usr/bin/python3
t37_work=$TMP/t37
mkdir -p "$t37_work"
# A generated commune that takes about 12 s of processor time without a
# limit on one thread (December 2026; seed 29, used before, came down to
# 3 s, too close to the limit). Not every seed passes the greedy check
# under 2 s: where rota's own first plan is worse than the baseline's on a
# deadline level, 2 s may leave no time to catch up (docs/model.md
# section 8).
t37_seed=30
t37_limit=2
t37_slow=false
case $(basename "$BUILD") in
*san*) t37_slow=true ;;
esac

cat >"$t37_work/not-worse.py" <<'EOF'
"""not-worse.py CAMPAIGN PLAN GREEDY: fails when the greedy's plan invites
more people of some priority level by their deadline than the plan does,
by the coverage of each (as tests/bench/bench.py counts) or by the plan's
solver record (deadline-pN, N the rank of the priority)."""
import json
import sys

camp, plan, greedy = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:4])
prio = {g["id"]: g["priority"] for g in camp["groups"]}
levels = sorted(set(prio.values()))
rota = {}
for row in plan["coverage"]:
    rota[prio[row["group"]]] = rota.get(prio[row["group"]], 0) + row["by_deadline"]
record = {lv["name"]: lv["value"] for lv in plan["solver"]["levels"]}
bad = []
for p, v in sorted(greedy["by_level"].items(), key=lambda kv: int(kv[0])):
    g = v["by_deadline"]
    name = "deadline-p%d" % (levels.index(int(p)) + 1)
    if rota.get(int(p), 0) < g:
        bad.append("priority %s: the greedy invites %d by their deadline, the plan %d"
                   % (p, g, rota.get(int(p), 0)))
    if record.get(name, -1) < g:
        bad.append("%s: the greedy %d, the solver record %s" % (name, g, record.get(name)))
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF

# unreached.py PLAN: fails unless the solver record has a level the solver
# never reached (plan-v1: gap 1 whatever value and bound say).
cat >"$t37_work/unreached.py" <<'EOF'
import json
import sys

levels = json.load(open(sys.argv[1], encoding="utf-8"))["solver"]["levels"]
cut = [lv["name"] for lv in levels
       if lv["gap"] >= 1 and abs(lv["value"] - lv["bound"]) / max(abs(lv["value"]), 1) < 1]
print("never reached: %s" % (", ".join(cut) or "none; the limit stopped nothing"))
sys.exit(0 if cut else 1)
EOF

# t37_ms: milliseconds on the wall clock.
t37_ms() {
	t37_ns=$(date +%s%N)
	echo $((t37_ns / 1000000))
}

if ! t37_out=$("$t37_py" tools/gen/communes.py --seed "$t37_seed" \
	--out "$t37_work/c.json" 2>&1); then
	fail time-limit.generate "$t37_out"
elif ! t37_out=$("$t37_py" tests/bench/greedy.py "$t37_work/c.json" \
	"$t37_work/greedy.json" 2>&1); then
	fail time-limit.greedy "$t37_out"
else
	for t37_threads in 1 2; do
		t37_name=seed-$t37_seed-threads-$t37_threads
		t37_dir=$t37_work/$t37_name
		t37_t0=$(t37_ms)
		# --progress on the two-thread run: its line goes to a file.
		if [ "$t37_threads" = 2 ]; then
			t37_progress=--progress
		else
			t37_progress=--quiet
		fi
		if ! SOURCE_DATE_EPOCH=1700000000 timeout 120 "$ROTA" plan "$t37_work/c.json" \
			-o "$t37_dir" "$t37_progress" --time-limit "$t37_limit" \
			--threads "$t37_threads" >"$t37_work/$t37_name.out" \
			2>"$t37_work/$t37_name.err"; then
			fail "time-limit.plan.$t37_name" "$(tail -n 5 "$t37_work/$t37_name.err")"
			continue
		fi
		t37_wall=$(($(t37_ms) - t37_t0))
		# Tolerance: a second, or a tenth of the limit when that is more.
		t37_tol=$((t37_limit * 100))
		[ "$t37_tol" -lt 1000 ] && t37_tol=1000
		if $t37_slow; then
			skip "time-limit.wall.$t37_name" \
				"a sanitizer build ($BUILD): $t37_wall ms for --time-limit $t37_limit"
		elif [ "$t37_wall" -le $((t37_limit * 1000 + t37_tol)) ]; then
			pass "time-limit.wall.$t37_name"
		else
			fail "time-limit.wall.$t37_name" \
				"--time-limit $t37_limit took $t37_wall ms (at most $((t37_limit * 1000 + t37_tol)))"
		fi
		check "time-limit.rules.$t37_name" "$t37_py" tests/checker/check_plan.py \
			"$t37_work/c.json" "$t37_dir/rota.json"
		check "time-limit.not-worse-than-greedy.$t37_name" "$t37_py" \
			"$t37_work/not-worse.py" "$t37_work/c.json" "$t37_dir/rota.json" \
			"$t37_work/greedy.json"
		check "time-limit.stopped.$t37_name" "$t37_py" "$t37_work/unreached.py" \
			"$t37_dir/rota.json"
		check "time-limit.summary-says-so.$t37_name" grep -q "chưa giải tới" \
			"$t37_dir/summary.txt"
		if [ "$t37_threads" = 2 ]; then
			# At least two progress lines, each naming a part, and
			# the line erased at the end.
			t37_lines=$(tr '\r' '\n' <"$t37_work/$t37_name.err" | grep -c '^rota: .* part [0-9]*/[0-9]* ')
			if [ "$t37_lines" -ge 2 ] && tail -c 4 "$t37_work/$t37_name.err" | grep -q 'K'; then
				pass "time-limit.progress.$t37_name"
			else
				fail "time-limit.progress.$t37_name" \
					"expected two progress lines or more, found $t37_lines:" \
					"$(tr '\r' '\n' <"$t37_work/$t37_name.err" | tail -n 5)"
			fi
		fi
	done
fi

# A limit that stops nothing: the plan of a run without one.
# t37_same NAME CAMPAIGN: plans CAMPAIGN without a limit and with a
# generous one (one thread: also a different thread count) and compares
# every file.
t37_same() {
	t37_a=$t37_work/$1-unlimited
	t37_b=$t37_work/$1-limited
	if ! t37_out=$(SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$2" -o "$t37_a" --quiet \
		2>&1 >/dev/null); then
		fail "time-limit.same.$1" "without a limit: $t37_out"
	elif ! t37_out=$(ROTA_DEBUG=1 SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$2" \
		-o "$t37_b" --quiet --time-limit 600 --threads 1 2>&1 >/dev/null); then
		fail "time-limit.same.$1" "with --time-limit 600: $t37_out"
	else
		check "time-limit.same.$1" diff -r "$t37_a" "$t37_b"
		# Phase 1's LPs wait frozen (docs/model.md section 8): the
		# comparison above is the check that thawing gives them back.
		t37_kept=$(printf '%s\n' "$t37_out" | grep -c "LP kept for phase 2")
		t37_frozen=$(printf '%s\n' "$t37_out" | grep -c "LP kept for phase 2 frozen")
		if [ "$t37_kept" -gt 0 ] && [ "$t37_kept" = "$t37_frozen" ]; then
			pass "time-limit.frozen.$1"
		else
			fail "time-limit.frozen.$1" "$t37_frozen of $t37_kept kept LPs frozen"
		fi
	fi
}
t37_same trung-hoi examples/trung-hoi-2024.json
# Two communes and a district team: two parts, each phase 2 on the thread
# of its phase 1.
if t37_out=$("$t37_py" tools/gen/communes.py --seed 5 --communes 2 --size small \
	--out "$t37_work/district.json" 2>&1); then
	t37_same district-seed-5 "$t37_work/district.json"
else
	fail time-limit.generate-district "$t37_out"
fi
