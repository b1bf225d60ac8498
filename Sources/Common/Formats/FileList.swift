/// One row of a list stage-download writes about archive files (`files.csv`,
/// `months/YYYY-MM.csv`, `missing.csv`, `coverage.csv`): `dataset,file,` and the
/// row's own fields.
public protocol FileListEntry: Equatable, Sendable {
    /// The whole header line, `dataset,file,…`.
    static var header: String { get }
    var file: ArchiveFile { get }
    /// The fields after `dataset` and `file`, as written.
    var otherFields: [String] { get }
    /// The entry of a row whose `dataset` and `file` gave `file`; errors name `path` and `line`.
    init(file: ArchiveFile, otherFields: [String], path: String, line: Int) throws
}

/// A list of archive files, one row each, the header first. Rows are sorted by
/// dataset, then period (an archive file before a tail file of the same period), so
/// that the same files always give the same bytes (and make sees no change). No field
/// holds a comma, so no quoting is needed.
public struct FileList<Row: FileListEntry>: Equatable, Sendable {
    public typealias Entry = Row

    public static var header: String { Entry.header }

    public private(set) var entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries.sorted {
            ($0.file.dataset, $0.file.period, $0.file.source, $0.file.symbol) < ($1.file.dataset, $1.file.period, $1.file.source, $1.file.symbol)
        }
    }

    /// The files of one dataset, in time order.
    public func files(_ dataset: Dataset) -> [ArchiveFile] {
        entries.lazy.filter { $0.file.dataset == dataset }.map(\.file)
    }

    public var text: String {
        var out = Self.header + "\n"
        for entry in entries {
            out += ([entry.file.dataset.rawValue, entry.file.path] + entry.otherFields).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Parses `text` read from `path`; errors name the path and line.
    public init(parsing text: String, path: String) throws {
        let fields = Self.header.split(separator: ",").count
        var entries: [Entry] = []
        for row in try ListingRows.parse(text, path: path, header: Self.header, fields: fields) {
            let file = try ListingRows.archiveFile(dataset: row.fields[0], path: row.fields[1], in: path, line: row.line)
            entries.append(try Entry(file: file, otherFields: Array(row.fields.dropFirst(2)), path: path, line: row.line))
        }
        self.init(entries)
    }

    public static func read(_ path: String) throws -> Self {
        try Self(parsing: FileSystem.readText(path), path: path)
    }
}
