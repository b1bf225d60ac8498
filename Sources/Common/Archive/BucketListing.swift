/// One page of the archive's bucket listing: the answer of S3 ListObjects (version 1)
/// to `GET LIST_URL?delimiter=/&prefix=…&marker=…`, which the archive's web page
/// reads too:
///
///     <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
///       <Name>data.binance.vision</Name><Prefix>data/futures/um/monthly/klines/</Prefix>
///       <Marker></Marker><NextMarker>data/futures/um/monthly/klines/ETHUSDT/</NextMarker>
///       <MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
///       <Contents><Key>…</Key><LastModified>…</LastModified><ETag>…</ETag><Size>123</Size>…</Contents>
///       <CommonPrefixes><Prefix>data/futures/um/monthly/klines/BTCUSDT/</Prefix></CommonPrefixes>
///     </ListBucketResult>
///
/// Read by a small hand parser (no libxml2 needed at run time): it knows the few
/// elements above and skips every other one. A page that does not end with
/// `</ListBucketResult>` was cut short and is refused, as is anything that is not a
/// ListBucketResult (an S3 `<Error>`, an HTML page).
public struct BucketListingPage: Equatable, Sendable {
    public struct Object: Equatable, Sendable {
        public let key: String
        public let size: Int64
        public init(key: String, size: Int64) {
            self.key = key
            self.size = size
        }
    }

    /// `CommonPrefixes/Prefix`: the "folders" one level below the prefix.
    public var prefixes: [String] = []
    /// `Contents`: the keys directly below the prefix, with their sizes.
    public var objects: [Object] = []
    public var isTruncated = false
    /// Where the next page starts (`&marker=`); S3 sends it only with a delimiter,
    /// so without one the last key stands in (`nextMarker`).
    public var declaredNextMarker: String?

    public init(prefixes: [String] = [], objects: [Object] = [], isTruncated: Bool = false, nextMarker: String? = nil) {
        self.prefixes = prefixes
        self.objects = objects
        self.isTruncated = isTruncated
        self.declaredNextMarker = nextMarker
    }

    /// The marker of the next page when this one is truncated.
    public var nextMarker: String? {
        guard isTruncated else { return nil }
        if let declaredNextMarker, !declaredNextMarker.isEmpty { return declaredNextMarker }
        return [prefixes.last, objects.last?.key].compactMap { $0 }.max()
    }

    /// Parses one page read from `source` (the URL, for messages).
    public init(parsing text: String, source: String) throws {
        var scanner = XMLScanner(text: Array(text.utf8), source: source)
        guard let root = try scanner.nextStartTag(), root == "ListBucketResult" else {
            let start = String(text.prefix(120).map { $0.isNewline ? " " : $0 })
            throw DataError(file: source, "not an S3 bucket listing (expected <ListBucketResult>), got: \(start)")
        }
        var sawEnd = false
        // Invariant: the scanner stands just after a tag that is a direct child of
        // ListBucketResult (or after the root's start tag).
        while let event = try scanner.nextTag() {
            switch event {
            case .end("ListBucketResult"):
                sawEnd = true
            case .start("IsTruncated"):
                let value = try scanner.text(until: "IsTruncated")
                guard value == "true" || value == "false" else {
                    throw DataError(file: source, "<IsTruncated> is '\(value)', expected true or false")
                }
                isTruncated = value == "true"
            case .start("NextMarker"):
                declaredNextMarker = try scanner.text(until: "NextMarker")
            case .start("CommonPrefixes"):
                var prefix: String?
                while let inner = try scanner.nextTag(), inner != .end("CommonPrefixes") {
                    if inner == .start("Prefix") { prefix = try scanner.text(until: "Prefix") }
                    else if case .start(let name) = inner { try scanner.skip(name) }
                }
                guard let prefix else { throw DataError(file: source, "<CommonPrefixes> without <Prefix>") }
                prefixes.append(prefix)
            case .start("Contents"):
                var key: String?, size: Int64?
                while let inner = try scanner.nextTag(), inner != .end("Contents") {
                    if inner == .start("Key") { key = try scanner.text(until: "Key") }
                    else if inner == .start("Size") {
                        let text = try scanner.text(until: "Size")
                        guard let value = Int64(text), value >= 0 else {
                            throw DataError(file: source, "<Size> is '\(text)', expected a whole number of bytes")
                        }
                        size = value
                    } else if case .start(let name) = inner { try scanner.skip(name) }
                }
                guard let key else { throw DataError(file: source, "<Contents> without <Key>") }
                objects.append(Object(key: key, size: size ?? 0))
            case .start(let name):
                try scanner.skip(name)
            case .end(let name):
                throw DataError(file: source, "unexpected </\(name)> in the listing")
            }
            if sawEnd { break }
        }
        guard sawEnd else {
            throw DataError(file: source, "the listing is cut short: it ends before </ListBucketResult> (\(text.utf8.count) bytes read)")
        }
        if isTruncated && nextMarker == nil {
            throw DataError(file: source, "<IsTruncated> is true but the page names no next marker and holds no entry")
        }
    }
}

/// The few XML steps a bucket listing needs: tags, text with the five predefined
/// entities and numeric references, comments and declarations skipped.
struct XMLScanner {
    enum Tag: Equatable { case start(String), end(String) }

    let text: [UInt8]
    let source: String
    var position = 0

    init(text: [UInt8], source: String) {
        self.text = text
        self.source = source
    }

    /// The next start tag, skipping the `<?xml …?>` declaration and comments.
    mutating func nextStartTag() throws -> String? {
        while let tag = try nextTag() {
            if case .start(let name) = tag { return name }
        }
        return nil
    }

    /// The next tag (start or end), skipping text, declarations and comments; an empty
    /// element `<X/>` is returned as `.start` and its end is then reported at once.
    mutating func nextTag() throws -> Tag? {
        if let pending = pendingEnd {
            pendingEnd = nil
            return .end(pending)
        }
        while position < text.count {
            guard text[position] == UInt8(ascii: "<") else { position += 1; continue }
            let rest = text[position...]
            if rest.starts(with: Array("<?".utf8)) { try skip(past: "?>"); continue }
            if rest.starts(with: Array("<!--".utf8)) { try skip(past: "-->"); continue }
            if rest.starts(with: Array("<!".utf8)) { try skip(past: ">"); continue }
            guard let close = text[position...].firstIndex(of: UInt8(ascii: ">")) else {
                throw DataError(file: source, "the listing is cut short inside a tag at byte \(position)")
            }
            var inner = text[(position + 1)..<close]
            position = close + 1
            let isEnd = inner.first == UInt8(ascii: "/")
            if isEnd { inner = inner.dropFirst() }
            let selfClosing = !isEnd && inner.last == UInt8(ascii: "/")
            if selfClosing { inner = inner.dropLast() }
            let name = String(decoding: inner.prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }, as: UTF8.self)
            guard !name.isEmpty else { throw DataError(file: source, "an empty tag at byte \(position)") }
            if selfClosing { pendingEnd = name }
            return isEnd ? .end(name) : .start(name)
        }
        return nil
    }

    private var pendingEnd: String?

    /// The text of an element whose start tag was just read, up to `</name>`, decoded.
    mutating func text(until name: String) throws -> String {
        if pendingEnd == name {
            pendingEnd = nil
            return ""
        }
        let endTag = Array("</\(name)>".utf8)
        var index = position
        while index < text.count {
            if text[index] == UInt8(ascii: "<") {
                guard text[index...].starts(with: endTag) else {
                    throw DataError(file: source, "<\(name)> holds markup at byte \(index); expected text")
                }
                let raw = String(decoding: text[position..<index], as: UTF8.self)
                position = index + endTag.count
                return try decodeEntities(raw)
            }
            index += 1
        }
        throw DataError(file: source, "the listing is cut short inside <\(name)>")
    }

    /// Skips the element whose start tag `<name>` was just read, nested ones included.
    mutating func skip(_ name: String) throws {
        if pendingEnd == name {
            pendingEnd = nil
            return
        }
        var depth = 1
        while depth > 0 {
            guard let tag = try nextTag() else { throw DataError(file: source, "the listing is cut short inside <\(name)>") }
            switch tag {
            case .start: depth += 1
            case .end: depth -= 1
            }
        }
    }

    private mutating func skip(past terminator: String) throws {
        let bytes = Array(terminator.utf8)
        var index = position
        while index + bytes.count <= text.count {
            if text[index..<(index + bytes.count)].elementsEqual(bytes) {
                position = index + bytes.count
                return
            }
            index += 1
        }
        throw DataError(file: source, "the listing is cut short (no '\(terminator)' after byte \(position))")
    }

    private func decodeEntities(_ raw: String) throws -> String {
        guard raw.contains("&") else { return raw }
        var out = ""
        var rest = Substring(raw)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else {
                throw DataError(file: source, "an unterminated entity in '\(raw)'")
            }
            let name = rest[rest.index(after: amp)..<semi]
            switch name {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let scalar: UInt32?
                if name.hasPrefix("#x") { scalar = UInt32(name.dropFirst(2), radix: 16) }
                else if name.hasPrefix("#") { scalar = UInt32(name.dropFirst(), radix: 10) }
                else { scalar = nil }
                guard let scalar, let character = Unicode.Scalar(scalar) else {
                    throw DataError(file: source, "an unknown entity '&\(name);' in '\(raw)'")
                }
                out.unicodeScalars.append(character)
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
