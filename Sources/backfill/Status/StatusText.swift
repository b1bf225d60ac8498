import Common

/// The report as text: a header with the knobs, then per symbol one line per
/// stage (state, days covered, counts) with the reason under it, then the monthly
/// files that lack days and the files the archive did not publish.
enum StatusText {
    /// How many files not published are listed before "… and N more".
    static let listedMissing = 10

    static func render(_ report: StatusReport, plan: Plan, knobs: String) -> String {
        let lastDay = report.range.end.adding(days: -1)
        var out = "\(knobs)\nrange \(report.range.start) to \(lastDay); CACHE=\(plan.layout.root) DB=\(plan.database)\n"
        let stageWidth = Stage.allCases.map(\.rawValue.count).max()!
        let stateWidth = ["up to date", "stale", "missing"].map(\.count).max()!
        let daysWidth = "2024-01-01 to 2024-12-31".count
        for symbol in report.symbols {
            out += "\n\(symbol.symbol.full)\n"
            for stage in symbol.stages {
                let days = stage.days.map { "\($0.lowerBound) to \($0.upperBound)" } ?? "-"
                var line = "  " + pad(stage.stage.rawValue, stageWidth) + "  " + pad(stage.freshness.word, stateWidth)
                    + "  " + pad(days, daysWidth) + "  " + stage.counts
                while line.hasSuffix(" ") { line.removeLast() }
                out += line + "\n"
                let indent = String(repeating: " ", count: 2 + stageWidth + 2)
                for note in [stage.freshness.reason].compactMap({ $0 }) + stage.notes {
                    out += indent + note + "\n"
                }
            }
            if !symbol.reach.isEmpty {
                out += "  data reaches (end of the last hour): archive, then REST tail\n"
                for dataset in Dataset.allCases {
                    guard let reach = symbol.reach[dataset] else { continue }
                    let archive = reach.archive.map(Time.iso) ?? "-"
                    let tail = reach.tail.map(Time.iso) ?? "-"
                    out += "    " + pad(dataset.rawValue, 12) + "  " + pad(archive, 20) + "  " + tail + "\n"
                }
            }
            if !symbol.incomplete.isEmpty {
                out += "  monthly files with no row on some days, taken from their daily files (\(show(plan.layout.coverageList(symbol.symbol), plan))): \(symbol.incomplete.count)\n"
                for entry in symbol.incomplete {
                    out += "    \(entry.file.path)  \(entry.daysWithoutRows.map(\.description).joined(separator: " "))\n"
                }
            }
            let missing = show(plan.layout.missingList(symbol.symbol), plan)
            for (files, what) in [(symbol.notPublished.filter { !$0.file.isTail }, "not published by the archive"),
                                  (symbol.notPublished.filter(\.file.isTail), "not fetched by the REST tail")] where !files.isEmpty {
                out += "  \(what) (\(missing)): \(files.count)\n"
                for file in files.prefix(listedMissing) {
                    out += "    \(file.file.path)" + (file.reason.isEmpty ? "" : "  \(file.reason)") + "\n"
                }
                if files.count > listedMissing {
                    out += "    … and \(files.count - listedMissing) more\n"
                }
            }
        }
        return out
    }

    /// One line per symbol, for many symbols: its state (the worst of its stages, and
    /// the first stage make would redo), the days its events cover, the events, the
    /// rows loaded, and what else to know (listed or delisted inside the range, files
    /// not published, a problem). `./pipeline status SYMBOL` or `--details` gives the rest.
    static func renderSummary(_ report: StatusReport, plan: Plan, knobs: String) -> String {
        let lastDay = report.range.end.adding(days: -1)
        var out = "\(knobs)\nrange \(report.range.start) to \(lastDay); CACHE=\(plan.layout.root) DB=\(plan.database)\n\n"
        let widths = [max(6, report.symbols.map(\.symbol.full.count).max() ?? 0), 10, 8, "2024-01-01 to 2024-12-31".count, 7, 7]
        let header = ["symbol", "state", "redo", "events cover", "events", "rows"]
        out += row(header, widths, "notes") + "\n"
        var counts: [String: Int] = [:]
        for symbol in report.symbols {
            let redo = symbol.stages.first { !$0.freshness.isUpToDate }
            let state = redo?.freshness.word ?? "up to date"
            counts[state, default: 0] += 1
            let detect = symbol.stage(.detect)
            let days = detect.days.map { "\($0.lowerBound) to \($0.upperBound)" } ?? "-"
            let events = detect.counts.split(separator: " ").first.map(String.init) ?? "-"
            let rows = symbol.stage(.load).counts.split(separator: " ").first.map(String.init) ?? "-"
            var notes: [String] = []
            if let trading = symbol.trading, !trading.isWholeRange { notes.append(trading.summary) }
            let (archiveMissing, tailMissing) = (symbol.notPublished.filter { !$0.file.isTail }.count, symbol.notPublished.filter(\.file.isTail).count)
            if archiveMissing > 0 { notes.append("\(archiveMissing) not published") }
            if tailMissing > 0 { notes.append("\(tailMissing) tail files not fetched") }
            if let tail = symbol.reach.values.compactMap(\.tail).max() { notes.append("tail to \(Time.iso(tail))") }
            let problems = symbol.stages.reduce(0) { $0 + $1.notes.count } - (symbol.trading.map { $0.isWholeRange ? 0 : 1 } ?? 0)
            if problems > 0 { notes.append("\(problems) problem\(problems == 1 ? "" : "s")") }
            out += row([symbol.symbol.full, state, redo?.stage.rawValue ?? "-", days, events, rows], widths, notes.joined(separator: "; ")) + "\n"
        }
        let tally = ["up to date", "stale", "missing"].compactMap { word in counts[word].map { "\($0) \(word)" } }.joined(separator: ", ")
        out += "\n\(StatusReport.count(report.symbols.count, "symbol")): \(tally). Details: ./pipeline status SYMBOL, or ./pipeline status --details\n"
        return out
    }

    /// A path below CACHE relative to it, anything else as given.
    private static func show(_ path: String, _ plan: Plan) -> String {
        let prefix = plan.layout.root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    private static func row(_ cells: [String], _ widths: [Int], _ last: String) -> String {
        var line = zip(cells, widths).map { pad($0, $1) }.joined(separator: "  ") + "  " + last
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
