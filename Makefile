# backfill: a year of extreme market events of Binance USD-M perpetuals, rebuilt
# from the public archive. This file is the map of the pipeline: one rule per
# artifact, each stage's binary a prerequisite of what it writes.
#
#   make all                  everything up to the database and the report (default)
#   make detect SYMBOL=BTC    one symbol's events, and only what they need
#   make -j2                  two symbols (and months) at once
#   make test | bench | demo | clean | distclean
#
#   archive ─ stage-download ─▶ download/SYM/months/YYYY-MM.csv (verified zips under archive/)
#           ─ stage-flow     ─▶ series/SYM/months/YYYY-MM.csv ─▶ series/SYM/*.csv
#           ─ stage-detect   ─▶ events/SYM.jsonl
#           ─ stage-prices   ─▶ prices/SYM.jsonl
#           ─ stage-load     ─▶ DB
#           ─ stage-report   ─▶ report/index.html, report/summary.csv

# ---- knobs (each is also an option of the stage that needs it) -------------
SYMBOLS  ?= BTCUSDT ETHUSDT
SYMBOL   ?=
DAYS     ?= 365
END      ?= $(shell date -u +%F)
CACHE    ?= data/backfill_cache
DB       ?= data/monitor.db
BASE_URL ?= https://data.binance.vision
# download concurrency; OFFLINE=1 to use the cache only; REFRESH=1 to re-read every
# CHECKSUM and fetch again what the archive re-published
JOBS     ?= 4
OFFLINE  ?=
REFRESH  ?=
# DRY_RUN=1: `make load` reports what it would change and writes nothing
DRY_RUN  ?=
# QUIET=1: no progress lines
QUIET    ?=

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDEXPANSION:
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules

# ---- derived from the knobs -------------------------------------------------
# SYMBOL (short or full, any case) overrides SYMBOLS; BTC means BTCUSDT.
full_symbol = $(if $(filter %USDT,$(1)),$(1),$(1)USDT)
SYMS := $(foreach s,$(shell tr a-z A-Z <<< '$(or $(SYMBOL),$(SYMBOLS))'),$(call full_symbol,$(s)))
$(foreach s,$(shell tr a-z A-Z <<< '$(or $(SYMBOL),$(SYMBOLS))') $(SYMS),$(if $(shell [[ '$(s)' =~ ^[A-Z0-9]{2,20}$$ ]] && echo ok),,\
  $(error SYMBOL '$(s)' is not a Binance symbol: expected 2 to 20 letters or digits, like BTC or BTCUSDT)))
$(if $(shell [[ '$(END)' =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$$ ]] && date -u -d '$(END)' +%F),,\
  $(error END '$(END)' is not a date YYYY-MM-DD))
$(if $(shell [[ '$(DAYS)' =~ ^[0-9]+$$ ]] && (( $(DAYS) >= 1 )) && echo ok),,\
  $(error DAYS '$(DAYS)' must be a whole number of days, at least 1))

# The months of the range [1st of the month containing END − DAYS, END).
MONTHS := $(shell m=$$(date -u -d '$(END) -$(DAYS) days' +%Y-%m); \
  last=$$(date -u -d '$(END) -1 day' +%Y-%m); \
  while :; do echo $$m; [[ $$m < $$last ]] || break; m=$$(date -u -d "$$m-01 +1 month" +%Y-%m); done)

SERIES := flow_1h oi_change_1h funding_rate top_position_ratio global_account_ratio taker_ratio

# ---- the stages' binaries ---------------------------------------------------
BIN := .build/release
STAGES := stage-download stage-flow stage-detect stage-prices stage-load
COMMON_SOURCES := Package.swift $(wildcard Sources/Common/*.swift Sources/CZlib/*)

# a stage's release binary, rebuilt when its sources or Common's change
$(BIN)/stage-%: $$(wildcard Sources/stage-$$*/*.swift) $(COMMON_SOURCES)
	swift build -c release --product stage-$* $(if $(QUIET),--quiet)
	touch $@

# ---- stage-download ---------------------------------------------------------
.PHONY: FORCE
FORCE:

# the verified archive of one symbol: zips under archive/, lists under download/SYM/.
# Always asks stage-download (a file that was 404 is asked again); the lists are
# rewritten only when the verified files change, so what follows reruns only then.
$(CACHE)/download/%/files.csv: FORCE $(BIN)/stage-download
	$(BIN)/stage-download --symbol $* --cache '$(CACHE)' --end $(END) --days $(DAYS) \
	  --base-url '$(BASE_URL)' --jobs $(JOBS) $(if $(OFFLINE),--offline) $(if $(REFRESH),--refresh) $(if $(QUIET),--quiet)

# one month's verified files: written by its symbol's download
$(foreach s,$(SYMS),$(eval $(CACHE)/download/$(s)/months/%.csv: $(CACHE)/download/$(s)/files.csv ;))

# ---- stage-flow -------------------------------------------------------------
# one month of a symbol's hourly values and its large-trade threshold (stem:
# SYM/months/YYYY-MM), redone only when that month's verified files change
$(CACHE)/series/%.csv: $(CACHE)/download/%.csv $(BIN)/stage-flow
	$(BIN)/stage-flow month --cache '$(CACHE)' --symbol $(firstword $(subst /, ,$*)) --month $(notdir $*) \
	  $(if $(QUIET),--quiet)

# the months the range spans, rewritten only when they change (the range moved)
$(CACHE)/series/%/months.txt: FORCE
	@mkdir -p $(@D)
	@[[ "$$(cat $@ 2>/dev/null)" == '$(MONTHS)' ]] || echo '$(MONTHS)' > $@

# the six hourly series and the thresholds of a symbol, joined from its months
$(foreach f,$(SERIES) thresholds,$(CACHE)/series/%/$(f).csv): \
    $(foreach m,$(MONTHS),$(CACHE)/series/%/months/$(m).csv) $(CACHE)/series/%/months.txt $(BIN)/stage-flow
	$(BIN)/stage-flow join --cache '$(CACHE)' --symbol $* --end $(END) --days $(DAYS) $(if $(QUIET),--quiet)

# ---- stage-detect -----------------------------------------------------------
# extreme events of every dimension and window, one JSON line each
$(CACHE)/events/%.jsonl: $(foreach d,$(SERIES),$(CACHE)/series/%/$(d).csv) $(BIN)/stage-detect
	$(BIN)/stage-detect --cache '$(CACHE)' --symbol $* $(if $(QUIET),--quiet)

# ---- stage-prices -----------------------------------------------------------
# each event with the close at its hour and 4, 12, 24 and 48 hours later
$(CACHE)/prices/%.jsonl: $(CACHE)/events/%.jsonl $(CACHE)/download/%/files.csv $(BIN)/stage-prices
	$(BIN)/stage-prices --cache '$(CACHE)' --symbol $* $(if $(QUIET),--quiet)

# files made by pattern rules are artifacts like any other, kept between runs
# (naming them here keeps make from deleting them as intermediates)
ARTIFACTS := $(foreach s,$(SYMS),$(CACHE)/series/$(s)/months.txt \
  $(foreach m,$(MONTHS),$(CACHE)/download/$(s)/months/$(m).csv $(CACHE)/series/$(s)/months/$(m).csv) \
  $(foreach f,$(SERIES) thresholds,$(CACHE)/series/$(s)/$(f).csv))
$(ARTIFACTS):

# ---- phony targets named after stages ---------------------------------------
.PHONY: all download flow detect prices
all: prices

download: $(foreach s,$(SYMS),$(CACHE)/download/$(s)/files.csv)
flow: $(foreach s,$(SYMS),$(CACHE)/series/$(s)/thresholds.csv)
detect: $(foreach s,$(SYMS),$(CACHE)/events/$(s).jsonl)
prices: $(foreach s,$(SYMS),$(CACHE)/prices/$(s).jsonl)

# ---- housekeeping -----------------------------------------------------------
.PHONY: test bench clean distclean

# the tests: unit tests, then the binaries end to end (they need the release build)
test:
	swift build -c release
	swift test

# benchmarks against a generated archive (needs ../shared/tools/fake-binance-archive)
bench: $(addprefix $(BIN)/,$(STAGES))
	bench/run

# derived files only: the downloads (archive/, download/) and the database stay
clean:
	rm -rf '$(CACHE)/series' '$(CACHE)/events' '$(CACHE)/prices' '$(CACHE)/report'

# everything the pipeline wrote: the whole cache and the database
distclean:
	rm -rf '$(CACHE)' '$(DB)' '$(DB)-wal' '$(DB)-shm'
