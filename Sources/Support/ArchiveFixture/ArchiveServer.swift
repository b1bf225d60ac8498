import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback HTTP server that serves an archive like data.binance.vision does, for
/// tests and demos: files from a directory tree and/or an in-memory map of URL paths
/// (`/data/futures/um/daily/…zip`) to bytes, `GET` and `HEAD`, with Content-Length,
/// 404 for anything else. It binds 127.0.0.1 on a free port.
///
/// It also answers the archive's bucket listing (S3 ListObjects v1 XML, paged) at `/`,
/// and, given a `RESTMarket`, the REST endpoints of Binance's API that the tail reads.
///
/// Faults can be switched on per path (`inject`): a status for the next k requests,
/// a connection closed or stalled after k bytes of the body, other bytes served. Every
/// request is counted per path, so a test can assert that a run made none.
///
///     try await ArchiveServer.with(files: ["/a.zip": bytes]) { server in
///         server.inject(.status(503), at: "/a.zip", times: 2)
///         … fetch "\(server.baseURL)/a.zip" …
///         #expect(server.requests(at: "/a.zip") == 3)
///     }
public final class ArchiveServer: Sendable {
    /// The port the server listens on (127.0.0.1).
    public let port: Int
    private let channel: any Channel
    private let state: ServerState

    /// `http://127.0.0.1:PORT`, no trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, channel: any Channel, state: ServerState) {
        self.port = port
        self.channel = channel
        self.state = state
    }

    /// Starts serving `files` (URL path → bytes) and the files below `directory`
    /// (URL path `/x/y` is `directory/x/y`; in-memory files win).
    public static func start(directory: String? = nil, files: [String: [UInt8]] = [:], rest: RESTMarket? = nil,
                             port: Int = 0) async throws -> ArchiveServer {
        let state = ServerState(directory: directory, files: files, rest: rest)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    state.opened(channel)
                    channel.closeFuture.whenComplete { _ in state.closed(channel) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ArchiveRequestHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        guard let port = channel.localAddress?.port else {
            try await channel.close()
            throw ChannelError.unknownLocalAddress
        }
        return ArchiveServer(port: port, channel: channel, state: state)
    }

    /// Starts a server, runs `body`, and stops the server whether `body` throws or not.
    public static func with<T>(directory: String? = nil, files: [String: [UInt8]] = [:], rest: RESTMarket? = nil,
                               isolation: isolated (any Actor)? = #isolation,
                               _ body: (ArchiveServer) async throws -> T) async throws -> T {
        let server = try await start(directory: directory, files: files, rest: rest)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Stops listening and closes every open connection (stalled ones included).
    public func stop() async {
        try? await channel.close()
        for connection in state.openConnections() { try? await connection.close() }
    }

    /// `baseURL` + `path`.
    public func url(_ path: String) -> String { baseURL + Self.normalized(path) }

    // MARK: content

    /// Serves `bytes` at `path` from now on (publishes, or re-publishes, a file).
    public func put(_ path: String, _ bytes: [UInt8]) { state.put(Self.normalized(path), bytes) }

    /// Stops serving the in-memory file at `path` (404 unless the directory has it).
    public func remove(_ path: String) { state.remove(Self.normalized(path)) }

    // MARK: faults

    /// Plays `fault` for the next `times` requests of `path` (after any fault queued
    /// before it); then the path is served normally again. `times: .max` is for ever.
    public func inject(_ fault: Fault, at path: String, times: Int = 1) {
        precondition(times >= 1, "a fault applies to at least one request")
        state.inject(fault, at: Self.normalized(path), times: times)
    }

    public func clearFaults(at path: String) { state.clearFaults(at: Self.normalized(path)) }

    // MARK: the bucket listing

    /// The server answers `GET /?delimiter=/&prefix=…&marker=…` as the archive's S3
    /// bucket does (`LIST_URL` is `baseURL`), over every file it serves; a fault
    /// injected at `/` applies to listing requests. Pages hold at most `size`
    /// entries (S3: 1,000; tests use a few, so that paging is exercised).
    public func setListingPageSize(_ size: Int) {
        precondition(size >= 1, "a listing page holds at least one entry")
        state.setListingPageSize(size)
    }

    // MARK: the REST API

    /// The server answers Binance's USD-M REST endpoints the tail reads (`REST_URL` is
    /// `baseURL`) from `market`; nil: it does not (404). Faults injected at an endpoint's
    /// path (`/fapi/v1/aggTrades`) apply to its requests, whatever their query.
    public func serveREST(_ market: RESTMarket?) { state.setREST(market) }

    /// `overlap`: aggTrades pages by fromId repeat the previous page's last trade;
    /// `drift`: the statistics' values differ from the archive's metrics in their last
    /// digit; `otherWeight`: request weight other clients of the IP used this minute,
    /// added to `X-MBX-USED-WEIGHT-1M`.
    public func setRESTQuirks(overlap: Bool = false, drift: Bool = false, otherWeight: Int = 0) {
        state.setRESTQuirks(overlap: overlap, drift: drift, otherWeight: otherWeight)
    }

    // MARK: counts

    /// Requests received for `path` (any method, any outcome).
    public func requests(at path: String) -> Int { state.requests(at: Self.normalized(path)) }

    /// Requests received for every path.
    public var totalRequests: Int { state.totalRequests }

    public func resetCounts() { state.resetCounts() }

    static func normalized(_ path: String) -> String { path.hasPrefix("/") ? path : "/" + path }
}
