import ArchiveFixture
import AsyncHTTPClient
import Common
import Testing
@testable import stage_download

/// 2024-01-01 to 2024-03-04: January and February complete (monthly files), March daily.
let listingRange = ArchiveRange(end: Day("2024-03-05")!, days: 40)

extension ArchiveServer {
    /// Publishes what the archive holds for a symbol trading on `span`'s days of `range`:
    /// the monthly files of the complete months it traded in, and the daily files of
    /// its days (the real archive has both).
    func publishTrading(_ symbol: Symbol, _ range: ArchiveRange, _ span: TradingSpan) {
        for planned in DownloadPlan.files(symbol, range, span: span) {
            for file in [planned.file] + planned.fallback { publish(file) }
        }
    }
}

/// Runs `body` with a lister of `server`'s listing (few attempts, no waiting).
func withLister<T>(_ server: ArchiveServer, _ cache: TemporaryCache, listURL: String? = nil,
                   _ body: (BucketLister) async throws -> T) async throws -> T {
    let settings = try downloader(cache, server, attempts: 2).settings
    return try await HTTPClient.withHTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                               configuration: try downloader(cache, server).clientConfiguration) { client in
        let source = HTTPArchiveSource(client: client, urls: try ArchiveURL(server.baseURL), layout: cache.layout, retry: settings.retry,
                                       timeout: settings.timeout, progress: Progress(label: "", style: .silent), sleep: settings.sleep)
        return try await body(BucketLister(listURL: listURL ?? server.baseURL, http: source))
    }
}

@Suite("the archive's listing: the universe, and symbols that come and go")
struct ListingTests {
    @Test("the loopback server pages its listing as S3 does, and the lister follows every page")
    func paging() async throws {
        let cache = try TemporaryCache()
        try await ArchiveServer.with { server in
            for name in ["AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT", "EEEUSDT"] {
                server.publish(file(.klines, "2024-01", try Symbol(name)))
            }
            server.setListingPageSize(2)
            let listed = try await withLister(server, cache) { try await $0.list(prefix: "data/futures/um/monthly/klines/") }
            #expect(listed.prefixes == ["AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT", "EEEUSDT"].map { "data/futures/um/monthly/klines/\($0)/" })
            #expect(server.requests(at: "/") == 3)
            // the files of one folder: zip and CHECKSUM, 2 a page
            server.resetCounts()
            let files = try await withLister(server, cache) { try await $0.list(prefix: "data/futures/um/monthly/klines/CCCUSDT/1h/") }
            #expect(files.objects.map(\.key) == ["data/futures/um/monthly/klines/CCCUSDT/1h/CCCUSDT-1h-2024-01.zip",
                                                 "data/futures/um/monthly/klines/CCCUSDT/1h/CCCUSDT-1h-2024-01.zip.CHECKSUM"])
            #expect(files.objects[0].size == Int64(fixtureBytes(file(.klines, "2024-01", try Symbol("CCCUSDT"))).count))
            #expect(server.requests(at: "/") == 1)
        }
    }

    @Test("the universe: perpetuals of both klines folders, delivery contracts left out, months and bytes of each; cached")
    func universe() async throws {
        let cache = try TemporaryCache()
        try await ArchiveServer.with { server in
            let btc = try Symbol("BTCUSDT"), usdc = try Symbol("BTCUSDC"), new = try Symbol("NEWUSDT"), old = try Symbol("OLDUSDT")
            server.publishTrading(btc, listingRange, TradingSpan())
            server.publishTrading(usdc, listingRange, TradingSpan(first: Day("2024-02-01")!))
            server.publishTrading(new, listingRange, TradingSpan(first: Day("2024-03-02")!))   // daily files only
            server.publish(ArchiveFile(symbol: old, dataset: .aggTrades, period: .month(Month("2021-05")!)))
            server.publish(ArchiveFile(symbol: old, dataset: .klines, period: .month(Month("2021-05")!)))
            server.put("/data/futures/um/monthly/klines/BTCUSDT_240329/1h/BTCUSDT_240329-1h-2024-01.zip", [1, 2, 3])
            server.setListingPageSize(3)

            let (universe, stamp) = try await withLister(server, cache) { lister in
                try await UniverseReader(layout: cache.layout, lister: lister).read(now: 1_709_251_200, progress: Progress(label: "", style: .silent))
            }
            #expect(universe.symbols.map(\.symbol.full) == ["BTCUSDC", "BTCUSDT", "NEWUSDT", "OLDUSDT"])
            let aggTrades = { (symbol: Symbol, period: String) in Int64(fixtureBytes(file(.aggTrades, period, symbol)).count) }
            #expect(try FileSystem.readText(cache.layout.universeSymbols) == """
                symbol,first_month,last_month,months,aggtrades_bytes
                BTCUSDC,2024-02,2024-02,1,\(aggTrades(usdc, "2024-02"))
                BTCUSDT,2024-01,2024-02,2,\(aggTrades(btc, "2024-01") + aggTrades(btc, "2024-02"))
                NEWUSDT,2024-03,2024-03,1,\(aggTrades(new, "2024-03-02") + aggTrades(new, "2024-03-03") + aggTrades(new, "2024-03-04"))
                OLDUSDT,2021-05,2021-05,1,\(aggTrades(old, "2021-05"))

                """)
            #expect(try FileSystem.readText(cache.layout.universeRead) == "read_at=2024-03-01T00:00:00Z\nlist_url=\(server.baseURL)\n")
            #expect(stamp.readAt == 1_709_251_200)
            #expect(universe.trading(in: listingRange).map(\.full) == ["BTCUSDC", "BTCUSDT", "NEWUSDT"])

            // within LIST_MAX_AGE the cached listing is used without a request; after it, not
            server.resetCounts()
            try await withLister(server, cache) { lister in
                let reader = UniverseReader(layout: cache.layout, lister: lister)
                let fresh = try reader.cached(now: 1_709_251_200 + 3600, offline: false)
                let stale = try reader.cached(now: 1_709_251_200 + 21 * 3600, offline: false)
                let offline = try reader.cached(now: 1_709_251_200 + 99 * 3600, offline: true)
                #expect(fresh?.0 == universe)
                #expect(stale == nil)
                #expect(offline?.0 == universe)
            }
            #expect(server.totalRequests == 0)
        }
    }

    @Test("a listing cut short is an error naming LIST_URL and what was wrong; the universe already kept stays as it was")
    func truncatedListing() async throws {
        let cache = try TemporaryCache()
        try await ArchiveServer.with { server in
            server.publishTrading(try Symbol("BTCUSDT"), listingRange, TradingSpan())
            try await withLister(server, cache) { lister in
                _ = try await UniverseReader(layout: cache.layout, lister: lister).read(now: 0, progress: Progress(label: "", style: .silent))
            }
            let before = try FileSystem.readText(cache.layout.universeSymbols)
            server.put("/data/futures/um/monthly/klines/ETHUSDT/1h/ETHUSDT-1h-2024-01.zip", [1])
            server.inject(.serve(Array("<?xml version=\"1.0\"?><ListBucketResult><IsTruncated>false</IsTruncated><CommonPrefixes><Prefix>data/fu".utf8)),
                          at: "/", times: 1)
            let error = await #expect(throws: ListingFailed.self) {
                try await withLister(server, cache) { lister in
                    _ = try await UniverseReader(layout: cache.layout, lister: lister).read(now: 10, progress: Progress(label: "", style: .silent))
                }
            }
            #expect(error?.description.contains("LIST_URL=\(server.baseURL)") == true)
            #expect(error?.description.contains("cut short") == true, "\(String(describing: error))")
            #expect(try FileSystem.readText(cache.layout.universeSymbols) == before)
            #expect(try FileSystem.readText(cache.layout.universeRead).hasPrefix("read_at=1970-01-01T00:00:00Z"))
        }
    }

    @Test("a listing that cannot be reached is an error naming LIST_URL")
    func unreachable() async throws {
        let cache = try TemporaryCache()
        try await ArchiveServer.with { server in
            let closed = ClosedPort.url()
            let error = await #expect(throws: ListingFailed.self) {
                try await withLister(server, cache, listURL: closed) { try await $0.list(prefix: "data/futures/um/monthly/klines/") }
            }
            #expect(error?.description.hasPrefix("the archive's listing LIST_URL=\(closed) could not be read") == true, "\(String(describing: error))")
            #expect(cache.archiveFiles().isEmpty)
        }
    }

    @Test("a symbol listed after the range start: no file asked for before its first day, none missing")
    func listedMidRange() async throws {
        let cache = try TemporaryCache()
        let new = try Symbol("NEWUSDT")
        try await ArchiveServer.with { server in
            server.publishTrading(new, listingRange, TradingSpan(first: Day("2024-02-10")!))
            server.setListingPageSize(7)
            var download = try downloader(cache, server, range: listingRange, symbols: [new])
            download.listURL = server.baseURL
            let reports = try await download.run()
            #expect(reports[new]?.missing == [])
            #expect(server.requests(at: zipPath(file(.metrics, "2024-02-09", new))) == 0)
            #expect(server.requests(at: checksumPath(file(.metrics, "2024-01-15", new))) == 0)
            #expect(server.requests(at: checksumPath(file(.metrics, "2024-02-10", new))) == 1)
            #expect(try FileSystem.readText(cache.layout.tradingSpan(new)) == "first_day,last_day\n2024-02-10,\n")
            #expect(try monthList(cache, "2024-01", new).isEmpty)
            #expect(try monthList(cache, "2024-02", new).contains("daily/metrics/NEWUSDT/NEWUSDT-metrics-2024-02-10.zip"))

            // the next run, with everything there, asks nothing (the listing included)
            server.resetCounts()
            _ = try await download.run()
            #expect(server.totalRequests == 0)
        }
    }

    @Test("a symbol delisted before END: nothing planned after its last file, nothing missing")
    func delisted() async throws {
        let cache = try TemporaryCache()
        let old = try Symbol("OLDUSDT")
        try await ArchiveServer.with { server in
            server.publishTrading(old, listingRange, TradingSpan(last: Day("2024-01-20")!))
            var download = try downloader(cache, server, range: listingRange, symbols: [old])
            download.listURL = server.baseURL
            let reports = try await download.run()
            #expect(reports[old]?.missing == [])
            #expect(reports[old]?.verified == 23)  // aggTrades, klines and fundingRate of January, 20 metrics
            #expect(server.requests(at: checksumPath(file(.aggTrades, "2024-02", old))) == 0)
            #expect(try FileSystem.readText(cache.layout.tradingSpan(old)) == "first_day,last_day\n,2024-01-20\n")
            #expect(try monthList(cache, "2024-03", old).isEmpty)
        }
    }

    @Test("a symbol the archive does not know is an error naming it and how to list the real ones; no list is written",
          arguments: [true, false])
    func unknownSymbol(listed: Bool) async throws {
        let cache = try TemporaryCache()
        let typo = try Symbol("BTCUSTD")
        try await ArchiveServer.with { server in
            server.publishTrading(try Symbol("BTCUSDT"), listingRange, TradingSpan())
            var download = try downloader(cache, server, range: listingRange, symbols: [typo])
            if listed { download.listURL = server.baseURL }
            let error = await #expect(throws: NoFileInRange.self) { try await download.run() }
            #expect(error?.symbols == [typo])
            // BTCUSTD does not end in a quote asset: read as a base, it is BTCUSTDUSDT
            #expect(error?.description.hasPrefix("BTCUSTDUSDT: no such symbol in the archive for [2024-01-01, 2024-03-05)") == true,
                    "\(String(describing: error))")
            #expect(error?.description.contains("make universe") == true)
            #expect(!FileSystem.exists(cache.layout.missingList(typo)))
            if listed { #expect(server.totalRequests == 2) }   // its two folders' listings, no file
            withExtendedLifetime(cache) {}
        }
    }
}
