import ArchiveFixture
import Common
import Foundation
import GRDB
import Testing

/// An archive of four perpetuals as the real one lists them: BTCUSDT, BTCUSDC (same
/// base, another quote), NEWUSDT (listed on 2024-01-20, after the range start) and
/// OLDUSDT (delisted: nothing after 2024-01-25), plus a delivery contract's folder.
/// END 2024-02-10, 40 days: the range is 2024-01-01 to 2024-02-09.
final class UniverseArchive: Sendable {
    static let shared = UniverseArchive()

    let end = Day("2024-02-10")!
    let days = 40
    let listed = Day("2024-01-20")!
    let delisted = Day("2024-01-25")!
    let served: [String: [UInt8]]
    let symbols = ["BTCUSDC", "BTCUSDT", "NEWUSDT", "OLDUSDT"].map { try! Symbol($0) }

    private init() {
        func like(_ profile: MarketProfile, _ name: String) -> MarketProfile {
            var profile = profile
            profile.symbol = try! Symbol(name)
            return profile
        }
        let archive = SyntheticArchive(.init(
            profiles: [.btc(tradesPerHour: 30), like(.btc(tradesPerHour: 20), "BTCUSDC"),
                       like(.eth(tradesPerHour: 20), "NEWUSDT"), like(.eth(tradesPerHour: 20), "OLDUSDT")],
            range: ArchiveRange(end: end, days: days), seed: 11, dailyFilesForCompleteMonths: true))
        var served = archive.served()
        for path in served.keys {
            guard let file = ArchiveFile(path: String(path.dropFirst("/data/futures/um/".count).prefix { $0 != "." } + ".zip")),
                  case .day(let day) = file.period else { continue }
            if (file.symbol.full == "NEWUSDT" && day < listed) || (file.symbol.full == "OLDUSDT" && day > delisted) {
                served[path] = nil
            }
        }
        served["/data/futures/um/monthly/klines/BTCUSDT_240329/1h/BTCUSDT_240329-1h-2024-01.zip"] = [0x50, 0x4B]
        self.served = served
    }

    /// make TARGETS for this archive in `workspace`, SYMBOLS=all unless `extra` says otherwise.
    func make(_ workspace: Workspace, _ server: ArchiveServer?, _ targets: [String] = ["all"], extra: [String] = []) async throws -> ProcessResult {
        var args = ["make", "--no-print-directory", "-C", Repository.root]
        for binary in Repository.binaries { args += ["-o", binary] }
        args += targets + ["SYMBOLS=all", "SYMBOL=", "END=\(end)", "DAYS=\(days)", "CACHE=\(workspace.cache)", "DB=\(workspace.db)",
                           "BASE_URL=\(server?.baseURL ?? ClosedPort.url())", "QUIET=1", "TIMEOUT=5"]
        return try await Run.process("/usr/bin/env", args + extra)
    }
}

@Suite("Every perpetual: SYMBOLS=all, quote assets, symbols that come and go", .serialized)
struct UniverseEndToEndTests {
    let archive = UniverseArchive.shared

    @Test("make all SYMBOLS=all: the listing (paged), BTCUSDC beside BTCUSDT, a listed and a delisted symbol end to end")
    func everyPerpetual() async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            server.setListingPageSize(3)
            let workspace = try Workspace()
            let result = try await archive.make(workspace, server)
            try #require(result.succeeded, "\(result)")
            let layout = workspace.layout

            // the universe: four perpetuals, not the delivery contract, with their months
            let symbols = try workspace.text(layout.universeSymbols).split(separator: "\n").map { $0.split(separator: ",").prefix(3).joined(separator: ",") }
            #expect(symbols == ["symbol,first_month,last_month", "BTCUSDC,2024-01,2024-01", "BTCUSDT,2024-01,2024-01",
                                "NEWUSDT,2024-01,2024-01", "OLDUSDT,2024-01,2024-01"])
            #expect(try workspace.text(layout.universeRead).contains("list_url=\(server.baseURL)"))
            #expect(server.requests(at: "/") > 8)   // pages of 3: both klines folders took more than one

            // the listed and the delisted symbol: the days they traded, nothing missing, nothing asked outside
            let new = try Symbol("NEWUSDT"), old = try Symbol("OLDUSDT")
            #expect(try workspace.text(layout.tradingSpan(new)) == "first_day,last_day\n2024-01-20,\n")
            #expect(try workspace.text(layout.tradingSpan(old)) == "first_day,last_day\n,2024-01-25\n")
            for symbol in archive.symbols {
                #expect(try workspace.text(layout.missingList(symbol)) == "dataset,file,url,reason\n", "\(symbol)")
            }
            #expect(server.requests(at: "/data/futures/um/daily/metrics/NEWUSDT/NEWUSDT-metrics-2024-01-19.zip.CHECKSUM") == 0)
            #expect(server.requests(at: "/data/futures/um/daily/metrics/OLDUSDT/OLDUSDT-metrics-2024-01-26.zip.CHECKSUM") == 0)
            #expect(server.requests(at: "/data/futures/um/daily/aggTrades/OLDUSDT/OLDUSDT-aggTrades-2024-02-01.zip.CHECKSUM") == 0)
            let newSeries = try workspace.text(layout.series(new, "oi_change_1h")).split(separator: "\n")
            #expect(newSeries.dropFirst().first.map { Millis($0.split(separator: ",")[0])! } == Day("2024-01-20")!.startMillis + Time.hour)

            // the database: BTCUSDT as BTC, BTCUSDC under its full name, every symbol's rows apart
            let stored = try await DatabaseQueue(path: workspace.db).read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT symbol FROM extreme_events ORDER BY symbol")
            }
            #expect(stored == ["BTC", "BTCUSDC", "NEW", "OLD"])
            let lastOld = try await DatabaseQueue(path: workspace.db).read { db in
                try Int64.fetchOne(db, sql: "SELECT max(triggered_at) FROM extreme_events WHERE symbol = 'OLD'")
            }
            #expect(try #require(lastOld) < Day("2024-02-01")!.startMillis)   // no file after January

            // the status: one line per symbol, saying which traded part of the range
            let status = try await Run.process(Repository.root + "/.build/release/backfill", [
                "status", "--repository", Repository.root, "--cache", workspace.cache, "--db", workspace.db,
                "--symbols", "all", "--end", "\(archive.end)", "--days", "\(archive.days)"])
            #expect(status.succeeded, "\(status)")
            let lines = status.output.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("NEWUSDT ") && $0.contains("up to date") && $0.hasSuffix("listed 2024-01-20") }, "\(status.output)")
            #expect(lines.contains { $0.hasPrefix("OLDUSDT ") && $0.hasSuffix("last traded 2024-01-25") }, "\(status.output)")
            #expect(lines.last == "4 symbols: 4 up to date. Details: ./pipeline status SYMBOL, or ./pipeline status --details")
            let one = try await Run.process(Repository.root + "/.build/release/backfill", [
                "status", "--repository", Repository.root, "--cache", workspace.cache, "--db", workspace.db,
                "--end", "\(archive.end)", "--days", "\(archive.days)", "NEWUSDT"])
            #expect(one.output.contains("traded only part of the range (listed 2024-01-20): the days outside are not missing"), "\(one.output)")

            // the next run: up to date, and the cached listing is not asked again
            server.resetCounts()
            let again = try await archive.make(workspace, server)
            #expect(again.succeeded, "\(again)")
            #expect(server.totalRequests == 0)
        }
    }

    @Test("SYMBOL=BTCUSDC alone works end to end and loads BTCUSDC, not BTC")
    func usdcAlone() async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            let result = try await archive.make(workspace, server, extra: ["SYMBOL=btcusdc"])
            try #require(result.succeeded, "\(result)")
            #expect(FileSystem.exists(workspace.layout.prices(try Symbol("BTCUSDC"))))
            #expect(!FileSystem.exists(workspace.cache + "/download/BTCUSDCUSDT"))
            let stored = try await DatabaseQueue(path: workspace.db).read { try String.fetchAll($0, sql: "SELECT DISTINCT symbol FROM extreme_events") }
            #expect(stored == ["BTCUSDC"])
        }
    }

    @Test("a typo is an error naming the symbol and how to list the real ones; nothing is loaded", arguments: ["BTCUSTD", "ALLUSDT"])
    func unknownSymbol(_ name: String) async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            let workspace = try Workspace()
            let result = try await archive.make(workspace, server, extra: ["SYMBOL=\(name)"])
            #expect(!result.succeeded)
            let full = try Symbol(name).full
            #expect(result.output.contains("\(full): no such symbol in the archive"), "\(result)")
            #expect(result.output.contains("make universe"), "\(result)")
            #expect(!FileSystem.exists(workspace.db))
            #expect(!FileSystem.exists(workspace.cache + "/download/\(full)/missing.csv"))
            withExtendedLifetime(workspace) {}
        }
    }

    @Test("SYMBOLS=all with a listing that cannot be reached, or is cut short, stops before any download, naming LIST_URL")
    func listingFails() async throws {
        let workspace = try Workspace()
        let closed = ClosedPort.url()
        let unreachable = try await archive.make(workspace, nil, extra: ["LIST_URL=\(closed)"])
        #expect(!unreachable.succeeded)
        #expect(unreachable.output.contains("LIST_URL=\(closed) could not be read"), "\(unreachable)")
        #expect(!FileSystem.exists(workspace.cache + "/download"))
        #expect(!FileSystem.exists(workspace.cache + "/archive"))

        try await ArchiveServer.with(files: archive.served) { server in
            server.inject(.serve(Array("<ListBucketResult><IsTruncated>true</IsTruncated><NextMarker>x".utf8)), at: "/", times: .max)
            let cut = try await archive.make(workspace, server)
            #expect(!cut.succeeded)
            #expect(cut.output.contains("LIST_URL=\(server.baseURL) could not be read"), "\(cut)")
            #expect(cut.output.contains("cut short"), "\(cut)")
            #expect(!FileSystem.exists(workspace.cache + "/download"))
            #expect(server.totalRequests == server.requests(at: "/"))
        }
        withExtendedLifetime(workspace) {}
    }
}

@Suite("Shards: deploy/shard.sh over the universe, as a Kubernetes Indexed Job or a Slurm array runs it", .serialized)
struct ShardTests {
    let archive = UniverseArchive.shared

    /// Runs `deploy/shard.sh INDEX COUNT` as a job engine would: the index in the
    /// engine's variable, the knobs in the environment, make told (MAKEFLAGS -o) to
    /// take the release binaries as they are.
    func shard(_ index: Int, of count: Int, variable: String, _ workspace: Workspace, _ server: ArchiveServer,
               print: Bool = false) async throws -> ProcessResult {
        let flags = Repository.binaries.map { "-o \($0)" }.joined(separator: " ")
        let environment = ["\(variable)=\(index)", "SHARDS=\(count)", "END=\(archive.end)", "DAYS=\(archive.days)",
                           "CACHE=\(workspace.cache)", "DB=\(workspace.db)", "BASE_URL=\(server.baseURL)", "QUIET=1",
                           "MAKEFLAGS=\(flags)"]
        return try await Run.process("/usr/bin/env", environment + [Repository.root + "/deploy/shard.sh"] + (print ? ["--print"] : []))
    }

    @Test("shards 0 and 1 split the universe by archive bytes, and together load what one run over every symbol loads")
    func twoShardsEqualOneRun() async throws {
        try await ArchiveServer.with(files: archive.served) { server in
            server.setListingPageSize(4)
            let whole = try Workspace()
            try #require(try await archive.make(whole, server).succeeded)

            let shards = [try Workspace(), try Workspace()]
            var dealt: [[String]] = []
            for (index, workspace) in shards.enumerated() {
                let variable = index == 0 ? "JOB_COMPLETION_INDEX" : "SLURM_ARRAY_TASK_ID"
                let listed = try await shard(index, of: 2, variable: variable, workspace, server, print: true)
                try #require(listed.succeeded, "\(listed)")
                dealt.append(listed.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0.hasSuffix("USDT") || $0.hasSuffix("USDC") })
                let result = try await shard(index, of: 2, variable: variable, workspace, server)
                try #require(result.succeeded, "\(result)")
            }
            // every symbol in exactly one shard; each shard has some (four symbols, two shards)
            #expect(Set(dealt[0]).isDisjoint(with: dealt[1]))
            #expect(Set(dealt[0] + dealt[1]) == Set(archive.symbols.map(\.full)))
            #expect(!dealt[0].isEmpty && !dealt[1].isEmpty)

            // the shards' rows together are the rows of the one run
            let shardRows = try (Database.rows(shards[0].db) + Database.rows(shards[1].db)).sorted()
            let wholeRows = try Database.rows(whole.db).sorted()
            #expect(!wholeRows.isEmpty)
            #expect(shardRows == wholeRows)

            // make merge: into a database holding a stale row of a shard's symbol inside the
            // range (retired, as a load retires it) and a row of another symbol (kept)
            let merged = try Workspace()
            let taken = try await DatabaseQueue(path: whole.db).read { db in
                Set(try Int64.fetchAll(db, sql: "SELECT triggered_at FROM extreme_events WHERE symbol = 'NEW' AND dimension = 'flow_1h' AND window_days = 7"))
            }
            // an hour inside [range start + 7 days, END) at which the clean run has no such event
            let stale = try #require((0..<24 * 14).map { Day("2024-01-25")!.startMillis + Millis($0) * Time.hour }.first { !taken.contains($0) })
            try await DatabaseQueue(path: merged.db).write { db in
                try db.execute(sql: """
                    CREATE TABLE extreme_events (id INTEGER PRIMARY KEY, symbol TEXT, dimension TEXT, window_days INTEGER,
                      triggered_at INTEGER, value REAL, percentile REAL, price_at_trigger REAL, price_4h REAL, price_12h REAL,
                      price_24h REAL, price_48h REAL);
                    CREATE UNIQUE INDEX extreme_events_key ON extreme_events (symbol, dimension, window_days, triggered_at);
                    INSERT INTO extreme_events (symbol, dimension, window_days, triggered_at, value, percentile)
                      VALUES ('NEW', 'flow_1h', 7, \(stale), 1.0, 99.0), ('XRP', 'flow_1h', 7, \(stale), 2.0, 98.0);
                    """)
            }
            let merge = { (shardPaths: [String]) async throws -> ProcessResult in
                try await Run.process("/usr/bin/env", ["make", "--no-print-directory", "-C", Repository.root, "-o", ".build/release/built.mk",
                    "merge", "DB=\(merged.db)", "SHARDS=\(shardPaths.joined(separator: " "))", "CACHE=\(merged.cache)",
                    "END=\(archive.end)", "DAYS=\(archive.days)", "QUIET=1"])
            }
            let result = try await merge(shards.map(\.db))
            try #require(result.succeeded, "\(result)")
            let mergedRows = try Database.rows(merged.db)
            #expect(mergedRows.filter { !$0.contains("XRP") }.sorted() == wholeRows)
            #expect(mergedRows.contains { $0.contains("XRP") })
            #expect(!mergedRows.contains { $0.contains("\(stale)") && $0.contains("NEW") })

            // a shard that is not a backfill database is refused; it and DB stay as they were
            let notADatabase = merged.root + "/notes.db"
            try "not a database\n".write(toFile: notADatabase, atomically: true, encoding: .utf8)
            let files = [merged.db, notADatabase]
            let before = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
            let refused = try await merge([shards[0].db, notADatabase])
            #expect(!refused.succeeded)
            #expect(refused.output.contains("\(notADatabase): not a backfill shard database"), "\(refused)")
            #expect(try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == before)
            // the workspaces (and the shard databases in them) live to here, also in an optimized build
            withExtendedLifetime((whole, shards, merged)) {}
        }
    }
}
