import Glibc

/// A file that exists under its final name only when it is whole: bytes go to
/// `PATH.PID.tmp`, and `commit()` renames it into place. A writer dropped without
/// `commit()` (an error, a thrown validation) removes its temporary file, and a
/// process killed mid-write leaves at most `PATH.PID.tmp`, which the next writer of
/// PATH removes (its process is gone). The process id keeps two processes that write
/// the same file (two runs on one cache) from writing into each other's bytes.
public final class AtomicFile {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var committed = false
    private static let bufferSize = 1 << 20

    /// Creates the parent directories and opens `path.tmp` for writing.
    public init(path: String) throws {
        self.path = path
        self.temporaryPath = Self.temporaryPath(for: path)
        try FileSystem.createDirectories(FileSystem.parent(of: path))
        Self.removeLeftovers(of: path)
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: temporaryPath, operation: "create", errno: errno) }
        buffer.reserveCapacity(Self.bufferSize)
    }

    /// Where this process writes `path` before the rename.
    public static func temporaryPath(for path: String) -> String { "\(path).\(getpid()).tmp" }

    /// Removes `PATH.PID.tmp` files of processes that no longer run (killed mid-write).
    private static func removeLeftovers(of path: String) {
        let directory = FileSystem.parent(of: path), prefix = FileSystem.basename(path) + "."
        for name in FileSystem.list(directory) where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            guard let pid = pid_t(name.dropFirst(prefix.count).dropLast(".tmp".count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink("\(directory)/\(name)") }
        }
    }

    deinit {
        if !committed {
            if fd >= 0 { close(fd) }
            unlink(temporaryPath)
        }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { (bytes) throws in try write(UnsafeRawBufferPointer(bytes)) }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { (raw) throws in try write(raw) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.bufferSize {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Writes `bytes` now (after what is buffered), without copying them into the buffer:
    /// for large pieces that arrive one at a time, like a response body.
    public func writeThrough(_ bytes: UnsafeRawBufferPointer) throws {
        try flush()
        try writeAll(bytes)
    }

    /// Flushes, closes and renames the temporary file to `path`.
    public func commit() throws {
        try flush()
        let result = close(fd)
        fd = -1
        guard result == 0 else { throw FileError(path: temporaryPath, operation: "close", errno: errno) }
        guard rename(temporaryPath, path) == 0 else { throw FileError(path: path, operation: "rename \(temporaryPath) to", errno: errno) }
        committed = true
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        try pending.withUnsafeBytes { (raw) throws in try writeAll(raw) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: temporaryPath, operation: "write", errno: errno)
            }
            offset += n
        }
    }
}

extension AtomicFile {
    /// Writes `contents` to `path` atomically.
    public static func write(_ contents: String, to path: String) throws {
        let file = try AtomicFile(path: path)
        try file.write(contents)
        try file.commit()
    }

    /// Writes `contents` to `path` atomically unless the file already holds exactly
    /// these bytes; an unchanged file keeps its mtime, so make does not redo what
    /// depends on it. Returns whether the file was written.
    @discardableResult
    public static func writeIfChanged(_ contents: String, to path: String) throws -> Bool {
        if let existing = try? FileSystem.readFile(path), existing == Array(contents.utf8) { return false }
        try write(contents, to: path)
        return true
    }
}
