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
#     80 columns and writes a calendar that the validators accept;
#   - what is sent (docs/calendars.md, "Re-planning"): a calendar store
#     (tests/ical/store.py with python3-icalendar, tests/ical/store.js with
#     ical.js) replays the outbox of every plan of a chain in order, as RFC
#     5546 says, and must end holding exactly the last plan's invites/: on
#     the fixture's chain of four plans (build/tests/test_calendar
#     --dump-chain), on a first plan of examples/small.json (store =
#     invites), and on a plan -> re-plan -> re-plan chain of small.json
#     through `rota plan --previous` (skipped, counted, while the binary
#     has no --previous); the stores are not blind (a lost CANCEL, a
#     sequence that does not rise).
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

# c40_store NAME DIR...: both calendar stores replay the plans' outboxes.
c40_store() {
	c40_sname=$1
	shift
	if [ "$c40_have_py" = 1 ]; then
		check "calendars.$c40_sname.store-python" "$c40_py" "$TOP/tests/ical/store.py" "$@"
	fi
	if [ "$c40_have_js" = 1 ]; then
		check "calendars.$c40_sname.store-icaljs" node "$TOP/tests/ical/store.js" "$@"
	fi
}

# c40_store_rejects NAME DIR...: both stores must find a problem.
c40_store_rejects() {
	c40_sname=$1
	shift
	if [ "$c40_have_py" = 1 ]; then
		if "$c40_py" "$TOP/tests/ical/store.py" "$@" >"$c40_work/reject.out" 2>&1; then
			fail "calendars.store-python-rejects.$c40_sname" "store.py accepted it"
		else
			pass "calendars.store-python-rejects.$c40_sname"
		fi
	fi
	if [ "$c40_have_js" = 1 ]; then
		if node "$TOP/tests/ical/store.js" "$@" >"$c40_work/reject.out" 2>&1; then
			fail "calendars.store-icaljs-rejects.$c40_sname" "store.js accepted it"
		else
			pass "calendars.store-icaljs-rejects.$c40_sname"
		fi
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
	# validate.js reads no mail.
	if [ "$c40_have_js" = 1 ] && [ "${1%-in-mail}" = "$1" ]; then
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
' "$TOP/src/ical_text.c" "$TOP/tests/unit/test_calendar.c" "$TOP/tests/unit/test_sequence.c"

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

	# The fixture's chain of four plans (tests/unit/test_calendar.c,
	# chain_build): moved, changed, cancelled, re-added after a cancel,
	# a cancel to an address the new campaign no longer has.
	c40_chain=$c40_work/chain
	rm -rf "$c40_chain"
	if "$c40_unit" --dump-chain "$c40_chain" >"$c40_work/dump.out" 2>&1; then
		pass calendars.chain.dump
		for c40_k in 1 2 3 4; do
			c40_validate "chain-$c40_k" "$c40_chain/$c40_k"
		done
		c40_store chain-1 "$c40_chain/1"
		c40_store chain-1-2 "$c40_chain/1" "$c40_chain/2"
		c40_store chain-1-3 "$c40_chain/1" "$c40_chain/2" "$c40_chain/3"
		c40_store chain-1-4 "$c40_chain/1" "$c40_chain/2" "$c40_chain/3" "$c40_chain/4"
		# Not blind: a lost CANCEL leaves a stale event; a REQUEST whose
		# sequence did not rise is ignored; plans out of order.
		rm -rf "$c40_work/broken"
		cp -R "$c40_chain" "$c40_work/broken"
		rm "$c40_work/broken/3/outbox/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics"
		c40_store_rejects lost-cancel "$c40_work/broken/1" "$c40_work/broken/2" "$c40_work/broken/3"
		rm -rf "$c40_work/broken"
		cp -R "$c40_chain" "$c40_work/broken"
		sed 's/^SEQUENCE:1\r$/SEQUENCE:0\r/' \
			"$c40_chain/2/outbox/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics" \
			>"$c40_work/broken/2/outbox/xom-dong-chua/2024-03-09-weekend-nvh-dong-chua-ca-xa.ics"
		c40_store_rejects sequence-not-raised "$c40_work/broken/1" "$c40_work/broken/2"
		c40_store_rejects out-of-order "$c40_chain/1" "$c40_chain/3" "$c40_chain/2"
		c40_store_rejects a-plan-skipped "$c40_chain/1" "$c40_chain/3"
		# The validators check sequences, cancels and the MIME method too.
		c40_cancel=outbox/thcs-trung-hoi/2024-03-05-day-thcs-ca-xa
		rm -rf "$c40_work/broken"
		cp -R "$c40_chain/2" "$c40_work/broken"
		sed 's/^SEQUENCE:1\r$/SEQUENCE:0\r/' "$c40_chain/2/calendars/teams/ca-xa.ics" \
			>"$c40_work/broken/calendars/teams/ca-xa.ics"
		c40_rejects sequence-not-rota-json "$c40_work/broken"
		rm -rf "$c40_work/broken"
		cp -R "$c40_chain/2" "$c40_work/broken"
		sed 's/^METHOD:CANCEL\r$/METHOD:REQUEST\r/' "$c40_chain/2/$c40_cancel.ics" \
			>"$c40_work/broken/$c40_cancel.ics"
		c40_rejects cancel-sent-as-request "$c40_work/broken"
		rm -rf "$c40_work/broken"
		cp -R "$c40_chain/2" "$c40_work/broken"
		sed 's/method=CANCEL;/method=REQUEST;/' "$c40_chain/2/$c40_cancel.eml" \
			>"$c40_work/broken/$c40_cancel.eml"
		c40_rejects mime-method-in-mail "$c40_work/broken"
		rm -rf "$c40_work/broken"
	else
		fail calendars.chain.dump "$(cat "$c40_work/dump.out")"
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

	# A first plan's outbox is every invitation: the store holds invites/.
	if [ -d "$c40_small" ]; then
		c40_store small-first "$c40_small"
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

# ---- a plan and two re-plans of examples/small.json (rota plan --previous) ----

# c40_replan OLD DIR DAYS CAMPAIGN [OPTION...]: re-plans OLD into DIR, with
# SOURCE_DATE_EPOCH DAYS days after the first plan's (a fresh DTSTAMP).
c40_replan() {
	c40_old=$1
	c40_dir=$2
	c40_days=$3
	c40_campaign=$4
	shift 4
	rm -rf "$c40_dir"
	# shellcheck disable=SC2086
	SOURCE_DATE_EPOCH=$((c40_epoch + 86400 * c40_days)) "$ROTA" plan "$c40_campaign" \
		-o "$c40_dir" --previous "$c40_old" --quiet --mail ${C40_PLAN_OPTIONS:-} "$@" \
		>"$c40_work/plan.out" 2>"$c40_work/plan.err"
}

if [ "$c40_can_plan" = 1 ] && [ -d "$c40_work/small" ]; then
	if ! "$ROTA" plan --help 2>&1 | grep -q -- '--previous'; then
		skip calendars.replan-chain "$ROTA plan has no --previous yet"
	else
		c40_r=$c40_work/replan
		rm -rf "$c40_r"
		mkdir -p "$c40_r"
		cp -R "$c40_work/small" "$c40_r/1"
		# The school's count corrected down: its invitation changes.
		"$c40_py" -c '
import json, sys
c = json.load(open(sys.argv[1], encoding="utf-8"))
for u in c["units"]:
    if u["id"] == "thcs-trung-hoi":
        u["demand"][0]["count"] -= 6
json.dump(c, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=1)
' "$TOP/examples/small.json" "$c40_r/edited.json"
		if c40_replan "$c40_r/1" "$c40_r/2" 1 "$c40_r/edited.json" --today 2024-03-05 --freeze 0; then
			pass calendars.replan-chain.replan-1
			c40_validate replan-2 "$c40_r/2"
			c40_store replan-1-2 "$c40_r/1" "$c40_r/2"
			if c40_replan "$c40_r/2" "$c40_r/3" 2 "$TOP/examples/small.json" --today 2024-03-06 --freeze 0; then
				pass calendars.replan-chain.replan-2
				c40_validate replan-3 "$c40_r/3"
				c40_store replan-1-3 "$c40_r/1" "$c40_r/2" "$c40_r/3"
			else
				fail calendars.replan-chain.replan-2 "$(head -n 20 "$c40_work/plan.err")"
			fi
		else
			fail calendars.replan-chain.replan-1 "$(head -n 20 "$c40_work/plan.err")"
		fi
	fi
fi
