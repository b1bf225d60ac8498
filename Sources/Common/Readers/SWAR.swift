/// SWAR ("SIMD within a register"): eight bytes as one UInt64, loaded little-endian
/// (the first byte lowest), to find separators and read digits without a loop per byte.
/// Every function here is exact: no false positives from carries between bytes.
public enum SWAR {
    @inlinable @inline(__always)
    static func repeated(_ byte: UInt8) -> UInt64 { UInt64(byte) &* 0x0101_0101_0101_0101 }

    /// The 8 bytes at `p` (which must be readable), the first one lowest.
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of every byte of `w` that equals `byte`, nothing else.
    @inlinable @inline(__always)
    public static func equalMask(_ w: UInt64, _ byte: UInt8) -> UInt64 {
        let x = w ^ repeated(byte)
        // A byte of x is zero iff adding 0x7F to its low 7 bits leaves its high bit clear
        // and it had none; the low-7-bit sums cannot carry into the next byte.
        return ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x) & 0x8080_8080_8080_8080
    }

    /// The high bits of the 8 bytes of `m` (nothing else set) as bits 0…7: byte i to bit i.
    @inlinable @inline(__always)
    public static func movemask(_ m: UInt64) -> UInt64 {
        // Bit 8i (after the shift) times 2^(56−7i) lands on bit 56+i; no other product reaches
        // the top byte and no two share a bit, so nothing carries.
        ((m &>> 7) &* 0x0102_0408_1020_4080) &>> 56
    }

    /// Whether all 8 bytes of `w` are ASCII digits. Exact: the lowest non-digit byte
    /// sees no carry or borrow from the (valid) bytes below it and sets its high bit.
    @inlinable @inline(__always)
    public static func allDigits(_ w: UInt64) -> Bool {
        ((w &+ 0x4646_4646_4646_4646) | (w &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080 == 0
    }

    /// The value of 8 ASCII digits, the first byte the most significant (three multiplies:
    /// pairs, then quadruples, then the whole).
    @inlinable @inline(__always)
    public static func eightDigits(_ w: UInt64) -> UInt64 {
        var v = w & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* 2561) &>> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) &>> 16
        return ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) &>> 32
    }

    /// The value of the first `count` (1…8) bytes of `w` as ASCII digits, or nil when one
    /// is not a digit. The digits are moved to the top and the bytes below become '0's.
    @inlinable @inline(__always)
    public static func digits(_ w: UInt64, count: Int) -> UInt64? {
        let shift = UInt64(truncatingIfNeeded: 64 &- 8 &* count) // 0…56
        let zeros: UInt64 = shift == 0 ? 0 : 0x3030_3030_3030_3030 &>> (64 &- shift)
        let v = (w &<< shift) | zeros
        return allDigits(v) ? eightDigits(v) : nil
    }

    /// 10^n for n in 0…8.
    @inlinable @inline(__always)
    static func powerOfTen(_ n: Int) -> UInt64 {
        switch n {
        case 0: return 1; case 1: return 10; case 2: return 100; case 3: return 1000
        case 4: return 10_000; case 5: return 100_000; case 6: return 1_000_000; case 7: return 10_000_000
        default: return 100_000_000
        }
    }
}

extension ByteParsing {
    /// `decimal` for the common short field, read a word at a time: 1–8 digits, optionally
    /// a '.' and 0–8 more digits. The same correctly rounded double as `decimal` (the digits
    /// make an integer below 2^53 and the power of ten is exact, so one division rounds);
    /// nil when the field has another shape, and then `decimal` decides.
    /// Reads up to 17 bytes from `start`: the caller guarantees they are readable.
    @inlinable @inline(__always)
    public static func shortDecimal(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        let n = end - start
        guard n >= 1 && n <= 17 else { return nil }
        let w = SWAR.load(start)
        let inField: UInt64 = n >= 8 ? ~0 : (1 &<< UInt64(8 * n)) &- 1
        let dots = SWAR.equalMask(w, ASCII.dot) & inField
        let intCount: Int
        if dots != 0 {
            intCount = dots.trailingZeroBitCount >> 3
        } else if n <= 8 {
            intCount = n
        } else if start[8] == ASCII.dot {
            intCount = 8
        } else {
            return nil
        }
        let fractionCount = intCount == n ? 0 : n - intCount - 1
        guard intCount >= 1 && fractionCount <= 8, let integer = SWAR.digits(w, count: intCount) else { return nil }
        var mantissa = integer
        if fractionCount > 0 {
            guard let fraction = SWAR.digits(SWAR.load(start + intCount + 1), count: fractionCount) else { return nil }
            mantissa = integer &* SWAR.powerOfTen(fractionCount) &+ fraction
        }
        guard mantissa <= 1 << 53 else { return nil }
        // 10^0…10^8 converted exactly; inlined (a call here would stall on the division).
        return Double(mantissa) / Double(SWAR.powerOfTen(fractionCount))
    }

    /// `integer` for an unsigned field of 1–16 digits, read a word at a time; nil otherwise
    /// (then `integer` decides). Reads 8 bytes from `start` and the field's last 8: the caller
    /// guarantees they are readable.
    @inlinable @inline(__always)
    public static func shortInteger(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int64? {
        let n = end - start
        if n <= 8 {
            guard n >= 1, let value = SWAR.digits(SWAR.load(start), count: n) else { return nil }
            return Int64(value)
        }
        guard n <= 16, let high = SWAR.digits(SWAR.load(start), count: n - 8),
              let low = SWAR.digits(SWAR.load(end - 8), count: 8) else { return nil }
        return Int64(high &* 100_000_000 &+ low)
    }
}
