import Common

/// The root of the archive (`--base-url`, make's BASE_URL) and the URL of each file
/// below it: `ROOT/data/futures/um/<ArchiveFile.path>`.
struct ArchiveURL: Sendable, Equatable, CustomStringConvertible {
    /// `https://data.binance.vision`, without a trailing slash; may hold a path
    /// (a mirror under `http://host/mirror`).
    let root: String

    static let standard = "https://data.binance.vision"

    /// Accepts `http://` and `https://` URLs with a host, and nothing that could
    /// not sit in a CSV field or a request line (space, comma, quote, control
    /// characters), nor a query or fragment.
    init(_ text: String) throws {
        var root = text
        while root.hasSuffix("/") { root.removeLast() }
        let lower = root.lowercased()
        let scheme = lower.hasPrefix("http://") ? "http://" : lower.hasPrefix("https://") ? "https://" : nil
        guard let scheme else {
            throw UsageError("--base-url must be an http:// or https:// URL, got '\(text)'")
        }
        let rest = root.dropFirst(scheme.count)
        let host = rest.prefix { $0 != "/" }
        guard !host.isEmpty else {
            throw UsageError("--base-url '\(text)' has no host")
        }
        guard root.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !",\"'?#\\".unicodeScalars.contains($0) }) else {
            throw UsageError("--base-url '\(text)' holds a character a plain archive URL does not (space, comma, quote, ?, #)")
        }
        self.root = root
    }

    func zip(_ file: ArchiveFile) -> String { "\(root)/data/futures/um/\(file.path)" }
    func checksum(_ file: ArchiveFile) -> String { "\(root)/data/futures/um/\(file.checksumPath)" }

    var description: String { root }
}
