import Common

/// The hours of a load's range whose rows must equal a clean run's (SPEC "The
/// database"): per window W, [range start + W days, END). Detection gives no event
/// before range start + W (the window is not full yet), so a row there can only be
/// history from an earlier range, which stays; inside, a row no event of the load
/// reproduces is retired.
struct RetirementZone: Equatable, Sendable {
    let range: ArchiveRange

    /// The hours, as triggered_at bounds, in which rows of a window of `windowDays` are checked.
    func hours(windowDays: Int) -> Range<Millis> {
        let lower = range.start.startMillis + Millis(windowDays) * Time.day
        let upper = range.end.startMillis
        return lower..<max(lower, upper)
    }

    func contains(_ key: EventKey) -> Bool {
        hours(windowDays: key.windowDays).contains(key.triggeredAt)
    }
}
