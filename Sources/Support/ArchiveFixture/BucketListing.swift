import Common
import Glibc

/// The archive's bucket listing as S3 ListObjects (version 1) answers it, for the
/// loopback server: `GET /?delimiter=/&prefix=…&marker=…&max-keys=…` over the server's
/// files, in key order, at most `pageSize` entries (keys and common prefixes) a page,
/// with `IsTruncated` and `NextMarker` as S3 sends them.
struct BucketListing {
    /// The query's parameters, percent-decoded.
    let prefix: String
    let delimiter: String?
    let marker: String
    let maxKeys: Int

    init(query: String, pageSize: Int) {
        var values: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[Self.decode(String(parts[0]))] = parts.count > 1 ? Self.decode(String(parts[1])) : ""
        }
        prefix = values["prefix"] ?? ""
        delimiter = values["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
        marker = values["marker"] ?? ""
        maxKeys = min(pageSize, values["max-keys"].flatMap { Int($0) } ?? pageSize)
    }

    /// The page of `keys` (object key → size) this query asks for, as XML.
    func page(_ keys: [String: Int64]) -> String {
        var entries: [(name: String, size: Int64?)] = []
        var seenPrefixes = Set<String>()
        for key in keys.keys.sorted() where key.hasPrefix(prefix) {
            if let delimiter, let cut = key.dropFirst(prefix.count).firstRange(of: delimiter) {
                let common = String(key[..<cut.upperBound])
                if seenPrefixes.insert(common).inserted { entries.append((common, nil)) }
            } else {
                entries.append((key, keys[key]))
            }
        }
        let after = entries.filter { $0.name > marker }
        let page = after.prefix(maxKeys)
        let truncated = after.count > page.count
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>data.binance.vision</Name>\
        <Prefix>\(XMLText.escaped(prefix))</Prefix><Marker>\(XMLText.escaped(marker))</Marker>
        """
        if truncated, delimiter != nil, let last = page.last { xml += "<NextMarker>\(XMLText.escaped(last.name))</NextMarker>" }
        xml += "<MaxKeys>\(maxKeys)</MaxKeys>"
        if let delimiter { xml += "<Delimiter>\(XMLText.escaped(delimiter))</Delimiter>" }
        xml += "<IsTruncated>\(truncated)</IsTruncated>"
        for entry in page {
            if let size = entry.size {
                xml += "<Contents><Key>\(XMLText.escaped(entry.name))</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>"
                xml += "<ETag>&quot;0&quot;</ETag><Size>\(size)</Size><StorageClass>STANDARD</StorageClass></Contents>"
            } else {
                xml += "<CommonPrefixes><Prefix>\(XMLText.escaped(entry.name))</Prefix></CommonPrefixes>"
            }
        }
        return xml + "</ListBucketResult>"
    }

    /// The keys below `directory` that could match `prefix` (those in the folder the
    /// prefix names, and below it), with their sizes: the tree is walked from the
    /// prefix's last `/`, not from the root.
    static func keys(in directory: String, prefix: String) -> [String: Int64] {
        var keys: [String: Int64] = [:]
        let folder = prefix.contains("/") ? String(prefix[...prefix.lastIndex(of: "/")!]) : ""
        guard !folder.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else { return [:] }
        func walk(_ relative: String) {
            for name in FileSystem.list(directory + "/" + relative) {
                let key = relative + name
                let path = directory + "/" + key
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    if key.hasPrefix(prefix) || prefix.hasPrefix(key + "/") || (key + "/").hasPrefix(prefix) { walk(key + "/") }
                } else if (info.st_mode & S_IFMT) == S_IFREG, key.hasPrefix(prefix) {
                    keys[key] = Int64(info.st_size)
                }
            }
        }
        walk(folder)
        return keys
    }

    /// `%2F` → `/`, `+` → space.
    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
