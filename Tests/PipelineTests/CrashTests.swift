import ArchiveFixture
import Common
import Foundation
import Testing

/// Cases 8–9: a stage killed with SIGKILL in the middle of its work leaves no partial
/// file under a final name and a consistent database, and the rerun ends as a clean run.
extension EndToEndTests {
    /// Starts `make targets`, kills the first process whose command line has `stage` and
    /// this workspace's cache, and waits for make to fail.
    func killMidRun(_ stage: String, _ workspace: Workspace, _ server: ArchiveServer, targets: [String] = ["all"]) async throws {
        let make = try Run.start("/usr/bin/env", ["make"] + workspace.makeArguments(targets, archive: archive, baseURL: server.baseURL))
        let killed = await Run.killWhenRunning([".build/release/" + stage + " ", workspace.cache])
        let result = await make.wait()
        #expect(killed, "\(stage) was seen running")
        #expect(!result.succeeded, "make fails when \(stage) is killed:\n\(result)")
    }

    @Test("kill -9 of stage-download mid-file, then a rerun: identical final outputs")
    func killedDownload() async throws {
        let expected = try await cleanOutputs(archive)
        let stalled = TestArchive.path(archive.file("ETHUSDT", .aggTrades, "2024-01"))
        try await ArchiveServer.with(files: archive.served) { server in
            server.inject(.stall(afterBytes: 1000), at: stalled, times: .max)
            let workspace = try Workspace()
            let make = try Run.start("/usr/bin/env", ["make"] + workspace.makeArguments(["all"], archive: archive, baseURL: server.baseURL))
            while server.requests(at: stalled) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            #expect(await Run.killWhenRunning([".build/release/stage-download ", workspace.cache]))
            #expect(!(await make.wait()).succeeded)
            #expect(!FileSystem.exists(workspace.layout.archive(archive.file("ETHUSDT", .aggTrades, "2024-01"))),
                    "the half-downloaded file is not under its name")

            server.clearFaults(at: stalled)
            let rerun = try await makeAll(workspace, server)
            try #require(rerun.succeeded, "\(rerun)")
            #expect(try Outputs.of(workspace) == expected)
            #expect(workspace.leftoverTemporaryFiles().isEmpty, "the rerun cleans what the killed run left")
        }
    }

    @Test("kill -9 of stage-flow mid-run, then a rerun: no partial series, identical outputs")
    func killedFlow() async throws {
        let expected = try await cleanOutputs(archive)
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await workspace.make(["download"], archive: archive, baseURL: server.baseURL).succeeded)
            try await killMidRun("stage-flow", workspace, server)
            for symbol in archive.symbols {
                for name in ["flow_1h", "taker_ratio", "thresholds"] where FileSystem.exists(workspace.layout.series(symbol, name)) {
                    let text = try workspace.text(workspace.layout.series(symbol, name))
                    #expect(text.hasSuffix("\n"), "a series file is whole or absent")
                }
            }
            let rerun = try await makeAll(workspace, server)
            try #require(rerun.succeeded, "\(rerun)")
            #expect(try Outputs.of(workspace) == expected)
            #expect(workspace.leftoverTemporaryFiles().isEmpty)
        }
    }

    @Test("kill -9 of stage-load mid-run, then a rerun: the database is consistent and ends as a clean one")
    func killedLoad() async throws {
        let expected = try await cleanOutputs(archive)
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await workspace.make(["prices"], archive: archive, baseURL: server.baseURL).succeeded)
            try await killMidRun("stage-load", workspace, server, targets: ["load"])
            if FileSystem.exists(workspace.db) {
                #expect(try Database.integrityCheck(workspace.db) == "ok")
                let rows = try Database.rows(workspace.db)
                #expect(rows.isEmpty || rows.count == expected.rows.count, "a load is one transaction: all or nothing")
            }
            let rerun = try await makeAll(workspace, server)
            try #require(rerun.succeeded, "\(rerun)")
            #expect(try Outputs.of(workspace) == expected)
        }
    }
}
