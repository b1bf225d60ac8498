import Common
import EventStore
import Glibc
import GRDB
import Testing
@testable import stage_load

@Suite("a load is all or nothing")
struct FailureTests {
    @Test("a malformed line in any file fails the whole load, naming file and line; the table is unchanged")
    func malformedLine() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("monitor.db")
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [1, nil, nil, nil, nil]) + "\n")
        try load([btc], into: database)
        let bytes = try FileSystem.readFile(database)

        let newer = try dir.write("BTCUSDT.jsonl", [pricesLine(at: 0, prices: [1, 2, nil, nil, nil]), pricesLine(at: 1, prices: [3, nil, nil, nil, nil])].joined(separator: "\n") + "\n")
        let eth = try dir.write("ETHUSDT.jsonl", [
            pricesLine("ETH", at: 0, prices: [1, nil, nil, nil, nil]),
            pricesLine("ETH", at: 1, prices: [1, nil, nil, nil, nil]),
            #"{"symbol":"ETH","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,"value":1.0"#,
        ].joined(separator: "\n") + "\n")
        #expect(throws: DataError(file: eth, line: 3, "invalid JSON: column 95: expected ',' or '}', found the end of the line")) {
            try load([newer, eth], into: database)
        }
        #expect(try FileSystem.readFile(database) == bytes)
    }

    @Test("an error inside the transaction rolls back the migration and every row written before it")
    func failureInTransaction() throws {
        let dir = try TemporaryDirectory()
        let database = dir.file("monitor.db")
        try LegacyTable.create(database, rows: [
            ("BTC", "flow_1h", 7, 0, 1.0, 95.0, [1, nil, nil, nil, nil]),
            ("BTC", "flow_1h", 7, 0, 1.0, 95.0, [1, nil, nil, nil, nil]),
        ])
        // A trigger makes the third insert fail, after the migration and two inserts.
        try DatabaseQueue(path: database).write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse BEFORE INSERT ON extreme_events WHEN NEW.dimension = 'taker_ratio'
                BEGIN SELECT RAISE(ABORT, 'refused by test'); END
                """)
        }
        let before = try tableRows(database)
        let btc = try dir.write("BTCUSDT.jsonl", [
            pricesLine(at: 1, prices: [1, nil, nil, nil, nil]),
            pricesLine(at: 2, prices: [1, nil, nil, nil, nil]),
            pricesLine(dimension: "taker_ratio", at: 3, prices: [1, nil, nil, nil, nil]),
        ].joined(separator: "\n"))
        #expect {
            try load([btc], into: database)
        } throws: { error in
            "\(error)".hasPrefix("\(database): SQLite: refused by test")
        }
        #expect(try tableRows(database) == before)
        #expect(try DatabaseQueue(path: database).read { try TableShape.read($0).hasKey } == false)
    }

    @Test("a file that is not SQLite is a clear error naming it, and stays as it was")
    func notSQLite() throws {
        let dir = try TemporaryDirectory()
        let database = try dir.write("monitor.db", "date,symbol\n2024-01-01,BTC\n" + String(repeating: "x", count: 200) + "\n")
        let bytes = try FileSystem.readFile(database)
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [1, nil, nil, nil, nil]))
        for dryRun in [false, true] {
            #expect {
                try load([btc], into: database, dryRun: dryRun)
            } throws: { error in
                "\(error)".hasPrefix("\(database): not an SQLite database (SQLite: file is not a database)")
            }
        }
        #expect(try FileSystem.readFile(database) == bytes)
    }

    @Test("a database path that is a directory is an error naming it, for a load and a dry run")
    func directory() throws {
        let dir = try TemporaryDirectory()
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [1, nil, nil, nil, nil]))
        for dryRun in [false, true] {
            #expect {
                try load([btc], into: dir.path, dryRun: dryRun)
            } throws: { error in
                "\(error)".hasPrefix("\(dir.path): is a directory; point --db (make: DB) at the database file")
            }
        }
        #expect(FileSystem.list(dir.path) == ["BTCUSDT.jsonl"])
    }

    @Test("SQLite's read-only error becomes one that names the file and says what to check")
    func readOnlyMessage() {
        let error = DatabaseFileError.explaining(DatabaseError(resultCode: .SQLITE_READONLY, message: "attempt to write a readonly database"), path: "data/monitor.db")
        #expect("\(error)" == "data/monitor.db: the database is read-only (SQLite: attempt to write a readonly database); the file and its directory must be writable (SQLite writes PATH-wal and PATH-shm next to it)")
    }

    /// The stage-load binary SwiftPM builds next to the test bundle.
    static let binary = FileSystem.parent(of: CommandLine.arguments[0]) + "/stage-load"

    /// Root writes read-only files, so the load is run as a user who cannot write the
    /// file: as root, nobody (`setpriv`), the file being root's, mode 0644; as anyone
    /// else, that user, the file being theirs, mode 0444. Never skipped.
    @Test("stage-load run by a user who may not write the database fails, naming it, and leaves it as it was")
    func readOnlyDatabase() async throws {
        try #require(access(Self.binary, X_OK) == 0, "the built stage-load at \(Self.binary)")
        let dir = try TemporaryDirectory()
        chmod(dir.path, 0o755)   // the other user may read, not write
        let database = dir.file("monitor.db")
        try LegacyTable.create(database, rows: [("BTC", "flow_1h", 7, 0, 1.0, 95.0, [1, nil, nil, nil, nil])])
        chmod(database, Unprivileged.asRoot ? 0o644 : 0o444)
        let bytes = try FileSystem.readFile(database)
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(at: 0, prices: [1, 2, nil, nil, nil]))
        chmod(btc, 0o644)
        let (executable, arguments) = try Unprivileged.command([Self.binary, "--db", database, btc])
        let result = try await Run.process(executable, arguments, streams: .apart)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("stage-load: error: \(database): the database is read-only"), "\(result)")
        #expect(try FileSystem.readFile(database) == bytes)
    }
}
