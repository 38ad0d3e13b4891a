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
# No mutant written, or one missing, fails: a checker that is never shown
# a broken plan proves nothing.
# s50_mutants PREFIX CHECKER DIR [--order]
s50_mutants() {
	s50_prefix=$1
	s50_checker=$2
	s50_dir=$3
	shift 3
	rm -rf "$s50_dir"
	if ! s50_names=$(/usr/bin/python3 tests/checker/mutate.py "$first" "$plan" "$s50_dir" "$@" 		2>"$TMP/mutate.err"); then
		fail "$s50_prefix.mutate" "$(cat "$TMP/mutate.err")"
		return
	fi
	if [ -z "$s50_names" ]; then
		fail "$s50_prefix.mutate" "mutate.py wrote no mutant"
		return
	fi
	for m in $s50_names; do
		mutant=$s50_dir/$m.json
		if [ ! -f "$mutant" ]; then
			fail "$s50_prefix.checker-notices.$m" "mutate.py named $mutant but did not write it"
		elif /usr/bin/python3 "$s50_checker" "$first" "$mutant" >"$TMP/mutant.out" 2>&1; then
			fail "$s50_prefix.checker-notices.$m" "$(basename "$s50_checker") accepted a broken plan"
		else
			pass "$s50_prefix.checker-notices.$m"
		fi
	done
}
first=$(ls examples/*.json 2>/dev/null | head -n 1)
plan=$TMP/plans/$(basename "${first:-none}" .json)/rota.json
if [ -z "$first" ]; then
	fail rules.mutants "no examples/*.json"
elif [ ! -f "$plan" ]; then
	skip rules.mutants "$first was not planned (see rules.$(basename "$first" .json))"
else
	s50_mutants rules tests/checker/check_plan.py "$TMP/mutants"
	s50_mutants order tests/checker/check_order.py "$TMP/order-mutants" --order
fi
