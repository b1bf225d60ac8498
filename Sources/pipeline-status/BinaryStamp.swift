import Common
import Crypto
import Glibc

/// What make's stamp rule does with a stage's binary (`CACHE/bin/stage-X.sha256`,
/// rewritten only when the binary's sha256 changes): a rebuild that leaves the bytes
/// as they were makes nothing stale; one that changes them makes the stage's outputs
/// stale, even before make has rewritten the stamp.
enum BinaryStamp {
    /// Why outputs made with the binary at `binary` would be remade; nil when the
    /// stamp records this binary's bytes (its mtime then decides, as an input).
    static func change(binary: String, stamp: String, show: (String) -> String) -> String? {
        guard FileSystem.exists(binary) else { return "\(binary) does not exist yet: make builds it, then remakes this" }
        guard let recorded = try? FileSystem.readText(stamp) else { return nil }   // a lacking input: MakeRule says so
        guard let actual = try? sha256(binary) else { return "cannot read \(binary)" }
        return recorded.hasPrefix(actual) ? nil : "\(FileSystem.basename(binary)) was rebuilt with other bytes than \(show(stamp)) records"
    }

    /// As `sha256sum` prints it, 64 lowercase hex digits.
    static func sha256(_ path: String) throws -> String {
        let bytes = try FileSystem.readFile(path)
        return SHA256.hash(data: bytes).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
    }
}
