import Glibc

/// Errors a user can act on: each names the file (and line) or URL, what was
/// expected and what was found. Messages read like a compiler's:
/// `BTCUSDT-aggTrades-2024-03.csv:1834022: expected 7 fields, got 5`.

/// A bad option or knob: what was given and what is accepted.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Input that cannot be used: a CSV row, a zip member, a JSON line, a CHECKSUM file.
public struct DataError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file as the user knows it (a path, a zip member, a URL).
    public let file: String
    /// 1-based line, when the error is about one line.
    public let line: Int?
    public let message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// A failed system call on a file: which file, which operation, and errno's text.
public struct FileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let operation: String
    public let reason: String

    public init(path: String, operation: String, errno code: Int32) {
        self.path = path
        self.operation = operation
        self.reason = String(cString: strerror(code))
    }

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "\(path): cannot \(operation): \(reason)" }
}
