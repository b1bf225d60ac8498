import Common

/// xoshiro256** 1.0 (Blackman and Vigna, 2018), written out here rather than
/// taken from the standard library, whose generator and `random(in:)` may change
/// between releases: the same seed gives the same report on every machine and
/// every Swift.
struct Xoshiro256StarStar {
    private var s0, s1, s2, s3: UInt64

    /// The state from four SplitMix64 words of `seed` (Common's `SeededRandom`).
    init(seed: UInt64) {
        var mix = SeededRandom(seed: seed)
        self.init(state: (mix.next(), mix.next(), mix.next(), mix.next()))
    }

    /// The state as given (not all zero), as the reference implementation's test vectors use it.
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro's state must not be all zero")
        (s0, s1, s2, s3) = state
    }

    mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// Uniform in 0..<n without bias (Lemire, 2019: multiply, reject the few
    /// low products that would favour some values); n > 0.
    mutating func index(below n: Int) -> Int {
        precondition(n > 0, "no index below \(n)")
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// A 95 % interval of a cell's difference (`CellTest`).
struct BootstrapInterval: Equatable, Sendable {
    let low: Double
    let high: Double

    /// Whether 0 lies outside the interval: the difference is "significant" at 5 %,
    /// before any allowance for the number of cells (that is the q-value's job).
    var excludesZero: Bool { low > 0 || high < 0 }
}

/// The report's seeds. Each cell has its own generator, seeded from the report's
/// seed and the cell's name, so a cell's interval depends on nothing but its own
/// data: adding a symbol does not move another symbol's intervals.
enum Bootstrap {
    /// "backfill" in ASCII.
    static let defaultSeed: UInt64 = 0x6261_636B_6669_6C6C

    /// The seed of one cell: the report's seed mixed with the FNV-1a hash of the
    /// cell's name (`BTC flow_1h 7 positive 4`).
    static func seed(_ base: UInt64, cell name: String) -> UInt64 {
        // FNV-1a of the name, xored into the base: SeededRandom's named stream.
        var mix = SeededRandom(seed: base, stream: name)
        return mix.next()
    }
}
