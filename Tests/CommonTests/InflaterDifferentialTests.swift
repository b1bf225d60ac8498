import ArchiveFixture
import Foundation
import Testing
import TestSupport
@testable import Common

/// zlib and ISA-L (where this build has it) inflate the same members, well-formed,
/// truncated and corrupt, to the same bytes, CRC-32 and errors; each kind is also
/// checked against the known answer, so the suite fails in a zlib-only build too.
@Suite("inflaters: zlib and ISA-L agree")
struct InflaterDifferentialTests {
    /// What reading a member gives: its bytes, or the error's message (a corrupt stream's
    /// message names the library's own reason and position: only its start is compared).
    enum Outcome: Equatable, CustomStringConvertible {
        case bytes([UInt8])
        case error(String)

        var description: String {
            switch self {
            case .bytes(let b): return "\(b.count) bytes"
            case .error(let m): return m
            }
        }
    }

    func outcome(_ zip: [UInt8], _ kind: InflaterKind) throws -> Outcome {
        let path = try TemporaryDirectory("inflate").file("test.zip")
        try Data(zip).write(to: URL(fileURLWithPath: path))
        do {
            var out: [UInt8] = []
            try ZipMemberStream(zipPath: path, member: "a.csv", inflater: kind).forEachChunk { out.append(contentsOf: $0) }
            return .bytes(out)
        } catch let error as DataError {
            #expect(error.file == "\(path): member 'a.csv'")
            let corrupt = "corrupt deflate stream after "
            return .error(error.message.hasPrefix(corrupt) ? corrupt : error.message)
        }
    }

    /// Every available kind gives `expected` (nil: some error, the same for all kinds).
    func check(_ archive: [UInt8], _ expected: Outcome?, _ comment: Comment) throws {
        let outcomes = try InflaterKind.available.map { try outcome(archive, $0) }
        if let expected {
            for (kind, outcome) in zip(InflaterKind.available, outcomes) {
                #expect(outcome == expected, "\(kind): \(comment)")
            }
        } else {
            for (kind, outcome) in zip(InflaterKind.available, outcomes) {
                guard case .error = outcome else { Issue.record("\(kind) read a corrupt member: \(comment)"); continue }
            }
        }
        #expect(Set(outcomes.map(\.description)).count == 1, "kinds disagree: \(outcomes) (\(comment))")
    }

    /// CSV-like text over several chunks, random bytes (deflate's stored blocks), and edge sizes.
    static var payloads: [[UInt8]] {
        var random = SeededRandom(seed: 14)
        var csv: [UInt8] = []
        var id = 1_000_000
        while csv.count < ZipMemberStream.chunkSize * 5 / 2 {
            id += 1
            let price = 42_000 + Int(random.next() % 2000)
            csv += Array("\(id),\(price).\(random.next() % 10),0.\(random.next() % 1000),\(id),\(id),\(1_704_067_200_000 + id),\(random.next() % 2 == 0 ? "true" : "false")\n".utf8)
        }
        let noise = (0..<(300_000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        return [csv, noise, [], Array("1,2\n".utf8), [UInt8](repeating: 0x41, count: 1 << 20)]
    }

    @Test("well-formed members: the same bytes at every level, stored or deflated")
    func wellFormed() throws {
        for (i, data) in Self.payloads.enumerated() {
            for level: Int32 in [1, 6, 9] {
                try check(ZipWriter.zip([.init(name: "a.csv", data: data)], level: level), .bytes(data), "payload \(i) level \(level)")
            }
            try check(ZipWriter.zip([.init(name: "a.csv", data: data, deflate: false)]), .bytes(data), "payload \(i) stored")
        }
    }

    @Test("a deflate stream cut short is truncated, at any cut")
    func truncatedStream() throws {
        for (i, data) in Self.payloads.enumerated() where !data.isEmpty {
            let stream = ZipWriter.deflate(data)
            for cut in Set([0, 1, 2, 100, stream.count / 2, stream.count - 2, stream.count - 1]) where cut >= 0 && cut < stream.count {
                let zip = ZipWriter.zip([.init(name: "a.csv", data: data, compressed: Array(stream.prefix(cut)))])
                try check(zip, .error("deflate stream is truncated: it does not end within its \(cut) compressed bytes"), "payload \(i) cut \(cut)")
            }
        }
    }

    @Test("bytes after the end of the deflate stream are an error naming where it ended")
    func trailingBytes() throws {
        for (i, data) in Self.payloads.enumerated() {
            let stream = ZipWriter.deflate(data)
            for extra in [[0], [1, 2, 3], Array(repeating: 0xFF, count: 9), Array(repeating: 7, count: 5000)] as [[UInt8]] {
                let zip = ZipWriter.zip([.init(name: "a.csv", data: data, compressed: stream + extra)])
                try check(zip, .error("deflate stream ends after \(stream.count) of \(stream.count + extra.count) compressed bytes"),
                          "payload \(i), \(extra.count) bytes after")
            }
        }
    }

    @Test("a wrong CRC-32 is the same error; a corrupt stream is an error for both")
    func corrupt() throws {
        for (i, data) in Self.payloads.enumerated() where data.count > 100 {
            let crc = ZipWriter.crc32(data)
            let digits = String(crc, radix: 16)
            let hex = String(repeating: "0", count: 8 - digits.count) + digits
            try check(ZipWriter.zip([.init(name: "a.csv", data: data, recordedCRC: crc ^ 1)]),
                      .error("CRC-32 \(hex) does not match the zip's \(String(format: "%08x", crc ^ 1)): the data is corrupt"), "payload \(i)")
            try check(ZipWriter.zip([.init(name: "a.csv", data: data, corruptCompressedData: true)]), nil, "payload \(i) corrupt")
        }
    }

    @Test("single flipped bytes anywhere in the stream: the kinds agree on every one", .requires(.isal))
    // (A flip in the last byte's padding bits changes nothing: reading the original is then right.)
    func flippedBytes() throws {
        let data = Self.payloads[0]
        let stream = ZipWriter.deflate(data)
        var random = SeededRandom(seed: 1414)
        for _ in 0..<40 {
            var bad = stream
            let at = Int(random.next() % UInt64(bad.count))
            bad[at] ^= UInt8(1 + random.next() % 255)
            let outcomes = try InflaterKind.available.map { try outcome(ZipWriter.zip([.init(name: "a.csv", data: data, compressed: bad)]), $0) }
            #expect(Set(outcomes.map(\.description)).count == 1, "byte \(at): \(outcomes)")
        }
    }

    @Test("each inflater, fed in small pieces into small buffers, writes the bytes and CRC-32 zlib computes")
    func rawInflaters() throws {
        for (i, data) in Self.payloads.enumerated() {
            let stream = ZipWriter.deflate(data)
            for kind in InflaterKind.available {
                let inflater = try kind.inflater(name: "payload \(i)")
                var out: [UInt8] = []
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 3000, alignment: 16)
                defer { buffer.deallocate() }
                var offset = 0, ended = false, crc: UInt32 = 0
                try stream.withUnsafeBytes { input in
                    while !ended {
                        if inflater.needsInput && offset < input.count {
                            let piece = min(7001, input.count - offset)
                            inflater.setInput(UnsafeRawBufferPointer(rebasing: input[offset..<(offset + piece)]))
                            offset += piece
                        }
                        let step = try inflater.inflate(into: buffer)
                        let written = UnsafeRawBufferPointer(rebasing: buffer[0..<step.written])
                        out.append(contentsOf: written)
                        crc = kind.crc32(crc, written)
                        ended = step.ended
                        if !ended && step.written == 0 && offset == input.count && inflater.needsInput { break }
                    }
                }
                #expect(ended, "\(kind) payload \(i): the stream did not end")
                #expect(out == data, "\(kind) payload \(i)")
                #expect(inflater.consumed == UInt64(stream.count), "\(kind) payload \(i)")
                #expect(inflater.unusedInput == 0, "\(kind) payload \(i)")
                #expect(crc == ZipWriter.crc32(data), "\(kind) payload \(i): crc32 of the output")
                if let kept = inflater.crc32 { #expect(kept == ZipWriter.crc32(data), "\(kind) payload \(i): the CRC-32 it kept") }
            }
        }
    }
}
