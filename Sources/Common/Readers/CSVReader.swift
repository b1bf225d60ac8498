import Glibc

/// The CSV member of an archive zip (or a REST tail's CSV file), read as bytes. Older
/// archive files have no header row, newer ones do: decided per file from the first
/// byte (a digit or a sign starts data). Lines end in `\n` (a `\r` before it is
/// dropped); empty lines are skipped. Errors name the member and the line:
/// `BTCUSDT-aggTrades-2024-03.csv:1834022: expected 7 fields, got 5`.
public final class CSVReader {
    /// The member's name, as errors show it.
    public let name: String
    public let stream: any ByteStream
    private let columns: [String]

    /// Opens the member of `file` (`NAME.csv` in `NAME.zip`) at `zipPath`, whose header,
    /// when it has one, must name `columns`, inflated by `inflater`. Other members are
    /// reported and ignored.
    public init(zipPath: String, file: ArchiveFile, columns: [String], inflater: InflaterKind = .preferred) throws {
        let member = try ZipMemberStream(zipPath: zipPath, member: file.csvName, inflater: inflater)
        stream = member
        name = file.csvName
        self.columns = columns
        for other in member.otherMembers {
            Log.warning("\(zipPath): ignoring member '\(other)', reading '\(file.csvName)'")
        }
    }

    /// Opens the plain CSV file at `csvPath` (a REST tail's file), whose header, when it
    /// has one, must name `columns`.
    public init(csvPath: String, file: ArchiveFile, columns: [String]) throws {
        stream = try PlainFileStream(path: csvPath)
        name = file.csvName
        self.columns = columns
    }

    public var fieldCount: Int { columns.count }

    /// The hot path: hands `body` buffers of whole lines (each ending in `\n`, but for
    /// the last line of the file) together with the 1-based line number of the first
    /// one; `body` returns how many lines the buffer held. The header is skipped.
    public func forEachBlock(_ body: (UnsafeRawBufferPointer, Int) throws -> Int) throws {
        var carry: [UInt8] = []
        var line = 1
        var atStart = true
        try stream.forEachChunk { chunk in
            var start = 0
            if atStart {
                atStart = false
                start = try skipHeader(chunk)
                if start > 0 { line += 1 }
            }
            if !carry.isEmpty {
                // The line that started in the previous chunk ends at this chunk's first newline.
                guard let newline = Self.firstNewline(chunk, from: start) else {
                    carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...]))
                    return
                }
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...newline]))
                line += try carry.withUnsafeBytes { try body($0, line) }
                carry.removeAll(keepingCapacity: true)
                start = newline + 1
            }
            guard let last = Self.lastNewline(chunk, from: start) else {
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...]))
                return
            }
            if last >= start {
                line += try body(UnsafeRawBufferPointer(rebasing: chunk[start...last]), line)
            }
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[(last + 1)...]))
        }
        if !carry.isEmpty {
            _ = try carry.withUnsafeBytes { try body($0, line) }
        }
    }

    /// One call per data line with its fields; for the small datasets.
    public func forEachLine(_ body: (CSVLine) throws -> Void) throws {
        var fields = CSVLine.Fields(capacity: columns.count + 1)
        try forEachBlock { block, firstLine in
            var lineNumber = firstLine
            try Self.forEachLine(in: block) { start, end in
                defer { lineNumber += 1 }
                guard start < end else { return }
                fields.split(start, end)
                let line = CSVLine(fields: fields, file: name, number: lineNumber)
                guard fields.count == columns.count else {
                    throw line.error("expected \(columns.count) fields, got \(fields.count)")
                }
                try body(line)
            }
            return lineNumber - firstLine
        }
    }

    /// Calls `body` with each line's bytes, without its `\n` and `\r`.
    @inlinable @inline(__always)
    public static func forEachLine(in block: UnsafeRawBufferPointer,
                                   _ body: (UnsafePointer<UInt8>, UnsafePointer<UInt8>) throws -> Void) rethrows {
        guard let base = block.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var p = base
        let end = base + block.count
        while p < end {
            let newline = memchr(p, Int32(ASCII.newline), end - p).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end
            var lineEnd = newline
            if lineEnd > p && (lineEnd - 1).pointee == ASCII.carriageReturn { lineEnd -= 1 }
            try body(p, lineEnd)
            p = newline + 1
        }
    }

    /// The error for line `number` of this member.
    public func error(line number: Int, _ message: String) -> DataError {
        DataError(file: name, line: number, message)
    }

    /// Returns where data starts: 0 without a header, else after the header line,
    /// which must have the expected fields.
    private func skipHeader(_ chunk: UnsafeRawBufferPointer) throws -> Int {
        guard let first = chunk.first else { return 0 }
        if (first &- UInt8(ascii: "0")) < 10 || first == UInt8(ascii: "-") { return 0 }
        guard let newline = Self.firstNewline(chunk, from: 0) else {
            throw DataError(file: name, line: 1, "header line is longer than \(chunk.count) bytes")
        }
        var header = String(decoding: UnsafeRawBufferPointer(rebasing: chunk[..<newline]), as: UTF8.self)
        if header.hasSuffix("\r") { header.removeLast() }
        let names = header.split(separator: ",", omittingEmptySubsequences: false)
        guard names.count == columns.count, names.first.map(String.init) == columns.first else {
            throw DataError(file: name, line: 1, "expected a header '\(columns.joined(separator: ","))' or data, got '\(header.prefix(200))'")
        }
        return newline + 1
    }

    private static func firstNewline(_ chunk: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < chunk.count, let base = chunk.baseAddress,
              let hit = memchr(base + start, Int32(ASCII.newline), chunk.count - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    private static func lastNewline(_ chunk: UnsafeRawBufferPointer, from start: Int) -> Int? {
        // A chunk ends within one line of its last newline: scanning back is short.
        var i = chunk.count - 1
        while i >= start {
            if chunk[i] == ASCII.newline { return i }
            i -= 1
        }
        return nil
    }
}

/// One data line of a CSV member: its fields as byte ranges, valid during the callback.
public struct CSVLine {
    /// Reusable storage for field boundaries: field i is [starts[i], ends[i]).
    public struct Fields {
        var starts: [UnsafePointer<UInt8>] = []
        var ends: [UnsafePointer<UInt8>] = []
        public private(set) var count = 0

        init(capacity: Int) {
            starts.reserveCapacity(capacity)
            ends.reserveCapacity(capacity)
        }

        mutating func split(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) {
            starts.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            var p = start
            starts.append(p)
            while p < end {
                if p.pointee == ASCII.comma {
                    ends.append(p)
                    starts.append(p + 1)
                }
                p += 1
            }
            ends.append(end)
            count = starts.count
        }
    }

    let fields: Fields
    /// The member's name and this line's number, for errors.
    public let file: String
    public let number: Int

    public var count: Int { fields.count }

    public func isEmpty(_ i: Int) -> Bool { fields.starts[i] == fields.ends[i] }

    public func text(_ i: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: fields.starts[i], count: fields.ends[i] - fields.starts[i]), as: UTF8.self)
    }

    public func error(_ message: String) -> DataError { DataError(file: file, line: number, message) }

    /// Field `i` as a correctly rounded double; `column` names it in the error.
    public func double(_ i: Int, _ column: String) throws -> Double {
        guard let value = ByteParsing.decimal(fields.starts[i], fields.ends[i]), value.isFinite else {
            throw error("\(column): expected a number, got '\(text(i).prefix(40))'")
        }
        return value
    }

    /// Field `i` as a double, or nil when the field is empty.
    public func optionalDouble(_ i: Int, _ column: String) throws -> Double? {
        isEmpty(i) ? nil : try double(i, column)
    }

    public func integer(_ i: Int, _ column: String) throws -> Int64 {
        guard let value = ByteParsing.integer(fields.starts[i], fields.ends[i]) else {
            throw error("\(column): expected an integer, got '\(text(i).prefix(40))'")
        }
        return value
    }

    /// Field `i` as milliseconds since the epoch (microseconds divided by 1000;
    /// `YYYY-MM-DD HH:MM:SS` where `allowText`).
    public func timestamp(_ i: Int, _ column: String, allowText: Bool = false) throws -> Millis {
        guard let value = ByteParsing.timestamp(fields.starts[i], fields.ends[i], allowText: allowText) else {
            let expected = allowText ? "milliseconds or YYYY-MM-DD HH:MM:SS" : "milliseconds since the epoch"
            throw error("\(column): expected \(expected), got '\(text(i).prefix(40))'")
        }
        return value
    }

    public func bool(_ i: Int, _ column: String) throws -> Bool {
        guard let value = ByteParsing.bool(fields.starts[i], fields.ends[i]) else {
            throw error("\(column): expected true or false, got '\(text(i).prefix(40))'")
        }
        return value
    }
}
