# rota - plans intake sessions for ID-card and e-ID campaigns.
#
#   make            build build/rota
#   make demo       install what is missing, build, plan the bundled example
#   make check      install what is missing, build, run the whole test suite
#   make check SANITIZE=1   the same under AddressSanitizer and UBSan
#   make fuzz       run a reader's fuzzer (FUZZ_TARGET=campaign or plan) for FUZZ_SECONDS
#   make bench      the benchmark (docs/performance.md)
#   make install PREFIX=/usr/local DESTDIR=
#
# CFLAGS, LDFLAGS and CC are yours; the project's own flags go in ROTA_*.
# DEVELOPER=1 turns warnings into errors.

CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
PKG_CONFIG ?= pkg-config
FUZZ_SECONDS ?= 60

ROTA_WARNINGS = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wformat=2 -Wno-format-nonliteral
ROTA_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -pthread -Iinclude -Isrc $(ROTA_WARNINGS) \
	$(shell $(PKG_CONFIG) --cflags libical libcjson 2>/dev/null)
ROTA_LIBS = $(shell $(PKG_CONFIG) --libs libical libcjson 2>/dev/null) -lcsv -lglpk -lm -pthread

BUILD = build
ifeq ($(DEVELOPER),1)
ROTA_CFLAGS += -Werror
endif
ifeq ($(SANITIZE),1)
BUILD = build-san
ROTA_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ROTA_LDFLAGS += -fsanitize=address,undefined
endif

SRCS = $(sort $(wildcard src/*.c))
ifeq ($(TORTURE),1)
# Allocation torture (tests/torture.sh): the Nth allocation fails, under ASan.
BUILD = build-torture
ROTA_CFLAGS += -DROTA_TORTURE -fsanitize=address -fno-omit-frame-pointer
ROTA_LDFLAGS += -fsanitize=address -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup
else
SRCS := $(filter-out src/torture.c,$(SRCS))
endif
LIB_SRCS = $(filter-out src/main.c,$(SRCS))
OBJS = $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJS = $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
ROTA = $(BUILD)/rota

.PHONY: all deps demo check check-san fuzz bench install uninstall clean
all: $(ROTA)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ROTA_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(ROTA): $(OBJS)
	$(CC) $(ROTA_CFLAGS) $(CFLAGS) $(ROTA_LDFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(ROTA_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testlib.h tests/unit/fixture.c tests/unit/fixture.h $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ROTA_CFLAGS) -Itests/unit $(CFLAGS) $(ROTA_LDFLAGS) $(LDFLAGS) -o $@ $< tests/unit/fixture.c $(LIB_OBJS) $(ROTA_LIBS)

-include $(OBJS:.o=.d)

# Installs the Debian packages and npm modules that are missing (root or sudo).
deps:
	@sh tools/deps.sh $(DEPS)

demo: DEPS = build
demo: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p out
	./$(ROTA) plan examples/trung-hoi-2024.json -o out/demo
	@echo
	@echo "The plan is in out/demo/: rota.json, rota.csv, summary.txt, calendars/ and invites/."

check: DEPS = build test
check: deps
	@$(MAKE) --no-print-directory all units
	@sh tests/run.sh $(BUILD)

units: $(UNIT_BINS)

check-san:
	@$(MAKE) --no-print-directory check SANITIZE=1

FUZZ_BUILD = build-fuzz
# make fuzz FUZZ_TARGET=campaign (rota check's input) or plan (rota week's).
FUZZ_TARGET ?= campaign
FUZZ_SRCS = src/json_doc.c src/reader.c src/campaign_read.c src/campaign_check.c \
	src/plan_read.c src/campaign.c src/date.c src/diag.c src/input_file.c src/plan.c \
	src/tz_names.c src/util.c
FUZZ_CORPUS_campaign = tests/fuzz/seeds examples tests/bad
FUZZ_CORPUS_plan = tests/fuzz/seeds-plan tests/bad-plan
fuzz: DEPS = build fuzz
fuzz: deps
	@mkdir -p $(FUZZ_BUILD)
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -DROTA_FUZZING -Iinclude -Isrc -g -O1 \
		-DFUZZ_CAMPAIGN='"$(CURDIR)/examples/small.json"' \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(shell $(PKG_CONFIG) --cflags libcjson) \
		-o $(FUZZ_BUILD)/fuzz_$(FUZZ_TARGET) tests/fuzz/fuzz_$(FUZZ_TARGET).c $(FUZZ_SRCS) \
		$(shell $(PKG_CONFIG) --libs libcjson) -lm
	@# What the fuzzer once found must still pass, before new fuzzing.
	@set -e; for f in tests/fuzz/regressions/$(FUZZ_TARGET)-*; do \
		[ -f "$$f" ] || continue; \
		$(FUZZ_BUILD)/fuzz_$(FUZZ_TARGET) "$$f" >/dev/null 2>&1 || \
			{ echo "fuzz: regression $$f fails"; exit 1; }; \
	done
	@mkdir -p $(FUZZ_BUILD)/corpus-$(FUZZ_TARGET)
	$(FUZZ_BUILD)/fuzz_$(FUZZ_TARGET) -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-timeout=10 -rss_limit_mb=2048 $(FUZZ_BUILD)/corpus-$(FUZZ_TARGET) \
		$(FUZZ_CORPUS_$(FUZZ_TARGET))

bench: DEPS = build bench
bench: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench/run.sh $(BUILD)

install: $(ROTA)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(ROTA) $(DESTDIR)$(BINDIR)/rota
	install -m 644 docs/rota.1 $(DESTDIR)$(MANDIR)/man1/rota.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rota $(DESTDIR)$(MANDIR)/man1/rota.1

clean:
	rm -rf build build-san build-fuzz build-torture out

# The importer's fuzzer (tests/fuzz/fuzz_import.c): any roster, table or
# calendar gives a campaign or diagnostics. Runs from the top directory; its
# seeds are the example's files and the bad-input corpus, each behind the
# byte that says what it is (0 roster, 2 sites, 3 teams, 4 travel, 5 .ics).
.PHONY: fuzz-import
FUZZ_IMPORT_SRCS = tests/fuzz/fuzz_import.c src/csv_read.c src/import.c src/calendar_read.c \
	$(FUZZ_SRCS)
fuzz-import: DEPS = build fuzz
fuzz-import: deps
	@mkdir -p $(FUZZ_BUILD)/import-corpus $(FUZZ_BUILD)/import-seeds
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(shell $(PKG_CONFIG) --cflags libcjson libical) \
		-o $(FUZZ_BUILD)/fuzz_import $(FUZZ_IMPORT_SRCS) \
		$(shell $(PKG_CONFIG) --libs libcjson libical) -lcsv -lm
	@n=0; for f in examples/trung-hoi-2024/*.csv examples/trung-hoi-2024/*.ics \
		tests/import/*/*.csv tests/import/*/*.ics; do \
		[ -f "$$f" ] || continue; n=$$((n + 1)); \
		case "$$f" in *sites*) m='\002' ;; *teams*) m='\003' ;; *travel*) m='\004' ;; \
		*.ics) m='\005' ;; *) m='\000' ;; esac; \
		{ printf "$$m"; cat "$$f"; } >$(FUZZ_BUILD)/import-seeds/seed-$$n; done
	$(FUZZ_BUILD)/fuzz_import -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-timeout=10 -rss_limit_mb=2048 $(FUZZ_BUILD)/import-corpus $(FUZZ_BUILD)/import-seeds

# The actuals reader's fuzzer (tests/fuzz/fuzz_actuals.c): any CSV gives
# rows or diagnostics, read against the small example and its plan. Runs
# from the top directory; its seeds are tests/bad-actuals/ and the plan's
# own rows with a came column.
.PHONY: fuzz-actuals
FUZZ_ACTUALS_SRCS = tests/fuzz/fuzz_actuals.c src/actuals.c src/csv_read.c $(FUZZ_SRCS)
fuzz-actuals: DEPS = build fuzz
fuzz-actuals: deps
	@mkdir -p $(FUZZ_BUILD)/actuals-corpus $(FUZZ_BUILD)/actuals-seeds
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -g -O1 \
		-DFUZZ_CAMPAIGN='"$(CURDIR)/examples/small.json"' \
		-DFUZZ_PLAN='"$(CURDIR)/tests/fuzz/seeds-plan/small.json"' \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(shell $(PKG_CONFIG) --cflags libcjson) \
		-o $(FUZZ_BUILD)/fuzz_actuals $(FUZZ_ACTUALS_SRCS) \
		$(shell $(PKG_CONFIG) --libs libcjson) -lcsv -lm
	@cp tests/bad-actuals/*.csv $(FUZZ_BUILD)/actuals-seeds/
	@/usr/bin/python3 -c 'import csv, json, sys; p = json.load(open("tests/fuzz/seeds-plan/small.json")); w = csv.writer(sys.stdout); w.writerow(["date", "slot", "team", "site", "unit", "group", "service", "came"]); [w.writerow([s["date"], s["slot"], s["team"], s["site"], v["unit"], v["group"], v["service"], v["count"]]) for s in p["sessions"] for v in s["visits"]]' \
		>$(FUZZ_BUILD)/actuals-seeds/plan.csv
	$(FUZZ_BUILD)/fuzz_actuals -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-timeout=10 -rss_limit_mb=2048 $(FUZZ_BUILD)/actuals-corpus $(FUZZ_BUILD)/actuals-seeds
