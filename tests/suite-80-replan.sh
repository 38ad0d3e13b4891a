# Re-planning (replan-v1.md, issue 9): the weekly loop on the examples,
# checked by tests/checker/check_replan.py, which shares no code with the
# planner.
#
#   - the checker itself: a re-plan made by hand from the first plan of
#     examples/trung-hoi-2024.json (tests/checker/fake_replan.py: history,
#     freeze, one session moved, one visit changed, its outbox) passes, and
#     every mutation of it (tests/checker/mutate_replan.py: each promise
#     broken once) is caught with the expected words;
#   - the scenario, on examples/small.json and examples/trung-hoi-2024.json:
#     plan week 1; re-plan with actuals equal to the plan (rota.csv with
#     came = count): the same sessions, an empty outbox, a summary that says
#     nothing changed; re-plan with no-shows in two villages and the team
#     unavailable for a later week: check_replan.py passes, the team is idle
#     that week, the no-shows are invited again, the summary and `rota week`
#     show the changes and the turnout, each mutation of that re-plan is
#     caught; a second re-plan a week later (sequences continue); the
#     calendar store simulation (tests/ical/store.py) over the chain.
#     Skipped, and counted, while `rota plan` has no --previous.
#
# Sourced by tests/run.sh: uses pass/fail/skip/check, $ROTA, $TMP, $TOP.
# Its own variables start with r80_.

r80_py=/usr/bin/python3
r80_checker=$TOP/tests/checker
r80_work=$TMP/r80
mkdir -p "$r80_work"

# r80_plan NAME CAMPAIGN DIR: a first plan, reproducibly.
r80_plan() {
	SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$2" -o "$3" --quiet >"$r80_work/$1.plan.out" 2>&1
}

# r80_mutants PREFIX OLD NEW TODAY [checker options...]: every mutation of
# NEW must fail check_replan.py with the words mutate_replan.py names.
# Extra arguments after TODAY go to check_replan.py; --require in
# R80_REQUIRE makes a mutation the re-plan cannot offer an error.
r80_mutants() {
	r80_prefix=$1 r80_old=$2 r80_new=$3 r80_today=$4
	shift 4
	rm -rf "$r80_work/mutants"
	if ! "$r80_py" "$r80_checker/mutate_replan.py" "$r80_new" "$r80_work/mutants" \
		${R80_REQUIRE:-} >"$r80_work/mutants.list" 2>"$r80_work/mutants.err"; then
		fail "$r80_prefix.mutate" "$(cat "$r80_work/mutants.err")"
		return
	fi
	if [ ! -s "$r80_work/mutants.list" ]; then
		fail "$r80_prefix.mutate" "mutate_replan.py wrote no mutant"
		return
	fi
	while IFS="	" read -r r80_m r80_expect; do
		if "$r80_py" "$r80_checker/check_replan.py" "$r80_old" "$r80_work/mutants/$r80_m" \
			--today "$r80_today" "$@" >"$r80_work/mutant.out" 2>&1; then
			fail "$r80_prefix.catches.$r80_m" "check_replan.py accepted the mutant"
		elif grep -qF -- "$r80_expect" "$r80_work/mutant.out"; then
			pass "$r80_prefix.catches.$r80_m"
		else
			fail "$r80_prefix.catches.$r80_m" "expected '$r80_expect' in:" \
				"$(head -n 5 "$r80_work/mutant.out")"
		fi
	done <"$r80_work/mutants.list"
}

# ---- the checker on a re-plan made by hand ----

r80_th=$r80_work/checker/w1
mkdir -p "$r80_work/checker"
if [ -f "$TMP/plans/trung-hoi-2024/rota.json" ] && [ -f "$TMP/plans/trung-hoi-2024/campaign.json" ]; then
	cp -R "$TMP/plans/trung-hoi-2024" "$r80_th"
else
	r80_plan checker "$TOP/examples/trung-hoi-2024.json" "$r80_th"
fi
if [ ! -f "$r80_th/rota.json" ]; then
	fail replan.checker.plan "$(cat "$r80_work/checker.plan.out" 2>/dev/null)"
else
	# A first plan read as the previous one: sequences 0, nothing held.
	if "$r80_py" "$r80_checker/fake_replan.py" "$r80_th" "$r80_work/checker/fake" \
		--today 2024-03-11 >"$r80_work/out" 2>&1; then
		check replan.checker.accepts-handmade "$r80_py" "$r80_checker/check_replan.py" \
			"$r80_th" "$r80_work/checker/fake" --today 2024-03-11
		check replan.checker.rules-of-a-replan "$r80_py" "$r80_checker/check_plan.py" \
			"$r80_work/checker/fake/campaign.json" "$r80_work/checker/fake/rota.json"
		R80_REQUIRE=--require r80_mutants replan.checker "$r80_th" "$r80_work/checker/fake" 2024-03-11
		# The same mutations over a chain: the hand-made re-plan as the
		# previous plan (sequences above 0, cancelled events carried).
		if "$r80_py" "$r80_checker/fake_replan.py" "$r80_work/checker/fake" \
			"$r80_work/checker/fake2" --today 2024-03-18 >"$r80_work/out" 2>&1; then
			check replan.checker.accepts-handmade-chain "$r80_py" \
				"$r80_checker/check_replan.py" "$r80_work/checker/fake" \
				"$r80_work/checker/fake2" --today 2024-03-18
			R80_REQUIRE=--require r80_mutants replan.checker.chain "$r80_work/checker/fake" \
				"$r80_work/checker/fake2" 2024-03-18
		else
			fail replan.checker.handmade-chain "$(cat "$r80_work/out")"
		fi
	else
		fail replan.checker.handmade "$(cat "$r80_work/out")"
	fi
	# Actuals as the plan, nothing moved: accepted; a came off by one is not.
	"$r80_py" - "$r80_th/rota.csv" "$r80_work/checker/actuals.csv" 2024-03-11 <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(rows[0] + ["came"])
    for r in rows[1:]:
        if r[0] < sys.argv[3]:
            w.writerow(r + [r[rows[0].index("count")]])
PY
	if "$r80_py" "$r80_checker/fake_replan.py" "$r80_th" "$r80_work/checker/same" --same \
		--today 2024-03-11 --actuals "$r80_work/checker/actuals.csv" >"$r80_work/out" 2>&1; then
		check replan.checker.accepts-handmade-same "$r80_py" "$r80_checker/check_replan.py" \
			"$r80_th" "$r80_work/checker/same" --today 2024-03-11 \
			--actuals "$r80_work/checker/actuals.csv"
		"$r80_py" - "$r80_work/checker/actuals.csv" "$r80_work/checker/actuals-off.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
rows[1][-1] = str(int(rows[1][-1]) + 1)
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline="")).writerows(rows)
PY
		if "$r80_py" "$r80_checker/check_replan.py" "$r80_th" "$r80_work/checker/same" \
			--today 2024-03-11 --actuals "$r80_work/checker/actuals-off.csv" \
			>"$r80_work/out" 2>&1; then
			fail replan.checker.catches-came-not-from-actuals "accepted"
		elif grep -q "from the actuals" "$r80_work/out"; then
			pass replan.checker.catches-came-not-from-actuals
		else
			fail replan.checker.catches-came-not-from-actuals "$(head -n 5 "$r80_work/out")"
		fi
	else
		fail replan.checker.handmade-same "$(cat "$r80_work/out")"
	fi
fi

# ---- the scenario, with rota plan --previous ----

# r80_actuals CSV OUT FROM TO [NOSHOW_UNITS]: rota.csv's rows dated from
# FROM (inclusive) to TO (exclusive) with a came column: the count, less
# up to 2 people per row of the units named (comma-separated).
r80_actuals() {
	"$r80_py" - "$@" <<'PY'
import csv, sys
src, out, first, last = sys.argv[1:5]
noshow = set(filter(None, (sys.argv[5] if len(sys.argv) > 5 else "").split(",")))
rows = list(csv.reader(open(src, encoding="utf-8", newline="")))
head = rows[0]
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(head + ["came"])
    for r in rows[1:]:
        if first <= r[0] < last:
            n = int(r[head.index("count")])
            if r[head.index("unit")] in noshow:
                n -= min(2, n)
            w.writerow(r + [str(n)])
PY
}

# r80_scenario NAME TODAY UNAVAILABLE: the weekly loop on examples/NAME.json.
r80_scenario() {
	r80_name=$1 r80_today=$2 r80_off=$3
	r80_dir=$r80_work/$r80_name
	r80_campaign=$TOP/examples/$r80_name.json
	r80_today2=$(date -u -d "$r80_today + 7 days" +%F)
	mkdir -p "$r80_dir"
	if ! r80_plan "$r80_name" "$r80_campaign" "$r80_dir/w1"; then
		fail "replan.$r80_name.plan" "$(cat "$r80_work/$r80_name.plan.out")"
		return
	fi

	# 1. Actuals equal to the plan: nothing changes.
	r80_actuals "$r80_dir/w1/rota.csv" "$r80_dir/same.csv" 0000-00-00 "$r80_today"
	if SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$r80_campaign" -o "$r80_dir/same" \
		--previous "$r80_dir/w1" --today "$r80_today" --actuals "$r80_dir/same.csv" --quiet \
		>"$r80_work/out" 2>&1; then
		check "replan.$r80_name.same.checker" "$r80_py" "$r80_checker/check_replan.py" \
			"$r80_dir/w1" "$r80_dir/same" --today "$r80_today" --actuals "$r80_dir/same.csv"
		if "$r80_py" - "$r80_dir/w1/rota.json" "$r80_dir/same/rota.json" >"$r80_work/out" 2>&1 <<'PY'
import json, sys
keys = ("uid", "team", "site", "date", "slot", "start", "end")
vkeys = ("unit", "group", "service", "count", "arrive", "until")
def sessions(path):
    return [tuple(s[k] for k in keys) + tuple(tuple(v[k] for k in vkeys) for v in s["visits"])
            for s in json.load(open(path, encoding="utf-8"))["sessions"]]
a, b = sessions(sys.argv[1]), sessions(sys.argv[2])
for s in sorted(set(a) ^ set(b)):
    print(("only in the first plan: " if s in a else "only in the re-plan: ") + " ".join(map(str, s[:5])))
sys.exit(1 if a != b else 0)
PY
		then
			pass "replan.$r80_name.same.sessions"
		else
			fail "replan.$r80_name.same.sessions" "$(head -n 10 "$r80_work/out")"
		fi
		r80_sent=$(find "$r80_dir/same/outbox" -type f 2>/dev/null | wc -l)
		if [ "$r80_sent" -eq 0 ]; then
			pass "replan.$r80_name.same.outbox-empty"
		else
			fail "replan.$r80_name.same.outbox-empty" "$r80_sent file(s) in the outbox" \
				"$(find "$r80_dir/same/outbox" -type f 2>&1 | head -n 5)"
		fi
		if grep -q "Không có gì thay đổi" "$r80_dir/same/summary.txt"; then
			pass "replan.$r80_name.same.summary"
		else
			fail "replan.$r80_name.same.summary" "summary.txt does not say that nothing changed"
		fi
	else
		fail "replan.$r80_name.same" "$(cat "$r80_work/out")"
	fi

	# 2. No-shows in two villages, the team unavailable for a later week.
	r80_noshow=$("$r80_py" - "$r80_campaign" "$r80_dir/w1/rota.csv" "$r80_today" <<'PY'
import csv, json, sys
c = json.load(open(sys.argv[1], encoding="utf-8"))
villages = {u["id"] for u in c["units"] if u.get("kind") == "village"}
seen = []
for r in csv.DictReader(open(sys.argv[2], encoding="utf-8", newline="")):
    if r["date"] < sys.argv[3] and r["unit"] in villages and r["unit"] not in seen:
        seen.append(r["unit"])
print(",".join(seen[:2]))
PY
)
	r80_team=$("$r80_py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["teams"][0]["id"])' "$r80_campaign")
	"$r80_py" - "$r80_campaign" "$r80_dir/edited.json" "$r80_off" <<'PY'
import json, sys
c = json.load(open(sys.argv[1], encoding="utf-8"))
t = c["teams"][0]
t["unavailable"] = list(t.get("unavailable", [])) + [sys.argv[3]]
json.dump(c, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
	r80_actuals "$r80_dir/w1/rota.csv" "$r80_dir/noshow.csv" 0000-00-00 "$r80_today" "$r80_noshow"
	if [ -z "$r80_noshow" ]; then
		fail "replan.$r80_name.noshow" "no village was invited before $r80_today"
		return
	fi
	rm -rf "$r80_work/mps-$r80_name"
	mkdir -p "$r80_work/mps-$r80_name"
	if ! SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$r80_dir/edited.json" -o "$r80_dir/w2" \
		--previous "$r80_dir/w1" --today "$r80_today" --actuals "$r80_dir/noshow.csv" --quiet \
		--mps "$r80_work/mps-$r80_name" >"$r80_work/out" 2>&1; then
		fail "replan.$r80_name.noshow" "$(cat "$r80_work/out")"
		return
	fi
	# --mps: each candidate of the re-plan writes its own files, named
	# for it, so that the fresh one does not overwrite the stable one's.
	r80_mps=$(ls "$r80_work/mps-$r80_name")
	if ! printf '%s\n' "$r80_mps" | grep -q -- '-stable-coarse-'; then
		fail "replan.$r80_name.mps-per-candidate" "no stable candidate's file in: $r80_mps"
	elif printf '%s\n' "$r80_mps" | grep -v -q -e '-stable-' -e '-fresh-'; then
		fail "replan.$r80_name.mps-per-candidate" "a file of no candidate in: $r80_mps"
	else
		pass "replan.$r80_name.mps-per-candidate"
	fi
	check "replan.$r80_name.noshow.checker" "$r80_py" "$r80_checker/check_replan.py" \
		"$r80_dir/w1" "$r80_dir/w2" --today "$r80_today" --actuals "$r80_dir/noshow.csv"
	if "$r80_py" - "$r80_dir/w1/rota.json" "$r80_dir/w2/rota.json" "$r80_today" "$r80_off" \
		"$r80_team" "$r80_noshow" >"$r80_work/out" 2>&1 <<'PY'
import json, sys
w1 = json.load(open(sys.argv[1], encoding="utf-8"))
w2 = json.load(open(sys.argv[2], encoding="utf-8"))
today, off, team, noshow = sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6].split(",")
first, _, last = off.partition("/")
problems = []
for s in w2["sessions"]:
    if s["team"] == team and first <= s["date"] <= (last or first):
        problems.append(f"team {team} has a session on {s['date']}, unavailable {off}")
# The no-shows are invited again: each of their rows that the first plan
# invited in full is invited in full again (came + invited from today on).
full = {(r["unit"], r["group"], r["service"]) for r in w1["coverage"] if r["planned"] == r["demand"]}
came_less = 0
for r in w2["coverage"]:
    k = (r["unit"], r["group"], r["service"])
    if r["unit"] not in noshow:
        continue
    if r["came"] < r["planned"]:
        came_less += 1
    if k in full and r["planned"] != r["demand"]:
        problems.append(f"{'/'.join(k)}: {r['came']} came, {r['planned'] - r['came']} invited "
                        f"again, demand {r['demand']}")
if not came_less:
    problems.append("no row of the villages with no-shows is invited again")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
	then
		pass "replan.$r80_name.noshow.team-idle-and-invited-again"
	else
		fail "replan.$r80_name.noshow.team-idle-and-invited-again" "$(head -n 10 "$r80_work/out")"
	fi
	if grep -q "Thay đổi so với kế hoạch trước" "$r80_dir/w2/summary.txt" &&
		grep -q "Các tuần đã qua: số người được mời và số người đã đến" "$r80_dir/w2/summary.txt"; then
		pass "replan.$r80_name.noshow.summary"
	else
		fail "replan.$r80_name.noshow.summary" "summary.txt lacks the change report or the turnout" \
			"$(head -n 30 "$r80_dir/w2/summary.txt")"
	fi
	r80_week=$(date -u -d "$r80_today" +%G-W%V)
	if "$ROTA" week "$r80_dir/w2" "$r80_week" --lang en -o "$r80_work/week.ics" >"$r80_work/out" 2>&1 &&
		grep -q "Against the last plan (re-planned on $r80_today)" "$r80_work/out"; then
		pass "replan.$r80_name.noshow.week"
	else
		fail "replan.$r80_name.noshow.week" "rota week $r80_week does not mark the sessions:" \
			"$(head -n 20 "$r80_work/out")"
	fi
	R80_REQUIRE='' r80_mutants "replan.$r80_name.noshow" "$r80_dir/w1" "$r80_dir/w2" "$r80_today" \
		--actuals "$r80_dir/noshow.csv"

	# 3. A week later: the team reports only the days since.
	r80_actuals "$r80_dir/w2/rota.csv" "$r80_dir/week2.csv" "$r80_today" "$r80_today2"
	if SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$r80_dir/edited.json" -o "$r80_dir/w3" \
		--previous "$r80_dir/w2" --today "$r80_today2" --actuals "$r80_dir/week2.csv" --quiet \
		>"$r80_work/out" 2>&1; then
		check "replan.$r80_name.second.checker" "$r80_py" "$r80_checker/check_replan.py" \
			"$r80_dir/w2" "$r80_dir/w3" --today "$r80_today2" --actuals "$r80_dir/week2.csv"
	else
		fail "replan.$r80_name.second" "$(cat "$r80_work/out")"
		return
	fi

	# 4. A calendar that received every message of every plan, in order.
	if [ -f "$TOP/tests/ical/store.py" ]; then
		check "replan.$r80_name.store" "$r80_py" "$TOP/tests/ical/store.py" \
			"$r80_dir/w1" "$r80_dir/w2" "$r80_dir/w3"
	else
		skip "replan.$r80_name.store" "tests/ical/store.py is not there"
	fi
}

if "$ROTA" plan --help 2>&1 | grep -q -- --previous; then
	# small: everyone is invited on 4-5 March; the no-shows come back in
	# the week after the freeze, before the team's week off.
	r80_scenario small 2024-03-06 2024-03-18/2024-03-24
	r80_scenario trung-hoi-2024 2024-03-11 2024-03-25/2024-03-31
else
	skip replan.scenario "rota plan has no --previous yet"
fi
