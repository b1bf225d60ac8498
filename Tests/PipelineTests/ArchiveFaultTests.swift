import ArchiveFixture
import Common
import Foundation
import Testing

/// Cases 4–7: the archive serves something wrong for the next morning's new day. The
/// run fails naming the file, yesterday's outputs stay as they were, and once the
/// archive is fixed a rerun ends as a clean run.
extension EndToEndTests {
    /// Runs yesterday's range clean, then today's with `breakArchive` applied to the new
    /// day's BTCUSDT trades; checks the failure and the intact outputs; then `repair`s the
    /// archive and reruns with `rerunExtra`.
    func newDayFails(expecting messages: [String], rerunExtra: [String] = [],
                     breakArchive: (ArchiveServer, ArchiveFile) -> Void,
                     repair: (ArchiveServer, ArchiveFile) -> Void = { _, _ in },
                     afterFailure: (Workspace, ArchiveFile) throws -> Void = { _, _ in }) async throws {
        let today = TestArchive.nextDay
        let expected = try await cleanOutputs(today)
        let newDay = today.file("BTCUSDT", .aggTrades, "2024-02-10")
        try await ArchiveServer.with(files: today.served) { server in
            let workspace = try Workspace()
            let yesterday = try await makeAll(workspace, server)  // END 2024-02-10: the new day is not in range yet
            try #require(yesterday.succeeded, "\(yesterday)")
            let before = try Outputs.of(workspace)

            breakArchive(server, newDay)
            let failed = try await makeAll(workspace, server, archive: today)
            #expect(!failed.succeeded)
            for message in messages { #expect(failed.output.contains(message), "the error names \(message):\n\(failed.output)") }
            #expect(try Outputs.of(workspace) == before, "a failed run leaves the previous outputs as they were")
            #expect(workspace.leftoverTemporaryFiles().isEmpty, "no temporary file is left behind")
            try afterFailure(workspace, newDay)

            repair(server, newDay)
            let rerun = try await makeAll(workspace, server, archive: today, extra: rerunExtra)
            try #require(rerun.succeeded, "\(rerun)")
            // The files equal a clean run's; the database also keeps yesterday's events
            // (a load adds and fills, it never deletes).
            let outputs = try Outputs.of(workspace)
            #expect(outputs.files == expected.files, "\(outputs.differences(from: expected))")
            #expect(Set(expected.rows).isSubset(of: outputs.rows))
        }
    }

    @Test("A checksum mismatch is retried once, then fails naming the file and both hashes; nothing unverified is kept")
    func checksumMismatch() async throws {
        let zip = TestArchive.nextDay.served[TestArchive.path(TestArchive.nextDay.file("BTCUSDT", .aggTrades, "2024-02-10"))]!
        let actual = SyntheticArchive.checksum(of: Array(zip.dropLast(1)) + [zip.last! ^ 1], name: "x").prefix(64)
        try await newDayFails(
            expecting: ["BTCUSDT-aggTrades-2024-02-10.zip", String(decoding: actual, as: UTF8.self)],
            breakArchive: { server, file in
                server.inject(.serve(Array(zip.dropLast(1)) + [zip.last! ^ 1]), at: TestArchive.path(file), times: 2)
            },
            afterFailure: { workspace, file in
                #expect(!FileSystem.exists(workspace.layout.archive(file)), "unverified bytes are never stored under the file's name")
            })
    }

    @Test("A truncated zip whose checksum matches fails in stage-flow naming the zip; REFRESH=1 fetches the re-published file")
    func truncatedZipWithMatchingChecksum() async throws {
        let good = TestArchive.nextDay.served[TestArchive.path(TestArchive.nextDay.file("BTCUSDT", .aggTrades, "2024-02-10"))]!
        try await newDayFails(
            expecting: ["BTCUSDT-aggTrades-2024-02-10.zip"], rerunExtra: ["REFRESH=1"],
            breakArchive: { server, file in server.publish(file, zip: Array(good.prefix(good.count / 2))) },
            repair: { server, file in server.publish(file, zip: good) })
    }

    @Test("A corrupt deflate stream and a CRC-32 mismatch fail naming the file; the re-published file recovers")
    func corruptMember() async throws {
        let today = TestArchive.nextDay
        let file = today.file("BTCUSDT", .aggTrades, "2024-02-10")
        let csv = today.archive.csv[file]!
        let good = today.served[TestArchive.path(file)]!
        for broken in [ZipWriter.Member(name: file.csvName, data: csv, corruptCompressedData: true),
                       ZipWriter.Member(name: file.csvName, data: csv, recordedCRC: 0xDEAD_BEEF)] {
            try await newDayFails(
                expecting: ["BTCUSDT-aggTrades-2024-02-10"], rerunExtra: ["REFRESH=1"],
                breakArchive: { server, file in server.publish(file, zip: ZipWriter.zip([broken])) },
                repair: { server, file in server.publish(file, zip: good) })
        }
    }

    @Test("A malformed CSV row fails with file:line")
    func malformedRow() async throws {
        let today = TestArchive.nextDay
        let file = today.file("BTCUSDT", .aggTrades, "2024-02-10")
        var lines = String(decoding: today.archive.csv[file]!, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[5] = lines[5].split(separator: ",").prefix(5).joined(separator: ",")  // line 6 of the file: 5 fields
        let good = today.served[TestArchive.path(file)]!
        try await newDayFails(
            expecting: ["BTCUSDT-aggTrades-2024-02-10.csv:6", "expected 7 fields, got 5"], rerunExtra: ["REFRESH=1"],
            breakArchive: { server, file in server.publish(file, csv: Array(lines.joined(separator: "\n").utf8)) },
            repair: { server, file in server.publish(file, zip: good) })
    }
}
