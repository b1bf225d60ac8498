import Common
import Foundation
import GRDB

/// What a run leaves for its user: the derived files, byte for byte, and the rows of
/// the database. Two runs agree when their outputs are equal.
struct Outputs: Equatable, CustomStringConvertible {
    var files: [String: Data]
    var rows: [String]

    static func of(_ workspace: Workspace) throws -> Outputs {
        var files: [String: Data] = [:]
        for folder in ["series", "events", "prices", "report"] {
            let base = workspace.cache + "/" + folder
            guard FileSystem.isDirectory(base) else { continue }
            for (path, data) in try workspace.snapshot(below: base) { files[folder + "/" + path] = data }
        }
        return Outputs(files: files, rows: try Database.rows(workspace.db))
    }

    var description: String { "\(files.count) files, \(rows.count) rows" }

    /// The files in which `self` and `other` differ.
    func differences(from other: Outputs) -> [String] {
        var names = Set(files.keys).union(other.files.keys).filter { files[$0] != other.files[$0] }.sorted()
        if rows != other.rows { names.append("DB rows (\(rows.count) vs \(other.rows.count))") }
        return names
    }
}

enum Database {
    /// Every row of extreme_events as text, in key order; empty when there is no DB or
    /// no table yet (a first load killed mid-transaction leaves neither).
    static func rows(_ path: String) throws -> [String] {
        guard FileSystem.exists(path) else { return [] }
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            guard try db.tableExists("extreme_events") else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT symbol, dimension, window_days, triggered_at, value, percentile, price_at_trigger,
                       price_4h, price_12h, price_24h, price_48h
                FROM extreme_events ORDER BY symbol, dimension, window_days, triggered_at
                """).map { $0.description }
        }
    }

    static func integrityCheck(_ path: String) throws -> String {
        try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") ?? "" }
    }
}

/// Outputs of a clean run (no fault) per archive, made once and compared against.
actor CleanRuns {
    static let shared = CleanRuns()
    private var outputs: [String: Outputs] = [:]

    func outputs(_ archive: TestArchive, make: (Workspace) async throws -> ProcessResult) async throws -> Outputs {
        let key = archive.end.description
        if let known = outputs[key] { return known }
        let workspace = try Workspace()
        let result = try await make(workspace)
        guard result.succeeded else { throw CleanRunFailed(result: result) }
        let made = try Outputs.of(workspace)
        outputs[key] = made
        return made
    }

    struct CleanRunFailed: Error, CustomStringConvertible {
        let result: ProcessResult
        var description: String { "the clean run failed: \(result)" }
    }
}

extension Database {
    /// Rows as `symbol|dimension|…|price_48h`, numbers as Swift prints doubles.
    static func plainRows(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT symbol, dimension, window_days, triggered_at, value, percentile, price_at_trigger,
                       price_4h, price_12h, price_24h, price_48h FROM extreme_events
                """).map { row in
                var fields = [row["symbol"] as String, row["dimension"] as String,
                              "\(row["window_days"] as Int64)", "\(row["triggered_at"] as Int64)"]
                for column in ["value", "percentile", "price_at_trigger", "price_4h", "price_12h", "price_24h", "price_48h"] {
                    fields.append((row[column] as Double?).map { "\($0)" } ?? "NULL")
                }
                return fields.joined(separator: "|")
            }
        }
    }
}
