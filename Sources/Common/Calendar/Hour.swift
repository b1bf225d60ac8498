/// A UTC hour: [start, start + 1 h). Named `YYYY-MM-DDTHH` (`2024-03-10T14`).
public struct Hour: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since the epoch, a multiple of `Time.hour`.
    public let start: Millis

    /// The hour containing `stamp`.
    public init(containing stamp: Millis) { start = Time.hourStart(stamp) }

    public init(_ day: Day, _ hour: Int) {
        precondition((0..<24).contains(hour), "an hour of a day is 0 to 23")
        start = day.startMillis + Millis(hour) * Time.hour
    }

    /// Parses `YYYY-MM-DDTHH`.
    public init?(_ text: String) {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let day = Day(String(parts[0])), parts[1].count == 2,
              let h = Int(parts[1]), (0..<24).contains(h) else { return nil }
        self.init(day, h)
    }

    public var day: Day { Day(containing: start) }
    /// The hour of its day, 0 to 23.
    public var hourOfDay: Int { Int((start - day.startMillis) / Time.hour) }
    public var end: Millis { start + Time.hour }
    public var next: Hour { Hour(containing: end) }

    public var description: String { "\(day)T\(Day.pad(hourOfDay, 2))" }

    public static func < (a: Hour, b: Hour) -> Bool { a.start < b.start }
}

extension Hour: Strideable {
    public func distance(to other: Hour) -> Int { Int((other.start - start) / Time.hour) }
    public func advanced(by n: Int) -> Hour { Hour(containing: start + Millis(n) * Time.hour) }
}
