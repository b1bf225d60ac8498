import Common

/// The hours the REST tail fills for one symbol (SPEC "The REST tail"): for each
/// dataset, from the end of its last file the archive has published (verified in the
/// cache) to the last closed hour before END, within the range and the days the symbol
/// traded. Metrics only as far back as the API keeps them (30 days).
struct TailWindows: Sendable, Equatable {
    /// Dataset → [first hour's start, end of the last closed hour), milliseconds.
    let windows: [Dataset: Range<Millis>]

    /// How far back the API's `/futures/data/…` statistics reach ("the latest 30 days"):
    /// the tail asks from the hour after this, as a startTime 30 days old is refused.
    static let statisticsReach: Millis = 30 * Time.day

    /// `archiveEnd`: per dataset, the end of the latest archive file the cache holds
    /// (nil: none). `now`: the run's clock (milliseconds since the epoch).
    init(archiveEnd: [Dataset: Millis], range: ArchiveRange, span: TradingSpan, now: Millis) {
        let closedEnd = Time.hourStart(now)
        var windows: [Dataset: Range<Millis>] = [:]
        for dataset in Dataset.allCases {
            var from = max(range.start.startMillis, archiveEnd[dataset] ?? range.start.startMillis)
            var to = min(range.end.startMillis, closedEnd)
            if let first = span.first { from = max(from, first.startMillis) }
            if let last = span.last { to = min(to, last.adding(days: 1).startMillis) }
            if dataset == .metrics { from = max(from, Time.hourStart(now - Self.statisticsReach) + Time.hour) }
            if from < to { windows[dataset] = from..<to }
        }
        self.windows = windows
    }

    subscript(dataset: Dataset) -> Range<Millis>? { windows[dataset] }

    /// The hours of `dataset`'s window.
    func hours(_ dataset: Dataset) -> [Hour] {
        guard let window = windows[dataset] else { return [] }
        return Array(stride(from: window.lowerBound, to: window.upperBound, by: Int(Time.hour))).map { Hour(containing: $0) }
    }

    /// The tail files `dataset`'s window spans (a day's, a month's, or an hour's).
    func files(_ symbol: Symbol, _ dataset: Dataset) -> [ArchiveFile] {
        var files: [ArchiveFile] = []
        for hour in hours(dataset) {
            let file = TailFile.file(symbol, dataset, holding: hour)
            if files.last != file { files.append(file) }
        }
        return files
    }
}
