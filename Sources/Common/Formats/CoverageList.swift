import Glibc

/// The days a monthly aggTrades or klines file has no row on (SPEC "Quirks": the
/// archive has published monthly files holding only some of their days), as
/// stage-download writes them (`download/SYM/coverage.csv`) and `pipeline status`
/// reads them:
///
///     dataset,file,sha256,days_without_rows
///     aggTrades,monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip,9f86d0…,2024-01-14 2024-01-15
///
/// One row per monthly aggTrades and klines file of the range that the cache holds;
/// `days_without_rows` is empty when the file has a row on every day of its month.
/// The sha256 is the one the file was verified against: a file is scanned once per
/// published version. The days missing are taken from their daily files.
public typealias CoverageList = FileList<CoveredFile>

/// A row of `CoverageList`: a monthly file and the days of its month it has no row on.
public struct CoveredFile: FileListEntry {
    public static let header = "dataset,file,sha256,days_without_rows"

    public let file: ArchiveFile
    public let sha256: String
    /// Days of the file's month with no row, ascending.
    public let daysWithoutRows: [Day]

    public init(file: ArchiveFile, sha256: String, daysWithoutRows: [Day]) {
        self.file = file
        self.sha256 = sha256
        self.daysWithoutRows = daysWithoutRows.sorted()
    }

    public var otherFields: [String] { [sha256, daysWithoutRows.map(\.description).joined(separator: " ")] }

    public init(file: ArchiveFile, otherFields: [String], path: String, line: Int) throws {
        var days: [Day] = []
        for stamp in otherFields[1].split(separator: " ") {
            guard let day = Day(String(stamp)), file.period.days.contains(day) else {
                throw DataError(file: path, line: line, "days_without_rows: '\(stamp)' is not a day of \(file.period)")
            }
            days.append(day)
        }
        self.init(file: file, sha256: otherFields[0], daysWithoutRows: days)
    }
}

extension FileList where Row == CoveredFile {
    /// The entries that lack a day.
    public var incomplete: [Entry] { entries.filter { !$0.daysWithoutRows.isEmpty } }

    /// Whether `file` is one whose days are checked: a monthly aggTrades or klines file.
    public static func checksDays(_ file: ArchiveFile) -> Bool {
        guard case .month = file.period else { return false }
        return file.dataset == .aggTrades || file.dataset == .klines
    }

    /// The days of `file`'s period on which no row of the cached zip falls, by
    /// transact_time (aggTrades) or open_time (klines). One pass over the inflated
    /// member that reads a single field per line; a line whose field is not a
    /// timestamp is left to stage-flow and stage-prices to report.
    public static func daysWithoutRows(_ file: ArchiveFile, in layout: CacheLayout) throws -> [Day] {
        try daysWithoutRows(file, zipPath: layout.archive(file))
    }

    /// The same, for `file`'s zip at `zipPath`.
    public static func daysWithoutRows(_ file: ArchiveFile, zipPath: String) throws -> [Day] {
        let field = file.dataset == .aggTrades ? 5 : 0
        let days = file.period.days
        let first = days.lowerBound.startMillis
        let end = days.upperBound.startMillis
        var seen = [Bool](repeating: false, count: days.count)
        let reader = try CSVReader(zipPath: zipPath, file: file, columns: file.dataset.columns)
        try reader.forEachBlock { block, _ in
            var lines = 0
            CSVReader.forEachLine(in: block) { start, end0 in
                lines += 1
                // Invariant: p is at the start of field number `commas`.
                var p = start, commas = 0
                while commas < field {
                    guard let comma = memchr(p, Int32(ASCII.comma), end0 - p) else { return }
                    p = UnsafePointer(comma.assumingMemoryBound(to: UInt8.self)) + 1
                    commas += 1
                }
                let fieldEnd = memchr(p, Int32(ASCII.comma), end0 - p).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end0
                guard let t = ByteParsing.timestamp(p, fieldEnd), t >= first, t < end else { return }
                seen[Int((t - first) / Time.day)] = true
            }
            return lines
        }
        return days.filter { !seen[days.lowerBound.distance(to: $0)] }
    }
}
