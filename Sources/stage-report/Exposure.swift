/// The standard error of a cell's difference from what the difference is made of: the
/// price's hourly moves.
///
/// A return close(t + N) / close(t) − 1 is the sum of the moves close(k) − close(k − 1)
/// for k in (t, t + N], each divided by close(t). So the difference (the events' mean
/// return minus every hour's) is exactly Σ_k c_k·x_k, with x_k = close(k) / close(k − 1) − 1
/// the hour's relative move and c_k its exposure: how much of move k the events' returns
/// hold, less how much every hour's do (Σ over the events and hours t whose return spans
/// move k of ±weight / close(t) · close(k − 1)). Events close together share moves, and
/// that overlap is in c_k exactly. If the moves have no mean given the past (the price
/// is not predictable hour to hour, which is what the report tests), the terms are
/// uncorrelated, however volatile each hour is, and Var = Σ_k c_k²·σ_k²: estimated hour by
/// hour with the move's own square (White 1980; the martingale central limit theorem),
/// volatility clusters included, with no block length to choose.
///
/// How much that estimate can be trusted depends on how many independent pieces it sums:
/// the effective number of days (Σ_d V_d)² / Σ_d V_d² over the days' shares V_d of the
/// variance (Kish's effective sample size; days, not hours, because an hour's volatility
/// persists for hours) is the degrees of freedom of Student's t (`CellTest`).
struct Exposure: Equatable {
    let standardError: Double
    let effectiveDays: Double

    /// `events`: the grid hours of the cell's events (each once) that have a return at
    /// `returns`' offset. Moves across a missing close are one move from the last close
    /// before it. Nil without events or without a return.
    init?(events: [Int], returns: ReturnGrid) {
        let grid = returns.grid, n = grid.hours, offset = returns.offset
        guard !events.isEmpty, let total = returns.count.last, total > 0, offset != 0 else { return nil }
        // weight[t] / close(t): +1/events for an event hour, −1/hours for every hour with a return.
        var perPrice = [Double](repeating: 0, count: n)
        for t in 0..<n where returns.hasReturn(t) { perPrice[t] = -1 / total / grid.closes[t]! }
        for t in events { perPrice[t] += 1 / Double(events.count) / grid.closes[t]! }
        var prefix = [Double](repeating: 0, count: n + 1)
        for t in 0..<n { prefix[t + 1] = prefix[t] + perPrice[t] }

        // Move k (from the close before it to close k) is in the returns of the hours t in
        // [k − offset, k − 1] (forward) or [k, k + |offset| − 1] (back, with the opposite sign);
        // its exposure is their weights' sum times the close it starts from. Each day's share
        // of the variance: Σ (exposure·(move − mean move))² over its moves.
        guard !grid.moves.isEmpty else { return nil }
        var perDay = [Double](repeating: 0, count: n / 24 + 1)
        for move in grid.moves {
            let k = move.hour
            let share = offset > 0 ? prefix[k] - prefix[max(k - offset, 0)] : prefix[k] - prefix[min(k - offset, n)]
            let term = share * move.from * (move.relative - grid.meanMove)
            perDay[k / 24] += term * term
        }
        var variance = 0.0, squares = 0.0
        for v in perDay {
            variance += v
            squares += v * v
        }
        standardError = variance.squareRoot()
        effectiveDays = squares > 0 ? variance * variance / squares : 1
    }
}
