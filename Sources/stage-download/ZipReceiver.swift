import AsyncHTTPClient
import Common
import NIOCore
import NIOHTTP1

/// A zip's response, received on the event loop that reads it: each body part is hashed
/// and written to `DEST.tmp` in the callback that delivers it, straight from NIO's buffer,
/// with no copy and no hop to a task. (AsyncHTTPClient's async body hands the parts to a
/// task one at a time and stops reading the socket until each one is taken.)
///
/// `@unchecked Sendable`: AsyncHTTPClient calls a delegate on the request's event loop, one
/// callback at a time; the owner reads the state only once the task's future has completed.
final class ZipReceiver: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Void

    private let path: String
    private let progress: Progress
    /// Whether to announce the file to `progress` when its 200 head arrives.
    private let announce: Bool

    /// The response head, once received.
    private(set) var head: HTTPResponseHead?
    /// The temporary file, opened on a 200 head; removed unless committed (AtomicFile's deinit).
    private(set) var writer: AtomicFile?
    /// The SHA-256 and count of the body bytes received so far.
    private(set) var hash = SHA256Stream()
    /// Whether this response announced the file to `progress`.
    private(set) var announced = false

    init(path: String, progress: Progress, announce: Bool) {
        self.path = path
        self.progress = progress
        self.announce = announce
    }

    /// The temporary file, set aside by `detach()` for the owner to take.
    private var detachedWriter: AtomicFile?

    /// After `detach()`, on the owner's side: the temporary file, the owner's alone from now
    /// on (the receiver keeps no reference: AsyncHTTPClient may keep the receiver for a while).
    func takeWriter() -> AtomicFile? {
        defer { detachedWriter = nil }
        return detachedWriter
    }

    /// Sets the temporary file aside for the owner, once the task's future has completed; runs
    /// on the task's event loop, after any callback. A callback that comes later finds no file
    /// and drops its bytes, and the owner dropping the file removes `DEST.tmp` at once, before
    /// a retry opens it again.
    func detach() {
        detachedWriter = writer
        writer = nil
        detached = true
    }

    private var detached = false

    /// The Content-Length the server announced.
    var expectedBytes: Int64? { head?.headers.first(name: "content-length").flatMap { Int64($0) } }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        self.head = head
        // Another status: its (small) body is read and dropped, so the connection can be reused.
        // After `detach` (a cancelled request whose head still came) no file is opened.
        guard head.status == .ok, !detached else { return task.eventLoop.makeSucceededVoidFuture() }
        do {
            writer = try AtomicFile(path: path)
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
        if announce {
            progress.itemStarted(expectedBytes: expectedBytes)
            announced = true
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    /// Invariant: the file holds exactly the bytes hashed, in order, after each part.
    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        guard let writer else { return task.eventLoop.makeSucceededVoidFuture() }
        do {
            try buffer.withUnsafeReadableBytes { raw in
                hash.update(raw)
                try writer.writeThrough(raw)
            }
        } catch {
            return task.eventLoop.makeFailedFuture(error)
        }
        progress.received(bytes: buffer.readableBytes)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: Error) {}

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {}
}
