/// A JSON value of a flat object, as one line of a JSON-lines file holds it.
public enum JSONScalar: Equatable, Sendable {
    case string(String)
    /// The number's text exactly as written (`811209.83`, `1e-05`), checked against
    /// JSON's grammar; read as `Double` or `Int64` by whoever knows which it must be.
    case number(String)
    case bool(Bool)
    case null

    /// How an error message shows the value.
    public var shown: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .number(let n): return n
        case .bool(let b): return String(b)
        case .null: return "null"
        }
    }
}

/// Parses one line holding a flat JSON object (`{"key":value,…}`, values strings,
/// numbers, booleans or null) into its members. A failure says where, by column, and
/// what was expected: `column 37: expected ',' or '}', found 'x'`.
public struct JSONObjectLine {
    public struct Failure: Error, Equatable {
        public let column: Int
        public let message: String
        public var description: String { "column \(column): \(message)" }
    }

    private let bytes: [UInt8]
    private var offset = 0

    public static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> [String: JSONScalar] {
        var parser = JSONObjectLine(bytes: Array(bytes))
        return try parser.object()
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func object() throws(Failure) -> [String: JSONScalar] {
        skipSpace()
        try expect(ASCII.openBrace, "a JSON object")
        var members: [String: JSONScalar] = [:]
        members.reserveCapacity(16)
        skipSpace()
        if peek == ASCII.closeBrace {
            offset += 1
        } else {
            while true {
                skipSpace()
                let keyColumn = offset + 1
                guard peek == ASCII.quote else { throw fail("expected a key in double quotes") }
                let key = try string()
                skipSpace()
                try expect(ASCII.colon, "':' after the key")
                skipSpace()
                let value = try scalar(key: key)
                guard members.updateValue(value, forKey: key) == nil else {
                    throw Failure(column: keyColumn, message: "key \"\(key)\" appears twice")
                }
                skipSpace()
                if peek == ASCII.comma { offset += 1; continue }
                try expect(ASCII.closeBrace, "',' or '}'")
                break
            }
        }
        skipSpace()
        guard offset == bytes.count else { throw fail("unexpected text after the object") }
        return members
    }

    private mutating func scalar(key: String) throws(Failure) -> JSONScalar {
        switch peek {
        case ASCII.quote?: return .string(try string())
        case ASCII.openBrace?, ASCII.openBracket?: throw fail("\"\(key)\" holds an object or array, expected a number, a string or null")
        case UInt8(ascii: "-")?, (UInt8(ascii: "0")...UInt8(ascii: "9"))?: return .number(try number())
        default:
            for (word, value) in [("null", JSONScalar.null), ("true", .bool(true)), ("false", .bool(false))] where hasPrefix(word) {
                offset += word.utf8.count
                return value
            }
            throw fail("expected a value")
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() throws(Failure) -> String {
        let start = offset
        if peek == UInt8(ascii: "-") { offset += 1 }
        if peek == UInt8(ascii: "0") { offset += 1 } else { try digits() }
        if peek == UInt8(ascii: ".") { offset += 1; try digits() }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            offset += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { offset += 1 }
            try digits()
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func digits() throws(Failure) {
        let start = offset
        while let b = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { offset += 1 }
        if offset == start { throw fail("expected a digit") }
    }

    private mutating func string() throws(Failure) -> String {
        offset += 1   // the opening quote
        var utf8: [UInt8] = []
        utf8.reserveCapacity(24)
        while true {
            guard let b = peek else { throw fail("unterminated string") }
            offset += 1
            switch b {
            case ASCII.quote:
                return String(decoding: utf8, as: UTF8.self)
            case ASCII.backslash:
                try escape(into: &utf8)
            case 0..<0x20:
                offset -= 1
                throw fail("control character in a string")
            default:
                utf8.append(b)
            }
        }
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(Failure) {
        guard let b = peek else { throw fail("unterminated string") }
        offset += 1
        switch b {
        case ASCII.quote, ASCII.backslash, UInt8(ascii: "/"): utf8.append(b)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar), hasPrefix("\\u") {
                offset += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("invalid surrogate pair") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
            utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            offset -= 1
            throw fail("invalid escape '\\\(Character(Unicode.Scalar(b)))'")
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard offset + 4 <= bytes.count,
              let value = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
        else { throw fail("expected 4 hex digits after \\u") }
        offset += 4
        return value
    }

    private var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private func hasPrefix(_ word: String) -> Bool {
        let w = Array(word.utf8)
        return offset + w.count <= bytes.count && Array(bytes[offset..<offset + w.count]) == w
    }

    private mutating func skipSpace() {
        while let b = peek, b == ASCII.space || b == ASCII.tab || b == ASCII.carriageReturn { offset += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard peek == byte else { throw fail("expected \(what)") }
        offset += 1
    }

    /// A failure at the current byte, showing what is there.
    private func fail(_ message: String) -> Failure {
        guard let b = peek else { return Failure(column: offset + 1, message: "\(message), found the end of the line") }
        let found = b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : Self.hex(b)
        return Failure(column: offset + 1, message: "\(message), found \(found)")
    }

    private static func hex(_ byte: UInt8) -> String { "byte 0x" + String(byte, radix: 16) }
}

