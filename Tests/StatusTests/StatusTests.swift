import Glibc
import Common
import EventStore
import Testing
@testable import pipeline_status

@Suite("pipeline status")
struct StatusTests {
    func states(_ status: SymbolStatus) -> [String] { status.stages.map(\.freshness.word) }

    @Test("an empty cache: every stage missing, naming the first file it lacks")
    func empty() throws {
        let tree = try CacheTree()
        let status = StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0]
        #expect(states(status) == ["missing", "missing", "missing", "missing", "missing"])
        #expect(status.stage(.download).freshness == .missing("download/BTCUSDT/files.csv and 3 more do not exist"))
        #expect(status.stage(.prices).freshness == .missing("prices/BTCUSDT.jsonl does not exist"))
        #expect(status.stage(.load).freshness == .missing("\(tree.graph().show(tree.graph().loadStamp)) does not exist"))
        #expect(status.notPublished.isEmpty)
    }

    @Test("a finished cache: up to date, with the days covered, the counts and the files not published")
    func complete() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let status = StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0]
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

    @Test("an input newer than an output makes its stage stale, and every stage after it")
    func staleMonth() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        tree.setTime(tree.layout.monthList(tree.btc, Month("2024-02")!), 25)   // after the month parts (20)
        let status = StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0]
        #expect(states(status) == ["up to date", "stale", "stale", "stale", "stale"])
        #expect(status.stage(.flow).freshness == .stale("series/BTCUSDT/months/2024-02.csv is older than download/BTCUSDT/months/2024-02.csv"))
        #expect(status.stage(.detect).freshness == .stale("after flow, which is stale"))
    }

    @Test("a binary rebuilt with other bytes makes its stage stale, not the ones before it")
    func rebuiltBinary() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        try tree.write("\(tree.binaries)/stage-prices", "binary, changed", at: 55)
        let status = StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0]
        #expect(states(status) == ["up to date", "up to date", "up to date", "stale", "stale"])
        #expect(status.stage(.prices).freshness == .stale("stage-prices was rebuilt with other bytes than bin/stage-prices.sha256 records"))
    }

    @Test("a binary rebuilt with the same bytes (a relink, `make test`) makes nothing stale, as make's stamp rule")
    func relinkedBinary() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        try tree.write("\(tree.binaries)/stage-prices", "binary", at: 55)
        let status = StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0]
        #expect(states(status) == ["up to date", "up to date", "up to date", "up to date", "up to date"])
    }

    @Test("a load stamp older than the symbol's prices is stale, whatever the database's mtime; a missing binary makes its stage stale")
    func staleLoad() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        tree.setTime(tree.graph().loadStamp, 45)
        tree.setTime(tree.database, 100)   // another program wrote the database: no matter
        #expect(StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0].stage(.load).freshness
                == .stale("\(tree.graph().show(tree.graph().loadStamp)) is older than prices/BTCUSDT.jsonl"))
        tree.setTime(tree.graph().loadStamp, 60)
        try FileSystem.remove("\(tree.binaries)/stage-load")
        #expect(StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0].stage(.load).freshness
                == .stale("\(tree.binaries)/stage-load does not exist yet: make builds it, then remakes this"))
    }

    @Test("a load stamp named after the database's absolute path, as the Makefile's LOAD_STAMP")
    func loadStampName() throws {
        let tree = try CacheTree()
        let graph = StageGraph(layout: tree.layout, database: "/srv/x/../data/./monitor.db", binaries: tree.binaries, range: CacheTree.range)
        #expect(graph.loadStamp == tree.layout.root + "/load/srv_data_monitor.db.loaded")
    }

    @Test("a database that is gone makes the load stale, though its stamp is there")
    func databaseGone() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        try FileSystem.remove(tree.database)
        #expect(StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0].stage(.load).freshness
                == .stale("\(tree.database) does not exist: make loads it"))
    }

    @Test("rows already loaded for a symbol whose cache is gone are stale, naming what make must make first")
    func loadedWithoutCache() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let eth = try Symbol("ETH")
        let status = StatusReport.survey(tree.graph(), symbols: [eth]).symbols[0]
        #expect(states(status) == ["missing", "missing", "missing", "missing", "stale"])
        #expect(status.stage(.load).freshness == .stale("prices/ETHUSDT.jsonl does not exist yet: make builds it, then remakes this"))
        #expect(status.stage(.load).counts == "1 row of ETH, 0 with a price still unknown")
    }

    @Test("an input newer than an output is the reason given before a binary not built yet")
    func dataBeforeBinary() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        try FileSystem.remove("\(tree.binaries)/stage-detect")
        tree.setTime(tree.layout.series(tree.btc, "taker_ratio"), 45)
        let detect = StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0].stage(.detect)
        #expect(detect.freshness == .stale("events/BTCUSDT.jsonl is older than series/BTCUSDT/taker_ratio.csv"))
    }

    @Test("a download that does not reach END is stale; a new month of the range is missing")
    func rangeMoved() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let later = StatusReport.survey(tree.graph(range: ArchiveRange(end: Day("2024-03-07")!, days: 42)), symbols: [tree.btc]).symbols[0]
        #expect(later.stage(.download).freshness == .stale("the files cover 2024-01-01 to 2024-03-04, the range is 2024-01-01 to 2024-03-06"))
        #expect(later.stage(.load).freshness == .stale("after download, which is stale"))

        let nextMonth = StatusReport.survey(tree.graph(range: ArchiveRange(end: Day("2024-04-02")!, days: 60)), symbols: [tree.btc]).symbols[0]
        #expect(nextMonth.stage(.download).freshness == .missing("download/BTCUSDT/months/2024-04.csv does not exist"))
    }

    @Test("a range of fewer months makes the join stale through series/SYM/months.txt; without that file too")
    func monthsChanged() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let shorter = StatusReport.survey(tree.graph(range: ArchiveRange(end: Day("2024-03-05")!, days: 10)), symbols: [tree.btc]).symbols[0]
        #expect(states(shorter) == ["up to date", "stale", "stale", "stale", "stale"])
        #expect(shorter.stage(.flow).freshness == .stale("series/BTCUSDT/months.txt lists other months than the range's (2024-02 2024-03): make rewrites it, then joins again"))

        unlink(tree.graph().monthsFile(tree.btc))
        let unlisted = StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0]
        #expect(unlisted.stage(.flow).freshness == .stale("series/BTCUSDT/months.txt does not exist yet: make builds it, then remakes this"))
    }

    @Test("a load of other symbols than the last one is stale through load/symbols.txt")
    func symbolsChanged() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let eth = try Symbol("ETH")
        let both = StatusReport.survey(tree.graph(), symbols: [tree.btc, eth]).symbols[0]
        #expect(states(both) == ["up to date", "up to date", "up to date", "up to date", "stale"])
        #expect(both.stage(.load).freshness == .stale("load/symbols.txt lists other symbols than BTCUSDT ETHUSDT: make rewrites it, then loads again"))

        tree.setTime(tree.graph().symbolsFile, 65)   // rewritten after the load (60)
        let alone = StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0]
        #expect(alone.stage(.load).freshness == .stale("\(tree.graph().show(tree.graph().loadStamp)) is older than load/symbols.txt"))
    }

    @Test("the text: one line per stage, the reason under it, the files not published")
    func text() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        tree.setTime(tree.layout.events(tree.btc), 35)
        tree.setTime(tree.graph().binaryStamp("stage-detect"), 38)   // make recorded another stage-detect
        let graph = tree.graph()
        let text = StatusText.render(StatusReport.survey(graph, symbols: [tree.btc]), graph: graph, knobs: "knobs")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("  download  up to date  2024-01-01 to 2024-03-02  5 verified files (aggTrades 4, klines 1, metrics 0, fundingRate 0), 2 not published"))
        #expect(lines.contains("  detect    stale       2024-01-10 to 2024-02-01  2 events"))
        #expect(lines.contains("            events/BTCUSDT.jsonl is older than bin/stage-detect.sha256"))
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
        let graph = tree.graph()
        let report = StatusReport.survey(graph, symbols: [tree.btc])
        #expect(report.symbols[0].incomplete.map(\.file.path) == [
            "monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip", "monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip",
        ])
        let lines = StatusText.render(report, graph: graph, knobs: "").split(separator: "\n").map(String.init)
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
        let status = StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0]
        #expect(status.stage(.download).notes == ["\(tree.layout.coverageList(tree.btc)):2: days_without_rows: '2024-02-01' is not a day of 2024-01"])
    }

    @Test("a long list of files not published is cut after ten")
    func manyMissing() throws {
        let tree = try CacheTree()
        let rows = (1...12).map { "metrics,daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-01-\($0 < 10 ? "0" : "")\($0).zip,http://x,not published (404)" }
        try tree.write(tree.layout.missingList(tree.btc), "dataset,file,url,reason\n" + rows.joined(separator: "\n") + "\n", at: 0)
        let graph = tree.graph()
        let text = StatusText.render(StatusReport.survey(graph, symbols: [tree.btc]), graph: graph, knobs: "")
        #expect(text.contains("BTCUSDT-metrics-2024-01-10.zip"))
        #expect(!text.contains("BTCUSDT-metrics-2024-01-11.zip"))
        #expect(text.contains("    … and 2 more\n"))
    }

    @Test("a database that is not SQLite is reported, not fatal")
    func badDatabase() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        try tree.write(tree.database, String(repeating: "not a database\n", count: 20), at: 60)
        let load = StatusReport.survey(tree.graph(), symbols: [tree.btc]).symbols[0].stage(.load)
        #expect(load.freshness == .upToDate)
        #expect(load.notes.first?.hasPrefix("cannot read the database: \(tree.database): not an SQLite database") == true)
    }

    @Test("a symbol that traded part of the range: said under its download and on its one line, not called missing")
    func tradedPartOfTheRange() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        try tree.write(tree.layout.tradingSpan(tree.btc), "first_day,last_day\n2024-01-10,2024-03-02\n", at: 5)
        let graph = tree.graph()
        let report = StatusReport.survey(graph, symbols: [tree.btc])
        let download = report.symbols[0].stage(.download)
        #expect(download.notes == ["traded only part of the range (listed 2024-01-10, last traded 2024-03-02): the days outside are not missing"])
        #expect(download.freshness == .upToDate)
        let lines = StatusText.renderSummary(report, graph: graph, knobs: "knobs").split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("BTCUSDT ") && $0.hasSuffix("listed 2024-01-10, last traded 2024-03-02; 2 not published") }, "\(lines)")
        #expect(lines.last?.hasPrefix("1 symbol: ") == true)
    }

    @Test("many symbols: one line each under a header, then the tally")
    func summaryOfMany() throws {
        let tree = try CacheTree()
        try tree.buildComplete()
        let eth = try Symbol("ETH")
        let graph = tree.graph()
        let text = StatusText.renderSummary(StatusReport.survey(graph, symbols: [tree.btc, eth]), graph: graph, knobs: "knobs")
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

        let graph = tree.graph()
        let report = StatusReport.survey(graph, symbols: [tree.btc])
        let reach = report.symbols[0].reach
        #expect(reach[.aggTrades] == .init(archive: Day("2024-03-03")!.startMillis, tail: hour(2).start))
        #expect(reach[.klines] == .init(archive: Day("2024-02-01")!.startMillis, tail: hour(5).start))
        #expect(reach[.fundingRate] == .init(archive: nil, tail: Day("2024-03-02")!.startMillis + 17 * Time.hour))
        #expect(report.symbols[0].stage(.download).days == Day("2024-01-01")!...Day("2024-03-03")!)
        let text = StatusText.render(report, graph: graph, knobs: "")
        #expect(text.contains("    aggTrades     2024-03-03T00:00:00Z  2024-03-03T02:00:00Z\n"), "\(text)")
        #expect(text.contains("    fundingRate   -                     2024-03-02T17:00:00Z\n"), "\(text)")
        #expect(text.contains("  not fetched by the REST tail (download/BTCUSDT/missing.csv): 1\n"))
        #expect(!text.contains("not published by the archive"))
        let summary = StatusText.renderSummary(report, graph: graph, knobs: "")
        #expect(summary.contains("1 tail files not fetched; tail to 2024-03-03T05:00:00Z"), "\(summary)")
    }
}
