import Glibc
import Testing
@testable import Common

@Suite("the archive's bucket listing")
struct BucketListingTests {
    /// A page as S3 answers `?delimiter=/&prefix=data/futures/um/monthly/klines/` (cut to three folders).
    static let folders = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>data.binance.vision</Name>\
        <Prefix>data/futures/um/monthly/klines/</Prefix><Marker></Marker>\
        <NextMarker>data/futures/um/monthly/klines/BTCUSDT_240329/</NextMarker><MaxKeys>3</MaxKeys>\
        <Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>\
        <CommonPrefixes><Prefix>data/futures/um/monthly/klines/1000PEPEUSDT/</Prefix></CommonPrefixes>\
        <CommonPrefixes><Prefix>data/futures/um/monthly/klines/BTCUSDC/</Prefix></CommonPrefixes>\
        <CommonPrefixes><Prefix>data/futures/um/monthly/klines/BTCUSDT_240329/</Prefix></CommonPrefixes>\
        </ListBucketResult>
        """

    /// A page of files, as S3 answers for one symbol's folder.
    static let files = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>data.binance.vision</Name>
          <Prefix>data/futures/um/monthly/aggTrades/BTCUSDC/</Prefix><Marker></Marker><MaxKeys>1000</MaxKeys>
          <Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>
          <Contents><Key>data/futures/um/monthly/aggTrades/BTCUSDC/BTCUSDC-aggTrades-2024-01.zip</Key>
            <LastModified>2024-02-01T06:21:44.000Z</LastModified><ETag>&quot;b2c1&quot;</ETag><Size>104857600</Size>
            <Owner><ID>x</ID><DisplayName/></Owner><StorageClass>STANDARD</StorageClass></Contents>
          <Contents><Key>data/futures/um/monthly/aggTrades/BTCUSDC/BTCUSDC-aggTrades-2024-01.zip.CHECKSUM</Key>
            <LastModified>2024-02-01T06:21:45.000Z</LastModified><ETag>&quot;9a&quot;</ETag><Size>105</Size><StorageClass>STANDARD</StorageClass></Contents>
          <Contents><Key>data/futures/um/monthly/aggTrades/BTCUSDC/BTCUSDC-aggTrades-2024-02.zip</Key>
            <Size>52428800</Size></Contents>
        </ListBucketResult>
        """

    @Test("a page of folders: its prefixes in order, truncated, with the next marker")
    func folderPage() throws {
        let page = try BucketListingPage(parsing: Self.folders, source: "LIST")
        #expect(page.prefixes == ["data/futures/um/monthly/klines/1000PEPEUSDT/", "data/futures/um/monthly/klines/BTCUSDC/",
                                  "data/futures/um/monthly/klines/BTCUSDT_240329/"])
        #expect(page.objects.isEmpty)
        #expect(page.isTruncated)
        #expect(page.nextMarker == "data/futures/um/monthly/klines/BTCUSDT_240329/")
    }

    @Test("a page of files: keys and sizes, entities decoded, other elements skipped, not truncated")
    func filePage() throws {
        let page = try BucketListingPage(parsing: Self.files, source: "LIST")
        #expect(page.objects == [
            .init(key: "data/futures/um/monthly/aggTrades/BTCUSDC/BTCUSDC-aggTrades-2024-01.zip", size: 104_857_600),
            .init(key: "data/futures/um/monthly/aggTrades/BTCUSDC/BTCUSDC-aggTrades-2024-01.zip.CHECKSUM", size: 105),
            .init(key: "data/futures/um/monthly/aggTrades/BTCUSDC/BTCUSDC-aggTrades-2024-02.zip", size: 52_428_800),
        ])
        #expect(!page.isTruncated)
        #expect(page.nextMarker == nil)
    }

    @Test("without NextMarker (no delimiter), a truncated page continues after its last entry")
    func markerFromLastKey() throws {
        let text = "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a&amp;b</Key><Size>1</Size></Contents>"
            + "<Contents><Key>c</Key><Size>2</Size></Contents></ListBucketResult>"
        let page = try BucketListingPage(parsing: text, source: "LIST")
        #expect(page.objects.map(\.key) == ["a&b", "c"])
        #expect(page.nextMarker == "c")
    }

    @Test("a cut-short page, an S3 error, an HTML page and a bad size are refused, naming the source",
          arguments: [
            (String(folders.prefix(400)), "cut short"),
            ("<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>", "not an S3 bucket listing"),
            ("<html><body>Index of /</body></html>", "not an S3 bucket listing"),
            ("", "not an S3 bucket listing"),
            ("<ListBucketResult><Contents><Key>k</Key><Size>-3</Size></Contents></ListBucketResult>", "<Size> is '-3'"),
            ("<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>", "<IsTruncated> is 'maybe'"),
            ("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>", "names no next marker"),
          ])
    func refused(_ text: String, _ reason: String) {
        let error = #expect(throws: DataError.self) { try BucketListingPage(parsing: text, source: "http://list/?prefix=x") }
        #expect(error?.file == "http://list/?prefix=x")
        #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
    }
}

@Suite("the universe")
struct UniverseTests {
    @Test("perpetuals are the folders without '_' that name a full symbol")
    func perpetuals() {
        let (symbols, skipped) = Universe.perpetuals(fromPrefixes: [
            "data/futures/um/monthly/klines/BTCUSDT/", "data/futures/um/monthly/klines/BTCUSDT_240329/",
            "data/futures/um/daily/klines/BTCUSDT/", "data/futures/um/daily/klines/BTCUSDC/",
            "data/futures/um/monthly/klines/ETHBTC/", "data/futures/um/monthly/klines/odd-name/",
        ])
        #expect(symbols.map(\.full) == ["BTCUSDC", "BTCUSDT", "ETHBTC"])
        #expect(skipped == ["odd-name"])
    }

    @Test("months and bytes come from the aggTrades zips; CHECKSUMs and other symbols are not counted")
    func months() throws {
        let page = try BucketListingPage(parsing: BucketListingTests.files, source: "LIST")
        let months = Universe.months(of: try Symbol("BTCUSDC"), in: page.objects)
        #expect(months.map(\.month.description) == ["2024-01", "2024-02"])
        #expect(months.map(\.bytes) == [104_857_600, 52_428_800])
        #expect(Universe.months(of: try Symbol("BTCUSDT"), in: page.objects).isEmpty)
    }

    @Test("daily files are summed by month")
    func dailyMonths() throws {
        let objects = (1...3).map { BucketListingPage.Object(key: "data/futures/um/daily/aggTrades/NEWUSDT/NEWUSDT-aggTrades-2024-03-0\($0).zip", size: 10) }
        let months = Universe.months(of: try Symbol("NEWUSDT"), in: objects)
        #expect(months.count == 1)
        #expect(months.first?.bytes == 30)
    }

    @Test("the files round-trip, and SYMBOLS=all takes the symbols with a file in a month of the range")
    func filesAndRange() throws {
        let universe = Universe([
            .init(symbol: try Symbol("OLDUSDT"), months: [(Month("2021-01")!, Int64(5)), (Month("2021-02")!, Int64(6))]),
            .init(symbol: try Symbol("BTCUSDT"), months: [(Month("2023-12")!, Int64(100)), (Month("2024-01")!, Int64(200))]),
            .init(symbol: try Symbol("NEWUSDT"), months: [(Month("2024-03")!, Int64(7))]),
            .init(symbol: try Symbol("LATEUSDT"), months: [(Month("2024-04")!, Int64(7))]),
        ])
        #expect(universe.symbolsText == """
            symbol,first_month,last_month,months,aggtrades_bytes
            BTCUSDT,2023-12,2024-01,2,300
            LATEUSDT,2024-04,2024-04,1,7
            NEWUSDT,2024-03,2024-03,1,7
            OLDUSDT,2021-01,2021-02,2,11

            """)
        let cache = "/tmp/backfill-universe-test-\(getpid())"
        let layout = CacheLayout(root: cache)
        try AtomicFile.write(universe.symbolsText, to: layout.universeSymbols)
        try AtomicFile.write(universe.monthsText, to: layout.universeMonths)
        defer { for path in [layout.universeSymbols, layout.universeMonths, layout.universe, cache] { _ = path.withCString { remove($0) } } }
        #expect(try Universe.read(symbols: layout.universeSymbols, months: layout.universeMonths) == universe)
        // 2024-01-01 to 2024-03-09
        let range = ArchiveRange(end: Day("2024-03-10")!, days: 60)
        #expect(universe.trading(in: range).map(\.full) == ["BTCUSDT", "NEWUSDT"])
    }

    @Test("a months.csv naming a symbol symbols.csv lacks is refused with file and line")
    func badMonths() throws {
        let cache = "/tmp/backfill-universe-bad-\(getpid())"
        let layout = CacheLayout(root: cache)
        try AtomicFile.write("symbol,first_month,last_month,months,aggtrades_bytes\nBTCUSDT,2024-01,2024-01,1,5\n", to: layout.universeSymbols)
        try AtomicFile.write("symbol,month,aggtrades_bytes\nBTCUSDT,2024-01,5\nETHUSDT,2024-01,5\n", to: layout.universeMonths)
        defer { for path in [layout.universeSymbols, layout.universeMonths, layout.universe, cache] { _ = path.withCString { remove($0) } } }
        let error = #expect(throws: DataError.self) { try Universe.read(symbols: layout.universeSymbols, months: layout.universeMonths) }
        #expect(error?.line == 3)
        #expect(error?.file == layout.universeMonths)
    }
}

@Suite("the days a symbol traded")
struct TradingSpanTests {
    /// 2024-01-01 to 2024-03-04
    let range = ArchiveRange(end: Day("2024-03-05")!, days: 40)

    func days(_ from: String, _ through: String) -> [Day] { Array(Day(from)!...Day(through)!) }

    @Test("trading across the whole range: no cut")
    func whole() {
        let span = TradingSpan.from(days: days("2024-01-01", "2024-03-04"), months: [Month("2023-06")!, Month("2024-02")!], range: range)
        #expect(span == TradingSpan())
        #expect(span?.isWholeRange == true)
    }

    @Test("listed after the range start: from its first daily file, not its month's 1st")
    func listedLate() throws {
        let span = try #require(TradingSpan.from(days: days("2024-02-10", "2024-03-04"), months: [Month("2024-02")!], range: range))
        #expect(span == TradingSpan(first: Day("2024-02-10")!))
        #expect(!span.contains(Day("2024-02-09")!) && span.contains(Day("2024-02-10")!))
        #expect(!span.overlaps(Month("2024-01")!) && span.overlaps(Month("2024-02")!))
        #expect(span.summary == "listed 2024-02-10")
    }

    @Test("no file in the last week before END is a delisting; a shorter silence is lateness")
    func delisted() throws {
        let gone = try #require(TradingSpan.from(days: days("2024-01-01", "2024-01-20"), months: [Month("2023-12")!, Month("2024-01")!], range: range))
        #expect(gone == TradingSpan(last: Day("2024-01-20")!))
        #expect(!gone.overlaps(Month("2024-02")!))
        let late = TradingSpan.from(days: days("2024-01-01", "2024-02-27"), months: [Month("2024-01")!], range: range)
        #expect(late == TradingSpan())
    }

    @Test("monthly files alone count whole months; no file at all is nil; a span ending before the range trades not in it")
    func monthsOnly() throws {
        #expect(TradingSpan.from(days: [], months: [Month("2024-02")!], range: range) == TradingSpan(first: Day("2024-02-01")!))
        #expect(TradingSpan.from(days: [], months: [], range: range) == nil)
        let old = try #require(TradingSpan.from(days: [], months: [Month("2022-05")!], range: range))
        #expect(!old.tradesIn(range))
    }

    @Test("trading.csv round-trips; a bad day names the file and line")
    func text() throws {
        let span = TradingSpan(first: Day("2024-02-10")!, last: nil)
        #expect(span.text == "first_day,last_day\n2024-02-10,\n")
        #expect(try TradingSpan(parsing: span.text, path: "t.csv") == span)
        let error = #expect(throws: DataError.self) { try TradingSpan(parsing: "first_day,last_day\n2024-13-01,\n", path: "t.csv") }
        #expect(error?.line == 2)
    }
}
