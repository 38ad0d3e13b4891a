# Bad input: every tests/bad/NAME.json is checked with `rota check` from
# the top directory, and what it prints on standard error, followed by a
# line "exit N", must be exactly tests/bad/NAME.expected.
#
#   REGEN=1 sh tests/run.sh build    rewrites every .expected file from the
#                                    program's output: read `git diff
#                                    tests/bad` line by line before keeping it.
#
# Then: a file over the size limit (made here, not committed), every
# example (exit 0), and every input the fuzzer once crashed on (exit 0 or
# 1: anything else is a crash or a refusal of the wrong kind).

for input in tests/bad/*.json; do
	[ -f "$input" ] || continue
	name=$(basename "$input" .json)
	expected=tests/bad/$name.expected
	"$ROTA" check "$input" >/dev/null 2>"$TMP/bad.err"
	status=$?
	{ cat "$TMP/bad.err"; echo "exit $status"; } >"$TMP/bad.out"
	if [ "${REGEN:-}" = 1 ]; then
		cp "$TMP/bad.out" "$expected"
		pass "bad.$name (regenerated)"
	elif [ ! -f "$expected" ]; then
		fail "bad.$name" "missing $expected; its output:" "$(cat "$TMP/bad.out")"
	elif diff -u "$expected" "$TMP/bad.out" >"$TMP/bad.diff"; then
		pass "bad.$name"
	else
		fail "bad.$name" "$(cat "$TMP/bad.diff")"
	fi
done

# Bad plans: every tests/bad-plan/NAME/rota.json (a tampered copy of the
# small example's plan, naming ../../../examples/small.json or a file of
# its own as its campaign) is read by `rota week`, and what it prints on
# standard error, then "exit N", must be exactly tests/bad-plan/NAME.expected
# (REGEN=1 rewrites them as above). Nothing may be written.
for dir in tests/bad-plan/*/; do
	[ -f "$dir/rota.json" ] || continue
	name=$(basename "$dir")
	dir=tests/bad-plan/$name
	expected=tests/bad-plan/$name.expected
	rm -f "$TMP/week.ics"
	"$ROTA" week "$dir" -o "$TMP/week.ics" >/dev/null 2>"$TMP/bad.err"
	status=$?
	{ cat "$TMP/bad.err"; echo "exit $status"; } >"$TMP/bad.out"
	if [ -e "$TMP/week.ics" ]; then
		fail "bad-plan.$name" "a calendar was written"
	elif [ "${REGEN:-}" = 1 ]; then
		cp "$TMP/bad.out" "$expected"
		pass "bad-plan.$name (regenerated)"
	elif [ ! -f "$expected" ]; then
		fail "bad-plan.$name" "missing $expected; its output:" "$(cat "$TMP/bad.out")"
	elif diff -u "$expected" "$TMP/bad.out" >"$TMP/bad.diff"; then
		pass "bad-plan.$name"
	else
		fail "bad-plan.$name" "$(cat "$TMP/bad.diff")"
	fi
done

# A FIFO as rota.json, as the campaign it names, as the campaign: refused
# at once (exit 3), not waited on.
mkdir -p "$TMP/fifo-plan"
mkfifo "$TMP/fifo-plan/rota.json" "$TMP/fifo.json"
out=$(timeout 20 "$ROTA" week "$TMP/fifo-plan" --campaign examples/small.json 2>&1 >/dev/null)
status=$?
case "$status:$out" in
3:*"fifo-plan/rota.json': not a regular file (a FIFO)"*) pass bad.fifo-plan ;;
*) fail bad.fifo-plan "exit $status, expected 3" "$out" ;;
esac
out=$(timeout 20 "$ROTA" check "$TMP/fifo.json" 2>&1 >/dev/null)
status=$?
case "$status:$out" in
3:*"fifo.json': not a regular file (a FIFO)"*) pass bad.fifo-campaign ;;
*) fail bad.fifo-campaign "exit $status, expected 3" "$out" ;;
esac
rm -rf "$TMP/fifo-plan" "$TMP/fifo.json"

# Over CAMPAIGN_MAX_BYTES (16 MiB): refused as an I/O error before it is
# read all, from a file and from a pipe alike.
big=$TMP/too-large.json
if dd if=/dev/zero bs=1048576 count=16 2>/dev/null | tr '\0' ' ' >"$big" &&
	printf '{}' >>"$big"; then
	"$ROTA" check "$big" >/dev/null 2>"$TMP/big.err"
	status=$?
	want="rota: '$big' is too large: 16777218 bytes, campaign files are at most 16777216 bytes"
	if [ "$status" -eq 3 ] && [ "$(cat "$TMP/big.err")" = "$want" ]; then
		pass bad.too-large
	else
		fail bad.too-large "exit $status, expected 3" "$(cat "$TMP/big.err")" "expected: $want"
	fi
	# Through a pipe the size is not known beforehand.
	status=$( (cat "$big" | "$ROTA" check - >/dev/null 2>"$TMP/big.err"; echo $?) | tail -n 1)
	want="rota: '-' is too large: campaign files are at most 16777216 bytes"
	if [ "$status" -eq 3 ] && [ "$(cat "$TMP/big.err")" = "$want" ]; then
		pass bad.too-large-stdin
	else
		fail bad.too-large-stdin "exit $status, expected 3" "$(cat "$TMP/big.err")" "expected: $want"
	fi
	rm -f "$big"
else
	fail bad.too-large "could not write $big"
fi

# More JSON values than a campaign of 16 MiB could sensibly hold (each costs
# memory): refused while scanning, before cJSON builds its tree. The root,
# the array and 1,999,998 elements fit; the next one (column 12 + 2 x
# 1,999,998) does not.
many=$TMP/too-many-values.json
{ printf '{"units": ['; yes '1,' | head -n 2000000 | tr -d '\n'; printf '1]}'; } >"$many"
"$ROTA" check "$many" >/dev/null 2>"$TMP/many.err"
status=$?
want="rota: $many:1:4000008: too many values: more than 2000000 numbers, strings, arrays and objects
rota: $many: 1 error, 0 warnings"
if [ "$status" -eq 1 ] && [ "$(cat "$TMP/many.err")" = "$want" ]; then
	pass bad.too-many-values
else
	fail bad.too-many-values "exit $status, expected 1" "$(cat "$TMP/many.err")" "expected: $want"
fi
rm -f "$many"

# Every example is a valid campaign.
for example in examples/*.json; do
	[ -f "$example" ] || continue
	if out=$("$ROTA" check "$example" 2>&1 >/dev/null); then
		pass "bad.example-valid.$(basename "$example" .json)"
	else
		fail "bad.example-valid.$(basename "$example" .json)" "$out"
	fi
done

# Inputs that once crashed the fuzzer: diagnostics (exit 1) or a campaign
# (exit 0), never a crash (128 + signal) or a sanitizer's report.
# A missing directory fails (the loop would test nothing); its README is
# not an input.
if [ ! -d tests/fuzz/regressions ]; then
	fail bad.fuzz-regressions "tests/fuzz/regressions/ is missing"
fi
s20_inputs=0
for input in tests/fuzz/regressions/*; do
	[ -f "$input" ] || continue
	case ${input##*/} in README*) continue ;; esac
	s20_inputs=$((s20_inputs + 1))
	"$ROTA" check "$input" >/dev/null 2>"$TMP/fuzz.err"
	status=$?
	if [ "$status" -le 1 ] && ! grep -q 'Sanitizer\|runtime error' "$TMP/fuzz.err"; then
		pass "bad.fuzz-regression.$(basename "$input")"
	else
		fail "bad.fuzz-regression.$(basename "$input")" "exit $status" "$(tail -n 20 "$TMP/fuzz.err")"
	fi
done
if [ -d tests/fuzz/regressions ] && [ "$s20_inputs" -eq 0 ]; then
	skip bad.fuzz-regression "tests/fuzz/regressions/ holds no input yet"
fi
