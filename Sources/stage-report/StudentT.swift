import Foundation

/// Student's t distribution: the two-sided tail probability and the quantile the
/// report's intervals and p-values use. With few independent blocks of data the
/// standard error is itself uncertain; t with (blocks − 1) degrees of freedom
/// widens the interval accordingly, and tends to the normal as the data grows.
enum StudentT {
    /// P(|T| ≥ t) for T with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2).
    static func twoSidedTail(_ t: Double, df: Double) -> Double {
        precondition(df > 0, "t needs positive degrees of freedom")
        guard t.isFinite else { return t.isNaN ? 1 : 0 }
        let x = df / (df + t * t)
        return min(1, max(0, regularizedBeta(x, df / 2, 0.5)))
    }

    /// The t with P(|T| ≥ t) = `tail` (0 < tail < 1), by bisection on `twoSidedTail`
    /// (decreasing in t); accurate to 1e-10.
    static func quantile(twoSidedTail tail: Double, df: Double) -> Double {
        precondition(tail > 0 && tail < 1, "a two-sided tail lies in (0, 1)")
        var low = 0.0, high = 1.0
        while twoSidedTail(high, df: df) > tail { high *= 2 }
        for _ in 0..<200 where high - low > 1e-10 {
            let middle = (low + high) / 2
            if twoSidedTail(middle, df: df) > tail { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    /// The regularized incomplete beta function I_x(a, b), by its continued fraction
    /// (Lentz's method, as in Numerical Recipes §6.4), using the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logGammas + logPowers)
        if x < (a + 1) / (a + b + 2) { return front * continuedFraction(x, a, b) / a }
        return 1 - front * continuedFraction(1 - x, b, a) / b
    }

    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            // The even step, then the odd step of the fraction.
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return h
    }
}
