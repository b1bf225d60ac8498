import Common
import Foundation
import Testing
@testable import stage_report

@Suite("the test of a cell: a seeded generator written out, the two-week block bootstrap, Student's t, Benjamini–Hochberg")
struct BootstrapTests {
    /// 40 returns, not symmetric, fixed: a spread of ±2 % and a jump of +2 % every seventh.
    let returns: [Double] = (0..<40).map { (i: Int) -> Double in
        let spread = Double((i * 37) % 41 - 17) / 1000
        return i % 7 == 0 ? spread + 0.02 : spread
    }

    @Test("SeededRandom (SplitMix64) from 0 gives the reference implementation's first words")
    func splitMix() {
        var g = SeededRandom(seed: 0)
        #expect([g.next(), g.next(), g.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test("xoshiro256** from the state 1, 2, 3, 4 gives the reference implementation's first words")
    func xoshiro() {
        var g = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect((0..<6).map { _ in g.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360, 607_988_272_756_665_600])
    }

    @Test("index(below:) stays below n and reaches every index", arguments: [1, 2, 3, 7, 40])
    func indices(n: Int) {
        var g = Xoshiro256StarStar(seed: 42)
        var seen = Set<Int>()
        for _ in 0..<(n * 200) {
            let i = g.index(below: n)
            #expect((0..<n).contains(i))
            seen.insert(i)
        }
        #expect(seen.count == n)
    }

    /// A random walk of `hours` hourly closes (a 64-bit LCG, independent of the stage's generators)
    /// and, on it, the 4 h returns of every `every`-th hour from hour 0.
    func walk(hours: Int, every: Int) -> (grid: ReturnGrid, events: [(hour: Int, value: Double)], returns: [Double]) {
        var state: UInt64 = 12345
        var log = 0.0
        var closes: [Double] = []
        for _ in 0..<hours {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            log += (Double(state >> 11) / 9_007_199_254_740_992.0 - 0.5) * 0.02
            closes.append(100 * exp(log))
        }
        let grid = ReturnGrid(HourGrid(baseline(closes)), offset: 4)
        let events = stride(from: 0, to: hours - 4, by: every).map { (hour: $0, value: closes[$0 + 4] / closes[$0] - 1) }
        return (grid, events, events.map(\.value))
    }

    @Test("the same seed gives the same test, bit for bit; another seed another block standard error")
    func reproducible() throws {
        let w = walk(hours: 24 * 60, every: 24)
        let a = try #require(CellTest(events: w.events, clusters: 30, returns: w.grid, resamples: 500, seed: 7))
        let b = try #require(CellTest(events: w.events, clusters: 30, returns: w.grid, resamples: 500, seed: 7))
        let c = try #require(CellTest(events: w.events, clusters: 30, returns: w.grid, resamples: 500, seed: 8))
        #expect(a.standardError.bitPattern == b.standardError.bitPattern && a == b)
        #expect(a.blockStandardError != c.blockStandardError && a.difference == c.difference)
        #expect(a.exposureStandardError == c.exposureStandardError)
    }

    @Test("events a day apart on a random walk: both standard errors are near the textbook sd / √n, the test takes the larger")
    func standardError() throws {
        let w = walk(hours: 24 * 140, every: 24)
        let test = try #require(CellTest(events: w.events, clusters: 70, returns: w.grid, resamples: 2000, seed: 3))
        let mean = ReturnStatistics.mean(w.returns)
        let n = Double(w.returns.count)
        let textbook = (w.returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) / n).squareRoot()
        let block = try #require(test.blockStandardError)
        #expect(block > textbook * 0.8 && block < textbook * 1.25, "\(block) against \(textbook)")
        #expect(test.exposureStandardError > textbook * 0.8 && test.exposureStandardError < textbook * 1.25,
                "\(test.exposureStandardError) against \(textbook)")
        #expect(test.standardError == max(block, test.exposureStandardError))
        let t = StudentT.quantile(twoSidedTail: 0.05, df: test.degreesOfFreedom)
        #expect(abs(test.interval.high - test.difference - t * test.standardError) < 1e-15)
        #expect(test.interval.excludesZero == (test.pValue < 0.05))
    }

    @Test("no test under eight weeks of closes or five clusters of events")
    func tooLittle() {
        let short = walk(hours: 4 * 336 - 1, every: 24)
        #expect(CellTest(events: short.events, clusters: 20, returns: short.grid, resamples: 100, seed: 1) == nil)
        let long = walk(hours: 4 * 336, every: 24)
        #expect(CellTest(events: long.events, clusters: 20, returns: long.grid, resamples: 100, seed: 1) != nil)
        #expect(CellTest(events: long.events, clusters: 4, returns: long.grid, resamples: 100, seed: 1) == nil)
    }

    @Test("Student's t: the quantiles of the tables, and the tail at them", arguments: [
        (1.0, 12.706205), (4, 2.776445), (16, 2.119905), (52, 2.006647), (1e7, 1.959964),
    ])
    func studentT(df: Double, quantile: Double) {
        let t = StudentT.quantile(twoSidedTail: 0.05, df: df)
        #expect(abs(t - quantile) < 1e-5, "\(t)")
        #expect(abs(StudentT.twoSidedTail(quantile, df: df) - 0.05) < 1e-6)
        #expect(StudentT.twoSidedTail(0, df: df) == 1)
    }

    @Test("Benjamini–Hochberg: q = min over the ranks above of m·p/rank; untested cells are not counted")
    func benjaminiHochberg() {
        let q = FalseDiscovery.qValues([0.01, 0.04, 0.03, 0.005, nil, 0.5])
        // m = 5; sorted 0.005, 0.01, 0.03, 0.04, 0.5 → 0.025, 0.025, 0.05, 0.05, 0.5.
        let expected: [Double?] = [0.025, 0.05, 0.05, 0.025, nil, 0.5]
        #expect(q.count == expected.count)
        for (a, b) in zip(q, expected) { #expect(a == b || (a != nil && b != nil && abs(a! - b!) < 1e-15)) }
        #expect(FalseDiscovery.qValues([0.9, 0.8]) == [0.9, 0.9])
    }

    @Test("a cell's seed depends on the report's seed and the cell's name only")
    func cellSeeds() {
        let seed = Bootstrap.seed(Bootstrap.defaultSeed, cell: "BTC flow_1h 7 positive 4")
        #expect(seed == Bootstrap.seed(Bootstrap.defaultSeed, cell: "BTC flow_1h 7 positive 4"))
        #expect(seed != Bootstrap.seed(Bootstrap.defaultSeed, cell: "BTC flow_1h 7 positive 12"))
        #expect(seed != Bootstrap.seed(Bootstrap.defaultSeed ^ 1, cell: "BTC flow_1h 7 positive 4"))
    }

    @Test("an interval excludes zero when wholly above or wholly below it")
    func excludesZero() {
        #expect(BootstrapInterval(low: 0.001, high: 0.01).excludesZero)
        #expect(BootstrapInterval(low: -0.01, high: -0.001).excludesZero)
        #expect(!BootstrapInterval(low: -0.01, high: 0.001).excludesZero)
        #expect(!BootstrapInterval(low: 0, high: 0.01).excludesZero)
    }
}
