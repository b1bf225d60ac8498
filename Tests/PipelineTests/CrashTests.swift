import ArchiveFixture
import Common
import Foundation
import Testing

/// Cases 8–9: a stage killed with SIGKILL in the middle of its work leaves no partial
/// file under a final name and a consistent database, and the rerun ends as a clean run.
extension EndToEndTests {
    /// Runs `make targets` and kills the stage's own process (not make's shell around
    /// it) once `working` says it is mid-work; then make must fail. The window can be a
    /// few milliseconds: a run the stage finishes before it is seen is run again from
    /// `prepare`d state, up to five times. Returns when one kill landed.
    func killMidRun(_ stage: String, _ workspace: Workspace, _ server: ArchiveServer, targets: [String] = ["all"],
                    prepare: () async throws -> Void = {},
                    working: @escaping @Sendable (Int32) -> Bool) async throws {
        // /proc/PID/exe names the file itself: .build/release is a symlink
        let binary = URL(fileURLWithPath: Repository.root + "/.build/release/" + stage).resolvingSymlinksInPath().path
        for _ in 1...5 {
            try await prepare()
            let make = try Run.start("/usr/bin/env", ["make"] + workspace.makeArguments(targets, archive: archive, baseURL: server.baseURL))
            let killed = await Task.detached { Run.killMidWork(binary, timeout: .seconds(120), working: working) }.value
            let result = await make.wait()
            if killed != nil {
                #expect(!result.succeeded, "make fails when \(stage) is killed:\n\(result)")
                return
            }
        }
        Issue.record("\(stage) was never caught mid-work in five runs")
    }

    @Test("kill -9 of stage-download mid-file, then a rerun: identical final outputs")
    func killedDownload() async throws {
        let expected = try await cleanOutputs(archive)
        let stalled = TestArchive.path(archive.file("ETHUSDT", .aggTrades, "2024-01"))
        try await ArchiveServer.with(files: archive.served) { server in
            server.inject(.stall(afterBytes: 1000), at: stalled, times: .max)
            let workspace = try Workspace()
            let make = try Run.start("/usr/bin/env", ["make"] + workspace.makeArguments(["all"], archive: archive, baseURL: server.baseURL))
            let deadline = ContinuousClock.now + .seconds(60)
            while server.requests(at: stalled) == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try #require(server.requests(at: stalled) > 0, "stage-download asked for the stalled file within 60 s")
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
            // killed while it reads a month's trades out of their zip
            let archiveDirectory = workspace.cache + "/archive/"
            try await killMidRun("stage-flow", workspace, server, prepare: {
                try? FileManager.default.removeItem(atPath: workspace.cache + "/series")
            }) { pid in
                Run.openFiles(pid).contains { $0.hasPrefix(archiveDirectory) && $0.contains("aggTrades") }
            }
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
            // killed once its transaction has begun writing: the WAL exists and has grown
            let wal = workspace.db + "-wal"
            try await killMidRun("stage-load", workspace, server, targets: ["load"], prepare: {
                for file in [workspace.db, wal, workspace.db + "-shm"] { try FileSystem.remove(file) }
            }) { _ in
                (FileSystem.fileSize(wal) ?? 0) > 0
            }
            #expect(FileSystem.exists(workspace.db), "the kill came after the database was created")
            #expect(try Database.integrityCheck(workspace.db) == "ok")
            let rows = try Database.rows(workspace.db)
            #expect(rows.isEmpty || rows.count == expected.rows.count, "a load is one transaction: all or nothing")
            let rerun = try await makeAll(workspace, server)
            try #require(rerun.succeeded, "\(rerun)")
            #expect(try Outputs.of(workspace) == expected)
        }
    }
}
