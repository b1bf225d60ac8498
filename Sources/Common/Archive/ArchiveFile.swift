/// The four datasets of the archive this pipeline reads (SPEC "Sources").
public enum Dataset: String, CaseIterable, Sendable, Comparable {
    case aggTrades
    case klines
    case metrics
    case fundingRate

    public static func < (a: Dataset, b: Dataset) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The time a file covers: a whole month (`monthly/…`), one day (`daily/…`), or one
/// hour (`hourly/…`: the REST tail's trades only).
public enum Period: Hashable, Sendable, Comparable, CustomStringConvertible {
    case month(Month)
    case day(Day)
    case hour(Hour)

    public var month: Month {
        switch self {
        case .month(let m): return m
        case .day(let d): return d.month
        case .hour(let h): return h.day.month
        }
    }

    /// The days the period covers (an hour: its day).
    public var days: Range<Day> {
        switch self {
        case .month(let m): return m.days
        case .day(let d): return d..<d.adding(days: 1)
        case .hour(let h): return h.day..<h.day.adding(days: 1)
        }
    }

    /// [start, end) in milliseconds.
    public var start: Millis {
        switch self {
        case .month(let m): return m.startMillis
        case .day(let d): return d.startMillis
        case .hour(let h): return h.start
        }
    }

    public var end: Millis {
        switch self {
        case .month(let m): return m.endMillis
        case .day(let d): return d.startMillis + Time.day
        case .hour(let h): return h.end
        }
    }

    /// The folder of its files: `monthly`, `daily` or `hourly`.
    var frequency: String {
        switch self {
        case .month: return "monthly"
        case .day: return "daily"
        case .hour: return "hourly"
        }
    }

    public var description: String {
        switch self {
        case .month(let m): return m.description
        case .day(let d): return d.description
        case .hour(let h): return h.description
        }
    }

    public static func < (a: Period, b: Period) -> Bool { (a.start, a.end) < (b.start, b.end) }
}

/// Where a file of the archive's datasets comes from: the archive (a verified zip), or
/// the REST tail (a CSV written from Binance's REST API for hours the archive has not
/// published yet: `TailFile`).
public enum FileSource: String, CaseIterable, Sendable, Comparable {
    case archive
    case tail

    public static func < (a: FileSource, b: FileSource) -> Bool { a == .archive && b == .tail }
}

/// One file of a dataset: a zip of the archive, e.g.
/// `monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip` (its path below
/// `data/futures/um/` and below `CACHE/archive/`), or a CSV of the REST tail, e.g.
/// `tail/hourly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-03-10T14.csv` (its path below
/// `CACHE/`). Both hold the dataset's columns (SPEC "Sources"), and the stages read
/// them alike.
public struct ArchiveFile: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let symbol: Symbol
    public let dataset: Dataset
    public let period: Period
    public let source: FileSource

    public init(symbol: Symbol, dataset: Dataset, period: Period, source: FileSource = .archive) {
        self.symbol = symbol
        self.dataset = dataset
        self.period = period
        self.source = source
    }

    /// `BTCUSDT-aggTrades-2024-01`, `BTCUSDT-1h-2024-01-05`: the zip's and its member's stem.
    public var stem: String {
        let kind = dataset == .klines ? "1h" : dataset.rawValue
        return "\(symbol.full)-\(kind)-\(period)"
    }

    public var zipName: String { stem + ".zip" }
    /// The member that holds the data: named like the zip (a tail file is that CSV itself).
    public var csvName: String { stem + ".csv" }
    /// The file's own name: the zip, or the tail's CSV.
    public var name: String { source == .archive ? zipName : csvName }

    public var isTail: Bool { source == .tail }

    /// Path below `data/futures/um/` and `CACHE/archive/` (the archive), or below `CACHE/` (the tail).
    public var path: String {
        let folder = dataset == .klines ? "klines/\(symbol.full)/1h" : "\(dataset.rawValue)/\(symbol.full)"
        switch source {
        case .archive: return "\(period.frequency)/\(folder)/\(zipName)"
        case .tail: return "tail/\(period.frequency)/\(folder)/\(csvName)"
        }
    }

    public var checksumPath: String { path + ".CHECKSUM" }

    public var description: String { path }

    /// Parses a path made by `path`; nil for anything else.
    public init?(path: String) {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var source = FileSource.archive
        if parts.first == "tail" {
            source = .tail
            parts.removeFirst()
        }
        let suffix = source == .archive ? ".zip" : ".csv"
        guard parts.count >= 4, let name = parts.last, name.hasSuffix(suffix) else { return nil }
        guard let dataset = Dataset(rawValue: parts[1]), let symbol = try? Symbol(parts[2]), symbol.full == parts[2] else { return nil }
        let stemPrefix = "\(symbol.full)-\(dataset == .klines ? "1h" : dataset.rawValue)-"
        let stem = String(name.dropLast(4))
        guard stem.hasPrefix(stemPrefix) else { return nil }
        let stamp = String(stem.dropFirst(stemPrefix.count))
        let period: Period
        switch parts[0] {
        case "monthly": guard let m = Month(stamp) else { return nil }; period = .month(m)
        case "daily": guard let d = Day(stamp) else { return nil }; period = .day(d)
        case "hourly": guard source == .tail, let h = Hour(stamp) else { return nil }; period = .hour(h)
        default: return nil
        }
        self.init(symbol: symbol, dataset: dataset, period: period, source: source)
        guard self.path == path else { return nil }
    }

    public static func < (a: ArchiveFile, b: ArchiveFile) -> Bool {
        (a.symbol, a.dataset, a.period, a.source) < (b.symbol, b.dataset, b.period, b.source)
    }
}
