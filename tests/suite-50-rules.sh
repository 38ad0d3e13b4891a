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

# The checkers themselves must notice broken plans: each mutation must
# fail check_plan.py (rules 1-6), each --order mutation check_order.py.
# s50_rejects PREFIX CHECKER DIR
s50_rejects() {
	for mutant in "$3"/*.json; do
		m=$(basename "$mutant" .json)
		if /usr/bin/python3 "$2" "$first" "$mutant" >"$TMP/mutant.out" 2>&1; then
			fail "$1.checker-notices.$m" "$(basename "$2") accepted a broken plan"
		else
			pass "$1.checker-notices.$m"
		fi
	done
}
first=$(ls examples/*.json 2>/dev/null | head -n 1)
if [ -n "$first" ] && [ -f "$TMP/plans/$(basename "$first" .json)/rota.json" ]; then
	plan=$TMP/plans/$(basename "$first" .json)/rota.json
	/usr/bin/python3 tests/checker/mutate.py "$first" "$plan" "$TMP/mutants"
	s50_rejects rules tests/checker/check_plan.py "$TMP/mutants"
	/usr/bin/python3 tests/checker/mutate.py "$first" "$plan" "$TMP/order-mutants" --order
	s50_rejects order tests/checker/check_order.py "$TMP/order-mutants"
fi
