import Common

/// One hourly series file (`timestamp,value`): its rows and the hours it spans.
struct SeriesSummary: Equatable, Sendable {
    var rows = 0
    var first: Millis?
    var last: Millis?

    /// Nil when the file does not exist; a row whose timestamp is not a number is
    /// counted but does not move the span.
    static func read(_ path: String) -> SeriesSummary? {
        guard let bytes = try? FileSystem.readFile(path) else { return nil }
        var summary = SeriesSummary()
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let field = line.prefix { $0 != UInt8(ascii: ",") }
            guard let stamp = Millis(String(decoding: field, as: UTF8.self)) else { continue }   // the header
            summary.rows += 1
            summary.first = min(summary.first ?? stamp, stamp)
            summary.last = max(summary.last ?? stamp, stamp)
        }
        return summary
    }
}

/// An events or prices file (JSON lines): how many events, the span of their
/// `triggered_at`, and how many lines still have a null price.
struct EventLinesSummary: Equatable, Sendable {
    var events = 0
    var first: Millis?
    var last: Millis?
    var withNull = 0

    private static let stampKey = Array(#""triggered_at":"#.utf8)
    private static let null = Array("null".utf8)

    /// Nil when the file does not exist. Reads only what it counts, without
    /// checking the lines (stage-load does that).
    static func read(_ path: String) -> EventLinesSummary? {
        guard let bytes = try? FileSystem.readFile(path) else { return nil }
        var summary = EventLinesSummary()
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            // Invariant: buffer[start...] is the unread rest; each pass reads one line.
            while start < buffer.count {
                let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) ?? buffer.count
                if end > start {
                    summary.events += 1
                    if let stamp = stamp(buffer, start, end) {
                        summary.first = min(summary.first ?? stamp, stamp)
                        summary.last = max(summary.last ?? stamp, stamp)
                    }
                    if find(null, buffer, start, end) != nil { summary.withNull += 1 }
                }
                start = end + 1
            }
        }
        return summary
    }

    /// The whole number after `"triggered_at":` in buffer[start..<end].
    private static func stamp(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Millis? {
        guard var i = find(stampKey, buffer, start, end) else { return nil }
        i += stampKey.count
        while i < end && buffer[i] == UInt8(ascii: " ") { i += 1 }
        var value: Millis = 0
        var digits = 0
        while i < end, buffer[i] >= UInt8(ascii: "0"), buffer[i] <= UInt8(ascii: "9"), digits < 18 {
            value = value * 10 + Millis(buffer[i] - UInt8(ascii: "0"))
            i += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// Where `needle` first occurs in buffer[start..<end].
    private static func find(_ needle: [UInt8], _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard let head = needle.first, end - start >= needle.count else { return nil }
        var i = start
        while i <= end - needle.count {
            if buffer[i] == head {
                var j = 1
                while j < needle.count && buffer[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
