import Common
import Testing
@testable import stage_detect

/// The command as make runs it, in process, on a cache built in a temporary directory.
@Suite("stage-detect on a cache")
struct StageDetectTests {
    /// `count` hourly rows from hour 0; `value(i)` gives row i.
    func seriesText(_ count: Int, _ value: (Int) -> Double) -> String {
        HourlySeries(file: "", timestamps: (0..<count).map(at), values: (0..<count).map(value)).text
    }

    func run(_ arguments: [String]) throws {
        var command = try StageDetect.parse(arguments + ["--quiet"])
        try command.run()
    }

    @Test("reads the series, writes events/SYM.jsonl for every window, ordered")
    func writesEvents() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        // 50 rising hours: from hour 24 (W = 1 day) every value is above its whole window.
        try dir.write(seriesText(50) { Double($0 + 1) }, to: "series/BTCUSDT/flow_1h.csv")
        // ratios alternating 2 and 0.5 (|ln| ties): never strictly above anything.
        try dir.write(seriesText(50) { $0 % 2 == 0 ? 2 : 0.5 }, to: "series/BTCUSDT/taker_ratio.csv")
        try run(["--cache", dir.path, "--symbol", "btc", "--windows", "2,1", "--dimensions", "taker_ratio,flow_1h"])

        let lines = try FileSystem.readText("\(dir.path)/events/BTCUSDT.jsonl").split(separator: "\n")
        let oneDay = (24..<50).map { #"{"symbol":"BTC","dimension":"flow_1h","window_days":1,"triggered_at":\#(at($0)),"value":\#(Double($0 + 1)),"percentile":100.0}"# }
        let twoDays = (48..<50).map { #"{"symbol":"BTC","dimension":"flow_1h","window_days":2,"triggered_at":\#(at($0)),"value":\#(Double($0 + 1)),"percentile":100.0}"# }
        #expect(lines.map(String.init) == oneDay + twoDays)
    }

    @Test("a missing series is an error naming it, unless --dimensions leaves it out")
    func missingSeries() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write(seriesText(3) { Double($0) }, to: "series/ETHUSDT/flow_1h.csv")
        let error = #expect(throws: DataError.self) { try run(["--cache", dir.path, "--symbol", "ETH"]) }
        #expect(error?.description == "\(dir.path)/series/ETHUSDT/oi_change_1h.csv: no such series; stage-flow writes it (make flow SYMBOL=ETH), or limit --dimensions to the series you have")
        #expect(!FileSystem.exists("\(dir.path)/events/ETHUSDT.jsonl"))

        try run(["--cache", dir.path, "--symbol", "ETH", "--dimensions", "flow_1h"])
        #expect(FileSystem.size("\(dir.path)/events/ETHUSDT.jsonl") == 0)
    }

    @Test("a malformed row stops the stage with file:line, and no events file is left")
    func malformedRow() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("timestamp,value\n\(at(0)),1.5\n\(at(1)),2.5,3\n", to: "series/BTCUSDT/funding_rate.csv")
        let error = #expect(throws: DataError.self) {
            try run(["--cache", dir.path, "--symbol", "BTCUSDT", "--dimensions", "funding_rate"])
        }
        #expect(error?.description == "\(dir.path)/series/BTCUSDT/funding_rate.csv:3: expected 2 fields, got 3")
        #expect(!FileSystem.exists("\(dir.path)/events/BTCUSDT.jsonl"))
        #expect(!FileSystem.list("\(dir.path)/events").contains { $0.hasSuffix(".tmp") })
    }

    @Test("SPEC's defaults: windows 7, 30, 90 days, percentile 90, cooldown 1 h, all six dimensions")
    func defaults() throws {
        let command = try StageDetect.parse([])
        #expect(try command.windowsDays() == [7, 30, 90])
        #expect(command.percentile == 90)
        #expect(command.cooldownHours == 1)
        #expect(try Dimension.list(command.dimensions) == Dimension.allCases)
    }

    @Test("options that cannot work are refused before anything is read", arguments: [
        ["--windows", "7,x"], ["--windows", "0"], ["--windows", ""], ["--percentile", "101"], ["--percentile=-1"],
        ["--cooldown-hours=-1"], ["--dimensions", "flow_1h,volume"], ["--dimensions", ""], ["--symbol", "BTC/USDT"],
    ])
    func refusedOptions(_ arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try StageDetect.parse(arguments) }
    }

    @Test("--help states the rule")
    func help() {
        let help = StageDetect.helpMessage()
        #expect(help.contains("[t − W, t)"))
        #expect(help.contains("strictly below"))
        #expect(help.contains("--cooldown-hours"))
    }
}
