/// What the server does instead of serving a path normally, for a number of requests.
public enum Fault: Sendable, Equatable {
    /// Answer with this status (and headers, e.g. `Retry-After`) and a short text body.
    case status(Int, headers: [Header] = [])
    /// Send the head with the file's full Content-Length and the first `bytes` bytes of
    /// the body, then close the connection: a reset, a body cut short.
    case close(afterBytes: Int)
    /// Send the head and the first `bytes` bytes of the body, then nothing while the
    /// connection stays open: the client's read timeout must fire.
    case stall(afterBytes: Int)
    /// Serve these bytes (status 200) instead of the file's: corruption, re-publication.
    case serve([UInt8])

    public struct Header: Sendable, Equatable {
        public let name: String
        public let value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }
}
