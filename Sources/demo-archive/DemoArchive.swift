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
            header and headerless files, CHECKSUM files, and one day not published. \
            `serve` serves a directory on 127.0.0.1 until it is stopped.
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
        // The archive is a few days late with some files: one recent day is not there yet.
        let lateDay = range.end.adding(days: -4)
        let unpublished: Set<ArchiveFile> = [
            ArchiveFile(symbol: try Symbol("ETHUSDT"), dataset: .aggTrades, period: .day(lateDay)),
            ArchiveFile(symbol: try Symbol("ETHUSDT"), dataset: .metrics, period: .day(lateDay)),
        ]
        let archive = SyntheticArchive(.init(
            profiles: [.btc(tradesPerHour: tradesPerHour), .eth(tradesPerHour: tradesPerHour * 0.75)],
            range: range, seed: seed,
            headerSince: range.months.dropFirst().first,
            unpublished: unpublished))
        if FileSystem.exists(directory + "/data") { try FileManager.default.removeItem(atPath: directory + "/data") }
        try archive.write(to: directory)
        let trades = archive.markets.map(\.tradeCount).reduce(0, +)
        Log.info("demo archive: \(archive.csv.count) files, \(trades) trades, \(range.start)…\(last), written below \(directory); not published: \(unpublished.map(\.zipName).sorted().joined(separator: ", "))")
    }
}
