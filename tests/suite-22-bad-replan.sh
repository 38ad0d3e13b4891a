# Bad input of a re-plan (replan-v1.md): every problem of the actuals, of
# the previous plan and of the options is refused with its place, exit
# status 1 (2 for a usage error), and nothing is written.
#
# 1. tests/bad-actuals/NAME.csv: planned again from tests/bad-previous/base
#    (the small example's first plan) with --today 2024-03-05 --actuals
#    NAME.csv. What rota prints on standard error, then "exit N", must be
#    exactly tests/bad-actuals/NAME.expected.
# 2. tests/bad-previous/NAME/args: the extra arguments of the case. The
#    previous plan is NAME/ itself when it holds a rota.json or a
#    campaign.json, else tests/bad-previous/base; the campaign is
#    tests/bad-previous/base/campaign.json. The word NOPREVIOUS in args
#    leaves --previous out. Expected: tests/bad-previous/NAME.expected.
#
#   REGEN=1 ROTA_SUITES=22 sh tests/run.sh build   rewrites the .expected
#   files: read `git diff tests/bad-actuals tests/bad-previous` line by
#   line before keeping it.
#
# SOURCE_DATE_EPOCH is 1700000000 (2023-11-15 in the campaign's zone,
# Asia/Ho_Chi_Minh; 2023-11-14 in UTC), so a case without --today
# sees a today before the campaign. Its own variables start with s22_.

s22_base=tests/bad-previous/base
s22_out=$TMP/s22-out

# s22_case NAME EXPECTED: compares $TMP/s22.err and the status with
# EXPECTED, and checks that nothing was written.
s22_case() {
	{ sed "s|$TMP/||g" "$TMP/s22.err"; echo "exit $s22_status"; } >"$TMP/s22.out"
	if [ -e "$s22_out" ]; then
		fail "$1" "exit $s22_status, but $s22_out was written"
	elif ls -a "$TMP" | grep -q '^\.s22-out\.'; then
		fail "$1" "a temporary directory was left beside $s22_out"
	elif [ "${REGEN:-}" = 1 ]; then
		cp "$TMP/s22.out" "$2"
		pass "$1 (regenerated)"
	elif [ ! -f "$2" ]; then
		fail "$1" "missing $2; its output:" "$(cat "$TMP/s22.out")"
	elif diff -u "$2" "$TMP/s22.out" >"$TMP/s22.diff"; then
		pass "$1"
	else
		fail "$1" "$(cat "$TMP/s22.diff")"
	fi
}

s22_n=0
for s22_csv in tests/bad-actuals/*.csv; do
	[ -f "$s22_csv" ] || continue
	s22_n=$((s22_n + 1))
	s22_name=$(basename "$s22_csv" .csv)
	rm -rf "$s22_out"
	SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$s22_base/campaign.json" -o "$s22_out" \
		--quiet --previous "$s22_base" --today 2024-03-05 --actuals "$s22_csv" \
		>/dev/null 2>"$TMP/s22.err"
	s22_status=$?
	s22_case "bad-actuals.$s22_name" "tests/bad-actuals/$s22_name.expected"
done
[ "$s22_n" -gt 0 ] || fail bad-actuals "tests/bad-actuals/ holds no case"

s22_n=0
for s22_dir in tests/bad-previous/*/; do
	s22_dir=${s22_dir%/}
	[ -f "$s22_dir/args" ] || continue
	s22_n=$((s22_n + 1))
	s22_name=${s22_dir##*/}
	s22_old=$s22_base
	if [ -e "$s22_dir/rota.json" ] || [ -e "$s22_dir/campaign.json" ]; then
		s22_old=$s22_dir
	fi
	set -- $(cat "$s22_dir/args")
	if [ "${1:-}" = NOPREVIOUS ]; then
		shift
	else
		set -- --previous "$s22_old" "$@"
	fi
	rm -rf "$s22_out"
	SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$s22_base/campaign.json" -o "$s22_out" \
		--quiet "$@" >/dev/null 2>"$TMP/s22.err"
	s22_status=$?
	s22_case "bad-previous.$s22_name" "tests/bad-previous/$s22_name.expected"
done
[ "$s22_n" -gt 0 ] || fail bad-previous "tests/bad-previous/ holds no case"

# Re-planning in place (-o OLD) with bad actuals leaves OLD as it was.
rm -rf "$TMP/s22-inplace"
cp -R "$s22_base" "$TMP/s22-inplace"
SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$s22_base/campaign.json" -o "$TMP/s22-inplace" \
	--quiet --previous "$TMP/s22-inplace" --today 2024-03-05 \
	--actuals tests/bad-actuals/visit-twice.csv >/dev/null 2>"$TMP/s22.err"
s22_status=$?
if [ "$s22_status" -ne 1 ]; then
	fail bad-replan.in-place "exit $s22_status, expected 1" "$(cat "$TMP/s22.err")"
elif ! diff -r "$s22_base" "$TMP/s22-inplace" >"$TMP/s22.diff"; then
	fail bad-replan.in-place "the previous plan was changed" "$(cat "$TMP/s22.diff")"
else
	pass bad-replan.in-place
fi
rm -rf "$TMP/s22-inplace" "$s22_out"
