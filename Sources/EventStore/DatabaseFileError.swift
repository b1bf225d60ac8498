import GRDB

/// A database that cannot be used: not SQLite, read-only, locked, or a table of
/// another shape. The message names the file and says what to do.
public struct DatabaseFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }

    /// Turns SQLite's error into one that names `path` and says what to do; any other
    /// error is returned as it is.
    public static func explaining(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let sqlite = "SQLite: \(error.message ?? "error \(error.extendedResultCode.rawValue)")"
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return DatabaseFileError(path: path, "not an SQLite database (\(sqlite)); point --db (make: DB) at the events database, or move this file away")
        case .SQLITE_READONLY, .SQLITE_PERM:
            return DatabaseFileError(path: path, "the database is read-only (\(sqlite)); the file and its directory must be writable (SQLite writes PATH-wal and PATH-shm next to it)")
        case .SQLITE_CANTOPEN:
            return DatabaseFileError(path: path, "cannot open the database (\(sqlite)); check that the path is a file in a directory you can write")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return DatabaseFileError(path: path, "the database stayed locked by another connection for \(Int(DatabaseFile.busyTimeout)) s (\(sqlite)); retry when the other writer is done")
        case .SQLITE_CORRUPT:
            return DatabaseFileError(path: path, "the database is damaged (\(sqlite)); restore it from a copy, or remove it and load again")
        case .SQLITE_FULL:
            return DatabaseFileError(path: path, "the disk is full (\(sqlite))")
        default:
            var text = sqlite
            if let sql = error.sql { text += " in `\(sql)`" }
            return DatabaseFileError(path: path, text)
        }
    }
}
