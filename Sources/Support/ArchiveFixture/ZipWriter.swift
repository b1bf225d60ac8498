import CZlib

/// Writes zip files the way the archive publishes them (one deflated CSV member),
/// and the ways they go wrong: a second member, a hostile member name, a wrong
/// CRC-32, a corrupt deflate stream, ZIP64 records. For tests and the demo archive.
public enum ZipWriter {
    public struct Member: Sendable {
        public var name: String
        public var data: [UInt8]
        public var deflate: Bool
        /// A CRC-32 to record instead of the real one (a "CRC mismatch" zip).
        public var recordedCRC: UInt32?
        /// Flip bytes in the middle of the compressed data (a "corrupt deflate stream" zip).
        public var corruptCompressedData: Bool
        /// Bytes to store as the member's deflate stream instead of `data` deflated (a stream
        /// cut short, or followed by garbage); the sizes and CRC recorded are still `data`'s.
        public var compressed: [UInt8]?

        public init(name: String, data: [UInt8], deflate: Bool = true, recordedCRC: UInt32? = nil, corruptCompressedData: Bool = false,
                    compressed: [UInt8]? = nil) {
            self.name = name
            self.data = data
            self.deflate = deflate
            self.recordedCRC = recordedCRC
            self.corruptCompressedData = corruptCompressedData
            self.compressed = compressed
        }

        public init(name: String, text: String, deflate: Bool = true) {
            self.init(name: name, data: Array(text.utf8), deflate: deflate)
        }
    }

    /// The bytes of a zip holding `members`, with ZIP64 records when `zip64` (as
    /// Python's zipfile writes them for members past 2 GiB).
    public static func zip(_ members: [Member], zip64: Bool = false, level: Int32 = 6) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for member in members {
            let crc = crc32(member.data)
            var compressed = member.compressed ?? (member.deflate ? deflate(member.data, level: level) : member.data)
            if member.corruptCompressedData && compressed.count > 4 {
                for i in (compressed.count / 2)..<min(compressed.count / 2 + 8, compressed.count - 1) { compressed[i] ^= 0x5A }
            }
            let offset = UInt64(out.count)
            let name = Array(member.name.utf8)
            let method: UInt16 = member.deflate ? 8 : 0
            let recordedCRC = member.recordedCRC ?? crc
            // Local header
            var local: [UInt8] = []
            local.le32(0x0403_4b50); local.le16(zip64 ? 45 : 20); local.le16(0); local.le16(method)
            local.le16(0); local.le16(0x21); local.le32(recordedCRC)
            if zip64 {
                local.le32(0xFFFF_FFFF); local.le32(0xFFFF_FFFF)
                local.le16(UInt16(name.count)); local.le16(20)
                local += name
                local.le16(1); local.le16(16); local.le64(UInt64(member.data.count)); local.le64(UInt64(compressed.count))
            } else {
                local.le32(UInt32(compressed.count)); local.le32(UInt32(member.data.count))
                local.le16(UInt16(name.count)); local.le16(0)
                local += name
            }
            out += local
            out += compressed
            // Central directory entry
            central.le32(0x0201_4b50); central.le16(zip64 ? 45 : 20); central.le16(zip64 ? 45 : 20)
            central.le16(0); central.le16(method); central.le16(0); central.le16(0x21); central.le32(recordedCRC)
            if zip64 {
                central.le32(0xFFFF_FFFF); central.le32(0xFFFF_FFFF)
                central.le16(UInt16(name.count)); central.le16(28); central.le16(0)
                central.le16(0); central.le16(0); central.le32(0); central.le32(0xFFFF_FFFF)
                central += name
                central.le16(1); central.le16(24)
                central.le64(UInt64(member.data.count)); central.le64(UInt64(compressed.count)); central.le64(offset)
            } else {
                central.le32(UInt32(compressed.count)); central.le32(UInt32(member.data.count))
                central.le16(UInt16(name.count)); central.le16(0); central.le16(0)
                central.le16(0); central.le16(0); central.le32(0); central.le32(UInt32(offset))
                central += name
            }
        }
        let centralOffset = UInt64(out.count)
        out += central
        if zip64 {
            let recordOffset = UInt64(out.count)
            out.le32(0x0606_4b50); out.le64(44); out.le16(45); out.le16(45); out.le32(0); out.le32(0)
            out.le64(UInt64(members.count)); out.le64(UInt64(members.count))
            out.le64(UInt64(central.count)); out.le64(centralOffset)
            out.le32(0x0706_4b50); out.le32(0); out.le64(recordOffset); out.le32(1)
            out.le32(0x0605_4b50); out.le16(0); out.le16(0); out.le16(0xFFFF); out.le16(0xFFFF)
            out.le32(0xFFFF_FFFF); out.le32(0xFFFF_FFFF); out.le16(0)
        } else {
            out.le32(0x0605_4b50); out.le16(0); out.le16(0)
            out.le16(UInt16(members.count)); out.le16(UInt16(members.count))
            out.le32(UInt32(central.count)); out.le32(UInt32(centralOffset)); out.le16(0)
        }
        return out
    }

    public static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBufferPointer { UInt32(CZlib.crc32_z(0, $0.baseAddress, $0.count)) }
    }

    /// Raw deflate (no zlib header), as zip stores it.
    public static func deflate(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            fatalError("zlib deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))) + 64)
        var input = data
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                let status = CZlib.deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "zlib deflate did not finish: \(status)")
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }
}

extension Array where Element == UInt8 {
    mutating func le16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func le32(_ v: UInt32) { le16(UInt16(v & 0xFFFF)); le16(UInt16(v >> 16)) }
    mutating func le64(_ v: UInt64) { le32(UInt32(v & 0xFFFF_FFFF)); le32(UInt32(v >> 32)) }
}
