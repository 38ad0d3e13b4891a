# The bundled examples: each passes the independent static linter, and the
# generated district is exactly what its generator writes.
for example in examples/*.json; do
	check "examples.lint.$(basename "$example" .json)" \
		/usr/bin/python3 tools/gen/lint_campaign.py --quiet "$example"
done
if /usr/bin/python3 tools/gen/dinh-hoa.py --out "$TMP/dinh-hoa-2024.json" >/dev/null 2>&1 &&
	cmp -s "$TMP/dinh-hoa-2024.json" examples/dinh-hoa-2024.json; then
	pass examples.generator-reproduces-dinh-hoa
else
	fail examples.generator-reproduces-dinh-hoa "tools/gen/dinh-hoa.py does not reproduce examples/dinh-hoa-2024.json"
fi
