/// What a detection window may be (SPEC "Extreme events"): a whole number of days
/// from 1 to 3650, 7, 30 and 90 by default. stage-detect's `--windows` writes only
/// such windows and every reader of events and prices accepts exactly these.
public enum WindowDays {
    public static let standard = [7, 30, 90]
    public static let allowed = 1...3650

    /// `7,30,90`: whole days in `allowed`, each once, ascending.
    public static func parseList(_ text: String, option: String = "--windows") throws(UsageError) -> [Int] {
        var days: [Int] = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Int(String(word.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())), allowed.contains(value) else {
                throw UsageError("\(option) expects whole numbers of days from \(allowed.lowerBound) to \(allowed.upperBound) separated by commas, like \(standard.map(String.init).joined(separator: ",")); got '\(word)'")
            }
            if !days.contains(value) { days.append(value) }
        }
        return days.sorted()
    }

    /// Why `days` read from a file is not a window, or nil when it is one.
    static func problem(_ days: Int64) -> String? {
        guard let whole = Int(exactly: days), allowed.contains(whole) else {
            return "window_days \(days) is not a whole number of days from \(allowed.lowerBound) to \(allowed.upperBound)"
        }
        return nil
    }
}
