import ArchiveFixture
import Common
import Testing
@testable import stage_download

/// The real executable against the loopback archive: exit statuses and what a user reads.
@Suite("stage-download, the command")
struct StageBinaryTests {
    static func arguments(_ cache: TemporaryCache, _ baseURL: String, _ extra: [String] = []) -> [String] {
        ["--symbol", "BTC", "--cache", cache.root, "--end", "2024-02-03", "--days", "3", "--base-url", baseURL, "--list-url", ""] + extra
    }

    @Test("bad input is refused before anything is written", arguments: [
        (["--symbol", "BTC/USDT"], "symbol 'BTC/USDT' is not a Binance symbol"),
        (["--symbol", "../etc"], "symbol '../etc' is not a Binance symbol"),
        (["--base-url", "ftp://127.0.0.1"], "--base-url must be an http:// or https:// URL, got 'ftp://127.0.0.1'"),
        (["--base-url", "file:///tmp"], "--base-url must be an http:// or https:// URL"),
        (["--end", "2024-02-30"], "--end must be a date YYYY-MM-DD, got '2024-02-30'"),
        (["--jobs", "0"], "--jobs must be at least 1"),
    ])
    func badInput(_ bad: [String], _ message: String) async throws {
        let cache = try TemporaryCache()
        let result = try await StageBinary.run(Self.arguments(cache, ClosedPort.url()) + bad)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(!FileSystem.exists(cache.root))
    }

    @Test("`planned` prints URL and destination of each planned file and makes no request")
    func plan() async throws {
        let cache = try TemporaryCache()
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            let result = try await StageBinary.run(["planned", "--symbol", "BTC", "--cache", cache.root, "--end", "2024-02-03", "--days", "3",
                                                   "--base-url", server.baseURL])
            #expect(result.status == 0)
            let lines = result.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            #expect(lines.count == 40)
            let first = try #require(lines.first)
            let aggTrades = file(.aggTrades, "2024-01")
            #expect(first == [server.url(zipPath(aggTrades)), cache.layout.archive(aggTrades)])
            #expect(server.totalRequests == 0)
            #expect(!FileSystem.exists(cache.root))
        }
    }

    @Test("a day not published: exit 0, the URL in the summary and in missing.csv; the rerun asks for it alone")
    func missingDay() async throws {
        let cache = try TemporaryCache()
        let late = file(.metrics, "2024-01-10")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange, except: [late])
            let result = try await StageBinary.run(Self.arguments(cache, server.baseURL))
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("BTCUSDT: 39 files verified"))
            #expect(result.stderr.contains("warning: BTCUSDT: 1 file not published"))
            #expect(result.stderr.contains("\(server.url(zipPath(late))): CHECKSUM not published (HTTP 404)"))
            #expect(try FileSystem.readText(cache.layout.missingList(btc)).contains(late.path))
            try expectNothingUnverified(cache, server)

            server.resetCounts()
            let quiet = try await StageBinary.run(Self.arguments(cache, server.baseURL, ["--quiet"]))
            #expect(quiet.status == 0)
            #expect(server.totalRequests == 1)
            // QUIET=1: the one summary line and the warnings, no progress
            let lines = quiet.stderr.split(separator: "\n").filter { !$0.contains("warning:") && !$0.hasPrefix("  ") }
            #expect(lines == ["stage-download: BTCUSDT: 39 files verified: 39 already in the cache"], "\(quiet.stderr)")
            #expect(quiet.stderr.contains("warning: BTCUSDT: 1 file not published"))
        }
    }

    @Test("a corrupt file: exit 1 naming its URL, the actual and the published hash; the verified files stay")
    func corrupt() async throws {
        let cache = try TemporaryCache()
        let target = file(.klines, "2024-02-01")
        let bad = Array("corrupt bytes".utf8)
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            server.inject(.serve(bad), at: zipPath(target), times: .max)
            let result = try await StageBinary.run(Self.arguments(cache, server.baseURL, ["--jobs", "1"]))
            #expect(result.status == 1)
            #expect(result.stderr.contains(
                "error: \(server.url(zipPath(target))): sha256 \(sha256Hex(bad)) does not match CHECKSUM \(sha256Hex(fixtureBytes(target)))"))
            #expect(!FileSystem.exists(cache.layout.archive(target)))
            #expect(!FileSystem.exists(cache.layout.fileList(btc)))
            #expect(cache.archiveFiles().contains { $0.hasSuffix(".zip") })
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("--offline names every planned file the cache lacks and makes no request")
    func offline() async throws {
        let cache = try TemporaryCache()
        try await ArchiveServer.with { server in
            let result = try await StageBinary.run(Self.arguments(cache, server.baseURL, ["--offline"]))
            #expect(result.status == 1)
            #expect(result.stderr.contains("error: monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip: not in the cache"))
            #expect(result.stderr.contains("--offline: 40 planned file(s) not in the cache"))
            #expect(server.totalRequests == 0)
        }
    }
}
