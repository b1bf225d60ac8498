import Common

/// The hot loop of stage-flow: aggTrades lines to `TradeColumns`.
///
/// A line is `agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker`.
/// Only price, quantity, transact_time and is_buyer_maker are read; the line must
/// have exactly seven fields. Rows need not be in time order: each trade goes to
/// the hour its transact_time falls in, and stays in file order within it.
struct AggTradeParser {
    let month: Month
    let monthStart: Millis
    let hourCount: Int
    /// Trades whose time lies outside the month: not counted, reported once per file.
    private(set) var outside = 0
    private(set) var firstOutsideLine = 0

    init(month: Month) {
        self.month = month
        monthStart = month.startMillis
        hourCount = Int((month.endMillis - month.startMillis) / Time.hour)
    }

    /// Offsets of the commas and newlines of the block being parsed (reused: no allocation per block).
    private let separators = SeparatorIndex()

    /// Parses one block of whole lines; returns the number of lines, for numbering.
    /// Invariant: `columns` gains exactly one trade per well-formed line inside the month.
    ///
    /// The fast path walks the separators of the block (`SeparatorIndex`): a well-formed
    /// line is the next 7, six commas and a newline, and its numbers are read a word at a
    /// time. Any other line, and the last ones of the block (a word read there could pass
    /// its end), take the byte-wise path, which gives the same numbers and the errors.
    mutating func parse(_ block: UnsafeRawBufferPointer, firstLine: Int, file: String,
                        into columns: inout TradeColumns) throws -> Int {
        guard let raw = block.baseAddress, block.count <= SeparatorIndex.maxBlock else {
            return try parseBytewise(block, firstLine: firstLine, file: file, into: &columns)
        }
        separators.index(block)
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let sep = UnsafePointer(separators.offsets), count = separators.count
        let size = block.count
        // Words are read up to 17 bytes past a field's start: lines ending this close to the end go byte-wise.
        let fastEnd = size - 24
        var lines = 0
        var lineStart = 0
        var i = 0
        // Invariant: lineStart starts line number firstLine + lines; sep[i] is its first separator.
        while lineStart < size {
            if i + 7 <= count {
                let c0 = Int(sep[i]), c1 = Int(sep[i + 1]), c2 = Int(sep[i + 2]), c3 = Int(sep[i + 3])
                let c4 = Int(sep[i + 4]), c5 = Int(sep[i + 5]), newline = Int(sep[i + 6])
                // Six commas then a newline: ',' & '\n' is 0x08, so the AND is ',' only if all six are commas.
                if base[c0] & base[c1] & base[c2] & base[c3] & base[c4] & base[c5] == ASCII.comma
                    && base[newline] == ASCII.newline && newline < fastEnd {
                    lines += 1
                    var end = newline
                    if base[end - 1] == ASCII.carriageReturn { end -= 1 }
                    guard let price = ByteParsing.shortDecimal(base + c0 + 1, base + c1) ?? ByteParsing.decimal(base + c0 + 1, base + c1),
                          let quantity = ByteParsing.shortDecimal(base + c1 + 1, base + c2) ?? ByteParsing.decimal(base + c1 + 1, base + c2),
                          let time = ByteParsing.shortInteger(base + c4 + 1, base + c5) ?? ByteParsing.integer(base + c4 + 1, base + c5),
                          let buyerIsMaker = ByteParsing.bool(base + c5 + 1, base + end)
                    else {
                        throw Self.diagnose(base + lineStart, base + end, line: firstLine + lines - 1, file: file)
                    }
                    add(price: price, quantity: quantity, time: time, buyerIsMaker: buyerIsMaker, line: firstLine + lines - 1, into: &columns)
                    i += 7
                    lineStart = newline + 1
                    continue
                }
            }
            // Byte-wise: this line ends at the next newline among the separators, or at the block's end.
            var j = i
            while j < count && base[Int(sep[j])] != ASCII.newline { j += 1 }
            let newline = j < count ? Int(sep[j]) : size
            var end = newline
            if end > lineStart && base[end - 1] == ASCII.carriageReturn { end -= 1 }
            lines += 1
            try parseLine(base + lineStart, base + end, line: firstLine + lines - 1, file: file, into: &columns)
            i = j + 1
            lineStart = newline + 1
        }
        return lines
    }

    /// The whole block byte-wise (a block too large for 32-bit offsets).
    private mutating func parseBytewise(_ block: UnsafeRawBufferPointer, firstLine: Int, file: String,
                                        into columns: inout TradeColumns) throws -> Int {
        var lines = 0
        try CSVReader.forEachLine(in: block) { start, end in
            lines += 1
            try parseLine(start, end, line: firstLine + lines - 1, file: file, into: &columns)
        }
        return lines
    }

    /// One line `[start, end)` (no newline), byte by byte: an empty line is skipped.
    private mutating func parseLine(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, line: Int, file: String,
                                    into columns: inout TradeColumns) throws {
        guard start < end else { return }
        guard let c0 = Self.comma(start, end), let c1 = Self.comma(c0 + 1, end),
              let c2 = Self.comma(c1 + 1, end), let c3 = Self.comma(c2 + 1, end),
              let c4 = Self.comma(c3 + 1, end), let c5 = Self.comma(c4 + 1, end),
              let price = ByteParsing.decimal(c0 + 1, c1),
              let quantity = ByteParsing.decimal(c1 + 1, c2),
              let time = ByteParsing.integer(c4 + 1, c5),
              let buyerIsMaker = ByteParsing.bool(c5 + 1, end)
        else {
            throw Self.diagnose(start, end, line: line, file: file)
        }
        add(price: price, quantity: quantity, time: time, buyerIsMaker: buyerIsMaker, line: line, into: &columns)
    }

    /// One trade into its hour, or counted as outside the month.
    @inline(__always)
    private mutating func add(price: Double, quantity: Double, time: Int64, buyerIsMaker: Bool, line: Int,
                              into columns: inout TradeColumns) {
        let offset = Time.normalized(time) - monthStart
        guard offset >= 0 && offset < Millis(hourCount) * Time.hour else {
            if outside == 0 { firstOutsideLine = line }
            outside += 1
            return
        }
        let notional = price * quantity
        // is_buyer_maker = true: the taker sold, so the flow is negative.
        columns.append(buyerIsMaker ? -notional : notional, hour: UInt16(truncatingIfNeeded: offset / Time.hour))
    }

    @inline(__always)
    private static func comma(_ from: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        var p = from
        while p < end {
            if p.pointee == ASCII.comma { return p }
            p += 1
        }
        return nil
    }

    /// The slow path: says what is wrong with a line the fast path refused.
    @inline(never)
    static func diagnose(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, line: Int, file: String) -> DataError {
        var fields: [(UnsafePointer<UInt8>, UnsafePointer<UInt8>)] = []
        var fieldStart = start
        var p = start
        while p < end {
            if p.pointee == ASCII.comma {
                fields.append((fieldStart, p))
                fieldStart = p + 1
            }
            p += 1
        }
        fields.append((fieldStart, end))
        let columns = Dataset.aggTrades.columns
        guard fields.count == columns.count else {
            return DataError(file: file, line: line, "expected \(columns.count) fields, got \(fields.count)")
        }
        func text(_ i: Int) -> String {
            String(decoding: UnsafeBufferPointer(start: fields[i].0, count: fields[i].1 - fields[i].0), as: UTF8.self)
        }
        if ByteParsing.decimal(fields[1].0, fields[1].1) == nil { return DataError(file: file, line: line, "price: expected a number, got '\(text(1).prefix(40))'") }
        if ByteParsing.decimal(fields[2].0, fields[2].1) == nil { return DataError(file: file, line: line, "quantity: expected a number, got '\(text(2).prefix(40))'") }
        if ByteParsing.integer(fields[5].0, fields[5].1) == nil { return DataError(file: file, line: line, "transact_time: expected milliseconds since the epoch, got '\(text(5).prefix(40))'") }
        return DataError(file: file, line: line, "is_buyer_maker: expected true or false, got '\(text(6).prefix(40))'")
    }
}
