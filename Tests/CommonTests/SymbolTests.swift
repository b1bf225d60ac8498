import Testing
@testable import Common

@Suite("symbols")
struct SymbolTests {
    @Test("short and full forms name the same symbol", arguments: ["BTC", "btc", "BTCUSDT", "btcusdt"])
    func shortOrFull(_ text: String) throws {
        let symbol = try Symbol(text)
        #expect(symbol.full == "BTCUSDT")
        #expect(symbol.short == "BTC")
    }

    @Test("names that could escape a path or a URL are refused", arguments: ["", "B", "BTC/USDT", "../ETH", "BTC USDT", "ÄBC", "ABCDEFGHIJKLMNOPQRSTU"])
    func refused(_ text: String) {
        #expect(throws: UsageError.self) { try Symbol(text) }
    }

    @Test("a list takes spaces or commas and drops repeats")
    func list() throws {
        #expect(try Symbol.list("BTCUSDT ETH,btc").map(\.full) == ["BTCUSDT", "ETHUSDT"])
    }
}
