import Testing
@testable import stage_report

@Suite("the bootstrap: a seeded generator written out, a percentile interval of the mean")
struct BootstrapTests {
    /// 40 returns, not symmetric, fixed: a spread of ±2 % and a jump of +2 % every seventh.
    let returns: [Double] = (0..<40).map { (i: Int) -> Double in
        let spread = Double((i * 37) % 41 - 17) / 1000
        return i % 7 == 0 ? spread + 0.02 : spread
    }

    @Test("SplitMix64 from 0 gives the reference implementation's first words")
    func splitMix() {
        var g = SplitMix64(state: 0)
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

    @Test("the same seed gives the same interval, bit for bit; another seed another one")
    func reproducible() throws {
        let a = try #require(Bootstrap.meanInterval(returns, resamples: 2000, seed: 7))
        let b = try #require(Bootstrap.meanInterval(returns, resamples: 2000, seed: 7))
        let c = try #require(Bootstrap.meanInterval(returns, resamples: 2000, seed: 8))
        #expect(a.low.bitPattern == b.low.bitPattern && a.high.bitPattern == b.high.bitPattern)
        #expect(a != c)
    }

    @Test("the interval contains the mean and is about ±1.96 standard errors wide")
    func containsMean() throws {
        let interval = try #require(Bootstrap.meanInterval(returns, resamples: 10_000, seed: Bootstrap.defaultSeed))
        let mean = ReturnStatistics.mean(returns)
        #expect(interval.low < mean && mean < interval.high)
        let n = Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let expectedWidth = 2 * 1.96 * (variance / n).squareRoot()
        let width = interval.high - interval.low
        #expect(width > expectedWidth * 0.85 && width < expectedWidth * 1.15, "width \(width), normal approximation \(expectedWidth)")
    }

    @Test("no interval below five values", arguments: [0, 1, 4])
    func tooFew(count: Int) {
        #expect(Bootstrap.meanInterval(Array(returns.prefix(count)), resamples: 100, seed: 1) == nil)
        #expect(Bootstrap.meanInterval(Array(returns.prefix(5)), resamples: 100, seed: 1) != nil)
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
        #expect(BootstrapInterval(low: 0.01, high: 0.02).shifted(by: -0.015) == BootstrapInterval(low: 0.01 - 0.015, high: 0.02 - 0.015))
    }
}
