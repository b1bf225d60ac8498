import ArchiveFixture
import Common
import Testing
@testable import stage_report

/// SPEC "The study report": on markets where nothing moves the price the intervals
/// exclude zero in at most 5 % of cells and the headline is empty on at least 9 pages
/// of 10, at every length; on a market with a planted drift the headline holds the
/// planted cell. The figures printed here are the ones in docs/REPORT.md.
@Suite("the report on null and planted markets")
struct CalibrationTests {
    static let settings = StudySettings(resamples: 500)

    /// What the null markets of one length gave.
    struct Calibration {
        var pages = 0, tested = 0, excluding = 0, emptyHeadlines = 0
        /// The event paths' points after the event hour that have a band, and those whose band excludes zero.
        var pathPoints = 0, pathExcluding = 0

        var share: Double { Double(excluding) / Double(tested) }
        var pathShare: Double { Double(pathExcluding) / Double(pathPoints) }

        init(days: Int, seeds: ClosedRange<UInt64>) {
            for seed in seeds {
                let study = StudyMarkets.study(StudyMarkets.market(seed: seed, days: days), settings: CalibrationTests.settings)
                let rows = study.rows
                pages += 1
                tested += rows.count(where: { $0.test != nil })
                excluding += rows.count(where: { $0.interval?.excludesZero == true })
                if !rows.contains(where: \.isFinding) { emptyHeadlines += 1 }
                // Each cell's interval and p-value say the same thing.
                for row in rows { if let test = row.test { #expect(test.interval.excludesZero == (test.pValue < 0.05)) } }
                // After the events only: before them, a path may rightly leave zero (the events are picked
                // on what price did: a USD flow is larger when price stands higher).
                for path in study.symbols[0].paths {
                    for point in path.points where point.offset > 0 {
                        guard let band = point.band else { continue }
                        pathPoints += 1
                        if band.excludesZero { pathExcluding += 1 }
                    }
                }
            }
            print("null markets: \(pages) markets of \(days) days, \(tested) cells tested, \(excluding) intervals exclude zero "
                  + "(\(share * 100) %), headline empty on \(emptyHeadlines) of \(pages); event paths after the events: "
                  + "\(pathExcluding) of \(pathPoints) hourly bands exclude zero (\(pathShare * 100) %)")
        }
    }

    @Test("null markets of 120 and 365 days: intervals exclude zero in at most 5 % of cells, the headline is empty on at least 9 pages of 10",
          arguments: [(120, UInt64(101)...112), (365, UInt64(201)...210)])
    func nullMarkets(days: Int, seeds: ClosedRange<UInt64>) throws {
        let measured = Calibration(days: days, seeds: seeds)
        #expect(measured.tested >= seeds.count * 100)
        #expect(measured.share <= 0.05)
        #expect(Double(measured.emptyHeadlines) >= 0.9 * Double(seeds.count))
        // The event paths' bands come from the same test: after the events they cover zero as often.
        #expect(measured.pathPoints >= seeds.count * 250)
        #expect(measured.pathShare <= 0.05)
    }

    /// 80 trades an hour, so that the one-sided hours stand out in the hour's net flow.
    static let plantedTrades = 80.0

    @Test("a year with a planted drift of +5 % over 24 h after strongly one-sided buying hours: flow_1h, positive, +24 h is in the headline")
    func plantedDrift() throws {
        let market = StudyMarkets.market(seed: 21, days: 365, plantedDrift: 0.05, tradesPerHour: Self.plantedTrades)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.writeKlines(Dictionary(uniqueKeysWithValues: market.hours.enumerated().map { ($0.offset, $0.element.close) }))
        try dir.writePrices(StudyMarkets.events(market.hours))
        var command = try StageReport.parse(["--cache", dir.path, "--symbol", "BTC", "--quiet", "--resamples", "500"])
        try command.run()

        let csv = try FileSystem.readText("\(dir.path)/report/summary.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let q = csv[0].firstIndex(of: "q_value")!
        let planted = csv.dropFirst().filter { $0[1] == "flow_1h" && $0[3] == "positive" && $0[4] == "24" }
        #expect(planted.count == 3)
        let found = planted.filter { Double($0[q])! <= 0.05 }
        #expect(!found.isEmpty, "q-values of flow_1h positive 24 h: \(planted.map { $0[q] })")

        let page = try FileSystem.readText("\(dir.path)/report/index.html")
        #expect(XMLCheck.parse(page).error == nil)
        let headline = page[page.range(of: "<h2 id=\"highlights\">")!.lowerBound..<page.range(of: "<h2 id=\"how-to-read\">")!.lowerBound]
        #expect(headline.contains("<td class=\"text\">flow_1h</td><td>\(found.first.map { String($0[2]) } ?? "?")\u{202F}d</td>"))
        #expect(headline.contains("net buying</td><td>+24\u{202F}h</td>"))
    }

    @Test("the same market without the plant: the null market the planted one is built on has no flow_1h finding")
    func plantedMarketWithoutPlant() throws {
        let market = StudyMarkets.market(seed: 21, days: 365, tradesPerHour: Self.plantedTrades)
        let study = StudyMarkets.study(market, settings: Self.settings)
        #expect(!study.rows.contains { $0.dimension == .flow_1h && $0.isFinding })
    }
}
