import Common
import Glibc
import Testing
@testable import stage_report

/// A cache with 60 days of random-walk closes (three hours missing) and events of
/// three dimensions and two windows at random hours, some without a direction,
/// some without a later price. The test recomputes every number of summary.csv
/// from the fixture with its own loops, not the stage's types.
@Suite("summary.csv against a recomputation from the fixture")
struct SummaryCSVTests {
    struct FixtureEvent {
        let dimension: Dimension
        let window: Int
        let hour: Int
        let value: Double
    }

    /// A 64-bit LCG (Knuth's MMIX constants), independent of the stage's generators.
    struct LCG {
        var state: UInt64
        mutating func unit() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    let length = 60 * 24
    static let countColumns: Set = ["events", "events_with_price", "baseline_hours", "clusters"]
    let closes: [Int: Double]
    let events: [FixtureEvent]

    init() {
        var random = LCG(state: 2024)
        var closes: [Int: Double] = [:]
        var price = 100.0
        for h in 0..<length {
            price *= 1 + (random.unit() - 0.5) * 0.02
            if ![300, 301, 302].contains(h) { closes[h] = price }
        }
        var events: [FixtureEvent] = []
        // Ordered as stage-detect orders them: dimension name, window, time.
        for dimension in [Dimension.flow_1h, .funding_rate, .taker_ratio] {
            for window in [7, 30] {
                var hours = Set<Int>()
                while hours.count < 50 { hours.insert(168 + Int(random.unit() * Double(length - 168))) }
                for (i, hour) in hours.sorted().enumerated() {
                    let u = random.unit() - 0.5
                    let value: Double
                    switch dimension {
                    case .taker_ratio: value = i == 7 ? 1 : Glibc.exp(u * 2)
                    case .funding_rate: value = u * 0.001
                    default: value = i == 3 ? 0 : u * 1e6
                    }
                    events.append(FixtureEvent(dimension: dimension, window: window, hour: hour, value: value))
                }
            }
        }
        self.closes = closes
        self.events = events
    }

    func priced(_ e: FixtureEvent) -> PricedEvent {
        event(e.dimension, window: e.window, hour: e.hour, value: e.value, closes: closes)
    }

    func run(_ dir: TemporaryDirectory) throws {
        try dir.writeKlines(closes)
        try dir.writePrices(events.map(priced))
        var command = try StageReport.parse(["--cache", dir.path, "--symbol", "btc", "--resamples", "400", "--quiet"])
        try command.run()
    }

    // MARK: the recomputation

    func sign(_ e: FixtureEvent) -> String? {
        let pivot = [.top_position_ratio, .global_account_ratio, .taker_ratio].contains(e.dimension) ? 1.0 : 0.0
        return e.value > pivot ? "positive" : e.value < pivot ? "negative" : nil
    }

    func forward(_ hour: Int, _ n: Int) -> Double? {
        guard let p0 = closes[hour], let p1 = closes[hour + n] else { return nil }
        return p1 / p0 - 1
    }

    func mean(_ x: [Double]) -> Double? {
        guard !x.isEmpty else { return nil }
        var sum = 0.0
        for v in x { sum += v }
        return sum / Double(x.count)
    }

    func median(_ x: [Double]) -> Double? {
        guard !x.isEmpty else { return nil }
        let s = x.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    func hitRate(_ x: [Double]) -> Double? {
        x.isEmpty ? nil : Double(x.filter { $0 > 0 }.count) / Double(x.count)
    }

    /// The expected fields of one row, by column name, as summary.csv writes them:
    /// counts as integers, other numbers in the shortest form, empty where undefined.
    func expected(dimension: String, window: Int, sign wanted: String, horizon n: Int) -> [String: String] {
        let group = events.filter { $0.dimension.rawValue == dimension && $0.window == window && sign($0) == wanted }
            .sorted { $0.hour < $1.hour }
        let returns = group.compactMap { forward($0.hour, n) }
        let baseline = closes.keys.sorted().compactMap { forward($0, n) }
        // Clusters of the events with a price: each starts 48 h or more after the last one's first event.
        var kept: [Int] = []
        for e in group where forward(e.hour, n) != nil && (kept.isEmpty || e.hour - kept.last! >= 48) { kept.append(e.hour) }
        let difference = mean(returns).flatMap { m in mean(baseline).map { m - $0 } }
        let counts = ["events": group.count, "events_with_price": returns.count,
                      "baseline_hours": baseline.count, "clusters": kept.count]
        let numbers = [
            "mean_return": mean(returns), "median_return": median(returns), "hit_rate": hitRate(returns),
            "baseline_mean": mean(baseline), "baseline_median": median(baseline), "baseline_hit_rate": hitRate(baseline),
            "diff_mean": difference, "round_trip_fee": 0.001, "edge_after_fees": difference.map { abs($0) - 0.001 },
        ]
        return counts.mapValues(String.init).merging(numbers.mapValues { $0?.description ?? "" }) { a, _ in a }
    }

    @Test("every row's counts, means, medians, hit rates and differences match the recomputation exactly")
    func recompute() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try run(dir)
        let lines = try FileSystem.readText("\(dir.path)/report/summary.csv").split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == SummaryCSV.header)
        #expect(lines.count == 1 + 6 * 3 * 2 * 4)

        var withInterval = 0
        var order: [String] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == header.count)
            let row = Dictionary(uniqueKeysWithValues: zip(header, fields))
            #expect(row["symbol"] == "BTC")
            order.append("\(row["dimension"]!) \(row["window_days"]!) \(row["sign"]!) \(row["horizon_h"]!)")
            let want = expected(dimension: row["dimension"]!, window: Int(row["window_days"]!)!, sign: row["sign"]!,
                                horizon: Int(row["horizon_h"]!)!)
            for (column, value) in want {
                #expect(row[column] == value, "\(order.last!) \(column)")
            }
            // Counts as integers; the other numbers in the shortest form that reads back to the same double.
            for (column, field) in zip(header, fields).dropFirst(5) where !field.isEmpty {
                if Self.countColumns.contains(column) {
                    #expect(Int(field).map(String.init) == field, "\(column) \(field)")
                } else {
                    #expect(Double(field)?.description == field, "\(column) \(field)")
                }
            }
            // The interval: present from five clusters on (60 days are more than eight weeks), centred on
            // the difference; p and q with it, q ≥ p, and the interval excludes zero exactly when p < 0.05.
            let clusters = Int(row["clusters"]!)!
            #expect(row["ci_low"]!.isEmpty == (clusters < 5), "\(order.last!)")
            #expect(row["p_value"]!.isEmpty == row["ci_low"]!.isEmpty && row["q_value"]!.isEmpty == row["ci_low"]!.isEmpty)
            if let low = Double(row["ci_low"]!), let high = Double(row["ci_high"]!), let difference = Double(row["diff_mean"]!),
               let p = Double(row["p_value"]!), let q = Double(row["q_value"]!) {
                withInterval += 1
                #expect(abs((low + high) / 2 - difference) < 1e-12, "\(order.last!): \(low) \(difference) \(high)")
                #expect((0...1).contains(p) && p <= q && q <= 1)
                #expect((low > 0 || high < 0) == (p < 0.05), "\(order.last!)")
            }
        }
        #expect(withInterval > 20)
        #expect(order.prefix(5) == ["flow_1h 7 positive 4", "flow_1h 7 positive 12", "flow_1h 7 positive 24", "flow_1h 7 positive 48", "flow_1h 7 negative 4"])
        #expect(order.last == "taker_ratio 90 negative 48")
    }

    @Test("the fixture exercises what it should: no direction, null prices, clusters, the gap")
    func fixtureCoverage() {
        #expect(events.contains { sign($0) == nil && $0.dimension == .flow_1h })
        #expect(events.contains { sign($0) == nil && $0.dimension == .taker_ratio })
        #expect(events.contains { forward($0.hour, 48) == nil && forward($0.hour, 4) != nil })
        let flow = events.filter { $0.dimension == .flow_1h && $0.window == 7 }.map(\.hour)
        #expect(zip(flow, flow.dropFirst()).contains { $1 - $0 < 48 })
    }

    @Test("the same inputs give the same bytes: run twice, in two caches")
    func reproducible() throws {
        let a = try TemporaryDirectory(), b = try TemporaryDirectory()
        defer { a.remove(); b.remove() }
        try run(a)
        try run(b)
        for name in ["summary.csv", "index.html", "event_path.csv"] {
            #expect(try FileSystem.readFile("\(a.path)/report/\(name)") == FileSystem.readFile("\(b.path)/report/\(name)"), "\(name)")
        }
    }
}
