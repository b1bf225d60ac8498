import ArchiveFixture
import Common
import Foundation
import Testing
@testable import stage_download

/// BTCUSDT, range [2024-01-01, 2024-02-03): January's monthly files and 2024-02-01's
/// daily ones are published; 2024-02-02's daily files are not yet, and February's
/// funding never is (the month is still running). The clock is 2024-02-03T00:00Z, so
/// the REST tail's hours are the 24 of 2024-02-02 (and February's settlements).
struct TailMarket {
    static let range = ArchiveRange(end: Day("2024-02-03")!, days: 3)
    static let lastDay = Day("2024-02-02")!
    static let now = Day("2024-02-03")!.startMillis
    static let late: [Dataset] = [.aggTrades, .klines, .metrics]

    let archive: SyntheticArchive

    init(tradesPerHour: Double = 30) {
        archive = SyntheticArchive(.init(
            profiles: [.btc(tradesPerHour: tradesPerHour)], range: Self.range, seed: 5,
            unpublished: Set(Self.late.map { ArchiveFile(symbol: btc, dataset: $0, period: .day(Self.lastDay)) })))
    }

    var market: SyntheticMarket { archive.markets[0] }
    /// What the API answers: the last days (the tail asks for nothing older).
    var rest: RESTMarket { RESTMarket(archive: archive, from: Self.lastDay.adding(days: -1)) }

    /// The day's CSV lines of the market, as the archive's files hold them.
    func lines(_ dataset: Dataset, _ day: Day) -> [String] {
        let bytes: [UInt8]
        switch dataset {
        case .aggTrades: bytes = market.aggTrades[day] ?? []
        case .klines: bytes = market.klines[day] ?? []
        case .metrics: bytes = market.metrics[day] ?? []
        case .fundingRate: bytes = market.funding[day.month] ?? []
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The trades of `hour`, as the archive's daily file holds them.
    func trades(_ hour: Hour) -> [String] {
        lines(.aggTrades, hour.day).filter { hour.start <= Millis($0.split(separator: ",")[5])! && Millis($0.split(separator: ",")[5])! < hour.end }
    }

    /// The server: the archive as published, and the REST API over the same market.
    func serve<T>(_ body: (ArchiveServer) async throws -> T) async throws -> T {
        try await ArchiveServer.with(files: archive.served(), rest: rest, body)
    }

    /// Publishes 2024-02-02's daily files: the archive catches up.
    func publishLastDay(_ server: ArchiveServer) {
        for dataset in Self.late {
            let file = ArchiveFile(symbol: btc, dataset: dataset, period: .day(Self.lastDay))
            var full = SyntheticArchive.Configuration(profiles: archive.configuration.profiles, range: Self.range, seed: 5)
            full.unpublished = []
            let zip = SyntheticArchive(full).zip(file)!
            server.put(zipPath(file), zip)
            server.put(checksumPath(file), SyntheticArchive.checksum(of: zip, name: file.zipName))
        }
    }
}

/// A downloader with the REST tail at `server`, the tail market's clock and range.
func tailDownloader(_ cache: TemporaryCache, _ server: ArchiveServer, budget: Int = 1000, sleeps: SleepLog = SleepLog(),
                    timeout: Duration = .seconds(10), offline: Bool = false, rest: String? = nil) throws -> Downloader {
    var loader = try downloader(cache, server, range: TailMarket.range, sleeps: sleeps, timeout: timeout, offline: offline)
    loader.settings.restURL = try RESTURL(rest ?? server.baseURL)
    loader.settings.tailWeight = budget
    loader.settings.now = TailMarket.now
    return loader
}

func tailFile(_ dataset: Dataset, _ hour: Hour) -> ArchiveFile { TailFile.file(btc, dataset, holding: hour) }

@Suite("the REST tail: the hours the archive has not published yet")
struct TailTests {
    let market = TailMarket()
    var day: Day { TailMarket.lastDay }
    var hours: [Hour] { (0..<24).map { Hour(day, $0) } }

    @Test("the windows run from each dataset's last archive file to the last closed hour before END, within the span and the statistics' 30 days")
    func windows() {
        let range = ArchiveRange(end: Day("2024-03-10")!, days: 40)
        let archiveEnd: [Dataset: Millis] = [.aggTrades: Day("2024-03-08")!.startMillis, .klines: Day("2024-03-09")!.startMillis,
                                             .metrics: Day("2024-03-08")!.startMillis, .fundingRate: Day("2024-03-01")!.startMillis]
        let now = Day("2024-03-09")!.startMillis + 5 * Time.hour + 1234   // 05:00:01.234: 5 closed hours of 03-09
        let w = TailWindows(archiveEnd: archiveEnd, range: range, span: TradingSpan(), now: now)
        #expect(w[.aggTrades] == Day("2024-03-08")!.startMillis..<Day("2024-03-09")!.startMillis + 5 * Time.hour)
        #expect(w[.klines] == Day("2024-03-09")!.startMillis..<Day("2024-03-09")!.startMillis + 5 * Time.hour)
        #expect(w[.fundingRate] == Day("2024-03-01")!.startMillis..<Day("2024-03-09")!.startMillis + 5 * Time.hour)
        #expect(w.files(btc, .aggTrades).count == 29)
        #expect(w.files(btc, .metrics).map(\.period) == [.day(Day("2024-03-08")!), .day(Day("2024-03-09")!)])
        #expect(w.files(btc, .fundingRate).map(\.path) == ["tail/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-03.csv"])
        // END in the past: the tail ends at END; a symbol delisted on 03-08 has no tail after it
        let later = TailWindows(archiveEnd: archiveEnd, range: range, span: TradingSpan(last: Day("2024-03-08")!), now: now + 30 * Time.day)
        #expect(later[.aggTrades] == Day("2024-03-08")!.startMillis..<Day("2024-03-09")!.startMillis)
        #expect(later[.klines] == nil)
        // the statistics only reach back 30 days: from the hour after now − 30 days
        #expect(later[.metrics] == nil)
        let stale = TailWindows(archiveEnd: [:], range: range, span: TradingSpan(), now: Day("2024-03-20")!.startMillis)
        #expect(stale[.metrics]?.lowerBound == Day("2024-02-19")!.startMillis + Time.hour)
        #expect(stale[.aggTrades]?.lowerBound == range.start.startMillis)
    }

    @Test("the tail fills 2024-02-02 and February's funding with the archive's own lines; the month list names them after the archive's files")
    func fillsTheTail() async throws {
        let cache = try TemporaryCache()
        try await market.serve { server in
            let reports = try await tailDownloader(cache, server).run()
            let tail = try #require(reports[btc]?.tail)
            for hour in hours {
                #expect(try TailFile.lines(tailFile(.aggTrades, hour), in: cache.layout) == market.trades(hour), "\(hour)")
            }
            #expect(try TailFile.lines(tailFile(.klines, hours[0]), in: cache.layout) == market.lines(.klines, day))
            // metrics: the same rows, but count_toptrader_long_short_ratio, which no endpoint the tail reads gives
            let metrics = market.lines(.metrics, day).map { line -> String in
                var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                f[4] = ""
                return f.joined(separator: ",")
            }
            #expect(try TailFile.lines(tailFile(.metrics, hours[0]), in: cache.layout) == metrics)
            let settlements = market.lines(.fundingRate, day).filter { Millis($0.prefix { $0 != "," })! < TailMarket.now }.map { line -> String in
                let f = line.split(separator: ",", omittingEmptySubsequences: false)
                return "\(f[0]),,\(f[2])"
            }
            #expect(!settlements.isEmpty)
            #expect(try TailFile.lines(tailFile(.fundingRate, hours[0]), in: cache.layout) == settlements)

            // requests: funding 1, klines 1 (24 rows: weight 1), 4 statistics endpoints, 24 hours of trades (one page each)
            #expect(tail.requests == 30)
            #expect(tail.weight == 1 + 1 + 4 + 24 * 20)
            #expect(server.requests(at: "/fapi/v1/aggTrades") == 24)
            #expect(tail.covered == [.aggTrades: 24, .klines: 24, .metrics: 24, .fundingRate: settlements.count])
            #expect(tail.missing.isEmpty)
            let february = try monthList(cache, "2024-02")
            #expect(february.filter { $0.hasPrefix("tail/") }.count == 24 + 3)
            #expect(february.contains("daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-02-01.zip"))
            #expect(february.firstIndex(of: "daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-02-01.zip")! <
                    february.firstIndex(of: tailFile(.aggTrades, hours[0]).path)!)
            // the archive's files of the day are missing (404), the tail's are not
            #expect(try MissingList.read(cache.layout.missingList(btc)).entries.map(\.file.isTail) == [false, false, false])
        }
    }

    @Test("a rerun asks for no hour of trades it holds, and rewrites no file")
    func rerun() async throws {
        let cache = try TemporaryCache()
        try await market.serve { server in
            _ = try await tailDownloader(cache, server).run()
            let files = TailFile.held(btc, in: cache.layout).map { cache.layout.held($0) } + [cache.layout.monthList(btc, Month("2024-02")!)]
            let times = files.map(FileSystem.modificationTime)
            server.resetCounts()
            let again = try await tailDownloader(cache, server).run()
            #expect(server.requests(at: "/fapi/v1/aggTrades") == 0)
            #expect(again[btc]?.tail?.requests == 6)
            #expect(files.map(FileSystem.modificationTime) == times)
        }
    }

    @Test("the archive wins: once it publishes the day, the tail's files of that day go and the month list names the zips")
    func archiveWins() async throws {
        let cache = try TemporaryCache()
        try await market.serve { server in
            server.setRESTQuirks(drift: true)
            _ = try await tailDownloader(cache, server).run()
            #expect(TailFile.held(btc, in: cache.layout).count == 24 + 3)
            market.publishLastDay(server)
            server.resetCounts()
            let reports = try await tailDownloader(cache, server).run()
            // only February's funding is left to the tail: the archive has no file of a running month
            #expect(TailFile.held(btc, in: cache.layout).map(\.path) == ["tail/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-02.csv"])
            #expect(server.requests(at: "/fapi/v1/aggTrades") == 0)
            #expect(reports[btc]?.tail?.covered[.aggTrades] == nil)
            let february = try monthList(cache, "2024-02")
            #expect(february.contains("daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-02-02.zip"))
            #expect(february.filter { $0.hasPrefix("tail/") } == ["tail/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-02.csv"])
            #expect(try MissingList.read(cache.layout.missingList(btc)).entries.isEmpty)
        }
    }

    @Test("no REST URL: no tail, and the tail's files held are removed")
    func tailOff() async throws {
        let cache = try TemporaryCache()
        try await market.serve { server in
            _ = try await tailDownloader(cache, server).run()
            var off = try tailDownloader(cache, server)
            off.settings.restURL = nil
            server.resetCounts()
            let reports = try await off.run()
            #expect(reports[btc]?.tail == nil)
            #expect(TailFile.held(btc, in: cache.layout).isEmpty)
            #expect(try monthList(cache, "2024-02").allSatisfy { !$0.hasPrefix("tail/") })
            #expect(server.requests(at: "/fapi/v1/fundingRate") == 0)
        }
    }

    @Test("offline: the tail's files held are used, and nothing is asked")
    func offline() async throws {
        let cache = try TemporaryCache()
        try await market.serve { server in
            _ = try await tailDownloader(cache, server, budget: 200).run()
            let before = try monthList(cache, "2024-02")
            let missing = try FileSystem.readText(cache.layout.missingList(btc))
            server.resetCounts()
            let reports = try await tailDownloader(cache, server, budget: 200, offline: true).run()
            #expect(server.totalRequests == 0)
            #expect(try monthList(cache, "2024-02") == before)
            #expect(reports[btc]?.tail?.covered[.aggTrades] == 9)
            #expect(try FileSystem.readText(cache.layout.missingList(btc)) == missing, "the hours the last online run could not afford stay listed, with its reason")
        }
    }

    @Test("the budget: funding, klines and metrics first, then the oldest hours of trades while it lasts; the rest are listed as missing")
    func budget() async throws {
        let cache = try TemporaryCache()
        try await market.serve { server in
            let reports = try await tailDownloader(cache, server, budget: 200).run()
            let tail = try #require(reports[btc]?.tail)
            // 6 for funding, klines and the statistics; 194 left: 9 hours of trades at 20
            #expect(tail.weight == 6 + 9 * 20)
            #expect(TailFile.held(btc, in: cache.layout).filter { $0.dataset == .aggTrades }.map(\.period) == hours.prefix(9).map { .hour($0) })
            let missing = try MissingList.read(cache.layout.missingList(btc)).entries.filter(\.file.isTail)
            #expect(missing.map(\.file) == hours.dropFirst(9).map { tailFile(.aggTrades, $0) })
            #expect(missing.allSatisfy { $0.reason == "over the tail's budget (TAIL_WEIGHT=200)" })
            #expect(missing.first?.url == "\(server.baseURL)/fapi/v1/aggTrades?symbol=BTCUSDT&startTime=\(hours[9].start)&endTime=\(hours[9].end - 1)&limit=1000")
            // the next run goes on where this one stopped
            server.resetCounts()
            _ = try await tailDownloader(cache, server, budget: 200).run()
            #expect(TailFile.held(btc, in: cache.layout).filter { $0.dataset == .aggTrades }.count == 18)
        }
    }

    @Test("429 with Retry-After: the wait is honoured and the request asked again")
    func tooManyRequests() async throws {
        let cache = try TemporaryCache()
        let sleeps = SleepLog()
        try await market.serve { server in
            server.inject(.status(429, headers: [.init("Retry-After", "7")]), at: "/fapi/v1/klines")
            let reports = try await tailDownloader(cache, server, sleeps: sleeps).run()
            #expect(sleeps.recorded.contains { $0 >= .seconds(7) && $0 <= .seconds(8) }, "\(sleeps.recorded)")
            #expect(server.requests(at: "/fapi/v1/klines") == 2)
            #expect(reports[btc]?.tail?.covered[.klines] == 24)
            #expect(reports[btc]?.tail?.missing == [])
        }
    }

    @Test("418 (IP banned) and 451 (restricted location) stop the tail at the first answer; the archive's run goes on", arguments: [418, 451])
    func refused(status: Int) async throws {
        let cache = try TemporaryCache()
        try await market.serve { server in
            server.inject(.status(status), at: "/fapi/v1/fundingRate")
            let reports = try await tailDownloader(cache, server).run()
            #expect(server.restRequests == 1)
            #expect(reports[btc]?.verified == 37)   // the archive's files, as usual
            #expect(TailFile.held(btc, in: cache.layout).isEmpty)
            let missing = try MissingList.read(cache.layout.missingList(btc)).entries.filter(\.file.isTail)
            #expect(missing.count == 24 + 3)
            #expect(missing.allSatisfy { $0.reason.hasPrefix("the REST tail stopped (\(server.baseURL)/fapi/v1/fundingRate") && $0.reason.contains("HTTP \(status)") }, "\(missing.first!)")
        }
    }

    @Test("a stalled answer times out; the tail stops after its attempts, keeping what came before")
    func stalled() async throws {
        let cache = try TemporaryCache()
        try await market.serve { server in
            server.inject(.stall(afterBytes: 10), at: "/fapi/v1/klines", times: .max)
            let reports = try await tailDownloader(cache, server, timeout: .milliseconds(500)).run()
            #expect(server.requests(at: "/fapi/v1/klines") == 3)
            #expect(server.requests(at: "/fapi/v1/aggTrades") == 0)
            #expect(TailFile.held(btc, in: cache.layout).map(\.dataset) == [.fundingRate])
            #expect(reports[btc]?.tail?.missing.first { $0.file.dataset == .klines }?.reason.contains("read timeout") == true)
        }
    }

    @Test("an answer that is not the endpoint's JSON fails that dataset alone, naming the URL")
    func garbage() async throws {
        let cache = try TemporaryCache()
        try await market.serve { server in
            server.inject(.serve(Array("<html>maintenance</html>".utf8)), at: "/fapi/v1/klines")
            server.inject(.serve(Array("[{\"a\":1,\"p\":\"1,5\",\"q\":\"1\",\"f\":1,\"l\":1,\"T\":\(hours[3].start),\"m\":true}]".utf8)), at: "/fapi/v1/aggTrades")
            let reports = try await tailDownloader(cache, server).run()
            let tail = try #require(reports[btc]?.tail)
            #expect(tail.covered[.klines] == 0)
            #expect(tail.missing.map(\.file) == hours.map { tailFile(.aggTrades, $0) } + [tailFile(.klines, hours[0])])
            #expect(tail.missing.allSatisfy { $0.reason.hasPrefix("the REST API's answer was wrong") })
            #expect(tail.covered[.metrics] == 24 && tail.covered[.fundingRate]! > 0)
        }
    }

    @Test("an hour without a trade is a covered hour: its file holds the header alone")
    func emptyHour() async throws {
        let cache = try TemporaryCache()
        let quiet = hours[5]
        let rows = market.lines(.aggTrades, day).filter { line in
            let t = Millis(line.split(separator: ",")[5])!
            return t < quiet.start || t >= quiet.end
        }
        let rest = RESTMarket(rows: [btc: [.aggTrades: [Array(rows.joined(separator: "\n").utf8)],
                                           .klines: [Array(market.lines(.klines, day).joined(separator: "\n").utf8)],
                                           .metrics: [Array(market.lines(.metrics, day).joined(separator: "\n").utf8)],
                                           .fundingRate: [Array(market.lines(.fundingRate, day).joined(separator: "\n").utf8)]]])
        try await ArchiveServer.with(files: market.archive.served(), rest: rest) { server in
            _ = try await tailDownloader(cache, server).run()
            #expect(try FileSystem.readText(cache.layout.held(tailFile(.aggTrades, quiet))) == Dataset.aggTrades.columns.joined(separator: ",") + "\n")
            #expect(TailFile.held(btc, in: cache.layout).filter { $0.dataset == .aggTrades }.count == 24)
        }
    }

    @Test("an hour of more than 1,000 trades is paged by fromId; a trade repeated at a page's edge is kept once")
    func paging() async throws {
        let busy = TailMarket(tradesPerHour: 1600)
        let cache = try TemporaryCache()
        try await busy.serve { server in
            server.setRESTQuirks(overlap: true)
            let reports = try await tailDownloader(cache, server, budget: 10_000).run()
            for hour in hours {
                let expected = busy.trades(hour)
                #expect(try TailFile.lines(tailFile(.aggTrades, hour), in: cache.layout) == expected, "\(hour)")
            }
            let pages = hours.map { 1 + busy.trades($0).count / 1000 }.reduce(0, +)
            #expect(server.requests(at: "/fapi/v1/aggTrades") == pages)
            #expect(pages > 24)
            #expect(reports[btc]?.tail?.missing == [])
        }
    }

    @Test("the IP's weight of the minute near the pace (X-MBX-USED-WEIGHT-1M): the tail waits for the next minute")
    func pacing() async throws {
        let cache = try TemporaryCache()
        let sleeps = SleepLog()
        try await market.serve { server in
            server.setRESTQuirks(otherWeight: 1995)
            _ = try await tailDownloader(cache, server, sleeps: sleeps).run()
            // every answer says 1995 + what the tail used: the light requests (funding, klines,
            // statistics: weight 1) fit under 2,000; each of the 24 of trades (20) waits
            #expect(sleeps.recorded.count == 24, "\(sleeps.recorded)")
            #expect(sleeps.recorded.allSatisfy { $0 > .zero && $0 <= .seconds(61) })
        }
    }

    @Test("a REST API that refuses the connection: one warning's worth, no retry, and the archive's run goes on")
    func unreachable() async throws {
        let cache = try TemporaryCache()
        let sleeps = SleepLog()
        try await market.serve { server in
            let reports = try await tailDownloader(cache, server, sleeps: sleeps, rest: ClosedPort.url()).run()
            #expect(sleeps.recorded.isEmpty)
            let missing = try #require(reports[btc]?.tail?.missing)
            #expect(missing.count == 24 + 3)
            #expect(missing[0].reason.contains("cannot connect (Connection refused)"), "\(missing[0])")
            #expect(reports[btc]?.verified == 37)
        }
    }
}

@Suite("an archive that cannot be reached")
struct UnreachableArchiveTests {
    @Test("a refused connection is not asked again: the run fails at once, naming the host")
    func refused() async throws {
        let cache = try TemporaryCache()
        let sleeps = SleepLog()
        var settings = DownloadSettings()
        settings.retry = RetryPolicy(attempts: 5, backoff: .seconds(1))
        settings.sleep = sleeps.sleep
        let loader = Downloader(symbols: [btc], range: smallRange, layout: cache.layout, urls: try ArchiveURL(ClosedPort.url()), settings: settings)
        let failure = await #expect(throws: DownloadFailed.self) { try await loader.run() }
        #expect(sleeps.recorded.isEmpty, "no backoff: \(sleeps.recorded)")
        let unreachable = try #require(failure?.errors.compactMap { $0 as? Unreachable }.first)
        #expect(unreachable.description.contains("cannot connect (Connection refused)"), "\(unreachable)")
        #expect(cache.archiveFiles().isEmpty)
    }
}

extension ArchiveServer {
    /// Requests the REST endpoints received.
    var restRequests: Int {
        ["/fapi/v1/aggTrades", "/fapi/v1/klines", "/fapi/v1/fundingRate", "/futures/data/openInterestHist",
         "/futures/data/topLongShortPositionRatio", "/futures/data/globalLongShortAccountRatio", "/futures/data/takerlongshortRatio"]
            .map(requests(at:)).reduce(0, +)
    }
}
