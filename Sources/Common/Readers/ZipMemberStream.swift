import Foundation

/// One member of a zip, streamed: a second thread reads and inflates it in fixed-size
/// chunks while the caller parses the previous ones, so a month of trades costs about
/// the inflate time and a few MiB of memory. The member's CRC-32 and size are checked
/// at the end; a mismatch is an error even though every chunk was already handed out,
/// so a caller must not commit anything before `forEachChunk` returns.
public final class ZipMemberStream {
    /// The zip as the user knows it.
    public let zipPath: String
    public let entry: ZipDirectory.Entry
    /// Members other than the one read (a nested duplicate was seen in the archive).
    public let otherMembers: [String]

    private let file: ReadOnlyFile
    private let dataOffset: UInt64

    public static let chunkSize = 1 << 20
    static let chunkCount = 6

    /// The library that inflates the member and computes its CRC-32.
    public let inflater: InflaterKind

    /// Opens the member named `member` (`BTCUSDT-aggTrades-2024-01.csv`) of the zip at `zipPath`,
    /// to be inflated by `inflater` (ISA-L where built, else zlib).
    public init(zipPath: String, member: String, inflater: InflaterKind = .preferred) throws {
        try inflater.checkAvailable()
        self.zipPath = zipPath
        self.inflater = inflater
        file = try ReadOnlyFile(path: zipPath)
        let directory = try ZipDirectory(file: file)
        guard let entry = directory.entry(named: member) else {
            let found = directory.entries.map(\.name).joined(separator: ", ")
            throw DataError(file: zipPath, "no member named '\(member)' (found: \(found.isEmpty ? "none" : found))")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw DataError(file: zipPath, "member '\(member)' uses compression method \(entry.method); only stored (0) and deflate (8) are read")
        }
        guard entry.flags & 1 == 0 else { throw DataError(file: zipPath, "member '\(member)' is encrypted") }
        self.entry = entry
        otherMembers = directory.entries.map(\.name).filter { $0 != member }
        dataOffset = try directory.dataOffset(of: entry, in: file)
    }

    /// Hands the member's bytes to `body` in order, in chunks of at most `chunkSize`.
    /// Rethrows the first error of `body`, or throws when the member is corrupt
    /// (deflate error, CRC-32 or size mismatch, truncated data).
    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let pipe = ChunkPipe(count: Self.chunkCount, size: Self.chunkSize)
        let producer = Producer(stream: self, pipe: pipe)
        let thread = Thread { producer.run() }
        thread.stackSize = 1 << 20
        thread.start()
        defer { pipe.cancelAndWait() }
        while let (buffer, count) = pipe.takeFull() {
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            pipe.giveBack(buffer)
        }
        if let failure = pipe.failure { throw failure }
    }

    /// The inflating side: fills free chunks, computes the CRC-32 on each while it
    /// is still in cache, and checks CRC and size once the stream ends.
    private final class Producer: @unchecked Sendable {
        let stream: ZipMemberStream
        let pipe: ChunkPipe
        init(stream: ZipMemberStream, pipe: ChunkPipe) {
            self.stream = stream
            self.pipe = pipe
        }

        func run() {
            do {
                try produce()
                pipe.finish(nil)
            } catch {
                pipe.finish(error)
            }
        }

        private func produce() throws {
            let entry = stream.entry, name = "\(stream.zipPath): member '\(entry.name)'"
            let kind = stream.inflater
            var crc: UInt32 = 0, total: UInt64 = 0
            var readOffset = stream.dataOffset
            let inputEnd = stream.dataOffset + entry.compressedSize
            let inflater = entry.method == 8 ? try kind.inflater(name: name) : nil
            let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
            defer { input.deallocate() }
            var ended = false
            while !ended {
                guard let buffer = pipe.takeFree() else { return } // the consumer stopped
                var filled = 0
                // Invariant: buffer[0..<filled] holds the member's next bytes, in order;
                // readOffset is the first compressed byte not yet read from the zip.
                while filled < buffer.count && !ended {
                    let room = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
                    if let inflater {
                        let lastInput = readOffset == inputEnd
                        if inflater.needsInput && !lastInput {
                            let want = Int(min(UInt64(input.count), inputEnd - readOffset))
                            let got = try stream.file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[0..<want]), at: readOffset)
                            guard got == want else { throw DataError(file: name, "zip is truncated at byte \(readOffset + UInt64(got))") }
                            readOffset += UInt64(got)
                            inflater.setInput(UnsafeRawBufferPointer(rebasing: input[0..<got]))
                        }
                        let step = try inflater.inflate(into: room)
                        filled += step.written
                        ended = step.ended
                        // All input taken and nothing more comes out: the stream stops short.
                        if !ended && step.written == 0 && lastInput && inflater.needsInput {
                            throw DataError(file: name, "deflate stream is truncated: it does not end within its \(entry.compressedSize) compressed bytes")
                        }
                        if ended && (readOffset < inputEnd || inflater.unusedInput > 0) {
                            throw DataError(file: name, "deflate stream ends after \(inflater.consumed) of \(entry.compressedSize) compressed bytes")
                        }
                    } else {
                        let want = Int(min(UInt64(room.count), inputEnd - readOffset))
                        let got = try stream.file.read(into: UnsafeMutableRawBufferPointer(rebasing: room[0..<want]), at: readOffset)
                        guard got == want else { throw DataError(file: name, "zip is truncated at byte \(readOffset + UInt64(got))") }
                        readOffset += UInt64(got)
                        filled += got
                        ended = readOffset == inputEnd
                    }
                    if total + UInt64(filled) > entry.uncompressedSize {
                        throw DataError(file: name, "inflates to more than the \(entry.uncompressedSize) bytes the zip promises")
                    }
                }
                // The CRC-32 while the chunk is still in cache, unless the inflater keeps it.
                if inflater?.crc32 == nil { crc = kind.crc32(crc, UnsafeRawBufferPointer(rebasing: buffer[0..<filled])) }
                total += UInt64(filled)
                pipe.putFull(buffer, count: filled)
            }
            if let kept = inflater?.crc32 { crc = kept }
            guard total == entry.uncompressedSize else {
                throw DataError(file: name, "inflates to \(total) bytes, the zip promises \(entry.uncompressedSize)")
            }
            guard crc == entry.crc32 else {
                throw DataError(file: name, "CRC-32 \(hex(crc)) does not match the zip's \(hex(entry.crc32)): the data is corrupt")
            }
        }

        private func hex(_ value: UInt32) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 8 - digits.count) + digits
        }
    }
}

/// A fixed set of chunk buffers passed between the inflating thread and the caller:
/// `free` ones go to the producer, `full` ones (in order) to the consumer.
/// Invariant: every buffer is in exactly one of free, full, or held by one side.
private final class ChunkPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private let buffers: [UnsafeMutableRawBufferPointer]
    private var free: [UnsafeMutableRawBufferPointer]
    private var full: [(UnsafeMutableRawBufferPointer, Int)] = []
    private var finished = false
    private var cancelled = false
    private(set) var failure: Error?

    init(count: Int, size: Int) {
        buffers = (0..<count).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64) }
        free = buffers
    }

    deinit { buffers.forEach { $0.deallocate() } }

    /// Producer: an empty buffer, or nil when the consumer has stopped.
    func takeFree() -> UnsafeMutableRawBufferPointer? {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && !cancelled { condition.wait() }
        return cancelled ? nil : free.removeLast()
    }

    /// Producer: a filled buffer, in stream order.
    func putFull(_ buffer: UnsafeMutableRawBufferPointer, count: Int) {
        condition.lock()
        full.append((buffer, count))
        condition.broadcast()
        condition.unlock()
    }

    /// Producer: the stream ended, with or without an error.
    func finish(_ error: Error?) {
        condition.lock()
        failure = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next filled buffer, or nil at the end (check `failure`).
    func takeFull() -> (UnsafeMutableRawBufferPointer, Int)? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty && !finished { condition.wait() }
        return full.isEmpty ? nil : full.removeFirst()
    }

    /// Consumer: a buffer it is done with.
    func giveBack(_ buffer: UnsafeMutableRawBufferPointer) {
        condition.lock()
        free.append(buffer)
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: stop the producer (if still running) and wait until it has let go of every buffer.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
