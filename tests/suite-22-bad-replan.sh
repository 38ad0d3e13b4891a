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
# 3. The good counterparts: tests/bad-previous/good-actuals.csv (columns
#    in another order and case, ';' between them, a column more, a unit
#    that came uninvited) is accepted and recorded; a second re-plan in
#    place keeps it; without --today, today is the date in the campaign's
#    zone (Asia/Ho_Chi_Minh, UTC+7) of SOURCE_DATE_EPOCH.
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
# Actuals inside the directory the plan replaces would be lost with it:
# refused before anything (exit 2), the directory left as it was.
cp tests/bad-previous/good-actuals.csv "$TMP/s22-inplace/actuals.csv"
SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$s22_base/campaign.json" -o "$TMP/s22-inplace" \
	--quiet --previous "$TMP/s22-inplace" --today 2024-03-05 \
	--actuals "$TMP/s22-inplace/actuals.csv" >/dev/null 2>"$TMP/s22.err"
s22_status=$?
rm -f "$TMP/s22-inplace/actuals.csv"
if [ "$s22_status" -ne 2 ] || ! grep -q "which the plan replaces" "$TMP/s22.err"; then
	fail bad-replan.actuals-inside "exit $s22_status, expected 2" "$(cat "$TMP/s22.err")"
elif ! diff -r "$s22_base" "$TMP/s22-inplace" >"$TMP/s22.diff"; then
	fail bad-replan.actuals-inside "the previous plan was changed" "$(cat "$TMP/s22.diff")"
else
	pass bad-replan.actuals-inside
fi
rm -rf "$TMP/s22-inplace" "$s22_out"

# s22_has NAME FILE TEXT: passes when FILE holds the line fragment TEXT.
s22_has() {
	if grep -qF -- "$3" "$2"; then
		pass "$1"
	else
		fail "$1" "'$3' not in $2" "$(head -c 3000 "$2")"
	fi
}

s22_good=$TMP/s22-good
rm -rf "$s22_good"
if SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$s22_base/campaign.json" -o "$s22_good" \
	--quiet --previous "$s22_base" --today 2024-03-05 \
	--actuals tests/bad-previous/good-actuals.csv >/dev/null 2>"$TMP/s22.err"; then
	pass good-replan.actuals
	s22_has good-replan.today "$s22_good/rota.json" '"today": "2024-03-05",'
	s22_has good-replan.came "$s22_good/rota.json" \
		'{"unit": "xom-dong-chua", "group": "exam", "service": "cccd", "count": 6, "arrive": "07:30", "until": "11:30", "came": 4}'
	s22_has good-replan.came-uninvited "$s22_good/rota.json" \
		'"group": "general", "service": "eid2", "count": 0,'
	s22_has good-replan.assumed "$s22_good/rota.json" \
		'"group": "policy", "service": "cccd", "count": 2, "arrive": "13:30", "until": "14:10", "came": 2, "assumed": true}'
	if "$ROTA" week "$s22_good" 2024-W10 -o "$TMP/s22-week.ics" >/dev/null 2>"$TMP/s22.err"; then
		pass good-replan.week-reads
	else
		fail good-replan.week-reads "$(cat "$TMP/s22.err")"
	fi
	# A week later, in place, without actuals: the reported figure stays.
	if SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$s22_good/campaign.json" -o "$s22_good" \
		--quiet --previous "$s22_good" --today 2024-03-06 >/dev/null 2>"$TMP/s22.err"; then
		pass good-replan.in-place
		s22_has good-replan.in-place-today "$s22_good/rota.json" '"today": "2024-03-06",'
		s22_has good-replan.came-kept "$s22_good/rota.json" \
			'{"unit": "xom-dong-chua", "group": "exam", "service": "cccd", "count": 6, "arrive": "07:30", "until": "11:30", "came": 4}'
	else
		fail good-replan.in-place "$(cat "$TMP/s22.err")"
	fi
else
	fail good-replan.actuals "$(cat "$TMP/s22.err")"
fi

# 2024-03-04 17:30 UTC is 2024-03-05 00:30 in Hanoi.
rm -rf "$s22_good"
if SOURCE_DATE_EPOCH=1709573400 "$ROTA" plan "$s22_base/campaign.json" -o "$s22_good" \
	--quiet --previous "$s22_base" >/dev/null 2>"$TMP/s22.err"; then
	s22_has good-replan.today-in-zone "$s22_good/rota.json" '"today": "2024-03-05",'
else
	fail good-replan.today-in-zone "$(cat "$TMP/s22.err")"
fi
rm -rf "$s22_good" "$TMP/s22-week.ics"
