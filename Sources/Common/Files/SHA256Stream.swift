import CCrypto
import Glibc

/// SHA-256 of bytes that arrive in pieces (not thread-safe: one writer at a time) (a response body, a file read in chunks):
/// each piece is hashed once, as it passes, never read back. OpenSSL's libcrypto does
/// the hashing (with the CPU's SHA instructions where it has them). The one SHA-256 of
/// the package: the download's verification, the cache's stamps, the fixtures' CHECKSUMs.
public final class SHA256Stream: @unchecked Sendable {
    private let context: OpaquePointer
    public private(set) var count: Int64 = 0

    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("libcrypto could not start a SHA-256")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
        count += Int64(bytes.count)
    }

    /// 64 lowercase hex digits (once: the stream is done after it).
    public func finalize() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return Self.hex(digest)
    }

    /// Lowercase hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The SHA-256 of `bytes`, in hex.
    public static func hex(of bytes: [UInt8]) -> String {
        let stream = SHA256Stream()
        bytes.withUnsafeBytes { stream.update($0) }
        return stream.finalize()
    }

    /// The SHA-256 of a whole file, read in 1 MiB chunks.
    public static func file(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        let stream = SHA256Stream()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { return stream.finalize() }
            stream.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}
