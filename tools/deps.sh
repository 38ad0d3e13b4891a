#!/bin/sh
# Installs what rota needs and is missing, on Debian 12.
#   sh tools/deps.sh build [test] [fuzz] [bench]
# build: the compiler and the libraries; test: the independent
# calendar parsers (python3-icalendar, python3-vobject, npm's ical.js),
# headless Chromium and poppler's PDF tools for the printable pages;
# fuzz: clang with libFuzzer; bench: CBC for the comparison.
# Needs root or sudo only when something is missing.
set -eu

want_build="gcc make pkg-config libglpk-dev libical-dev libcjson-dev libcsv-dev tzdata"
want_test="python3 python3-icalendar python3-vobject chromium poppler-utils"
want_fuzz="clang libclang-rt-14-dev"
want_bench="coinor-cbc glpk-utils time"

pkgs=""
node=0
for what in "$@"; do
	case $what in
	build) pkgs="$pkgs $want_build" ;;
	test) pkgs="$pkgs $want_test"; node=1 ;;
	fuzz) pkgs="$pkgs $want_fuzz" ;;
	bench) pkgs="$pkgs $want_bench" ;;
	*) echo "deps.sh: unknown set '$what'" >&2; exit 2 ;;
	esac
done
if [ "$node" = 1 ] && ! command -v npm >/dev/null 2>&1; then
	pkgs="$pkgs nodejs npm"
fi

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "rota: missing Debian packages:$missing" >&2
		echo "rota: install them as root: apt-get install$missing" >&2
		exit 1
	fi
	echo "rota: installing$missing"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ "$node" = 1 ] && [ ! -f tests/js/node_modules/ical.js/package.json ]; then
	echo "rota: installing ical.js for the calendar tests"
	(cd tests/js && npm ci --silent --no-audit --no-fund)
fi
