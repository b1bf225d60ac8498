import Common
import EventStore
import GRDB

/// What a load did, or a dry run would do.
struct LoadOutcome: Equatable, Sendable {
    let counts: LoadCounts
    /// Set when the table was the original tool's, without the unique key.
    let migration: KeyMigration?
    /// Whether the database file did not exist before (for a dry run: a load would create it).
    let newDatabase: Bool
}

/// Upserts a load's events into the database at `path` and retires the rows of
/// its symbols that `zone` says a clean run would not have, in one transaction,
/// batch after batch (`LoadBatch`): each batch's events, its symbols' stored rows
/// and its plan are dropped before the next is read.
struct Loader {
    let path: String
    let zone: RetirementZone
    /// With a shard, the rows of the symbols it does not own are retired, all of them.
    var shard: Shard? = nil

    /// Applies the load: creates the table, or migrates the original tool's, then
    /// inserts, updates and retires what each batch's plan says, all or nothing.
    func load(_ input: LoadInput) throws -> LoadOutcome {
        let existed = FileSystem.exists(path)
        return try explainingErrors {
            let queue = try DatabaseFile.openForWriting(path)
            // A table that cannot take the load is refused before anything is written.
            try check(queue.read(TableShape.read))
            try DatabaseFile.useWAL(queue, path: path)
            return try queue.writeWithoutTransaction { db in
                var outcome: LoadOutcome?
                try db.inTransaction(.immediate) {
                    let shape = try TableShape.read(db)
                    var migration: KeyMigration?
                    if !shape.exists {
                        try db.execute(sql: EventsTable.createTable)
                        try db.execute(sql: EventsTable.createKey)
                    } else {
                        try check(shape)
                        if !shape.hasKey {
                            let planned = try KeyMigration.plan(db)
                            try planned.apply(db)
                            migration = planned
                        }
                    }
                    let counts = try planEachBatch(input, db) { plan in try apply(plan, db) }
                    outcome = LoadOutcome(counts: counts, migration: migration, newDatabase: !existed)
                    return .commit
                }
                return outcome!
            }
        }
    }

    /// What `load` would do, computed without writing anything: the file is not
    /// created when absent, and its bytes and journal mode stay as they are.
    func dryRun(_ input: LoadInput) throws -> LoadOutcome {
        try explainingErrors {
            try DatabaseFile.checkNotDirectory(path)
            guard let queue = try DatabaseFile.openForReading(path) else {
                return LoadOutcome(counts: try planEachBatch(input, nil), migration: nil, newDatabase: true)
            }
            return try queue.read { db in
                let shape = try TableShape.read(db)
                guard shape.exists else {
                    return LoadOutcome(counts: try planEachBatch(input, nil), migration: nil, newDatabase: false)
                }
                try check(shape)
                let migration = shape.hasKey ? nil : try KeyMigration.plan(db)
                let counts = try planEachBatch(input, db, excluding: Set(migration?.droppedIDs ?? []))
                return LoadOutcome(counts: counts, migration: migration, newDatabase: false)
            }
        }
    }

    /// Plans each batch of `input` against its symbols' rows in `db` (none when nil:
    /// no table yet) and hands the plan to `apply` before the next batch is planned
    /// (the next one's files are parsed meanwhile, `BatchReader`); returns the counts
    /// of every batch. Rows in `excluding` are taken as gone.
    private func planEachBatch(_ input: LoadInput, _ db: Database?, excluding: Set<Int64> = [],
                               apply: (LoadPlan) throws -> Void = { _ in }) throws -> LoadCounts {
        var counts = LoadCounts()
        let reader = BatchReader(input.batches)
        for (index, batch) in input.batches.enumerated() {
            let events = try reader.events(index)
            let existing = try db.map { try StoredEvent.read($0, symbols: batch.symbols, excluding: excluding) } ?? [:]
            let plan = LoadPlan(events: events, existing: existing, zone: zone)
            try apply(plan)
            counts.add(plan)
        }
        if let shard, let db {
            for symbol in try disowned(by: shard, db) {
                let plan = LoadPlan(disowning: try StoredEvent.read(db, symbols: [symbol], excluding: excluding))
                try apply(plan)
                counts.add(plan)
            }
        }
        return counts
    }

    /// The symbols of the table (short form) that `shard` does not own: a shard count
    /// that changed moved them to another shard's database. A symbol the table holds
    /// that is not a Binance symbol's name stays: it is not the pipeline's.
    private func disowned(by shard: Shard, _ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT symbol FROM \(EventsTable.name) WHERE symbol IS NOT NULL ORDER BY symbol")
            .filter { name in (try? Symbol(name)).map { !shard.owns($0) } ?? false }
    }

    private func check(_ shape: TableShape) throws {
        let missing = shape.missingColumns
        guard !shape.exists || missing.isEmpty else {
            throw DatabaseFileError(path: path, "table \(EventsTable.name) lacks column(s) \(missing.joined(separator: ", ")); it has \(shape.columns.joined(separator: ", ")). Load into another --db (make: DB), or rename that table")
        }
    }

    private func apply(_ plan: LoadPlan, _ db: Database) throws {
        let retire = try db.makeStatement(sql: "DELETE FROM \(EventsTable.name) WHERE id = ?")
        for id in plan.retirements {
            try retire.execute(arguments: [id])
        }
        let columns = EventsTable.columns.dropFirst()   // all but id
        let insert = try db.makeStatement(sql: """
            INSERT INTO \(EventsTable.name) (\(columns.joined(separator: ", "))) \
            VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            """)
        for event in plan.inserts {
            let key: [(any DatabaseValueConvertible)?] = [event.key.symbol, event.key.dimension, event.key.windowDays, event.key.triggeredAt]
            try insert.execute(arguments: StatementArguments(key + Self.values(event)))
        }
        let changed = ["value", "percentile"] + EventsTable.prices
        let update = try db.makeStatement(sql: """
            UPDATE \(EventsTable.name) SET \(changed.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?
            """)
        for change in plan.updates {
            try update.execute(arguments: StatementArguments(Self.values(change.event) + [change.id]))
        }
    }

    /// value, percentile and the prices, in the table's column order.
    private static func values(_ event: PricedEvent) -> [(any DatabaseValueConvertible)?] {
        [event.value, event.percentile] + event.prices.ordered.map { $0 }
    }

    private func explainingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try DatabaseFile.explainingErrors(path: path, body)
        } catch let error as UnreadableRow {
            throw DatabaseFileError(path: path, error.description)
        }
    }
}
