# rota import and rota template (docs/import.md).
#
# 1. The bad-input corpus: every tests/import/NAME/ holds the files of one
#    import (roster.csv, and if present sites.csv, teams.csv, travel.csv,
#    holidays.ics, deadline-GROUP.ics, base.json; else tests/import/base.json
#    is the base). What `rota import` prints on standard error, then
#    "exit N", then the campaign it wrote (if any), must be exactly
#    tests/import/NAME.expected. A failed import must write nothing.
#
#      REGEN=1 ROTA_SUITES=70 sh tests/run.sh build   rewrites the .expected
#      files: read `git diff tests/import` line by line before keeping it.
#
# 2. The example spreadsheets (examples/trung-hoi-2024/) import to the
#    committed campaign, which `rota check` accepts and `rota plan` plans.
# 3. `rota template` writes templates that import, and refuses to overwrite.

import_case() { # DIR OUT: runs the import of DIR into OUT
	dir=$1
	out=$2
	set -- "$dir/roster.csv"
	if [ -f "$dir/base.json" ]; then
		set -- "$@" --campaign "$dir/base.json"
	else
		set -- "$@" --campaign tests/import/base.json
	fi
	for table in sites teams travel; do
		[ -f "$dir/$table.csv" ] && set -- "$@" "--$table" "$dir/$table.csv"
	done
	[ -f "$dir/holidays.ics" ] && set -- "$@" --holidays "$dir/holidays.ics"
	for ics in "$dir"/deadline-*.ics; do
		[ -f "$ics" ] || continue
		group=${ics##*/deadline-}
		set -- "$@" --deadline "${group%.ics}=$ics"
	done
	"$ROTA" import "$@" -o "$out"
}

for dir in tests/import/*/; do
	dir=${dir%/}
	[ -f "$dir/roster.csv" ] || continue
	name=${dir##*/}
	expected=tests/import/$name.expected
	out=$TMP/import-$name.json
	rm -f "$out"
	import_case "$dir" "$out" >/dev/null 2>"$TMP/import.err"
	status=$?
	{
		sed "s|$TMP/||g" "$TMP/import.err"
		echo "exit $status"
		[ -f "$out" ] && cat "$out"
	} >"$TMP/import.out"
	if [ "$status" -ne 0 ] && [ -e "$out" ]; then
		fail "import.$name" "exit $status but $out was written"
	elif [ "${REGEN:-}" = 1 ]; then
		cp "$TMP/import.out" "$expected"
		pass "import.$name (regenerated)"
	elif [ ! -f "$expected" ]; then
		fail "import.$name" "missing $expected; its output:" "$(cat "$TMP/import.out")"
	elif diff -u "$expected" "$TMP/import.out" >"$TMP/import.diff"; then
		pass "import.$name"
	else
		fail "import.$name" "$(cat "$TMP/import.diff")"
	fi
	# No temporary file is left behind, whatever happened.
	if ls -a "$TMP" | grep -q '\.tmp$'; then
		fail "import.$name.no-temporary" "$(ls -a "$TMP")"
		rm -f "$TMP"/.*.tmp
	fi
done

# The example: the commune's spreadsheets to the committed campaign.
example=examples/trung-hoi-2024
golden=tests/import/golden/trung-hoi-2024.json
if "$ROTA" import "$example/roster.csv" --campaign "$example/base.json" \
	--sites "$example/sites.csv" --teams "$example/teams.csv" \
	--travel "$example/travel.csv" --holidays "$example/holidays-2024.ics" \
	--deadline "exam=$example/exam-2024.ics" -o "$TMP/trung-hoi.json" \
	>"$TMP/import.stdout" 2>"$TMP/import.err"; then
	if [ "${REGEN:-}" = 1 ]; then
		cp "$TMP/trung-hoi.json" "$golden"
		pass "import.example (regenerated)"
	elif diff -u "$golden" "$TMP/trung-hoi.json" >"$TMP/import.diff"; then
		pass import.example
	else
		fail import.example "$(cat "$TMP/import.diff")"
	fi
	if [ -s "$TMP/import.err" ]; then
		fail import.example-quiet "$(cat "$TMP/import.err")"
	else
		pass import.example-quiet
	fi
	check import.example-check "$ROTA" check "$TMP/trung-hoi.json"
	# The same campaign as the hand-written example, but for the ids the
	# importer makes from the names and the one fixed session, which the
	# spreadsheets do not hold.
	if /usr/bin/python3 - "$TMP/trung-hoi.json" examples/trung-hoi-2024.json >"$TMP/same.out" 2>&1 <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
b.pop("fixed")
for g in b["groups"]:
    if g.get("deadline") == b["campaign"]["end"]:
        del g["deadline"]
for x, y in zip(a["units"], b["units"]):
    x.pop("id"); y.pop("id")
for k in sorted(set(a) | set(b)):
    if a.get(k) != b.get(k):
        print("differs:", k)
        sys.exit(1)
PY
	then
		pass import.example-same-as-handwritten
	else
		fail import.example-same-as-handwritten "$(cat "$TMP/same.out")"
	fi
	check import.example-plan nice "$ROTA" plan "$TMP/trung-hoi.json" -o "$TMP/trung-hoi-plan" \
		--quiet --time-limit 60
	# Byte-identical from run to run.
	"$ROTA" import "$example/roster.csv" --campaign "$example/base.json" \
		--sites "$example/sites.csv" --teams "$example/teams.csv" \
		--travel "$example/travel.csv" --holidays "$example/holidays-2024.ics" \
		--deadline "exam=$example/exam-2024.ics" -o "$TMP/trung-hoi-2.json" >/dev/null 2>&1
	check import.example-stable cmp "$TMP/trung-hoi.json" "$TMP/trung-hoi-2.json"
else
	fail import.example "$(cat "$TMP/import.err")"
fi

# An existing campaign file is replaced whole, never through a link.
printf 'old\n' >"$TMP/target"
ln -s "$TMP/target" "$TMP/link.json"
if "$ROTA" import tests/import/thousands-accepted/roster.csv --campaign tests/import/base.json \
	-o "$TMP/link.json" >/dev/null 2>&1 && [ "$(cat "$TMP/target")" = old ] &&
	[ ! -L "$TMP/link.json" ] && "$ROTA" check "$TMP/link.json" >/dev/null 2>&1; then
	pass import.replaces-link
else
	fail import.replaces-link "the link's target was written, or the link kept"
fi

# Templates: written once, refused the second time, and they import.
tdir=$TMP/template
if "$ROTA" template "$tdir" >/dev/null 2>"$TMP/template.err"; then
	pass import.template
else
	fail import.template "$(cat "$TMP/template.err")"
fi
printf 'mine\n' >"$TMP/template-roster"
cp "$TMP/template-roster" "$tdir/roster.csv"
rm -f "$tdir/sites.csv"
if "$ROTA" template "$tdir" >/dev/null 2>"$TMP/template.err"; then
	fail import.template-no-overwrite "exit 0 over existing files"
elif cmp -s "$tdir/roster.csv" "$TMP/template-roster" && [ ! -e "$tdir/sites.csv" ] &&
	grep -q "roster.csv' exists already" "$TMP/template.err"; then
	pass import.template-no-overwrite
else
	fail import.template-no-overwrite "$(cat "$TMP/template.err")"
fi
tdir=$TMP/template2
"$ROTA" template "$tdir" >/dev/null 2>&1
if "$ROTA" import "$tdir/roster.csv" --campaign tests/import/template-base.json \
	--sites "$tdir/sites.csv" --teams "$tdir/teams.csv" -o "$TMP/template.json" \
	>/dev/null 2>"$TMP/template.err" && "$ROTA" check "$TMP/template.json" >/dev/null 2>&1; then
	pass import.template-imports
else
	fail import.template-imports "$(cat "$TMP/template.err")"
fi

# More units than a campaign holds: refused at the row that passes the
# limit (made here, not committed), quickly (duplicates are found by
# sorting, not by comparing every pair).
{
	echo 'Đơn vị;Địa điểm;exam cccd'
	i=0
	while [ $i -le 20000 ]; do
		echo "Xóm $i;tru-so;1"
		i=$((i + 1))
	done
} >"$TMP/many.csv"
"$ROTA" import "$TMP/many.csv" --campaign tests/import/base.json -o "$TMP/many.json" \
	>/dev/null 2>"$TMP/many.err"
status=$?
want="rota: $TMP/many.csv:20002:1: more than 20000 units: a campaign holds at most 20000
rota: 1 error: nothing written"
if [ "$status" -eq 1 ] && [ "$(cat "$TMP/many.err")" = "$want" ] && [ ! -e "$TMP/many.json" ]; then
	pass import.too-many-units
else
	fail import.too-many-units "exit $status" "$(cat "$TMP/many.err")" "expected: $want"
fi
