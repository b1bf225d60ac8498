import ArchiveFixture
@_exported import TestSupport
import Common
import Glibc
@testable import stage_report

/// 2024-01-01 00:00 UTC: hour 0 of every fixture.
let hour0: Millis = 1_704_067_200_000

func at(_ hour: Int) -> Millis { hour0 + Millis(hour) * Time.hour }

let btc = try! Symbol("BTC")

/// A baseline over closes given per hour (a missing hour: no key).
func baseline(_ closes: [Int: Double]) -> Baseline {
    let hours = closes.keys.sorted()
    return Baseline(hours: hours.map(at), closes: hours.map { closes[$0]! })
}

/// A baseline over `closes[0]`, `closes[1]`, … at hours 0, 1, …
func baseline(_ closes: [Double]) -> Baseline {
    Baseline(hours: closes.indices.map(at), closes: closes)
}

/// An event whose prices are read from `closes` as stage-prices would: the close
/// at its hour and 4, 12, 24, 48 h later, nil where the hour has none.
func event(_ dimension: Dimension = .flow_1h, window: Int = 7, hour: Int, value: Double, closes: [Int: Double]) -> PricedEvent {
    PricedEvent(symbol: btc, dimension: dimension, windowDays: window, triggeredAt: at(hour), value: value, percentile: 95,
                priceAtTrigger: closes[hour], pricesAfter: Horizon.hours.map { closes[hour + $0] })
}

/// A price path of `length` hours at `other`, except that every hour of
/// `eventHours` closes at 100 and the hours 4, 12, 24 and 48 h after it at 101:
/// each event is followed by +1 % at every horizon. `eventHours` must be more
/// than 48 h apart.
func plusOnePercent(eventHours: [Int], length: Int, other: Double = 100) -> [Int: Double] {
    var closes: [Int: Double] = [:]
    for h in 0..<length { closes[h] = other }
    for e in eventHours {
        closes[e] = 100
        for n in Horizon.hours where e + n < length { closes[e + n] = 101 }
    }
    return closes
}

/// What report tests write into their temporary directory.
extension TemporaryDirectory {

    /// The closes as a monthly 1h klines zip of January 2024 in the cache, listed
    /// in `download/SYM/files.csv` the way stage-download lists it.
    func writeKlines(_ closes: [Int: Double], symbol: Symbol = btc) throws {
        let file = ArchiveFile(symbol: symbol, dataset: .klines, period: .month(Month("2024-01")!))
        try KlinesFixture.write(closes.keys.sorted().map { (at($0), closes[$0]!) }, as: file, in: layout)
        try AtomicFile.write(VerifiedFileList([.init(file: file, sha256: String(repeating: "0", count: 64))]).text,
                             to: layout.fileList(symbol))
    }

    func writePrices(_ events: [PricedEvent], symbol: Symbol = btc) throws {
        let ofSymbol = events.map { e in
            PricedEvent(key: EventKey(symbol: symbol.short, dimension: e.key.dimension, windowDays: e.windowDays, triggeredAt: e.triggeredAt),
                        value: e.value, percentile: e.percentile, prices: e.prices)
        }
        try PricesFile.write(ofSymbol, to: layout.prices(symbol))
    }

}

extension SymbolStudy {
    /// The row of one cell.
    func row(_ dimension: Dimension, _ window: Int, _ sign: Sign, _ horizon: Int) -> SummaryRow {
        rows(dimension, window, sign).first { $0.horizonHours == horizon }!
    }

    /// The row of one cell of flow_1h, window 7 days.
    func row(_ sign: Sign, _ horizon: Int) -> SummaryRow { row(.flow_1h, 7, sign, horizon) }
}
