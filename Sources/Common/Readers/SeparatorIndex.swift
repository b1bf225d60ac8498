/// The offsets of every comma and newline of a block of CSV, in order, found 64 bytes at
/// a time (SWAR) and written out without a branch per separator. A parser then walks the
/// offsets instead of the bytes: an aggTrades line is 7 of them (6 commas, 1 newline).
public final class SeparatorIndex {
    public private(set) var offsets: UnsafeMutablePointer<UInt32>
    public private(set) var count = 0
    private var capacity: Int

    public init() {
        capacity = 1 << 16
        offsets = .allocate(capacity: capacity)
    }

    deinit { offsets.deallocate() }

    /// The largest block indexed: offsets are 32-bit.
    public static var maxBlock: Int { Int(UInt32.max) - 64 }

    /// Indexes `block` (at most `maxBlock` bytes): afterwards offsets[0..<count] are its separators.
    public func index(_ block: UnsafeRawBufferPointer) {
        precondition(block.count <= Self.maxBlock)
        count = 0
        guard let raw = block.baseAddress else { return }
        // At most one separator per byte, plus the 16 unconditional writes past the last.
        if capacity < block.count + 64 {
            offsets.deallocate()
            capacity = block.count + 64
            offsets = .allocate(capacity: capacity)
        }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let whole = block.count & ~63
        var n = 0
        var at = 0
        // Invariant: offsets[0..<n] are the separators of block[0..<at], ascending; at % 64 == 0.
        while at < whole {
            var mask: UInt64 = 0
            for k in 0..<8 {
                let w = SWAR.load(base + at + 8 * k)
                let hits = SWAR.equalMask(w, ASCII.comma) | SWAR.equalMask(w, ASCII.newline)
                mask |= SWAR.movemask(hits) &<< UInt64(8 * k)
            }
            n = Self.flatten(mask, at: at, into: offsets, count: n)
            at += 64
        }
        // The last 0–63 bytes, one at a time (no load past the block).
        while at < block.count {
            let byte = base[at]
            if byte == ASCII.comma || byte == ASCII.newline {
                offsets[n] = UInt32(truncatingIfNeeded: at)
                n += 1
            }
            at += 1
        }
        count = n
    }

    /// Appends the set bits of `mask` (bit i: byte `at + i`) to `out[n...]`; returns the new count.
    /// Writes 8 offsets whatever the count (most 64-byte runs of aggTrades hold 6 to 9), then 8
    /// more while needed: slots past the count hold garbage and are overwritten next time.
    @inline(__always)
    static func flatten(_ mask: UInt64, at: Int, into out: UnsafeMutablePointer<UInt32>, count n: Int) -> Int {
        var m = mask
        let found = m.nonzeroBitCount
        let at = UInt32(truncatingIfNeeded: at)
        var slot = out + n
        for _ in 0..<8 {
            slot.pointee = at &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
            m &= m &- 1
            slot += 1
        }
        if found > 8 {
            for _ in 0..<8 {
                slot.pointee = at &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
                m &= m &- 1
                slot += 1
            }
            while m != 0 {
                slot.pointee = at &+ UInt32(truncatingIfNeeded: m.trailingZeroBitCount)
                m &= m &- 1
                slot += 1
            }
        }
        return n + found
    }
}
