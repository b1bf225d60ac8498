import ArchiveFixture
import Common
import Foundation

/// The pipeline's results computed again, plainly, from the CSV text the test archive
/// was made of: `Double(String)` per field, dictionaries, sorts. Nothing here is shared
/// with the stages, so an agreement means something.
enum Reference {
    typealias Point = (time: Millis, value: Double)

    /// The CSV rows of the files the pipeline reads for one month of `dataset`: the
    /// monthly file of a complete month, else that month's daily files in date order.
    static func rows(_ archive: SyntheticArchive, _ symbol: Symbol, _ dataset: Dataset, _ month: Month) -> (rows: [[Substring]], days: [Day]) {
        let range = archive.configuration.range
        let monthly = ArchiveFile(symbol: symbol, dataset: dataset, period: .month(month))
        var texts: [[UInt8]] = []
        var days: [Day] = []
        if range.isComplete(month), dataset != .metrics, let csv = archive.csv[monthly] {
            texts = [csv]
            days = Array(range.days(of: month))
        } else if dataset == .fundingRate {
            if let csv = archive.csv[monthly] { texts = [csv] }
        } else {
            for day in range.days(of: month) {
                if let csv = archive.csv[ArchiveFile(symbol: symbol, dataset: dataset, period: .day(day))] {
                    texts.append(csv)
                    days.append(day)
                }
            }
        }
        var rows: [[Substring]] = []
        for text in texts {
            for line in String(decoding: text, as: UTF8.self).split(separator: "\n") {
                guard let first = line.first, first.isNumber else { continue }  // the header
                rows.append(line.split(separator: ",", omittingEmptySubsequences: false))
            }
        }
        return (rows, days)
    }

    /// flow_1h and the thresholds, per SPEC "Large trades".
    static func flow(_ archive: SyntheticArchive, _ symbol: Symbol) -> (series: [Point], thresholds: [(month: String, trades: Int, threshold: Double)]) {
        let range = archive.configuration.range
        var series: [Point] = []
        var thresholds: [(String, Int, Double)] = []
        for month in range.months {
            let (rows, days) = Self.rows(archive, symbol, .aggTrades, month)
            let trades = rows.map { r in (notional: Double(r[1])! * Double(r[2])!, time: Int64(r[5])!, sell: r[6].lowercased() == "true") }
            let sorted = trades.map(\.notional).sorted()
            let threshold = sorted.isEmpty ? 100_000.0 : sorted[min(Int((Double(sorted.count) * 0.95).rounded(.down)), sorted.count - 1)]
            thresholds.append((month.description, trades.count, threshold))
            var sums: [Millis: Double] = [:]
            for t in trades where t.notional >= threshold {
                let hour = t.time - t.time % Time.hour
                sums[hour, default: 0] += t.sell ? -t.notional : t.notional
            }
            for day in days {
                for h in 0..<24 {
                    let hour = day.startMillis + Millis(h) * Time.hour
                    series.append((hour, sums[hour] ?? 0))
                }
            }
        }
        return (series, thresholds)
    }

    /// The value of metrics column `column` in the last row of each hour.
    static func metrics(_ archive: SyntheticArchive, _ symbol: Symbol, column: Int) -> [Point] {
        var last: [Millis: (time: Millis, value: Double)] = [:]
        for month in archive.configuration.range.months {
            for row in rows(archive, symbol, .metrics, month).rows {
                let time = metricsTime(row[0])
                let hour = time - time % Time.hour
                if let seen = last[hour], seen.time > time { continue }
                last[hour] = (time, Double(row[column])!)
            }
        }
        return last.keys.sorted().map { ($0, last[$0]!.value) }
    }

    /// OI(h) / OI(h−1) − 1 where both hours have a row.
    static func openInterestChange(_ archive: SyntheticArchive, _ symbol: Symbol) -> [Point] {
        let oi = Dictionary(uniqueKeysWithValues: metrics(archive, symbol, column: 2).map { ($0.time, $0.value) })
        return oi.keys.sorted().compactMap { h in oi[h - Time.hour].map { (h, oi[h]! / $0 - 1) } }
    }

    /// One row per settlement hour: the later calc_time's rate.
    static func funding(_ archive: SyntheticArchive, _ symbol: Symbol) -> [Point] {
        let range = archive.configuration.range
        var last: [Millis: (time: Millis, value: Double)] = [:]
        for month in range.months {
            for row in rows(archive, symbol, .fundingRate, month).rows {
                let time = Int64(row[0])!
                guard time >= range.start.startMillis, time < range.end.startMillis else { continue }
                let hour = time - time % Time.hour
                if let seen = last[hour], seen.time > time { continue }
                last[hour] = (time, Double(row[2])!)
            }
        }
        return last.keys.sorted().map { ($0, last[$0]!.value) }
    }

    /// Close of every kline by open_time.
    static func closes(_ archive: SyntheticArchive, _ symbol: Symbol) -> [Millis: Double] {
        var out: [Millis: Double] = [:]
        for month in archive.configuration.range.months {
            for row in rows(archive, symbol, .klines, month).rows { out[Int64(row[0])!] = Double(row[4])! }
        }
        return out
    }

    /// SPEC "Extreme events", the slow obvious way: for each point, scan the series
    /// for the window [t − W h, t).
    static func events(_ series: [Point], windowHours: Int, logScore: Bool) -> [(time: Millis, value: Double, percentile: Double)] {
        let span = Millis(windowHours) * Time.hour
        let score = { (x: Double) -> Double in abs(logScore ? Foundation.log(x) : x) }
        var out: [(Millis, Double, Double)] = []
        var lastEvent: Millis? = nil
        for (t, x) in series {
            guard let first = series.first, first.time <= t - span else { continue }
            let window = series.filter { $0.time >= t - span && $0.time < t }
            guard !window.isEmpty else { continue }
            let below = window.filter { score($0.value) < score(x) }.count
            let percentile = Double(100 * below) / Double(window.count)
            if percentile >= 90, lastEvent.map({ t - $0 >= Time.hour }) ?? true {
                out.append((t, x, percentile))
                lastEvent = t
            }
        }
        return out
    }

    /// `YYYY-MM-DD HH:MM:SS` → milliseconds.
    static func metricsTime(_ text: Substring) -> Millis {
        let parts = text.split(separator: " ")
        let clock = parts[1].split(separator: ":").map { Int64($0)! }
        return Day(String(parts[0]))!.startMillis + (clock[0] * 3600 + clock[1] * 60 + clock[2]) * 1000
    }
}

