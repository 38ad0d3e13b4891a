# A plan directory keeps its own copy of its campaign (DIR/campaign.json):
# `rota week` and `rota report` read the plan against that copy, not the
# campaign file named in rota.json, which may have been edited since the
# plan was made; `--campaign FILE` overrides both.
#
# Sourced by tests/run.sh: uses pass/fail, $ROTA, $TMP, $TOP. Its own
# variables start with p62_.

p62_work=$TMP/p62
rm -rf "$p62_work"
mkdir -p "$p62_work"
p62_old='Xóm Nà Mòn'
p62_new='Xóm Đổi Tên'
cp "$TOP/examples/small.json" "$p62_work/campaign.json"

# p62_has NAME FILE TEXT WANT: WANT is "yes" when TEXT must be in FILE.
p62_has() {
	if grep -qF "$3" "$2"; then p62_got=yes; else p62_got=no; fi
	if [ "$p62_got" = "$4" ]; then
		pass "$1"
	else
		fail "$1" "'$3' in $2: $p62_got, want $4" "$(head -c 2000 "$2")"
	fi
}

if ! SOURCE_DATE_EPOCH=1700000000 "$ROTA" plan "$p62_work/campaign.json" \
	-o "$p62_work/plan" --quiet >"$p62_work/plan.out" 2>&1; then
	fail plandir.plan "$(cat "$p62_work/plan.out")"
else
	pass plandir.plan
	# The campaign is edited after planning: a unit is renamed.
	sed "s/\"name\": \"$p62_old\"/\"name\": \"$p62_new\"/" "$p62_work/campaign.json" \
		>"$p62_work/edited.json"
	mv "$p62_work/edited.json" "$p62_work/campaign.json"
	p62_has plandir.edited "$p62_work/campaign.json" "$p62_new" yes

	"$ROTA" week "$p62_work/plan" 2024-W10 -o "$p62_work/week.ics" \
		>"$p62_work/week.out" 2>&1
	p62_has plandir.week-own-copy "$p62_work/week.out" "$p62_old" yes
	p62_has plandir.week-not-edited "$p62_work/week.out" "$p62_new" no

	"$ROTA" report "$p62_work/plan" -o "$p62_work/report.html" \
		>"$p62_work/report.out" 2>&1
	p62_has plandir.report-own-copy "$p62_work/report.html" "$p62_old" yes
	p62_has plandir.report-not-edited "$p62_work/report.html" "$p62_new" no

	"$ROTA" week "$p62_work/plan" 2024-W10 -o "$p62_work/week2.ics" \
		--campaign "$p62_work/campaign.json" >"$p62_work/week2.out" 2>&1
	p62_has plandir.week-override "$p62_work/week2.out" "$p62_new" yes

	"$ROTA" report "$p62_work/plan" -o "$p62_work/report2.html" \
		--campaign "$p62_work/campaign.json" >"$p62_work/report2.out" 2>&1
	p62_has plandir.report-override "$p62_work/report2.html" "$p62_new" yes

	# A symbolic link in place of the plan's copy is not followed.
	mv "$p62_work/plan/campaign.json" "$p62_work/plan/copy.json"
	ln -s copy.json "$p62_work/plan/campaign.json"
	if "$ROTA" report "$p62_work/plan" -o "$p62_work/report3.html" \
		>"$p62_work/report3.out" 2>&1; then
		fail plandir.report-symlink "rota report followed a symbolic link"
	elif [ -e "$p62_work/report3.html" ]; then
		fail plandir.report-symlink "a report was written"
	else
		pass plandir.report-symlink
	fi
fi
