import AsyncHTTPClient
import Common
import NIOCore

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

    /// Streams the zip into `DEST.tmp`, hashing each piece as it passes; nil on 404.
    /// A body shorter than its Content-Length is a transient failure. The temporary
    /// file is removed when this throws (AtomicFile's deinit).
    private func receiveZip(_ file: ArchiveFile, url: String, announce: inout Bool) async throws -> ReceivedZip? {
        guard let response = try await get(url) else { return nil }
        let expected = response.headers.first(name: "content-length").flatMap { Int64($0) }
        if !announce {
            progress.itemStarted(expectedBytes: expected)
            announce = true
        }
        let writer = try AtomicFile(path: layout.archive(file))
        var hash = SHA256Stream()
        do {
            for try await buffer in response.body {
                try buffer.withUnsafeReadableBytes { raw in
                    hash.update(raw)
                    try writer.write(raw)
                }
                progress.received(bytes: buffer.readableBytes)
            }
        } catch let error as FileError {
            throw error
        } catch {
            let failure = try transportFailure(error, url: url)
            guard let expected, hash.count < expected, let failure = failure as? RequestFailure else { throw failure }
            let reason = error as? HTTPClientError == .readTimeout
                ? "\(failure.reason) after \(hash.count) of \(expected) bytes"
                : "short body (\(hash.count) of \(expected) bytes): \(failure.reason)"
            throw RequestFailure(url: url, reason: reason, transient: true)
        }
        try Task.checkCancellation()
        if let expected, hash.count != expected {
            throw RequestFailure(url: url, reason: "short body: \(hash.count) of \(expected) bytes (Content-Length)", transient: true)
        }
        return ReceivedZip(writer: writer, sha256: hash.finalize(), bytes: hash.count)
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
        let status = response.status
        if status.code == 200 { return response }
        // Read the (small) error body so that the connection can be reused.
        _ = try? await response.body.collect(upTo: 1 << 16)
        let reason = "HTTP \(status.code) \(status.reasonPhrase)"
        switch status.code {
        case 404:
            return nil
        case 429, 500...599:
            let retryAfter = response.headers.first(name: "retry-after").flatMap { RetryPolicy.retryAfter($0) }
            throw RequestFailure(url: url, reason: reason, transient: true, retryAfter: retryAfter)
        default:
            throw RequestFailure(url: url, reason: reason, transient: false)
        }
    }

    /// A transport error as a transient failure; cancellation stays cancellation.
    func transportFailure(_ error: any Error, url: String) throws -> any Error {
        if Task.isCancelled || error is CancellationError { throw CancellationError() }
        if error is RequestFailure || error is DataError || error is FileError { return error }
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
