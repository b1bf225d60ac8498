import Common

/// The table `extreme_events` (SPEC "The database"): its columns, its key, and the
/// statements that create it. stage-load writes it; `pipeline status` and the people
/// studying the events read it.
///
/// The key is a separate unique index rather than a table constraint, so that a
/// table created here and one migrated from the original tool (same columns, no key)
/// end up with the same schema.
public enum EventsTable {
    public static let name = "extreme_events"

    /// The columns a row must have, in SPEC's order.
    public static let columns = [
        "id", "symbol", "dimension", "window_days", "triggered_at", "value", "percentile",
    ] + prices

    /// One row per event: what makes two rows the same event.
    public static let key = ["symbol", "dimension", "window_days", "triggered_at"]

    /// The prices after the event, `null` while the kline is not in the data yet.
    public static let prices = Horizon.priceKeys

    public static let keyIndex = "extreme_events_key"

    public static let createTable = """
        CREATE TABLE extreme_events (
            id INTEGER PRIMARY KEY,
            symbol TEXT,
            dimension TEXT,
            window_days INTEGER,
            triggered_at INTEGER,
            value REAL,
            percentile REAL,
        \(prices.map { "    \($0) REAL" }.joined(separator: ",\n"))
        )
        """

    public static let createKey =
        "CREATE UNIQUE INDEX \(keyIndex) ON \(name) (\(key.joined(separator: ", ")))"
}
