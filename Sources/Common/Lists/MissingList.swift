/// The files of a symbol's plan that the archive did not publish (HTTP 404) on the
/// last download, as stage-download writes it (`download/SYM/missing.csv`) and later
/// stages and `pipeline status` read it:
///
///     dataset,file,url,reason
///     metrics,daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-02-10.zip,https://…/BTCUSDT-metrics-2024-02-10.zip,not published (HTTP 404)
///
/// The body is empty (header only) when nothing is missing. A 404 is never final: the
/// next online run asks again and rewrites this list. No field holds a comma (URLs
/// are checked for that when given; reasons are fixed texts), so no quoting is needed.
public struct MissingList: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public let file: ArchiveFile
        public let url: String
        public let reason: String

        public init(file: ArchiveFile, url: String, reason: String) {
            precondition(!url.contains(",") && !reason.contains(","), "missing.csv fields hold no comma")
            self.file = file
            self.url = url
            self.reason = reason
        }
    }

    public static let header = "dataset,file,url,reason"

    public private(set) var entries: [Entry]

    /// Entries sorted like `ArchiveListing`: by dataset, then period.
    public init(_ entries: [Entry]) {
        self.entries = entries.sorted { ($0.file.dataset, $0.file.period, $0.file.symbol) < ($1.file.dataset, $1.file.period, $1.file.symbol) }
    }

    public var text: String {
        var out = Self.header + "\n"
        for entry in entries {
            out += "\(entry.file.dataset.rawValue),\(entry.file.path),\(entry.url),\(entry.reason)\n"
        }
        return out
    }

    /// Parses `text` read from `path`; errors name the path and line.
    public init(parsing text: String, path: String) throws {
        var entries: [Entry] = []
        for row in try ListingRows.parse(text, path: path, header: Self.header, fields: 4) {
            let file = try ListingRows.archiveFile(dataset: row.fields[0], path: row.fields[1], in: path, line: row.line)
            entries.append(Entry(file: file, url: row.fields[2], reason: row.fields[3]))
        }
        self.init(entries)
    }

    public static func read(_ path: String) throws -> MissingList {
        try MissingList(parsing: FileSystem.readText(path), path: path)
    }
}
