# District teams shared by several communes (docs/model.md, section 1,
# "shared teams"): each part is first planned as if it had them to
# itself; then a part whose district sessions collide with an earlier
# part's first gets its own plan dated again on the dates still free
# (wplan_redate_free), and only when that fails is planned again without
# those dates. The bounds of that second plan are the first pass's, so
# the part's fine model, which only gives bounds at that size, is not
# solved again:
#
#   - on three small generated communes with a district team (seed 2),
#     one part is dated again and another planned again, and the debug
#     trace says so, with the first pass's fine bounds kept;
#   - every level of the plan is still reached (no gap of 1 in
#     solver.levels: the bounds came through), and the plan keeps rules
#     1-6 (tests/checker/check_plan.py);
#   - one thread and two give the same directory, byte for byte.
#
# Sourced by tests/run.sh: uses pass/fail/check, $ROTA, $TMP. Its own
# variables start with s39_.

s39_py=/usr/bin/python3
s39_work=$TMP/s39
mkdir -p "$s39_work"

# reached.py PLAN: fails when a level of the solver record was never
# reached (plan-v1: gap 1 where value and bound agree).
cat >"$s39_work/reached.py" <<'EOF'
import json
import sys

levels = json.load(open(sys.argv[1], encoding="utf-8"))["solver"]["levels"]
cut = [lv["name"] for lv in levels
       if lv["gap"] >= 1 and abs(lv["value"] - lv["bound"]) / max(abs(lv["value"]), 1) < 1]
if cut:
    print("never reached: " + ", ".join(cut))
sys.exit(1 if cut else 0)
EOF

if ! s39_out=$("$s39_py" tools/gen/communes.py --seed 2 --communes 3 --size small \
	--out "$s39_work/district.json" 2>&1); then
	fail shared.generate "$s39_out"
else
	s39_ok=true
	for s39_t in 1 2; do
		if ! ROTA_DEBUG=1 SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$s39_work/district.json" \
			-o "$s39_work/plan-$s39_t" --quiet --threads $s39_t >/dev/null \
			2>"$s39_work/plan-$s39_t.log"; then
			fail "shared.plan.threads-$s39_t" "$(tail -n 20 "$s39_work/plan-$s39_t.log")"
			s39_ok=false
		fi
	done
	if $s39_ok; then
		check shared.dated-again grep -q \
			"its shared teams' sessions dated again, not planned again" \
			"$s39_work/plan-1.log"
		check shared.replanned-keeps-fine-bounds grep -q \
			"planned again, the fine bounds of the first pass kept" "$s39_work/plan-1.log"
		check shared.every-level-reached "$s39_py" "$s39_work/reached.py" \
			"$s39_work/plan-1/rota.json"
		check shared.rules "$s39_py" tests/checker/check_plan.py "$s39_work/district.json" \
			"$s39_work/plan-1/rota.json"
		check shared.same-with-two-threads diff -r "$s39_work/plan-1" "$s39_work/plan-2"
	fi
fi
