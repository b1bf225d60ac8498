import Common
import Foundation

/// The tables of the page: a symbol's baseline, a symbol's events against it,
/// and the short list of results whose interval excludes zero.
enum ResultsTable {
    private static let e = Markup.escape

    /// The class of a result cell: `up`/`down` for a finding (q ≤ 0.05) above/below
    /// zero, `plain` for a tested cell that is not one, `na` when there is no test.
    static func cellClass(_ row: SummaryRow) -> String {
        guard row.test != nil else { return "na" }
        guard row.isFinding, let difference = row.difference else { return "plain" }
        return difference > 0 ? "up" : "down"
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

    /// A result cell: the difference, then the interval, n (clusters) and q; the title
    /// (a tooltip) holds the events' and the baseline's mean, median and hit rate, p and
    /// the difference after fees.
    static func cell(_ row: SummaryRow) -> String {
        var tip = "\(row.cellName): \(row.returns.count) of \(row.events) events with a price, in \(row.clusters) clusters. "
            + "Events: mean \(Display.percent(row.returns.mean, decimals: 3)), median \(Display.percent(row.returns.median, decimals: 3)), "
            + "hit rate \(Display.share(row.returns.hitRate)). Every hour: mean \(Display.percent(row.baseline.mean, decimals: 3)), "
            + "median \(Display.percent(row.baseline.median, decimals: 3)), hit rate \(Display.share(row.baseline.hitRate))."
        if let edge = row.edgeAfterFees {
            tip += " After a round trip's fees (\(Display.percent(row.roundTripFee, decimals: 2, signed: false))): \(Display.percent(edge, decimals: 3))."
        }
        if let p = row.pValue, let q = row.qValue { tip += " p \(pValue(p)), q \(pValue(q))." }
        guard let difference = row.difference else {
            let why = row.events == 0 ? "no event" : row.returns.count == 0 ? "no price yet" : "no baseline"
            return "<td class=\"na\" title=\"\(e(tip))\">–<span class=\"ci\">\(e(why))</span></td>"
        }
        var detail: String
        if let interval = row.interval {
            detail = "\(Display.percent(interval.low)) … \(Display.percent(interval.high))"
        } else {
            detail = "too few"
        }
        var second = "n\u{202F}\(row.returns.count) (\(row.clusters))"
        if let q = row.qValue { second += " · q\u{202F}\(pValue(q))" }
        // A difference smaller than a round trip's taker fees could not be traded, finding or not.
        if let edge = row.edgeAfterFees, edge < 0 { second += " · < fees" }
        detail = e(detail) + "<span class=\"ci\">" + e(second) + "</span>"
        return "<td class=\"\(cellClass(row))\" title=\"\(e(tip))\">\(e(Display.percent(difference)))<span class=\"ci\">\(detail)</span></td>"
    }

    /// A p- or q-value: 3 significant digits, below 0.001 in scientific form.
    static func pValue(_ p: Double) -> String {
        if p >= 0.001 { return Display.fixed(p, decimals: 3) }
        if p == 0 { return "0" }
        let exponent = Int(log10(p).rounded(.down))
        let mantissa = p / pow(10, Double(exponent))
        return "\(Display.fixed(mantissa, decimals: 1))e\(exponent)"
    }

    /// The headline lists at most this many findings; the rest follow at the page's end.
    static let headlineLimit = 20

    /// Findings in the order the headline lists them: q ascending, then |difference|
    /// descending, then summary.csv's order.
    static func ranked(_ rows: [SummaryRow]) -> [SummaryRow] {
        rows.enumerated().sorted { a, b in
            let qa = a.element.qValue ?? 1, qb = b.element.qValue ?? 1
            if qa != qb { return qa < qb }
            let da = abs(a.element.difference ?? 0), db = abs(b.element.difference ?? 0)
            if da != db { return da > db }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The findings in the order given; `links`: the symbol links to its own page.
    static func highlights(_ rows: [SummaryRow], links: Bool) -> String {
        var out = "<table class=\"highlights\">\n<thead><tr><th class=\"text\">symbol</th><th class=\"text\">dimension</th><th>window</th>"
            + "<th class=\"text\">sign</th><th>horizon</th><th>mean after events</th><th>mean, every hour</th><th>difference</th>"
            + "<th>95 % interval</th><th>q</th><th>after fees</th><th>n (clusters)</th><th>hit rate events / every hour</th></tr></thead>\n<tbody>\n"
        for row in rows {
            let interval = row.interval!
            let name = links ? "<a href=\"\(e(HTMLReport.pageName(row.symbol)))\">\(e(row.symbol.full))</a>" : e(row.symbol.full)
            let edge = row.edgeAfterFees ?? 0
            out += "<tr><td class=\"text\">\(name)</td><td class=\"text\">\(e(row.dimension.rawValue))</td>"
                + "<td>\(row.windowDays)\u{202F}d</td>"
                + "<td class=\"text\"><span class=\"swatch \(row.sign.rawValue)\"></span>\(e(row.dimension.meaning(of: row.sign)))</td>"
                + "<td>\(e(Display.horizon(row.horizonHours)))</td>"
                + "<td>\(e(Display.percent(row.returns.mean, decimals: 3)))</td><td>\(e(Display.percent(row.baseline.mean, decimals: 3)))</td>"
                + "<td class=\"\(cellClass(row))\">\(e(Display.percent(row.difference, decimals: 3)))</td>"
                + "<td>\(e(Display.percent(interval.low, decimals: 3))) … \(e(Display.percent(interval.high, decimals: 3)))</td>"
                + "<td>\(e(pValue(row.qValue!)))</td>"
                + "<td\(edge < 0 ? " class=\"fee-note\"" : "")>\(e(Display.percent(edge, decimals: 3)))\(edge < 0 ? " (fees eat it)" : "")</td>"
                + "<td>\(row.returns.count) (\(row.clusters))</td>"
                + "<td>\(e(Display.share(row.returns.hitRate))) / \(e(Display.share(row.baseline.hitRate)))</td></tr>\n"
        }
        return out + "</tbody>\n</table>"
    }
}
