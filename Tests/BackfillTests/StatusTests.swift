import Glibc
import Common
import EventStore
import Testing
@testable import backfill

@Suite("backfill status")
struct StatusTests {
    func states(_ status: SymbolStatus) -> [String] { status.stages.map(\.freshness.word) }

    @Test("an empty cache: every stage missing, naming the first file it lacks")
    func empty() throws {
        let tree = try CacheTree()
        let status = tree.survey().symbols[0]
        #expect(states(status) == ["missing", "missing", "missing", "missing", "missing"])
        #expect(status.stage(.download).freshness == .missing("download/BTCUSDT/files.csv does not exist"))
        #expect(status.stage(.prices).freshness == .missing("prices/BTCUSDT.jsonl does not exist"))
        #expect(status.stage(.load).freshness == .missing("\(tree.database) and 1 more do not exist"))
        #expect(status.notPublished.isEmpty)
    }

    @Test("a finished cache: up to date, with the days covered, the counts and the files not published")
    func complete() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let status = tree.survey().symbols[0]
        #expect(states(status) == ["up to date", "up to date", "up to date", "up to date", "up to date"])

        let download = status.stage(.download)
        #expect(download.days == Day("2024-01-01")!...Day("2024-03-02")!)
        #expect(download.counts == "5 verified files (aggTrades 4, klines 1, metrics 0, fundingRate 0), 2 not published")
        #expect(status.stage(.flow).days == Day("2024-01-01")!...Day("2024-03-04")!)
        #expect(status.stage(.flow).counts.hasPrefix("rows: flow_1h 3, oi_change_1h 3,"))
        #expect(status.stage(.detect).counts == "2 events")
        #expect(status.stage(.detect).days == Day("2024-01-10")!...Day("2024-02-01")!)
        #expect(status.stage(.prices).counts == "2 events, 1 with a price still unknown")
        #expect(status.stage(.load).counts == "2 rows of BTC, 1 with a price still unknown")
        #expect(status.notPublished.map(\.file.path) == [
            "daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-03-03.zip", "daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-03-04.zip",
        ])
        #expect(status.notPublished.first?.reason == "not published (404)")
    }

    /// What `make -n all STATUS=1` prints when the March part of BTCUSDT is to be redone.
    static let marchRedone = """
        mkdir -p /c/bin; sum=$(sha256sum < .build/release/stage-flow); [[ "$(cat /c/bin/stage-flow.sha256)" == "$sum" ]] || echo "$sum" > /c/bin/stage-flow.sha256
        .build/release/stage-flow month --cache '/c' --symbol BTCUSDT --month 2024-03
        .build/release/stage-flow join --cache '/c' --symbol BTCUSDT --end 2024-03-05 --days 40
        .build/release/stage-detect --cache '/c' --symbol BTCUSDT
        .build/release/stage-prices --cache '/c' --symbol BTCUSDT
        .build/release/stage-load --db '/d.db' --cache '/c' --symbols 'BTCUSDT ETHUSDT' --end 2024-03-05 --days 40 \\
          --quiet
        .build/release/stage-report --cache '/c' --symbols 'BTCUSDT ETHUSDT'
        """

    @Test("make's dry run read: the stage, the symbols and the month of each stage command; other lines ignored")
    func verdictParsed() {
        let verdict = MakeVerdict.parse(Self.marchRedone + "\n.build/release/stage-download fetch --symbol ETHUSDT --cache '/c' --base-url 'http://x'\n")
        #expect(verdict.commands.map(\.stage) == [.flow, .flow, .detect, .prices, .load, .download])
        #expect(verdict.commands[0] == .init(stage: .flow, symbols: [try! Symbol("BTC")], what: "month 2024-03"))
        #expect(verdict.commands[1].what == "join")
        #expect(verdict.commands[4].symbols == [try! Symbol("BTC"), try! Symbol("ETH")])
        #expect(verdict.commands[5] == .init(stage: .download, symbols: [try! Symbol("ETH")], what: ""))
        #expect(MakeVerdict.shellWords("a 'b c' d''e") == ["a", "b c", "de"])
    }

    @Test("a stage make would run is stale, naming what make would run; the stages before it stay up to date")
    func staleByMake() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let status = tree.survey(make: Self.marchRedone).symbols[0]
        #expect(states(status) == ["up to date", "stale", "stale", "stale", "stale"])
        #expect(status.stage(.flow).freshness == .stale("make would run stage-flow month 2024-03, stage-flow join"))
        #expect(status.stage(.detect).freshness == .stale("make would run stage-detect"))
        // a symbol make runs nothing for is up to date
        let eth = try Symbol("ETH")
        let other = tree.survey([tree.btc, eth], make: ".build/release/stage-detect --cache '/c' --symbol ETHUSDT").symbols[0]
        #expect(states(other) == ["up to date", "up to date", "up to date", "up to date", "up to date"])
    }

    @Test("an absent file makes its stage missing, and the stages after it stale")
    func missingFile() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        unlink(tree.layout.events(tree.btc))
        let status = tree.survey().symbols[0]
        #expect(states(status) == ["up to date", "up to date", "missing", "stale", "stale"])
        #expect(status.stage(.prices).freshness == .stale("after detect, which is missing"))
        unlink(tree.database)
        #expect(tree.survey().symbols[0].stage(.load).freshness == .missing("\(tree.database) does not exist"))
    }

    @Test("the load's stamp is named after the database's absolute path, as make's $(abspath) gives it")
    func loadStamp() throws {
        let tree = try CacheTree()
        let knobs = Knobs(end: "2024-03-05", days: "40", cache: tree.layout.root, db: "/srv/x/../data/./monitor.db")
        let plan = try Plan.make(knobs, today: Day("2024-03-05")!, universe: { _ in nil })
        #expect(plan.loadStamp == tree.layout.root + "/load/srv_data_monitor.db.loaded")
    }

    @Test("rows already loaded for a symbol whose cache is gone: every stage missing but the load, which is stale")
    func cacheGone() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let eth = try Symbol("ETH")
        let status = tree.survey([eth]).symbols[0]
        #expect(states(status) == ["missing", "missing", "missing", "missing", "stale"])
        #expect(status.stage(.load).counts == "1 row of ETH, 0 with a price still unknown")
    }

    @Test("a download that does not reach END is stale, naming the days; a new month of the range is missing")
    func downloadGap() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let later = tree.survey(range: ArchiveRange(end: Day("2024-03-07")!, days: 42)).symbols[0]
        #expect(later.stage(.download).freshness == .stale("the files cover 2024-01-01 to 2024-03-04, the range is 2024-01-01 to 2024-03-06"))
    }

    @Test("the text: one line per stage, the reason under it, the files not published")
    func text() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let text = StatusText.render(tree.survey(make: ".build/release/stage-detect --cache '/c' --symbol BTCUSDT"), plan: tree.plan(), knobs: "knobs")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("  download  up to date  2024-01-01 to 2024-03-02  5 verified files (aggTrades 4, klines 1, metrics 0, fundingRate 0), 2 not published"))
        #expect(lines.contains("  detect    stale       2024-01-10 to 2024-02-01  2 events"))
        #expect(lines.contains("            make would run stage-detect"))
        #expect(lines.contains("  not published by the archive (download/BTCUSDT/missing.csv): 2"))
        #expect(lines.contains("    daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-03-04.zip  not published (404)"))
    }

    @Test("monthly files that lack days are listed with their days; complete ones are not")
    func incompleteMonthly() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        try tree.write(tree.layout.coverageList(tree.btc), """
            dataset,file,sha256,days_without_rows
            aggTrades,monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip,01,2024-01-14 2024-01-15
            aggTrades,monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-02.zip,02,
            klines,monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip,05,2024-01-20

            """, at: 10)
        let report = tree.survey()
        #expect(report.symbols[0].incomplete.map(\.file.path) == [
            "monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip", "monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip",
        ])
        let lines = StatusText.render(report, plan: tree.plan(), knobs: "").split(separator: "\n").map(String.init)
        #expect(lines.contains("  monthly files with no row on some days, taken from their daily files (download/BTCUSDT/coverage.csv): 2"))
        #expect(lines.contains("    monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip  2024-01-14 2024-01-15"))
        #expect(lines.contains("    monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip  2024-01-20"))
        #expect(!lines.contains { $0.contains("BTCUSDT-aggTrades-2024-02.zip") })
    }

    @Test("an unreadable coverage.csv is a note of the download stage")
    func badCoverage() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        try tree.write(tree.layout.coverageList(tree.btc), "dataset,file,sha256,days_without_rows\naggTrades,monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip,01,2024-02-01\n", at: 10)
        let status = tree.survey().symbols[0]
        #expect(status.stage(.download).notes == ["\(tree.layout.coverageList(tree.btc)):2: days_without_rows: '2024-02-01' is not a day of 2024-01"])
    }

    @Test("a long list of files not published is cut after ten")
    func manyMissing() throws {
        let tree = try CacheTree()
        let rows = (1...12).map { "metrics,daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-01-\($0 < 10 ? "0" : "")\($0).zip,http://x,not published (404)" }
        try tree.write(tree.layout.missingList(tree.btc), "dataset,file,url,reason\n" + rows.joined(separator: "\n") + "\n", at: 0)
        let text = StatusText.render(tree.survey(), plan: tree.plan(), knobs: "")
        #expect(text.contains("BTCUSDT-metrics-2024-01-10.zip"))
        #expect(!text.contains("BTCUSDT-metrics-2024-01-11.zip"))
        #expect(text.contains("    … and 2 more\n"))
    }

    @Test("a database that is not SQLite is reported, not fatal")
    func badDatabase() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        try tree.write(tree.database, String(repeating: "not a database\n", count: 20), at: 60)
        let load = tree.survey().symbols[0].stage(.load)
        #expect(load.freshness == .upToDate)
        #expect(load.notes.first?.hasPrefix("cannot read the database: \(tree.database): not an SQLite database") == true)
    }

    @Test("a symbol that traded part of the range: said under its download and on its one line, not called missing")
    func tradedPartOfTheRange() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        try tree.write(tree.layout.tradingSpan(tree.btc), "first_day,last_day\n2024-01-10,2024-03-02\n", at: 5)
        let report = tree.survey()
        let download = report.symbols[0].stage(.download)
        #expect(download.notes == ["traded only part of the range (listed 2024-01-10, last traded 2024-03-02): the days outside are not missing"])
        #expect(download.freshness == .upToDate)
        let lines = StatusText.renderSummary(report, plan: tree.plan(), knobs: "knobs").split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("BTCUSDT ") && $0.hasSuffix("listed 2024-01-10, last traded 2024-03-02; 2 not published") }, "\(lines)")
        #expect(lines.last?.hasPrefix("1 symbol: ") == true)
    }

    @Test("many symbols: one line each under a header, then the tally")
    func summaryOfMany() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let eth = try Symbol("ETH")
        let text = StatusText.renderSummary(tree.survey([tree.btc, eth]), plan: tree.plan([tree.btc, eth]), knobs: "knobs")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[3].hasPrefix("symbol   state       redo      events cover"))
        #expect(lines[4].hasPrefix("BTCUSDT  "))
        #expect(lines[5].hasPrefix("ETHUSDT  missing     download  -"))
        #expect(lines.filter { $0.hasPrefix("BTCUSDT") || $0.hasPrefix("ETHUSDT") }.count == 2)
        #expect(text.hasSuffix("missing. Details: ./pipeline status SYMBOL, or ./pipeline status --details\n"))
    }
}

@Suite("pipeline status: how far the archive and the REST tail reach")
struct TailReachTests {
    @Test("per dataset, the end of the archive's last hour and of the tail's; the tail's files not fetched apart from the archive's")
    func reach() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let layout = tree.layout
        // the tail: two hours of trades after the archive's 2024-03-02, klines to 05:00, funding to 2024-03-02 16:00
        let hour = { (h: Int) in Hour(Day("2024-03-03")!, h) }
        for h in [0, 1] { try TailFile.write(TailFile.file(tree.btc, .aggTrades, holding: hour(h)), lines: [], in: layout) }
        let klines = (0..<5).map { "\(hour($0).start),1,1,1,1,1,\(hour($0).end - 1),1,1,1,1,0" }
        try TailFile.write(TailFile.file(tree.btc, .klines, holding: hour(0)), lines: klines, in: layout)
        try TailFile.write(TailFile.file(tree.btc, .fundingRate, holding: hour(0)), lines: ["\(Day("2024-03-02")!.startMillis + 16 * Time.hour + 3),,0.0001"], in: layout)
        var listing = try FileSystem.readText(layout.fileList(tree.btc))
        for file in TailFile.held(tree.btc, in: layout) { listing += "\(file.dataset.rawValue),\(file.path),ff\n" }
        try tree.write(layout.fileList(tree.btc), listing, at: 10)
        try tree.write(layout.missingList(tree.btc), """
            dataset,file,url,reason
            aggTrades,\(TailFile.file(tree.btc, .aggTrades, holding: hour(2)).path),http://127.0.0.1/t,over the tail's budget (TAIL_WEIGHT=40)

            """, at: 10)

        let report = tree.survey()
        let reach = report.symbols[0].reach
        #expect(reach[.aggTrades] == .init(archive: Day("2024-03-03")!.startMillis, tail: hour(2).start))
        #expect(reach[.klines] == .init(archive: Day("2024-02-01")!.startMillis, tail: hour(5).start))
        #expect(reach[.fundingRate] == .init(archive: nil, tail: Day("2024-03-02")!.startMillis + 17 * Time.hour))
        #expect(report.symbols[0].stage(.download).days == Day("2024-01-01")!...Day("2024-03-03")!)
        let text = StatusText.render(report, plan: tree.plan(), knobs: "")
        #expect(text.contains("    aggTrades     2024-03-03T00:00:00Z  2024-03-03T02:00:00Z\n"), "\(text)")
        #expect(text.contains("    fundingRate   -                     2024-03-02T17:00:00Z\n"), "\(text)")
        #expect(text.contains("  not fetched by the REST tail (download/BTCUSDT/missing.csv): 1\n"))
        #expect(!text.contains("not published by the archive"))
        let summary = StatusText.renderSummary(report, plan: tree.plan(), knobs: "")
        #expect(summary.contains("1 tail files not fetched; tail to 2024-03-03T05:00:00Z"), "\(summary)")
    }
}
