/// A list of verified archive files with their sha256, as stage-download writes it
/// (`download/SYM/files.csv`, `download/SYM/months/YYYY-MM.csv`) and later stages
/// read it:
///
///     dataset,file,sha256
///     aggTrades,monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip,9f86d0…
///
/// `file` is the path below `CACHE/archive/`. Rows are sorted by dataset, then period,
/// so that the same files always give the same bytes (and make sees no change).
public struct ArchiveListing: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public let file: ArchiveFile
        public let sha256: String
        public init(file: ArchiveFile, sha256: String) {
            self.file = file
            self.sha256 = sha256
        }
    }

    public static let header = "dataset,file,sha256"

    public private(set) var entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries.sorted { ($0.file.dataset, $0.file.period, $0.file.symbol) < ($1.file.dataset, $1.file.period, $1.file.symbol) }
    }

    /// The files of one dataset, in time order.
    public func files(_ dataset: Dataset) -> [ArchiveFile] {
        entries.lazy.filter { $0.file.dataset == dataset }.map(\.file)
    }

    public var text: String {
        var out = Self.header + "\n"
        for entry in entries {
            out += "\(entry.file.dataset.rawValue),\(entry.file.path),\(entry.sha256)\n"
        }
        return out
    }

    /// Parses `text` read from `path`; errors name the path and line.
    public init(parsing text: String, path: String) throws {
        var entries: [Entry] = []
        for row in try ListingRows.parse(text, path: path, header: Self.header, fields: 3) {
            let file = try ListingRows.archiveFile(dataset: row.fields[0], path: row.fields[1], in: path, line: row.line)
            entries.append(Entry(file: file, sha256: row.fields[2]))
        }
        self.init(entries)
    }

    public static func read(_ path: String) throws -> ArchiveListing {
        try ArchiveListing(parsing: FileSystem.readText(path), path: path)
    }
}
