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

    @Test("a name ending in a quote asset the archive uses is already full",
          arguments: [("BTCUSDC", "USDC"), ("btcusdc", "USDC"), ("ETHBUSD", "BUSD"), ("BTCFDUSD", "FDUSD"), ("ETHBTC", "BTC"), ("1000PEPEUSDT", "USDT")])
    func quoted(_ text: String, _ quote: String) throws {
        let symbol = try Symbol(text)
        #expect(symbol.full == text.uppercased())
        #expect(symbol.quoteAsset == quote)
    }

    @Test("only a bare base gets USDT; a quote alone is a base", arguments: [("BTC", "BTCUSDT"), ("USDC", "USDCUSDT"), ("BTCDOM", "BTCDOMUSDT"), ("1000PEPE", "1000PEPEUSDT")])
    func bare(_ text: String, _ full: String) throws {
        #expect(try Symbol(text).full == full)
    }

    @Test("BTCUSDT and BTCUSDC are stored under different names, each reading back as itself")
    func storedForms() throws {
        let usdt = try Symbol("BTCUSDT"), usdc = try Symbol("BTCUSDC")
        #expect(usdt.short == "BTC")
        #expect(usdc.short == "BTCUSDC")
        #expect(usdt.short != usdc.short)
        for text in ["BTCUSDT", "BTCUSDC", "ETHBTC", "USDCUSDT", "XUSDCUSDT", "BTCFDUSD"] {
            let symbol = try Symbol(text)
            #expect(try Symbol(symbol.short) == symbol, "\(text) stored as \(symbol.short)")
        }
        // a USDT symbol whose base ends in a quote keeps its full name: XUSDC would be X in USDC
        #expect(try Symbol("XUSDCUSDT").short == "XUSDCUSDT")
        #expect(try Symbol("USDCUSDT").short == "USDC")
    }

    @Test("a list keeps USDT- and USDC-margined symbols of one base apart")
    func listOfQuotes() throws {
        #expect(try Symbol.list("BTC BTCUSDC btcusdt").map(\.full) == ["BTCUSDT", "BTCUSDC"])
    }
}
