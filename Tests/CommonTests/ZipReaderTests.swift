import ArchiveFixture
import Foundation
import Testing
import TestSupport
@testable import Common

@Suite("streaming zip reader")
struct ZipReaderTests {
    func write(_ bytes: [UInt8]) throws -> String {
        let path = try TemporaryDirectory("ziptest").file("test.zip")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func read(_ path: String, _ member: String) throws -> [UInt8] {
        var out: [UInt8] = []
        try ZipMemberStream(zipPath: path, member: member).forEachChunk { out.append(contentsOf: $0) }
        return out
    }

    /// Deterministic bytes that compress, several chunks long.
    var payload: [UInt8] {
        var generator = UInt32(7)
        return (0..<(ZipMemberStream.chunkSize * 5 / 2)).map { i in
            generator = generator &* 1_103_515_245 &+ 12345
            return i % 50 == 49 ? 10 : UInt8(48 + (generator >> 16) % 10)
        }
    }

    @Test("a deflated member reads back byte for byte, across chunks", arguments: [false, true])
    func roundTrip(zip64: Bool) throws {
        let data = payload
        let path = try write(ZipWriter.zip([.init(name: "a.csv", data: data)], zip64: zip64))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try read(path, "a.csv") == data)
    }

    @Test("a stored member reads back")
    func stored() throws {
        let path = try write(ZipWriter.zip([.init(name: "a.csv", data: Array("1,2\n".utf8), deflate: false)]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try read(path, "a.csv") == Array("1,2\n".utf8))
    }

    @Test("an empty member reads as nothing")
    func empty() throws {
        let path = try write(ZipWriter.zip([.init(name: "a.csv", data: [])]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try read(path, "a.csv").isEmpty)
    }

    @Test("the member is picked by name; a missing one is an error listing what is there")
    func byName() throws {
        let path = try write(ZipWriter.zip([.init(name: "../evil.csv", text: "x\n"), .init(name: "b.csv", text: "b\n")]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try read(path, "b.csv") == Array("b\n".utf8))
        #expect(try ZipMemberStream(zipPath: path, member: "b.csv").otherMembers == ["../evil.csv"])
        let error = #expect(throws: DataError.self) { try read(path, "a.csv") }
        #expect(error?.message == "no member named 'a.csv' (found: ../evil.csv, b.csv)")
    }

    @Test("a truncated zip is an error, at any cut", arguments: [0, 10, 21, 100, 1000, -1, -22, -30])
    func truncated(cut: Int) throws {
        let whole = ZipWriter.zip([.init(name: "a.csv", data: payload)])
        let bytes = cut >= 0 ? Array(whole.prefix(cut)) : Array(whole.dropLast(-cut))
        let path = try write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: DataError.self) { try read(path, "a.csv") }
    }

    @Test("a corrupt deflate stream and a CRC mismatch are errors")
    func corrupt() throws {
        let bad = try write(ZipWriter.zip([.init(name: "a.csv", data: payload, corruptCompressedData: true)]))
        let crc = try write(ZipWriter.zip([.init(name: "a.csv", data: payload, recordedCRC: 1)]))
        defer { try? FileManager.default.removeItem(atPath: bad); try? FileManager.default.removeItem(atPath: crc) }
        #expect(throws: DataError.self) { try read(bad, "a.csv") }
        let error = #expect(throws: DataError.self) { try read(crc, "a.csv") }
        #expect(error?.message.hasPrefix("CRC-32 ") == true)
    }

    @Test("an error thrown by the consumer stops the reader and comes out")
    func consumerError() throws {
        struct Stop: Error {}
        let path = try write(ZipWriter.zip([.init(name: "a.csv", data: payload)]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var calls = 0
        #expect(throws: Stop.self) {
            try ZipMemberStream(zipPath: path, member: "a.csv").forEachChunk { _ in
                calls += 1
                throw Stop()
            }
        }
        #expect(calls == 1)
    }

    @Test("CSV lines: header detected from the first byte, \\r dropped, empty lines skipped")
    func csvLines() throws {
        let file = ArchiveFile(symbol: try Symbol("BTC"), dataset: .fundingRate, period: .month(Month("2024-01")!))
        for text in ["calc_time,funding_interval_hours,last_funding_rate\r\n1,8,0.1\r\n\r\n2,8,0.2", "1,8,0.1\n2,8,0.2\n"] {
            let path = try write(ZipWriter.zip([.init(name: file.csvName, text: text)]))
            defer { try? FileManager.default.removeItem(atPath: path) }
            var rows: [String] = []
            try CSVReader(zipPath: path, file: file, columns: Dataset.fundingRate.columns).forEachLine { line in
                rows.append("\(line.number):\(try line.integer(0, "calc_time")):\(try line.double(2, "rate"))")
            }
            #expect(rows == (text.hasPrefix("calc") ? ["2:1:0.1", "4:2:0.2"] : ["1:1:0.1", "2:2:0.2"]))
        }
    }

    @Test("a header that names other columns is an error on line 1")
    func wrongHeader() throws {
        let file = ArchiveFile(symbol: try Symbol("BTC"), dataset: .fundingRate, period: .month(Month("2024-01")!))
        let path = try write(ZipWriter.zip([.init(name: file.csvName, text: "open_time,open,high\n1,2,3\n")]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: DataError.self) {
            try CSVReader(zipPath: path, file: file, columns: Dataset.fundingRate.columns).forEachLine { _ in }
        }
        #expect(error?.line == 1)
    }
}
