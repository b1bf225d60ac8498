import Foundation
import Testing
import TestSupport
@testable import Common

@Suite("Common/Formats: each inter-stage file read and written by one type")
struct FormatsTests {
    @Test("TextLines: a line across a 64 KiB read, a last line without a newline, numbered from 1")
    func textLines() throws {
        let long = String(repeating: "x", count: 70_000)
        let path = try TemporaryDirectory("formats").write("lines.txt", "a\n\(long)\n\nlast")
        var lines: [(String, Int)] = []
        try TextLines.forEach(in: path) { lines.append((String(decoding: $0, as: UTF8.self), $1)) }
        #expect(lines.map(\.0) == ["a", long, "", "last"])
        #expect(lines.map(\.1) == [1, 2, 3, 4])
        var inMemory: [String] = []
        TextLines.forEach(in: Array("a\n\(long)\n\nlast\n".utf8)) { line, _ in inMemory.append(String(decoding: line, as: UTF8.self)) }
        #expect(inMemory == lines.map(\.0))
    }

    @Test("WindowDays: whole days from 1 to 3650, each once, ascending", arguments: [
        ("7,30,90", [7, 30, 90]), ("30, 7,30", [7, 30]), ("1,3650", [1, 3650]),
    ])
    func windows(_ text: String, _ days: [Int]) throws {
        #expect(try WindowDays.parseList(text) == days)
    }

    @Test("WindowDays: anything else is a usage error naming the option", arguments: ["0", "3651", "7,,30", "7.5", "a"])
    func badWindows(_ text: String) {
        #expect(throws: UsageError.self) { try WindowDays.parseList(text) }
        #expect(WindowDays.problem(0) != nil && WindowDays.problem(3651) != nil && WindowDays.problem(14) == nil)
    }

    @Test("a priced event's line reads back as the same event; a window stage-detect may write is accepted")
    func pricedRoundTrip() throws {
        let btc = try Symbol("BTC")
        let event = PricedEvent(symbol: btc, dimension: .oi_change_1h, windowDays: 14, triggeredAt: 1_704_067_200_000,
                                value: -1e-05, percentile: 99.5, priceAtTrigger: 42000.1, pricesAfter: [nil, 42100, nil, 0.5])
        #expect(event.jsonLine == #"{"symbol":"BTC","dimension":"oi_change_1h","window_days":14,"triggered_at":1704067200000,"value":-1e-05,"percentile":99.5,"price_at_trigger":42000.1,"price_4h":null,"price_12h":42100.0,"price_24h":null,"price_48h":0.5}"#)
        let path = try TemporaryDirectory("formats").file("BTCUSDT.jsonl")
        try PricesFile.write([event, event], to: path)
        #expect(try PricesFile.read(path, symbol: btc) == [event, event])
    }

    @Test("an event line and its priced line share the event's bytes")
    func eventLinePrefix() throws {
        let event = Event(symbol: try Symbol("ETH"), dimension: .taker_ratio, windowDays: 30, triggeredAt: 1_704_070_800_000,
                          value: 1.5, percentile: 91.2)
        let priced = PricedEvent(event, prices: Prices(atTrigger: 3000))
        #expect(priced.jsonLine.hasPrefix(String(event.jsonLine.dropLast()) + #","price_at_trigger":3000.0,"#))
        #expect(try EventsFile.event(Array(event.jsonLine.utf8), file: "e", line: 1, symbol: nil) == event)
    }

    @Test("the lists of archive files share one reader and writer: text reads back, a bad row names its line")
    func fileLists() throws {
        let file = ArchiveFile(path: "daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-02-10.zip")!
        let missing = MissingList([.init(file: file, url: "http://127.0.0.1/m.zip", reason: "not published (HTTP 404)")])
        #expect(missing.text == "dataset,file,url,reason\nmetrics,daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-02-10.zip,http://127.0.0.1/m.zip,not published (HTTP 404)\n")
        #expect(try MissingList(parsing: missing.text, path: "missing.csv") == missing)
        #expect(throws: DataError(file: "files.csv", line: 2, "expected 3 fields, got 2")) {
            try VerifiedFileList(parsing: "dataset,file,sha256\nmetrics,\(file.path)\n", path: "files.csv")
        }
    }
}
