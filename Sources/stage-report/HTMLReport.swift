import Common

/// `report/index.html`: one self-contained page (styles inline, charts as inline
/// SVG, no script, no network) written as XHTML-compatible markup. It holds no
/// time of writing and no absolute path, so the same inputs give the same bytes.
enum HTMLReport {
    private static let e = Markup.escape

    static func page(_ study: Study) -> String {
        var out = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(e("What price did after extreme events: \(study.symbols.map(\.symbol.full).joined(separator: ", "))"))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <main>

            """
        out += header(study)
        out += highlights(study)
        out += howToRead(study)
        out += caveats(study)
        for symbol in study.symbols { out += section(symbol, study) }
        out += footer(study)
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    // MARK: the top of the page

    private static func header(_ study: Study) -> String {
        let names = study.symbols.map(\.symbol.full).joined(separator: ", ")
        var out = "<h1>What price did after extreme events</h1>\n<p class=\"lede\">\(e(names)), Binance USD-M perpetuals. "
        let spans = study.symbols.compactMap(\.baseline.span)
        if let start = spans.map(\.lowerBound).min(), let end = spans.map(\.upperBound).max() {
            out += "Range covered: <strong>\(e(Display.time(start)))</strong> to <strong>\(e(Display.time(end - Time.hour)))</strong> "
                + "(the hourly closes of the 1h klines). "
        } else {
            out += "No hourly closes were found for any symbol, so there is no baseline and no return. "
        }
        out += "\(e(Display.fixed(Double(study.eventCount), decimals: 0))) events: hours whose value ranked at or above "
            + "the 90th percentile of the preceding \(e(windowList(study.windows))) days, in six dimensions.</p>\n"
        if study.eventCount == 0 {
            out += "<p class=\"notice\"><strong>No events.</strong> The prices files (\(e(study.symbols.map(\.pricesFile).joined(separator: ", ")))) "
                + "hold no event, so there is nothing to compare with the baseline. An event needs a window of history before it: "
                + "a range shorter than the shortest window (\(study.windows.first ?? 7) days), or series that stage-flow left empty, "
                + "give none. The baseline and the price are shown below all the same.</p>\n"
        }
        return out
    }

    private static func highlights(_ study: Study) -> String {
        let rows = study.rows
        let tested = rows.filter { $0.interval != nil }.count
        let excluding = rows.filter { $0.interval?.excludesZero == true }.count
        var out = "<h2 id=\"highlights\">Results whose 95\u{202F}% interval excludes zero</h2>\n"
        guard study.eventCount > 0 else {
            return out + "<p>None: there are no events.</p>\n"
        }
        out += "<p>\(excluding) of \(tested) differences have an interval that excludes zero; "
            + "if the events meant nothing, about \(e(Display.fixed(Double(tested) * 0.05, decimals: 0))) would by chance "
            + "(see <a href=\"#caveats\">caveats</a>). "
        if tested < rows.count {
            out += "\(rows.count - tested) more have fewer than \(Bootstrap.minimumCount) independent events, or none, and no interval. "
        }
        out += "Green: price did better after the events than after an ordinary hour; red: worse.</p>\n"
        if excluding > 0 { out += ResultsTable.highlights(rows) + "\n" }
        return out
    }

    private static func howToRead(_ study: Study) -> String {
        """
        <h2 id="how-to-read">How to read this</h2>
        <p>A <strong>return</strong> is the close N hours after the event's hour divided by the close of that hour, minus 1, \
        for N = 4, 12, 24 and 48. The <strong>baseline</strong> is the same return after <em>every</em> hour of the range, \
        events or not. Each row of a symbol's table is a group of events, one dimension, one window (the percentile was taken \
        over the preceding \(e(windowList(study.windows))) days) and one <strong>sign</strong>: the sign of the event's value, \
        so net buying against net selling for flow_1h, open interest rising against falling, funding paid by longs against \
        shorts, and for the three long/short ratios a ratio above against below 1 (an event of value exactly 0, or a ratio of \
        exactly 1, has no direction and is in neither row). Each cell is the <strong>difference</strong> between the mean \
        return after the group's events and the baseline's mean; beneath it, its 95\u{202F}% bootstrap interval and \
        <strong>n</strong>, the number of independent events it rests on (one per 48\u{202F}h cluster). \
        A cell is <span class="key up">green</span> when the whole interval lies above zero, \
        <span class="key down">red</span> when it lies below, white when zero is inside it (no clear difference), \
        grey when there are too few events for an interval. Hover over a cell for the events' and the baseline's mean, \
        median and hit rate (the share of returns above 0); summary.csv next to this page holds every number.</p>
        <p>Under each table, for every dimension: the hourly close with the events on it \
        (<span class="swatch positive"></span> ▲ positive, <span class="swatch negative"></span> ▼ negative, each event \
        hour once whichever windows it fired in), and beside it the returns after those event hours next to every hour's, \
        per horizon (box: 25th to 75th percentile and the median; whiskers: 5th to 95th percentile; ◆: mean; events beyond \
        the whiskers as dots).</p>

        """
    }

    private static func caveats(_ study: Study) -> String {
        let rows = study.rows
        let tested = rows.filter { $0.interval != nil }.count
        let missing = rows.reduce(0) { $0 + $1.events - $1.returns.count }
        return """
            <h2 id="caveats">Caveats</h2>
            <ul class="caveats">
            <li><strong>Overlapping events are counted once.</strong> Extreme hours come in bursts, and two events a few \
            hours apart see nearly the same future. Within a symbol, dimension, window and sign, an event triggered less than \
            \(Overlap.hours)\u{202F}h after the last event kept belongs to that event's cluster, and only the first event of \
            each cluster enters the difference and its interval (n counts them). The means, medians and hit rates of \
            summary.csv's events columns use every event.</li>
            <li><strong>Multiple comparisons.</strong> This page makes \(tested) comparisons. If the events meant nothing, \
            about 1 in 20 intervals would still exclude zero. The comparisons are not independent either: the three windows \
            mostly pick the same hours, and the four horizons of a row share their first hours, so shaded cells come in \
            families. A lone shaded cell is a lead to check on other data, not a finding.</li>
            <li><strong>The interval.</strong> Percentile bootstrap of the mean of the independent events' returns, \
            \(e(Display.fixed(Double(study.resamples), decimals: 0))) resamples, fixed seed \(study.seed) (each cell has its \
            own generator, seeded from it and the cell's name, so the report is reproducible bit for bit); none below \
            \(Bootstrap.minimumCount) independent events. With few events it is too narrow. The baseline's mean is taken as \
            known: its own error is not in the interval.</li>
            <li><strong>Prices not in the data yet.</strong> An event near the end of the range has no close N hours later; \
            it is left out of that horizon (\(missing) event and horizon pairs over the page; \
            summary.csv: events − events_with_price).</li>
            <li><strong>In-sample, no costs.</strong> One stretch of history, returns before fees, funding and slippage; \
            the events' own hours are part of the baseline.</li>
            </ul>

            """
    }

    // MARK: one symbol

    private static func section(_ symbol: SymbolStudy, _ study: Study) -> String {
        let name = symbol.symbol.full
        var out = "<h2 id=\"\(e(name))\">\(e(name))</h2>\n<p>"
        if let span = symbol.baseline.span {
            out += "Hourly closes from \(e(Display.time(span.lowerBound))) to \(e(Display.time(span.upperBound - Time.hour))): "
                + "\(e(Display.fixed(Double(symbol.baseline.hours.count), decimals: 0))) hours"
                + (symbol.baseline.missingHours > 0 ? ", \(e(Display.fixed(Double(symbol.baseline.missingHours), decimals: 0))) missing" : "")
                + ". "
        } else {
            out += "No hourly close: the 1h klines listed for \(e(name)) are empty, so there is no baseline and no return. "
        }
        out += "\(e(Display.fixed(Double(symbol.events.count), decimals: 0))) events in \(e(symbol.pricesFile))"
        if let first = symbol.events.map(\.triggeredAt).min(), let last = symbol.events.map(\.triggeredAt).max() {
            out += ", from \(e(Display.time(first))) to \(e(Display.time(last)))"
        }
        out += ".</p>\n"
        out += directionless(symbol)

        out += "<div class=\"tables\">\n<div>\n<h3>Every hour (the baseline)</h3>\n" + ResultsTable.baseline(symbol) + "\n</div>\n"
        guard !symbol.events.isEmpty else {
            out += "</div>\n<p class=\"notice\">No events for \(e(name)): \(e(symbol.pricesFile)) is empty. "
                + "Nothing to compare with the baseline; the price alone is drawn.</p>\n"
            let chart = PriceChart(baseline: symbol.baseline, markers: [], dimension: nil, symbol: symbol.symbol).render()
            return out + "<div class=\"figure\">\(chart.svg)</div>\n"
        }
        out += "<div>\n<h3>After the events, against the baseline</h3>\n" + ResultsTable.results(symbol, windows: study.windows) + "\n</div>\n</div>\n"

        for dimension in Dimension.allCases {
            let markers = PriceChart.markers(symbol.events, dimension)
            let price = PriceChart(baseline: symbol.baseline, markers: markers, dimension: dimension, symbol: symbol.symbol).render()
            let returns = ReturnChart(events: symbol.events, baseline: symbol.baseline, dimension: dimension, symbol: symbol.symbol).render()
            out += "<h3 id=\"\(e(name))-\(dimension.rawValue)\">\(e(name)) · \(dimension.rawValue) <span class=\"sub\">\(e(dimension.title))</span></h3>\n"
            out += "<div class=\"figure\">\n\(price.svg)\n\(returns)\n</div>\n"
            out += "<p class=\"caption\">" + caption(markers: markers, drawn: price.drawn, dimension: dimension) + "</p>\n"
        }
        return out
    }

    private static func caption(markers: [PriceChart.Marker], drawn: [Sign: (drawn: Int, of: Int)], dimension: Dimension) -> String {
        guard !markers.isEmpty else { return "No \(e(dimension.rawValue)) event with a price for this symbol." }
        var parts: [String] = []
        for sign in Sign.allCases {
            let counts = drawn[sign] ?? (0, 0)
            let merged = counts.of - counts.drawn
            parts.append("\(counts.of) \(sign.rawValue)" + (merged > 0 ? " (\(counts.drawn) markers: events closer than \(Markup.coordinate(PriceChart.markerSpacing)) px share one)" : ""))
        }
        return "Event hours of \(e(dimension.rawValue)), any window: " + e(parts.joined(separator: ", ")) + "."
    }

    private static func directionless(_ symbol: SymbolStudy) -> String {
        guard !symbol.directionless.isEmpty else { return "" }
        var parts: [String] = []
        for dimension in Dimension.allCases {
            for (window, count) in (symbol.directionless[dimension] ?? [:]).sorted(by: { $0.key < $1.key }) {
                parts.append("\(dimension.rawValue) \(window)\u{202F}d: \(count)")
            }
        }
        return "<p class=\"note\">Events with no direction (a value of exactly 0, a ratio of exactly 1), in neither sign's row: "
            + e(parts.joined(separator: "; ")) + ".</p>\n"
    }

    private static func footer(_ study: Study) -> String {
        let files = study.symbols.map(\.pricesFile).joined(separator: ", ")
        return "<p class=\"footer\">Written by stage-report from \(e(files)) and the 1h klines listed in download/SYM/files.csv. "
            + "Every number of the tables, and more, is in <a href=\"summary.csv\">summary.csv</a>.</p>\n"
    }

    /// `7, 30 or 90`
    private static func windowList(_ windows: [Int]) -> String {
        let names = windows.map(String.init)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// Plain CSS, without `<` or `&`, so the page stays well-formed XML.
    static let style = """
        body { margin: 0; background: #f4f4f4; color: #1d1d1d; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1300px; margin: 0 auto; padding: 20px 28px 40px; background: #ffffff; }
        h1 { font-size: 26px; margin: 4px 0 6px; }
        h2 { font-size: 20px; margin: 30px 0 8px; padding-top: 10px; border-top: 2px solid #1d1d1d; }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        .sub { font-weight: normal; color: #666666; font-size: 12px; margin-left: 6px; }
        th .sub { display: block; margin: 0; }
        p, li { max-width: 1100px; }
        .lede { font-size: 15px; }
        .notice { background: #fff6d6; border-left: 4px solid #e0b400; padding: 8px 12px; }
        .note, .caption, .footer { color: #555555; font-size: 12.5px; }
        .caption { margin: 2px 0 10px; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
        th, td { padding: 3px 8px; border-bottom: 1px solid #e4e4e4; text-align: right; vertical-align: top; }
        thead th { background: #efefef; border-bottom: 1px solid #bbbbbb; }
        tbody { border-top: 2px solid #bbbbbb; }
        .text { text-align: left; }
        th.dimension { background: #fafafa; width: 170px; }
        td.up, .key.up { background: #cfe9c6; }
        td.down, .key.down { background: #f6cfc8; }
        td.na { color: #9a9a9a; }
        .key { padding: 0 4px; }
        .ci { display: block; font-size: 11px; color: #555555; white-space: nowrap; }
        table.highlights td { white-space: nowrap; }
        .swatch { display: inline-block; width: 9px; height: 9px; margin-right: 5px; border-radius: 2px; }
        .swatch.positive { background: #2166ac; }
        .swatch.negative { background: #e66101; }
        .tables { display: flex; gap: 28px; align-items: flex-start; flex-wrap: wrap; }
        .figure { display: flex; gap: 12px; align-items: flex-start; flex-wrap: wrap; }
        svg.chart { max-width: 100%; height: auto; background: #ffffff; }
        svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
        svg.chart text.tick { font-size: 11px; fill: #555555; }
        svg.chart text.axis-title { font-size: 11px; fill: #333333; }
        svg.chart text.legend { font-size: 11.5px; }
        svg.chart text.note { font-size: 10.5px; fill: #666666; }
        svg.chart text.empty { font-size: 13px; fill: #888888; }
        svg.chart .marker { fill-opacity: 0.85; }
        """
}
