/// Counts of points per rank, with "how many points have a rank below r" in
/// O(log n): a binary indexed tree (Fenwick, 1994) over ranks 0..<size.
struct FenwickTree: Sendable {
    /// `sums[i]` (1-based) holds the count of ranks in (i − lowbit(i), i].
    private var sums: [Int]

    init(size: Int) {
        sums = Array(repeating: 0, count: size + 1)
    }

    /// Adds `delta` points of rank `rank`.
    mutating func add(_ delta: Int, atRank rank: Int) {
        var i = rank + 1
        while i < sums.count {
            sums[i] += delta
            i += i & -i
        }
    }

    /// The number of points whose rank is strictly below `rank`.
    func count(below rank: Int) -> Int {
        var total = 0
        var i = rank
        while i > 0 {
            total += sums[i]
            i -= i & -i
        }
        return total
    }
}
