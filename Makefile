# backfill: a year of extreme market events of Binance USD-M perpetuals, from the public
# archive. This file is the map: one rule per artifact, each stage's binary (its sha256, under
# CACHE/bin) a prerequisite of what it writes; what the knobs mean is Swift's: `backfill plan`.
#   make all | detect SYMBOL=BTC | -j2 | merge | universe | prune | test | demo | clean
#
#   archive, REST API ─ stage-download ─▶ download/SYM/{files,missing}.csv, months/YYYY-MM.csv
#                                          (zips under archive/, the REST tail under tail/)
#                     ─ stage-flow     ─▶ series/SYM/months/YYYY-MM.csv ─▶ series/SYM/*.csv
#                     ─ stage-detect   ─▶ events/SYM.jsonl
#                     ─ stage-prices   ─▶ prices/SYM.jsonl
#                     ─ stage-load     ─▶ DB (its stamp: load/<DB's absolute path, / as _>.loaded)
#                     ─ stage-report   ─▶ report/index.html, summary.csv, event_path.csv

# ---- knobs (each also an option of the stage that needs it: docs/SPEC.md) ----
SYMBOLS  ?= BTCUSDT ETHUSDT
SYMBOL   ?=
DAYS     ?= 365
END      ?=# empty: today (UTC), read once by the plan
CACHE    ?= data/backfill_cache
DB       ?= data/monitor.db
SHARD    ?=# INDEX/COUNT: one shard of the market, by the symbol's name
BASE_URL ?= https://data.binance.vision
# LIST_URL, REST_URL: unset, stage-download takes them from BASE_URL; set empty: none
LIST_MAX_AGE ?= 20
TAIL_WEIGHT  ?= 1000
JOBS     ?= 4
TIMEOUT  ?= 30
OFFLINE  ?=
REFRESH  ?=
VERIFY   ?=
DRY_RUN  ?=
QUIET    ?=
SHARDS   ?=# make merge: the shard databases
SHARD_CACHES ?=# make merge: their caches, for the whole market's report
STATUS   ?=# ./pipeline status asks `make -n STATUS=1`: the archive is not asked again

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:
.SECONDEXPANSION:
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules
# QUIET=1: no commands echoed, no progress; each stage still prints its one summary line
$(if $(QUIET),$(eval .SILENT:))
BIN   := .build/release
STAMP  = $(CACHE)/bin
GOALS := $(or $(MAKECMDGOALS),all)
# the goals that plan (and lock) a cache; the others only build or clean
PLANNED := $(filter-out test test-slurm test-image bench demo fuzz clean distclean $(BIN)/%,$(GOALS))
LOOKS := $(filter-out --%,$(firstword $(MAKEFLAGS)))
Q := $(if $(QUIET),--quiet)
optional = $(if $(filter undefined,$(origin $(1))),,--$(2) '$($(1))')
# what the plan writes for a parenthesis or a hash in a value (MakeInclude)
open := (
close := )
hash := \#

.PHONY: all FORCE merge download flow detect prices load report universe prune demo fuzz
all: load report
FORCE:

# ---- the binaries: every product in one swift build (none without sources: the image);
# built.mk is read as a makefile: make builds before it plans, and plans with the new binaries
BUILT := $(if $(wildcard Package.swift),$(BIN)/built.mk)
ifneq ($(BUILT),)
$(if $(PLANNED),$(eval include $(BUILT)))
$(BUILT): Package.swift $(wildcard Sources/*/*.swift Sources/*/*/*.swift Sources/*/*.h Sources/*/module.modulemap)
	swift build -c release $(Q)
	@echo '# every product built by swift build -c release, newer than its sources' > $@
endif

# what a stage's outputs were made with: its binary's sha256, rewritten only when the bytes change
$(STAMP)/%.sha256: $(if $(STATUS),,$(BUILT))
	@mkdir -p $(@D); sum=$$(sha256sum < $(BIN)/$*); [[ "$$(cat $@ 2>/dev/null)" == "$$sum" ]] || echo "$$sum" > $@

# ---- the plan (Sources/backfill/Plan): symbols, months, every artifact, every check ----
$(foreach v,SYMS MONTHS SERIES DOWNLOADS MONTH_LISTS MONTH_PARTS FLOWS EVENTS PRICES LOAD_STAMP STALE_STAMPS \
  PLAN_UNIVERSE PLAN_REFUSED,$(eval $(v) :=))
ifneq ($(PLANNED),)
ifneq ($(wildcard $(BIN)/backfill),)
$(eval $(shell $(BIN)/backfill plan --symbols '$(SYMBOLS)' --symbol '$(SYMBOL)' --end '$(END)' --days '$(DAYS)' \
  --cache '$(CACHE)' --db '$(DB)' --shard '$(SHARD)' $(if $(STATUS),--binaries $(BIN))))
$(if $(filter 0,$(.SHELLSTATUS)),,$(error $(BIN)/backfill plan failed on these knobs; run it alone to see why))
$(if $(PLAN_REFUSED),$(error $(PLAN_REFUSED)))
endif
# one run at a time on a cache (tools/cache-lock: flock(2), dies with the run); make -n and
# make -q only look: they take no lock
ifeq ($(findstring n,$(LOOKS))$(findstring q,$(LOOKS)),)
LOCK_REFUSED := $(shell tools/cache-lock '$(CACHE)' $$PPID '$(GOALS)')
$(if $(LOCK_REFUSED),$(error $(LOCK_REFUSED)))
endif
endif

# SYMBOLS=all: the archive's listing of every perpetual, read again when older than
# LIST_MAX_AGE hours; make plans again when the symbols trading in the range change
UNIVERSE_ARGS = --cache '$(CACHE)' --end $(END) --days $(DAYS) --base-url '$(BASE_URL)' $(call optional,LIST_URL,list-url) \
  --list-max-age $(LIST_MAX_AGE) --jobs $(JOBS) --timeout $(TIMEOUT) $(if $(OFFLINE),--offline) $(Q)
ifeq ($(PLAN_UNIVERSE):$(STATUS),1:)
include $(CACHE)/universe/symbols.mk
endif
$(CACHE)/universe/symbols.mk: FORCE $(STAMP)/stage-download.sha256
	$(BIN)/stage-download universe $(UNIVERSE_ARGS) --make-include '$@'

# ---- stage-download: the verified archive and the REST tail of one symbol ----
# Always asks (a 404 is asked again, new closed hours come); the lists change only with the files
$(DOWNLOADS): $(CACHE)/download/%/files.csv: $(if $(STATUS),,FORCE) $(STAMP)/stage-download.sha256
	$(BIN)/stage-download fetch --symbol $* --cache '$(CACHE)' --end $(END) --days $(DAYS) --base-url '$(BASE_URL)' \
	  $(call optional,LIST_URL,list-url) $(call optional,REST_URL,rest-url) --tail-weight $(TAIL_WEIGHT) --jobs $(JOBS) \
	  --timeout $(TIMEOUT) $(if $(OFFLINE),--offline) $(if $(REFRESH),--refresh) $(if $(VERIFY),--verify) $(Q)

# one month's files: written by its symbol's download, and only when they change (make -n
# would take them as new: STATUS looks at them as they are)
$(MONTH_LISTS): $(if $(STATUS),,$$(dir $$(@D))files.csv) ;

# ---- stage-flow: one month of a symbol's hourly values and large-trade threshold (stem SYM/months/YYYY-MM)
$(MONTH_PARTS): $(CACHE)/series/%.csv: $(CACHE)/download/%.csv $(STAMP)/stage-flow.sha256
	$(BIN)/stage-flow month --cache '$(CACHE)' --symbol $(firstword $(subst /, ,$*)) --month $(notdir $*) $(Q)

# the plan's stamps: the months a symbol's series span, the symbols of the report and the
# load; made when absent, made again when the plan says they differ (STALE_STAMPS)
$(CACHE)/series/%/months.txt:
	@mkdir -p $(@D); echo '$(MONTHS)' > $@
$(CACHE)/report/symbols.txt $(CACHE)/load/symbols.txt:
	@mkdir -p $(@D); echo '$(SYMS)' > $@
$(STALE_STAMPS): FORCE

# the six hourly series and the thresholds of a symbol, joined from its months
$(foreach f,$(SERIES) thresholds,$(CACHE)/series/%/$(f).csv): \
    $(foreach m,$(MONTHS),$(CACHE)/series/%/months/$(m).csv) $(CACHE)/series/%/months.txt $(STAMP)/stage-flow.sha256
	$(BIN)/stage-flow join --cache '$(CACHE)' --symbol $* --end $(END) --days $(DAYS) $(Q)

# ---- stage-detect: extreme events of every dimension and window, one JSON line each ----
$(EVENTS): $(CACHE)/events/%.jsonl: $(foreach d,$(SERIES),$(CACHE)/series/%/$(d).csv) $(STAMP)/stage-detect.sha256
	$(BIN)/stage-detect --cache '$(CACHE)' --symbol $* $(Q)

# ---- stage-prices: each event with the close at its hour and 4, 12, 24 and 48 hours later ----
$(PRICES): $(CACHE)/prices/%.jsonl: $(CACHE)/events/%.jsonl $(CACHE)/download/%/files.csv $(STAMP)/stage-prices.sha256
	$(BIN)/stage-prices --cache '$(CACHE)' --symbol $* $(Q)

# ---- stage-load: every symbol's priced events into table extreme_events, in one transaction ----
# The rows of those symbols over [range start + window, END) that the load does not reproduce
# are retired, and, with SHARD, the rows of symbols the shard does not own. The database is not
# the pipeline's alone (a live monitor writes it), so its stamp lives under CACHE.
$(LOAD_STAMP): $(PRICES) $(CACHE)/load/symbols.txt $(STAMP)/stage-load.sha256 $(if $(wildcard $(DB)),,FORCE) $(if $(DRY_RUN),FORCE)
	$(BIN)/stage-load --db '$(DB)' --cache '$(CACHE)' --symbols '$(SYMS)' --end $(END) --days $(DAYS) \
	  $(if $(SHARD),--shard $(SHARD)) $(if $(DRY_RUN),--dry-run) $(Q)
	$(if $(DRY_RUN),,echo '$(abspath $(DB))' > '$@')

# ---- stage-report: what price did after the events of every symbol, against every hour ----
REPORT := $(addprefix $(CACHE)/report/,index.html summary.csv event_path.csv)
$(REPORT) &: $(PRICES) $(DOWNLOADS) $(CACHE)/report/symbols.txt $(STAMP)/stage-report.sha256
	$(BIN)/stage-report --cache '$(CACHE)' --symbols '$(SYMS)' $(Q)

# ---- merge: shard databases into DB (the load's key and rules), and the whole market's
# report from the shards' caches (q over every cell of every symbol) ----
merge: $(STAMP)/stage-load.sha256 $(STAMP)/stage-report.sha256
	$(if $(strip $(SHARDS)),,$(error make merge needs SHARDS='a.db b.db …', the shard databases to merge into DB))
	$(BIN)/stage-load --db '$(DB)' --end $(END) --days $(DAYS) --merge $(foreach s,$(SHARDS),'$(s)') \
	  $(if $(DRY_RUN),--dry-run) $(Q)
	$(if $(SHARD_CACHES),$(BIN)/stage-report --cache '$(CACHE)' --shard-caches '$(SHARD_CACHES)' $(Q))

# ---- phony targets named after stages, and the cache's upkeep ----
download: $(DOWNLOADS)
flow: $(FLOWS)
detect: $(EVENTS)
prices: $(PRICES)
load: $(LOAD_STAMP)
report: $(REPORT)
universe: $(STAMP)/stage-download.sha256
	$(BIN)/stage-download universe $(UNIVERSE_ARGS) --make-include '$(CACHE)/universe/symbols.mk'
# daily zips that a verified monthly zip covers: a rerun reads the monthly one
prune: $(STAMP)/stage-download.sha256
	$(BIN)/stage-download prune --cache '$(CACHE)' --symbols '$(SYMS)' $(Q)

# ---- demo: the whole pipeline offline, on a synthetic archive served on 127.0.0.1 ----
DEMO ?= demo
demo: $(BUILT) ; MAKE='$(MAKE)' tools/demo '$(DEMO)' 2024-03-12 60 '$(QUIET)'

# ---- fuzz: libFuzzer over the zip and CSV readers, FUZZ_SECONDS long (tools/fuzz) ----
FUZZ_SECONDS ?= 600
fuzz: ; tools/fuzz $(FUZZ_SECONDS) $(Q)

# ---- housekeeping ----
.PHONY: test test-slurm test-image bench clean distclean
# one release build with testing enabled, also the binaries' (built.mk): no test builds
test:
	swift build -c release --build-tests $(Q)
	@echo '# every product built by make test' > $(BIN)/built.mk
	swift test -c release --skip-build
# the sbatch array and the daily schedule on a one-node Slurm cluster started for the test
test-slurm: $(BUILT) ; deploy/slurm/test.sh
# the image of deploy/kubernetes/Dockerfile built here and run over the demo archive
test-image: $(BUILT) ; deploy/image/test.sh
# benchmarks against a generated archive (needs ../shared/tools/fake-binance-archive)
bench: $(BUILT) ; bench/run
# derived files only: the downloads (archive/, tail/, download/) and the database stay
clean: ; rm -rf '$(CACHE)/series' '$(CACHE)/events' '$(CACHE)/prices' '$(CACHE)/report'
# everything the pipeline wrote: the whole cache and the database
distclean: ; rm -rf '$(CACHE)' '$(DB)' '$(DB)-wal' '$(DB)-shm'
