import Glibc

/// The central directory of a zip file: which members it holds, where each one's
/// data starts, and the sizes and CRC-32 it promises. ZIP64 is understood (a real
/// monthly aggTrades CSV is 3–8 GB). Only the directory is read; members are
/// streamed by `ZipMemberStream`, never extracted to disk.
public struct ZipDirectory: Sendable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        /// 0 stored, 8 deflated; anything else is refused when read.
        public let method: UInt16
        public let flags: UInt16
        public let crc32: UInt32
        public let compressedSize: UInt64
        public let uncompressedSize: UInt64
        public let localHeaderOffset: UInt64
    }

    /// The zip as the user knows it, for messages.
    public let path: String
    public let fileSize: UInt64
    public let entries: [Entry]

    public init(path: String) throws {
        let file = try ReadOnlyFile(path: path)
        try self.init(file: file)
    }

    init(file: ReadOnlyFile) throws {
        path = file.path
        fileSize = file.size
        entries = try Self.readEntries(file)
    }

    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// Where the member's compressed bytes start: after its local header, whose
    /// name and extra field lengths may differ from the central directory's.
    func dataOffset(of entry: Entry, in file: ReadOnlyFile) throws -> UInt64 {
        let header = try file.read(at: entry.localHeaderOffset, count: 30)
        guard header.u32(0) == 0x0403_4b50 else {
            throw DataError(file: path, "member '\(entry.name)': no local header at offset \(entry.localHeaderOffset) (broken zip)")
        }
        let offset = entry.localHeaderOffset + 30 + UInt64(header.u16(26)) + UInt64(header.u16(28))
        guard offset + entry.compressedSize <= fileSize else {
            throw DataError(file: path, "member '\(entry.name)' needs \(offset + entry.compressedSize) bytes, the file has \(fileSize) (truncated zip)")
        }
        return offset
    }

    // MARK: - Parsing

    private static func readEntries(_ file: ReadOnlyFile) throws -> [Entry] {
        let broken = { (what: String) in DataError(file: file.path, "not a zip file or truncated: \(what)") }
        // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
        let tailLength = min(file.size, 22 + 65_535)
        guard tailLength >= 22 else { throw broken("\(file.size) bytes") }
        let tail = try file.read(at: file.size - tailLength, count: Int(tailLength))
        guard let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { tail.u32($0) == 0x0605_4b50 }) else {
            throw broken("no end of central directory")
        }
        var count = UInt64(tail.u16(eocd + 10))
        var directorySize = UInt64(tail.u32(eocd + 12))
        var directoryOffset = UInt64(tail.u32(eocd + 16))
        // ZIP64: a locator just before the record points at the ZIP64 record.
        if eocd >= 20, tail.u32(eocd - 20) == 0x0706_4b50 {
            let recordOffset = tail.u64(eocd - 20 + 8)
            guard recordOffset + 56 <= file.size else { throw broken("ZIP64 record beyond the end") }
            let record = try file.read(at: recordOffset, count: 56)
            guard record.u32(0) == 0x0606_4b50 else { throw broken("no ZIP64 end of central directory") }
            count = record.u64(32)
            directorySize = record.u64(40)
            directoryOffset = record.u64(48)
        }
        guard directoryOffset + directorySize <= file.size, directorySize <= 64 << 20 else {
            throw broken("central directory of \(directorySize) bytes at \(directoryOffset) in a file of \(file.size)")
        }
        let directory = try file.read(at: directoryOffset, count: Int(directorySize))
        var entries: [Entry] = []
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, directory.u32(at) == 0x0201_4b50 else { throw broken("central directory entry \(entries.count + 1)") }
            let nameLength = Int(directory.u16(at + 28)), extraLength = Int(directory.u16(at + 30)), commentLength = Int(directory.u16(at + 32))
            guard at + 46 + nameLength + extraLength + commentLength <= directory.count else { throw broken("central directory entry \(entries.count + 1)") }
            let name = String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            var compressed = UInt64(directory.u32(at + 20)), uncompressed = UInt64(directory.u32(at + 24))
            var localOffset = UInt64(directory.u32(at + 42))
            // ZIP64 extra field (0x0001): the 64-bit values of the fields saturated at 0xFFFFFFFF, in this order.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = directory.u16(extra), size = Int(directory.u16(extra + 2))
                if id == 0x0001 {
                    var field = extra + 4
                    let fieldEnd = min(extra + 4 + size, directory.count)
                    func next() throws -> UInt64 {
                        guard field + 8 <= fieldEnd else { throw broken("ZIP64 extra field of '\(name)'") }
                        defer { field += 8 }
                        return directory.u64(field)
                    }
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
                    if compressed == 0xFFFF_FFFF { compressed = try next() }
                    if localOffset == 0xFFFF_FFFF { localOffset = try next() }
                }
                extra += 4 + size
            }
            entries.append(Entry(name: name, method: directory.u16(at + 10), flags: directory.u16(at + 8),
                                 crc32: directory.u32(at + 16), compressedSize: compressed,
                                 uncompressedSize: uncompressed, localHeaderOffset: localOffset))
            at += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }
}

/// A file opened for positioned reads (`pread`), closed when released.
final class ReadOnlyFile: @unchecked Sendable {
    let path: String
    let fd: Int32
    let size: UInt64

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw FileError(path: path, operation: "stat", errno: code)
        }
        size = UInt64(info.st_size)
    }

    deinit { close(fd) }

    /// Exactly `count` bytes at `offset`, or an error naming the file.
    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { try read(into: $0, at: offset) }
        guard got == count else { throw DataError(file: path, "truncated: wanted \(count) bytes at offset \(offset), got \(got)") }
        return bytes
    }

    /// Fills as much of `buffer` as the file has from `offset`; returns the byte count.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}

extension Array where Element == UInt8 {
    /// Little-endian fields of zip headers.
    @inline(__always) func u16(_ at: Int) -> UInt16 { UInt16(self[at]) | UInt16(self[at + 1]) << 8 }
    @inline(__always) func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    @inline(__always) func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
}
