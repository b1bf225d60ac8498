import EventStore
import GRDB

/// The original tool's table has SPEC's columns but no unique key, and may hold
/// the same event more than once. Migrating it keeps one row per key, the one
/// with the most known prices (ties: the lowest id), and adds the key; a load
/// does it in its own transaction, so that either both happen or neither does.
struct KeyMigration: Equatable, Sendable {
    /// The rows that go, in id order.
    let droppedIDs: [Int64]
    /// How many events had more than one row.
    let duplicatedEvents: Int

    /// What migrating `db`'s table would drop (nothing is changed).
    static func plan(_ db: Database) throws -> KeyMigration {
        let knownPrices = EventsTable.prices.map { "(\($0) IS NOT NULL)" }.joined(separator: " + ")
        let key = EventsTable.key.joined(separator: ", ")
        let keyIsComplete = EventsTable.key.map { "\($0) IS NOT NULL" }.joined(separator: " AND ")
        // Rows with a null in the key are not duplicates of anything: the unique index
        // treats nulls as distinct, so they stay.
        let ranked = """
            SELECT id, row_number() OVER (PARTITION BY \(key) ORDER BY \(knownPrices) DESC, id ASC) AS rank
            FROM \(EventsTable.name) WHERE \(keyIsComplete)
            """
        let dropped = try Int64.fetchAll(db, sql: "SELECT id FROM (\(ranked)) WHERE rank > 1 ORDER BY id")
        let duplicated = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM (SELECT 1 FROM \(EventsTable.name) WHERE \(keyIsComplete) GROUP BY \(key) HAVING count(*) > 1)
            """) ?? 0
        return KeyMigration(droppedIDs: dropped, duplicatedEvents: duplicated)
    }

    /// Deletes the duplicates and adds the key; call inside the load's transaction.
    func apply(_ db: Database) throws {
        let delete = try db.makeStatement(sql: "DELETE FROM \(EventsTable.name) WHERE id = ?")
        for id in droppedIDs { try delete.execute(arguments: [id]) }
        try db.execute(sql: EventsTable.createKey)
    }
}
