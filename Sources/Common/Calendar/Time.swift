import Glibc

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

extension Time {
    /// `YYYY-MM-DD HH:MM:SS` (UTC), as the archive writes metrics' create_time; whole seconds.
    public static func text(_ stamp: Millis) -> String { "\(Day(containing: stamp)) \(clock(stamp))" }

    /// `YYYY-MM-DDTHH:MM:SSZ`, for messages and command lines.
    public static func iso(_ stamp: Millis) -> String { "\(Day(containing: stamp))T\(clock(stamp))Z" }

    /// `HH:MM:SS` of `stamp`'s day.
    private static func clock(_ stamp: Millis) -> String {
        let seconds = Int((stamp - Day(containing: stamp).startMillis) / 1000)
        return "\(Day.pad(seconds / 3600, 2)):\(Day.pad(seconds / 60 % 60, 2)):\(Day.pad(seconds % 60, 2))"
    }

    /// Now, as the stages compare it with closed hours: `BACKFILL_NOW` (`YYYY-MM-DDTHH:MM:SSZ`)
    /// when it is set and reads as a time (the demo and the tests fix the clock with it),
    /// else the system clock.
    public static func now() -> Millis {
        if let raw = getenv("BACKFILL_NOW"), let fixed = parseISO(String(cString: raw)) { return fixed }
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Millis(ts.tv_sec) * 1000 + Millis(ts.tv_nsec / 1_000_000)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (or without the Z, or a space for the T); nil otherwise.
    public static func parseISO(_ text: String) -> Millis? {
        var text = Substring(text)
        if text.hasSuffix("Z") { text.removeLast() }
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 2, let day = Day(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }), let h = Int(clock[0]), let m = Int(clock[1]), let s = Int(clock[2]),
              (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
        return day.startMillis + Millis(h * 3600 + m * 60 + s) * 1000
    }
}
