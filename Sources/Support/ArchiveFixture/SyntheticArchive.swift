import Common
import Foundation
import Synchronization

/// A small archive the way data.binance.vision publishes it, from synthetic markets:
/// monthly aggTrades, klines and funding files for the range's complete months (no
/// funding file for END's month, as on the real site), daily aggTrades and klines for
/// END's month, daily metrics for every day, each zip with its `.CHECKSUM`. Files of months before `headerSince` have no header row (and write
/// `True`/`False`), as the archive's older files do. Same configuration, same bytes.
public struct SyntheticArchive: Sendable {
    public struct Configuration: Sendable {
        public var profiles: [MarketProfile]
        public var range: ArchiveRange
        public var seed: UInt64
        /// aggTrades and klines files of earlier months have no header.
        public var headerSince: Month?
        /// Files the archive has not published (a 404).
        public var unpublished: Set<ArchiveFile>
        /// Publish daily aggTrades and klines for complete months too (the real archive
        /// does; the pipeline needs them only when a monthly file is missing).
        public var dailyFilesForCompleteMonths: Bool

        public init(profiles: [MarketProfile], range: ArchiveRange, seed: UInt64 = 2024,
                    headerSince: Month? = nil, unpublished: Set<ArchiveFile> = [],
                    dailyFilesForCompleteMonths: Bool = false) {
            self.profiles = profiles
            self.range = range
            self.seed = seed
            self.headerSince = headerSince
            self.unpublished = unpublished
            self.dailyFilesForCompleteMonths = dailyFilesForCompleteMonths
        }
    }

    public let configuration: Configuration
    public let markets: [SyntheticMarket]
    /// The CSV member of every published file.
    public let csv: [ArchiveFile: [UInt8]]

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        let range = configuration.range
        // One symbol per core: each market has its own random stream, so the bytes do not
        // depend on the order the threads finish in.
        let profiles = configuration.profiles
        let made = Mutex<[Int: SyntheticMarket]>([:])
        DispatchQueue.concurrentPerform(iterations: profiles.count) { i in
            let market = SyntheticMarket(profile: profiles[i], days: range.start..<range.end, seed: configuration.seed)
            made.withLock { $0[i] = market }
        }
        markets = made.withLock { m in profiles.indices.map { m[$0]! } }
        var csv: [ArchiveFile: [UInt8]] = [:]
        for market in markets {
            let symbol = market.profile.symbol
            for month in range.months {
                let days = range.days(of: month)
                let complete = range.isComplete(month)
                for dataset in [Dataset.aggTrades, .klines] {
                    let rows = dataset == .aggTrades ? market.aggTrades : market.klines
                    if complete {
                        csv[ArchiveFile(symbol: symbol, dataset: dataset, period: .month(month))] =
                            Self.file(dataset, month: month, rows: days.flatMap { rows[$0] ?? [] }, configuration)
                    }
                    if !complete || configuration.dailyFilesForCompleteMonths {
                        for day in days {
                            csv[ArchiveFile(symbol: symbol, dataset: dataset, period: .day(day))] =
                                Self.file(dataset, month: month, rows: rows[day] ?? [], configuration)
                        }
                    }
                }
                for day in days {
                    csv[ArchiveFile(symbol: symbol, dataset: .metrics, period: .day(day))] =
                        Self.file(.metrics, month: month, rows: market.metrics[day] ?? [], configuration)
                }
                // No funding file for END's month yet, as on the real site.
                if complete {
                    csv[ArchiveFile(symbol: symbol, dataset: .fundingRate, period: .month(month))] =
                        Self.file(.fundingRate, month: month, rows: market.funding[month] ?? [], configuration)
                }
            }
        }
        for file in configuration.unpublished { csv[file] = nil }
        self.csv = csv
    }

    /// The header row of each dataset's newer files.
    public static func header(_ dataset: Dataset) -> String {
        switch dataset {
        case .aggTrades: return "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker"
        case .klines: return "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore"
        case .metrics: return "create_time,symbol,sum_open_interest,sum_open_interest_value,count_toptrader_long_short_ratio,sum_toptrader_long_short_ratio,count_long_short_ratio,sum_taker_long_short_vol_ratio"
        case .fundingRate: return "calc_time,funding_interval_hours,last_funding_rate"
        }
    }

    private static func file(_ dataset: Dataset, month: Month, rows: [UInt8], _ configuration: Configuration) -> [UInt8] {
        let old = (dataset == .aggTrades || dataset == .klines) && configuration.headerSince.map { month < $0 } == true
        if !old { return Array((header(dataset) + "\n").utf8) + rows }
        guard dataset == .aggTrades else { return rows }
        // Older files: no header, and booleans capitalised.
        var text = rows
        var i = 0
        while i < text.count {
            if text[i] == UInt8(ascii: "t") || text[i] == UInt8(ascii: "f"), i > 0, text[i - 1] == UInt8(ascii: ",") {
                text[i] -= 32
            }
            i += 1
        }
        return text
    }

    /// The zip of one file, its member named like the zip.
    public func zip(_ file: ArchiveFile) -> [UInt8]? {
        csv[file].map { ZipWriter.zip([.init(name: file.csvName, data: $0)]) }
    }

    /// `<sha256 hex>  NAME.zip`, as the archive writes it.
    public static func checksum(of zip: [UInt8], name: String) -> [UInt8] {
        let hex = SHA256Stream.hex(of: zip)
        return Array("\(hex)  \(name)\n".utf8)
    }

    /// Every URL path the archive serves (`/data/futures/um/…zip` and `.CHECKSUM`) with its bytes.
    public func served() -> [String: [UInt8]] {
        let files = Array(csv.keys)
        let out = Mutex<[String: [UInt8]]>([:])
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let file = files[i]
            let zip = self.zip(file)!
            let checksum = Self.checksum(of: zip, name: file.zipName)
            out.withLock {
                $0["/data/futures/um/" + file.path] = zip
                $0["/data/futures/um/" + file.checksumPath] = checksum
            }
        }
        return out.withLock { $0 }
    }

    /// Writes the archive tree below `root` (`root/data/futures/um/…`).
    public func write(to root: String) throws {
        for (path, bytes) in served().sorted(by: { $0.key < $1.key }) {
            let url = URL(fileURLWithPath: root + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
    }
}
