import Common
import Glibc
import GRDB

/// Opening the events database, so that errors name the file and reads leave no trace.
public enum DatabaseFile {
    /// How long a connection waits for another one's lock (a load, a checkpoint) before failing.
    public static let busyTimeout: Double = 30

    /// Opens `path` for a load, creating it and its directory when absent. Call
    /// `useWAL` before writing.
    public static func openForWriting(_ path: String) throws -> DatabaseQueue {
        try checkWritable(path)
        try FileSystem.createDirectories(FileSystem.parent(of: path))
        return try explainingErrors(path: path) {
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            configuration.label = path
            return try DatabaseQueue(path: path, configuration: configuration)
        }
    }

    /// Refuses, before anything is opened, a path that cannot be the database: a
    /// directory, or a file the user cannot write.
    public static func checkWritable(_ path: String) throws {
        try checkNotDirectory(path)
        if FileSystem.exists(path) && access(path, W_OK) != 0 {
            throw DatabaseFileError(path: path, "the database is read-only for this user; fix its permissions, or load into another --db (make: DB)")
        }
    }

    public static func checkNotDirectory(_ path: String) throws {
        if FileSystem.isDirectory(path) {
            throw DatabaseFileError(path: path, "is a directory; point --db (make: DB) at the database file, e.g. \(path.hasSuffix("/") ? path : path + "/")monitor.db")
        }
    }

    /// Puts the database in WAL mode (persistent: set once, by the first load), so
    /// that a `sqlite3` shell reading meanwhile neither blocks a load nor sees half
    /// of it. Not `configuration.journalMode = .wal`: GRDB then writes a scratch
    /// table whenever the -wal file is empty, which would change the file on every load.
    public static func useWAL(_ queue: DatabaseQueue, path: String) throws {
        try explainingErrors(path: path) {
            try queue.writeWithoutTransaction { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode")
                if mode?.lowercased() != "wal" {
                    let switched = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                    guard switched?.lowercased() == "wal" else {
                        throw DatabaseFileError(path: path, "cannot switch the database to WAL mode (it stays '\(switched ?? "?")')")
                    }
                }
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
    }

    /// Opens an existing database for reading only, without changing anything:
    /// not its journal mode, not its bytes, and no `-wal`/`-shm` file left behind.
    /// Nil when there is no file at `path` (nothing is created).
    ///
    /// The connection is read-write when the file and its directory allow it, and
    /// every access goes through `read` (GRDB enforces `query_only`): a read-only
    /// connection to a WAL database would leave its `-shm` and `-wal` files behind,
    /// since only a writer may remove them when it closes.
    public static func openForReading(_ path: String) throws -> DatabaseQueue? {
        guard FileSystem.exists(path) else { return nil }
        return try explainingErrors(path: path) {
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            configuration.label = path
            configuration.readonly = access(path, W_OK) != 0 || access(FileSystem.parent(of: path), W_OK) != 0
            return try DatabaseQueue(path: path, configuration: configuration)
        }
    }

    /// Runs `body`, turning SQLite's errors into ones that name `path`.
    public static func explainingErrors<T>(path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw DatabaseFileError.explaining(error, path: path)
        }
    }
}
