import Common

/// The root of Binance's public USD-M futures REST API (`--rest-url`, make's REST_URL),
/// e.g. `https://fapi.binance.com`, and the URL of a request below it.
struct RESTURL: Sendable, Equatable, CustomStringConvertible {
    let root: String

    static let standard = "https://fapi.binance.com"

    /// Accepts what `ArchiveURL` accepts (http or https, a host, no query).
    init(_ text: String) throws {
        do {
            root = try ArchiveURL(text).root
        } catch let error as UsageError {
            throw UsageError(error.message.replacingOccurrences(of: "--base-url", with: "--rest-url"))
        }
    }

    /// `ROOT/PATH?name=value&…`, in the given order (the values are numbers and symbols).
    func url(_ path: String, _ query: [(String, String)]) -> String {
        root + path + "?" + query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    var description: String { root }
}
