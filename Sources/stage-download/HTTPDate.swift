import Common

/// HTTP dates (RFC 9110 §5.6.7), for Retry-After: the preferred IMF-fixdate
/// `Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete RFC 850
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`) forms.
enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Seconds since the epoch, or nil when `text` is not an HTTP date.
    static func secondsSinceEpoch(_ text: String) -> Int64? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let day: Int, month: Int, year: Int, clock: String
        if words.count == 6, words[0].hasSuffix(","), words[5] == "GMT" {
            // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            guard let d = Int(words[1]), let m = monthNumber(words[2]), let y = Int(words[3]) else { return nil }
            (day, month, year, clock) = (d, m, y, words[4])
        } else if words.count == 4, words[0].hasSuffix(","), words[3] == "GMT" {
            // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit years are 19xx or 20xx, whichever is nearer 2000)
            let parts = words[1].split(separator: "-").map(String.init)
            guard parts.count == 3, let d = Int(parts[0]), let m = monthNumber(parts[1]), let yy = Int(parts[2]) else { return nil }
            (day, month, year, clock) = (d, m, yy < 70 ? 2000 + yy : yy < 100 ? 1900 + yy : yy, words[2])
        } else if words.count == 5 {
            // asctime: Sun Nov  6 08:49:37 1994
            guard let m = monthNumber(words[1]), let d = Int(words[2]), let y = Int(words[4]) else { return nil }
            (day, month, year, clock) = (d, m, y, words[3])
        } else {
            return nil
        }
        let hms = clock.split(separator: ":").map { Int($0) }
        guard hms.count == 3, let h = hms[0], let mi = hms[1], let s = hms[2],
              (0..<24).contains(h), (0..<60).contains(mi), (0...60).contains(s),
              let date = Day(year: year, month: month, day: day) else { return nil }
        return Int64(date.daysSinceEpoch) * 86_400 + Int64(h * 3600 + mi * 60 + s)
    }

    private static func monthNumber(_ name: String) -> Int? {
        months.firstIndex(of: name).map { $0 + 1 }
    }
}
