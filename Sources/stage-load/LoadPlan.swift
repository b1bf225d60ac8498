/// What a load changes, from its events and the rows already there; a load and
/// its dry run compute the same plan, and only the load applies it.
///
/// For an event whose key is in the table, the row becomes the event's value and
/// percentile (they are derived deterministically, so a difference means the
/// input changed and the newer one is right) and its prices, each unknown one
/// kept from the row: a price once known is never erased by a later null. A row
/// that would not change is not rewritten, so loading the same input twice leaves
/// the file's bytes alone. Rows no event of this load matches are left as they are.
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
        /// Rows of the table that no event of this load matches; left as they are.
        var notInLoad = 0

        static func + (a: Tally, b: Tally) -> Tally {
            Tally(inserted: a.inserted + b.inserted, updated: a.updated + b.updated,
                  unchanged: a.unchanged + b.unchanged, notInLoad: a.notInLoad + b.notInLoad)
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
    var tallies: [Group: Tally] = [:]

    var total: Tally { tallies.values.reduce(Tally(), +) }
    var changesNothing: Bool { inserts.isEmpty && updates.isEmpty }

    init(events: [PricedEvent], existing: [EventKey: StoredEvent]) {
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
        for key in existing.keys where !matched.contains(key) {
            tallies[Group(symbol: key.symbol, dimension: key.dimension), default: Tally()].notInLoad += 1
        }
    }
}
