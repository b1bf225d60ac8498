import ArgumentParser
import Common

@main
struct StagePrices: ParsableCommand {
    static func main() { StageEntry.main(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "stage-prices",
        abstract: "Attach to each event the price at the trigger and \(Horizon.spelled) hours later.",
        discussion: """
        Reads CACHE/events/SYM.jsonl and the symbol's 1h klines (the verified zips \
        listed in CACHE/download/SYM/files.csv) and writes CACHE/prices/SYM.jsonl: each \
        event line as it was, plus \(Horizon.priceKeys.joined(separator: ", ")), the close of the kline opening at that hour, or null where that kline \
        is not in the data (yet: a later run fills it).
        """ + "\n\n" + StageEntry.exitStatus
    )

    @OptionGroup var cache: CacheOptions
    @OptionGroup var symbols: SymbolOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        output.apply()
        let layout = cache.layout
        for symbol in try symbols.resolved() {
            var events: [Event] = []
            try EventsFile.forEach(in: layout.events(symbol), symbol: symbol) { events.append($0) }
            let closes = try HourlyCloses.read(symbol, in: layout)
            let priced = events.map { EventPrices.price($0, closes: closes) }
            try PricesFile.write(priced, to: layout.prices(symbol))
            let waiting = priced.count(where: { $0.prices.knownCount < Horizon.priceKeys.count })
            Log.summary("\(symbol): \(priced.count) events priced from \(closes.closes.count) hourly closes, \(waiting) still waiting for a later price")
        }
    }
}
