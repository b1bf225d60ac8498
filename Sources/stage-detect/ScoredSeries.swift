import Common
import Glibc

/// A series ready for detection: the points that have a score, each with the
/// rank of its magnitude |score| among all of them (equal magnitudes share a
/// rank), so that "how many window points are less extreme" is a count of ranks.
struct ScoredSeries: Sendable {
    /// Ascending.
    let timestamps: [Millis]
    /// The raw, signed values: what an event reports.
    let values: [Double]
    /// 0-based dense rank of |score| of each point: ranks[i] < ranks[j] ⇔ |score(i)| < |score(j)|.
    let ranks: [Int]
    /// The number of distinct magnitudes.
    let rankCount: Int

    /// A point of a ratio series that has no score: left out of detection.
    struct SkippedPoint: Equatable, Sendable, CustomStringConvertible {
        let file: String
        let line: Int
        let timestamp: Millis
        let value: Double

        var description: String {
            "\(file):\(line): ratio \(NumberFormat.shortest(value)) at \(timestamp) is not positive, so it has no logarithm; left out of detection"
        }
    }

    var count: Int { timestamps.count }

    /// Scores `series` as `scoring` says; points without a score are dropped
    /// and returned in `skipped`, in file order.
    init(_ series: HourlySeries, scoring: Dimension.Scoring, skipped: inout [SkippedPoint]) {
        var timestamps: [Millis] = []
        var values: [Double] = []
        var magnitudes: [Double] = []
        timestamps.reserveCapacity(series.count)
        values.reserveCapacity(series.count)
        magnitudes.reserveCapacity(series.count)
        for index in 0..<series.count {
            let value = series.values[index]
            let score: Double
            switch scoring {
            case .value:
                score = value
            case .logarithm:
                guard value > 0 else {
                    skipped.append(SkippedPoint(file: series.file, line: series.line(ofPoint: index),
                                                timestamp: series.timestamps[index], value: value))
                    continue
                }
                score = log(value)
            }
            timestamps.append(series.timestamps[index])
            values.append(value)
            magnitudes.append(score.magnitude)
        }
        self.init(timestamps: timestamps, values: values, magnitudes: magnitudes)
    }

    /// Points already scored: `magnitudes[i]` = |score| of point i.
    init(timestamps: [Millis], values: [Double], magnitudes: [Double]) {
        precondition(timestamps.count == values.count && values.count == magnitudes.count)
        self.timestamps = timestamps
        self.values = values
        // Coordinate compression: the distinct magnitudes in ascending order; a point's rank is the index of its own.
        var distinct = magnitudes.sorted()
        var kept = 0
        for magnitude in distinct where kept == 0 || magnitude > distinct[kept - 1] {
            distinct[kept] = magnitude
            kept += 1
        }
        distinct.removeLast(distinct.count - kept)
        let ranks = magnitudes.map { magnitude in
            // lower bound: the first distinct magnitude not below `magnitude`, which equals it
            var low = 0, high = distinct.count
            while low < high {
                let middle = (low + high) / 2
                if distinct[middle] < magnitude { low = middle + 1 } else { high = middle }
            }
            return low
        }
        self.ranks = ranks
        self.rankCount = distinct.count
    }
}
