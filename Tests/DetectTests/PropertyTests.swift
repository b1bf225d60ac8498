import Common
import Testing
@testable import stage_detect

@Suite("the fast rule equals the definitions, on random series")
struct PropertyTests {
    /// A random series: values drawn from a small set (many ties, both signs)
    /// or from a continuous range; positive values for ratio dimensions.
    static func randomValues(_ count: Int, _ dimension: Dimension, _ rng: inout SeededRandom) -> [Double] {
        let few = Bool.random(using: &rng)
        return (0..<count).map { _ in
            switch (dimension.scoring, few) {
            case (.value, true): return Double(Int.random(in: -4...4, using: &rng)) * 0.5
            case (.value, false): return Double.random(in: -1000...1000, using: &rng)
            case (.logarithm, true): return [0.25, 0.5, 1.0, 1.5, 2.0, 4.0].randomElement(using: &rng)!
            case (.logarithm, false): return Double.random(in: 0.01...5, using: &rng)
            }
        }
    }

    static func randomRule(_ rng: inout SeededRandom) -> DetectionRule {
        DetectionRule(windowHours: Int.random(in: 1...10, using: &rng),
                      threshold: [0, 50, 75, 90, 95, 100].randomElement(using: &rng)!,
                      cooldownHours: Int.random(in: 0...4, using: &rng))
    }

    @Test("gap-free series: the events of the original index rule (the window is the previous W points)",
          arguments: [1, 2, 3, 4] as [UInt64])
    func gapFreeEqualsIndexRule(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        for trial in 0..<300 {
            let dimension = Dimension.allCases.randomElement(using: &rng)!
            let s = hourly(Self.randomValues(Int.random(in: 0...80, using: &rng), dimension, &rng), dimension)
            let rule = Self.randomRule(&rng)
            let expected = indexRuleTriggers(s, dimension, rule)
            let got = detect(scored(s, dimension), rule)
            #expect(got == expected, "seed \(seed), trial \(trial), \(dimension), W \(rule.windowHours) h, threshold \(rule.threshold), cooldown \(rule.cooldownHours) h")
        }
    }

    @Test("series with gaps: the events of SPEC's time window, transcribed in O(n²)", arguments: [5, 6, 7] as [UInt64])
    func gapsEqualTimeRule(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        for trial in 0..<300 {
            let dimension = Dimension.allCases.randomElement(using: &rng)!
            var hour = Int.random(in: 0...3, using: &rng)
            var hours: [Int] = []
            for _ in 0..<Int.random(in: 0...60, using: &rng) {
                hours.append(hour)
                hour += Bool.random(using: &rng) ? 1 : Int.random(in: 1...14, using: &rng)
            }
            let s = series(Array(zip(hours, Self.randomValues(hours.count, dimension, &rng))), dimension)
            let rule = Self.randomRule(&rng)
            #expect(detect(scored(s, dimension), rule) == timeRuleTriggers(s, dimension, rule),
                    "seed \(seed), trial \(trial), \(dimension), W \(rule.windowHours) h, threshold \(rule.threshold), cooldown \(rule.cooldownHours) h")
        }
    }

    @Test("Fenwick tree: count below a rank equals counting by hand after adds and removes")
    func fenwick() {
        var rng = SeededRandom(seed: 9)
        var tree = FenwickTree(size: 17)
        var counts = Array(repeating: 0, count: 17)
        for _ in 0..<2000 {
            let rank = Int.random(in: 0..<17, using: &rng)
            let delta = counts[rank] > 0 && Bool.random(using: &rng) ? -1 : 1
            tree.add(delta, atRank: rank)
            counts[rank] += delta
            let query = Int.random(in: 0...17, using: &rng)
            #expect(tree.count(below: query) == counts[..<query].reduce(0, +))
        }
    }
}
