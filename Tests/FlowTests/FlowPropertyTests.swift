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
        let part = try flow.compute(flow.fileList())
        #expect(part.trades == trades.count)
        #expect(part.threshold.bitPattern == reference.threshold.bitPattern)
        for (t, value) in reference.flow where covered.contains(Day(containing: t)) {
            #expect(part.hours[t]?.flow?.bitPattern == value.bitPattern, "hour \(t)")
        }
        #expect(part.hours.values.compactMap(\.flow).count == covered.count * 24)
    }
}

@Suite("property: the word-wise parse equals a plain fold on every shape of line")
struct FlowShapeTests {
    /// Prices and quantities in the shapes the fast path reads (short decimals) and the ones
    /// it leaves to the byte-wise parser (signs, exponents, long digits, leading zeros),
    /// lines ending in \n or \r\n, empty lines, errors in the middle of a large block.
    @Test("odd shapes mixed into many lines, one monthly file", arguments: [7, 8])
    func oddShapes(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let month = Month("2024-02")!
        let cache = try FixtureCache()
        var trades: [ReferenceFlow.Trade] = []
        var csv = ""
        let prices = { (r: inout SeededRandom) -> String in
            let x = Double.random(in: 1...70_000, using: &r)
            switch Int.random(in: 0..<8, using: &r) {
            case 0: return String(format: "%.8f", x)            // 13+ characters: byte-wise
            case 1: return "+" + String(format: "%.2f", x)       // a sign: byte-wise
            case 2: return String(format: "%.3e", x)             // an exponent: byte-wise
            case 3: return "0000" + String(format: "%.1f", x)    // leading zeros
            case 4: return String(format: "%.0f.", x)            // "42000."
            default: return String(format: "%.\(Int.random(in: 0...3, using: &r))f", x)
            }
        }
        for i in 0..<40_000 {
            let price = prices(&random)
            let quantity = Int.random(in: 0..<5, using: &random) == 0 ? String(format: "%.12f", Double.random(in: 0...3, using: &random))
                : String(format: "%.3f", pow(Double.random(in: 0.001...1, using: &random), -1.3) * 0.001)
            let time = month.startMillis + Millis.random(in: 0..<(Millis(month.days.count) * Time.day), using: &random)
            let maker = Bool.random(using: &random)
            trades.append(.init(price: price, quantity: quantity, time: time, buyerIsMaker: maker))
            let timeText = i % 11 == 0 ? "000\(time)" : "\(time)"
            csv += "\(i),\(price),\(quantity),\(i),\(i),\(timeText),\(maker ? "true" : "False")\(i % 5 == 0 ? "\r\n" : "\n")"
            if i % 997 == 0 { csv += "\n" }
        }
        let file = try cache.put(cache.file(.aggTrades, month.description), csv: csv)
        try cache.list(month.description, [file])
        let reference = ReferenceFlow.hourly(trades, month: month)

        let flow = MonthFlow(symbol: cache.symbol, month: month, layout: cache.layout)
        let part = try flow.compute(flow.fileList())
        #expect(part.trades == trades.count)
        #expect(part.threshold.bitPattern == reference.threshold.bitPattern)
        for (t, value) in reference.flow {
            #expect(part.hours[t]?.flow?.bitPattern == value.bitPattern, "hour \(t)")
        }

        // One bad line in the middle of the same block: named with its number, whatever the path.
        // Split on the byte: "\r\n" is one Character, which a String split would not cut.
        let lines = csv.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        for (bad, message) in [("1,2,3,4,5,6,true,8", "expected 7 fields, got 8"), ("1,2,3,4,5,true", "expected 7 fields, got 6"),
                               ("1,42000.1,0.1.2,1,1,1706745600000,true", "quantity: expected a number, got '0.1.2'"),
                               ("1,42000.1,0.1,1,1,17067456000x0,true", "transact_time: expected milliseconds since the epoch, got '17067456000x0'")] {
            var broken = lines
            broken[5000] = bad
            let brokenFile = try cache.put(cache.file(.aggTrades, month.description), csv: broken.joined(separator: "\n"))
            try cache.list(month.description, [brokenFile])
            let error = #expect(throws: DataError.self) { try flow.compute(flow.fileList()) }
            #expect(error?.description == "\(brokenFile.csvName):5001: \(message)")
        }
    }
}
