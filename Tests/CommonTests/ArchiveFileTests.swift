import Testing
@testable import Common

@Suite("archive paths")
struct ArchiveFileTests {
    let btc = try! Symbol("BTC")

    @Test("paths follow data.binance.vision's layout")
    func layout() {
        let month = Month("2024-01")!, day = Day("2024-02-03")!
        #expect(ArchiveFile(symbol: btc, dataset: .aggTrades, period: .month(month)).path == "monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip")
        #expect(ArchiveFile(symbol: btc, dataset: .klines, period: .day(day)).path == "daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-02-03.zip")
        #expect(ArchiveFile(symbol: btc, dataset: .metrics, period: .day(day)).path == "daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-02-03.zip")
        #expect(ArchiveFile(symbol: btc, dataset: .fundingRate, period: .month(month)).csvName == "BTCUSDT-fundingRate-2024-01.csv")
    }

    @Test("a path parses back to its file", arguments: [
        "monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip",
        "daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-02-03.zip",
        "daily/metrics/ETHUSDT/ETHUSDT-metrics-2024-02-29.zip",
        "monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2023-12.zip",
    ])
    func parse(_ path: String) throws {
        #expect(try #require(ArchiveFile(path: path)).path == path)
    }

    @Test("other paths are refused", arguments: [
        "monthly/aggTrades/BTCUSDT/ETHUSDT-aggTrades-2024-01.zip",
        "monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01-05.zip",
        "daily/klines/BTCUSDT/BTCUSDT-1h-2024-02-03.zip",
        "../aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip",
        "monthly/aggTrades/btc/btc-aggTrades-2024-01.zip",
    ])
    func refused(_ path: String) {
        #expect(ArchiveFile(path: path) == nil)
    }
}
