import ArchiveFixture
import Common
import Testing
@testable import stage_download

/// SPEC "Quirks": monthly files that hold only some of their days (binance-public-data
/// issues 403, 359) and monthly klines missing whole days (220). The days are found
/// when the monthly file is verified, recorded in coverage.csv, and their daily files
/// fetched in the same run.
@Suite("monthly files that lack days")
struct IncompleteMonthDownloadTests {
    let trades = file(.aggTrades, "2024-01")
    let klines = file(.klines, "2024-01")
    let jan14 = Day("2024-01-14")!, jan15 = Day("2024-01-15")!, jan20 = Day("2024-01-20")!

    /// The archive of `smallRange`, its January aggTrades lacking the 14th and 15th and
    /// its January klines the 20th.
    func publishIncomplete(_ server: ArchiveServer, except omitted: Set<ArchiveFile> = []) {
        server.publishArchive(btc, smallRange, except: omitted)
        server.publish(trades, bytes: fixtureBytes(trades, without: [jan14, jan15]))
        server.publish(klines, bytes: fixtureBytes(klines, without: [jan20]))
    }

    @Test("one run fetches the daily files of the missing days; the month lists them after the monthly file; coverage.csv names the days")
    func oneRun() async throws {
        let cache = try TemporaryCache()
        try await ArchiveServer.with { server in
            publishIncomplete(server)
            let reports = try await downloader(cache, server).run()
            #expect(reports[btc]?.fetched == 40 + 3)
            #expect(reports[btc]?.missing == [])
            let january = try monthList(cache, "2024-01")
            #expect(Array(january.prefix(5)) == [
                trades.path, "daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01-14.zip", "daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01-15.zip",
                klines.path, "daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01-20.zip",
            ])
            let tradesSHA = sha256Hex(fixtureBytes(trades, without: [jan14, jan15]))
            let klinesSHA = sha256Hex(fixtureBytes(klines, without: [jan20]))
            #expect(try FileSystem.readText(cache.layout.coverageList(btc)) == """
                dataset,file,sha256,days_without_rows
                aggTrades,\(trades.path),\(tradesSHA),2024-01-14 2024-01-15
                klines,\(klines.path),\(klinesSHA),2024-01-20

                """)
            try expectNothingUnverified(cache, server)

            // the rerun asks for nothing and rewrites nothing
            let lists = [cache.layout.fileList(btc), cache.layout.coverageList(btc), cache.layout.monthList(btc, Month("2024-01")!)]
            let times = lists.map(FileSystem.modificationTime)
            server.resetCounts()
            let again = try await downloader(cache, server).run()
            #expect(server.totalRequests == 0)
            #expect(again[btc]?.counts == SymbolReport(cached: 43))
            #expect(lists.map(FileSystem.modificationTime) == times)
        }
    }

    @Test("a missing day's daily file not published stays a gap, listed in missing.csv saying so; a later run picks it up")
    func dailyNotPublished() async throws {
        let cache = try TemporaryCache()
        let day15 = file(.aggTrades, "2024-01-15")
        try await ArchiveServer.with { server in
            publishIncomplete(server, except: [day15])
            let reports = try await downloader(cache, server).run()
            #expect(reports[btc]?.fetched == 40 + 2)
            #expect(try FileSystem.readText(cache.layout.missingList(btc)) == """
                dataset,file,url,reason
                aggTrades,\(day15.path),\(server.url(zipPath(day15))),CHECKSUM not published (HTTP 404); BTCUSDT-aggTrades-2024-01.zip has no row on this day: it stays a gap

                """)
            #expect(try monthList(cache, "2024-01").filter { $0.contains("aggTrades") } == [trades.path, file(.aggTrades, "2024-01-14").path])

            server.publish(day15)
            server.resetCounts()
            let later = try await downloader(cache, server).run()
            #expect(later[btc]?.fetched == 1)
            #expect(server.totalRequests == 2)
            #expect(try monthList(cache, "2024-01").filter { $0.contains("aggTrades") } ==
                [trades.path, file(.aggTrades, "2024-01-14").path, day15.path])
            #expect(try FileSystem.readText(cache.layout.missingList(btc)) == "dataset,file,url,reason\n")
        }
    }

    @Test("a held monthly file is checked once per version: without coverage.csv it is read again; a re-published whole file drops the daily files")
    func checkedOncePerVersion() async throws {
        let cache = try TemporaryCache()
        try await ArchiveServer.with { server in
            publishIncomplete(server)
            _ = try await downloader(cache, server).run()
            let coverage = try FileSystem.readText(cache.layout.coverageList(btc))

            // a cache from before coverage.csv: the held files are read, nothing is fetched
            try FileSystem.remove(cache.layout.coverageList(btc))
            server.resetCounts()
            _ = try await downloader(cache, server).run()
            #expect(server.totalRequests == 0)
            #expect(try FileSystem.readText(cache.layout.coverageList(btc)) == coverage)

            // the archive re-publishes January whole: --refresh fetches it, the month is the monthly file alone
            server.publish(trades)
            let refreshed = try await downloader(cache, server, refresh: true).run()
            #expect(refreshed[btc]?.fetched == 1)
            #expect(try monthList(cache, "2024-01").filter { $0.contains("aggTrades") } == [trades.path])
            #expect(try FileSystem.readText(cache.layout.coverageList(btc)).contains("\(trades.path),\(sha256Hex(fixtureBytes(trades))),\n"))
        }
    }
}
