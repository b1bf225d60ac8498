import Common

/// The tables of the page: a symbol's baseline, a symbol's events against it,
/// and the short list of results whose interval excludes zero.
enum ResultsTable {
    private static let e = Markup.escape

    /// The class of a result cell: `up`/`down` when the interval is wholly above/below
    /// zero, `na` when there is no interval.
    static func cellClass(_ row: SummaryRow) -> String {
        guard let interval = row.interval else { return "na" }
        if interval.low > 0 { return "up" }
        if interval.high < 0 { return "down" }
        return "plain"
    }

    /// Every hour's forward returns, one row per horizon.
    static func baseline(_ study: SymbolStudy) -> String {
        var out = "<table class=\"baseline\">\n<thead><tr><th class=\"text\">every hour</th><th>hours</th><th>mean</th><th>median</th><th>hit rate</th></tr></thead>\n<tbody>\n"
        for (h, hours) in Horizon.hours.enumerated() {
            let s = study.baseline.statistics[h]
            out += "<tr><td class=\"text\">\(e(Display.horizon(hours)))</td><td>\(e(Display.fixed(Double(s.count), decimals: 0)))</td>"
                + "<td>\(e(Display.percent(s.mean, decimals: 3)))</td><td>\(e(Display.percent(s.median, decimals: 3)))</td>"
                + "<td>\(e(Display.share(s.hitRate)))</td></tr>\n"
        }
        return out + "</tbody>\n</table>"
    }

    /// One row per dimension, window and sign; one cell per horizon holding the
    /// difference to the baseline, its interval and n, shaded when the interval excludes zero.
    static func results(_ study: SymbolStudy, windows: [Int]) -> String {
        var out = "<table class=\"results\">\n<thead><tr><th class=\"text\">dimension</th><th>window</th><th class=\"text\">sign</th><th>events</th>"
        for hours in Horizon.hours { out += "<th>\(e(Display.horizon(hours)))</th>" }
        out += "</tr></thead>\n"
        for dimension in Dimension.allCases {
            out += "<tbody>\n"
            for (w, windowDays) in windows.enumerated() {
                for (s, sign) in Sign.allCases.enumerated() {
                    let rows = study.rows(dimension, windowDays, sign)
                    out += "<tr>"
                    if w == 0 && s == 0 {
                        out += "<th class=\"text dimension\" rowspan=\"\(windows.count * Sign.allCases.count)\">\(e(dimension.rawValue))"
                            + "<span class=\"sub\">\(e(dimension.title))</span></th>"
                    }
                    if s == 0 { out += "<td rowspan=\"\(Sign.allCases.count)\">\(windowDays)\u{202F}d</td>" }
                    out += "<td class=\"text\"><span class=\"swatch \(sign.rawValue)\"></span>\(sign == .positive ? "+" : Display.minus) "
                        + "\(e(dimension.meaning(of: sign)))</td>"
                    out += "<td>\(e(Display.fixed(Double(rows.first?.events ?? 0), decimals: 0)))</td>"
                    for row in rows { out += cell(row) }
                    out += "</tr>\n"
                }
            }
            out += "</tbody>\n"
        }
        return out + "</table>"
    }

    /// A result cell: the difference, then the interval and n; the title (a tooltip)
    /// holds the events' and the baseline's mean, median and hit rate.
    static func cell(_ row: SummaryRow) -> String {
        let tip = "\(row.cellName): \(row.returns.count) of \(row.events) events with a price. "
            + "Events: mean \(Display.percent(row.returns.mean, decimals: 3)), median \(Display.percent(row.returns.median, decimals: 3)), "
            + "hit rate \(Display.share(row.returns.hitRate)). Every hour: mean \(Display.percent(row.baseline.mean, decimals: 3)), "
            + "median \(Display.percent(row.baseline.median, decimals: 3)), hit rate \(Display.share(row.baseline.hitRate))."
        guard let difference = row.difference else {
            let why = row.events == 0 ? "no event" : row.returns.count == 0 ? "no price yet" : "no baseline"
            return "<td class=\"na\" title=\"\(e(tip))\">–<span class=\"ci\">\(e(why))</span></td>"
        }
        let detail: String
        if let interval = row.interval {
            detail = "\(Display.percent(interval.low)) … \(Display.percent(interval.high)) · n\u{202F}\(row.independentEvents)"
        } else {
            detail = "n\u{202F}\(row.independentEvents): too few"
        }
        return "<td class=\"\(cellClass(row))\" title=\"\(e(tip))\">\(e(Display.percent(difference)))<span class=\"ci\">\(e(detail))</span></td>"
    }

    /// Every result whose interval excludes zero, in summary.csv's order.
    static func highlights(_ rows: [SummaryRow]) -> String {
        var out = "<table class=\"highlights\">\n<thead><tr><th class=\"text\">symbol</th><th class=\"text\">dimension</th><th>window</th>"
            + "<th class=\"text\">sign</th><th>horizon</th><th>mean after events</th><th>mean, every hour</th><th>difference</th>"
            + "<th>95 % interval</th><th>n</th><th>hit rate events / every hour</th></tr></thead>\n<tbody>\n"
        for row in rows where row.interval?.excludesZero == true {
            let interval = row.interval!
            out += "<tr><td class=\"text\">\(e(row.symbol.full))</td><td class=\"text\">\(e(row.dimension.rawValue))</td>"
                + "<td>\(row.windowDays)\u{202F}d</td>"
                + "<td class=\"text\"><span class=\"swatch \(row.sign.rawValue)\"></span>\(e(row.dimension.meaning(of: row.sign)))</td>"
                + "<td>\(e(Display.horizon(row.horizonHours)))</td>"
                + "<td>\(e(Display.percent(row.independentMean, decimals: 3)))</td><td>\(e(Display.percent(row.baseline.mean, decimals: 3)))</td>"
                + "<td class=\"\(cellClass(row))\">\(e(Display.percent(row.difference, decimals: 3)))</td>"
                + "<td>\(e(Display.percent(interval.low, decimals: 3))) … \(e(Display.percent(interval.high, decimals: 3)))</td>"
                + "<td>\(row.independentEvents)</td>"
                + "<td>\(e(Display.share(row.returns.hitRate))) / \(e(Display.share(row.baseline.hitRate)))</td></tr>\n"
        }
        return out + "</tbody>\n</table>"
    }
}
