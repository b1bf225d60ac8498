import Glibc

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose stream depends only on
/// its seed, written out here rather than taken from the standard library (whose
/// generator may change between releases). The one seeded generator: stage-report's
/// bootstrap seeds xoshiro256** from it (a cell's seed is the stream of its name),
/// and ArchiveFixture's synthetic archive has the same bytes on every run with it.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one named stream (a symbol, a dataset) of a seed.
    public init(seed: UInt64, stream: String) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for byte in stream.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        self.init(seed: seed ^ h)
    }

    /// A second generator for `stream`, from this one's state, without drawing from it.
    public func derived(stream: String) -> SeededRandom { SeededRandom(seed: state, stream: stream) }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in the open interval (0, 1).
    public mutating func uniform() -> Double {
        (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0
    }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// Pareto with minimum 1 and tail index `alpha`: heavy-tailed sizes.
    public mutating func pareto(alpha: Double) -> Double {
        pow(uniform(), -1 / alpha)
    }
}
