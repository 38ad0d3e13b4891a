# Rules 1-6 on every example, checked by tests/checker/check_plan.py, which
# shares no code with the planner, and the order of rule 7 by
# tests/checker/check_order.py. Plans each example once (or reuses the
# plan an earlier suite left in $TMP/plans/NAME).
for example in examples/*.json; do
	name=$(basename "$example" .json)
	dir=$TMP/plans/$name
	if [ ! -f "$dir/rota.json" ]; then
		mkdir -p "$TMP/plans"
		if ! out=$(SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$example" -o "$dir" --quiet 2>&1); then
			fail "rules.$name" "rota plan failed:" "$out"
			continue
		fi
	fi
	check "rules.$name" /usr/bin/python3 tests/checker/check_plan.py "$example" "$dir/rota.json"
	# Rule 7's order: every deadline and served level proven, and equal to
	# what the coverage adds up to.
	check "order.$name" /usr/bin/python3 tests/checker/check_order.py "$example" "$dir/rota.json"
done

# The checker itself must notice broken plans: each mutation must fail it.
first=$(ls examples/*.json 2>/dev/null | head -n 1)
if [ -n "$first" ] && [ -f "$TMP/plans/$(basename "$first" .json)/rota.json" ]; then
	name=$(basename "$first" .json)
	/usr/bin/python3 tests/checker/mutate.py "$first" "$TMP/plans/$name/rota.json" "$TMP/mutants"
	for mutant in "$TMP"/mutants/*.json; do
		m=$(basename "$mutant" .json)
		if /usr/bin/python3 tests/checker/check_plan.py "$first" "$mutant" >"$TMP/mutant.out" 2>&1; then
			fail "rules.checker-notices.$m" "check_plan.py accepted a broken plan"
		else
			pass "rules.checker-notices.$m"
		fi
	done
fi

# And check_order.py notices a level that is not proven, and a level that
# does not match the coverage.
if [ -n "$first" ] && [ -f "$TMP/plans/$(basename "$first" .json)/rota.json" ]; then
	name=$(basename "$first" .json)
	/usr/bin/python3 - "$TMP/plans/$name/rota.json" "$TMP/order-mutants" <<'EOF'
import json
import os
import sys

plan = json.load(open(sys.argv[1], encoding="utf-8"))
os.makedirs(sys.argv[2], exist_ok=True)
unproven = json.loads(json.dumps(plan))
for lv in unproven["solver"]["levels"]:
    if lv["name"].startswith("deadline-p"):
        lv["bound"] = lv["value"] + 1
        lv["gap"] = 1 / max(abs(lv["value"]), 1)
        break
json.dump(unproven, open(os.path.join(sys.argv[2], "unproven.json"), "w"))
off = json.loads(json.dumps(plan))
row = next(r for r in off["coverage"] if r["by_deadline"] > 0)
row["by_deadline"] -= 1
json.dump(off, open(os.path.join(sys.argv[2], "coverage-off.json"), "w"))
EOF
	for mutant in "$TMP"/order-mutants/*.json; do
		m=$(basename "$mutant" .json)
		if /usr/bin/python3 tests/checker/check_order.py "$first" "$mutant" >"$TMP/mutant.out" 2>&1; then
			fail "order.checker-notices.$m" "check_order.py accepted a broken plan"
		else
			pass "order.checker-notices.$m"
		fi
	done
fi
