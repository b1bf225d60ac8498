import AsyncHTTPClient
import Common
import NIOCore
import NIOHTTP1

/// Fetches archive files over HTTP(S): for each file its `.CHECKSUM`, then the zip,
/// streamed to `DEST.tmp` while hashing, verified, then renamed into place.
///
/// Requests that fail transiently (5xx, 429, timeouts, resets, short bodies) are
/// asked again after a backoff, up to `retry.attempts` per URL; a 404 means "not
/// published"; any other status ends the run. A zip that does not match its
/// CHECKSUM is fetched again once (with its CHECKSUM: it may have been re-published
/// in between), then ends the run.
struct HTTPArchiveSource: ArchiveSource {
    let client: HTTPClient
    let urls: ArchiveURL
    let layout: CacheLayout
    let retry: RetryPolicy
    /// Connect timeout, and the longest silence while reading a response.
    let timeout: Duration
    let progress: Progress
    /// How to wait between attempts (tests record instead of waiting).
    let sleep: @Sendable (Duration) async throws -> Void

    /// A CHECKSUM is one line; anything longer is not one.
    static let maximumChecksumBytes = 4096

    func fetch(_ file: ArchiveFile, known: String?) async throws -> FetchOutcome {
        let zipURL = urls.zip(file)
        var announced = false
        for round in 1...2 {
            guard let checksum = try await publishedChecksum(file) else {
                if let known {
                    progress.warning("\(urls.checksum(file)): no longer published (HTTP 404); keeping the copy verified earlier")
                    return .verified(sha256: known, fetchedBytes: nil)
                }
                return .notPublished(url: zipURL, reason: "CHECKSUM not published (HTTP 404)")
            }
            if checksum.sha256 == known { return .verified(sha256: checksum.sha256, fetchedBytes: nil) }

            let received = try await withRetries(zipURL) { () async throws -> ReceivedZip? in
                try await receiveZip(file, url: zipURL, announce: &announced)
            }
            guard let received else { return .notPublished(url: zipURL, reason: "not published (HTTP 404)") }
            if received.sha256 == checksum.sha256 {
                try commit(received, checksum, file)
                return .verified(sha256: checksum.sha256, fetchedBytes: received.bytes)
            }
            let mismatch = ChecksumMismatch(url: zipURL, actual: received.sha256, expected: checksum.sha256)
            if round == 2 { throw mismatch }
            progress.note("\(mismatch); fetching it and its CHECKSUM again")
        }
        preconditionFailure("the loop returns or throws in its second round")
    }

    // MARK: the CHECKSUM

    /// The published CHECKSUM of `file`, nil when not published (404).
    func publishedChecksum(_ file: ArchiveFile) async throws -> PublishedChecksum? {
        let url = urls.checksum(file)
        return try await withRetries(url) { () async throws -> PublishedChecksum? in
            guard let response = try await get(url) else { return nil }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: Self.maximumChecksumBytes)
            } catch is NIOTooManyBytesError {
                throw DataError(file: url, "malformed CHECKSUM: longer than \(Self.maximumChecksumBytes) bytes")
            } catch {
                throw try transportFailure(error, url: url)
            }
            return try PublishedChecksum(parsing: body.readableBytesView, expectedName: file.zipName, source: url)
        }
    }

    // MARK: the zip

    /// A zip received whole into its temporary file, not yet verified.
    struct ReceivedZip {
        let writer: AtomicFile
        let sha256: String
        let bytes: Int64
    }

    /// Streams the zip into `DEST.tmp`, hashing each piece as it arrives (`ZipReceiver`, on
    /// the event loop); nil on 404. A body shorter than its Content-Length is a transient
    /// failure. The temporary file is removed when this throws (AtomicFile's deinit).
    private func receiveZip(_ file: ArchiveFile, url: String, announce announced: inout Bool) async throws -> ReceivedZip? {
        let receiver = ZipReceiver(path: layout.archive(file), progress: progress, announce: !announced)
        var writer: AtomicFile?
        do {
            let request = try HTTPClient.Request(url: url, method: .GET)
            // No deadline: the client's read timeout bounds every silence, before the head and after.
            let task = client.execute(request: request, delegate: receiver)
            var failure: (any Error)?
            do {
                try await withTaskCancellationHandler {
                    try await task.get()
                } onCancel: {
                    task.cancel()
                }
            } catch {
                failure = error
            }
            // The file is ours from here on, whatever the outcome (see detach).
            try await task.eventLoop.submit { receiver.detach() }.get()
            writer = receiver.takeWriter()
            if let failure { throw failure }
        } catch let error as FileError {
            throw error
        } catch {
            if receiver.announced { announced = true }
            let failure = try transportFailure(error, url: url)
            let received = receiver.hash.count
            guard receiver.head?.status == .ok, let expected = receiver.expectedBytes, received < expected,
                  let failure = failure as? RequestFailure else { throw failure }
            let reason = error as? HTTPClientError == .readTimeout
                ? "\(failure.reason) after \(received) of \(expected) bytes"
                : "short body (\(received) of \(expected) bytes): \(failure.reason)"
            throw RequestFailure(url: url, reason: reason, transient: true)
        }
        if receiver.announced { announced = true }
        guard let head = receiver.head else {
            throw RequestFailure(url: url, reason: "the response ended before its head", transient: true)
        }
        guard head.status == .ok else {
            if let failure = Self.statusFailure(head.status, headers: head.headers, url: url) { throw failure }
            return nil
        }
        try Task.checkCancellation()
        let received = receiver.hash.count
        if let expected = receiver.expectedBytes, received != expected {
            throw RequestFailure(url: url, reason: "short body: \(received) of \(expected) bytes (Content-Length)", transient: true)
        }
        guard let writer else { preconditionFailure("a 200 head opens the file") }
        return ReceivedZip(writer: writer, sha256: receiver.hash.finalize(), bytes: received)
    }

    /// Puts a verified zip under its final name. The order keeps LocalArchive's
    /// invariant: no moment shows a zip beside a CHECKSUM it was not verified against.
    private func commit(_ received: ReceivedZip, _ checksum: PublishedChecksum, _ file: ArchiveFile) throws {
        try FileSystem.remove(layout.checksum(file))
        try received.writer.commit()
        try AtomicFile.write(checksum.text, to: layout.checksum(file))
    }

    // MARK: requests

    /// GET `url`: the response when 200, nil when 404. 5xx and 429 throw a transient
    /// RequestFailure (with Retry-After), any other status a final one.
    func get(_ url: String) async throws -> HTTPClientResponse? {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        let response: HTTPClientResponse
        do {
            // The deadline only bounds the wait for the response head; the read
            // timeout of the client's configuration bounds every silence after it.
            response = try await client.execute(request, deadline: .now() + Self.timeAmount(timeout * 3))
        } catch {
            throw try transportFailure(error, url: url)
        }
        if response.status.code == 200 { return response }
        // Read the (small) error body so that the connection can be reused.
        _ = try? await response.body.collect(upTo: 1 << 16)
        if let failure = Self.statusFailure(response.status, headers: response.headers, url: url) { throw failure }
        return nil
    }

    /// What a status other than 200 means: nil for 404 (not published); 5xx and 429 a
    /// transient RequestFailure (with Retry-After), any other a final one.
    static func statusFailure(_ status: HTTPResponseStatus, headers: HTTPHeaders, url: String) -> RequestFailure? {
        let reason = "HTTP \(status.code) \(status.reasonPhrase)"
        switch status.code {
        case 404:
            return nil
        case 429, 500...599:
            let retryAfter = headers.first(name: "retry-after").flatMap { RetryPolicy.retryAfter($0) }
            return RequestFailure(url: url, reason: reason, transient: true, retryAfter: retryAfter)
        default:
            return RequestFailure(url: url, reason: reason, transient: false)
        }
    }

    /// A transport error as a transient failure, but a host that cannot be resolved or
    /// reached (`Unreachable`: not asked again); cancellation stays cancellation.
    func transportFailure(_ error: any Error, url: String) throws -> any Error {
        if Task.isCancelled || error is CancellationError { throw CancellationError() }
        if error is RequestFailure || error is DataError || error is FileError { return error }
        if let unreachable = Unreachable(error, url: url) { return unreachable }
        return RequestFailure.transport(error, url: url, timeout: timeout)
    }

    /// Runs `body` until it succeeds, asking again after transient failures with the
    /// policy's backoff; the last transient failure becomes GaveUp.
    func withRetries<T>(_ url: String, _ body: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let failure as RequestFailure where failure.transient {
                guard attempt < retry.attempts else {
                    throw GaveUp(url: url, reason: failure.reason, attempts: retry.attempts)
                }
                let wait = retry.wait(afterAttempt: attempt, retryAfter: failure.retryAfter)
                progress.note("\(failure); attempt \(attempt + 1) of \(retry.attempts) in \(RequestFailure.seconds(wait.rounded))")
                try await sleep(wait)
                attempt += 1
            }
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let c = duration.components
        return .nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
    }
}

extension Duration {
    /// Rounded to milliseconds, for messages.
    var rounded: Duration {
        let c = components
        return .milliseconds(c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000)
    }
}
