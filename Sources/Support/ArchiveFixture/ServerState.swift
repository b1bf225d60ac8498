import Glibc
import NIOCore
import Synchronization

/// What the server knows, shared by every connection: the files, the faults waiting
/// for each path, the request counts, and the open connections (closed on stop).
final class ServerState: Sendable {
    private struct Content {
        var files: [String: [UInt8]]
        /// Faults by path, played in order; each with the requests it still applies to.
        var faults: [String: [(fault: Fault, remaining: Int)]] = [:]
        var requests: [String: Int] = [:]
        var connections: [ObjectIdentifier: any Channel] = [:]
        /// Entries a listing page holds at most (S3: 1,000).
        var listingPageSize = 1000
        /// The REST API's market, when the server answers it (`RESTMarket`).
        var rest: RESTMarket?
        var restOverlap = false
        var restDrift = false
        /// The IP's request weight in the minute `weightMinute`, as `X-MBX-USED-WEIGHT-1M` says.
        var weightUsed = 0
        var weightMinute: Int64 = -1
        /// Added to every `X-MBX-USED-WEIGHT-1M` (other clients on the IP).
        var weightOthers = 0
    }

    let directory: String?
    private let content: Mutex<Content>

    init(directory: String?, files: [String: [UInt8]], rest: RESTMarket? = nil) {
        self.directory = directory
        var content = Content(files: files)
        content.rest = rest
        self.content = Mutex(content)
    }

    /// What to send for one request.
    enum Response {
        /// A whole response: status, extra headers, body.
        case whole(status: Int, headers: [Fault.Header], body: [UInt8])
        /// A head announcing `body.count` bytes, then only `sent` of them, then `after`.
        case partial(body: [UInt8], sent: Int, after: After)

        enum After { case close, stall }
    }

    /// Counts the request and decides the response: the next fault queued for `path`,
    /// else the file (in memory first, then under `directory`), else 404. A request of
    /// `/` with a query is a bucket listing (`BucketListing`) of every file served.
    func respond(to path: String, query: String? = nil) -> Response {
        let (fault, stored): (Fault?, [UInt8]?) = content.withLock { c in
            c.requests[path, default: 0] += 1
            var fault: Fault? = nil
            if var queue = c.faults[path], !queue.isEmpty {
                fault = queue[0].fault
                queue[0].remaining -= 1
                if queue[0].remaining <= 0 { queue.removeFirst() }
                c.faults[path] = queue.isEmpty ? nil : queue
            }
            return (fault, c.files[path])
        }
        if RESTMarket.serves(path), case let (rest?, overlap, drift) = content.withLock({ ($0.rest, $0.restOverlap, $0.restDrift) }) {
            switch fault {
            case .status(let code, let headers):
                return .whole(status: code, headers: headers, body: Array("{\"code\":-1,\"msg\":\"fault: HTTP \(code)\"}".utf8))
            case .serve(let bytes):
                return .whole(status: 200, headers: [], body: bytes)
            case .close(let bytes), .stall(let bytes):
                let answer = rest.answer(path: path, query: query ?? "", overlap: overlap, drift: drift)
                return .partial(body: answer.body, sent: min(bytes, answer.body.count), after: fault == .close(afterBytes: bytes) ? .close : .stall)
            case nil:
                let answer = rest.answer(path: path, query: query ?? "", overlap: overlap, drift: drift)
                return .whole(status: answer.status, headers: [.init("X-MBX-USED-WEIGHT-1M", "\(usedWeight(adding: answer.weight))"),
                                                               .init("Content-Type", "application/json")], body: answer.body)
            }
        }
        let file: [UInt8]?
        if path == "/", let query {
            file = listing(query)
        } else {
            file = stored ?? readFromDirectory(path)
        }
        switch fault {
        case .status(let code, let headers):
            return .whole(status: code, headers: headers, body: Array("fault: HTTP \(code)\n".utf8))
        case .serve(let bytes):
            return .whole(status: 200, headers: [], body: bytes)
        case .close(let bytes):
            guard let file else { return Self.notFound }
            return .partial(body: file, sent: min(bytes, file.count), after: .close)
        case .stall(let bytes):
            guard let file else { return Self.notFound }
            return .partial(body: file, sent: min(bytes, file.count), after: .stall)
        case nil:
            guard let file else { return Self.notFound }
            return .whole(status: 200, headers: [], body: file)
        }
    }

    /// The XML page a listing query asks for, over the in-memory files and the directory.
    private func listing(_ query: String) -> [UInt8] {
        let (files, pageSize): ([String: Int64], Int) = content.withLock { c in
            (c.files.reduce(into: [:]) { keys, file in keys[String(file.key.dropFirst())] = Int64(file.value.count) }, c.listingPageSize)
        }
        let request = BucketListing(query: query, pageSize: pageSize)
        var keys = directory.map { BucketListing.keys(in: $0, prefix: request.prefix) } ?? [:]
        for (key, size) in files where key.hasPrefix(request.prefix) { keys[key] = size }
        return Array(request.page(keys).utf8)
    }

    static let notFound = Response.whole(status: 404, headers: [], body: Array("not found\n".utf8))

    /// Counts `weight` in the current minute (wall clock) and returns the IP's total.
    private func usedWeight(adding weight: Int) -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let minute = Int64(now.tv_sec) / 60
        return content.withLock { c in
            if c.weightMinute != minute { c.weightMinute = minute; c.weightUsed = 0 }
            c.weightUsed += weight
            return c.weightUsed + c.weightOthers
        }
    }

    /// The file at `path` below `directory`; nil when absent, not a regular file, or
    /// when the path tries to leave the directory.
    private func readFromDirectory(_ path: String) -> [UInt8]? {
        guard let directory, path.hasPrefix("/"),
              !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        let full = directory + path
        var info = stat()
        guard stat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let fd = open(full, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            offset += n
        }
        return bytes
    }

    // MARK: changes from the tests

    func put(_ path: String, _ bytes: [UInt8]) { content.withLock { $0.files[path] = bytes } }
    func remove(_ path: String) { content.withLock { _ = $0.files.removeValue(forKey: path) } }
    func inject(_ fault: Fault, at path: String, times: Int) {
        content.withLock { $0.faults[path, default: []].append((fault, times)) }
    }
    func clearFaults(at path: String) { content.withLock { _ = $0.faults.removeValue(forKey: path) } }
    func requests(at path: String) -> Int { content.withLock { $0.requests[path] ?? 0 } }
    var totalRequests: Int { content.withLock { $0.requests.values.reduce(0, +) } }
    func resetCounts() { content.withLock { $0.requests = [:] } }
    func setListingPageSize(_ size: Int) { content.withLock { $0.listingPageSize = size } }
    func setREST(_ market: RESTMarket?) { content.withLock { $0.rest = market } }
    func setRESTQuirks(overlap: Bool, drift: Bool, otherWeight: Int) {
        content.withLock { $0.restOverlap = overlap; $0.restDrift = drift; $0.weightOthers = otherWeight }
    }

    // MARK: connections

    func opened(_ channel: any Channel) {
        content.withLock { $0.connections[ObjectIdentifier(channel)] = channel }
    }

    func closed(_ channel: any Channel) {
        content.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func openConnections() -> [any Channel] { content.withLock { Array($0.connections.values) } }
}
