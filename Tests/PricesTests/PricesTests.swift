import ArchiveFixture
import Common
import Foundation
import Testing
import TestSupport
@testable import stage_prices

@Suite("prices after the event: close at t, t+4, 12, 24, 48 h, null where not in the data")
struct PricesTests {
    let symbol = try! Symbol("BTC")

    /// Closes 100, 101, 102, … for the hours of `days` days from 2024-01-01, as 1h klines.
    func closes(days: Int, missing: Set<Int> = []) throws -> HourlyCloses {
        let root = try TemporaryDirectory("prices").path
        let layout = CacheLayout(root: root)
        let file = ArchiveFile(symbol: symbol, dataset: .klines, period: .month(Month("2024-01")!))
        let hours = (0..<(days * 24)).filter { !missing.contains($0) }
        try KlinesFixture.write(hours.map { (hourStart($0), Double(100 + $0)) }, as: file, in: layout)
        var result = HourlyCloses()
        try result.read([file], in: layout)
        return result
    }

    /// The start of hour `hour` of the data, counted from 2024-01-01 00:00 UTC.
    func hourStart(_ hour: Int) -> Millis { Day("2024-01-01")!.startMillis + Int64(hour) * Time.hour }

    func event(at hour: Int) -> String {
        let t = hourStart(hour)
        return "{\"symbol\":\"BTC\",\"dimension\":\"flow_1h\",\"window_days\":7,\"triggered_at\":\(t),\"value\":811209.83,\"percentile\":95.2}"
    }

    @Test("every price known: the event's bytes, then the five closes in order")
    func allKnown() throws {
        let line = try EventPrices.price(line: event(at: 10)[...], file: "events/BTCUSDT.jsonl", number: 1, closes: closes(days: 3))
        #expect(line == String(event(at: 10).dropLast()) + ",\"price_at_trigger\":110.0,\"price_4h\":114.0,\"price_12h\":122.0,\"price_24h\":134.0,\"price_48h\":158.0}")
    }

    @Test("an event at the last hour of the data: every later price is null")
    func lastHour() throws {
        let line = try EventPrices.price(line: event(at: 71)[...], file: "e", number: 1, closes: closes(days: 3))
        #expect(line.hasSuffix(",\"price_at_trigger\":171.0,\"price_4h\":null,\"price_12h\":null,\"price_24h\":null,\"price_48h\":null}"))
    }

    @Test("an event whose +48 h kline is missing: that price alone is null")
    func missingKline() throws {
        let line = try EventPrices.price(line: event(at: 0)[...], file: "e", number: 1, closes: closes(days: 3, missing: [48]))
        #expect(line.hasSuffix(",\"price_at_trigger\":100.0,\"price_4h\":104.0,\"price_12h\":112.0,\"price_24h\":124.0,\"price_48h\":null}"))
    }

    @Test("a monthly klines file without Jan 2nd: the daily file stage-download lists after it gives that day's closes")
    func dailyKlinesFillMonthly() throws {
        let root = try TemporaryDirectory("prices").path
        let layout = CacheLayout(root: root)
        let monthly = ArchiveFile(symbol: symbol, dataset: .klines, period: .month(Month("2024-01")!))
        let daily = ArchiveFile(symbol: symbol, dataset: .klines, period: .day(Day("2024-01-02")!))
        func put(_ file: ArchiveFile, hours: [Int], close: (Int) -> Int) throws {
            try KlinesFixture.write(hours.map { (hourStart($0), Double(close($0))) }, as: file, in: layout, header: false)
        }
        try put(monthly, hours: Array(0..<24) + Array(48..<72), close: { 100 + $0 })
        try put(daily, hours: Array(24..<48), close: { 500 + $0 })
        let fileList = VerifiedFileList([.init(file: monthly, sha256: "01"), .init(file: daily, sha256: "02")])
        try AtomicFile.write(fileList.text, to: layout.fileList(symbol))
        let closes = try HourlyCloses.read(symbol, in: layout)
        let line = try EventPrices.price(line: event(at: 20)[...], file: "e", number: 1, closes: closes)
        #expect(line.hasSuffix(",\"price_at_trigger\":120.0,\"price_4h\":524.0,\"price_12h\":532.0,\"price_24h\":544.0,\"price_48h\":168.0}"))
    }

    @Test("a malformed event line names the file and line, and nothing is written")
    func malformed() throws {
        let text = event(at: 1) + "\n" + "{\"symbol\":\"BTC\"}\n"
        let error = #expect(throws: DataError.self) {
            try EventPrices.price(eventsText: text, file: "events/BTCUSDT.jsonl", closes: closes(days: 1))
        }
        #expect(error?.description.hasPrefix("events/BTCUSDT.jsonl:2: missing key \"dimension\"") == true)
    }

    @Test("an empty events file gives an empty prices file")
    func empty() throws {
        #expect(try EventPrices.price(eventsText: "", file: "e", closes: closes(days: 1)) == "")
    }
}
