import Common
import Testing
@testable import stage_report

/// The exposure's standard error against a computation from its definition: for every
/// hourly move and every hour whose return spans it, the hour's weight (+1/events for an
/// event, −1/hours for every hour with a return) over the hour's close, times the close
/// the move starts from; a double loop over moves and hours, not the stage's prefix sums.
@Suite("the exposure's standard error: the difference as a weighted sum of the hourly moves")
struct ExposureTests {
    /// Three weeks of a random walk (a 64-bit LCG, independent of the stage's generators)
    /// with three closes missing, and 40 event hours.
    let closes: [Double?]
    let events: [Int]

    init() {
        var state: UInt64 = 77
        func unit() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var price = 100.0
        var closes: [Double?] = []
        for h in 0..<(21 * 24) {
            price *= 1 + (unit() - 0.5) * 0.03
            closes.append([100, 101, 250].contains(h) ? nil : price)
        }
        var events = Set<Int>()
        while events.count < 40 { events.insert(Int(unit() * Double(closes.count))) }
        self.closes = closes
        self.events = events.sorted()
    }

    /// The grid of `closes` (hour i at `at(i)`).
    var grid: HourGrid {
        let hours = closes.indices.filter { closes[$0] != nil }
        return HourGrid(Baseline(hours: hours.map(at), closes: hours.map { closes[$0]! }))
    }

    /// close(t + offset) / close(t) − 1, from the closes themselves.
    func change(_ t: Int, _ offset: Int) -> Double? {
        guard closes.indices.contains(t + offset), let a = closes[t], let b = closes[t + offset] else { return nil }
        return b / a - 1
    }

    /// The difference, and the exposure's standard error and effective days, from the definition.
    func definition(offset: Int, events: [Int]) -> (difference: Double, linear: Double, standardError: Double, effectiveDays: Double) {
        let withReturn = closes.indices.filter { change($0, offset) != nil }
        let priced = events.filter { change($0, offset) != nil }
        var weight = [Double](repeating: 0, count: closes.count)
        for t in withReturn { weight[t] -= 1 / Double(withReturn.count) }
        for t in priced { weight[t] += 1 / Double(priced.count) }
        let difference = priced.map { change($0, offset)! }.reduce(0, +) / Double(priced.count)
            - withReturn.map { change($0, offset)! }.reduce(0, +) / Double(withReturn.count)

        var moves: [(hour: Int, exposure: Double, move: Double)] = []
        for k in closes.indices {
            guard let close = closes[k], let from = (0..<k).last(where: { closes[$0] != nil }) else { continue }
            var exposure = 0.0
            for t in withReturn {
                // The return of hour t spans move k when k lies in (t, t + offset] (forward), or in
                // (t + offset, t] (back, where the return is minus the moves over close(t)).
                let spans = offset > 0 ? (t < k && k <= t + offset) : (t + offset < k && k <= t)
                if spans { exposure += (offset > 0 ? 1 : -1) * weight[t] / closes[t]! * closes[from]! }
            }
            moves.append((k, exposure, close / closes[from]! - 1))
        }
        let linear = moves.reduce(0) { $0 + $1.exposure * $1.move }
        let meanMove = moves.reduce(0) { $0 + $1.move } / Double(moves.count)
        var perDay: [Int: Double] = [:]
        for m in moves { perDay[m.hour / 24, default: 0] += (m.exposure * (m.move - meanMove)) * (m.exposure * (m.move - meanMove)) }
        let variance = perDay.values.reduce(0, +)
        let squares = perDay.values.reduce(0) { $0 + $1 * $1 }
        return (difference, linear, variance.squareRoot(), variance * variance / squares)
    }

    @Test("the weighted moves add up to the difference, and the stage's standard error and effective days are the definition's",
          arguments: [1, 4, 48, -1, -24])
    func againstDefinition(offset: Int) throws {
        let expected = definition(offset: offset, events: events)
        #expect(abs(expected.linear - expected.difference) < 1e-12, "\(expected.linear) against \(expected.difference)")
        let returns = ReturnGrid(grid, offset: offset)
        let exposure = try #require(Exposure(events: events.filter { change($0, offset) != nil }, returns: returns))
        #expect(abs(exposure.standardError - expected.standardError) < 1e-12 * expected.standardError,
                "\(exposure.standardError) against \(expected.standardError)")
        #expect(abs(exposure.effectiveDays - expected.effectiveDays) < 1e-9, "\(exposure.effectiveDays) against \(expected.effectiveDays)")
    }

    @Test("no event, no standard error; one event still has one")
    func edges() {
        let returns = ReturnGrid(grid, offset: 4)
        #expect(Exposure(events: [], returns: returns) == nil)
        #expect(Exposure(events: [events[0]], returns: returns) != nil)
    }
}
