# Unit tests: every build/tests/test_* binary (tests/unit/test_*.c).
for bin in "$BUILD"/tests/test_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	if out=$("$bin" 2>"$TMP/unit.err"); then status=0; else status=$?; fi
	printf '%s\n' "$out" | while IFS= read -r line; do :; done
	# Count each reported test; a crash or a non-zero exit with no "not ok" fails the binary.
	oks=$(printf '%s\n' "$out" | grep -c '^ok ' || true)
	bad=$(printf '%s\n' "$out" | grep '^not ok ' || true)
	for t in $(printf '%s\n' "$out" | sed -n 's/^ok //p'); do pass "$name.$t"; done
	if [ -n "$bad" ]; then
		for t in $(printf '%s\n' "$bad" | sed 's/^not ok //'); do
			fail "$name.$t" "$(cat "$TMP/unit.err")"
		done
	elif [ "$status" -ne 0 ] || [ "$oks" -eq 0 ]; then
		fail "$name" "exit status $status" "$(cat "$TMP/unit.err")"
	fi
done
