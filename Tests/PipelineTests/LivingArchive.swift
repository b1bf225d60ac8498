import ArchiveFixture
import Common
import Foundation

/// An archive that changes under a daily run, as data.binance.vision does. One synthetic
/// market, 2024-01-01 (`long`: 2023-10-01) to 2024-03-04, published a little at a time:
///
/// - a day's daily files appear the next morning, but 2024-03-01's, which appear a day
///   late (on the morning of 03-03);
/// - a month's monthly files appear on the 2nd day after it ends (February's on 03-03);
///   until then the month's daily files stand in;
/// - ETHUSDT's metrics of 2024-02-20 are first published with a wrong open interest
///   between 12:00 and 13:00 (×1.5, an extreme change of open interest), and
///   re-published right from the morning of 02-29 (picked up with REFRESH=1);
/// - ETHUSDT's monthly aggTrades file of February lacks 2024-02-14 (an incomplete
///   monthly file, as binance-public-data issues 403 and 359 report): that day's daily
///   file must stand in for it.
final class LivingArchive: Sendable {
    let archive: SyntheticArchive
    /// Every file the archive will ever publish, as zips, by file.
    private let zips: [ArchiveFile: [UInt8]]

    static let lateDay = Day("2024-03-01")!
    static let republished = ArchiveFile(symbol: try! Symbol("ETHUSDT"), dataset: .metrics, period: .day(Day("2024-02-20")!))
    static let republishedOn = Day("2024-02-29")!
    static let incomplete = ArchiveFile(symbol: try! Symbol("ETHUSDT"), dataset: .aggTrades, period: .month(Month("2024-02")!))
    static let dayLacking = Day("2024-02-14")!
    /// The hour whose open interest the first publication got wrong.
    static let wrongHour: Millis = Day("2024-02-20")!.startMillis + 12 * Time.hour

    static let shared = LivingArchive(days: 64)
    /// From 2023-10-01: mornings of DAYS=120, whose 90-day events lie in the zone a load answers for.
    static let long = LivingArchive(days: 156)

    /// `days` before 2024-03-05 (the range then starts on that month's 1st).
    private init(days: Int) {
        archive = SyntheticArchive(.init(
            profiles: [.btc(tradesPerHour: 40), .eth(tradesPerHour: 30)],
            range: ArchiveRange(end: Day("2024-03-05")!, days: days), seed: 11,
            headerSince: Month("2024-02")!, dailyFilesForCompleteMonths: true))
        var zips: [ArchiveFile: [UInt8]] = [:]
        for file in archive.csv.keys { zips[file] = archive.zip(file)! }
        zips[Self.incomplete] = ZipWriter.zip([.init(name: Self.incomplete.csvName,
                                                     data: Self.without(Self.dayLacking, archive.csv[Self.incomplete]!))])
        self.zips = zips
    }

    var symbols: [Symbol] { archive.configuration.profiles.map(\.symbol) }

    /// The day `file` is first seen on a morning.
    static func publication(_ file: ArchiveFile) -> Day {
        switch file.period {
        case .day(let day): return day == lateDay ? day.adding(days: 2) : day.adding(days: 1)
        case .month(let month): return month.next.firstDay.adding(days: 2)
        case .hour(let hour): return hour.day.adding(days: 1)   // the archive has none: the REST tail's
        }
    }

    /// URL path → bytes of everything published by the morning of `day`.
    func served(on day: Day) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for (file, zip) in zips where Self.publication(file) <= day {
            var bytes = zip
            if file == Self.republished && day < Self.republishedOn {
                bytes = ZipWriter.zip([.init(name: file.csvName, data: Self.withWrongOpenInterest(archive.csv[file]!))])
            }
            out[TestArchive.path(file)] = bytes
            out[TestArchive.checksumPath(file)] = SyntheticArchive.checksum(of: bytes, name: file.zipName)
        }
        return out
    }

    /// An aggTrades CSV without the trades of `day` (transact_time, the 6th field).
    static func without(_ day: Day, _ csv: [UInt8]) -> [UInt8] {
        let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let kept = lines.filter { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 7, let time = Millis(fields[5]) else { return true }
            return Day(containing: time) != day
        }
        return Array(kept.joined(separator: "\n").utf8)
    }

    /// The metrics CSV with sum_open_interest ×1.5 in the rows of `wrongHour`.
    static func withWrongOpenInterest(_ csv: [UInt8]) -> [UInt8] {
        let hour = Day(containing: wrongHour).description + " 12:"
        let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let changed = lines.map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 8, fields[0].hasPrefix(hour), let oi = Double(fields[2]) else { return String(line) }
            fields[2] = String(format: "%.8f", oi * 1.5)
            return fields.joined(separator: ",")
        }
        return Array(changed.joined(separator: "\n").utf8)
    }
}

extension Workspace {
    /// make's command line of `make all` on the morning of `morning` (END), DAYS=`days`,
    /// for the living archive's symbols served by `server`.
    func morningArguments(_ living: LivingArchive, _ morning: Day, days: Int, baseURL: String, extra: [String] = []) -> [String] {
        var args = ["--no-print-directory", "-C", Repository.root]
        for binary in Repository.binaries { args += ["-o", binary] }
        args += ["all", "SYMBOLS=\(living.symbols.map(\.full).joined(separator: " "))", "SYMBOL=",
                 "END=\(morning)", "DAYS=\(days)", "CACHE=\(cache)", "DB=\(db)", "BASE_URL=\(baseURL)", "QUIET=1"]
        return args + extra
    }

    /// Runs that `make all` to the end.
    func makeMorning(_ living: LivingArchive, _ morning: Day, days: Int, _ server: ArchiveServer, extra: [String] = []) async throws -> ProcessResult {
        try await Run.process("/usr/bin/env", ["make"] + morningArguments(living, morning, days: days, baseURL: server.baseURL, extra: extra))
    }
}
