import Common

/// What a symbol's download lists say: the verified files and the ones not published.
struct DownloadSummary: Equatable, Sendable {
    /// Verified files per dataset.
    var verified: [Dataset: Int] = [:]
    /// First and last day the verified files cover.
    var verifiedDays: ClosedRange<Day>?
    /// First and last day stage-download asked about: verified files and files not published.
    var askedDays: ClosedRange<Day>?
    var missing: [MissingFile] = []  // Common's `MissingList` rows
    /// The days the symbol traded, when the fileList says it traded less than the range.
    var trading: TradingSpan?
    /// Monthly files with no row on some days of their month (download/SYM/coverage.csv).
    var incomplete: [CoverageList.Entry] = []
    /// Per dataset, the end of the last hour the archive's files reach, and the REST tail's.
    var reach: [Dataset: Reach] = [:]
    /// Lists that exist but cannot be read.
    var problems: [String] = []

    struct Reach: Equatable, Sendable {
        var archive: Millis?
        var tail: Millis?
    }

    var verifiedCount: Int { verified.values.reduce(0, +) }

    static func read(_ layout: CacheLayout, _ symbol: Symbol) -> DownloadSummary {
        var summary = DownloadSummary()
        var asked: [Range<Day>] = []
        if FileSystem.exists(layout.fileList(symbol)) {
            do {
                let fileList = try VerifiedFileList.read(layout.fileList(symbol))
                var days: [Range<Day>] = []
                for entry in fileList.entries {
                    summary.verified[entry.file.dataset, default: 0] += 1
                    let end = entry.file.isTail ? lastHour(entry.file, layout) : entry.file.period.end
                    var reach = summary.reach[entry.file.dataset] ?? Reach()
                    if entry.file.isTail { reach.tail = max(reach.tail ?? .min, end) } else { reach.archive = max(reach.archive ?? .min, end) }
                    summary.reach[entry.file.dataset] = reach
                    // a tail file covers its period up to its last hour (a month's funding: the days so far)
                    days.append(Day(containing: entry.file.period.start)..<Day(containing: max(end, entry.file.period.start + 1) - 1).adding(days: 1))
                }
                summary.verifiedDays = span(days)
                asked += days
            } catch {
                summary.problems.append("\(error)")
            }
        }
        if FileSystem.exists(layout.missingList(symbol)) {
            do {
                summary.missing = try MissingList.read(layout.missingList(symbol)).entries
                asked += summary.missing.map(\.file.period.days)
            } catch {
                summary.problems.append("\(error)")
            }
        }
        if FileSystem.exists(layout.tradingSpan(symbol)) {
            do {
                summary.trading = try TradingSpan.read(layout.tradingSpan(symbol))
            } catch {
                summary.problems.append("\(error)")
            }
        }
        if FileSystem.exists(layout.coverageList(symbol)) {
            do {
                summary.incomplete = try CoverageList.read(layout.coverageList(symbol)).incomplete
            } catch {
                summary.problems.append("\(error)")
            }
        }
        summary.askedDays = span(asked)
        return summary
    }

    /// The end of the last hour a tail file holds: an hour's file, that hour; another, the
    /// hour of its last row (its period's start when it holds none, or cannot be read).
    static func lastHour(_ file: ArchiveFile, _ layout: CacheLayout) -> Millis {
        if case .hour(let hour) = file.period { return hour.end }
        guard let line = (try? TailFile.lines(file, in: layout))?.last else { return file.period.start }
        let field = String(line.prefix { $0 != "," })
        guard let time = file.dataset == .metrics ? Time.parseISO(field) : Millis(field) else { return file.period.start }
        return Time.hourStart(time) + Time.hour
    }

    /// The first and last day of some day ranges; nil when there is none.
    static func span(_ ranges: [Range<Day>]) -> ClosedRange<Day>? {
        guard let first = ranges.map(\.lowerBound).min(), let end = ranges.map(\.upperBound).max(), first < end else { return nil }
        return first...end.adding(days: -1)
    }

    /// Why the lists do not cover `range`, or nil when they do.
    func gap(in range: ArchiveRange) -> String? {
        // a symbol listed or delisted inside the range is asked about only for the days it traded
        let first = max(range.start, trading?.first ?? range.start)
        let last = min(range.end.adding(days: -1), trading?.last ?? range.end)
        guard first <= last else { return nil }
        let wanted = first...last
        guard let asked = askedDays else { return "the lists name no file" }
        guard asked.lowerBound <= wanted.lowerBound && asked.upperBound >= wanted.upperBound else {
            return "the files cover \(asked.lowerBound) to \(asked.upperBound), the range is \(wanted.lowerBound) to \(wanted.upperBound)"
        }
        return nil
    }
}
