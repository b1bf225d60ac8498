import ArchiveFixture
import Common
import Foundation
import Testing

/// SPEC "The REST tail": a week of mornings, 2024-02-27 to 2024-03-04, each at 06:00 UTC
/// with END the next day (today's closed hours too), on one long-lived CACHE and DB,
/// against the living archive (late days, February's monthly files appearing on 03-03)
/// and a REST API over the same market whose statistics differ from the archive's in
/// their last digit, so every value shows where it came from. Funding, klines, metrics
/// and trades first come from the tail, then from the archive. After every morning:
///
/// - the files (the tail's included) equal a clean run's of the same morning, byte for
///   byte, and the rows over the zone equal as sets (the tail converges);
/// - the archive wins: every series row, event and database row of an hour the archive
///   covers equals a clean archive-only run's (REST_URL=), but for flow_1h in a month
///   the tail holds trades of (the month's threshold counts every trade so far) and the
///   settlements of a month the archive has no funding file of.
///
/// A last morning with END today: the archive covers every hour but the running month's
/// funding, and everything equals the archive-only run but those settlements' rows.
@Suite("The REST tail over a week of mornings", .serialized)
struct TailMorningTests {
    let living = LivingArchive.shared
    static let days = 30
    static let mornings = (0..<7).map { Day("2024-02-27")!.adding(days: $0) }
    static let series: [(name: String, dataset: Dataset)] = [
        ("flow_1h", .aggTrades), ("oi_change_1h", .metrics), ("funding_rate", .fundingRate),
        ("top_position_ratio", .metrics), ("global_account_ratio", .metrics), ("taker_ratio", .metrics),
    ]

    @Test("a week of mornings with a tail: converges to a clean run, and equals an archive-only run where the archive covers")
    func weekOfMornings() async throws {
        let rest = RESTMarket(archive: living.archive, from: Day("2024-01-20")!)
        let daily = try Workspace()
        for morning in Self.mornings {
            let end = morning.adding(days: 1)
            try await ArchiveServer.with(files: living.served(on: morning), rest: rest) { server in
                server.setRESTQuirks(drift: true)
                let refresh = morning == LivingArchive.republishedOn ? ["REFRESH=1"] : []
                let run = try await make(daily, morning, end: end, server, extra: refresh)
                try #require(run.succeeded, "\(morning): \(run)")

                let clean = try Workspace()
                try #require(try await make(clean, morning, end: end, server).succeeded)
                let differences = try Self.files(daily).differences(from: try Self.files(clean))
                #expect(differences.isEmpty, "\(morning): files differ from a clean run's: \(differences)")
                let range = ArchiveRange(end: end, days: Self.days)
                #expect(Set(try Rows.read(daily.db).filter { Rows.inZone($0, range) }) == Set(try Rows.read(clean.db)),
                        "\(morning): rows over the zone differ from a clean run's")
                #expect(FileSystem.exists(daily.cache + "/tail/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-\(end.adding(days: -1).month).csv"),
                        "\(morning): the running month's funding comes from the tail")

                let archiveOnly = try Workspace()
                try #require(try await make(archiveOnly, morning, end: end, server, rest: false).succeeded)
                try expectArchiveWins(daily, archiveOnly, morning)
            }
        }
        // The last morning again, with END today: the archive holds every day; the tail
        // adds the running month's settlements alone.
        let morning = Self.mornings.last!
        try await ArchiveServer.with(files: living.served(on: morning), rest: rest) { server in
            server.setRESTQuirks(drift: true)
            try #require(try await make(daily, morning, end: morning, server).succeeded)
            #expect(TailFile.held(try Symbol("ETHUSDT"), in: daily.layout).map(\.dataset) == [.fundingRate])
            let archiveOnly = try Workspace()
            try #require(try await make(archiveOnly, morning, end: morning, server, rest: false).succeeded)
            let march = Month("2024-03")!
            for symbol in living.symbols {
                for (name, _) in Self.series {
                    var (tail, archive) = (try Self.rows(daily, symbol, name), try Self.rows(archiveOnly, symbol, name))
                    if name == "funding_rate" {
                        #expect(tail.keys.contains { Day(containing: $0).month == march }, "March's settlements come from the tail")
                        tail = tail.filter { Day(containing: $0.key).month != march }
                        archive = archive.filter { Day(containing: $0.key).month != march }
                    }
                    #expect(tail == archive, "\(symbol) \(name): with END today, the series equals the archive-only one")
                }
            }
            // (The rows of the last 48 hours keep the later closes the earlier mornings' tail
            // gave them: a known price is never replaced by null.)
            let rows = { (w: Workspace) in
                try Rows.read(w.db).filter {
                    !($0.dimension == "funding_rate" && Day(containing: $0.triggeredAt).month == march) && $0.triggeredAt + 48 * Time.hour < morning.startMillis
                }
            }
            let range = ArchiveRange(end: morning, days: Self.days)
            let (tailRows, archiveRows) = (Set(try rows(daily).filter { Rows.inZone($0, range) }), Set(try rows(archiveOnly)))
            let sorted = { (rows: Set<Rows>) in rows.sorted { ($0.symbol, $0.dimension, $0.windowDays, $0.triggeredAt) < ($1.symbol, $1.dimension, $1.windowDays, $1.triggeredAt) }.prefix(2).map(\.fields) }
            let (onlyTail, onlyArchive) = (sorted(tailRows.subtracting(archiveRows)), sorted(archiveRows.subtracting(tailRows)))
            #expect(onlyTail.isEmpty && onlyArchive.isEmpty, "\(tailRows.count) vs \(archiveRows.count): \(onlyTail) vs \(onlyArchive)")
        }
    }

    /// Every row of an hour the archive covers equals the archive-only run's (see the suite).
    private func expectArchiveWins(_ daily: Workspace, _ archiveOnly: Workspace, _ morning: Day) throws {
        for symbol in living.symbols {
            let fileList = try VerifiedFileList.read(daily.layout.fileList(symbol))
            var covered: [Dataset: Millis] = [:]
            var tailMonths: [Dataset: Set<Month>] = [:]
            for entry in fileList.entries {
                if entry.file.isTail {
                    tailMonths[entry.file.dataset, default: []].insert(entry.file.period.month)
                } else {
                    covered[entry.file.dataset] = max(covered[entry.file.dataset] ?? .min, entry.file.period.end)
                }
            }
            #expect(tailMonths[.aggTrades] != nil && tailMonths[.metrics] != nil && tailMonths[.klines] != nil,
                    "\(morning) \(symbol): today's hours come from the tail")
            func compared(_ name: String, _ dataset: Dataset, _ time: Millis) -> Bool {
                guard time < covered[dataset] ?? .min else { return false }
                if dataset == .aggTrades || dataset == .fundingRate { return !(tailMonths[dataset]?.contains(Day(containing: time).month) ?? false) }
                return true
            }
            for (name, dataset) in Self.series {
                let tail = try Self.rows(daily, symbol, name).filter { compared(name, dataset, $0.key) }
                let archive = try Self.rows(archiveOnly, symbol, name).filter { compared(name, dataset, $0.key) }
                #expect(tail == archive, "\(morning) \(symbol) \(name): an hour the archive covers differs from the archive-only run")
            }
            // Rows of an hour the archive covers whose prices the archive's klines give too
            // (48 h later: the tail's closes fill the prices an archive-only run lacks yet).
            let events = { (w: Workspace) in
                try Rows.read(w.db).filter { row in
                    row.symbol == symbol.short && row.triggeredAt + 48 * Time.hour < covered[.klines] ?? .min
                        && Self.series.contains { $0.name == row.dimension && compared(row.dimension, $0.dataset, row.triggeredAt) }
                }
            }
            let range = ArchiveRange(end: morning.adding(days: 1), days: Self.days)
            let (tailRows, archiveRows) = (Set(try events(daily).filter { Rows.inZone($0, range) }), Set(try events(archiveOnly)))
            #expect(tailRows == archiveRows, "\(morning) \(symbol): rows of hours the archive covers differ from the archive-only run's: \(tailRows.subtracting(archiveRows).prefix(3)) vs \(archiveRows.subtracting(tailRows).prefix(3))")
        }
    }

    /// `make all` of `morning` at 06:00 with END `end`, the tail on (`rest`) or off.
    private func make(_ workspace: Workspace, _ morning: Day, end: Day, _ server: ArchiveServer, rest: Bool = true,
                      extra: [String] = []) async throws -> ProcessResult {
        var args = ["BACKFILL_NOW=\(morning)T06:00:00Z", "make", "--no-print-directory", "-C", Repository.root]
        for binary in Repository.binaries { args += ["-o", binary] }
        args += ["all", "SYMBOLS=\(living.symbols.map(\.full).joined(separator: " "))", "SYMBOL=",
                 "END=\(end)", "DAYS=\(Self.days)", "CACHE=\(workspace.cache)", "DB=\(workspace.db)",
                 "BASE_URL=\(server.baseURL)", "REST_URL=\(rest ? server.baseURL : "")", "QUIET=1"]
        return try await Run.process("/usr/bin/env", args + extra)
    }

    /// timestamp → value of a series file.
    static func rows(_ workspace: Workspace, _ symbol: Symbol, _ name: String) throws -> [Millis: String] {
        var rows: [Millis: String] = [:]
        for line in try workspace.text(workspace.layout.series(symbol, name)).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            rows[Millis(fields[0])!] = String(fields[1])
        }
        return rows
    }

    /// What a run derives from the archive and the API, by path below CACHE.
    static func files(_ workspace: Workspace) throws -> Outputs {
        var files: [String: Data] = [:]
        for folder in ["download", "tail", "series", "events", "prices", "report"] {
            let base = workspace.cache + "/" + folder
            guard FileSystem.isDirectory(base) else { continue }
            for (path, data) in try workspace.snapshot(below: base) { files[folder + "/" + path] = data }
        }
        return Outputs(files: files, rows: [])
    }
}
