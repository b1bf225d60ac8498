@_exported import TestSupport
@_exported import ArchiveFixture
import Common
import Glibc
@testable import stage_detect

/// 2024-01-01 00:00 UTC: hour 0 of every fixture.
let hour0: Millis = 1_704_067_200_000

func at(_ hour: Int) -> Millis { hour0 + Millis(hour) * Time.hour }

/// A series of `(hour, value)` points, as if read from `series/BTCUSDT/<dimension>.csv`.
func series(_ points: [(Int, Double)], _ dimension: Dimension = .flow_1h) -> HourlySeries {
    HourlySeries(file: "series/BTCUSDT/\(dimension.rawValue).csv", timestamps: points.map { at($0.0) }, values: points.map(\.1))
}

/// Values at hours 0, 1, 2, … without gaps.
func hourly(_ values: [Double], _ dimension: Dimension = .flow_1h) -> HourlySeries {
    series(Array(zip(values.indices, values)), dimension)
}

func scored(_ series: HourlySeries, _ dimension: Dimension = .flow_1h) -> ScoredSeries {
    var skipped: [ScoredSeries.SkippedPoint] = []
    return ScoredSeries(series, scoring: dimension.scoring, skipped: &skipped)
}

/// Every percentile the rule computes, as (hour, percentile): threshold 0 and no
/// cooldown make every point that has a percentile an event.
func percentiles(_ series: HourlySeries, windowHours: Int, _ dimension: Dimension = .flow_1h) -> [Percentile] {
    detect(scored(series, dimension), DetectionRule(windowHours: windowHours, threshold: 0, cooldownHours: 0))
        .map { Percentile(hour: Int(($0.timestamp - hour0) / Time.hour), percentile: $0.percentile) }
}

/// The hours at which events fire.
func eventHours(_ series: HourlySeries, _ rule: DetectionRule, _ dimension: Dimension = .flow_1h) -> [Int] {
    detect(scored(series, dimension), rule).map { Int(($0.timestamp - hour0) / Time.hour) }
}

struct Percentile: Equatable, CustomStringConvertible {
    let hour: Int
    let percentile: Double
    init(hour: Int, percentile: Double) { self.hour = hour; self.percentile = percentile }
    var description: String { "h\(hour): \(percentile)" }
}

func p(_ hour: Int, _ percentile: Double) -> Percentile { Percentile(hour: hour, percentile: percentile) }

/// The original design's rule, by brute force: the window of point i is the
/// previous `window` points, and there is no percentile before point `window`.
func indexRuleTriggers(_ series: HourlySeries, _ dimension: Dimension, _ rule: DetectionRule) -> [Trigger] {
    let magnitudes = series.values.map { dimension.scoring == .logarithm ? log($0).magnitude : $0.magnitude }
    var triggers: [Trigger] = []
    var lastEvent: Millis? = nil
    for i in series.values.indices where i >= rule.windowHours {
        let below = (i - rule.windowHours..<i).filter { magnitudes[$0] < magnitudes[i] }.count
        let percentile = Double(100 * below) / Double(rule.windowHours)
        let t = series.timestamps[i]
        if percentile >= rule.threshold, lastEvent == nil || t - lastEvent! >= Millis(rule.cooldownHours) * Time.hour {
            triggers.append(Trigger(timestamp: t, value: series.values[i], percentile: percentile))
            lastEvent = t
        }
    }
    return triggers
}

/// SPEC's time-window rule transcribed literally, in O(n²): every point with a
/// timestamp in [t − W, t), the start rule, the empty window.
func timeRuleTriggers(_ series: HourlySeries, _ dimension: Dimension, _ rule: DetectionRule) -> [Trigger] {
    guard let first = series.timestamps.first else { return [] }
    let magnitudes = series.values.map { dimension.scoring == .logarithm ? log($0).magnitude : $0.magnitude }
    let w = Millis(rule.windowHours) * Time.hour
    var triggers: [Trigger] = []
    var lastEvent: Millis? = nil
    for (i, t) in series.timestamps.enumerated() {
        let window = series.timestamps.indices.filter { t - w <= series.timestamps[$0] && series.timestamps[$0] < t }
        guard first <= t - w, !window.isEmpty else { continue }
        let below = window.filter { magnitudes[$0] < magnitudes[i] }.count
        let percentile = Double(100 * below) / Double(window.count)
        if percentile >= rule.threshold, lastEvent == nil || t - lastEvent! >= Millis(rule.cooldownHours) * Time.hour {
            triggers.append(Trigger(timestamp: t, value: series.values[i], percentile: percentile))
            lastEvent = t
        }
    }
    return triggers
}


