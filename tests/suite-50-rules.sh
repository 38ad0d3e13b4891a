# Rules 1-6 on every example, checked by tests/checker/check_plan.py, which
# shares no code with the planner. Plans each example once (or reuses the
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
