import ArchiveFixture
import ArgumentParser
import Common
import Foundation

/// `demo-archive`: the synthetic archive of `make demo`, written to disk and served on
/// the loopback interface, so the real pipeline can run with no network.
@main
struct DemoArchive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-archive",
        abstract: "Write and serve a synthetic Binance archive for `make demo`.",
        discussion: """
            `generate` writes a deterministic archive that looks like the market (a random-walk \
            price, bursts, heavy-tailed sizes, one-sided hours) for BTCUSDT and ETHUSDT: \
            monthly files for complete months, daily files for END's month, daily metrics, \
            header and headerless files, CHECKSUM files, one day not published, and the last \
            day not published yet; and, below DIR/rest, the same market's recent rows for the \
            REST API. `serve` serves a directory on 127.0.0.1 until it is stopped: the archive \
            and, when DIR/rest exists, Binance's REST endpoints the tail reads.
            """,
        subcommands: [Generate.self, Serve.self])
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the synthetic archive tree below DIR/data/futures/um.")

    @Argument(help: "Directory to write (its archive tree is replaced).")
    var directory: String

    @OptionGroup var range: RangeOptions

    @Option(help: "Trades in a quiet hour of BTCUSDT (ETHUSDT has 3/4 of it).")
    var tradesPerHour: Double = 400

    @Option(help: "Seed of the random markets: same seed, same bytes.")
    var seed: UInt64 = 2024

    mutating func run() throws {
        let range = try self.range.range()
        let last = range.end.adding(days: -1)
        // The archive is a few days late with some files: one recent day is not there yet,
        // and the last day of the range is not published yet (the REST tail fills it).
        let lateDay = range.end.adding(days: -4)
        var unpublished: Set<ArchiveFile> = [
            ArchiveFile(symbol: try Symbol("ETHUSDT"), dataset: .aggTrades, period: .day(lateDay)),
            ArchiveFile(symbol: try Symbol("ETHUSDT"), dataset: .metrics, period: .day(lateDay)),
        ]
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            for dataset in [Dataset.aggTrades, .klines, .metrics] {
                unpublished.insert(ArchiveFile(symbol: try Symbol(symbol), dataset: dataset, period: .day(last)))
            }
        }
        let archive = SyntheticArchive(.init(
            profiles: [.btc(tradesPerHour: tradesPerHour), .eth(tradesPerHour: tradesPerHour * 0.75)],
            range: range, seed: seed,
            headerSince: range.months.dropFirst().first,
            unpublished: unpublished))
        for old in ["/data", "/rest"] where FileSystem.exists(directory + old) { try FileManager.default.removeItem(atPath: directory + old) }
        try archive.write(to: directory)
        // What the REST API answers: the last five weeks (its statistics reach back 30 days).
        try RESTMarket.write(archive, from: max(range.start, range.end.adding(days: -35)), to: directory)
        let trades = archive.markets.map(\.tradeCount).reduce(0, +)
        Log.info("demo archive: \(archive.csv.count) files, \(trades) trades, \(range.start)…\(last), written below \(directory) (REST rows below \(directory)/rest); not published: \(unpublished.map(\.zipName).sorted().joined(separator: ", "))")
    }
}
