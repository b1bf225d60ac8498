import ArchiveFixture
import Foundation
import Common
import Testing
@testable import stage_flow

@Suite("quirks of the real archive")
struct ArchiveQuirkTests {
    let jan = Month("2024-01")!

    func compute(_ cache: FixtureCache, _ month: String = "2024-01") throws -> MonthPart {
        let flow = MonthFlow(symbol: cache.symbol, month: Month(month)!, layout: cache.layout)
        return try flow.compute(flow.fileList())
    }

    /// 20 trades in hour 1 of Jan 1st: notionals 1…20; the 20th (a taker buy) is the only large one.
    var twentyTrades: String {
        (1...20).map { trade($0, "2", "\(Double($0) / 2)", ms("2024-01-01", 1, $0), maker: false) }.joined()
    }

    @Test("files with and without a header give the same part")
    func headerOrNot() throws {
        let plain = try FixtureCache(), headed = try FixtureCache()
        try plain.list("2024-01", [plain.put(plain.file(.aggTrades, "2024-01"), csv: twentyTrades)])
        try headed.list("2024-01", [headed.put(headed.file(.aggTrades, "2024-01"), csv: aggTradesHeader + twentyTrades)])
        let a = try compute(plain), b = try compute(headed)
        #expect(a == b)
        #expect(a.threshold == 20)
        #expect(a.hours[ms("2024-01-01", 1)]?.flow == 20)
    }

    @Test("is_buyer_maker in any case")
    func booleanCase() throws {
        let cache = try FixtureCache()
        let csv = twentyTrades.replacingOccurrences(of: "false", with: "FALSE") + trade(21, "2", "10", ms("2024-01-01", 2), maker: true).replacingOccurrences(of: "true", with: "True")
        try cache.list("2024-01", [cache.put(cache.file(.aggTrades, "2024-01"), csv: csv)])
        let part = try compute(cache)
        #expect(part.threshold == 20)
        #expect(part.hours[ms("2024-01-01", 1)]?.flow == 20)
        #expect(part.hours[ms("2024-01-01", 2)]?.flow == -20)
    }

    @Test("a month split over daily files: one threshold over all of them, only their days covered")
    func dailyFiles() throws {
        let cache = try FixtureCache()
        // Jan 1st: notionals 1…10 (sells); Jan 3rd: 11…20 (buys). Jan 2nd was not published.
        let day1 = (1...10).map { trade($0, "1", "\($0)", ms("2024-01-01", 4), maker: true) }.joined()
        let day3 = (11...20).map { trade($0, "1", "\($0)", ms("2024-01-03", 7), maker: false) }.joined()
        try cache.list("2024-01", [
            cache.put(cache.file(.aggTrades, "2024-01-03"), csv: aggTradesHeader + day3),
            cache.put(cache.file(.aggTrades, "2024-01-01"), csv: day1),
        ])
        let part = try compute(cache)
        #expect(part.trades == 20)
        #expect(part.threshold == 20)
        #expect(part.hours[ms("2024-01-03", 7)]?.flow == 20)
        #expect(part.hours[ms("2024-01-01", 4)]?.flow == 0)
        #expect(part.hours[ms("2024-01-02", 4)] == nil) // not covered: no value, not 0
        #expect(part.hours.values.compactMap(\.flow).count == 48)
    }

    @Test("END's partial month covers the days before END only")
    func partialMonth() throws {
        let cache = try FixtureCache()
        try cache.list("2024-03", [
            cache.put(cache.file(.aggTrades, "2024-03-01"), csv: trade(1, "1", "1", ms("2024-03-01", 0), maker: false)),
            cache.put(cache.file(.aggTrades, "2024-03-02"), csv: trade(2, "1", "2", ms("2024-03-02", 0), maker: false)),
        ])
        let part = try compute(cache, "2024-03")
        #expect(part.hours.keys.min() == ms("2024-03-01", 0))
        #expect(part.hours.keys.max() == ms("2024-03-02", 23))
        #expect(part.threshold == 2) // n = 2, i = 1
    }

    @Test("rows out of time order go to their own hours, summed in file order")
    func outOfOrder() throws {
        let cache = try FixtureCache()
        var csv = ""
        for k in 1...18 { csv += trade(k, "1", "0.5", ms("2024-01-01", 9), maker: false) }
        csv += trade(19, "1", "7", ms("2024-01-01", 9), maker: false)   // large, hour 9
        csv += trade(20, "1", "7", ms("2024-01-01", 8), maker: true)    // large, hour 8, earlier time, later row
        try cache.list("2024-01", [cache.put(cache.file(.aggTrades, "2024-01"), csv: csv)])
        let part = try compute(cache)
        #expect(part.threshold == 7)
        #expect(part.hours[ms("2024-01-01", 9)]?.flow == 7)
        #expect(part.hours[ms("2024-01-01", 8)]?.flow == -7)
    }

    @Test("a transact_time of 10^15 or more is microseconds")
    func microseconds() throws {
        let cache = try FixtureCache()
        let csv = trade(1, "3", "1", ms("2024-01-01", 6) * 1000 + 123, maker: false)
        try cache.list("2024-01", [cache.put(cache.file(.aggTrades, "2024-01"), csv: csv)])
        let part = try compute(cache)
        #expect(part.hours[ms("2024-01-01", 6)]?.flow == 3)
    }

    @Test("a zip with two members: the one named like the zip is read, the other ignored")
    func twoMembers() throws {
        let cache = try FixtureCache()
        let file = cache.file(.aggTrades, "2024-01")
        try cache.put(file, zip: ZipWriter.zip([
            .init(name: "nested/\(file.csvName)", text: trade(1, "1", "999", ms("2024-01-01", 0), maker: false)),
            .init(name: file.csvName, text: twentyTrades),
        ]))
        try cache.list("2024-01", [file])
        let part = try compute(cache)
        #expect(part.trades == 20)
        #expect(part.threshold == 20)
    }

    @Test("a ZIP64 zip and a stored member read like any other")
    func zip64Stored() throws {
        let cache = try FixtureCache()
        let file = cache.file(.aggTrades, "2024-01")
        try cache.put(file, zip: ZipWriter.zip([.init(name: file.csvName, text: twentyTrades, deflate: false)], zip64: true))
        try cache.list("2024-01", [file])
        #expect(try compute(cache).threshold == 20)
    }

    @Test("a corrupt deflate stream is an error naming the zip")
    func corruptDeflate() throws {
        let cache = try FixtureCache()
        let file = cache.file(.aggTrades, "2024-01")
        let big = String(repeating: twentyTrades, count: 50)
        try cache.put(file, zip: ZipWriter.zip([.init(name: file.csvName, data: Array(big.utf8), corruptCompressedData: true)]))
        try cache.list("2024-01", [file])
        let error = #expect(throws: DataError.self) { try compute(cache) }
        #expect(error?.file.hasSuffix(file.path + ": member '\(file.csvName)'") == true)
    }

    @Test("a CRC-32 mismatch is an error, though every byte inflated")
    func crcMismatch() throws {
        let cache = try FixtureCache()
        let file = cache.file(.aggTrades, "2024-01")
        try cache.put(file, zip: ZipWriter.zip([.init(name: file.csvName, data: Array(twentyTrades.utf8), recordedCRC: 0xDEAD_BEEF)]))
        try cache.list("2024-01", [file])
        let error = #expect(throws: DataError.self) { try compute(cache) }
        #expect(error?.message.contains("CRC-32") == true)
        #expect(error?.message.contains("deadbeef") == true)
    }

    @Test("a short row names the file and line", arguments: [false, true])
    func shortRow(header: Bool) throws {
        let cache = try FixtureCache()
        let file = cache.file(.aggTrades, "2024-01")
        let csv = (header ? aggTradesHeader : "") + trade(1, "1", "1", ms("2024-01-01"), maker: false) + "2,1.5,3,2,2\n"
        try cache.list("2024-01", [cache.put(file, csv: csv)])
        let error = #expect(throws: DataError.self) { try compute(cache) }
        #expect(error?.description == "BTCUSDT-aggTrades-2024-01.csv:\(header ? 3 : 2): expected 7 fields, got 5")
    }

    @Test("a bad number names the column, the file and the line")
    func badNumber() throws {
        let cache = try FixtureCache()
        let file = cache.file(.aggTrades, "2024-01")
        try cache.list("2024-01", [cache.put(file, csv: twentyTrades + "21,4x2,1,21,21,\(ms("2024-01-02")),true\n")])
        let error = #expect(throws: DataError.self) { try compute(cache) }
        #expect(error?.description == "BTCUSDT-aggTrades-2024-01.csv:21: price: expected a number, got '4x2'")
    }

    @Test("the line number is right across the inflater's chunks")
    func lineNumberAcrossChunks() throws {
        let cache = try FixtureCache()
        let file = cache.file(.aggTrades, "2024-01")
        let line = trade(1, "42000.1", "0.001", ms("2024-01-01"), maker: false)
        let count = ZipMemberStream.chunkSize * 3 / line.utf8.count
        let csv = aggTradesHeader + String(repeating: line, count: count) + "oops\n"
        try cache.list("2024-01", [cache.put(file, csv: csv)])
        let error = #expect(throws: DataError.self) { try compute(cache) }
        #expect(error?.line == count + 2)
    }
}
