import Common

/// A 1h klines file of chosen closes, zipped the way the archive publishes it: what
/// tests of the stages that read closes (stage-prices, stage-report) put in a cache.
public enum KlinesFixture {
    /// One row of the hour opening at `openTime`: open, high, low and close all
    /// `close`, the other columns 1 (nothing reads them).
    public static func row(_ openTime: Millis, close: Double) -> String {
        let c = NumberFormat.shortest(close)
        return "\(openTime),\(c),\(c),\(c),\(c),1,\(openTime + Time.hour - 1),1,1,1,1,0\n"
    }

    /// The CSV of `closes` (open time, close), in the order given; with the header
    /// newer files have, or without it like older ones.
    public static func csv(_ closes: [(Millis, Double)], header: Bool = true) -> String {
        var csv = header ? Dataset.klines.columns.joined(separator: ",") + "\n" : ""
        for (t, close) in closes { csv += row(t, close: close) }
        return csv
    }

    /// Writes the zip of `file` (a klines file) holding `closes` into `layout`'s archive.
    public static func write(_ closes: [(Millis, Double)], as file: ArchiveFile, in layout: CacheLayout, header: Bool = true) throws {
        let zip = try AtomicFile(path: layout.archive(file))
        try zip.write(ZipWriter.zip([.init(name: file.csvName, text: csv(closes, header: header))]))
        try zip.commit()
    }
}
