import ArchiveFixture
import Common
import Foundation
import Testing
@testable import stage_flow

/// A plain, obviously correct fold of SPEC "Large trades", written without any
/// of stage-flow's machinery: parse with Double(String), sort a copy, index, add.
struct ReferenceFlow {
    struct Trade { let price: String, quantity: String, time: Millis, buyerIsMaker: Bool }

    static func hourly(_ trades: [Trade], month: Month) -> (threshold: Double, flow: [Millis: Double]) {
        let notionals = trades.map { Double($0.price)! * Double($0.quantity)! }
        let sorted = notionals.sorted()
        let threshold: Double
        if sorted.isEmpty {
            threshold = 100_000.0
        } else {
            let i = Int((Double(sorted.count) * 0.95).rounded(.down))
            threshold = i >= sorted.count ? sorted[sorted.count - 1] : sorted[i]
        }
        var flow: [Millis: Double] = [:]
        for day in month.days { for h in 0..<24 { flow[day.startMillis + Millis(h) * Time.hour] = 0 } }
        for (trade, notional) in zip(trades, notionals) where notional >= threshold {
            let hour = trade.time - trade.time % Time.hour
            flow[hour]! += trade.buyerIsMaker ? -notional : notional
        }
        return (threshold, flow)
    }
}

@Suite("property: stage-flow equals a plain fold, bit for bit")
struct FlowPropertyTests {
    @Test("random trades, daily files, shuffled times", arguments: [1, 2, 3])
    func randomTrades(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let month = Month("2024-02")!
        let cache = try FixtureCache()
        var trades: [ReferenceFlow.Trade] = []
        var files: [ArchiveFile] = []
        for day in month.days where Bool.random(using: &random) || day == month.firstDay {
            var csv = Bool.random(using: &random) ? aggTradesHeader : ""
            for i in 0..<Int.random(in: 0...300, using: &random) {
                // Prices with 1–2 decimals, quantities with 3, heavy-tailed sizes, times in any order.
                let price = String(format: "%.\(Int.random(in: 1...2, using: &random))f", Double.random(in: 20_000...70_000, using: &random))
                let quantity = String(format: "%.3f", pow(Double.random(in: 0.001...1, using: &random), -1.3) * 0.001)
                let time = day.startMillis + Millis.random(in: 0..<Time.day, using: &random)
                let maker = Bool.random(using: &random)
                trades.append(.init(price: price, quantity: quantity, time: time, buyerIsMaker: maker))
                let makerText = [maker ? "true" : "false", maker ? "TRUE" : "False"][i % 2]
                csv += "\(i),\(price),\(quantity),\(i),\(i),\(time),\(makerText)\n"
            }
            files.append(try cache.put(cache.file(.aggTrades, day.description), csv: csv))
        }
        try cache.list(month.description, files)
        let covered = Set(files.map(\.period.days.lowerBound))
        let reference = ReferenceFlow.hourly(trades, month: month)

        let flow = MonthFlow(symbol: cache.symbol, month: month, layout: cache.layout)
        let part = try flow.compute(flow.listing())
        #expect(part.trades == trades.count)
        #expect(part.threshold.bitPattern == reference.threshold.bitPattern)
        for (t, value) in reference.flow where covered.contains(Day(containing: t)) {
            #expect(part.hours[t]?.flow?.bitPattern == value.bitPattern, "hour \(t)")
        }
        #expect(part.hours.values.compactMap(\.flow).count == covered.count * 24)
    }
}
