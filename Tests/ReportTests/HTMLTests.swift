import Common
import Foundation
import FoundationXML
import Testing
@testable import stage_report

/// Parses a page as XML: an unclosed or misnested tag, an unescaped `<` or `&`,
/// an unknown entity all fail. Counts the elements, and their classes as
/// `element.class` (`td.up`).
final class XMLCheck: NSObject, XMLParserDelegate {
    private(set) var elements: [String: Int] = [:]
    private(set) var classes: [String: Int] = [:]
    private(set) var text = ""
    private(set) var errors: [String] = []
    private(set) var open = 0

    /// nil when well-formed, else the parser's message and line.
    static func parse(_ markup: String) -> (error: String?, check: XMLCheck) {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = check
        let parsed = parser.parse()
        if parsed && check.errors.isEmpty && check.open == 0 { return (nil, check) }
        return ("line \(parser.lineNumber): parse \(parsed), open \(check.open), errors \(check.errors), \(parser.parserError.map { "\($0)" } ?? "")", check)
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements[elementName, default: 0] += 1
        open += 1
        for name in attributeDict["class"]?.split(separator: " ") ?? [] { classes["\(elementName).\(name)", default: 0] += 1 }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        open -= 1
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { errors.append("\(parseError)") }
}

@Suite("index.html: well-formed, self-contained, explains itself")
struct HTMLTests {
    /// BTC: thirty flow_1h events each followed by +1 % (interval above zero), and
    /// thirty taker_ratio events below 1 followed by returns both ways.
    func study() -> Study {
        let hours = Array(stride(from: 0, to: 7200, by: 240))
        var closes = plusOnePercent(eventHours: hours, length: 7300)
        var events = hours.map { event(hour: $0, value: 5e5, closes: closes) }
        for (i, h) in hours.map({ $0 + 60 }).enumerated() {
            closes[h] = 100
            closes[h + 4] = i % 2 == 0 ? 102 : 98
            events.append(event(.taker_ratio, window: 30, hour: h, value: 0.7, closes: closes))
        }
        return Study([(btc, "prices/BTCUSDT.jsonl", events, baseline(closes))], settings: StudySettings(resamples: 1000))
    }

    @Test("the check itself fails on unbalanced tags, stray ampersands and HTML-only entities",
          arguments: ["<html><body><p><b>x</p></body></html>", "<p>a & b</p>", "<p>a&nbsp;b</p>", "<p><br></p>"])
    func checkCanFail(markup: String) {
        let result = XMLCheck.parse(markup)
        #expect(result.error != nil)
    }

    @Test("the page parses as XML; one price, one return and one event-path chart per dimension")
    func wellFormed() throws {
        let page = HTMLReport.page(study())
        let (error, check) = XMLCheck.parse(page)
        #expect(error == nil, "\(error ?? "")")
        #expect(check.elements["svg"] == 3 * Dimension.allCases.count)
        #expect(check.elements["table"] == 3)
        #expect(check.elements["script"] == nil)
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">"))
    }

    @Test("self-contained: no script, no link, no image or style fetched from elsewhere")
    func selfContained() {
        // The namespaces name the vocabularies; nothing is fetched from them.
        let page = HTMLReport.page(study())
            .replacingOccurrences(of: "xmlns=\"http://www.w3.org/1999/xhtml\"", with: "")
            .replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        for needle in ["<script", "<link", "<img", "src=", "http://", "https://", "@import", "url("] {
            #expect(!page.contains(needle), "\(needle)")
        }
    }

    @Test("a finding (q ≤ 0.05) above zero is shaded and listed in the headline with its q and its edge after fees; an interval across zero is not")
    func highlights() throws {
        let s = study()
        let up = s.symbols[0].row(.positive, 4)
        #expect(ResultsTable.cellClass(up) == "up")
        let across = s.symbols[0].row(.taker_ratio, 30, .negative, 4)
        #expect(across.interval.map { $0.low < 0 && $0.high > 0 } == true)
        #expect(ResultsTable.cellClass(across) == "plain")
        #expect(ResultsTable.cellClass(s.symbols[0].row(.negative, 4)) == "na")

        let (error, check) = XMLCheck.parse(HTMLReport.page(s))
        #expect(error == nil)
        #expect(up.isFinding && !across.isFinding)
        let shaded = s.rows.filter(\.isFinding).count
        #expect(shaded > 0)
        // Each finding: its cell in the symbol's table and its line in the headline.
        #expect((check.classes["td.up"] ?? 0) + (check.classes["td.down"] ?? 0) == 2 * shaded)
        #expect(check.text.contains("\(shaded) of \(s.rows.filter { $0.test != nil }.count) tested cells have q\u{202F}≤\u{202F}0.05"))
        // +1 % less a round trip of 2 × 5 bps: 0.9 % after fees, minus the baseline's mean.
        #expect(abs(up.edgeAfterFees! - (up.difference! - 0.001)) < 1e-15)
        #expect(check.text.contains(Display.percent(up.edgeAfterFees!, decimals: 3)))
    }

    @Test("findings are listed by q, smallest first, and of equal q by the larger difference, either side of zero")
    func ranking() throws {
        let template = study().symbols[0].row(.positive, 4)
        func row(_ q: Double, _ difference: Double, _ horizon: Int) -> SummaryRow {
            var r = SummaryRow(symbol: template.symbol, dimension: template.dimension, windowDays: template.windowDays, sign: template.sign,
                               horizonHours: horizon, events: template.events, returns: template.returns, baseline: template.baseline,
                               clusters: template.clusters, difference: difference, test: template.test, roundTripFee: template.roundTripFee)
            r.qValue = q
            return r
        }
        let rows = [row(0.02, 0.001, 4), row(0.001, 0.002, 12), row(0.02, -0.005, 24), row(0.001, -0.003, 48), row(0.001, 0.002, 4)]
        // q 0.001: |−0.003| before the two 0.002s (those in the order given); then q 0.02: |−0.005| before 0.001.
        #expect(ResultsTable.ranked(rows).map(\.horizonHours) == [48, 12, 4, 24, 4])
        #expect(ResultsTable.ranked(rows).map(\.difference) == [-0.003, 0.002, 0.002, -0.005, 0.001])
    }

    @Test("more findings than the headline holds: the first 20 by q, the count of tested cells, a link to all of them at the end")
    func headlineAtScale() throws {
        // The +1 % events of study() in three dimensions and three windows: many findings.
        let hours = Array(stride(from: 0, to: 7200, by: 240))
        let closes = plusOnePercent(eventHours: hours, length: 7300)
        var events: [PricedEvent] = []
        for dimension in [Dimension.flow_1h, .oi_change_1h, .taker_ratio] {
            for window in [7, 30, 90] { events += hours.map { event(dimension, window: window, hour: $0, value: 5, closes: closes) } }
        }
        let s = Study([(btc, "prices/BTCUSDT.jsonl", events, baseline(closes))], settings: StudySettings(resamples: 300))
        let findings = s.rows.filter(\.isFinding)
        try #require(findings.count > ResultsTable.headlineLimit)
        let tested = s.rows.count(where: { $0.test != nil })
        let page = HTMLReport.page(s)
        #expect(XMLCheck.parse(page).error == nil)
        let headline = page[page.range(of: "<h2 id=\"highlights\">")!.lowerBound..<page.range(of: "<h2 id=\"how-to-read\">")!.lowerBound]
        #expect(headline.contains("\(findings.count) of \(tested) tested cells</strong> have q"))
        #expect(headline.contains("<a href=\"#all-findings\">all \(findings.count)</a>"))
        #expect(headline.components(separatedBy: "<tr>").count - 1 == 1 + ResultsTable.headlineLimit)
        let all = page[page.range(of: "<h2 id=\"all-findings\">")!.lowerBound...]
        #expect(all.components(separatedBy: "<tr>").count - 1 == 1 + findings.count)
        // The headline's q column, in order: ascending.
        let qs = ResultsTable.ranked(findings).prefix(ResultsTable.headlineLimit).map { $0.qValue! }
        #expect(qs == qs.sorted() && qs.last! <= findings.map { $0.qValue! }.sorted()[ResultsTable.headlineLimit - 1])
    }

    @Test("no events: the page explains it, still shows the baseline and the price, and parses")
    func noEvents() throws {
        var closes: [Int: Double] = [:]
        for h in 0..<200 { closes[h] = 100 + Double(h % 9) }
        let s = Study([(btc, "prices/BTCUSDT.jsonl", [], baseline(closes))])
        let (error, check) = XMLCheck.parse(HTMLReport.page(s))
        #expect(error == nil, "\(error ?? "")")
        #expect(check.text.contains("No events. The prices files (prices/BTCUSDT.jsonl) hold no event"))
        #expect(check.text.contains("No events for BTCUSDT"))
        #expect(check.elements["svg"] == 1)
        #expect(check.classes["table.baseline"] == 1)
        #expect(check.classes["table.results"] == nil)
    }

    @Test("no closes and no events: explained, not an error")
    func nothingAtAll() throws {
        let s = Study([(btc, "prices/BTCUSDT.jsonl", [], baseline([Double]()))])
        let (error, check) = XMLCheck.parse(HTMLReport.page(s))
        #expect(error == nil, "\(error ?? "")")
        #expect(check.text.contains("No hourly closes were found for any symbol"))
        #expect(check.text.contains("no hourly closes"))
    }

    @Test("text is escaped: the five characters XML reserves")
    func escaping() {
        #expect(Markup.escape("<a href=\"x\">Q&A's</a>") == "&lt;a href=&quot;x&quot;&gt;Q&amp;A&#39;s&lt;/a&gt;")
        #expect(Markup.escape("−0.5 % ▲") == "−0.5 % ▲")
        #expect(XMLCheck.parse("<p title=\"\(Markup.escape("a\"<&'>"))\">\(Markup.escape("<b>&</b>"))</p>").error == nil)
    }

    @Test("numbers for people: fixed decimals, a real minus, no sign on a value that rounds to zero")
    func display() {
        #expect(Display.percent(0.012345) == "+1.23\u{202F}%")
        #expect(Display.percent(-0.0005) == "\u{2212}0.05\u{202F}%")
        #expect(Display.percent(-0.00004) == "0.00\u{202F}%")
        #expect(Display.percent(nil) == "–")
        #expect(Display.fixed(42000, decimals: 0) == "42,000")
        #expect(Display.fixed(1234567.891, decimals: 2) == "1,234,567.89")
        #expect(Display.price(2301.5, step: 0.5) == "2,301.5")
        #expect(Display.time(at(14)) == "2024-01-01 14:00 UTC")
    }

    @Test("date ticks: months for a year, named, the first with its year; days for a week")
    func dateTicks() {
        let year = Day("2024-01-01")!.startMillis..<Day("2025-01-01")!.startMillis
        let months = Ticks.time(year, maxCount: 12)
        #expect(months.map(\.label) == ["2024", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])
        #expect(Ticks.time(year, maxCount: 6).map(\.label) == ["2024", "Mar", "May", "Jul", "Sep", "Nov"])
        let week = Day("2024-03-04")!.startMillis..<Day("2024-03-11")!.startMillis
        #expect(Ticks.time(week, maxCount: 10).map(\.label) == ["Mar 4, 2024", "Mar 5", "Mar 6", "Mar 7", "Mar 8", "Mar 9", "Mar 10"])
    }

    @Test("value ticks are round and cover the data", arguments: [(41_234.5, 45_876.0), (-0.0123, 0.0311), (5.0, 5.0)])
    func niceTicks(lo: Double, hi: Double) {
        let ticks = Ticks.nice(lo, hi, count: 5)
        #expect(ticks.domain.lowerBound <= lo && ticks.domain.upperBound >= hi)
        #expect((3...12).contains(ticks.values.count))
        for value in ticks.values {
            let steps = value / ticks.step
            #expect(abs(steps - steps.rounded()) < 1e-9)
        }
    }

    @Test("the price chart's markers are what its legend says: ▲ above the line for positive events, ▼ below it for negative ones")
    func markersMatchLegend() throws {
        let closes = (0..<200).map { 100 + Double($0 % 9) }
        let markers = [PriceChart.Marker(time: at(50), price: closes[50], sign: .positive),
                       PriceChart.Marker(time: at(150), price: closes[150], sign: .negative)]
        let svg = PriceChart(baseline: baseline(closes), markers: markers, dimension: .flow_1h, symbol: btc).render().svg
        for sign in Sign.allCases {
            let color = Palette.color(sign)
            #expect(svg.contains("fill=\"\(color)\">\(sign == .positive ? "▲" : "▼") \(sign.rawValue),"), "legend of \(sign)")
            let polygon = try #require(svg.range(of: "<polygon class=\"marker\" fill=\"\(color)\" points=\""))
            let points = svg[polygon.upperBound...].prefix { $0 != "\"" }.split(separator: " ")
                .map { $0.split(separator: ",").map { Double($0)! } }
            try #require(points.count == 3)
            let apex = points[0][1], base = points[1][1]
            #expect(points[1][1] == points[2][1])
            // SVG's y grows downwards: ▲ has its apex above (smaller y than) its base, ▼ below.
            #expect(sign == .positive ? apex < base : apex > base, "\(sign): apex \(apex), base \(base)")
        }
    }
}
