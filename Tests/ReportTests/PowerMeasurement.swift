import ArchiveFixture
import Common
import Foundation
import Testing
@testable import stage_report

/// The power figures of docs/REPORT.md: on ArchiveFixture's null market with a planted drift,
/// how often the headline holds the planted cell (flow_1h, positive, +24 h, any window),
/// by drift and length. A measurement, not a check: it runs only with REPORT_POWER set
/// (`REPORT_POWER=1 swift test --filter PowerMeasurement`), and prints its table.
@Suite("power, measured", .enabled(if: ProcessInfo.processInfo.environment["REPORT_POWER"] != nil))
struct PowerMeasurement {
    @Test("the planted cell in the headline, by drift and length, over five seeds")
    func table() {
        let drifts = (ProcessInfo.processInfo.environment["REPORT_POWER_DRIFTS"] ?? "0.005,0.01,0.02,0.03,0.05")
            .split(separator: ",").compactMap { Double($0) }
        let trades = Double(ProcessInfo.processInfo.environment["REPORT_POWER_TRADES"] ?? "12") ?? 12
        let lengths = (ProcessInfo.processInfo.environment["REPORT_POWER_DAYS"] ?? "120,365").split(separator: ",").compactMap { Int($0) }
        for days in lengths {
            for drift in drifts {
                var found = 0
                var qs: [String] = []
                for seed: UInt64 in 21...25 {
                    let study = StudyMarkets.study(StudyMarkets.market(seed: seed, days: days, plantedDrift: drift, tradesPerHour: trades),
                                                   settings: StudySettings(resamples: 500))
                    let planted = study.rows.filter { $0.dimension == .flow_1h && $0.sign == .positive && $0.horizonHours == 24 }
                    if planted.contains(where: \.isFinding) { found += 1 }
                    qs.append(planted.compactMap(\.qValue).min().map { String(format: "%.3g", $0) } ?? "-")
                }
                print("power: \(days) days, \(trades) trades an hour, drift \(drift * 100) %: planted cell in the headline on \(found) of 5 seeds (smallest q \(qs))")
            }
        }
    }
}
