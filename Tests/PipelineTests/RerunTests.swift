import ArchiveFixture
import Common
import Foundation
import Testing

/// Cases 10, 11 and 13: reruns and parallel runs change nothing.
extension EndToEndTests {
    @Test("Loading twice gives the same database: no duplicate rows, same bytes")
    func loadTwice() async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await makeAll(workspace, server).succeeded)
            let rows = try Database.rows(workspace.db)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: workspace.db))
            // make the prices look new, so make runs the load again
            for symbol in archive.symbols {
                let prices = workspace.layout.prices(symbol)
                try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: prices)
            }
            let again = try await workspace.make(["load"], archive: archive, baseURL: server.baseURL)
            try #require(again.succeeded, "\(again)")
            #expect(try Database.rows(workspace.db) == rows)
            #expect(Set(rows).count == rows.count, "no duplicate rows")
            #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.db)) == bytes)
        }
    }

    @Test("make -j2 all and make all give byte-identical files")
    func parallelMakeIsIdentical() async throws {
        let expected = try await cleanOutputs(archive)
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            let result = try await makeAll(workspace, server, extra: ["-j2"])
            try #require(result.succeeded, "\(result)")
            let outputs = try Outputs.of(workspace)
            #expect(outputs == expected, "\(outputs.differences(from: expected))")
        }
    }

    @Test("A rerun of a finished make all touches no file")
    func rerunIsANoOp() async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await makeAll(workspace, server).succeeded)
            let times = try workspace.modificationTimes()
            let bytes = try workspace.snapshot()
            let rerun = try await makeAll(workspace, server)
            try #require(rerun.succeeded, "\(rerun)")
            #expect(try workspace.modificationTimes() == times)
            #expect(try workspace.snapshot() == bytes)
        }
    }
}
