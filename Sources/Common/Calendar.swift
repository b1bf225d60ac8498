/// UTC calendar arithmetic on whole days and months, without Foundation's
/// time zones: the archive is published in UTC and every range is whole days.

/// Milliseconds since the epoch, the archive's unit of time.
public typealias Millis = Int64

public enum Time {
    @inlinable public static var hour: Millis { 3_600_000 }
    @inlinable public static var day: Millis { 86_400_000 }

    /// The archive switched some timestamps to microseconds (spot, 2025): a value of
    /// 10^15 or more cannot be milliseconds before the year 33658, so it is microseconds.
    @inlinable @inline(__always)
    public static func normalized(_ stamp: Millis) -> Millis {
        stamp >= 1_000_000_000_000_000 ? stamp / 1000 : stamp
    }

    /// The start of the hour containing `stamp` (floor, also before 1970).
    @inlinable @inline(__always)
    public static func hourStart(_ stamp: Millis) -> Millis {
        stamp - ((stamp % hour) + hour) % hour
    }
}

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

/// A UTC calendar month.
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    public var firstDay: Day { Day(year: year, month: month, day: 1)! }
    public var next: Month { month == 12 ? Month(year: year + 1, month: 1)! : Month(year: year, month: month + 1)! }
    public var dayCount: Int { Month.length(year: year, month: month) }
    /// Every day of the month.
    public var days: Range<Day> { firstDay..<next.firstDay }
    public var startMillis: Millis { firstDay.startMillis }
    public var endMillis: Millis { next.firstDay.startMillis }

    public var description: String { "\(Day.pad(year, 4))-\(Day.pad(month, 2))" }

    public static func < (a: Month, b: Month) -> Bool { (a.year, a.month) < (b.year, b.month) }

    static func length(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
