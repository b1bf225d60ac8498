import ArchiveFixture
import Common
import Foundation
@testable import stage_report

/// Studies of whole synthetic markets (ArchiveFixture's `SyntheticMarket`, a null
/// market or one with a planted drift) without running the pipeline: the events are
/// found here the way stage-detect finds them (an hour whose |score| ranks at or
/// above the 90th percentile of the preceding window), from the series the
/// generator records per hour. Funding settles every 8 h and is left out: its cells
/// have no events.
enum StudyMarkets {
    static let symbol = try! Symbol("BTC")

    /// A market of `days` days from 2024-01-01, few trades an hour (the series only need
    /// their ranks), and its study.
    static func market(seed: UInt64, days: Int, nullMarket: Bool = true, plantedDrift: Double = 0,
                       tradesPerHour: Double = 12) -> SyntheticMarket {
        var profile = MarketProfile.btc(tradesPerHour: tradesPerHour)
        profile.nullMarket = nullMarket
        profile.plantedDrift = plantedDrift
        let first = Day(year: 2024, month: 1, day: 1)!
        return SyntheticMarket(profile: profile, days: first..<Day(daysSinceEpoch: first.daysSinceEpoch + days), seed: seed)
    }

    static func study(_ market: SyntheticMarket, settings: StudySettings) -> Study {
        let hours = market.hours
        let baseline = Baseline(hours: hours.map(\.start), closes: hours.map(\.close))
        return Study([(symbol, "prices/BTCUSDT.jsonl", events(hours), baseline)], settings: settings)
    }

    /// The events of every dimension but funding, windows 7, 30 and 90 days, in time order.
    static func events(_ hours: [SyntheticHour]) -> [PricedEvent] {
        let series: [(Common.Dimension, [Double])] = [
            (.flow_1h, hours.map(\.netFlow)),
            (.oi_change_1h, hours.map(\.openInterestChange)),
            (.top_position_ratio, hours.map(\.topPositionRatio)),
            (.global_account_ratio, hours.map(\.accountRatio)),
            (.taker_ratio, hours.map(\.takerRatio)),
        ]
        var events: [PricedEvent] = []
        for (dimension, values) in series {
            let magnitudes = values.map { dimension.isRatio ? abs(log($0)) : abs($0) }
            for window in Study.defaultWindows {
                for t in extremeHours(magnitudes, window: window * 24) {
                    events.append(PricedEvent(
                        symbol: btc, dimension: dimension, windowDays: window, triggeredAt: hours[t].start, value: values[t], percentile: 90,
                        priceAtTrigger: hours[t].close,
                        pricesAfter: Horizon.hours.map { t + $0 < hours.count ? hours[t + $0].close : nil }))
                }
            }
        }
        return events
    }

    /// Hours t ≥ `window` whose magnitude is greater than at least 90 % of the `window`
    /// magnitudes before it. Invariant of the loop: `sorted` holds magnitudes[t − window ..< t], ascending.
    static func extremeHours(_ magnitudes: [Double], window: Int) -> [Int] {
        guard magnitudes.count > window else { return [] }
        var sorted = magnitudes[0..<window].sorted()
        var result: [Int] = []
        for t in window..<magnitudes.count {
            let x = magnitudes[t]
            if 100 * Double(lowerBound(sorted, x)) / Double(window) >= 90 { result.append(t) }
            sorted.remove(at: lowerBound(sorted, magnitudes[t - window]))
            sorted.insert(x, at: lowerBound(sorted, x))
        }
        return result
    }

    /// The first index of `sorted` whose value is not below `x`.
    private static func lowerBound(_ sorted: [Double], _ x: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < x { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
