/// The forward horizons of SPEC "Prices after the event": the hours after an event
/// at which stage-prices records the close, stage-load stores it and stage-report
/// measures the return. The one list; `Prices` has one field per entry.
public enum Horizon {
    public static let hours = [4, 12, 24, 48]
    /// The JSON keys (and database columns) of the closes at `hours`: `price_4h`, …
    public static let keys = hours.map { "price_\($0)h" }
    /// The key of the close at the event's own hour.
    public static let triggerKey = "price_at_trigger"
    /// Every price key of a prices line, in the line's order.
    public static let priceKeys = [triggerKey] + keys
    /// The hours as prose for help texts and pages: "4, 12, 24 and 48".
    public static let spelled = hours.dropLast().map(String.init).joined(separator: ", ") + " and \(hours.last!)"
}
