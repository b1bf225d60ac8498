import AsyncHTTPClient
import Common
import NIOCore

/// Why one request failed. `transient` failures are asked again (with backoff) up to
/// `--attempts`; the others end the run.
struct RequestFailure: Error, CustomStringConvertible, Sendable {
    let url: String
    let reason: String
    /// A 5xx, 429, timeout, reset or short body: worth asking again.
    let transient: Bool
    /// The server's Retry-After, when it sent one.
    var retryAfter: Duration? = nil

    var description: String { "\(url): \(reason)" }
}

/// A transient failure that persisted through every attempt.
struct GaveUp: Error, CustomStringConvertible, Sendable {
    let url: String
    let reason: String
    let attempts: Int

    var description: String {
        "\(url): \(reason) (gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"))"
    }
}

/// The downloaded bytes do not hash to the published CHECKSUM, twice in a row.
struct ChecksumMismatch: Error, CustomStringConvertible, Sendable, Equatable {
    let url: String
    let actual: String
    let expected: String

    var description: String { "\(url): sha256 \(actual) does not match CHECKSUM \(expected)" }
}

/// `--offline`: a file of the plan that the cache does not hold.
struct NotInCache: Error, CustomStringConvertible, Sendable {
    let file: ArchiveFile
    let path: String

    var description: String { "\(file.path): not in the cache (\(path)), and --offline forbids fetching it" }
}

/// The run failed: every error that ended it, each naming its URL or file.
struct DownloadFailed: Error, CustomStringConvertible, Sendable {
    let errors: [any Error]

    var description: String { errors.map { "\($0)" }.joined(separator: "\n") }
}

extension RequestFailure {
    /// A failure of the transport (no HTTP status): a timeout, a reset, a refused
    /// connection, a body cut short. All are transient.
    static func transport(_ error: any Error, url: String, timeout: Duration) -> RequestFailure {
        RequestFailure(url: url, reason: describe(error, timeout: timeout), transient: true)
    }

    /// What a user can read in a transport error.
    static func describe(_ error: any Error, timeout: Duration) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout: return "no data for \(seconds(timeout)) (read timeout)"
            case .connectTimeout: return "could not connect within \(seconds(timeout)) (connect timeout)"
            case .deadlineExceeded: return "no response within the deadline"
            case .remoteConnectionClosed: return "the server closed the connection before the response was complete"
            case .getConnectionFromPoolTimeout: return "no connection available in time"
            default: return "HTTP client error: \(error)"
            }
        }
        if let error = error as? IOError { return "\(error.description)" }
        return "\(error)"
    }

    static func seconds(_ duration: Duration) -> String {
        let c = duration.components
        let s = Double(c.seconds) + Double(c.attoseconds) / 1e18
        return s == s.rounded() ? "\(Int64(s)) s" : "\(s) s"
    }
}

/// Symbols of which the archive has no file at all in the range: a typo (`BTCUSTD`),
/// a word that is no symbol (`ALL` outside SYMBOLS=all), or a symbol that did not
/// trade in the range. Names each, and how to list the real ones.
struct NoFileInRange: Error, CustomStringConvertible, Sendable {
    let symbols: [Symbol]
    let range: ArchiveRange
    /// Whether the listing was asked (else: every planned file was not published).
    let listed: Bool

    var description: String {
        let names = symbols.map(\.full).joined(separator: ", ")
        let how = listed ? "the archive's listing shows no 1h klines file of \(symbols.count == 1 ? "it" : "them") in the range"
                         : "every file of the plan is not published (HTTP 404)"
        return "\(names): no such symbol in the archive for \(range): \(how). "
            + "`make universe` lists the symbols the archive has, with their first and last month, in CACHE/universe/symbols.csv; "
            + "SYMBOLS=all processes every one trading in the range"
    }
}
