/// Benjamini–Hochberg (1995) adjusted p-values ("q-values"): the smallest false
/// discovery rate at which a cell would be declared a finding. For p-values sorted
/// ascending p(1) ≤ … ≤ p(m), q(i) = min over j ≥ i of m·p(j)/j, capped at 1;
/// listing the cells with q ≤ α keeps the expected share of false findings among
/// them at or below α when the tests are independent or positively dependent
/// (Benjamini and Yekutieli 2001, theorem 1.2). docs/DESIGN.md says why this and
/// not Benjamini–Yekutieli.
enum FalseDiscovery {
    /// The level of the page's headline.
    static let level = 0.05

    /// The q-value of each p-value, in the order given; nil stays nil (a cell without
    /// a test is not one of the m comparisons).
    static func qValues(_ pValues: [Double?]) -> [Double?] {
        let tested = pValues.indices.filter { pValues[$0] != nil }
            .sorted { (pValues[$0]!, $0) < (pValues[$1]!, $1) }
        let m = Double(tested.count)
        var q = [Double?](repeating: nil, count: pValues.count)
        var running = 1.0
        // From the largest p down, so each q is the minimum over the ranks at or above it.
        for (rank, index) in tested.enumerated().reversed() {
            running = min(running, m * pValues[index]! / Double(rank + 1))
            q[index] = running
        }
        return q
    }
}
