import Common

/// What a load changes in one batch of symbols (`LoadBatch`), from the batch's
/// events and the rows of its symbols already there; a load and its dry run
/// compute the same plans, batch after batch, and only the load applies them.
/// A plan holds one batch's rows, never the whole load's: that is what bounds
/// the load's memory by its largest symbol (`LoadCounts` keeps the counts).
///
/// For an event whose key is in the table, the row becomes the event's value and
/// percentile (they are derived deterministically, so a difference means the
/// input changed and the newer one is right) and its prices, each unknown one
/// kept from the row: a price once known is never erased by a later null. A row
/// that would not change is not rewritten, so loading the same input twice leaves
/// the file's bytes alone.
///
/// A row of a loaded symbol that no event matches is retired (deleted) when its
/// hour lies in the load's `RetirementZone`: the input changed (a re-published
/// file, a late day) and a clean run would not have it. Outside the zone it is
/// history and stays. Rows of other symbols are not read at all.
struct LoadPlan: Equatable, Sendable {
    struct Update: Equatable, Sendable {
        let id: Int64
        let event: PricedEvent
    }

    /// Counts for one symbol and dimension.
    struct Tally: Equatable, Sendable {
        var inserted = 0
        var updated = 0
        var unchanged = 0
        /// Rows in the zone that no event of this load reproduces: deleted.
        var retired = 0
        /// Rows before the zone (history from an earlier range): kept as they are.
        var history = 0

        static func + (a: Tally, b: Tally) -> Tally {
            Tally(inserted: a.inserted + b.inserted, updated: a.updated + b.updated,
                  unchanged: a.unchanged + b.unchanged, retired: a.retired + b.retired, history: a.history + b.history)
        }
    }

    struct Group: Hashable, Comparable, Sendable {
        let symbol: String
        let dimension: String

        static func < (a: Group, b: Group) -> Bool {
            func rank(_ d: String) -> Int { PricedEvent.dimensions.firstIndex(of: d) ?? PricedEvent.dimensions.count }
            return (a.symbol, rank(a.dimension), a.dimension) < (b.symbol, rank(b.dimension), b.dimension)
        }
    }

    var inserts: [PricedEvent] = []
    var updates: [Update] = []
    /// Ids of the rows to delete, ascending.
    var retirements: [Int64] = []
    var tallies: [Group: Tally] = [:]

    var changesNothing: Bool { inserts.isEmpty && updates.isEmpty && retirements.isEmpty }

    init(events: [PricedEvent], existing: [EventKey: StoredEvent], zone: RetirementZone) {
        var matched = Set<EventKey>()
        for event in events {
            let group = Group(symbol: event.key.symbol, dimension: event.key.dimension)
            guard let stored = existing[event.key] else {
                inserts.append(event)
                tallies[group, default: Tally()].inserted += 1
                continue
            }
            matched.insert(event.key)
            var merged = event
            merged.prices = event.prices.filling(from: stored.prices)
            if stored.value == merged.value && stored.percentile == merged.percentile && stored.prices == merged.prices {
                tallies[group, default: Tally()].unchanged += 1
            } else {
                updates.append(Update(id: stored.id, event: merged))
                tallies[group, default: Tally()].updated += 1
            }
        }
        for (key, stored) in existing where !matched.contains(key) {
            let group = Group(symbol: key.symbol, dimension: key.dimension)
            if zone.contains(key) {
                retirements.append(stored.id)
                tallies[group, default: Tally()].retired += 1
            } else {
                tallies[group, default: Tally()].history += 1
            }
        }
        retirements.sort()
    }

    /// Every row of a symbol the load's shard does not own (`Shard`): the symbol's
    /// rows are another shard's now, all of them, history included.
    init(disowning existing: [EventKey: StoredEvent]) {
        for (key, stored) in existing {
            retirements.append(stored.id)
            tallies[Group(symbol: key.symbol, dimension: key.dimension), default: Tally()].retired += 1
        }
        retirements.sort()
    }
}

/// The counts of a whole load: its batches' tallies, added up as each plan is
/// applied and dropped.
struct LoadCounts: Equatable, Sendable {
    var tallies: [LoadPlan.Group: LoadPlan.Tally] = [:]
    /// False once any batch inserts, updates or retires a row.
    var changesNothing = true

    var total: LoadPlan.Tally { tallies.values.reduce(LoadPlan.Tally(), +) }

    mutating func add(_ plan: LoadPlan) {
        tallies.merge(plan.tallies, uniquingKeysWith: +)
        changesNothing = changesNothing && plan.changesNothing
    }
}
