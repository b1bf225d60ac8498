import Common

/// `report/index.html`: one self-contained page (styles inline, charts as inline
/// SVG, no script, no network) written as XHTML-compatible markup. It holds no
/// time of writing and no absolute path, so the same inputs give the same bytes.
/// The report's pages, each self-contained (styles inline, charts as inline SVG, no
/// script, no network) and written as XHTML-compatible markup. They hold no time of
/// writing and no absolute path, so the same inputs give the same bytes.
///
/// Up to `ReportFiles.onePageLimit` symbols: `index.html` is the whole report.
/// More: `index.html` holds the headline over every symbol and a table of symbols,
/// and links `SYM.html`, one page per symbol.
enum HTMLReport {
    private static let e = Markup.escape

    /// The one page of a report of few symbols.
    static func page(_ study: Study) -> String {
        let overviews = study.overviews
        var out = open(title: "What price did after extreme events: \(study.symbols.map(\.symbol.full).joined(separator: ", "))")
        out += header(overviews)
        out += headline(overviews, links: false)
        out += howToRead(overviews)
        out += caveats(overviews, settings: study.settings)
        for symbol in study.symbols { out += section(symbol) }
        out += allFindings(overviews, links: false)
        out += footer(overviews.map(\.pricesFile), index: false)
        return out + close
    }

    /// The page of one symbol in a report of many: its headline cells (q-values
    /// adjusted over every symbol's cells), its tables and charts.
    static func symbolPage(_ study: SymbolStudy, overviews: [SymbolOverview], settings: StudySettings) -> String {
        let overview = study.overview
        var out = open(title: "What price did after extreme events: \(study.symbol.full)")
        out += "<p class=\"note\"><a href=\"index.html\">← every symbol</a></p>\n"
        out += header([overview])
        out += headline([overview], links: false, allCells: overviews.reduce(0) { $0 + $1.rows.count(where: { $0.test != nil }) })
        out += howToRead([overview])
        out += caveats([overview], settings: settings)
        out += section(study)
        out += allFindings([overview], links: false)
        out += footer([study.pricesFile], index: true)
        return out + close
    }

    /// The index of a report of many symbols: the headline over all, then one row per symbol.
    static func index(_ overviews: [SymbolOverview], settings: StudySettings) -> String {
        var out = open(title: "What price did after extreme events: \(overviews.count) symbols")
        out += header(overviews)
        out += headline(overviews, links: true)
        out += "<h2 id=\"symbols\">Symbols</h2>\n<p>Each symbol has a page of its own with its tables and charts.</p>\n"
        out += "<table class=\"symbols\">\n<thead><tr><th class=\"text\">symbol</th><th class=\"text\">hourly closes</th><th>hours</th>"
            + "<th>events</th><th>cells tested</th><th>intervals excluding 0</th><th>q\u{202F}≤\u{202F}0.05</th></tr></thead>\n<tbody>\n"
        for overview in overviews {
            let range = overview.span.map { "\(Display.day($0.lowerBound)) to \(Display.day($0.upperBound - Time.hour))" } ?? "none"
            out += "<tr><td class=\"text\"><a href=\"\(e(pageName(overview.symbol)))\">\(e(overview.symbol.full))</a></td>"
                + "<td class=\"text\">\(e(range))</td><td>\(e(Display.fixed(Double(overview.hourCount), decimals: 0)))</td>"
                + "<td>\(e(Display.fixed(Double(overview.eventCount), decimals: 0)))</td>"
                + "<td>\(overview.rows.count(where: { $0.test != nil }))</td>"
                + "<td>\(overview.rows.count(where: { $0.interval?.excludesZero == true }))</td>"
                + "<td>\(overview.rows.count(where: \.isFinding))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        out += allFindings(overviews, links: true)
        out += howToRead(overviews)
        out += caveats(overviews, settings: settings)
        out += footer(overviews.map(\.pricesFile), index: false)
        return out + close
    }

    /// `BTCUSDT.html`
    static func pageName(_ symbol: Symbol) -> String { "\(symbol.full).html" }

    private static func open(title: String) -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(e(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <main>

        """
    }

    private static let close = "</main>\n</body>\n</html>\n"

    // MARK: the top of the page

    private static func header(_ overviews: [SymbolOverview]) -> String {
        let names = overviews.map(\.symbol.full).joined(separator: ", ")
        let events = overviews.reduce(0) { $0 + $1.eventCount }
        var out = "<h1>What price did after extreme events</h1>\n<p class=\"lede\">\(e(names)), Binance USD-M perpetuals. "
        let spans = overviews.compactMap(\.span)
        if let start = spans.map(\.lowerBound).min(), let end = spans.map(\.upperBound).max() {
            out += "Range covered: <strong>\(e(Display.time(start)))</strong> to <strong>\(e(Display.time(end - Time.hour)))</strong> "
                + "(the hourly closes of the 1h klines). "
        } else {
            out += "No hourly closes were found for any symbol, so there is no baseline and no return. "
        }
        out += "\(e(Display.fixed(Double(events), decimals: 0))) events: hours whose value ranked at or above "
            + "the 90th percentile of the preceding \(e(windowList(windows(overviews)))) days, in six dimensions.</p>\n"
        if events == 0 {
            out += "<p class=\"notice\"><strong>No events.</strong> The prices files (\(e(overviews.map(\.pricesFile).joined(separator: ", ")))) "
                + "hold no event, so there is nothing to compare with the baseline. An event needs a window of history before it: "
                + "a range shorter than the shortest window (\(windows(overviews).first ?? 7) days), or series that stage-flow left empty, "
                + "give none. The baseline and the price are shown below all the same.</p>\n"
        }
        return out
    }

    /// The findings: the cells whose q-value is at most `FalseDiscovery.level`, and nothing else,
    /// the smallest q first and at most `ResultsTable.headlineLimit` of them (the rest: `allFindings`).
    /// `allCells`: the cells the q-values were adjusted over, when more than these overviews' own.
    private static func headline(_ overviews: [SymbolOverview], links: Bool, allCells: Int? = nil) -> String {
        let rows = overviews.flatMap(\.rows)
        let tested = rows.count(where: { $0.test != nil })
        let excluding = rows.count(where: { $0.interval?.excludesZero == true })
        let findings = ResultsTable.ranked(rows.filter(\.isFinding))
        let m = allCells ?? tested
        let level = "q\u{202F}≤\u{202F}\(NumberFormat.shortest(FalseDiscovery.level))"
        var out = "<h2 id=\"highlights\">Findings: cells with \(level)</h2>\n"
        guard overviews.contains(where: { $0.eventCount > 0 }) else {
            return out + "<p>None: there are no events.</p>\n"
        }
        let over = allCells == nil ? "these \(m) tested cells" : "all \(m) tested cells of the report, every symbol's"
        if findings.isEmpty {
            out += "<p class=\"verdict\"><strong>None.</strong> No cell's q-value is at or below \(NumberFormat.shortest(FalseDiscovery.level)): "
                + "nothing here stands out from what chance gives over \(over).</p>\n"
        } else {
            let shown = min(findings.count, ResultsTable.headlineLimit)
            out += "<p class=\"verdict\"><strong>\(findings.count) of \(tested) tested cells</strong> have \(level)"
                + (shown < findings.count ? "; here the \(shown) with the smallest q (of equal q, the larger difference first); "
                    + "<a href=\"#all-findings\">all \(findings.count)</a> at the end of the page. " : ", the smallest q first (of equal q, the larger difference). ")
                + "Listing the cells whose q-value (the p-value adjusted by Benjamini–Hochberg over \(over)) is at most 0.05 "
                + "keeps the expected share of false findings in this list at 5\u{202F}% or less. "
                + "Green: price did better after the events than after an ordinary hour; red: worse. "
                + "“After fees” is the difference less a round trip's taker fees: negative, a trade on it would lose.</p>\n"
            out += ResultsTable.highlights(Array(findings.prefix(shown)), links: links) + "\n"
        }
        out += "<p class=\"note\">For scale: \(excluding) of \(tested) cells have a 95\u{202F}% interval that excludes zero on its own; "
            + "if the events meant nothing, about \(e(Display.fixed(Double(tested) * 0.05, decimals: 0))) would by chance, which is why "
            + "a lone interval is not listed here."
        if tested < rows.count {
            out += " \(rows.count - tested) more cells have too little data for a test (fewer than \(CellTest.minimumClusters) "
                + "clusters of events, or less than \(CellTest.minimumWeeks) weeks of closes)."
        }
        return out + "</p>\n"
    }

    /// Every finding, when the headline could not list them all.
    private static func allFindings(_ overviews: [SymbolOverview], links: Bool) -> String {
        let findings = ResultsTable.ranked(overviews.flatMap(\.rows).filter(\.isFinding))
        guard findings.count > ResultsTable.headlineLimit else { return "" }
        return "<h2 id=\"all-findings\">All \(findings.count) findings</h2>\n<p>Every cell with q\u{202F}≤\u{202F}"
            + "\(NumberFormat.shortest(FalseDiscovery.level)), the smallest q first (of equal q, the larger difference) "
            + "(<a href=\"#highlights\">back to the findings</a>).</p>\n"
            + ResultsTable.highlights(findings, links: links) + "\n"
    }

    private static func howToRead(_ overviews: [SymbolOverview]) -> String {
        """
        <h2 id="how-to-read">How to read this</h2>
        <p>A <strong>return</strong> is the close N hours after the event's hour divided by the close of that hour, minus 1, \
        for N = \(Horizon.spelled). The <strong>baseline</strong> is the same return after <em>every</em> hour of the range, \
        events or not. Each row of a symbol's table is a group of events, one dimension, one window (the percentile was taken \
        over the preceding \(e(windowList(windows(overviews)))) days) and one <strong>sign</strong>: the sign of the event's value, \
        so net buying against net selling for flow_1h, open interest rising against falling, funding paid by longs against \
        shorts, and for the three long/short ratios a ratio above against below 1 (an event of value exactly 0, or a ratio of \
        exactly 1, has no direction and is in neither row). Each cell is the <strong>difference</strong> between the mean \
        return after the group's events and the baseline's mean; beneath it, its 95\u{202F}% interval, <strong>n</strong>, the \
        number of events, with the number of 48\u{202F}h clusters they form in brackets, and <strong>q</strong>, the cell's \
        false-discovery-adjusted p-value; “&lt;\u{202F}fees” marks a difference smaller than a round trip's taker fees \
        (see <a href="#caveats">costs</a>), which a trade could not keep. A cell is <span class="key up">green</span> or <span class="key down">red</span> \
        only when it is a finding (q\u{202F}≤\u{202F}0.05; the difference above or below zero), white otherwise, even when its \
        interval alone excludes zero, grey when there is too little data for a test. Hover over a cell for the events' and the \
        baseline's mean, median and hit rate (the share of returns above 0) and the difference after fees; summary.csv next \
        to this page holds every number.</p>
        <p>Under each table, for every dimension: the hourly close with the events on it \
        (<span class="swatch positive"></span> ▲ positive, above the line; <span class="swatch negative"></span> ▼ negative, \
        below it; each event hour once whichever windows it fired in), and beside it the returns after those event hours next \
        to every hour's, per horizon (box: 25th to 75th percentile and the median; whiskers: 5th to 95th percentile; ◆: mean; \
        events beyond the whiskers as dots).</p>
        <p>Between the table and those charts, the event study: per dimension and sign, the mean return from the event \
        hour's close to every hour from 48 h before to 48 h after it, less the same over every hour, with its 95\u{202F}% band. \
        A slope before the event hour is information: price moving into the event (momentum in), or moving before the \
        event could be known (a leak).</p>

        """
    }

    private static func caveats(_ overviews: [SymbolOverview], settings: StudySettings) -> String {
        let rows = overviews.flatMap(\.rows)
        let tested = rows.count(where: { $0.test != nil })
        let missing = rows.reduce(0) { $0 + $1.events - $1.returns.count }
        return """
            <h2 id="caveats">Caveats</h2>
            <ul class="caveats">
            <li><strong>The interval.</strong> Every event counts. Extreme hours come in bursts and events a few hours apart \
            share most of their future, so the interval does not treat them as independent. A return is the sum of the hourly \
            moves of the price it spans, so the difference is a weighted sum of those moves, each weighted by how much of it the \
            events' returns hold less how much every hour's do; its standard error adds up each move's weight times the move, \
            squared, hour by hour (overlaps and volatile hours included exactly). A bootstrap of whole two-week stretches of the \
            range (\(e(Display.fixed(Double(settings.resamples), decimals: 0))) resamples, fixed seed \(settings.seed), one \
            generator per cell) gives a second standard error that also keeps any dependence between the hours; the interval is \
            the difference ± Student's t times the larger of the two, with as many degrees of freedom as the effective number of \
            days the variance rests on. The baseline's own sampling error is in it. No test below \(CellTest.minimumClusters) \
            clusters or \(CellTest.minimumWeeks) weeks of data. On markets where nothing moves the price, at most 5\u{202F}% of \
            these intervals exclude zero, with 3 to 24 months of data (measured in docs/REPORT.md).</li>
            <li><strong>Multiple comparisons.</strong> \(tested) comparisons here; if the events meant nothing, about 1 in 20 \
            intervals would still exclude zero. Hence the headline lists only the cells whose q-value (Benjamini–Hochberg over \
            every cell of the report, every symbol's) is at most 0.05. The cells are not independent: the three windows mostly \
            pick the same hours, and the four horizons of a row share their first hours, so findings come in families.</li>
            <li><strong>Prices not in the data yet.</strong> An event near the end of the range has no close N hours later; \
            it is left out of that horizon (\(missing) event and horizon pairs; summary.csv: events − events_with_price).</li>
            <li><strong>Costs.</strong> A round trip pays the taker fee twice: \(e(Display.fixed(settings.feeBps, decimals: 1)))\u{202F}bps \
            a side, \(e(Display.percent(settings.roundTripFee, decimals: 2, signed: false))) in all (--fee-bps). “After fees” and \
            summary.csv's edge_after_fees are |difference| minus that: a difference smaller than the fees cannot be traded. \
            Funding and slippage are not counted.</li>
            <li><strong>In-sample.</strong> One stretch of history; the events' own hours are part of the baseline. A finding is \
            a lead to check on other data.</li>
            </ul>

            """
    }

    // MARK: one symbol

    private static func section(_ symbol: SymbolStudy) -> String {
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
        out += "<div>\n<h3>After the events, against the baseline</h3>\n" + ResultsTable.results(symbol, windows: symbol.windows) + "\n</div>\n</div>\n"
        out += eventStudy(symbol)

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

    /// The event paths of every dimension (`EventPathChart`), and what they say.
    private static func eventStudy(_ symbol: SymbolStudy) -> String {
        let name = symbol.symbol.full
        var out = "<h3 id=\"\(e(name))-event-study\">\(e(name)) · around the events: mean return from the event hour's close, "
            + "in excess of every hour's</h3>\n<div class=\"paths\">\n"
        for dimension in Dimension.allCases {
            out += EventPathChart(paths: symbol.paths, dimension: dimension, symbol: symbol.symbol).render() + "\n"
        }
        out += "</div>\n<p class=\"caption\">Per dimension and sign (every window's events, each event hour once): the mean of "
            + "close(t\u{202F}+\u{202F}h)\u{202F}/\u{202F}close(t)\u{202F}−\u{202F}1 over the event hours t, less the same over every hour, "
            + "from h\u{202F}=\u{202F}−48 to +48\u{202F}h, hour by hour; 0 at the event hour's close; in brackets, the event hours. Shaded: the 95\u{202F}% band, "
            + "from the same test as the table's intervals, hour by hour (not adjusted for the many hours and cells: the headline's "
            + "q-values are). Right of 0: what price did after the events beyond what it does after any hour (at +4, +12, +24 and "
            + "+48\u{202F}h the table's cells, over every window's events at once). <strong>Left of 0: where price stood before "
            + "the events. A slope there is information, not noise:</strong> price moving into the event hour (momentum in: the "
            + "events follow moves), or moving before the event could be known (a leak). Hover over a dot for its numbers; "
            + "every one is in <a href=\"\(ReportFiles.eventPathFile)\">\(ReportFiles.eventPathFile)</a>.</p>\n"
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

    private static func footer(_ files: [String], index: Bool) -> String {
        "<p class=\"footer\">Written by stage-report from \(e(files.joined(separator: ", "))) and the 1h klines listed in download/SYM/files.csv. "
            + "Every number of the tables, and more, is in <a href=\"summary.csv\">summary.csv</a>, every point of the event paths in "
            + "<a href=\"\(ReportFiles.eventPathFile)\">\(ReportFiles.eventPathFile)</a>"
            + (index ? "; every symbol: <a href=\"index.html\">index.html</a>." : ".") + "</p>\n"
    }

    /// Every symbol's windows, ascending.
    private static func windows(_ overviews: [SymbolOverview]) -> [Int] {
        Set(Study.defaultWindows).union(overviews.flatMap(\.windows)).sorted()
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
        .verdict { font-size: 15px; }
        .fee-note { color: #8a1f11; }
        .swatch.positive { background: #2166ac; }
        .swatch.negative { background: #e66101; }
        .tables { display: flex; gap: 28px; align-items: flex-start; flex-wrap: wrap; }
        .figure { display: flex; gap: 12px; align-items: flex-start; flex-wrap: wrap; }
        .paths { display: flex; gap: 6px 14px; align-items: flex-start; flex-wrap: wrap; }
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
