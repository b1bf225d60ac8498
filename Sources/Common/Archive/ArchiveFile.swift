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

/// The time a file covers: a whole month (`monthly/…`) or one day (`daily/…`).
public enum Period: Hashable, Sendable, Comparable, CustomStringConvertible {
    case month(Month)
    case day(Day)

    public var month: Month {
        switch self {
        case .month(let m): return m
        case .day(let d): return d.month
        }
    }

    /// The days the period covers.
    public var days: Range<Day> {
        switch self {
        case .month(let m): return m.days
        case .day(let d): return d..<d.adding(days: 1)
        }
    }

    public var description: String {
        switch self {
        case .month(let m): return m.description
        case .day(let d): return d.description
        }
    }

    public static func < (a: Period, b: Period) -> Bool {
        (a.days.lowerBound, a.days.upperBound) < (b.days.lowerBound, b.days.upperBound)
    }
}

/// One zip of the archive, e.g. `monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip`.
/// Its path below `data/futures/um/` is also its path below `CACHE/archive/`.
public struct ArchiveFile: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let symbol: Symbol
    public let dataset: Dataset
    public let period: Period

    public init(symbol: Symbol, dataset: Dataset, period: Period) {
        self.symbol = symbol
        self.dataset = dataset
        self.period = period
    }

    /// `BTCUSDT-aggTrades-2024-01`, `BTCUSDT-1h-2024-01-05`: the zip's and its member's stem.
    public var stem: String {
        let kind = dataset == .klines ? "1h" : dataset.rawValue
        return "\(symbol.full)-\(kind)-\(period)"
    }

    public var zipName: String { stem + ".zip" }
    /// The member that holds the data: named like the zip.
    public var csvName: String { stem + ".csv" }

    /// Path below `data/futures/um/` (and below `CACHE/archive/`).
    public var path: String {
        let frequency: String
        switch period {
        case .month: frequency = "monthly"
        case .day: frequency = "daily"
        }
        let folder = dataset == .klines ? "klines/\(symbol.full)/1h" : "\(dataset.rawValue)/\(symbol.full)"
        return "\(frequency)/\(folder)/\(zipName)"
    }

    public var checksumPath: String { path + ".CHECKSUM" }

    public var description: String { path }

    /// Parses a path made by `path`; nil for anything else.
    public init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4, let name = parts.last, name.hasSuffix(".zip") else { return nil }
        guard let dataset = Dataset(rawValue: parts[1]), let symbol = try? Symbol(parts[2]), symbol.full == parts[2] else { return nil }
        let stemPrefix = "\(symbol.full)-\(dataset == .klines ? "1h" : dataset.rawValue)-"
        let stem = String(name.dropLast(4))
        guard stem.hasPrefix(stemPrefix) else { return nil }
        let stamp = String(stem.dropFirst(stemPrefix.count))
        let period: Period
        switch parts[0] {
        case "monthly": guard let m = Month(stamp) else { return nil }; period = .month(m)
        case "daily": guard let d = Day(stamp) else { return nil }; period = .day(d)
        default: return nil
        }
        self.init(symbol: symbol, dataset: dataset, period: period)
        guard self.path == path else { return nil }
    }

    public static func < (a: ArchiveFile, b: ArchiveFile) -> Bool {
        (a.symbol, a.dataset, a.period) < (b.symbol, b.dataset, b.period)
    }
}
