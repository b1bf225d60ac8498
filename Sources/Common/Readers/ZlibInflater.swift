import CZlib

/// zlib's raw inflate (the deflate method of zip members), one output buffer at a time.
final class ZlibInflater: RawInflater {
    private var stream = z_stream()
    private let name: String

    /// `name` is the member as the user knows it (`BTCUSDT-aggTrades-2024-01.zip: …`).
    init(name: String) throws {
        self.name = name
        // Negative window bits: a raw deflate stream, no zlib header (zip's framing).
        let status = inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw DataError(file: name, "zlib cannot start inflating (status \(status))") }
    }

    deinit { inflateEnd(&stream) }

    var needsInput: Bool { stream.avail_in == 0 }
    var consumed: UInt64 { UInt64(stream.total_in) }
    var unusedInput: UInt64 { UInt64(stream.avail_in) }
    var crc32: UInt32? { nil }

    func setInput(_ input: UnsafeRawBufferPointer) {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = UInt32(input.count)
    }

    func inflate(into output: UnsafeMutableRawBufferPointer) throws -> (written: Int, ended: Bool) {
        stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(output.count)
        let status = CZlib.inflate(&stream, Z_NO_FLUSH)
        let written = output.count - Int(stream.avail_out)
        switch status {
        case Z_OK: return (written, false)
        case Z_STREAM_END: return (written, true)
        case Z_BUF_ERROR: return (written, false) // no progress possible: the caller gives more input or output
        default:
            let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
            throw DataError(file: name, "corrupt deflate stream after \(stream.total_in) compressed bytes: \(reason)")
        }
    }
}
