/// The files of a symbol's plan that the archive did not publish (HTTP 404) on the
/// last download, as stage-download writes it (`download/SYM/missing.csv`) and later
/// stages and `pipeline status` read it:
///
///     dataset,file,url,reason
///     metrics,daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-02-10.zip,https://…/BTCUSDT-metrics-2024-02-10.zip,not published (HTTP 404)
///
/// The body is empty (header only) when nothing is missing. A 404 is never final: the
/// next online run asks again and rewrites this list. No field holds a comma (URLs
/// are checked for that when given; reasons are fixed texts).
public typealias MissingList = FileList<MissingFile>

/// A row of `MissingList`: a file not published, where it was asked for and why.
public struct MissingFile: FileListEntry {
    public static let header = "dataset,file,url,reason"

    public let file: ArchiveFile
    public let url: String
    public let reason: String

    public init(file: ArchiveFile, url: String, reason: String) {
        precondition(!url.contains(",") && !reason.contains(","), "missing.csv fields hold no comma")
        self.file = file
        self.url = url
        self.reason = reason
    }

    public var otherFields: [String] { [url, reason] }

    public init(file: ArchiveFile, otherFields: [String], path: String, line: Int) {
        self.init(file: file, url: otherFields[0], reason: otherFields[1])
    }
}
