# Notices (docs/calendars.md, "Notices") and the quality of the plans
# (tests/checker/check_quality.py, which shares no code with rota):
#
#   - our Vietnamese words are NFC;
#   - every example planned (reusing suite-30's plans when there): the
#     quality figures printed, window defects fail, and the model's figures
#     fail above thresholds today's plans meet, a foldable invitation
#     fails; the checker is not blind (a window moved off its marks, one
#     ending in a break, a person called alone the next day, must fail);
#   - every unit of every example has notices/UNIT.txt and .html, the HTML
#     with no script and nothing fetched, no contact's name anywhere;
#   - examples/small.json's notices against tests/golden/small/notices
#     byte for byte (REGEN=1 rewrites them: read the diff);
#   - the HTML printed by headless Chromium to one A4 page per unit
#     (pdfinfo) holding its text (pdftotext), for every unit of the small
#     examples and the busiest units of the district;
#   - tests/notices/children.json: the children's bring list in the
#     invitation and the notice, in Vietnamese and English.
#
# Sourced by tests/run.sh: uses pass/fail/check, $ROTA, $BUILD, $TMP, $TOP.
# Its own variables start with c45_.

c45_epoch=1700000000
c45_py=/usr/bin/python3
c45_work=$TMP/c45
c45_quality=$TOP/tests/checker/check_quality.py
mkdir -p "$c45_work"

check notices.source-is-nfc "$c45_py" -c '
import sys, unicodedata
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    if not unicodedata.is_normalized("NFC", text):
        sys.exit("%s: not NFC" % path)
' "$TOP/src/notice.c" "$TOP/src/report.c" "$TOP/src/ical_text.c"

# c45_plan CAMPAIGN DIR [OPTION...]
c45_plan() {
	c45_c=$1
	c45_d=$2
	shift 2
	rm -rf "$c45_d"
	SOURCE_DATE_EPOCH=$c45_epoch "$ROTA" plan "$c45_c" -o "$c45_d" --quiet --mail "$@" \
		>"$c45_work/plan.out" 2>"$c45_work/plan.err"
}

# c45_thresholds NAME: the --max-* figures today's plan of NAME meets, a
# little above them, so that a change that calls villages in crumbs again
# (more invitations of 1-3 people, more rows split, more invitations)
# fails here; and no foldable invitation (one that could go whole into
# another session of its unit, saving person-minutes) anywhere. Since
# closures stay inside the coarse periods (December 2026) the May push
# calls villages in 75 invitations (80 before; 5 of 1-3 people, 10
# before) with one row more split; Điềm Mặc's workers, who come only on
# the week's one weekend session, are all invited after the median day of
# the others, who now come earlier (workers' earliness 3,218 -> 3,190).
c45_thresholds() {
	case $1 in
	small) echo "--max-small-share 0.25 --max-split-share 0.0 --max-late-share 0.77 --max-invitations-per-unit 2 --max-small-invitations 1 --max-split-rows 0 --max-invitations 5 --max-foldable 0" ;;
	small-lead-home) echo "--max-small-share 0.2 --max-split-share 0.17 --max-invitations-per-unit 2 --max-small-invitations 1 --max-split-rows 2 --max-invitations 6 --max-foldable 0" ;;
	trung-hoi-2024) echo "--max-small-share 0.17 --max-split-share 0.38 --max-late-share 0.77 --max-invitations-per-unit 7 --max-small-invitations 10 --max-split-rows 21 --max-invitations 57 --max-foldable 0" ;;
	trung-hoi-2024-may) echo "--max-small-share 0.13 --max-split-share 0.30 --max-invitations-per-unit 11 --max-small-invitations 6 --max-split-rows 16 --max-invitations 76 --max-foldable 0" ;;
	trung-hoi-2024-may-second-team) echo "--max-small-share 0.14 --max-split-share 0.4 --max-late-share 0.57 --max-invitations-per-unit 7 --max-small-invitations 7 --max-split-rows 22 --max-invitations 59 --max-foldable 0" ;;
	diem-mac-2024) echo "--max-small-share 0.05 --max-split-share 0.23 --max-late-share 1.0 --max-invitations-per-unit 4 --max-small-invitations 1 --max-split-rows 11 --max-invitations 30 --max-foldable 0" ;;
	dinh-hoa-2024) echo "--max-small-share 0.065 --max-split-share 0.20 --max-late-share 0.40 --max-invitations-per-unit 7 --max-small-invitations 52 --max-split-rows 260 --max-invitations 830 --max-foldable 0" ;;
	*) echo "--max-foldable 0" ;;
	esac
}

# c45_units_ok CAMPAIGN DIR: a notice pair for every unit, no script, no
# fetch, no contact's name.
c45_units_ok() {
	"$c45_py" - "$1" "$2" <<'PYEOF'
import json, os, re, sys
campaign = json.load(open(sys.argv[1], encoding="utf-8"))
d = sys.argv[2] + "/notices"
bad = []
names = [u["contact"]["name"] for u in campaign["units"] if u.get("contact", {}).get("name")]
for u in campaign["units"]:
    for ext in ("txt", "html"):
        path = "%s/%s.%s" % (d, u["id"], ext)
        if not os.path.isfile(path):
            bad.append("no " + path)
            continue
        text = open(path, encoding="utf-8").read()
        flat = text.replace("&amp;", "&")
        if u["name"] not in flat:
            bad.append(path + ": the unit's name is missing")
        for n in names:
            if n in flat:
                bad.append(path + ": names " + n)
        if ext == "html" and re.search(r"<script|https?:|src=|url\(|@import|<link", text, re.I):
            bad.append(path + ": script or a fetch")
if len(os.listdir(d)) != 2 * len(campaign["units"]):
    bad.append("%s: %d files for %d units" % (d, len(os.listdir(d)), len(campaign["units"])))
sys.exit("\n".join(bad) if bad else 0)
PYEOF
}

# Chromium, when here, prints a notice to PDF.
c45_chromium=
if [ -x /usr/bin/chromium ] && command -v pdfinfo >/dev/null 2>&1 &&
	command -v pdftotext >/dev/null 2>&1; then
	c45_chromium=/usr/bin/chromium
else
	echo "# skip notices.pdf: chromium or poppler-utils missing"
fi

# c45_pdf NAME HTML UNIT_NAME: one A4 page holding the unit's name.
c45_pdf() {
	c45_profile=$(mktemp -d "$c45_work/chromium.XXXXXX")
	rm -f "$c45_work/n.pdf"
	timeout 120 "$c45_chromium" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$c45_profile" --no-pdf-header-footer \
		--print-to-pdf="$c45_work/n.pdf" "file://$2" >"$c45_work/chromium.out" 2>&1
	rm -rf "$c45_profile"
	if [ ! -s "$c45_work/n.pdf" ]; then
		fail "notices.pdf.$1" "no PDF" "$(tail -n 5 "$c45_work/chromium.out")"
		return
	fi
	c45_pages=$(pdfinfo "$c45_work/n.pdf" | sed -n 's/^Pages: *//p')
	c45_size=$(pdfinfo "$c45_work/n.pdf" | sed -n 's/^Page size: *\([0-9.]* x [0-9.]*\).*/\1/p')
	pdftotext -layout "$c45_work/n.pdf" "$c45_work/n.txt"
	if [ "$c45_pages" != 1 ]; then
		fail "notices.pdf.$1" "$c45_pages pages, not 1"
	elif ! "$c45_py" -c '
import sys
w, h = (float(x) for x in sys.argv[1].split(" x "))
sys.exit(0 if abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5 else 1)' "$c45_size"; then
		fail "notices.pdf.$1" "page size $c45_size points, not A4"
	elif ! "$c45_py" -c '
import sys, unicodedata
# Spaces dropped: pdftotext spaces out the wide letters of the heading.
def bare(t):
    return unicodedata.normalize("NFC", "".join(t.split()))
text = bare(open(sys.argv[1], encoding="utf-8").read())
want = bare(sys.argv[2])
ok = want in text and ("THÔNGBÁO" in text or "NOTICE" in text)
sys.exit(0 if ok else "text missing: " + sys.argv[2])
' "$c45_work/n.txt" "$3"; then
		fail "notices.pdf.$1" "$(head -n 20 "$c45_work/n.txt")"
	else
		pass "notices.pdf.$1"
	fi
}

# c45_pdf_all CAMPAIGN DIR [LIMIT]: every unit's notice, or the LIMIT units
# with the most sessions.
c45_pdf_all() {
	"$c45_py" - "$1" "$2" "${3:-0}" >"$c45_work/units.txt" <<'PYEOF'
import json, sys
from collections import Counter
campaign = json.load(open(sys.argv[1], encoding="utf-8"))
plan = json.load(open(sys.argv[2] + "/rota.json", encoding="utf-8"))
limit = int(sys.argv[3])
sessions = Counter()
for s in plan["sessions"]:
    for u in {v["unit"] for v in s["visits"]}:
        sessions[u] += 1
units = campaign["units"]
if limit:
    units = sorted(units, key=lambda u: (-sessions[u["id"]], u["id"]))[:limit]
for u in units:
    print("%s\t%s" % (u["id"], u["name"]))
PYEOF
	c45_base=$(basename "$2")
	while IFS='	' read -r c45_id c45_name; do
		c45_pdf "$c45_base.$c45_id" "$2/notices/$c45_id.html" "$c45_name"
	done <"$c45_work/units.txt"
}

if [ ! -x "$ROTA" ]; then
	echo "# skip notices: $ROTA is not built yet"
	return 0 2>/dev/null || exit 0
fi

# ---- the examples ----

for c45_example in "$TOP"/examples/*.json; do
	c45_name=$(basename "$c45_example" .json)
	c45_dir=$TMP/plans/$c45_name
	if [ ! -f "$c45_dir/rota.json" ] && [ "$BUILD" = build-san ] &&
		[ "$c45_name" = dinh-hoa-2024 ]; then
		# Minutes under the sanitizers; suite-30 or the plain run plans it.
		echo "# skip notices.$c45_name under the sanitizers without suite-30's plan"
		continue
	fi
	if [ ! -f "$c45_dir/rota.json" ]; then
		c45_dir=$c45_work/$c45_name
		if c45_plan "$c45_example" "$c45_dir"; then
			pass "notices.$c45_name.plan"
		else
			fail "notices.$c45_name.plan" "$(head -n 20 "$c45_work/plan.err")"
			continue
		fi
	fi
	# shellcheck disable=SC2046
	if "$c45_py" "$c45_quality" "$c45_example" "$c45_dir" $(c45_thresholds "$c45_name") \
		>"$c45_work/quality.out" 2>&1; then
		pass "notices.$c45_name.quality"
	else
		fail "notices.$c45_name.quality" "$(grep -v '^late-p' "$c45_work/quality.out" | head -n 40)"
	fi
	sed "s/^/# quality $c45_name: /" "$c45_work/quality.out" | grep -v 'defect:' | head -n 40
	if c45_out=$(c45_units_ok "$c45_example" "$c45_dir" 2>&1); then
		pass "notices.$c45_name.every-unit"
	else
		fail "notices.$c45_name.every-unit" "$(printf '%s\n' "$c45_out" | head -n 20)"
	fi
	if [ -n "$c45_chromium" ]; then
		if [ "$c45_name" = dinh-hoa-2024 ]; then
			c45_pdf_all "$c45_example" "$c45_dir" 5
		else
			c45_pdf_all "$c45_example" "$c45_dir"
		fi
	fi
done

# The checker is not blind: each broken copy of the small plan must fail.
c45_small=$TMP/plans/small
[ -f "$c45_small/rota.json" ] || c45_small=$c45_work/small
if [ -f "$c45_small/rota.json" ]; then
	c45_broken() {
		rm -rf "$c45_work/broken"
		mkdir -p "$c45_work/broken"
		"$c45_py" - "$c45_small/rota.json" "$c45_work/broken/rota.json" "$1" <<'PYEOF'
import json, sys
plan = json.load(open(sys.argv[1], encoding="utf-8"))
kind = sys.argv[3]
day = [s for s in plan["sessions"] if s["slot"] == "day"][0]
v = day["visits"][0]
if kind == "off-mark":
    h, m = v["arrive"].split(":")
    v["arrive"] = "%s:%02d" % (h, int(m) + 1)
elif kind == "in-break":
    for w in day["visits"]:
        if w["unit"] == v["unit"]:
            w["until"] = "12:00"
elif kind == "overlap":
    other = [w for w in day["visits"] if w["unit"] != v["unit"]]
    for w in other:
        w["arrive"] = v["arrive"]
elif kind == "crumb":
    # One person of a visit called in on their own to another session.
    src = [(s, w) for s in plan["sessions"] for w in s["visits"] if w["count"] >= 2][0]
    dst = [s for s in plan["sessions"]
           if src[1]["unit"] not in [w["unit"] for w in s["visits"]]][0]
    src[1]["count"] -= 1
    crumb = dict(src[1], count=1)
    dst["visits"].append(crumb)
elif kind == "foldable":
    # One person of a visit called in alone the day after, at the same
    # site by the same team: folding them back into the session they
    # came from keeps rules 1-6 and saves an invitation and a session.
    src = [(s, w) for s in plan["sessions"] for w in s["visits"] if w["count"] >= 2][0]
    src[1]["count"] -= 1
    y, mo, d = (int(x) for x in src[0]["date"].split("-"))
    lone = dict(src[0], uid="fold-" + src[0]["uid"], date="%04d-%02d-%02d" % (y, mo, d + 1),
                visits=[dict(src[1], count=1)])
    plan["sessions"].insert(plan["sessions"].index(src[0]) + 1, lone)
json.dump(plan, open(sys.argv[2], "w", encoding="utf-8"))
PYEOF
		# shellcheck disable=SC2046
		if "$c45_py" "$c45_quality" "$TOP/examples/small.json" "$c45_work/broken" \
			$(c45_thresholds small) --verbose >"$c45_work/broken.out" 2>&1; then
			fail "notices.checker-rejects.$1" "check_quality.py accepted it"
		elif [ "$1" = crumb ] && ! grep -q '^regression: small-invitations' "$c45_work/broken.out"; then
			fail "notices.checker-rejects.$1" "no small-invitations regression" \
				"$(head -n 20 "$c45_work/broken.out")"
		elif [ "$1" = foldable ] && { ! grep -q '^regression: foldable' "$c45_work/broken.out" ||
			! grep -q '^foldable: .* -> ' "$c45_work/broken.out"; }; then
			fail "notices.checker-rejects.$1" "no foldable regression or line" \
				"$(head -n 40 "$c45_work/broken.out")"
		else
			pass "notices.checker-rejects.$1"
		fi
	}
	c45_broken off-mark
	c45_broken in-break
	c45_broken overlap
	c45_broken crumb
	c45_broken foldable
	rm -rf "$c45_work/broken"
fi

# ---- golden notices of examples/small.json ----

c45_gold=$TOP/tests/golden/small/notices
if [ -d "$c45_small/notices" ]; then
	if [ "${REGEN:-0}" = 1 ]; then
		rm -rf "$c45_gold"
		cp -R "$c45_small/notices" "$c45_gold"
		echo "# notices: rewrote tests/golden/small/notices: read the diff"
	fi
	if [ ! -d "$c45_gold" ]; then
		echo "# skip notices.small.golden: no tests/golden/small/notices (REGEN=1 after review)"
	elif c45_diff=$(diff -r "$c45_gold" "$c45_small/notices" 2>&1); then
		pass notices.small.golden
	else
		fail notices.small.golden "$(printf '%s\n' "$c45_diff" | head -n 40)"
	fi
fi

# English notices and summary.
if c45_plan "$TOP/examples/small.json" "$c45_work/small-en" --lang en; then
	if grep -q '^NOTICE$' "$c45_work/small-en/notices/xom-dong-chua.txt" &&
		grep -q '^Plan of campaign ' "$c45_work/small-en/summary.txt" &&
		! grep -q 'Kính gửi' "$c45_work/small-en/notices/xom-dong-chua.txt"; then
		pass notices.small-en.english
	else
		fail notices.small-en.english "$(head -n 10 "$c45_work/small-en/notices/xom-dong-chua.txt")"
	fi
else
	fail notices.small-en.plan "$(head -n 20 "$c45_work/plan.err")"
fi

# ---- children under 14 ----

c45_kids=$TOP/tests/notices/children.json
for c45_lang in vi en; do
	c45_kd=$c45_work/children-$c45_lang
	if ! c45_plan "$c45_kids" "$c45_kd" --lang "$c45_lang"; then
		fail "notices.children-$c45_lang.plan" "$(head -n 20 "$c45_work/plan.err")"
		continue
	fi
	if [ "$c45_lang" = vi ]; then
		c45_want='không cần điện thoại hay SIM riêng'
		c45_parent='trẻ đến cùng cha, mẹ hoặc người giám hộ'
	else
		c45_want='no phone or SIM of its own'
		c45_parent='the child comes with a parent or guardian'
	fi
	# The village of children: its invitation and notice say what the
	# parent brings; the village without children says nothing of it.
	if "$c45_py" - "$c45_kd" "$c45_want" "$c45_parent" <<'PYEOF'
import glob, sys
d, want, parent = sys.argv[1:4]
bad = []
invites = glob.glob(d + "/invites/xom-dong-chua/*.ics")
if not invites:
    bad.append("no invitation for xom-dong-chua")
for path in invites + [d + "/notices/xom-dong-chua.txt", d + "/notices/xom-dong-chua.html"]:
    text = open(path, encoding="utf-8").read().replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")
    text = " ".join(text.replace("\\n", "\n").split())
    if want not in text or parent not in text:
        bad.append(path + ": no children's bring list")
text = open(d + "/notices/xom-na-mon.txt", encoding="utf-8").read()
if parent in text:
    bad.append("xom-na-mon has no children but is told of them")
sys.exit("\n".join(bad) if bad else 0)
PYEOF
	then
		pass "notices.children-$c45_lang.bring"
	else
		fail "notices.children-$c45_lang.bring"
	fi
	if "$c45_py" "$c45_quality" "$c45_kids" "$c45_kd" --max-foldable 0 \
		>"$c45_work/quality.out" 2>&1; then
		pass "notices.children-$c45_lang.quality"
	else
		fail "notices.children-$c45_lang.quality" "$(cat "$c45_work/quality.out")"
	fi
	if [ -n "$c45_chromium" ]; then
		c45_pdf_all "$c45_kids" "$c45_kd"
	fi
done
