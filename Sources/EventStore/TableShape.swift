import GRDB

/// What `extreme_events` looks like in a database: absent, ours, or the original
/// tool's (same columns, no unique key).
public struct TableShape: Equatable, Sendable {
    public let exists: Bool
    /// The table's columns, in their order; empty when it does not exist.
    public let columns: [String]
    /// Whether a unique index over exactly the key columns exists.
    public let hasKey: Bool

    public static func read(_ db: Database) throws -> TableShape {
        guard try db.tableExists(EventsTable.name) else {
            return TableShape(exists: false, columns: [], hasKey: false)
        }
        let columns = try db.columns(in: EventsTable.name).map(\.name)
        let key = Set(EventsTable.key)
        let hasKey = try db.indexes(on: EventsTable.name).contains { $0.isUnique && Set($0.columns) == key }
        return TableShape(exists: true, columns: columns, hasKey: hasKey)
    }

    /// SPEC's columns this table lacks (compared without case, as SQLite does).
    public var missingColumns: [String] {
        let present = Set(columns.map { $0.lowercased() })
        return EventsTable.columns.filter { !present.contains($0) }
    }
}
