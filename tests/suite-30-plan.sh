# `rota plan` and `rota check` end to end, through the binary, on every
# example: the three files exist and agree with one another, a second run
# gives the same bytes, the output directory is replaced whole or not at
# all, and examples/small.json gives exactly tests/golden/small/.
#
#   REGEN=1 sh tests/run.sh build    rewrites tests/golden/small/ from this
#                                    build; read the diff before committing.
#
# Sourced by tests/run.sh: uses pass/fail/check, $ROTA, $TMP, $TOP. Its own
# variables start with p30_. Plans go to $TMP/plans/NAME, with --mail and
# SOURCE_DATE_EPOCH=1700000000, so that suite-40-calendars.sh and
# suite-50-rules.sh reuse them instead of planning every example again.

p30_epoch=1700000000
p30_py=/usr/bin/python3
p30_work=$TMP/p30
mkdir -p "$p30_work" "$TMP/plans"

# p30_plan CAMPAIGN DIR: plans reproducibly; stdout in $p30_work/out,
# stderr in $p30_work/err; returns rota's exit status.
p30_plan() {
	SOURCE_DATE_EPOCH=$p30_epoch "$ROTA" plan "$1" -o "$2" --quiet --mail \
		>"$p30_work/out" 2>"$p30_work/err"
}

# Names left beside a directory by an unfinished write (.NAME.tmp-*,
# .NAME.old-*), printed one a line.
p30_leftovers() {
	for p30_l in "$1"/.*.tmp-* "$1"/.*.old-*; do
		if [ -e "$p30_l" ]; then basename "$p30_l"; fi
	done
}

cat >"$p30_work/check.py" <<'EOF'
"""Checks DIR/rota.json, rota.csv and summary.txt against one another and
against the campaign: valid JSON, one CSV row per visit in plan order,
coverage equal to the sums over the sessions, no contact details."""
import csv
import json
import sys

plan_dir, campaign_path = sys.argv[1], sys.argv[2]
problems = []
with open(campaign_path, encoding="utf-8") as f:
    campaign = json.load(f)
with open(plan_dir + "/rota.json", encoding="utf-8") as f:
    plan = json.load(f)
if plan.get("format") != "rota-plan/1":
    problems.append("format is %r" % plan.get("format"))

# rota.csv: the header, then one row per visit in the order of rota.json.
with open(plan_dir + "/rota.csv", "rb") as f:
    raw = f.read()
if raw.count(b"\n") != raw.count(b"\r\n") or not raw.endswith(b"\r\n"):
    problems.append("rota.csv: lines do not all end in CRLF")
rows = list(csv.reader(raw.decode("utf-8").splitlines()))
header = "date,slot,start,end,team,site,unit,group,service,count,arrive,until".split(",")
if not rows or rows[0] != header:
    problems.append("rota.csv: header is %r" % (rows[:1],))
want = [[s["date"], s["slot"], s["start"], s["end"], s["team"], s["site"], v["unit"],
         v["group"], v["service"], str(v["count"]), v["arrive"], v["until"]]
        for s in plan["sessions"] for v in s["visits"]]
if len(rows) - 1 != len(want):
    problems.append("rota.csv: %d rows for %d visits" % (len(rows) - 1, len(want)))
elif rows[1:] != want:
    problems.append("rota.csv: rows differ from the visits of rota.json")

# coverage: one row per demand row, in campaign order, adding up.
end = campaign["campaign"]["end"]
deadline = {g["id"]: g.get("deadline", end) for g in campaign["groups"]}
planned, by_deadline = {}, {}
for s in plan["sessions"]:
    for v in s["visits"]:
        k = (v["unit"], v["group"], v["service"])
        planned[k] = planned.get(k, 0) + v["count"]
        if s["date"] <= deadline[v["group"]]:
            by_deadline[k] = by_deadline.get(k, 0) + v["count"]
rows_want = [(u["id"], d["group"], d["service"], d["count"])
             for u in campaign["units"] for d in u["demand"]]
cov = plan["coverage"]
if [(r["unit"], r["group"], r["service"]) for r in cov] != [r[:3] for r in rows_want]:
    problems.append("coverage: rows are not the demand rows in campaign order")
for r in cov:
    k = (r["unit"], r["group"], r["service"])
    if (r["planned"], r["by_deadline"]) != (planned.get(k, 0), by_deadline.get(k, 0)):
        problems.append("coverage %s/%s/%s: planned %d by_deadline %d, sessions give %d %d"
                        % (k + (r["planned"], r["by_deadline"], planned.get(k, 0),
                                by_deadline.get(k, 0))))
    if r["deadline"] != deadline[r["group"]]:
        problems.append("coverage %s/%s/%s: deadline %s" % (k + (r["deadline"],)))
if plan["solver"]["seconds"] != 0:
    problems.append("solver.seconds is not 0 under SOURCE_DATE_EPOCH")

# No names, e-mail addresses or phones of contacts in any of the three.
private = set()
for u in campaign["units"]:
    for key in ("name", "email", "phone"):
        value = u.get("contact", {}).get(key)
        if value:
            private.add(value)
for name in ("rota.json", "rota.csv", "summary.txt"):
    with open(plan_dir + "/" + name, encoding="utf-8") as f:
        text = f.read()
    for value in sorted(private):
        if value in text:
            problems.append("%s: holds the contact detail %r" % (name, value))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF

# The tests of one example, planned into $TMP/plans/NAME (run A) and
# $p30_work/NAME.b (run B).
p30_example() {
	p30_ex=$1
	p30_name=$(basename "$p30_ex" .json)
	p30_a=$TMP/plans/$p30_name
	p30_b=$p30_work/$p30_name.b

	rm -rf "$p30_a"
	if p30_plan "$p30_ex" "$p30_a"; then
		pass "plan.$p30_name.exit-0"
	else
		fail "plan.$p30_name.exit-0" "exit status $?" "$(head -n 20 "$p30_work/err")"
		return
	fi
	p30_missing=
	for p30_f in rota.json rota.csv summary.txt; do
		[ -f "$p30_a/$p30_f" ] || p30_missing="$p30_missing $p30_f"
	done
	if [ -z "$p30_missing" ]; then
		pass "plan.$p30_name.files"
	else
		fail "plan.$p30_name.files" "missing:$p30_missing"
		return
	fi
	if "$p30_py" -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' \
		"$p30_a/rota.json" 2>"$p30_work/json.err"; then
		pass "plan.$p30_name.valid-json"
	else
		fail "plan.$p30_name.valid-json" "$(cat "$p30_work/json.err")"
	fi
	check "plan.$p30_name.files-agree" "$p30_py" "$p30_work/check.py" "$p30_a" "$p30_ex"
	# The plan keeps the campaign it was made from, byte for byte.
	if cmp -s "$p30_ex" "$p30_a/campaign.json"; then
		pass "plan.$p30_name.campaign-copy"
	else
		fail "plan.$p30_name.campaign-copy" "$p30_a/campaign.json differs from $p30_ex"
	fi
	if cmp -s "$p30_work/out" "$p30_a/summary.txt"; then
		pass "plan.$p30_name.summary-printed"
	else
		fail "plan.$p30_name.summary-printed" "stdout differs from summary.txt"
	fi
	if [ -z "$(p30_leftovers "$TMP/plans")" ]; then
		pass "plan.$p30_name.no-temp-left"
	else
		fail "plan.$p30_name.no-temp-left" "$(p30_leftovers "$TMP/plans")"
	fi
	rm -rf "$p30_b"
	if [ "$p30_name" = dinh-hoa-2024 ]; then
		# The district takes minutes to plan; planning it twice would
		# double them. Reproducibility of a district is checked on the
		# four-commune district below (1 and 3 threads, byte for byte).
		skip "plan.$p30_name.reproducible" "minutes; a four-commune district is compared instead"
	elif ! p30_plan "$p30_ex" "$p30_b"; then
		fail "plan.$p30_name.reproducible" "second run failed" "$(head -n 20 "$p30_work/err")"
	elif p30_diff=$(diff -r "$p30_a" "$p30_b" 2>&1); then
		pass "plan.$p30_name.reproducible"
	else
		fail "plan.$p30_name.reproducible" "$(printf '%s\n' "$p30_diff" | head -n 20)"
	fi
	rm -rf "$p30_b"
	if SOURCE_DATE_EPOCH=$p30_epoch "$ROTA" check --lang en "$p30_ex" >"$p30_work/check.out" 2>&1 &&
		grep -q '^Capacity check' "$p30_work/check.out" &&
		grep -q '^  deadline  *people  *work  *at most  *sessions  *status' "$p30_work/check.out" &&
		grep -Eq '^  [0-9]{4}-[0-9]{2}-[0-9]{2} .* (ok|SHORT) ' "$p30_work/check.out"; then
		pass "check.$p30_name.capacity-table"
	else
		fail "check.$p30_name.capacity-table" "$(head -n 20 "$p30_work/check.out")"
	fi
}

# What happens to the output directory, planning $1 (already planned into
# $TMP/plans/NAME).
p30_outdir() {
	p30_ex=$1
	p30_a=$TMP/plans/$(basename "$p30_ex" .json)
	p30_dir=$p30_work/out-dir

	# An earlier plan with extra files is replaced as a whole.
	rm -rf "$p30_dir"
	cp -R "$p30_a" "$p30_dir"
	echo stale >"$p30_dir/stale.txt"
	mkdir -p "$p30_dir/invites/gone-unit"
	echo stale >"$p30_dir/invites/gone-unit/old.ics"
	if p30_plan "$p30_ex" "$p30_dir" && diff -r "$p30_a" "$p30_dir" >/dev/null 2>&1 &&
		[ -z "$(p30_leftovers "$p30_work")" ]; then
		pass plan.outdir.replaced-whole
	else
		fail plan.outdir.replaced-whole "$(diff -r "$p30_a" "$p30_dir" 2>&1 | head -n 10)" \
			"$(cat "$p30_work/err")"
	fi

	# A campaign with an error leaves the directory as it was.
	printf '{"format": "rota-campaign/1", "campaign": {"id": "Bad Id"}}\n' >"$p30_work/bad.json"
	cp -R "$p30_dir" "$p30_work/before"
	p30_plan "$p30_work/bad.json" "$p30_dir"
	p30_status=$?
	if [ "$p30_status" -eq 1 ] && diff -r "$p30_work/before" "$p30_dir" >/dev/null 2>&1 &&
		[ -z "$(p30_leftovers "$p30_work")" ]; then
		pass plan.outdir.bad-campaign-leaves-it
	else
		fail plan.outdir.bad-campaign-leaves-it "exit status $p30_status" \
			"$(diff -r "$p30_work/before" "$p30_dir" 2>&1 | head -n 10)" \
			"$(p30_leftovers "$p30_work")"
	fi
	rm -rf "$p30_work/before"

	# A parent that does not exist: exit 3, the path named, nothing made.
	p30_plan "$p30_ex" "$p30_work/nope/out"
	p30_status=$?
	if [ "$p30_status" -eq 3 ] && [ ! -e "$p30_work/nope" ] &&
		grep -qF "rota: cannot create '$p30_work/nope/out': directory '$p30_work/nope' does not exist" \
			"$p30_work/err"; then
		pass plan.outdir.missing-parent
	else
		fail plan.outdir.missing-parent "exit status $p30_status" "$(cat "$p30_work/err")"
	fi

	# A file where the directory should be is left alone.
	echo "not a plan" >"$p30_work/a-file"
	p30_plan "$p30_ex" "$p30_work/a-file"
	p30_status=$?
	if [ "$p30_status" -eq 3 ] && [ "$(cat "$p30_work/a-file")" = "not a plan" ] &&
		grep -q "is not a directory" "$p30_work/err" && [ -z "$(p30_leftovers "$p30_work")" ]; then
		pass plan.outdir.file-in-the-way
	else
		fail plan.outdir.file-in-the-way "exit status $p30_status" "$(cat "$p30_work/err")"
	fi

	# A directory that holds something else than a plan is not wiped.
	mkdir -p "$p30_work/home"
	echo precious >"$p30_work/home/thesis.txt"
	p30_plan "$p30_ex" "$p30_work/home"
	p30_status=$?
	if [ "$p30_status" -eq 3 ] && [ "$(cat "$p30_work/home/thesis.txt")" = precious ] &&
		grep -q "refusing to replace" "$p30_work/err"; then
		pass plan.outdir.other-directory-kept
	else
		fail plan.outdir.other-directory-kept "exit status $p30_status" "$(cat "$p30_work/err")"
	fi
}

# examples/small.json against tests/golden/small/, byte for byte. rota.json
# names the campaign relative to the directory it is in, so its
# campaign_file is checked to lead to examples/small.json, then compared as
# if the plan had been written into tests/golden/small itself.
p30_golden() {
	p30_a=$TMP/plans/small
	p30_gold=$TOP/tests/golden/small
	p30_here='"campaign_file": "../../../examples/small.json",'

	if [ ! -f "$p30_a/rota.json" ]; then
		skip plan.golden.small "examples/small.json was not planned"
		return
	fi
	mkdir -p "$p30_work/golden"
	p30_cf=$(sed -n 's/^  "campaign_file": "\(.*\)",$/\1/p' "$p30_a/rota.json")
	if [ -n "$p30_cf" ] && [ "$(cd "$p30_a" && realpath "$p30_cf" 2>/dev/null)" = \
		"$(realpath examples/small.json)" ]; then
		pass plan.golden.small.campaign-file
	else
		fail plan.golden.small.campaign-file "campaign_file '$p30_cf' does not lead from" \
			"$p30_a to examples/small.json"
	fi
	sed "s|^  \"campaign_file\": .*|  $p30_here|" "$p30_a/rota.json" >"$p30_work/golden/rota.json"
	cp "$p30_a/rota.csv" "$p30_a/summary.txt" "$p30_work/golden/"
	if [ "${REGEN:-0}" = 1 ]; then
		mkdir -p "$p30_gold"
		cp "$p30_work/golden/rota.json" "$p30_work/golden/rota.csv" \
			"$p30_work/golden/summary.txt" "$p30_gold/"
		echo "# regenerated $p30_gold: review 'git diff tests/golden' before committing"
	fi
	for p30_f in rota.json rota.csv summary.txt; do
		if [ ! -f "$p30_gold/$p30_f" ]; then
			skip "plan.golden.small.$p30_f" "not in tests/golden/small (REGEN=1 writes it)"
		elif cmp -s "$p30_gold/$p30_f" "$p30_work/golden/$p30_f"; then
			pass "plan.golden.small.$p30_f"
		else
			fail "plan.golden.small.$p30_f" \
				"$(diff -u "$p30_gold/$p30_f" "$p30_work/golden/$p30_f" 2>&1 | head -n 40)"
		fi
	done
}

p30_main() {
	p30_first=
	for p30_ex in examples/small.json examples/*.json; do
		if [ -f "$p30_ex" ]; then
			p30_first=$p30_ex
			break
		fi
	done
	if [ -z "$p30_first" ]; then
		skip suite-30-plan "no examples/*.json"
		return
	fi
	if [ ! -x "$ROTA" ]; then
		skip suite-30-plan "$ROTA is not built yet"
		return
	fi
	# While the reader or the solver is a stub, there is nothing to test.
	if ! p30_plan "$p30_first" "$p30_work/probe" &&
		grep -qi 'not implemented' "$p30_work/err"; then
		skip suite-30-plan "$ROTA cannot plan yet: $(head -n 1 "$p30_work/err")"
		return
	fi
	rm -rf "$p30_work/probe"
	for p30_ex in examples/*.json; do
		p30_example "$p30_ex"
	done
	if [ -f "$TMP/plans/$(basename "$p30_first" .json)/rota.json" ]; then
		p30_outdir "$p30_first"
		p30_own_campaign "$p30_first"
		p30_not_files "$p30_first"
		p30_week_symlink "$p30_first"
		p30_stale "$p30_first"
	else
		skip plan.outdir "$p30_first was not planned"
	fi
	p30_before_solving
	p30_help
	p30_golden
	p30_threads
	p30_interrupt
}

# A plan stopped while it writes its files (Ctrl-C, a kill) finishes
# writing first: the output directory is then whole and nothing is left
# beside it. The test waits until the temporary directory appears, which is
# the moment an unprotected writer would leave it behind, and sends SIGTERM
# (a background job of a script ignores SIGINT; rota treats both alike).
p30_interrupt() {
	p30_idir=$p30_work/interrupt
	p30_bad=
	p30_hit=0
	for p30_round in 1 2 3 4 5; do
		rm -rf "$p30_idir"
		mkdir -p "$p30_idir"
		"$ROTA" plan examples/small.json -o "$p30_idir/out" --quiet --mail >/dev/null 2>&1 &
		p30_pid=$!
		while kill -0 "$p30_pid" 2>/dev/null; do
			set -- "$p30_idir"/.out.tmp-*
			if [ -e "$1" ]; then
				kill -TERM "$p30_pid"
				p30_hit=$((p30_hit + 1))
				break
			fi
		done
		wait "$p30_pid" 2>/dev/null
		if [ -n "$(p30_leftovers "$p30_idir")" ]; then
			p30_bad="$p30_bad round $p30_round left $(p30_leftovers "$p30_idir");"
		elif [ -e "$p30_idir/out" ] && ! [ -e "$p30_idir/out/summary.txt" ]; then
			p30_bad="$p30_bad round $p30_round: out/ without summary.txt;"
		fi
	done
	rm -rf "$p30_idir"
	if [ -n "$p30_bad" ]; then
		fail plan.interrupt.whole-or-nothing "$p30_bad"
	elif [ "$p30_hit" -eq 0 ]; then
		skip plan.interrupt.whole-or-nothing "never caught the writing"
	else
		pass plan.interrupt.whole-or-nothing
	fi
}

# Several parts planned by one thread and by three give the same bytes (the
# parts are independent and threads take them largest first, whatever
# their number). Four communes of the Dinh Hoa generator: four parts that
# share the two district teams.
p30_threads() {
	if [ "$BUILD" = build-san ]; then
		skip plan.threads.same-plan "too slow under the sanitizers (checked in the plain run)"
		return
	fi
	if ! "$p30_py" tools/gen/dinh-hoa.py --communes 4 --out "$p30_work/four.json" \
		>"$p30_work/gen.out" 2>&1; then
		fail plan.threads.same-plan "generator failed" "$(cat "$p30_work/gen.out")"
		return
	fi
	rm -rf "$p30_work/t1" "$p30_work/t3"
	if SOURCE_DATE_EPOCH=$p30_epoch "$ROTA" plan "$p30_work/four.json" -o "$p30_work/t1" \
		--quiet --threads 1 >/dev/null 2>"$p30_work/err" &&
		SOURCE_DATE_EPOCH=$p30_epoch "$ROTA" plan "$p30_work/four.json" -o "$p30_work/t3" \
			--quiet --threads 3 >/dev/null 2>>"$p30_work/err"; then
		if p30_diff=$(diff -r "$p30_work/t1" "$p30_work/t3" 2>&1) &&
			grep -q '"team"' "$p30_work/t1/rota.json"; then
			pass plan.threads.same-plan
		else
			fail plan.threads.same-plan "$(printf '%s\n' "$p30_diff" | head -n 20)"
		fi
	else
		fail plan.threads.same-plan "$(head -n 20 "$p30_work/err")"
	fi
	rm -rf "$p30_work/t1" "$p30_work/t3"
}

# The plan directory holds its campaign (DIR/campaign.json): planning it in
# place keeps it; any other file (or --mps directory) inside the directory
# to be replaced is refused before the solve, and nothing changes.
p30_own_campaign() {
	p30_ex=$1
	p30_a=$TMP/plans/$(basename "$p30_ex" .json)
	p30_dir=$p30_work/in-place

	rm -rf "$p30_dir"
	cp -R "$p30_a" "$p30_dir"
	if p30_plan "$p30_dir/campaign.json" "$p30_dir" && cmp -s "$p30_ex" "$p30_dir/campaign.json" &&
		grep -q '^  "campaign_file": "campaign.json",$' "$p30_dir/rota.json" &&
		diff -r -x rota.json "$p30_a" "$p30_dir" >/dev/null 2>&1 &&
		[ -z "$(p30_leftovers "$p30_work")" ]; then
		pass plan.in-place.keeps-campaign
	else
		fail plan.in-place.keeps-campaign "$(cat "$p30_work/err")" \
			"$(diff -r "$p30_a" "$p30_dir" 2>&1 | head -n 10)"
	fi

	cp "$p30_ex" "$p30_dir/mine.json"
	mkdir -p "$p30_dir/mps"
	cp -R "$p30_dir" "$p30_work/before"
	for p30_case in campaign mps mps-is-dir; do
		case $p30_case in
		campaign) set -- "$p30_dir/mine.json" ;;
		mps) set -- "$p30_dir/campaign.json" --mps "$p30_dir/mps" ;;
		mps-is-dir) set -- "$p30_dir/campaign.json" --mps "$p30_dir" ;;
		esac
		SOURCE_DATE_EPOCH=$p30_epoch "$ROTA" plan "$@" -o "$p30_dir" --quiet \
			>"$p30_work/out" 2>"$p30_work/err"
		p30_status=$?
		if [ "$p30_status" -eq 2 ] && grep -q "which the plan replaces" "$p30_work/err" &&
			diff -r "$p30_work/before" "$p30_dir" >/dev/null 2>&1 &&
			[ -z "$(p30_leftovers "$p30_work")" ]; then
			pass "plan.in-place.refused.$p30_case"
		else
			fail "plan.in-place.refused.$p30_case" "exit status $p30_status" "$(cat "$p30_work/err")"
		fi
	done
	rm -rf "$p30_work/before" "$p30_dir"

	# -o through a symbolic link to a directory at another depth:
	# campaign_file leads from the real directory, so that `rota week`
	# finds the campaign from the link, from anywhere, even without the
	# plan's copy (a plan made before it was kept).
	rm -rf "$p30_work/deep" "$p30_work/link"
	mkdir -p "$p30_work/deep/er/real"
	ln -s deep/er/real "$p30_work/link"
	if p30_plan "$p30_ex" "$p30_work/link" && [ -f "$p30_work/deep/er/real/rota.json" ]; then
		rm "$p30_work/deep/er/real/campaign.json"
		p30_rota=$(cd "$(dirname "$ROTA")" && pwd)/$(basename "$ROTA")
		if (cd / && SOURCE_DATE_EPOCH=$p30_epoch "$p30_rota" week "$p30_work/link" \
			>"$p30_work/out" 2>"$p30_work/err"); then
			pass plan.outdir.symlink-campaign-file
		else
			fail plan.outdir.symlink-campaign-file "$(cat "$p30_work/err")" \
				"$(grep campaign_file "$p30_work/deep/er/real/rota.json")"
		fi
	else
		fail plan.outdir.symlink-campaign-file "$(cat "$p30_work/err")"
	fi
	rm -rf "$p30_work/deep" "$p30_work/link"
}

# Files that are not regular files are refused at once, never waited on
# (each run under `timeout 10`: a hang fails instead of blocking).
p30_not_files() {
	p30_ex=$1
	p30_a=$TMP/plans/$(basename "$p30_ex" .json)
	p30_f=$p30_work/fifos

	rm -rf "$p30_f"
	mkdir -p "$p30_f"
	mkfifo "$p30_f/campaign.json"
	# p30_refused NAME COMMAND...: exit 3, "not a regular file", in time.
	p30_refused() {
		p30_rname=$1
		shift
		SOURCE_DATE_EPOCH=$p30_epoch timeout 10 "$@" >"$p30_work/out" 2>"$p30_work/err"
		p30_status=$?
		if [ "$p30_status" -eq 3 ] && grep -q "not a regular file" "$p30_work/err"; then
			pass "$p30_rname"
		else
			fail "$p30_rname" "exit status $p30_status (124: hung)" "$(cat "$p30_work/err")"
		fi
	}
	p30_refused check.fifo "$ROTA" check "$p30_f/campaign.json"
	p30_refused plan.fifo "$ROTA" plan "$p30_f/campaign.json" -o "$p30_f/out" --quiet
	[ -e "$p30_f/out" ] && fail plan.fifo.nothing-written "$p30_f/out exists"

	cp -R "$p30_a" "$p30_f/plan"
	rm "$p30_f/plan/rota.json"
	mkfifo "$p30_f/plan/rota.json"
	p30_refused week.fifo-rota-json "$ROTA" week "$p30_f/plan"
	rm -rf "$p30_f/plan"

	cp -R "$p30_a" "$p30_f/plan"
	rm "$p30_f/plan/campaign.json"
	mkfifo "$p30_f/plan/campaign.json"
	p30_refused week.fifo-own-campaign "$ROTA" week "$p30_f/plan"
	rm -rf "$p30_f/plan"

	# A plan without its copy, whose campaign_file is a FIFO.
	mkdir -p "$p30_f/c"
	cp "$p30_ex" "$p30_f/c/campaign.json"
	rm -rf "$p30_f/plan"
	if p30_plan "$p30_f/c/campaign.json" "$p30_f/plan"; then
		rm "$p30_f/plan/campaign.json" "$p30_f/c/campaign.json"
		mkfifo "$p30_f/c/campaign.json"
		p30_refused week.fifo-campaign-file "$ROTA" week "$p30_f/plan"
	else
		fail week.fifo-campaign-file "$(cat "$p30_work/err")"
	fi

	# A symbolic link as the plan's own copy is not followed.
	cp -R "$p30_a" "$p30_f/linked"
	rm "$p30_f/linked/campaign.json"
	ln -s "$TOP/$p30_ex" "$p30_f/linked/campaign.json"
	SOURCE_DATE_EPOCH=$p30_epoch "$ROTA" week "$p30_f/linked" >"$p30_work/out" 2>"$p30_work/err"
	p30_status=$?
	if [ "$p30_status" -eq 3 ] && grep -q "is a symbolic link" "$p30_work/err"; then
		pass week.own-campaign-symlink-refused
	else
		fail week.own-campaign-symlink-refused "exit status $p30_status" "$(cat "$p30_work/err")"
	fi
	rm -rf "$p30_f"
}

# `rota week` writes its calendar through a new temporary file, never
# through a name planted in the plan directory: the temporary name of the
# old writer (NAME.tmp-PID, the PID known here because `exec` keeps it)
# and the calendar's own name, as links to a victim.
p30_week_symlink() {
	p30_ex=$1
	p30_a=$TMP/plans/$(basename "$p30_ex" .json)
	p30_w=$p30_work/week-links

	rm -rf "$p30_w"
	mkdir -p "$p30_w"
	cp -R "$p30_a" "$p30_w/plan"
	echo precious >"$p30_w/victim"
	echo precious >"$p30_w/victim2"
	if ! SOURCE_DATE_EPOCH=$p30_epoch "$ROTA" week "$p30_w/plan" >"$p30_work/out" 2>"$p30_work/err"; then
		fail week.planted-symlink "$(cat "$p30_work/err")"
		return
	fi
	p30_ics=$(sed -n 's/^calendar: //p' "$p30_work/out")
	cp "$p30_ics" "$p30_w/want.ics"
	rm "$p30_ics"
	ln -s "$p30_w/victim2" "$p30_ics"
	SOURCE_DATE_EPOCH=$p30_epoch P30_ICS=$p30_ics P30_VICTIM=$p30_w/victim sh -c \
		'ln -s "$P30_VICTIM" "$P30_ICS.tmp-$$" && exec "$0" week "$1"' \
		"$ROTA" "$p30_w/plan" >"$p30_work/out" 2>"$p30_work/err"
	p30_status=$?
	if [ "$p30_status" -eq 0 ] && [ "$(cat "$p30_w/victim")" = precious ] &&
		[ "$(cat "$p30_w/victim2")" = precious ] && [ ! -L "$p30_ics" ] &&
		cmp -s "$p30_ics" "$p30_w/want.ics"; then
		pass week.planted-symlink
	else
		fail week.planted-symlink "exit status $p30_status" "$(cat "$p30_work/err")" \
			"victim: $(cat "$p30_w/victim")" "victim2: $(cat "$p30_w/victim2")"
	fi
	rm -rf "$p30_w"
}

# What a killed run leaves (.DIR.tmp-PID-XXXXXX, here planted with the PID
# of a process that has exited, and left by a real `kill -9`) is removed by
# the next run into the same directory; what is not exactly ours stays.
p30_stale() {
	p30_ex=$1
	p30_s=$p30_work/stale
	p30_dead=$(sh -c 'echo $$')

	rm -rf "$p30_s"
	mkdir -p "$p30_s/.out.tmp-$p30_dead-aB3xYz/invites" "$p30_s/.other.tmp-$p30_dead-aB3xYz" \
		"$p30_s/victim"
	echo "names and addresses" >"$p30_s/.out.tmp-$p30_dead-aB3xYz/invites/x.ics"
	echo precious >"$p30_s/victim/keep"
	ln -s victim "$p30_s/.out.tmp-$p30_dead-SyMlNk"
	if p30_plan "$p30_ex" "$p30_s/out" && [ ! -e "$p30_s/.out.tmp-$p30_dead-aB3xYz" ] &&
		[ -d "$p30_s/.other.tmp-$p30_dead-aB3xYz" ] && [ -L "$p30_s/.out.tmp-$p30_dead-SyMlNk" ] &&
		[ "$(cat "$p30_s/victim/keep")" = precious ]; then
		pass plan.stale-temporary-removed
	else
		fail plan.stale-temporary-removed "$(cat "$p30_work/err")" "$(ls -a "$p30_s")"
	fi
	rm -rf "$p30_s"

	p30_hit=0
	p30_bad=
	for p30_round in 1 2 3 4 5; do
		rm -rf "$p30_s"
		mkdir -p "$p30_s"
		"$ROTA" plan "$p30_ex" -o "$p30_s/out" --quiet --mail >/dev/null 2>&1 &
		p30_pid=$!
		while kill -0 "$p30_pid" 2>/dev/null; do
			set -- "$p30_s"/.out.tmp-*
			if [ -e "$1" ]; then
				kill -KILL "$p30_pid"
				break
			fi
		done
		wait "$p30_pid" 2>/dev/null
		[ -n "$(p30_leftovers "$p30_s")" ] || continue
		p30_hit=$((p30_hit + 1))
		if ! p30_plan "$p30_ex" "$p30_s/out"; then
			p30_bad="$p30_bad round $p30_round: $(cat "$p30_work/err");"
		elif [ -n "$(p30_leftovers "$p30_s")" ]; then
			p30_bad="$p30_bad round $p30_round left $(p30_leftovers "$p30_s");"
		fi
	done
	rm -rf "$p30_s"
	if [ -n "$p30_bad" ]; then
		fail plan.kill-9-leftovers-removed "$p30_bad"
	elif [ "$p30_hit" -eq 0 ]; then
		skip plan.kill-9-leftovers-removed "never killed it while it wrote"
	else
		pass plan.kill-9-leftovers-removed
	fi
}

# -o is checked before the solve: a missing parent fails at once (within
# 10 seconds, on the largest example), as does a bad --mps directory.
p30_before_solving() {
	p30_big=$(ls -S examples/*.json | head -n 1)
	SOURCE_DATE_EPOCH=$p30_epoch timeout 10 "$ROTA" plan "$p30_big" -o "$p30_work/nope/out" \
		--quiet >"$p30_work/out" 2>"$p30_work/err"
	p30_status=$?
	if [ "$p30_status" -eq 3 ] && [ ! -e "$p30_work/nope" ] &&
		grep -qF "directory '$p30_work/nope' does not exist" "$p30_work/err"; then
		pass plan.outdir.checked-before-solving
	else
		fail plan.outdir.checked-before-solving "exit status $p30_status (124: it solved first)" \
			"$(cat "$p30_work/err")"
	fi
	SOURCE_DATE_EPOCH=$p30_epoch timeout 10 "$ROTA" plan "$p30_big" -o "$p30_work/mps-out" \
		--mps "$p30_work/no-mps" --quiet >"$p30_work/out" 2>"$p30_work/err"
	p30_status=$?
	if [ "$p30_status" -eq 3 ] && [ ! -e "$p30_work/mps-out" ] &&
		grep -qF "cannot write MPS files into '$p30_work/no-mps'" "$p30_work/err"; then
		pass plan.mps.checked-before-solving
	else
		fail plan.mps.checked-before-solving "exit status $p30_status (124: it solved first)" \
			"$(cat "$p30_work/err")"
	fi
}

# --help prints the usage on standard output and exits 0, for every
# command.
p30_help() {
	for p30_cmd in "" check plan week; do
		# shellcheck disable=SC2086
		if "$ROTA" $p30_cmd --help >"$p30_work/out" 2>"$p30_work/err" &&
			grep -q '^usage: rota check' "$p30_work/out" && [ ! -s "$p30_work/err" ]; then
			pass "help.${p30_cmd:-rota}"
		else
			fail "help.${p30_cmd:-rota}" "$(cat "$p30_work/out" "$p30_work/err")"
		fi
	done
}

p30_main
