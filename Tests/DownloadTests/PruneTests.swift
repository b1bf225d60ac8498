import ArchiveFixture
import Common
import Testing
@testable import stage_download

/// `make prune`: the daily zips that a verified monthly zip covers go; what stays is
/// what a rerun reads.
@Suite("prune: retention of the held archive")
struct PruneTests {
    @Test("daily zips that January's monthly zips cover are removed with their CHECKSUMs; the days a monthly lacks and February's stay; the rerun asks for nothing")
    func pruneKeepsWhatARerunReads() async throws {
        let cache = try TemporaryCache()
        let jan14 = Day("2024-01-14")!
        try await ArchiveServer.with { server in
            // A morning before January was published monthly: its days came as daily zips.
            server.publishArchive(btc, smallRange, except: [file(.aggTrades, "2024-01"), file(.klines, "2024-01"), file(.fundingRate, "2024-01")])
            _ = try await downloader(cache, server).run()
            let january = cache.archiveFiles().filter { $0.hasPrefix("daily/klines/") && $0.contains("2024-01-") && $0.hasSuffix(".zip") }
            try #require(january.count == 31)

            // Published: January monthly, its aggTrades lacking the 14th (its daily zip stays listed).
            server.publish(file(.aggTrades, "2024-01"), bytes: fixtureBytes(file(.aggTrades, "2024-01"), without: [jan14]))
            for dataset in [Dataset.klines, .fundingRate] { server.publish(file(dataset, "2024-01"), bytes: fixtureBytes(file(dataset, "2024-01"))) }
            _ = try await downloader(cache, server).run()
            let listed = try FileSystem.readText(cache.layout.fileList(btc))

            var prune = try StageDownload.Prune.parse(["--cache", cache.root, "--symbol", "BTC", "--quiet"])
            try prune.run()

            let held = cache.archiveFiles()
            #expect(held.filter { $0.hasPrefix("daily/") && $0.contains("-2024-01-") && !$0.hasPrefix("daily/metrics/") } == [
                "daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01-14.zip", "daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01-14.zip.CHECKSUM"])
            #expect(held.contains("daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-02-01.zip"), "February has no monthly zip: its days stay")
            #expect(held.contains("daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-01-01.zip"), "metrics are published daily only: no monthly zip covers them")
            #expect(held.contains("monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip"))

            server.resetCounts()
            _ = try await downloader(cache, server).run()
            #expect(server.totalRequests == 0, "the rerun reads what prune kept")
            #expect(try FileSystem.readText(cache.layout.fileList(btc)) == listed)
        }
    }
}
