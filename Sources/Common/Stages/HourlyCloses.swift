/// Hourly closes from the 1h klines (SPEC "Prices after the event"):
/// close(t) is the `close` of the kline whose open_time is t.
public struct HourlyCloses: Sendable {
    /// open_time → close, for every kline read.
    public private(set) var closes: [Millis: Double] = [:]

    public init() {}

    public subscript(openTime: Millis) -> Double? { closes[openTime] }

    /// The hours that have a close, ascending.
    public var hours: [Millis] { closes.keys.sorted() }

    /// Reads the klines of `files` (their zips in the cache). A file read later
    /// wins for an open_time seen twice (a daily file after its month's).
    public mutating func read(_ files: [ArchiveFile], in layout: CacheLayout) throws {
        for file in files where file.dataset == .klines {
            try HeldFile.reading(file, in: layout) {
                let reader = try CSVReader(file, in: layout)
                try reader.forEachLine { line in
                    let openTime = try line.timestamp(0, "open_time")
                    guard openTime % Time.hour == 0 else {
                        throw line.error("open_time: \(openTime) is not the start of an hour")
                    }
                    closes[openTime] = try line.double(4, "close")
                }
            }
        }
    }

    /// The closes of every kline listed for `symbol` by stage-download (`download/SYM/files.csv`).
    public static func read(_ symbol: Symbol, in layout: CacheLayout) throws -> HourlyCloses {
        let fileList = try VerifiedFileList.read(layout.fileList(symbol))
        var closes = HourlyCloses()
        try closes.read(fileList.files(.klines), in: layout)
        return closes
    }
}
