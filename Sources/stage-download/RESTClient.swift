import AsyncHTTPClient
import Common
import Glibc
import NIOCore
import NIOHTTP1

/// Why the REST tail stops for the rest of the run, every symbol's: the API refuses this
/// location (451) or this IP (418), cannot be reached, or keeps failing. The run goes on
/// with the archive; the reason is one warning line.
struct TailStopped: Error, CustomStringConvertible, Sendable {
    let reason: String
    var description: String { reason }
}

/// Why one request of one dataset's tail failed for good (a 4xx, an answer that is not
/// the JSON the endpoint documents): that dataset's tail of that symbol stops.
struct TailRequestFailed: Error, CustomStringConvertible, Sendable {
    let url: String
    let reason: String
    var description: String { "\(url): \(reason)" }
}

/// A request the symbol's tail budget (`--tail-weight`) cannot pay for.
struct OverBudget: Error, CustomStringConvertible, Sendable {
    let budget: Int
    var description: String { "over the tail's budget (TAIL_WEIGHT=\(budget))" }
}

/// The request weight a symbol's tail spends, against its budget (`--tail-weight`), and
/// the IP's weight of the current minute as the API reports it (`X-MBX-USED-WEIGHT-1M`),
/// against the pace the tail keeps under Binance's limit of 2,400 a minute.
actor RequestWeight {
    /// Binance's limit on the request weight of one IP in one minute.
    static let minuteLimit = 2_400
    /// The tail waits for the next minute rather than let the IP's weight pass this.
    static let pace = 2_000

    let budget: Int
    private(set) var spent = 0
    private(set) var requests = 0
    /// The IP's weight in the minute `minute` (seconds since the epoch / 60), from the last response.
    private var used = 0
    private var minute: Int64 = -1

    init(budget: Int) { self.budget = budget }

    /// Takes `weight` from the budget, or throws OverBudget (nothing taken). `exempt`
    /// requests (funding: one a month of settlements) are counted but always allowed.
    func reserve(_ weight: Int, exempt: Bool) throws {
        guard exempt || spent + weight <= budget else { throw OverBudget(budget: budget) }
        spent += weight
        requests += 1
    }

    /// How long to wait before a request of `weight` sent at `now` (seconds since the
    /// epoch): until the next minute when the IP's weight would pass the pace.
    func wait(before weight: Int, now: Double) -> Double {
        let thisMinute = Int64(now / 60)
        guard thisMinute == minute, used + weight > Self.pace else { return 0 }
        return Double(thisMinute + 1) * 60 - now + 0.5
    }

    /// Records the IP's weight a response reported, read at `now`.
    func report(used: Int, now: Double) {
        minute = Int64(now / 60)
        self.used = used
    }
}

/// GETs of Binance's public USD-M endpoints for the REST tail: no key; the weight of
/// each request taken from the symbol's budget and paced by the IP's weight of the minute;
/// 429 honoured (Retry-After), 5xx and resets retried with backoff; 418, 451, a host that
/// cannot be resolved or reached, or a failure that persists, stop the tail (`TailStopped`).
struct RESTClient: Sendable {
    let client: HTTPClient
    let urls: RESTURL
    /// Connect timeout, and the longest silence while reading a response.
    let timeout: Duration
    let retry: RetryPolicy
    let weight: RequestWeight
    /// How to wait (tests record instead of waiting).
    let sleep: @Sendable (Duration) async throws -> Void
    /// Wall-clock seconds since the epoch, for the minute of the IP's weight.
    var clock: @Sendable () -> Double = { RESTClient.wallClock() }

    /// The longest Retry-After of a 429 the tail waits for; a longer one stops the tail.
    static let longestRetryAfter: Duration = .seconds(60)
    /// Responses are pages of at most 1,500 rows: far below this.
    static let maximumBody = 32 << 20

    /// The body of a 200 answer to `GET path?query`.
    func get(_ path: String, _ query: [(String, String)], weight cost: Int, exempt: Bool = false) async throws -> [UInt8] {
        let url = urls.url(path, query)
        try await weight.reserve(cost, exempt: exempt)
        var attempt = 1
        while true {
            let pause = await weight.wait(before: cost, now: clock())
            if pause > 0 { try await sleep(.milliseconds(Int64(pause * 1000))) }
            let failure: RequestFailure
            do {
                return try await once(url)
            } catch let transient as RequestFailure {
                failure = transient
            }
            guard attempt < retry.attempts else {
                throw TailStopped(reason: "\(failure) (gave up after \(attempt) attempt\(attempt == 1 ? "" : "s")); the REST tail stops, the run goes on with the archive")
            }
            if let retryAfter = failure.retryAfter, retryAfter > Self.longestRetryAfter {
                throw TailStopped(reason: "\(failure), Retry-After \(RequestFailure.seconds(retryAfter)); the REST tail stops, the run goes on with the archive")
            }
            try await sleep(retry.wait(afterAttempt: attempt, retryAfter: failure.retryAfter))
            attempt += 1
        }
    }

    /// One request: the body of a 200; a transient failure (429, 5xx, reset, timeout) as
    /// RequestFailure; anything that stops the tail or this dataset as theirs.
    private func once(_ url: String) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, deadline: .now() + HTTPArchiveSource.timeAmount(timeout * 3))
            body = try await response.body.collect(upTo: Self.maximumBody)
        } catch {
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            if let unreachable = Unreachable(error, url: url) {
                throw TailStopped(reason: "\(unreachable); the REST tail stops, the run goes on with the archive (REST_URL= turns the tail off)")
            }
            if error is NIOTooManyBytesError {
                throw TailRequestFailed(url: url, reason: "an answer longer than \(Self.maximumBody) bytes")
            }
            throw RequestFailure.transport(error, url: url, timeout: timeout)
        }
        if let used = response.headers.first(name: "X-MBX-USED-WEIGHT-1M").flatMap({ Int($0.trimmingSpaces) }) {
            await weight.report(used: used, now: clock())
        }
        let status = response.status
        let reason = "HTTP \(status.code) \(status.reasonPhrase)"
        switch status.code {
        case 200:
            return Array(body.readableBytesView)
        case 418:
            let until = response.headers.first(name: "retry-after").map { ", Retry-After \($0)" } ?? ""
            throw TailStopped(reason: "\(url): \(reason): Binance has banned this IP for a while for exceeding its request limits\(until); the REST tail stops, the run goes on with the archive")
        case 451:
            throw TailStopped(reason: "\(url): \(reason): Binance's API does not serve this location (restricted location); the REST tail stops, the run goes on with the archive (REST_URL= turns the tail off)")
        case 429, 500...599:
            throw HTTPArchiveSource.statusFailure(status, headers: response.headers, url: url)!
        default:
            let text = String(decoding: body.readableBytesView.prefix(200), as: UTF8.self)
            throw TailRequestFailed(url: url, reason: "\(reason): \(text)")
        }
    }

    static func wallClock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
