import ArchiveFixture
import Common
import Foundation
import GRDB
import Testing

/// What a cache run every morning needs beyond correct numbers: one run at a time,
/// a cache that heals itself, a load that runs when its inputs changed whoever else
/// writes the database, and reruns that do nothing.
extension EndToEndTests {
    @Test("a second run on a cache in use stops before touching anything, naming the run that holds it")
    func lockedCacheRefusesASecondRun() async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            // This test process stands for a make run that is still going: it takes the lock.
            let taken = try await Run.process(Repository.root + "/tools/cache-lock", [workspace.cache, "\(getpid())", "all"])
            try #require(taken.succeeded && taken.output.isEmpty, "\(taken)")
            defer { for pid in Run.pids(matching: ["backfill-cache-lock", workspace.cache]) { kill(pid, SIGTERM) } }
            let second = try await makeAll(workspace, server)
            #expect(!second.succeeded)
            #expect(second.output.contains("\(workspace.cache) is in use by another run: make all, pid \(getpid()), since "), "\(second)")
            #expect(FileSystem.list(workspace.cache) == ["lock"], "nothing else was written")
            #expect(try FileSystem.readText(workspace.cache + "/lock").isEmpty, "taking the lock writes nothing")
            #expect(server.totalRequests == 0)
        }
    }

    @Test("two make all started together on one cache: exactly one runs; the other stops before writing, naming it; the outputs are a clean run's")
    func twoRunsAtOnce() async throws {
        let expected = try await cleanOutputs(archive)
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            let arguments = ["make"] + workspace.makeArguments(["all"], archive: archive, baseURL: server.baseURL)
            let runs = [try Run.start("/usr/bin/env", arguments), try Run.start("/usr/bin/env", arguments)]
            let results = [await runs[0].wait(), await runs[1].wait()]
            let proceeded = results.indices.filter { results[$0].succeeded }
            try #require(proceeded.count == 1, "exactly one run proceeds:\n\(results[0])\n\(results[1])")
            let (first, refused) = (runs[proceeded[0]].process.processIdentifier, results[1 - proceeded[0]])
            #expect(refused.output.contains("in use by another run"), "\(refused)")
            #expect(Self.pidsNamed(in: refused.output).contains(first), "the refusal names the run that proceeds, pid \(first): \(refused)")
            let lines = refused.output.split(separator: "\n")
            #expect(lines.count == 1, "the refused run stops before any stage runs: its only output is the refusal: \(refused)")
            #expect(try Outputs.of(workspace) == expected)
        }
    }

    /// The numbers that follow "pid " in `text`.
    static func pidsNamed(in text: String) -> [Int32] {
        text.components(separatedBy: "pid ").dropFirst().compactMap { Int32($0.prefix { $0.isNumber }) }
    }

    @Test("the lock dies with its run: a run that ended (killed, crashed) holds nothing")
    func staleLockIsTakenOver() async throws {
        let expected = try await cleanOutputs(archive)
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            // a run that took the lock and is gone a moment later
            let short = try Run.start("/bin/sleep", ["0.3"])
            let taken = try await Run.process(Repository.root + "/tools/cache-lock", [workspace.cache, "\(short.process.processIdentifier)", "all"])
            try #require(taken.succeeded && taken.output.isEmpty, "\(taken)")
            _ = await short.wait()
            let run = try await makeAll(workspace, server)
            try #require(run.succeeded, "\(run)")
            #expect(try Outputs.of(workspace) == expected)
        }
    }

    @Test("a held zip whose bytes went wrong fails stage-flow once, is marked suspect, and the next run fetches it again")
    func cacheHealsACorruptZip() async throws {
        let expected = try await cleanOutputs(archive)
        let file = archive.file("ETHUSDT", .aggTrades, "2024-01")
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await workspace.make(["download"], archive: archive, baseURL: server.baseURL).succeeded)
            try Self.corrupt(workspace.layout.archive(file))   // e.g. two runs wrote it at once
            let failed = try await makeAll(workspace, server)
            #expect(!failed.succeeded)
            #expect(failed.output.contains("ETHUSDT-aggTrades-2024-01"), "\(failed)")
            #expect(FileSystem.exists(workspace.layout.suspect(file)))

            server.resetCounts()
            let healed = try await makeAll(workspace, server)
            try #require(healed.succeeded, "\(healed)")
            #expect(server.requests(at: TestArchive.path(file)) == 1, "fetched again, once")
            #expect(!FileSystem.exists(workspace.layout.suspect(file)))
            #expect(try Outputs.of(workspace) == expected)
        }
    }

    @Test("VERIFY=1 hashes every held zip and fetches again the one whose bytes differ from its CHECKSUM")
    func verifyFetchesAgainWhatDiffers() async throws {
        let file = archive.file("BTCUSDT", .klines, "2024-01")
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await makeAll(workspace, server).succeeded)
            let good = try FileSystem.readFile(workspace.layout.archive(file))
            try Self.corrupt(workspace.layout.archive(file))
            server.resetCounts()
            try #require(try await makeAll(workspace, server).succeeded, "a plain rerun does not hash held files")
            #expect(server.requests(at: TestArchive.path(file)) == 0)
            let verified = try await makeAll(workspace, server, extra: ["VERIFY=1"])
            try #require(verified.succeeded, "\(verified)")
            #expect(server.requests(at: TestArchive.path(file)) == 1)
            #expect(try FileSystem.readFile(workspace.layout.archive(file)) == good)
        }
    }

    @Test("the load runs when its inputs changed, though another program wrote the database since")
    func loadIgnoresTheDatabaseMtime() async throws {
        let expected = try await cleanOutputs(archive)
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await makeAll(workspace, server).succeeded)
            let queue = try DatabaseQueue(path: workspace.db)
            try await queue.write { db in
                try db.execute(sql: "DELETE FROM extreme_events WHERE id IN (SELECT id FROM extreme_events ORDER BY id LIMIT 5)")
            }
            // the prices change (here: are rewritten), then the monitor writes a row of its own, at END
            for symbol in archive.symbols {
                try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: workspace.layout.prices(symbol))
            }
            try await Task.sleep(for: .milliseconds(20))
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO extreme_events (symbol, dimension, window_days, triggered_at) VALUES ('BTC', 'flow_1h', 7, ?)",
                               arguments: [archive.end.startMillis])
            }
            try queue.close()
            let load = try await workspace.make(["load"], archive: archive, baseURL: server.baseURL)
            try #require(load.succeeded, "\(load)")
            let rows = try Database.rows(workspace.db)
            #expect(rows.count == expected.rows.count + 1, "the 5 rows are back; the monitor's row at END stays")
            #expect(Set(expected.rows).isSubset(of: rows))
        }
    }

    @Test("make load with DB naming a directory fails, naming it")
    func databaseDirectory() async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await workspace.make(["prices"], archive: archive, baseURL: server.baseURL).succeeded)
            let result = try await workspace.make(["load"], archive: archive, baseURL: server.baseURL, extra: ["DB=\(workspace.root)"])
            #expect(!result.succeeded)
            #expect(result.output.contains("\(workspace.root): is a directory"), "\(result)")
        }
    }

    @Test("a plain make is make all")
    func defaultGoalIsAll() async throws {
        let workspace = try Workspace()
        let plan = try await Run.process("/usr/bin/env", ["make", "-n"] + workspace.makeArguments([], archive: archive, baseURL: ClosedPort.url()))
        try #require(plan.succeeded, "\(plan)")
        #expect(plan.output.contains("stage-load --db"))
        #expect(plan.output.contains("stage-report --cache"))
    }

    @Test("a rebuild that leaves a stage's binary as it was (a relink) redoes nothing")
    func relinkedBinaryRedoesNothing() async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await makeAll(workspace, server).succeeded)
            let times = try workspace.modificationTimes()
            // make sees the build as new (newer than every stamp), with the same bytes
            let built = Repository.root + "/.build/release/built.mk"
            try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: built)
            var args = workspace.makeArguments(["all"], archive: archive, baseURL: server.baseURL)
            let old = try #require(args.firstIndex(of: ".build/release/built.mk"))
            args.removeSubrange((old - 1)...old)   // `-o .build/release/built.mk`: make looks at it
            let rerun = try await Run.process("/usr/bin/env", ["make"] + args)
            try #require(rerun.succeeded, "\(rerun)")
            let after = try workspace.modificationTimes()
            let changed = after.keys.filter { after[$0] != times[$0] }.sorted()
            #expect(changed.isEmpty, "rewritten: \(changed)")
        }
    }

    /// Flips bytes in the middle of a file, as a second writer would leave it.
    static func corrupt(_ path: String) throws {
        var bytes = try FileSystem.readFile(path)
        for i in stride(from: bytes.count / 2, to: min(bytes.count, bytes.count / 2 + 64), by: 1) { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The start time of `pid` in clock ticks since boot (field 22 of /proc/PID/stat).
    static func startTime(_ pid: pid_t) throws -> String {
        let stat = try FileSystem.readText("/proc/\(pid)/stat")
        let afterName = stat[stat.range(of: ") ", options: .backwards)!.upperBound...]
        return String(afterName.split(separator: " ")[19])
    }
}
