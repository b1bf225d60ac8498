import ArchiveFixture
import Common
import Foundation
import GRDB
import Testing

/// SPEC "The database": daily runs converge. A week of mornings, 2024-02-27 to
/// 2024-03-04, `make all END=<that day> DAYS=30` on one long-lived CACHE and DB
/// against an archive that changes under it (LivingArchive: late days, a file
/// re-published with other bytes and picked up with REFRESH=1, February rolling over
/// to its monthly files, one of which lacks a day, the range start moving from January
/// to February). After
/// every morning the files equal a clean run's byte for byte, and the table's rows
/// over [range start + window_days, END) equal the clean run's as a set.
@Suite("Daily runs on a living archive", .serialized)
struct DailyRunTests {
    let living = LivingArchive.shared
    static let days = 30
    static let mornings = (0..<7).map { Day("2024-02-27")!.adding(days: $0) }

    @Test("a week of mornings: after each, files byte-identical to a clean run's, rows over the zone equal as sets")
    func weekOfMornings() async throws {
        let daily = try Workspace()
        var historySeen = 0
        for morning in Self.mornings {
            let range = ArchiveRange(end: morning, days: Self.days)
            try await ArchiveServer.with(files: living.served(on: morning)) { server in
                let refresh = morning == LivingArchive.republishedOn ? ["REFRESH=1"] : []
                let run = try await make(daily, morning, server, extra: refresh)
                try #require(run.succeeded, "\(morning): \(run)")
                let clean = try Workspace()
                let cleanRun = try await make(clean, morning, server)
                try #require(cleanRun.succeeded, "\(morning), clean: \(cleanRun)")

                let differences = try Self.files(daily).differences(from: try Self.files(clean))
                #expect(differences.isEmpty, "\(morning): files differ from a clean run's: \(differences)")

                let cleanRows = try Rows.read(clean.db)
                #expect(cleanRows.allSatisfy { Rows.inZone($0, range) }, "a clean run loads only rows of its zone")
                let dailyRows = try Rows.read(daily.db)
                let (zone, history) = (dailyRows.filter { Rows.inZone($0, range) }, dailyRows.filter { !Rows.inZone($0, range) })
                #expect(Set(zone) == Set(cleanRows), "\(morning): rows over the zone differ: \(Set(zone).symmetricDifference(cleanRows).count)")
                #expect(zone.count == cleanRows.count)
                // Before the range moved (03-02), every row is in the zone; after, January's stay as history.
                if range.start == Month("2024-01")!.firstDay {
                    #expect(history.isEmpty, "\(morning): no history before the range moves")
                } else {
                    #expect(history.count >= historySeen && !history.isEmpty, "\(morning): the rows before the zone stay")
                }
                historySeen = history.count

                // The incomplete monthly file: once it is published, the day it lacks comes from its daily file.
                if LivingArchive.publication(LivingArchive.incomplete) <= morning {
                    let month = try String(contentsOfFile: daily.layout.monthList(try Symbol("ETHUSDT"), Month("2024-02")!), encoding: .utf8)
                    #expect(month.contains(LivingArchive.incomplete.path), "\(morning): February uses its monthly file")
                    #expect(month.contains("ETHUSDT-aggTrades-2024-02-14.zip"), "\(morning): and the daily file of the day it lacks")
                }

                // The re-published metrics: the wrong hour's events exist until the refresh, then are retired.
                let wrong = dailyRows.filter { $0.symbol == "ETH" && $0.dimension == "oi_change_1h" && $0.triggeredAt == LivingArchive.wrongHour }
                if morning < LivingArchive.republishedOn {
                    #expect(wrong.count == 2, "\(morning): the wrong open interest gives a 7- and a 30-day event")
                } else {
                    #expect(wrong.isEmpty, "\(morning): the re-published file's events replace the wrong ones")
                }
            }
        }
    }

    /// `make all` of `morning` for the living archive in `workspace`.
    private func make(_ workspace: Workspace, _ morning: Day, _ server: ArchiveServer, extra: [String] = []) async throws -> ProcessResult {
        try await workspace.makeMorning(living, morning, days: Self.days, server, extra: extra)
    }

    /// Every file a run derives from the archive, by path below CACHE: the download
    /// lists, series, events, prices and report (not the zips, a cache of the
    /// archive; not the stamps and the lock, which name this run and this DB).
    static func files(_ workspace: Workspace) throws -> Outputs {
        var files: [String: Data] = [:]
        for folder in ["download", "series", "events", "prices", "report"] {
            let base = workspace.cache + "/" + folder
            guard FileSystem.isDirectory(base) else { continue }
            for (path, data) in try workspace.snapshot(below: base) { files[folder + "/" + path] = data }
        }
        return Outputs(files: files, rows: [])
    }
}

/// The rows of extreme_events as values, for set comparisons.
struct Rows: Hashable {
    let symbol: String
    let dimension: String
    let windowDays: Int
    let triggeredAt: Millis
    let fields: String

    static func read(_ path: String) throws -> [Rows] {
        guard FileSystem.exists(path) else { return [] }
        return try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT symbol, dimension, window_days, triggered_at, value, percentile, price_at_trigger,
                       price_4h, price_12h, price_24h, price_48h FROM extreme_events
                """).map { Rows(symbol: $0["symbol"], dimension: $0["dimension"], windowDays: $0["window_days"],
                                triggeredAt: $0["triggered_at"], fields: $0.description) }
        }
    }

    /// [range start + window_days, END): the hours a load answers for.
    static func inZone(_ row: Rows, _ range: ArchiveRange) -> Bool {
        row.triggeredAt >= range.start.startMillis + Millis(row.windowDays) * Time.day && row.triggeredAt < range.end.startMillis
    }
}
