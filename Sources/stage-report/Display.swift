import Common

/// Numbers and times as the page shows them (the CSV keeps every digit): fixed
/// decimals, a real minus sign, UTC dates, and a narrow no-break space (U+202F)
/// between a number and its unit, so that `−0.019 %` never wraps in a cell.
enum Display {
    static let minus = "\u{2212}"
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `x` with `decimals` digits after the point, rounded half away from zero;
    /// `−` for negatives, `+` for positives when `signed`, and no sign on a value
    /// that rounds to zero.
    static func fixed(_ x: Double, decimals: Int, signed: Bool = false) -> String {
        guard x.isFinite else { return "?" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let units = (x.magnitude * scale).rounded(.toNearestOrAwayFromZero)
        guard units < 9e15 else { return x < 0 ? minus + "\(x.magnitude)" : "\(x)" }
        let whole = UInt64(units)
        let factor = UInt64(scale)
        var text = grouped(whole / factor)
        if decimals > 0 {
            let fraction = String(whole % factor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        if whole == 0 { return text }
        if x < 0 { return minus + text }
        return signed ? "+" + text : text
    }

    /// A return (0.0123) as a percentage: `+1.23 %`.
    static func percent(_ x: Double?, decimals: Int = 2, signed: Bool = true) -> String {
        guard let x else { return "–" }
        return fixed(x * 100, decimals: decimals, signed: signed) + "\u{202F}%"
    }

    /// A share (0.567) as a whole percentage: `57 %`.
    static func share(_ x: Double?) -> String {
        guard let x else { return "–" }
        return fixed(x * 100, decimals: 0) + "\u{202F}%"
    }

    /// Thousands separated by commas: `42,000`.
    static func grouped(_ n: UInt64) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    /// A price with as many decimals as its size needs: `42,000`, `2,301.5`, `0.1234`.
    static func price(_ x: Double, step: Double) -> String {
        fixed(x, decimals: decimals(forStep: step))
    }

    /// The decimals that tell apart ticks `step` apart: 0 for 5, 1 for 0.5, 2 for 0.02.
    static func decimals(forStep step: Double) -> Int {
        var decimals = 0
        var unit = 1.0
        while unit > step * 1.0001 && decimals < 8 {
            unit /= 10
            decimals += 1
        }
        return decimals
    }

    /// `2024-03-02`
    static func day(_ t: Millis) -> String { Day(containing: t).description }

    /// `2024-03-02 14:00 UTC`
    static func time(_ t: Millis) -> String {
        let day = Day(containing: t)
        let minutes = (t - day.startMillis) / 60_000
        return "\(day) \(pad(minutes / 60)):\(pad(minutes % 60)) UTC"
    }

    /// `+4 h`
    static func horizon(_ hours: Int) -> String { "+\(hours)\u{202F}h" }

    private static func pad(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
