/// Bytes handed out in order, in chunks: an archive zip's member (`ZipMemberStream`)
/// or a plain file (`PlainFileStream`, the REST tail's CSVs). `CSVReader` reads either.
public protocol ByteStream: AnyObject {
    /// How many bytes the stream holds in all.
    var byteCount: UInt64 { get }
    /// Hands the bytes to `body` in order; rethrows its first error, or throws when
    /// the bytes cannot be read whole.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws
}

extension ZipMemberStream: ByteStream {
    public var byteCount: UInt64 { entry.uncompressedSize }
}

/// A file read from start to end in chunks of `ZipMemberStream.chunkSize`.
public final class PlainFileStream: ByteStream {
    private let file: ReadOnlyFile

    public init(path: String) throws { file = try ReadOnlyFile(path: path) }

    public var byteCount: UInt64 { file.size }

    public func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ZipMemberStream.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset: UInt64 = 0
        while offset < file.size {
            let n = try file.read(into: buffer, at: offset)
            guard n > 0 else { throw DataError(file: file.path, "truncated: \(file.size) bytes expected, \(offset) read") }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += UInt64(n)
        }
    }
}
