import Common

/// Appends CSV text to a byte buffer without a `String` per field: fixed-point
/// decimals from scaled integers (exact, no float formatting), integers, times.
struct CSVText {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity n: Int = 0) { bytes.reserveCapacity(n) }

    mutating func line(_ text: String) {
        bytes += text.utf8
        bytes.append(0x0A)
    }

    mutating func integer(_ v: Int64) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        let first = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(m % 10))
            m /= 10
        } while m > 0
        bytes[first...].reverse()
    }

    /// `scaled / 10^decimals` with exactly `decimals` digits after the point.
    mutating func fixed(_ scaled: Int64, decimals: Int) {
        guard decimals > 0 else { integer(scaled); return }
        var unit: Int64 = 1
        for _ in 0..<decimals { unit *= 10 }
        if scaled < 0 { bytes.append(UInt8(ascii: "-")) }
        let m = Int64(scaled.magnitude)
        integer(m / unit)
        bytes.append(UInt8(ascii: "."))
        var frac = m % unit
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: decimals)
        for i in stride(from: decimals - 1, through: 0, by: -1) {
            digits[i] = UInt8(ascii: "0") + UInt8(frac % 10)
            frac /= 10
        }
        bytes += digits
    }

    /// A double rounded to `decimals` places, written as `fixed`.
    mutating func decimal(_ value: Double, decimals: Int) {
        var unit = 1.0
        for _ in 0..<decimals { unit *= 10 }
        fixed(Int64((value * unit).rounded()), decimals: decimals)
    }

    /// `YYYY-MM-DD HH:MM:SS` (UTC), the metrics' create_time.
    mutating func dateTime(_ stamp: Millis) {
        let day = Day(containing: stamp)
        bytes += day.description.utf8
        let seconds = (stamp - day.startMillis) / 1000
        bytes.append(UInt8(ascii: " "))
        two(seconds / 3600); bytes.append(UInt8(ascii: ":"))
        two(seconds / 60 % 60); bytes.append(UInt8(ascii: ":"))
        two(seconds % 60)
    }

    private mutating func two(_ v: Int64) {
        bytes.append(UInt8(ascii: "0") + UInt8(v / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(v % 10))
    }

    mutating func text(_ s: String) { bytes += s.utf8 }
    mutating func comma() { bytes.append(UInt8(ascii: ",")) }
    mutating func newline() { bytes.append(0x0A) }
}
