import ArchiveFixture
import Common

/// The archive the end-to-end tests serve: two symbols, 2024-01-01 to END across a
/// month boundary (January monthly and headerless, February daily with headers), all
/// four datasets with CHECKSUM files. Made once per END and kept for the whole run.
final class TestArchive: Sendable {
    let end: Day
    let days: Int
    let archive: SyntheticArchive
    /// URL path → bytes, zips and CHECKSUMs.
    let served: [String: [UInt8]]
    var symbols: [Symbol] { archive.configuration.profiles.map(\.symbol) }

    private init(end: Day, days: Int) {
        self.end = end
        self.days = days
        archive = SyntheticArchive(.init(
            profiles: [.btc(tradesPerHour: 40), .eth(tradesPerHour: 30)],
            range: ArchiveRange(end: end, days: days), seed: 7,
            headerSince: Month("2024-02")!, dailyFilesForCompleteMonths: true))
        served = archive.served()
    }

    /// Through 2024-02-09 (END 2024-02-10, 40 days back: the range starts 2024-01-01).
    static let standard = TestArchive(end: Day("2024-02-10")!, days: 40)
    /// One day more: what the archive looks like the next morning.
    static let nextDay = TestArchive(end: Day("2024-02-11")!, days: 41)
    /// 121 days, 2024-01-01 to 2024-04-30: a month of 90-day windows, long enough for
    /// every dimension to have 90-day events (funding settles only 3 to 6 times a day).
    static let fourMonths = TestArchive(end: Day("2024-05-01")!, days: 120)

    func file(_ symbol: String, _ dataset: Dataset, _ period: String) -> ArchiveFile {
        let p: Period = period.count == 7 ? .month(Month(period)!) : .day(Day(period)!)
        return ArchiveFile(symbol: try! Symbol(symbol), dataset: dataset, period: p)
    }

    /// The URL path of `file` (and of its CHECKSUM).
    static func path(_ file: ArchiveFile) -> String { "/data/futures/um/" + file.path }
    static func checksumPath(_ file: ArchiveFile) -> String { "/data/futures/um/" + file.checksumPath }

    /// The files served without `file` (and its CHECKSUM): not published yet.
    func served(without file: ArchiveFile) -> [String: [UInt8]] {
        var out = served
        out[Self.path(file)] = nil
        out[Self.checksumPath(file)] = nil
        return out
    }
}

extension ArchiveServer {
    /// Publishes `zip` as `file`, with a CHECKSUM that matches it.
    func publish(_ file: ArchiveFile, zip: [UInt8]) {
        put(TestArchive.path(file), zip)
        put(TestArchive.checksumPath(file), SyntheticArchive.checksum(of: zip, name: file.zipName))
    }

    /// Publishes `csv` as `file`'s one member.
    func publish(_ file: ArchiveFile, csv: [UInt8]) {
        publish(file, zip: ZipWriter.zip([.init(name: file.csvName, data: csv)]))
    }
}
