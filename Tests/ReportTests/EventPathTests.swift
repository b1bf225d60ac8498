import Common
import Foundation
import FoundationXML
import Testing
@testable import stage_report

/// Reads the event-path charts' dots off a page: per dot, the path's symbol, dimension
/// and sign and the dot's numbers, as the `data-` attributes hold them.
final class PathDots: NSObject, XMLParserDelegate {
    private(set) var dots: [String] = []
    private var path: [String: String]? = nil

    static func read(_ page: String) -> [String] {
        let reader = PathDots()
        let parser = XMLParser(data: Data(page.utf8))
        parser.delegate = reader
        _ = parser.parse()
        return reader.dots
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes a: [String: String] = [:]) {
        if elementName == "g", a["class"] == "path" { path = a }
        if elementName == "circle", let path, let offset = a["data-offset"] {
            dots.append([path["data-symbol"], path["data-dimension"], path["data-sign"], offset, a["data-events"],
                         a["data-excess"], a["data-low"], a["data-high"]].map { $0 ?? "?" }.joined(separator: ","))
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if elementName == "g" { path = nil }
    }
}

/// event_path.csv recomputed from SummaryCSVTests' cache (a random walk with a gap, events of
/// three dimensions and two windows, some without a direction or a later price) with the
/// test's own loops, and the page's charts against the file.
@Suite("the event path: event_path.csv against a recomputation, and the page against the file")
struct EventPathTests {
    let fixture = SummaryCSVTests()

    func csv(_ dir: TemporaryDirectory) throws -> [[String: String]] {
        let lines = try FileSystem.readText("\(dir.path)/report/event_path.csv").split(separator: "\n").map(String.init)
        #expect(lines.first == EventPathCSV.header)
        let header = lines[0].split(separator: ",").map(String.init)
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init))) }
    }

    @Test("every row's events, clusters and means match the recomputation exactly; 0 at the event hour; a band from five clusters on")
    func recompute() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try fixture.run(dir)
        let rows = try csv(dir)
        #expect(rows.count == Dimension.allCases.count * 2 * 97)

        let closes = fixture.closes
        var index = 0
        for dimension in Dimension.allCases {
            for sign in ["positive", "negative"] {
                // The event hours of the dimension and sign, any window, each once, with a close.
                let hours = Set(fixture.events.filter { $0.dimension == dimension && fixture.sign($0) == sign }.map(\.hour))
                    .filter { closes[$0] != nil }.sorted()
                for offset in -48...48 {
                    let row = rows[index]
                    index += 1
                    #expect(row["symbol"] == "BTC" && row["dimension"] == dimension.rawValue && row["sign"] == sign && row["offset_h"] == String(offset))
                    func change(_ t: Int) -> Double? {
                        guard let a = closes[t], let b = closes[t + offset] else { return nil }
                        return b / a - 1
                    }
                    let values = hours.compactMap { t in change(t).map { (t, $0) } }
                    var firsts: [Int] = []
                    for (t, _) in values where firsts.isEmpty || t - firsts.last! >= 48 { firsts.append(t) }
                    var sum = 0.0
                    for (_, v) in values { sum += v }
                    var hourSum = 0.0, hourCount = 0
                    for t in 0..<fixture.length { if let v = change(t) { hourSum += v; hourCount += 1 } }
                    let mean = values.isEmpty ? nil : sum / Double(values.count)
                    let baseline = hourSum / Double(hourCount)
                    let name = "\(dimension.rawValue) \(sign) \(offset)"
                    #expect(row["events"] == String(values.count), "\(name)")
                    #expect(row["clusters"] == String(firsts.count), "\(name)")
                    #expect(row["mean_return"] == (mean?.description ?? ""), "\(name)")
                    #expect(row["baseline_mean"] == baseline.description, "\(name)")
                    #expect(row["excess_return"] == (mean.map { ($0 - baseline).description } ?? ""), "\(name)")
                    #expect(row["band_low"]!.isEmpty == (firsts.count < 5), "\(name)")
                    if offset == 0 && firsts.count >= 5 {
                        #expect(row["excess_return"] == "0.0" && row["band_low"] == "0.0" && row["band_high"] == "0.0", "\(name)")
                    }
                    if let low = Double(row["band_low"]!), let high = Double(row["band_high"]!), let excess = Double(row["excess_return"]!) {
                        #expect(abs((low + high) / 2 - excess) < 1e-12 && low <= excess && excess <= high, "\(name)")
                    }
                }
            }
        }
        #expect(rows.contains { !$0["band_low"]!.isEmpty && $0["offset_h"] != "0" })
    }

    @Test("the page's charts draw event_path.csv's numbers: a dot per row with an excess, the same digits")
    func pageEqualsCSV() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try fixture.run(dir)
        let rows = try csv(dir).filter { !$0["excess_return"]!.isEmpty }
        let fromFile = rows.map { r in
            ["symbol", "dimension", "sign", "offset_h", "events", "excess_return", "band_low", "band_high"].map { r[$0]! }.joined(separator: ",")
        }
        let page = try FileSystem.readText("\(dir.path)/report/index.html")
        let dots = PathDots.read(page)
        #expect(dots.count == fromFile.count && dots.count > 97)
        #expect(dots == fromFile)
    }

    @Test("with one window, the path after the events is the table's difference at +4, +12, +24 and +48 h")
    func pathMeetsTable() throws {
        let events = fixture.events.filter { $0.window == 7 }.map(fixture.priced)
        let closes = fixture.closes
        let study = Study([(btc, "prices/BTCUSDT.jsonl", events, baseline(closes))], settings: StudySettings(resamples: 200)).symbols[0]
        var compared = 0
        for path in study.paths {
            for horizon in Horizon.hours {
                let row = study.row(path.dimension, 7, path.sign, horizon)
                let point = path.point(horizon)
                #expect(point.events == row.returns.count)
                if let difference = row.difference {
                    #expect(abs(point.excess! - difference) < 1e-15, "\(path.name) +\(horizon)")
                    compared += 1
                }
            }
        }
        #expect(compared >= 16)
    }
}
