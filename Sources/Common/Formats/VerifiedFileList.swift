/// A list of verified archive files with their sha256, as stage-download writes it
/// (`download/SYM/files.csv`, `download/SYM/months/YYYY-MM.csv`) and later stages
/// read it:
///
///     dataset,file,sha256
///     aggTrades,monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip,9f86d0…
///
/// `file` is the path below `CACHE/archive/`.
public typealias VerifiedFileList = FileList<VerifiedFile>

/// A row of `VerifiedFileList`: a verified file and the sha256 it was verified against.
public struct VerifiedFile: FileListEntry {
    public static let header = "dataset,file,sha256"

    public let file: ArchiveFile
    public let sha256: String

    public init(file: ArchiveFile, sha256: String) {
        self.file = file
        self.sha256 = sha256
    }

    public var otherFields: [String] { [sha256] }

    public init(file: ArchiveFile, otherFields: [String], path: String, line: Int) {
        self.init(file: file, sha256: otherFields[0])
    }
}
