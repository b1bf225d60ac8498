import Common
import Glibc
import NIOCore
import NIOPosix

/// A host that cannot be resolved (DNS) or that refuses or cannot be routed a
/// connection: not transient. Asking again, with backoff, only makes a run without
/// network take minutes to say so; one try per host, then this error.
struct Unreachable: Error, CustomStringConvertible, Sendable {
    let url: String
    let what: String

    /// The error, when it says the host cannot be reached at all; nil for anything else
    /// (a timeout, a reset: those may pass).
    init?(_ error: any Error, url: String) {
        if let error = error as? IOError, Self.refusals.contains(error.errnoCode) {
            // A host given as an address: no name to resolve, the connection's own error.
            what = "cannot connect (\(String(cString: strerror(error.errnoCode))))"
            self.url = url
            return
        }
        if let error = error as? SocketAddressError, case .unknown(let host, _) = error {
            what = "cannot resolve the host '\(host)'"
            self.url = url
            return
        }
        guard let error = error as? NIOConnectionError else { return nil }
        if let dns = error.dnsAError ?? error.dnsAAAAError, error.connectionErrors.isEmpty {
            what = "cannot resolve the host '\(error.host)' (\(dns))"
        } else if let refused = error.connectionErrors.lazy.compactMap({ $0.error as? IOError }).first(where: {
            Self.refusals.contains($0.errnoCode)
        }) {
            what = "cannot connect to \(error.host):\(error.port) (\(String(cString: strerror(refused.errnoCode))))"
        } else {
            return nil
        }
        self.url = url
    }

    /// A connection refused, or no route to the host or its network.
    static let refusals: Set<Int32> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL]

    var description: String { "\(url): \(what)" }
}
