import ArchiveFixture
import Common
import Foundation
import Testing

/// Cases 8–9: a stage killed with SIGKILL in the middle of writing leaves no partial
/// file under a final name and a consistent database, and the rerun ends as a clean
/// run. Each kill is asserted to land mid-write: the stage is stopped (SIGSTOP) at the
/// moment, what it had written is looked at (its `NAME.PID.tmp`, the database's WAL),
/// and only then is it killed. A moment missed (a file renamed between the look and
/// the stop, a run that ended first) is tried again, a bounded number of times; a
/// test whose moment never comes fails.
extension EndToEndTests {
    /// Runs of make a kill test may take to catch its moment.
    static let attempts = 8

    /// Runs make `targets` in `workspace` after `prepare` until `catchMoment` stops the
    /// stage (nil: make ended first) and `atTheKill`, looking at what the stopped stage
    /// had written, says it is the moment (nil: it had moved past it, and goes on); then
    /// kills the stage, and make must fail. Returns what `atTheKill` returned; nil, with
    /// an issue recorded, when no run was caught.
    func killMidWrite<T>(_ stage: String, _ workspace: Workspace, targets: [String], baseURL: String, extra: [String] = [],
                         attempts: Int = Self.attempts, prepare: () throws -> Void = {},
                         catchMoment: (Run.Started) async -> MidWork.Stopped?,
                         atTheKill: (MidWork.Stopped) throws -> T?,
                         sourceLocation: SourceLocation = #_sourceLocation) async throws -> T? {
        for _ in 1...attempts {
            try prepare()
            let make = try Run.start("/usr/bin/env", ["make"] + workspace.makeArguments(targets, archive: archive, baseURL: baseURL, extra: extra))
            guard let stopped = await catchMoment(make) else {
                _ = await make.wait()
                continue
            }
            let seen: T?
            do {
                seen = try atTheKill(stopped)
            } catch {
                stopped.kill()
                _ = await make.wait()
                throw error
            }
            guard let seen else {
                stopped.resume()
                _ = await make.wait()
                continue
            }
            stopped.kill()
            let result = await make.wait()
            #expect(!result.succeeded, "make fails when \(stage) is killed:\n\(result)", sourceLocation: sourceLocation)
            return seen
        }
        Issue.record("\(stage) was never caught mid-write in \(attempts) runs of make \(targets.joined(separator: " "))",
                     sourceLocation: sourceLocation)
        return nil
    }

    /// Stops `stage` once one of `directories` (made here when missing) holds a temporary
    /// file of its own whose name `wanted` accepts; nil when make ends first.
    func stopWriting(_ stage: String, in directories: [String], _ make: Run.Started,
                     wanted: @escaping @Sendable (String) -> Bool) async -> MidWork.Stopped? {
        for directory in directories { try? FileSystem.createDirectories(directory) }
        return await MidWork.stopMidWrite(Repository.executable(stage), in: directories, until: .now + .seconds(120),
                                   while: { make.isRunning }, wanted: wanted)?.0
    }

    @Test("kill -9 of stage-download while a zip streams into its NAME.PID.tmp: nothing under the zip's name; the rerun ends as a clean run")
    func killedDownload() async throws {
        let expected = try await cleanOutputs(archive)
        let file = archive.file("ETHUSDT", .aggTrades, "2024-01")
        try await ArchiveServer.with(files: archive.served) { server in
            // the zip's body stops after 1,000 bytes: stage-download waits, its temporary file open
            server.inject(.stall(afterBytes: 1000), at: TestArchive.path(file), times: .max)
            let workspace = try Workspace()
            let zip = workspace.layout.archive(file)
            // the stall holds the moment for TIMEOUT (30 s): one run must catch it
            let killed = try await killMidWrite("stage-download", workspace, targets: ["all"], baseURL: server.baseURL, attempts: 1) { make in
                await stopWriting("stage-download", in: [FileSystem.parent(of: zip)], make) { $0.hasPrefix(file.zipName + ".") }
            } atTheKill: { stopped in
                let temporary = zip + ".\(stopped.pid).tmp"
                #expect(FileSystem.exists(temporary), "the zip streams into \(temporary)")
                #expect(!FileSystem.exists(zip), "and not under its name")
                return temporary
            }
            let temporary = try #require(killed)
            #expect(FileSystem.exists(temporary), "the killed run left its temporary file")
            #expect(!FileSystem.exists(zip), "the half-downloaded zip is not under its name")

            server.clearFaults(at: TestArchive.path(file))
            let rerun = try await makeAll(workspace, server)
            try #require(rerun.succeeded, "\(rerun)")
            #expect(try Outputs.of(workspace) == expected)
            #expect(workspace.leftoverTemporaryFiles().isEmpty, "the rerun removed what the killed run left")
        }
    }

    @Test("kill -9 of stage-flow month between its two writes (threshold written, part in NAME.PID.tmp): the rerun ends as a clean run")
    func killedFlowMonth() async throws {
        let expected = try await cleanOutputs(archive)
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await workspace.make(["download"], archive: archive, baseURL: server.baseURL).succeeded)
            let months = archive.symbols.map { FileSystem.parent(of: workspace.layout.monthPart($0, archive.end.month)) }
            // a month's part, `YYYY-MM.csv.PID.tmp`: its threshold, `YYYY-MM.threshold.csv`, is written before it
            let killed = try await killMidWrite("stage-flow", workspace, targets: ["flow"], baseURL: server.baseURL, prepare: {
                TemporaryDirectory.removeTree(workspace.cache + "/series")
            }) { make in
                await stopWriting("stage-flow", in: months, make) { Self.isMonthPartTemporary($0) }
            } atTheKill: { stopped -> (temporary: String, part: String)? in
                guard let temporary = months.lazy.compactMap({ directory in
                    MidWork.names(in: directory).first { $0.hasSuffix(".\(stopped.pid).tmp") && Self.isMonthPartTemporary($0) }
                        .map { directory + "/" + $0 } }).first else { return nil }
                let part = String(temporary.dropLast(".\(stopped.pid).tmp".count))
                #expect(FileSystem.exists(part.dropLast(".csv".count) + ".threshold.csv"), "the month's threshold is in place before its part")
                #expect(!FileSystem.exists(part), "the part, make's target, is not")
                return (temporary, part)
            }
            let (temporary, part) = try #require(killed)
            #expect(FileSystem.exists(temporary), "the killed run left its temporary file")
            #expect(!FileSystem.exists(part), "no part under its name")

            let rerun = try await makeAll(workspace, server)
            try #require(rerun.succeeded, "\(rerun)")
            #expect(try Outputs.of(workspace) == expected)
            #expect(workspace.leftoverTemporaryFiles().isEmpty, "the rerun removed what the killed run left")
        }
    }

    @Test("kill -9 of stage-flow join while it writes a series into its NAME.PID.tmp: thresholds.csv, written after them, is absent; the rerun ends as a clean run")
    func killedFlowJoin() async throws {
        let expected = try await cleanOutputs(archive)
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            try #require(try await workspace.make(["flow"], archive: archive, baseURL: server.baseURL).succeeded)
            let series = archive.symbols.map { workspace.layout.series($0) }
            // the months are done: make flow runs only the joins, which write series/SYM/*.csv
            let killed = try await killMidWrite("stage-flow", workspace, targets: ["flow"], baseURL: server.baseURL, prepare: {
                for directory in series {
                    for name in MidWork.names(in: directory) where name.hasSuffix(".csv") { try FileSystem.remove(directory + "/" + name) }
                }
            }) { make in
                await stopWriting("stage-flow", in: series, make) { $0.hasSuffix(".tmp") && !$0.hasPrefix("thresholds.csv.") }
            } atTheKill: { stopped -> String? in
                guard let temporary = series.lazy.compactMap({ directory in
                    MidWork.names(in: directory).first { $0.hasSuffix(".\(stopped.pid).tmp") && !$0.hasPrefix("thresholds.csv.") }
                        .map { directory + "/" + $0 } }).first
                else { return nil }
                #expect(!FileSystem.exists(FileSystem.parent(of: temporary) + "/thresholds.csv"),
                        "thresholds.csv, make's target of the join, is written after every series")
                return temporary
            }
            let temporary = try #require(killed)
            #expect(FileSystem.exists(temporary), "the killed run left its temporary file")
            for directory in series {
                for name in MidWork.names(in: directory) where name.hasSuffix(".csv") {
                    #expect(try workspace.text(directory + "/" + name).hasSuffix("\n"), "\(name) is whole")
                }
            }

            let rerun = try await makeAll(workspace, server)
            try #require(rerun.succeeded, "\(rerun)")
            #expect(try Outputs.of(workspace) == expected)
            #expect(workspace.leftoverTemporaryFiles().isEmpty, "the rerun removed what the killed run left")
        }
    }

    /// `YYYY-MM.csv.PID.tmp`: a month part's temporary file (not its threshold's).
    static func isMonthPartTemporary(_ name: String) -> Bool {
        let parts = name.split(separator: ".")
        return parts.count == 4 && parts[0].count == 7 && parts[1] == "csv" && Int(parts[2]) != nil && parts[3] == "tmp"
    }

    @Test("kill -9 of stage-load after its transaction spilled pages into the WAL, before COMMIT: the table holds no rows; the rerun loads a clean load's rows")
    func killedLoad() async throws {
        // Prices files made here, 2 × 17,280 events: about 5 MB of pages, more than SQLite's page
        // cache holds (2 MB), so the one transaction writes pages into the WAL long before its COMMIT.
        // make takes them as they are (-o): no download, no stage before the load.
        let workspace = try Workspace(), clean = try Workspace()
        let extra = try Self.writeManyPrices(workspace, archive), cleanExtra = try Self.writeManyPrices(clean, archive)
        let closed = ClosedPort.url()
        let cleanLoad = try await clean.make(["load"], archive: archive, baseURL: closed, extra: cleanExtra)
        try #require(cleanLoad.succeeded, "\(cleanLoad)")
        let expected = try Database.rows(clean.db)
        try #require(expected.count == 2 * 17_280)

        let wal = workspace.db + "-wal"
        let spilled = Int64(WALFrames.headerSize + 64 * (WALFrames.frameHeaderSize + 4096))   // 64 pages written
        let killed = try await killMidWrite("stage-load", workspace, targets: ["load"], baseURL: closed, extra: extra, prepare: {
            for file in [workspace.db, wal, workspace.db + "-shm"] { try FileSystem.remove(file) }
        }) { make in
            await MidWork.stop(Repository.executable("stage-load"), until: .now + .seconds(120), while: { make.isRunning }) { _ in
                (FileSystem.fileSize(wal) ?? 0) >= spilled
            }
        } atTheKill: { _ -> WALFrames? in
            let frames = WALFrames.read(wal)
            if frames.commits == [frames.count - 1] { return nil }   // its COMMIT was written: too late, go on
            #expect(frames.commits.isEmpty, "no COMMIT in the WAL before the load's end: commit frames \(frames.commits) of \(frames.count)")
            return frames
        }
        let frames = try #require(killed)
        #expect(frames.count >= 64 && frames.commits.isEmpty, "killed with \(frames.count) pages of its transaction in the WAL, no COMMIT")
        #expect(try Database.integrityCheck(workspace.db) == "ok")
        #expect(try Database.rows(workspace.db) == [], "a load is one transaction: killed before its COMMIT, it left no row")

        let rerun = try await workspace.make(["load"], archive: archive, baseURL: closed, extra: extra)
        try #require(rerun.succeeded, "\(rerun)")
        #expect(try Database.rows(workspace.db) == expected, "the rerun loads what a clean load does")
    }

    /// Writes prices files for `archive`'s symbols into `workspace`: an event at every
    /// hour of the range for every dimension and window (17,280 a symbol over 40 days).
    /// Returns make's options that take them as they are.
    static func writeManyPrices(_ workspace: Workspace, _ archive: TestArchive) throws -> [String] {
        let range = ArchiveRange(end: archive.end, days: archive.days)
        let hours = Int((range.end.startMillis - range.start.startMillis) / Time.hour)
        var options: [String] = []
        for symbol in archive.symbols {
            var events: [PricedEvent] = []
            for dimension in Dimension.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
                for window in [7, 30, 90] {
                    for h in 0..<hours {
                        let t = range.start.startMillis + Millis(h) * Time.hour
                        let close = 100 + Double(h % 97)
                        events.append(PricedEvent(key: EventKey(symbol: symbol.short, dimension: dimension.rawValue, windowDays: window, triggeredAt: t),
                                                  value: 1.5 + Double(h % 13), percentile: 90 + Double(h % 10),
                                                  prices: Prices(atTrigger: close, after: [close + 1, close - 1, close + 2, nil])))
                    }
                }
            }
            let path = workspace.layout.prices(symbol)
            try PricesFile.write(events, to: path)
            options += ["-o", path]
        }
        return options
    }
}

/// The frames of a SQLite WAL file (sqlite.org/fileformat2.html, "WAL File Format"): how
/// many of the current generation, and which of them end a transaction (a commit frame
/// holds the database's size after the commit; any other frame, 0).
struct WALFrames {
    static let headerSize = 32, frameHeaderSize = 24
    var count = 0
    var commits: [Int] = []

    static func read(_ path: String) -> WALFrames {
        var frames = WALFrames()
        guard let bytes = try? FileSystem.readFile(path), bytes.count >= headerSize else { return frames }
        func u32(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        let pageSize = Int(u32(8)), salts = (u32(16), u32(20))
        var offset = headerSize
        while pageSize > 0, offset + frameHeaderSize + pageSize <= bytes.count, (u32(offset + 8), u32(offset + 12)) == salts {
            if u32(offset + 4) != 0 { frames.commits.append(frames.count) }
            frames.count += 1
            offset += frameHeaderSize + pageSize
        }
        return frames
    }
}
