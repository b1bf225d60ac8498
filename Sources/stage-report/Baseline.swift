import Common

/// What price did after every hour of the data, events or not: the unconditional
/// returns an event's returns are compared with.
struct Baseline: Sendable {
    /// The hours that have a close, ascending, and their closes.
    let hours: [Millis]
    let closes: [Double]
    /// For each of `Horizon.hours`: close(t + N) / close(t) − 1 of every hour t that
    /// has both closes, in time order.
    let returns: [[Double]]
    let statistics: [ReturnStatistics]

    init(_ closes: HourlyCloses) {
        let hours = closes.hours
        self.init(hours: hours, closes: hours.map { closes[$0]! })
    }

    /// `hours` ascending, one close each.
    init(hours: [Millis], closes: [Double]) {
        precondition(hours.count == closes.count, "a baseline needs one close per hour")
        self.hours = hours
        self.closes = closes
        var index: [Millis: Int] = [:]
        index.reserveCapacity(hours.count)
        for (i, t) in hours.enumerated() { index[t] = i }
        returns = Horizon.hours.map { n in
            hours.indices.compactMap { i in
                index[hours[i] + Millis(n) * Time.hour].map { closes[$0] / closes[i] - 1 }
            }
        }
        statistics = returns.map(ReturnStatistics.init)
    }

    /// The hours the closes span: the first kline's open to the last kline's close.
    var span: Range<Millis>? {
        guard let first = hours.first, let last = hours.last else { return nil }
        return first..<(last + Time.hour)
    }

    /// Hours inside `span` that have no close.
    var missingHours: Int {
        guard let span else { return 0 }
        return Int((span.upperBound - span.lowerBound) / Time.hour) - hours.count
    }
}
