/// One hourly series as stage-flow writes it and later stages read it
/// (`CACHE/series/SYM/DIMENSION.csv`, SPEC "Dimensions"):
///
///     timestamp,value
///     1704067200000,811209.83
///     1704070800000,-0.0001
///
/// One row per hour that has a value (gaps are allowed), timestamps in
/// milliseconds at the start of an hour, strictly ascending; values are decimal
/// numbers in any form that parses to a finite double.
public struct HourlySeries: Equatable, Sendable {
    public static let header = "timestamp,value"

    /// The file as named in messages (the path it was read from).
    public let file: String
    /// Ascending, each a multiple of `Time.hour`.
    public let timestamps: [Millis]
    public let values: [Double]

    public init(file: String, timestamps: [Millis], values: [Double]) {
        precondition(timestamps.count == values.count, "a series needs one value per timestamp")
        self.file = file
        self.timestamps = timestamps
        self.values = values
    }

    public var count: Int { timestamps.count }

    /// The 1-based line of the file that holds point `index`: the header is line 1
    /// and every later line is one row, so errors and warnings can name it.
    public func line(ofPoint index: Int) -> Int { index + 2 }

    public static func read(_ path: String) throws -> HourlySeries {
        try HourlySeries(parsing: FileSystem.readFile(path), file: path)
    }

    /// Parses the bytes of a series file; errors name `file` and the line.
    public init(parsing bytes: [UInt8], file: String) throws {
        var timestamps: [Millis] = []
        var values: [Double] = []
        timestamps.reserveCapacity(bytes.count / 24)
        values.reserveCapacity(bytes.count / 24)

        try bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            var line = 0
            // Invariant: rows before `start` are parsed into `timestamps`/`values`
            // (the header excepted), and `line` is the 1-based number of the last one.
            while start < buffer.count {
                let newline = buffer[start...].firstIndex(of: ASCII.newline) ?? buffer.count
                var end = newline
                if end > start && buffer[end - 1] == ASCII.carriageReturn { end -= 1 }
                line += 1
                let row = UnsafeBufferPointer(rebasing: buffer[start..<end])
                start = newline + 1

                if line == 1 {
                    guard row.elementsEqual(Self.header.utf8) else {
                        throw DataError(file: file, line: 1, "expected header '\(Self.header)', got '\(String(decoding: row, as: UTF8.self))'")
                    }
                    continue
                }
                guard let comma = row.firstIndex(of: ASCII.comma) else {
                    throw DataError(file: file, line: line, row.isEmpty
                        ? "empty line; expected a row 'timestamp,value'"
                        : "expected 2 fields, got 1")
                }
                let timeField = UnsafeBufferPointer(rebasing: row[..<comma])
                let valueField = UnsafeBufferPointer(rebasing: row[(comma + 1)...])
                if valueField.contains(ASCII.comma) {
                    throw DataError(file: file, line: line, "expected 2 fields, got \(row.count(where: { $0 == ASCII.comma }) + 1)")
                }
                guard let stamp = Self.parseMillis(timeField) else {
                    throw DataError(file: file, line: line, "timestamp '\(String(decoding: timeField, as: UTF8.self))' is not a whole number of milliseconds")
                }
                guard stamp % Time.hour == 0 else {
                    throw DataError(file: file, line: line, "timestamp \(stamp) is not the start of an hour (a multiple of \(Time.hour) ms)")
                }
                if let previous = timestamps.last, stamp <= previous {
                    throw DataError(file: file, line: line, "timestamp \(stamp) is not after the previous row's \(previous); rows must be in ascending time order, one per hour")
                }
                guard let value = Self.parseDouble(valueField) else {
                    throw DataError(file: file, line: line, "value '\(String(decoding: valueField, as: UTF8.self))' is not a finite decimal number")
                }
                timestamps.append(stamp)
                values.append(value)
            }
            if line == 0 {
                throw DataError(file: file, line: 1, "expected header '\(Self.header)', got an empty file")
            }
        }
        self.init(file: file, timestamps: timestamps, values: values)
    }

    /// The text of a series file: the header and one row per point, values in the
    /// shortest form that reads back to the same double.
    public var text: String {
        var out = Self.header + "\n"
        for (stamp, value) in zip(timestamps, values) {
            out += "\(stamp),\(NumberFormat.shortest(value))\n"
        }
        return out
    }

    /// `[-]digits`, at most 18 of them (no overflow); nil otherwise.
    private static func parseMillis(_ field: UnsafeBufferPointer<UInt8>) -> Millis? {
        var digits = field[...]
        let negative = digits.first == ASCII.minus
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var result: Millis = 0
        for byte in digits {
            guard byte >= ASCII.zero && byte <= ASCII.nine else { return nil }
            result = result * 10 + Millis(byte - ASCII.zero)
        }
        return negative ? -result : result
    }

    /// A decimal number (`811209.83`, `-0.0001`, `1e-05`), correctly rounded;
    /// nil for anything else, including `nan`, `inf`, hex floats and out-of-range values.
    private static func parseDouble(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !field.isEmpty, field.allSatisfy({ ($0 >= ASCII.zero && $0 <= ASCII.nine) || $0 == ASCII.dot || $0 == ASCII.minus || $0 == ASCII.plus || $0 == ASCII.lowerE || $0 == ASCII.upperE }) else {
            return nil
        }
        guard let value = Double(String(decoding: field, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }
}

