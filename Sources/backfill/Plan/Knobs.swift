/// The knobs of a make run as make has them (SPEC "Interface"): text, not yet checked.
/// `backfill plan` and `backfill status` take them alike, and `Plan` checks them.
struct Knobs: Sendable, Equatable {
    var symbols = "BTCUSDT ETHUSDT"
    var symbol = ""
    /// Empty: today (UTC).
    var end = ""
    var days = "365"
    var cache = "data/backfill_cache"
    var db = "data/monitor.db"
    /// Empty: every symbol; else `INDEX/COUNT`.
    var shard = ""
}
