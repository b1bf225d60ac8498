# backfill: a year of extreme market events of Binance USD-M perpetuals, rebuilt
# from the public archive. This file is the map of the pipeline: one rule per
# artifact, each stage's binary (by content: CACHE/bin/stage-X.sha256) a
# prerequisite of what it writes.
#
#   make all                  everything up to the database and the report (default)
#   make detect SYMBOL=BTC    one symbol's events, and only what they need
#   make -j2                  two symbols (and months) at once
#   make test | bench | demo | fuzz | clean | distclean
#
#   archive ─ stage-download ─▶ download/SYM/months/YYYY-MM.csv (verified zips under archive/)
#           ─ stage-flow     ─▶ series/SYM/months/YYYY-MM.csv ─▶ series/SYM/*.csv
#           ─ stage-detect   ─▶ events/SYM.jsonl
#           ─ stage-prices   ─▶ prices/SYM.jsonl
#           ─ stage-load     ─▶ DB (its stamp: load/<DB's absolute path, / as _>.loaded)
#           ─ stage-report   ─▶ report/index.html, report/summary.csv

# ---- knobs (each is also an option of the stage that needs it) -------------
SYMBOLS  ?= BTCUSDT ETHUSDT
SYMBOL   ?=
DAYS     ?= 365
END      ?= $(shell date -u +%F)
# one END per run: today's date is read once, when make starts, and every stage gets
# it (a run that crosses midnight UTC keeps the day it started with)
END      := $(END)
CACHE    ?= data/backfill_cache
DB       ?= data/monitor.db
BASE_URL ?= https://data.binance.vision
# the archive's S3 bucket listing: SYMBOLS=all, and the days each symbol traded (a
# mirror given as BASE_URL is listed at its own root; LIST_URL= plans every day)
LIST_URL ?= $(if $(filter https://data.binance.vision,$(BASE_URL)),https://s3-ap-northeast-1.amazonaws.com/data.binance.vision,$(BASE_URL))
# hours the listing read for SYMBOLS=all is reused without asking again
LIST_MAX_AGE ?= 20
# download concurrency; OFFLINE=1 to use the cache only; REFRESH=1 to re-read every
# CHECKSUM and fetch again what the archive re-published
JOBS     ?= 4
# seconds to connect, and the longest silence while reading a response
TIMEOUT  ?= 30
OFFLINE  ?=
REFRESH  ?=
# VERIFY=1: hash every held zip against its CHECKSUM and fetch again what differs
VERIFY   ?=
# DRY_RUN=1: `make load` reports what it would change and writes nothing
DRY_RUN  ?=
# QUIET=1: no progress lines
QUIET    ?=

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDEXPANSION:
# make -n (dry run) and make -q (question) only look: they take no lock
LOOKING_ONLY := $(findstring n,$(filter-out --%,$(firstword $(MAKEFLAGS))))$(findstring q,$(filter-out --%,$(firstword $(MAKEFLAGS))))
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules
BIN := .build/release

# the whole pipeline, up to the database and the report (the default goal)
.PHONY: all
all: load report

# ---- derived from the knobs -------------------------------------------------
# SYMBOL (short or full, any case) overrides SYMBOLS. A name is full when it ends in
# a quote asset of the archive (BTCUSDT, BTCUSDC, ETHBTC); a bare base gets USDT
# (BTC means BTCUSDT). Sources/Common/Archive/Symbol.swift holds the same rule. No shell is
# started per symbol: make stays quick to start with hundreds of them.
QUOTES := USDT USDC BUSD FDUSD TUSD BTC
full_symbol = $(if $(filter-out $(QUOTES),$(filter $(addprefix %,$(QUOTES)),$(1))),$(1),$(1)USDT)
comma := ,
upper = $(strip $(subst a,A,$(subst b,B,$(subst c,C,$(subst d,D,$(subst e,E,$(subst f,F,$(subst g,G,$(subst h,H,$(subst i,I,$(subst j,J,\
  $(subst k,K,$(subst l,L,$(subst m,M,$(subst n,N,$(subst o,O,$(subst p,P,$(subst q,Q,$(subst r,R,$(subst s,S,$(subst t,T,\
  $(subst u,U,$(subst v,V,$(subst w,W,$(subst x,X,$(subst y,Y,$(subst z,Z,$(1))))))))))))))))))))))))))))
# what is left of a word once its letters and digits are taken out (empty: well formed)
not_alnum = $(strip $(subst A,,$(subst B,,$(subst C,,$(subst D,,$(subst E,,$(subst F,,$(subst G,,$(subst H,,$(subst I,,$(subst J,,\
  $(subst K,,$(subst L,,$(subst M,,$(subst N,,$(subst O,,$(subst P,,$(subst Q,,$(subst R,,$(subst S,,$(subst T,,\
  $(subst U,,$(subst V,,$(subst W,,$(subst X,,$(subst Y,,$(subst Z,,$(subst 0,,$(subst 1,,$(subst 2,,$(subst 3,,\
  $(subst 4,,$(subst 5,,$(subst 6,,$(subst 7,,$(subst 8,,$(subst 9,,$(1))))))))))))))))))))))))))))))))))))))
WORDS := $(call upper,$(subst $(comma), ,$(or $(SYMBOL),$(SYMBOLS))))
ifeq ($(WORDS),ALL)
# SYMBOLS=all: every perpetual the archive's listing shows trading in the range, read
# by stage-download --universe into CACHE/universe/ (`make universe`). make reads the
# include again whenever it changes; a listing that cannot be read stops make here,
# before any download.
UNIVERSE :=
include $(CACHE)/universe/symbols.mk
SYMS := $(UNIVERSE)
else
SYMS := $(foreach s,$(WORDS),$(call full_symbol,$(s)))
endif
$(foreach s,$(filter-out ALL,$(WORDS)) $(SYMS),$(if $(call not_alnum,$(s)),\
  $(error SYMBOL '$(s)' is not a Binance symbol: expected 2 to 20 letters or digits, like BTC, BTCUSDT or BTCUSDC (SYMBOLS=all: every one))))
$(foreach s,$(shell for s in $(filter-out ALL,$(WORDS)) $(SYMS); do (( $${#s} >= 2 && $${#s} <= 20 )) || echo $$s; done),\
  $(error SYMBOL '$(s)' is not a Binance symbol: expected 2 to 20 letters or digits, like BTC, BTCUSDT or BTCUSDC (SYMBOLS=all: every one)))
$(if $(shell [[ '$(END)' =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$$ ]] && date -u -d '$(END)' +%F),,\
  $(error END '$(END)' is not a date YYYY-MM-DD))
$(foreach v,CACHE DB,$(if $(word 2,$($(v))),$(error $(v) '$($(v))' holds a space, which make cannot take in a file name: \
  use a path without spaces (a symlink without spaces to the directory works))))
$(if $(shell [[ '$(DAYS)' =~ ^[0-9]+$$ ]] && (( $(DAYS) >= 1 )) && echo ok),,\
  $(error DAYS '$(DAYS)' must be a whole number of days, at least 1))

# The months of the range [1st of the month containing END − DAYS, END).
MONTHS := $(shell m=$$(date -u -d '$(END) -$(DAYS) days' +%Y-%m); \
  last=$$(date -u -d '$(END) -1 day' +%Y-%m); \
  while :; do echo $$m; [[ $$m < $$last ]] || break; m=$$(date -u -d "$$m-01 +1 month" +%Y-%m); done)

SERIES := flow_1h oi_change_1h funding_rate top_position_ratio global_account_ratio taker_ratio

# ---- one run at a time on a cache -------------------------------------------
# Two runs on one CACHE (cron starting while yesterday's run still downloads) would
# write the same files: the second stops here, naming the first, before it touches
# anything. A lock whose run is gone (killed, crashed) is taken over.
LOCKED_GOALS := $(filter-out test bench demo fuzz $(BIN)/% .build/%,$(or $(MAKECMDGOALS),all))
ifneq ($(LOCKED_GOALS),)
ifeq ($(LOOKING_ONLY),)
LOCK_REFUSED := $(shell tools/cache-lock '$(CACHE)' $$PPID '$(LOCKED_GOALS)')
$(if $(LOCK_REFUSED),$(error $(LOCK_REFUSED)))
endif
endif

# $(call write-if-changed,TEXT,FILE): FILE holds TEXT (a shell word); written only
# when it did not already, so that its mtime, and what make redoes, follow the text
define write-if-changed
@mkdir -p $(dir $(2))
@text="$(1)"; [[ "$$(cat $(2) 2>/dev/null)" == "$$text" ]] || echo "$$text" > $(2)
endef

# ---- the stages' binaries ---------------------------------------------------
STAGES := stage-download stage-flow stage-detect stage-prices stage-load stage-report
COMMON_SOURCES := Package.swift $(wildcard Sources/Common/*/*.swift Sources/CZlib/* Sources/CISAL/*)

# a stage's release binary, rebuilt when its sources or Common's change
$(BIN)/stage-%: $$(wildcard Sources/stage-$$*/*.swift) $(COMMON_SOURCES)
	swift build -c release --product stage-$* $(if $(QUIET),--quiet)
	touch $@

# stage-load also reads and writes the database through EventStore
$(BIN)/stage-load: $(wildcard Sources/EventStore/*.swift)

# what a stage's outputs were made with: its binary's sha256, rewritten only when the
# bytes change, so that a rebuild (`make test`, a touched file) that gives the same
# binary redoes nothing, and one that changes it redoes what the stage wrote
STAMP := $(CACHE)/bin
$(STAMP)/%.sha256: $(BIN)/%
	$(call write-if-changed,$$(sha256sum < $<),$@)

# the report behind `./pipeline status` (reads the cache and the database, writes nothing)
$(BIN)/pipeline-status: $(wildcard Sources/pipeline-status/*.swift Sources/EventStore/*.swift) $(COMMON_SOURCES)
	swift build -c release --product pipeline-status $(if $(QUIET),--quiet)
	touch $@

# ---- stage-download ---------------------------------------------------------
.PHONY: FORCE
FORCE:

# the verified archive of one symbol: zips under archive/, lists under download/SYM/.
# Always asks stage-download (a file that was 404 is asked again); the lists are
# rewritten only when the verified files change, so what follows reruns only then.
$(CACHE)/download/%/files.csv: FORCE $(STAMP)/stage-download.sha256
	$(BIN)/stage-download --symbol $* --cache '$(CACHE)' --end $(END) --days $(DAYS) \
	  --base-url '$(BASE_URL)' $(if $(LIST_URL),--list-url '$(LIST_URL)') --jobs $(JOBS) --timeout $(TIMEOUT) \
	  $(if $(OFFLINE),--offline) $(if $(REFRESH),--refresh) $(if $(VERIFY),--verify) $(if $(QUIET),--quiet)

# SYMBOLS=all: the archive's listing of every perpetual, read again when older than
# LIST_MAX_AGE hours; the include names those trading in the range, and changes only
# when they do. `make universe` reads it and says where the list is.
UNIVERSE_ARGS = --universe --list-url '$(LIST_URL)' --list-max-age $(LIST_MAX_AGE) --cache '$(CACHE)' --end $(END) --days $(DAYS) \
  --base-url '$(BASE_URL)' --jobs $(JOBS) --timeout $(TIMEOUT) $(if $(OFFLINE),--offline) $(if $(QUIET),--quiet)
$(CACHE)/universe/symbols.mk: FORCE $(BIN)/stage-download
	$(BIN)/stage-download $(UNIVERSE_ARGS) --make-include '$@'

.PHONY: universe
universe: $(BIN)/stage-download
	$(BIN)/stage-download $(UNIVERSE_ARGS) --make-include '$(CACHE)/universe/symbols.mk'
	@echo "every USD-M perpetual, with its first and last month: $(CACHE)/universe/symbols.csv"

# one month's verified files: written by its symbol's download
$(foreach s,$(SYMS),$(eval $(CACHE)/download/$(s)/months/%.csv: $(CACHE)/download/$(s)/files.csv ;))

# ---- stage-flow -------------------------------------------------------------
# one month of a symbol's hourly values and its large-trade threshold (stem:
# SYM/months/YYYY-MM), redone only when that month's verified files change
$(CACHE)/series/%.csv: $(CACHE)/download/%.csv $(STAMP)/stage-flow.sha256
	$(BIN)/stage-flow month --cache '$(CACHE)' --symbol $(firstword $(subst /, ,$*)) --month $(notdir $*) \
	  $(if $(QUIET),--quiet)

# the months the range spans, rewritten only when they change (the range moved)
$(CACHE)/series/%/months.txt: FORCE
	$(call write-if-changed,$(MONTHS),$@)

# the six hourly series and the thresholds of a symbol, joined from its months
$(foreach f,$(SERIES) thresholds,$(CACHE)/series/%/$(f).csv): \
    $(foreach m,$(MONTHS),$(CACHE)/series/%/months/$(m).csv) $(CACHE)/series/%/months.txt $(STAMP)/stage-flow.sha256
	$(BIN)/stage-flow join --cache '$(CACHE)' --symbol $* --end $(END) --days $(DAYS) $(if $(QUIET),--quiet)

# ---- stage-detect -----------------------------------------------------------
# extreme events of every dimension and window, one JSON line each
$(CACHE)/events/%.jsonl: $(foreach d,$(SERIES),$(CACHE)/series/%/$(d).csv) $(STAMP)/stage-detect.sha256
	$(BIN)/stage-detect --cache '$(CACHE)' --symbol $* $(if $(QUIET),--quiet)

# ---- stage-prices -----------------------------------------------------------
# each event with the close at its hour and 4, 12, 24 and 48 hours later
$(CACHE)/prices/%.jsonl: $(CACHE)/events/%.jsonl $(CACHE)/download/%/files.csv $(STAMP)/stage-prices.sha256
	$(BIN)/stage-prices --cache '$(CACHE)' --symbol $* $(if $(QUIET),--quiet)

# ---- stage-report -----------------------------------------------------------
# the symbols the report covers, rewritten only when they change (SYMBOL=BTC
# then a plain make gives a page of both symbols, not a stale one of BTC)
$(CACHE)/report/symbols.txt: FORCE
	$(call write-if-changed,$(SYMS),$@)

# what price did after the events of every symbol, against every hour: the page and its numbers
$(CACHE)/report/index.html $(CACHE)/report/summary.csv &: $(foreach s,$(SYMS),$(CACHE)/prices/$(s).jsonl $(CACHE)/download/$(s)/files.csv) \
    $(CACHE)/report/symbols.txt $(STAMP)/stage-report.sha256
	$(BIN)/stage-report --cache '$(CACHE)' --symbols '$(SYMS)' $(if $(QUIET),--quiet)

# files made by pattern rules are artifacts like any other, kept between runs
# (naming them here keeps make from deleting them as intermediates)
ARTIFACTS := $(foreach b,$(STAGES),$(STAMP)/$(b).sha256) $(foreach s,$(SYMS),$(CACHE)/series/$(s)/months.txt \
  $(foreach m,$(MONTHS),$(CACHE)/download/$(s)/months/$(m).csv $(CACHE)/series/$(s)/months/$(m).csv) \
  $(foreach f,$(SERIES) thresholds,$(CACHE)/series/$(s)/$(f).csv))
$(ARTIFACTS):

# ---- stage-load -------------------------------------------------------------
# the database: every symbol's priced events upserted into table extreme_events, and
# the rows of those symbols over [range start + window, END) that the load does not
# reproduce retired, in one transaction. The database is not the pipeline's alone (a
# live monitor writes it too), so its mtime decides nothing: the load's stamp lives
# under CACHE, one per database path. DRY_RUN=1 reports what a load would insert,
# update, retire and keep, writes nothing, and always runs.
LOAD_STAMP := $(CACHE)/load/$(subst /,_,$(patsubst /%,%,$(abspath $(DB)))).loaded
$(LOAD_STAMP): $(foreach s,$(SYMS),$(CACHE)/prices/$(s).jsonl) $(CACHE)/load/symbols.txt $(STAMP)/stage-load.sha256 \
    $(if $(wildcard $(DB)),,FORCE) $(if $(DRY_RUN),FORCE)
	$(BIN)/stage-load --db '$(DB)' --cache '$(CACHE)' --symbols '$(SYMS)' --end $(END) --days $(DAYS) \
	  $(if $(DRY_RUN),--dry-run) $(if $(QUIET),--quiet)
	$(if $(DRY_RUN),,echo '$(abspath $(DB))' > '$@')

# the symbols of the last load, rewritten only when they change: a database loaded
# with SYMBOL=BTC is loaded again when the next run asks for more symbols
$(CACHE)/load/symbols.txt: FORCE
	$(call write-if-changed,$(SYMS),$@)

# ---- merge: shard databases into one ------------------------------------------
# make merge DB=PATH SHARDS='a.db b.db …': the rows of shard databases (each a make all
# over part of the symbols, deploy/shard.sh) upserted into DB with the load's key and
# rules, retirement per symbol, for the range of END and DAYS; in one transaction.
# A shard that is not a backfill database is refused, untouched. DRY_RUN=1 reports.
SHARDS ?=
.PHONY: merge
merge: $(BIN)/stage-load
	$(if $(strip $(SHARDS)),,$(error make merge needs SHARDS='a.db b.db …', the shard databases to merge into DB))
	$(BIN)/stage-load --db '$(DB)' --end $(END) --days $(DAYS) --merge $(foreach s,$(SHARDS),'$(s)') \
	  $(if $(DRY_RUN),--dry-run) $(if $(QUIET),--quiet)

# ---- phony targets named after stages ---------------------------------------
.PHONY: download flow detect prices load report
download: $(foreach s,$(SYMS),$(CACHE)/download/$(s)/files.csv)
flow: $(foreach s,$(SYMS),$(CACHE)/series/$(s)/thresholds.csv)
detect: $(foreach s,$(SYMS),$(CACHE)/events/$(s).jsonl)
prices: $(foreach s,$(SYMS),$(CACHE)/prices/$(s).jsonl)
load: $(LOAD_STAMP)
report: $(CACHE)/report/index.html $(CACHE)/report/summary.csv

# ---- demo: the whole pipeline offline, on a synthetic archive ---------------
# `make demo` writes a synthetic archive (deterministic: same bytes every run) into
# DEMO/archive, serves it on a free loopback port, runs the real `make all` against it
# with DEMO's own CACHE and DB, and stops the server however the run ends.
DEMO      ?= demo
DEMO_END  := 2024-03-12
DEMO_DAYS := 60

$(BIN)/demo-archive: $(wildcard Sources/demo-archive/*.swift Sources/ArchiveFixture/*.swift) $(COMMON_SOURCES)
	swift build -c release --product demo-archive $(if $(QUIET),--quiet)
	touch $@

# the synthetic archive, rewritten only when its generator changes
$(DEMO)/archive/generated: $(BIN)/demo-archive
	$(BIN)/demo-archive generate '$(DEMO)/archive' --end $(DEMO_END) --days $(DEMO_DAYS)
	touch $@

.PHONY: demo
demo: $(DEMO)/archive/generated $(addprefix $(BIN)/,$(STAGES))
	MAKE='$(MAKE)' tools/demo '$(DEMO)' $(DEMO_END) $(DEMO_DAYS) '$(QUIET)'

# ---- fuzz: libFuzzer over the zip and CSV readers --------------------------
# Every input must parse or fail with an error naming the file (and line); crashes,
# hangs and unlocated errors are findings, written to $(FUZZ_BUILD)/findings/.
# Replay one with: swift build --product fuzz-readers && .build/debug/fuzz-readers FILE
FUZZ_SECONDS ?= 600
FUZZ_BUILD   := .build/fuzz

.PHONY: fuzz
fuzz:
	swift build --build-path $(FUZZ_BUILD) --product fuzz-readers $(if $(QUIET),--quiet) \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING
	mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/findings
	$(FUZZ_BUILD)/debug/fuzz-readers $(FUZZ_BUILD)/corpus Tests/fuzz-seeds -max_total_time=$(FUZZ_SECONDS) \
	  -timeout=10 -rss_limit_mb=2048 -artifact_prefix=$(FUZZ_BUILD)/findings/ -print_final_stats=1


# ---- housekeeping -----------------------------------------------------------
.PHONY: test bench clean distclean

# the tests: unit tests, then the binaries end to end, all from ONE release build:
# `--build-tests` compiles the package with testing enabled (for `@testable import`) and
# links the stages' binaries under $(BIN), which Tests/PipelineTests run through make.
# (A debug build for the unit tests would compile the whole dependency tree a second time.)
# The build leaves a binary it did not need to relink as old as it was: the touch tells
# make it is current, so that no test's make (make demo) starts a build of its own, which
# would wait forever for the build lock `swift test` holds.
test:
	swift build -c release --build-tests $(if $(QUIET),--quiet)
	touch $(addprefix $(BIN)/,$(STAGES) demo-archive pipeline-status)
	swift test -c release --skip-build

# the sbatch array script on a real one-node Slurm cluster started for the test
# (Debian: munge slurmctld slurmd slurm-client); stops every daemon it started
.PHONY: test-slurm
test-slurm: $(addprefix $(BIN)/,$(STAGES)) $(BIN)/demo-archive
	deploy/slurm/test.sh

# benchmarks against a generated archive (needs ../shared/tools/fake-binance-archive)
bench: $(addprefix $(BIN)/,$(STAGES))
	bench/run

# derived files only: the downloads (archive/, download/) and the database stay
clean:
	rm -rf '$(CACHE)/series' '$(CACHE)/events' '$(CACHE)/prices' '$(CACHE)/report'

# everything the pipeline wrote: the whole cache and the database
distclean:
	rm -rf '$(CACHE)' '$(DB)' '$(DB)-wal' '$(DB)-shm'

# the image of deploy/kubernetes/Dockerfile built here and run over the demo archive (deploy/image/test.sh)
.PHONY: test-image
test-image: $(addprefix $(BIN)/,$(STAGES)) $(BIN)/demo-archive ; deploy/image/test.sh
