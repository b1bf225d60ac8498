import Common
import Testing
@testable import backfill

/// `backfill plan` (issue 22): the knobs checked with the messages users see, the
/// symbols, months and files the Makefile schedules from.
@Suite("backfill plan")
struct PlanTests {
    let today = Day("2024-03-12")!

    func plan(_ knobs: Knobs, universe: [Symbol]? = nil) throws -> Plan {
        try Plan.make(knobs, today: today, universe: { _ in universe })
    }

    func refusal(_ knobs: Knobs) -> String? {
        do { _ = try Plan.make(knobs, today: today, universe: { _ in nil }); return nil } catch { return error.message }
    }

    @Test("symbols: short ones completed, repeats dropped, SYMBOL over SYMBOLS, in the order given")
    func symbols() throws {
        #expect(try plan(Knobs(symbols: "btc, ETHUSDT BTCUSDT btcusdc")).symbols.map(\.full) == ["BTCUSDT", "ETHUSDT", "BTCUSDC"])
        #expect(try plan(Knobs(symbols: "BTC ETH", symbol: "sol")).symbols.map(\.full) == ["SOLUSDT"])
    }

    @Test("END defaults to today; the range is whole months from END − DAYS", arguments: [("", "2024-03-12", ["2023-12", "2024-01", "2024-02", "2024-03"]), ("2024-02-01", "2024-02-01", ["2023-11", "2023-12", "2024-01"])])
    func range(end: String, expectedEnd: String, months: [String]) throws {
        let p = try plan(Knobs(end: end, days: "80"))
        #expect(p.range.end == Day(expectedEnd)!)
        #expect(p.range.months.map(\.description) == months)
    }

    @Test("every check gives the message make stops with", arguments: [
        (Knobs(symbols: "BTC a)b"), "SYMBOL 'a)b' is not a Binance symbol: expected 2 to 20 letters or digits, like BTC, BTCUSDT or BTCUSDC (SYMBOLS=all: every one)"),
        (Knobs(symbol: "X"), "SYMBOL 'X' is not a Binance symbol: expected 2 to 20 letters or digits, like BTC, BTCUSDT or BTCUSDC (SYMBOLS=all: every one)"),
        (Knobs(end: "2024-13-01"), "END '2024-13-01' is not a date YYYY-MM-DD"),
        (Knobs(cache: "data/my cache"), "CACHE 'data/my cache' holds a space, which make cannot take in a file name: use a path without spaces (a symlink without spaces to the directory works)"),
        (Knobs(db: "a b.db"), "DB 'a b.db' holds a space, which make cannot take in a file name: use a path without spaces (a symlink without spaces to the directory works)"),
        (Knobs(days: "0"), "DAYS '0' must be a whole number of days, at least 1"),
        (Knobs(days: "-3"), "DAYS '-3' must be a whole number of days, at least 1"),
        (Knobs(days: "1e3"), "DAYS '1e3' must be a whole number of days, at least 1"),
        (Knobs(shard: "4/4"), "SHARD '4/4' must be INDEX/COUNT with 0 <= INDEX < COUNT, like 0/4"),
    ])
    func refused(_ knobs: Knobs, _ message: String) {
        #expect(refusal(knobs) == message)
    }

    @Test("SYMBOLS=all: the universe's symbols trading in the range, by name; a shard keeps those its FNV-1a-32 mod COUNT names")
    func universeAndShard() throws {
        let universe = try ["ZECUSDT", "BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "DOGEUSDT"].map(Symbol.init)
        let all = try plan(Knobs(symbols: "All"), universe: universe)
        #expect(all.universe && all.symbols == universe)
        var seen: [Symbol] = []
        for k in 0..<3 {
            let shard = try plan(Knobs(symbols: "all", shard: "\(k)/3"), universe: universe)
            #expect(shard.symbols.allSatisfy { Int(Shard.fnv1a32($0.full) % 3) == k })
            seen += shard.symbols
        }
        #expect(Set(seen) == Set(universe) && seen.count == universe.count, "every symbol in exactly one shard")
        #expect(try plan(Knobs(symbols: "all")).symbols.isEmpty, "no universe read yet: nothing planned, make reads it first")
    }

    @Test("FNV-1a-32 is the published function (its test vectors), so shards are the same on every machine")
    func fnv() {
        #expect(Shard.fnv1a32("") == 0x811c_9dc5)
        #expect(Shard.fnv1a32("a") == 0xe40c_292c)
        #expect(Shard.fnv1a32("foobar") == 0xbf9c_f968)
    }

    @Test("the make text: one $(eval NAME := …) a variable, paths below $(CACHE), literal text escaped")
    func makeText() throws {
        let text = MakeInclude.text(try plan(Knobs(symbols: "BTC", end: "2024-02-10", days: "20", db: "/data/m(1)#$.db")))
        #expect(text.contains("$(eval SYMS := BTCUSDT)"))
        #expect(text.contains("$(eval MONTHS := 2024-01 2024-02)"))
        #expect(text.contains("$(eval MONTH_PARTS := $(CACHE)/series/BTCUSDT/months/2024-01.csv $(CACHE)/series/BTCUSDT/months/2024-02.csv)"))
        #expect(text.contains("$(eval LOAD_STAMP := $(CACHE)/load/data_m$(open)1$(close)$(hash)$$.db.loaded)"))
        #expect(text.contains("$(eval SERIES := flow_1h oi_change_1h funding_rate top_position_ratio global_account_ratio taker_ratio)"))
        #expect(!text.contains("\n"))
        #expect(MakeInclude.refusal(.init(message: "END 'a)' …")) == "$(eval PLAN_REFUSED := END 'a$(close)' …)")
    }

    @Test("a stamp whose text differs from the plan's is stale; an absent one is not (make simply makes it)")
    func stamps() throws {
        let tree = try CacheTree()
        let p = tree.plan()
        #expect(p.staleStamps.isEmpty)
        try tree.write(tree.layout.series(tree.btc) + "/months.txt", "2024-01 2024-02 2024-03\n", at: 0)
        try tree.write(tree.layout.root + "/load/symbols.txt", "BTCUSDT ETHUSDT\n", at: 0)
        #expect(p.staleStamps == ["$(CACHE)/load/symbols.txt"])
        #expect(tree.plan(range: ArchiveRange(end: Day("2024-03-05")!, days: 10)).staleStamps
                == ["$(CACHE)/series/BTCUSDT/months.txt", "$(CACHE)/load/symbols.txt"])
    }
}

@Suite("backfill status --check and --json")
struct StatusSignalTests {
    @Test("--check: a symbol whose oldest newest hour of trades, klines and metrics is older than the threshold is named")
    func check() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        var report = tree.survey()
        report.symbols[0].reach = [.aggTrades: .init(archive: Day("2024-03-03")!.startMillis, tail: Day("2024-03-04")!.startMillis),
                                   .klines: .init(archive: Day("2024-03-03")!.startMillis), .metrics: .init(archive: Day("2024-03-04")!.startMillis)]
        let now = Day("2024-03-04")!.startMillis + 6 * Time.hour
        #expect(StatusCheck.stale(report, hours: 36, now: now).isEmpty)
        #expect(StatusCheck.stale(report, hours: 24, now: now) == ["BTCUSDT: klines ends at 2024-03-03T00:00:00Z, 30.0 h ago, more than 24.0 h"])
        report.symbols[0].reach[.metrics] = nil
        #expect(StatusCheck.stale(report, hours: 1000, now: now) == ["BTCUSDT: no trades, klines or metrics held yet"])
    }

    @Test("--json: the stages, the reach and what was not published, for programs")
    func json() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let text = try StatusJSON.text(tree.survey(make: ".build/release/stage-detect --symbol BTCUSDT"), plan: tree.plan(),
                                       now: Day("2024-03-05")!.startMillis, check: 36, stale: [])
        #expect(text.contains("\"state\" : \"stale\""))
        #expect(text.contains("\"reason\" : \"make would run stage-detect\""))
        #expect(text.contains("\"not_published\" : ["))
        #expect(text.contains("\"check_hours\" : 36"))
        #expect(text.contains("\"symbol\" : \"BTCUSDT\""))
    }
}
