import Common

/// The report as text: a header with the knobs, then per symbol one line per
/// stage (state, days covered, counts) with the reason under it, then the monthly
/// files that lack days and the files the archive did not publish.
enum StatusText {
    /// How many files not published are listed before "… and N more".
    static let listedMissing = 10

    static func render(_ report: StatusReport, graph: StageGraph, knobs: String) -> String {
        let lastDay = report.range.end.adding(days: -1)
        var out = "\(knobs)\nrange \(report.range.start) to \(lastDay); CACHE=\(graph.layout.root) DB=\(graph.database)\n"
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
            if !symbol.incomplete.isEmpty {
                out += "  monthly files with no row on some days, taken from their daily files (\(graph.show(graph.layout.coverageList(symbol.symbol)))): \(symbol.incomplete.count)\n"
                for entry in symbol.incomplete {
                    out += "    \(entry.file.path)  \(entry.daysWithoutRows.map(\.description).joined(separator: " "))\n"
                }
            }
            if !symbol.notPublished.isEmpty {
                out += "  not published by the archive (\(graph.show(graph.layout.missingList(symbol.symbol)))): \(symbol.notPublished.count)\n"
                for file in symbol.notPublished.prefix(listedMissing) {
                    out += "    \(file.file)" + (file.reason.isEmpty ? "" : "  \(file.reason)") + "\n"
                }
                if symbol.notPublished.count > listedMissing {
                    out += "    … and \(symbol.notPublished.count - listedMissing) more\n"
                }
            }
        }
        return out
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
