import Common

/// What the report reads off a line of `prices/SYM.jsonl` (the type is Common's).
extension PricedEvent {
    var sign: Sign? { Sign(of: value, dimension) }

    /// price_Nh / price_at_trigger − 1 at each of `Horizon.hours`, nil where either price is unknown.
    var forwardReturns: [Double?] {
        pricesAfter.map { after in
            guard let after, let priceAtTrigger else { return nil }
            return after / priceAtTrigger - 1
        }
    }
}
