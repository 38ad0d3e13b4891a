# Heuristics on an idle processor (docs/model.md sections 6 and 8): a
# single part with --threads 2 runs the free dive beside the first and
# RINS round 1 beside the free dive, and the plan is the one of
# --threads 1, byte for byte (SOURCE_DATE_EPOCH), the whole directory:
#
#   - Trung Hội, where both are taken on person-minutes (the debug trace
#     says so; with one thread it never mentions them);
#   - generated seeds where the free dive's result is thrown away because
#     the first dive's incumbent would have stopped it (the trace says
#     "stopped by the first's incumbent"), or where the first dive added
#     lazy rows and it is dropped.
#
# Sourced by tests/run.sh: uses pass/fail/skip, $ROTA, $BUILD, $TMP. Its
# own variables start with s38_.

s38_py=/usr/bin/python3
s38_work=$TMP/s38
s38_epoch=1700000000
mkdir -p "$s38_work"

# s38_same NAME CAMPAIGN PATTERN: plans CAMPAIGN with one thread and two;
# passes spare.NAME when the directories are the same, the two-thread
# trace has PATTERN and the one-thread trace no trace of a task.
s38_same() {
	s38_name=$1
	rm -rf "$s38_work/$s38_name-1" "$s38_work/$s38_name-2"
	for s38_t in 1 2; do
		if ! ROTA_DEBUG=1 SOURCE_DATE_EPOCH=$s38_epoch "$ROTA" plan "$2" \
			-o "$s38_work/$s38_name-$s38_t" --quiet --threads $s38_t \
			>/dev/null 2>"$s38_work/$s38_name-$s38_t.log"; then
			fail "spare.$s38_name" "$(tail -n 20 "$s38_work/$s38_name-$s38_t.log")"
			return
		fi
	done
	if ! s38_diff=$(diff -r "$s38_work/$s38_name-1" "$s38_work/$s38_name-2" 2>&1); then
		fail "spare.$s38_name" "$(printf '%s\n' "$s38_diff" | head -n 20)"
	elif ! grep -q "$3" "$s38_work/$s38_name-2.log"; then
		fail "spare.$s38_name" "the trace with two threads has no '$3'"
	elif grep -q "beside" "$s38_work/$s38_name-1.log"; then
		fail "spare.$s38_name" "a task ran with one thread"
	else
		pass "spare.$s38_name"
	fi
	rm -rf "$s38_work/$s38_name-1" "$s38_work/$s38_name-2"
}

s38_same trung-hoi examples/trung-hoi-2024.json "rins round 1 taken from beside the dive"

# A generated commune (seed 6) where both are taken too.
if s38_out=$("$s38_py" tools/gen/communes.py --seed 6 --out "$s38_work/seed-6.json" 2>&1); then
	s38_same seed-6 "$s38_work/seed-6.json" "the free dive beside the first: taken"
else
	fail spare.seed-6 "generator failed: $s38_out"
fi
