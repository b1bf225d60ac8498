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
