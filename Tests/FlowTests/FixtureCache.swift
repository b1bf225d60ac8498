@_exported import TestSupport
import ArchiveFixture
import Common
import Glibc

/// A cache tree in a temporary directory, filled by the test itself: zips under
/// `archive/` and the month lists stage-download would write.
final class FixtureCache {
    let root: String
    let layout: CacheLayout
    let symbol: Symbol

    init(symbol: String = "BTCUSDT") throws {
        root = try TemporaryDirectory("backfill-flow").path
        layout = CacheLayout(root: root)
        self.symbol = try Symbol(symbol)
    }

    func file(_ dataset: Dataset, _ period: String) -> ArchiveFile {
        let p: Period = period.count == 7 ? .month(Month(period)!) : .day(Day(period)!)
        return ArchiveFile(symbol: symbol, dataset: dataset, period: p)
    }

    /// Writes `file`'s zip with one member named like it holding `csv`.
    @discardableResult
    func put(_ file: ArchiveFile, csv: String) throws -> ArchiveFile {
        try put(file, zip: ZipWriter.zip([.init(name: file.csvName, text: csv)]))
    }

    @discardableResult
    func put(_ file: ArchiveFile, zip: [UInt8]) throws -> ArchiveFile {
        let out = try AtomicFile(path: layout.archive(file))
        try out.write(zip)
        try out.commit()
        return file
    }

    /// The month list stage-download would write for `files`.
    func list(_ month: String, _ files: [ArchiveFile]) throws {
        let fileList = VerifiedFileList(files.map { .init(file: $0, sha256: String(repeating: "0", count: 64)) })
        try AtomicFile.write(fileList.text, to: layout.monthList(symbol, Month(month)!))
    }

    func read(_ path: String) throws -> String { try FileSystem.readText(path) }
}

/// Milliseconds of `YYYY-MM-DD` plus hours and minutes.
func ms(_ day: String, _ hour: Int = 0, _ minute: Int = 0) -> Millis {
    Day(day)!.startMillis + Millis(hour) * Time.hour + Millis(minute) * 60_000
}

/// An aggTrades line: id, price, quantity, first/last trade id, time, is_buyer_maker.
func trade(_ id: Int, _ price: String, _ quantity: String, _ time: Millis, maker: Bool) -> String {
    "\(id),\(price),\(quantity),\(id),\(id),\(time),\(maker)\n"
}

let aggTradesHeader = Dataset.aggTrades.columns.joined(separator: ",") + "\n"
let metricsHeader = Dataset.metrics.columns.joined(separator: ",") + "\n"
let fundingHeader = Dataset.fundingRate.columns.joined(separator: ",") + "\n"
