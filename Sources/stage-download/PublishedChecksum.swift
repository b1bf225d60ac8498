import Common

/// The content of a `NAME.zip.CHECKSUM` file: `<64 hex>  NAME.zip\n`, as `sha256sum`
/// writes it. The archive publishes one beside every zip; a zip is used only when its
/// SHA-256 matches.
struct PublishedChecksum: Equatable, Sendable {
    /// 64 lowercase hex digits.
    let sha256: String
    /// The file it vouches for, `BTCUSDT-aggTrades-2024-01.zip`.
    let name: String

    init(sha256: String, name: String) {
        self.sha256 = sha256
        self.name = name
    }

    /// The form stored in the cache beside the verified zip.
    var text: String { "\(sha256)  \(name)\n" }

    /// Parses a CHECKSUM that must name `expectedName`; `source` (its URL or path)
    /// names it in errors. Accepts upper- or lowercase hex, `sha256sum`'s text (two
    /// spaces) and binary (` *`) separators, one trailing newline (LF or CRLF), and
    /// nothing else.
    init(parsing bytes: some Collection<UInt8>, expectedName: String, source: String) throws {
        var text = Array(bytes)
        if text.last == ASCII.newline { text.removeLast() }
        if text.last == ASCII.carriageReturn { text.removeLast() }
        guard text.count > 64, text.count <= 64 + 2 + 255 else {
            throw DataError(file: source, "malformed CHECKSUM: expected '<64 hex digits>  \(expectedName)', got \(Self.quote(bytes))")
        }
        var digest: [UInt8] = []
        digest.reserveCapacity(64)
        for byte in text[0..<64] {
            guard let lower = Self.lowercaseHex(byte) else {
                throw DataError(file: source, "malformed CHECKSUM: expected 64 hex digits, got \(Self.quote(bytes))")
            }
            digest.append(lower)
        }
        var rest = text[64...]
        guard rest.first == ASCII.space else {
            throw DataError(file: source, "malformed CHECKSUM: expected a space after the 64 hex digits, got \(Self.quote(bytes))")
        }
        rest = rest.dropFirst()
        guard rest.first == ASCII.space || rest.first == ASCII.asterisk else {
            throw DataError(file: source, "malformed CHECKSUM: expected two spaces or ' *' between hash and name, got \(Self.quote(bytes))")
        }
        rest = rest.dropFirst()
        let name = String(decoding: rest, as: UTF8.self)
        guard !name.isEmpty, !rest.contains(ASCII.newline) else {
            throw DataError(file: source, "malformed CHECKSUM: expected one line '<64 hex digits>  \(expectedName)', got \(Self.quote(bytes))")
        }
        guard name == expectedName else {
            throw DataError(file: source, "CHECKSUM is for '\(name)', expected '\(expectedName)'")
        }
        self.init(sha256: String(decoding: digest, as: UTF8.self), name: name)
    }

    private static func lowercaseHex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): return byte
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte + 32
        default: return nil
        }
    }

    /// The start of what was found, printable, for an error message.
    private static func quote(_ bytes: some Collection<UInt8>) -> String {
        let shown = bytes.prefix(100).map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : $0 == ASCII.newline ? "\\n" : "\\x" + String($0, radix: 16) }
        return "'" + shown.joined() + (bytes.count > 100 ? "…" : "") + "'"
    }
}

