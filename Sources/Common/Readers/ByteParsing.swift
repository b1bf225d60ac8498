import Glibc

/// Numbers parsed in place from a field's bytes, with no `String` on the way.
/// Every parser takes the field as `[start, end)` and returns nil when the bytes
/// are not exactly one well-formed value (no spaces, no trailing garbage).
public enum ByteParsing {
    /// 10^n for n in 0…22: every one is exactly representable as a double.
    @inlinable
    static func exactPowerOfTen(_ n: Int) -> Double {
        switch n {
        case 0: return 1e0; case 1: return 1e1; case 2: return 1e2; case 3: return 1e3
        case 4: return 1e4; case 5: return 1e5; case 6: return 1e6; case 7: return 1e7
        case 8: return 1e8; case 9: return 1e9; case 10: return 1e10; case 11: return 1e11
        case 12: return 1e12; case 13: return 1e13; case 14: return 1e14; case 15: return 1e15
        case 16: return 1e16; case 17: return 1e17; case 18: return 1e18; case 19: return 1e19
        case 20: return 1e20; case 21: return 1e21; default: return 1e22
        }
    }

    /// A decimal (`42000.1`, `-0.00010000`, `1e-05`) to the correctly rounded double,
    /// the one C's `strtod` and Python's `float()` give. Fast path (Clinger): when the
    /// digits fit in 2^53 and the power of ten is at most 22, both are exact doubles
    /// and one IEEE multiply or divide rounds correctly. Otherwise `strtod` decides.
    @inlinable @inline(__always)
    public static func decimal(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        var p = start
        var negative = false
        if p < end && (p.pointee == ASCII.minus || p.pointee == ASCII.plus) {
            negative = p.pointee == ASCII.minus
            p += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0 // digits in mantissa, leading zeros not counted
        var exponent = 0
        var sawDigit = false
        var inexact = false // more than 19 significant digits: strtod rounds them
        while p < end, case let d = p.pointee &- ASCII.zero, d < 10 {
            sawDigit = true
            if significant < 19 {
                if mantissa != 0 || d != 0 { mantissa = mantissa &* 10 &+ UInt64(d); significant += 1 }
            } else {
                exponent += 1
                inexact = true
            }
            p += 1
        }
        if p < end && p.pointee == ASCII.dot {
            p += 1
            while p < end, case let d = p.pointee &- ASCII.zero, d < 10 {
                sawDigit = true
                if significant < 19 {
                    if mantissa != 0 || d != 0 { mantissa = mantissa &* 10 &+ UInt64(d); significant += 1 }
                    exponent -= 1
                } else {
                    inexact = true
                }
                p += 1
            }
        }
        guard sawDigit else { return nil }
        if p < end && (p.pointee | 0x20) == UInt8(ascii: "e") {
            p += 1
            var negativeExponent = false
            if p < end && (p.pointee == ASCII.minus || p.pointee == ASCII.plus) {
                negativeExponent = p.pointee == ASCII.minus
                p += 1
            }
            var written = 0
            var sawExponentDigit = false
            while p < end, case let d = p.pointee &- ASCII.zero, d < 10 {
                sawExponentDigit = true
                if written < 100_000 { written = written * 10 + Int(d) }
                p += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += negativeExponent ? -written : written
        }
        guard p == end else { return nil }
        if mantissa == 0 && !inexact { return negative ? -0.0 : 0.0 }
        if !inexact && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            let m = Double(mantissa)
            let value = exponent < 0 ? m / exactPowerOfTen(-exponent) : m * exactPowerOfTen(exponent)
            return negative ? -value : value
        }
        return slowDecimal(start, end)
    }

    /// glibc's `strtod` is correctly rounded; the field was validated above.
    @usableFromInline @inline(never)
    static func slowDecimal(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        let count = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { text in
            for i in 0..<count { text[i] = CChar(bitPattern: start[i]) }
            text[count] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(text.baseAddress!, &stop)
            return stop == text.baseAddress! + count ? value : nil
        }
    }

    /// A base-10 integer with an optional sign; nil on overflow.
    @inlinable @inline(__always)
    public static func integer(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int64? {
        var p = start
        let negative = p < end && p.pointee == ASCII.minus
        if negative { p += 1 }
        guard p < end else { return nil }
        var value: Int64 = 0
        while p < end {
            let d = p.pointee &- ASCII.zero
            guard d < 10 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(d))
            guard !o1 && !o2 else { return nil }
            value = sum
            p += 1
        }
        return negative ? -value : value
    }

    /// `true` / `false` in any case.
    @inlinable @inline(__always)
    public static func bool(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool? {
        switch end - start {
        case 4:
            return (start[0] | 0x20) == UInt8(ascii: "t") && (start[1] | 0x20) == UInt8(ascii: "r")
                && (start[2] | 0x20) == UInt8(ascii: "u") && (start[3] | 0x20) == UInt8(ascii: "e") ? true : nil
        case 5:
            return (start[0] | 0x20) == UInt8(ascii: "f") && (start[1] | 0x20) == UInt8(ascii: "a")
                && (start[2] | 0x20) == UInt8(ascii: "l") && (start[3] | 0x20) == UInt8(ascii: "s")
                && (start[4] | 0x20) == UInt8(ascii: "e") ? false : nil
        default:
            return nil
        }
    }

    /// `YYYY-MM-DD HH:MM:SS` (UTC) to milliseconds since the epoch.
    public static func dateTime(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Millis? {
        guard end - start == 19, start[4] == ASCII.minus, start[7] == ASCII.minus, start[10] == UInt8(ascii: " "),
              start[13] == UInt8(ascii: ":"), start[16] == UInt8(ascii: ":") else { return nil }
        func number(_ at: Int, _ width: Int) -> Int? {
            var value = 0
            for i in at..<(at + width) {
                let d = start[i] &- ASCII.zero
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            return value
        }
        guard let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2),
              let h = number(11, 2), let mi = number(14, 2), let s = number(17, 2),
              h < 24, mi < 60, s < 60, let day = Day(year: y, month: mo, day: d) else { return nil }
        return day.startMillis + Millis(h) * Time.hour + Millis(mi) * 60_000 + Millis(s) * 1000
    }

    /// A timestamp field: integer milliseconds (microseconds when ≥ 10^15), or,
    /// where `allowText`, `YYYY-MM-DD HH:MM:SS`.
    @inlinable @inline(__always)
    public static func timestamp(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, allowText: Bool = false) -> Millis? {
        if let value = integer(start, end) { return Time.normalized(value) }
        return allowText ? dateTime(start, end) : nil
    }
}
