import Common
import Testing
@testable import stage_detect

@Suite("events/SYM.jsonl: one JSON line per event, in SPEC's order")
struct EventLineTests {
    let btc = try! Symbol("BTCUSDT")

    func event(_ dimension: Dimension, _ days: Int, _ hour: Int, value: Double = 1, percentile: Double = 100) -> Event {
        Event(symbol: btc, dimension: dimension, windowDays: days, triggeredAt: at(hour), value: value, percentile: percentile)
    }

    @Test("SPEC's example, byte for byte")
    func specExample() {
        let e = Event(symbol: btc, dimension: .flow_1h, windowDays: 7, triggeredAt: 1_704_067_200_000, value: 811209.83, percentile: 95.2)
        #expect(e.jsonLine == #"{"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,"value":811209.83,"percentile":95.2}"#)
    }

    @Test("numbers in the shortest form that reads back, as Python's repr writes them", arguments: [
        (1e-05, 100.0, #""value":1e-05,"percentile":100.0}"#),
        (-0.0001, 33.333333333333336, #""value":-0.0001,"percentile":33.333333333333336}"#),
        (100000.0, 90.0, #""value":100000.0,"percentile":90.0}"#),
        (-2.5e-07, 66.66666666666667, #""value":-2.5e-07,"percentile":66.66666666666667}"#),
        (1.2345678901234567e16, 95.0, #""value":1.2345678901234568e+16,"percentile":95.0}"#),
    ])
    func numbers(value: Double, percentile: Double, tail: String) {
        let line = event(.funding_rate, 30, 0, value: value, percentile: percentile).jsonLine
        #expect(line == #"{"symbol":"BTC","dimension":"funding_rate","window_days":30,"triggered_at":1704067200000,"# + tail)
    }

    @Test("the file is ordered by dimension (its name), then window_days (as a number), then triggered_at")
    func order() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = "\(dir.path)/events/BTCUSDT.jsonl"
        let events = [
            event(.taker_ratio, 7, 1), event(.flow_1h, 90, 0), event(.oi_change_1h, 7, 5),
            event(.flow_1h, 7, 3), event(.funding_rate, 30, 2), event(.flow_1h, 30, 1), event(.flow_1h, 7, 2),
        ]
        try EventsFile.write(events, to: path)
        let lines = try FileSystem.readText(path).split(separator: "\n").map(String.init)
        let expected = [
            event(.flow_1h, 7, 2), event(.flow_1h, 7, 3), event(.flow_1h, 30, 1), event(.flow_1h, 90, 0),
            event(.funding_rate, 30, 2), event(.oi_change_1h, 7, 5), event(.taker_ratio, 7, 1),
        ]
        #expect(lines == expected.map(\.jsonLine))
        #expect(try FileSystem.readText(path).hasSuffix("}\n"))
        #expect(!FileSystem.list(FileSystem.parent(of: path)).contains { $0.hasSuffix(".tmp") })
    }

    @Test("no event: an empty file")
    func empty() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = "\(dir.path)/events/BTCUSDT.jsonl"
        try EventsFile.write([], to: path)
        #expect(FileSystem.size(path) == 0)
    }
}
