# Calendars (docs/calendars.md): the .ics and .eml files of `rota plan` and
# `rota week`, read back by parsers that share no code with rota:
# tests/ical/validate.py (python3-icalendar, python3-vobject with validation,
# Python's email package) and tests/ical/validate.js (Mozilla's ical.js).
#
#   - the fixture's files (build/tests/test_calendar --dump), always;
#   - the validators reject broken files (a wrong VTIMEZONE offset, a
#     METHOD in a team calendar, an over-long line, a floating time);
#   - every examples/*.json planned with --mail, and small.json with
#     --lang en; both validators on each;
#   - examples/small.json against tests/golden/small/{calendars,invites,mail}
#     byte for byte (REGEN=1 rewrites them: read the diff before committing);
#   - two runs give the same bytes; `rota week` prints a table of at most
#     80 columns and writes a calendar that the validators accept.
# The parts that need `rota plan` are skipped, with a "# skip" line, while
# the binary cannot plan yet.
#
# Sourced by tests/run.sh: uses pass/fail/check, $ROTA, $BUILD, $TMP, $TOP.
# Its own variables start with c40_.

c40_epoch=1700000000
c40_py=/usr/bin/python3
c40_work=$TMP/c40
mkdir -p "$c40_work"

c40_skip() {
	echo "# skip $1: $2"
}

# Which validators can run here.
c40_have_py=0
if "$c40_py" -c 'import icalendar, vobject' 2>/dev/null; then
	c40_have_py=1
else
	c40_skip calendars.validate.py "$c40_py lacks python3-icalendar or python3-vobject (sh tools/deps.sh test)"
fi
c40_have_js=0
if command -v node >/dev/null 2>&1 && [ -f "$TOP/tests/js/node_modules/ical.js/package.json" ]; then
	c40_have_js=1
else
	c40_skip calendars.validate.js "node or tests/js/node_modules/ical.js missing (sh tools/deps.sh test)"
fi

# c40_validate NAME DIR: both validators on a plan directory.
c40_validate() {
	if [ "$c40_have_py" = 1 ]; then
		check "calendars.$1.python" "$c40_py" "$TOP/tests/ical/validate.py" "$2"
	fi
	if [ "$c40_have_js" = 1 ]; then
		check "calendars.$1.icaljs" node "$TOP/tests/ical/validate.js" "$2"
	fi
}

# c40_rejects NAME DIR: both validators must find a problem in DIR.
c40_rejects() {
	if [ "$c40_have_py" = 1 ]; then
		if "$c40_py" "$TOP/tests/ical/validate.py" "$2" >"$c40_work/reject.out" 2>&1; then
			fail "calendars.python-rejects.$1" "validate.py accepted it"
		else
			pass "calendars.python-rejects.$1"
		fi
	fi
	if [ "$c40_have_js" = 1 ] && [ "$1" != long-line-in-mail ]; then
		if node "$TOP/tests/ical/validate.js" "$2" >"$c40_work/reject.out" 2>&1; then
			fail "calendars.icaljs-rejects.$1" "validate.js accepted it"
		else
			pass "calendars.icaljs-rejects.$1"
		fi
	fi
}

# Our own Vietnamese words are NFC, as the campaign's names are.
check calendars.source-is-nfc "$c40_py" -c '
import sys, unicodedata
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    if not unicodedata.is_normalized("NFC", text):
        sys.exit("%s: not NFC" % path)
' "$TOP/src/ical_text.c" "$TOP/tests/unit/test_calendar.c"

# ---- the fixture, without the solver ----

c40_unit=$BUILD/tests/test_calendar
if [ -x "$c40_unit" ]; then
	for c40_lang in vi en; do
		rm -rf "$c40_work/fixture-$c40_lang"
		if "$c40_unit" --dump "$c40_work/fixture-$c40_lang" "$c40_lang" >"$c40_work/dump.out" 2>&1; then
			pass "calendars.fixture-$c40_lang.dump"
			c40_validate "fixture-$c40_lang" "$c40_work/fixture-$c40_lang"
		else
			fail "calendars.fixture-$c40_lang.dump" "$(cat "$c40_work/dump.out")"
		fi
	done

	# The validators are not blind: each broken copy must be refused.
	c40_fx=$c40_work/fixture-vi
	c40_team=calendars/teams/ca-xa.ics
	c40_break() {
		rm -rf "$c40_work/broken"
		cp -R "$c40_fx" "$c40_work/broken"
	}
	if [ -f "$c40_fx/$c40_team" ]; then
		c40_break
		sed 's/^TZOFFSETTO:+0700/TZOFFSETTO:+0800/' "$c40_fx/$c40_team" >"$c40_work/broken/$c40_team"
		c40_rejects vtimezone-offset "$c40_work/broken"
		c40_break
		sed 's/^VERSION:2.0\r$/VERSION:2.0\r\nMETHOD:PUBLISH\r/' "$c40_fx/$c40_team" >"$c40_work/broken/$c40_team"
		c40_rejects method-in-team-calendar "$c40_work/broken"
		c40_break
		sed 's/^DTSTART;TZID=Asia\/Ho_Chi_Minh:/DTSTART:/' "$c40_fx/$c40_team" >"$c40_work/broken/$c40_team"
		c40_rejects floating-time "$c40_work/broken"
		c40_break
		sed 's/^\(SUMMARY:.*\)\r$/\1 0123456789012345678901234567890123456789\r/' \
			"$c40_fx/$c40_team" >"$c40_work/broken/$c40_team"
		c40_rejects long-line "$c40_work/broken"
		c40_break
		sed 's/^MIME-Version: 1.0\r$/X-Long: 01234567890123456789012345678901234567890123456789012345678901234567890123456789\r\nMIME-Version: 1.0\r/' \
			"$c40_fx/mail/thcs-trung-hoi/2024-03-05-day-thcs-ca-xa.eml" \
			>"$c40_work/broken/mail/thcs-trung-hoi/2024-03-05-day-thcs-ca-xa.eml"
		c40_rejects long-line-in-mail "$c40_work/broken"
		rm -rf "$c40_work/broken"
	fi
else
	c40_skip calendars.fixture "$c40_unit is not built (make units)"
fi

# ---- the examples, through the binary ----

# c40_plan CAMPAIGN DIR [OPTION...]: plans reproducibly, with --mail.
# C40_PLAN_OPTIONS (e.g. "--time-limit 30") is added to every run, for a
# machine where the solver is slow.
c40_plan() {
	c40_campaign=$1
	c40_dir=$2
	shift 2
	rm -rf "$c40_dir"
	# shellcheck disable=SC2086
	SOURCE_DATE_EPOCH=$c40_epoch "$ROTA" plan "$c40_campaign" -o "$c40_dir" --quiet --mail \
		${C40_PLAN_OPTIONS:-} "$@" \
		>"$c40_work/plan.out" 2>"$c40_work/plan.err"
}

c40_can_plan=0
if [ ! -x "$ROTA" ]; then
	c40_skip calendars.examples "$ROTA is not built yet"
elif ! SOURCE_DATE_EPOCH=$c40_epoch "$ROTA" plan "$TOP/examples/small.json" \
	-o "$c40_work/probe" --quiet >"$c40_work/probe.out" 2>&1; then
	c40_skip calendars.examples "$ROTA cannot plan examples/small.json yet: $(head -n 1 "$c40_work/probe.out")"
else
	c40_can_plan=1
fi
rm -rf "$c40_work/probe"

if [ "$c40_can_plan" = 1 ]; then
	for c40_example in "$TOP"/examples/*.json; do
		c40_name=$(basename "$c40_example" .json)
		# suite-30 already planned it (with --mail, same epoch): reuse that.
		if [ -f "$TMP/plans/$c40_name/rota.json" ] && [ -z "${C40_PLAN_OPTIONS:-}" ]; then
			rm -rf "$c40_work/$c40_name"
			cp -R "$TMP/plans/$c40_name" "$c40_work/$c40_name"
			c40_validate "$c40_name" "$c40_work/$c40_name"
		elif c40_plan "$c40_example" "$c40_work/$c40_name"; then
			pass "calendars.$c40_name.plan"
			c40_validate "$c40_name" "$c40_work/$c40_name"
		else
			fail "calendars.$c40_name.plan" "$(head -n 20 "$c40_work/plan.err")"
		fi
	done

	c40_small=$c40_work/small
	if c40_plan "$TOP/examples/small.json" "$c40_work/small-en" --lang en; then
		pass calendars.small-en.plan
		c40_validate small-en "$c40_work/small-en"
		if grep -rq 'PRODID:-//rota//rota 0.1//EN' "$c40_work/small-en/calendars"; then
			pass calendars.small-en.english
		else
			fail calendars.small-en.english "no English PRODID"
		fi
	else
		fail calendars.small-en.plan "$(head -n 20 "$c40_work/plan.err")"
	fi

	# Same plan, same SOURCE_DATE_EPOCH: the same bytes.
	if [ -d "$c40_small" ] && c40_plan "$TOP/examples/small.json" "$c40_work/small-2"; then
		c40_diff=
		for c40_sub in calendars invites mail; do
			if [ -d "$c40_small/$c40_sub" ] || [ -d "$c40_work/small-2/$c40_sub" ]; then
				c40_diff="$c40_diff$(diff -r "$c40_small/$c40_sub" "$c40_work/small-2/$c40_sub" 2>&1)"
			fi
		done
		if [ -z "$c40_diff" ]; then
			pass calendars.small.reproducible
		else
			fail calendars.small.reproducible "$(printf '%s\n' "$c40_diff" | head -n 20)"
		fi
	else
		fail calendars.small.reproducible "second run failed: $(head -n 5 "$c40_work/plan.err")"
	fi
	rm -rf "$c40_work/small-2"

	# Golden files of examples/small.json.
	c40_gold=$TOP/tests/golden/small
	if [ -d "$c40_small" ]; then
		if [ "${REGEN:-0}" = 1 ]; then
			for c40_sub in calendars invites mail; do
				rm -rf "${c40_gold:?}/$c40_sub"
				if [ -d "$c40_small/$c40_sub" ]; then
					mkdir -p "$c40_gold"
					cp -R "$c40_small/$c40_sub" "$c40_gold/$c40_sub"
				fi
			done
			echo "# calendars: rewrote tests/golden/small/{calendars,invites,mail}: read the diff"
		fi
		if [ ! -d "$c40_gold/calendars" ]; then
			c40_skip calendars.small.golden "no tests/golden/small/calendars yet (REGEN=1 after review)"
		else
			c40_diff=
			for c40_sub in calendars invites mail; do
				c40_diff="$c40_diff$(diff -r "$c40_gold/$c40_sub" "$c40_small/$c40_sub" 2>&1)"
			done
			if [ -z "$c40_diff" ]; then
				pass calendars.small.golden
			else
				fail calendars.small.golden "$(printf '%s\n' "$c40_diff" | head -n 40)"
			fi
		fi
	fi

	# rota week on the planned example: a table and a calendar that passes.
	c40_week=$c40_work/small-week
	rm -rf "$c40_week"
	if [ -d "$c40_small" ]; then
		cp -R "$c40_small" "$c40_week"
		# c40_rota_week NAME ARG...: runs rota week; passes NAME.exit-0.
		c40_rota_week() {
			c40_wname=$1
			shift
			if SOURCE_DATE_EPOCH=$c40_epoch "$ROTA" week "$@" >"$c40_work/week.out" \
				2>"$c40_work/week.err"; then
				pass "calendars.$c40_wname.exit-0"
			else
				fail "calendars.$c40_wname.exit-0" "$(cat "$c40_work/week.err")"
				return 1
			fi
		}
		# At most 80 columns, but for the path of the calendar written.
		c40_table_fits() {
			"$c40_py" -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
bad = [l for l in lines if len(l) > 80 and not l.startswith("calendar: ")]
sys.exit("\n".join(bad) if bad else 0)' "$c40_work/week.out"
		}
		if c40_rota_week week-2024-W10 "$c40_week" 2024-W10 --campaign "$TOP/examples/small.json"; then
			if [ -s "$c40_week/week-2024-W10.ics" ] &&
				grep -q "^calendar: $c40_week/week-2024-W10.ics\$" "$c40_work/week.out"; then
				pass calendars.week-2024-W10.calendar
			else
				fail calendars.week-2024-W10.calendar "$(cat "$c40_work/week.out")"
			fi
			if c40_table_fits && grep -q '^Tuần 2024-W10 ' "$c40_work/week.out" &&
				grep -q '^Tổng: [1-9][0-9]* phiên, [0-9]* người$' "$c40_work/week.out"; then
				pass calendars.week-2024-W10.table
			else
				fail calendars.week-2024-W10.table "$(cat "$c40_work/week.out")"
			fi
		fi
		# Without a week: this week if the plan has sessions in it (not in
		# 2023), else the first week with one. Without --campaign: the
		# plan names its campaign.
		mkdir -p "$c40_work/week-default"
		cp "$c40_week/rota.json" "$c40_work/week-default/"
		if c40_rota_week week-default "$c40_work/week-default"; then
			c40_first=$("$c40_py" -c '
import datetime, json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))["sessions"][0]
y, w, _ = datetime.date.fromisoformat(s["date"]).isocalendar()
print("%04d-W%02d" % (y, w))' "$c40_week/rota.json")
			if [ -s "$c40_work/week-default/week-$c40_first.ics" ]; then
				pass calendars.week-default.first-week
			else
				fail calendars.week-default.first-week "no week-$c40_first.ics" "$(cat "$c40_work/week.out")"
			fi
		fi
		# A week without a session: said so, and no calendar (a calendar
		# must hold an event).
		if c40_rota_week week-empty "$c40_week" 2030-W01; then
			if grep -q '^Không có phiên nào trong tuần\.$' "$c40_work/week.out" &&
				[ ! -e "$c40_week/week-2030-W01.ics" ]; then
				pass calendars.week-empty.no-calendar
			else
				fail calendars.week-empty.no-calendar "$(cat "$c40_work/week.out")"
			fi
		fi
		if c40_rota_week week-en "$c40_week" 2024-W10 --lang en -o "$c40_week/week-en.ics"; then
			if grep -q '^Week 2024-W10 ' "$c40_work/week.out" && c40_table_fits &&
				grep -q 'PRODID:-//rota//rota 0.1//EN' "$c40_week/week-en.ics"; then
				pass calendars.week-en.table
			else
				fail calendars.week-en.table "$(cat "$c40_work/week.out")"
			fi
		fi
		c40_validate small-week "$c40_week"
	fi
fi
