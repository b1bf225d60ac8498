import Common
import Testing
@testable import stage_report

/// The command as make runs it, in process, on a cache built in a temporary directory.
@Suite("stage-report on a cache")
struct StageReportTests {
    let closes: [Int: Double] = Dictionary(uniqueKeysWithValues: (0..<300).map { ($0, 100 + Double($0 % 11)) })

    func run(_ dir: TemporaryDirectory, _ arguments: [String] = ["--symbol", "BTC"]) throws {
        var command = try StageReport.parse(["--cache", dir.path, "--quiet"] + arguments)
        try command.run()
    }

    @Test("an empty prices file: both files written, the page explains, every row has 0 events")
    func emptyPrices() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.writeKlines(closes)
        try dir.write("", to: "prices/BTCUSDT.jsonl")
        try run(dir)
        let page = try FileSystem.readText("\(dir.path)/report/index.html")
        #expect(XMLCheck.parse(page).error == nil)
        #expect(page.contains("<strong>No events.</strong>"))
        let rows = try FileSystem.readText("\(dir.path)/report/summary.csv").split(separator: "\n").dropFirst()
        #expect(rows.count == 144)
        #expect(rows.allSatisfy { $0.hasPrefix("BTC,") && $0.split(separator: ",", omittingEmptySubsequences: false)[5] == "0" })
        #expect(rows.first == "BTC,flow_1h,7,positive,4,0,0,,,,296,\(baseline(closes).statistics[0].mean!),\(baseline(closes).statistics[0].median!),\(baseline(closes).statistics[0].hitRate!),0,,,,,,0.001,")
        #expect(!FileSystem.list("\(dir.path)/report").contains { $0.hasSuffix(".tmp") })
    }

    @Test("two symbols: one page with a section each, rows of the first symbol first")
    func twoSymbols() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let eth = try Symbol("ETH")
        try dir.writeKlines(closes)
        try dir.writeKlines(closes, symbol: eth)
        try dir.writePrices([event(hour: 10, value: 1, closes: closes)])
        try dir.writePrices([event(.funding_rate, hour: 20, value: -0.0001, closes: closes)], symbol: eth)
        try run(dir, ["--symbols", "ETHUSDT,BTCUSDT"])
        let page = try FileSystem.readText("\(dir.path)/report/index.html")
        #expect(XMLCheck.parse(page).error == nil)
        #expect(page.contains("<h2 id=\"ETHUSDT\">ETHUSDT</h2>") && page.contains("<h2 id=\"BTCUSDT\">BTCUSDT</h2>"))
        let rows = try FileSystem.readText("\(dir.path)/report/summary.csv").split(separator: "\n").dropFirst()
        #expect(rows.count == 288)
        #expect(rows.first?.hasPrefix("ETH,") == true && rows.last?.hasPrefix("BTC,") == true)
        // The event paths: every dimension and sign of each symbol, 97 hourly offsets, in the same order.
        let paths = try FileSystem.readText("\(dir.path)/report/event_path.csv").split(separator: "\n").dropFirst()
        #expect(paths.count == 2 * Dimension.allCases.count * 2 * 97)
        // No event of those: no mean and no band, the baseline's mean all the same.
        #expect(paths.first?.hasPrefix("ETH,flow_1h,positive,-48,0,0,,") == true && paths.first?.hasSuffix(",,,") == true)
        #expect(paths.last?.hasPrefix("BTC,taker_ratio,negative,48,0,0,,") == true)
    }

    @Test("a missing prices file names itself and the make target that writes it")
    func missingPrices() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.writeKlines(closes)
        let error = #expect(throws: DataError.self) { try run(dir) }
        #expect(error?.description == "\(dir.path)/prices/BTCUSDT.jsonl: no such file; stage-prices writes it (make prices SYMBOL=BTC)")
        #expect(!FileSystem.exists("\(dir.path)/report/index.html"))
    }

    @Test("a missing klines listing names itself and the make target that writes it")
    func missingKlines() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("", to: "prices/BTCUSDT.jsonl")
        let error = #expect(throws: DataError.self) { try run(dir) }
        #expect(error?.description == "\(dir.path)/download/BTCUSDT/files.csv: no such file; stage-download writes it with the symbol's 1h klines (make download SYMBOL=BTC)")
    }

    @Test("a bad line names the file and line, and says what is wrong", arguments: [
        (#"{"symbol":"BTC"}"#, #"missing key "dimension" (every key is written, a price as null when unknown)"#),
        (#"{"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,"value":1,"percentile":95,"price_at_trigger":1,"price_4h":1,"price_12h":1,"price_24h":1}"#,
         #"missing key "price_48h" (every key is written, a price as null when unknown)"#),
        (#"{"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,"value":1,"percentile":95,"price_at_trigger":"1","price_4h":1,"price_12h":1,"price_24h":1,"price_48h":1}"#,
         #""price_at_trigger" is "1", expected a number"#),
        (#"{"symbol":"BTC","dimension":"volume","window_days":7,"triggered_at":1704067200000,"value":1,"percentile":95,"price_at_trigger":1,"price_4h":1,"price_12h":1,"price_24h":1,"price_48h":1}"#,
         "dimension \"volume\" is not one of flow_1h, oi_change_1h, funding_rate, top_position_ratio, global_account_ratio, taker_ratio"),
        (#"{"symbol":"ETH","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,"value":1,"percentile":95,"price_at_trigger":1,"price_4h":1,"price_12h":1,"price_24h":1,"price_48h":1}"#,
         #"symbol "ETH" in the file of BTCUSDT, expected "BTC""#),
        (#"{"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,"value":1,"percentile":95,"price_at_trigger":0,"price_4h":1,"price_12h":1,"price_24h":1,"price_48h":1}"#,
         #""price_at_trigger" is 0.0, expected a positive price or null"#),
        (#"{"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704067200001,"value":1,"percentile":95,"price_at_trigger":1,"price_4h":1,"price_12h":1,"price_24h":1,"price_48h":1}"#,
         "triggered_at 1704067200001 is not the start of an hour (milliseconds, a multiple of 3600000)"),
        ("{", "invalid JSON: column 2: expected a key in double quotes, found the end of the line"),
    ])
    func badLine(line: String, message: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.writeKlines(closes)
        try dir.write(event(hour: 10, value: 1, closes: closes).jsonLine + "\n" + line + "\n", to: "prices/BTCUSDT.jsonl")
        let error = #expect(throws: DataError.self) { try run(dir) }
        #expect(error?.description == "\(dir.path)/prices/BTCUSDT.jsonl:2: \(message)")
    }

    @Test("a line of prices with nulls reads back as unknown prices")
    func nulls() throws {
        let line = #"{"symbol":"BTC","dimension":"taker_ratio","window_days":30,"triggered_at":1704067200000,"value":1.5,"percentile":91.2,"price_at_trigger":42000.1,"price_4h":42100.0,"price_12h":null,"price_24h":null,"price_48h":null}"#
        let events = try PricesFile.parse(Array((line + "\n").utf8), path: "prices/BTCUSDT.jsonl", symbol: btc)
        #expect(events == [PricedEvent(symbol: btc, dimension: .taker_ratio, windowDays: 30, triggeredAt: hour0, value: 1.5, percentile: 91.2,
                                       priceAtTrigger: 42000.1, pricesAfter: [42100, nil, nil, nil])])
    }

    @Test("--resamples outside 100...1000000 is refused", arguments: ["0", "99", "1000001"])
    func resamplesRange(value: String) {
        #expect(throws: (any Error).self) { try StageReport.parse(["--resamples", value]) }
    }

    @Test("--fee-bps outside 0...1000 is refused", arguments: ["-1", "1001", "nan"])
    func feeRange(value: String) {
        #expect(throws: (any Error).self) { try StageReport.parse(["--fee-bps", value]) }
    }

    @Test("--fee-bps 10: a round trip costs 0.2 %, in every row")
    func fees() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.writeKlines(closes)
        try dir.writePrices([event(hour: 10, value: 1, closes: closes)])
        try run(dir, ["--symbol", "BTC", "--fee-bps", "10"])
        let lines = try FileSystem.readText("\(dir.path)/report/summary.csv").split(separator: "\n")
        let header = lines[0].split(separator: ",")
        let fee = header.firstIndex(of: "round_trip_fee")!, edge = header.firstIndex(of: "edge_after_fees")!, diff = header.firstIndex(of: "diff_mean")!
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(row[fee] == "0.002")
        #expect(Double(row[edge])! == abs(Double(row[diff])!) - 0.002)
    }

    @Test("five symbols: index.html holds the headline and links one self-contained page per symbol; with two again, the symbol pages go")
    func manySymbols() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let names = ["BTC", "ETH", "SOL", "BNB", "XRP"]
        for name in names {
            let symbol = try Symbol(name)
            try dir.writeKlines(closes, symbol: symbol)
            try dir.writePrices([event(hour: 10, value: 1, closes: closes)], symbol: symbol)
        }
        try run(dir, ["--symbols", names.joined(separator: ",")])
        let index = try FileSystem.readText("\(dir.path)/report/index.html")
        #expect(XMLCheck.parse(index).error == nil)
        #expect(index.contains("<h2 id=\"highlights\">") && index.contains("<h2 id=\"symbols\">Symbols</h2>"))
        #expect(!index.contains("<svg"))
        for name in names {
            #expect(index.contains("<a href=\"\(name)USDT.html\">\(name)USDT</a>"))
            let page = try FileSystem.readText("\(dir.path)/report/\(name)USDT.html")
            #expect(XMLCheck.parse(page).error == nil)
            #expect(page.contains("<h2 id=\"\(name)USDT\">\(name)USDT</h2>") && page.contains("<svg"))
            #expect(page.contains("<a href=\"index.html\">"))
        }
        #expect(!FileSystem.list("\(dir.path)/report").contains { $0.hasSuffix(".tmp") }, "every page written whole, no temporary file left")
        let rows = try FileSystem.readText("\(dir.path)/report/summary.csv").split(separator: "\n").dropFirst()
        #expect(rows.count == 5 * 144)
        let paths = try FileSystem.readText("\(dir.path)/report/event_path.csv").split(separator: "\n").dropFirst()
        #expect(paths.count == 5 * Dimension.allCases.count * 2 * 97)

        try run(dir, ["--symbols", "BTC,ETH"])
        for name in names { #expect(!FileSystem.exists("\(dir.path)/report/\(name)USDT.html")) }
        let page = try FileSystem.readText("\(dir.path)/report/index.html")
        #expect(page.contains("<h2 id=\"ETHUSDT\">ETHUSDT</h2>"))
    }
}

/// `make merge SHARD_CACHES=…`: the whole market's report from the shards' caches.
@Suite("stage-report over the shards of a market")
struct ShardReportTests {
    let closes: [Int: Double] = Dictionary(uniqueKeysWithValues: (0..<300).map { ($0, 100 + Double($0 % 11)) })

    /// BTC, ETH and SOL, each with its klines and two events, in `dir`, and the names in report/symbols.txt.
    func market(_ dir: TemporaryDirectory, _ names: [String]) throws {
        for name in names {
            let symbol = try Symbol(name)
            let index = ["BTC", "ETH", "SOL"].firstIndex(of: name)!   // each symbol's events the same in every cache
            try dir.writeKlines(closes, symbol: symbol)
            try dir.writePrices([event(hour: 10 + index, value: 1, closes: closes), event(.funding_rate, hour: 40 + 3 * index, value: -0.0001, closes: closes)],
                                symbol: symbol)
        }
        try dir.write(names.map { try Symbol($0).full }.joined(separator: " ") + "\n", to: "report/symbols.txt")
    }

    func report(_ arguments: [String]) throws {
        var command = try StageReport.parse(["--quiet"] + arguments)
        try command.run()
    }

    @Test("the report of two shards' caches equals one cache's report of every symbol, byte for byte (q over every cell)")
    func mergedEqualsOneMachine() throws {
        let (one, shard0, shard1, merged) = (try TemporaryDirectory(), try TemporaryDirectory(), try TemporaryDirectory(), try TemporaryDirectory())
        defer { [one, shard0, shard1, merged].forEach { $0.remove() } }
        try market(one, ["BTC", "ETH", "SOL"])
        try market(shard0, ["ETH", "BTC"])    // FNV-1a-32 mod 2: BTCUSDT and ETHUSDT 0, SOLUSDT 1
        try market(shard1, ["SOL"])
        try report(["--cache", one.path, "--symbols", "BTCUSDT ETHUSDT SOLUSDT"])
        try report(["--cache", shard0.path, "--symbols", "ETHUSDT BTCUSDT"])
        try report(["--cache", merged.path, "--shard-caches", "\(shard1.path) \(shard0.path)"])

        for file in ["summary.csv", "event_path.csv", "index.html"] {
            let expected = try FileSystem.readText("\(one.path)/report/\(file)")
            #expect(try FileSystem.readText("\(merged.path)/report/\(file)") == expected, "\(file)")
        }
    }

    @Test("a symbol in two shards' caches is an error naming both; a cache without report/symbols.txt says what to run")
    func mergedRefusesOverlapAndMissing() throws {
        let (shard0, shard1, merged) = (try TemporaryDirectory(), try TemporaryDirectory(), try TemporaryDirectory())
        defer { [shard0, shard1, merged].forEach { $0.remove() } }
        try market(shard0, ["BTC"])
        try market(shard1, ["BTC"])
        #expect { try report(["--cache", merged.path, "--shard-caches", "\(shard0.path) \(shard1.path)"]) } throws: {
            "\($0)" == "\(shard1.path)/report/symbols.txt: BTCUSDT is a symbol of \(shard0.path) too: each symbol belongs to one shard"
        }
        #expect { try report(["--cache", merged.path, "--shard-caches", merged.path]) } throws: {
            "\($0)".hasSuffix("cannot be read: is \(merged.path) a shard's cache whose make all has run?")
        }
        #expect(!FileSystem.exists("\(merged.path)/report/summary.csv"))
    }
}
