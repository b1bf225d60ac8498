import Glibc

/// A UTC calendar day.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// Howard Hinnant's `days_from_civil`; `nil` for a date that does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Month.length(year: year, month: month) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = era * 146_097 + doe - 719_468
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The day containing `stamp` (milliseconds since the epoch).
    public init(containing stamp: Millis) {
        let d = stamp >= 0 ? stamp / Time.day : (stamp - Time.day + 1) / Time.day
        daysSinceEpoch = Int(d)
    }

    /// Howard Hinnant's `civil_from_days`.
    public var civil: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Today, UTC, by the system clock.
    public static var today: Day { Day(containing: Millis(time(nil)) * 1000) }

    public var month: Month { let c = civil; return Month(year: c.year, month: c.month)! }
    public var startMillis: Millis { Millis(daysSinceEpoch) * Time.day }
    public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }

    public var description: String {
        let c = civil
        return "\(Self.pad(c.year, 4))-\(Self.pad(c.month, 2))-\(Self.pad(c.day, 2))"
    }

    public static func < (a: Day, b: Day) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

extension Day: Strideable {
    public func distance(to other: Day) -> Int { other.daysSinceEpoch - daysSinceEpoch }
    public func advanced(by n: Int) -> Day { adding(days: n) }
}
