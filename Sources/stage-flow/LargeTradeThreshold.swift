/// The large-trade threshold of a month, exactly as the original design: sort the
/// notionals ascending, i = floor(n × 0.95), threshold = v[i] (v[n−1] if i ≥ n;
/// 100000.0 for a month with no trade).
///
/// Found by selection rather than sorting a second copy: positive doubles order
/// like their bit patterns, so a radix pass over the top 16 bits finds the bucket
/// that holds rank i, and only that bucket's values are gathered and sorted.
enum LargeTradeThreshold {
    static let noTrades = 100_000.0

    /// The rank of the threshold among n notionals. floor(n × 0.95) in doubles, as
    /// the original computed it (equal to ⌊95n/100⌋ for every n up to 2·10^8, checked).
    static func rank(_ n: Int) -> Int {
        min(Int((Double(n) * 0.95).rounded(.down)), n - 1)
    }

    /// `signedNotionals` hold ± notional; the threshold is over |notional|.
    static func threshold(_ signedNotionals: UnsafeBufferPointer<Double>) -> Double {
        let n = signedNotionals.count
        guard n > 0 else { return noTrades }
        return select(rank: rank(n), of: signedNotionals)
    }

    /// The value of rank `k` (0-based, ascending) among the magnitudes. Each pass
    /// fixes 16 more leading bits of the answer; once the bucket holding rank k holds
    /// at most `smallBucket` values (or 48 bits are fixed) its values are gathered
    /// and sorted. (Tests make `smallBucket` tiny to run the further passes.)
    static func select(rank k: Int, of values: UnsafeBufferPointer<Double>, smallBucket: Int = 1 << 22) -> Double {
        let magnitude: UInt64 = 0x7FFF_FFFF_FFFF_FFFF
        var k = k
        var prefix: UInt64 = 0 // the leading bits fixed so far
        var shift = 48         // values in the bucket agree on bits above `shift + 16`
        var counts = [Int](repeating: 0, count: 1 << 16)
        while true {
            counts.withUnsafeMutableBufferPointer { counts in
                counts.update(repeating: 0)
                let top = shift + 16
                for v in values {
                    let bits = v.bitPattern & magnitude
                    if top == 64 || bits >> top == prefix { counts[Int((bits >> shift) & 0xFFFF)] += 1 }
                }
            }
            var bucket = 0
            while counts[bucket] <= k {
                k -= counts[bucket]
                bucket += 1
            }
            prefix = prefix << 16 | UInt64(bucket)
            if counts[bucket] <= smallBucket || shift == 16 { break }
            shift -= 16
        }
        var candidates: [Double] = []
        candidates.reserveCapacity(counts[Int(prefix & 0xFFFF)])
        for v in values where (v.bitPattern & magnitude) >> shift == prefix {
            candidates.append(Swift.abs(v))
        }
        candidates.sort()
        return candidates[k]
    }
}
