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

    /// Parses one block of whole lines; returns the number of lines, for numbering.
    /// Invariant: `columns` gains exactly one trade per well-formed line inside the month.
    mutating func parse(_ block: UnsafeRawBufferPointer, firstLine: Int, file: String,
                        into columns: inout TradeColumns) throws -> Int {
        var lines = 0
        try CSVReader.forEachLine(in: block) { start, end in
            lines += 1
            guard start < end else { return }
            guard let c0 = Self.comma(start, end), let c1 = Self.comma(c0 + 1, end),
                  let c2 = Self.comma(c1 + 1, end), let c3 = Self.comma(c2 + 1, end),
                  let c4 = Self.comma(c3 + 1, end), let c5 = Self.comma(c4 + 1, end),
                  let price = ByteParsing.decimal(c0 + 1, c1),
                  let quantity = ByteParsing.decimal(c1 + 1, c2),
                  let time = ByteParsing.integer(c4 + 1, c5),
                  let buyerIsMaker = ByteParsing.bool(c5 + 1, end)
            else {
                throw Self.diagnose(start, end, line: firstLine + lines - 1, file: file)
            }
            let offset = Time.normalized(time) - monthStart
            guard offset >= 0 && offset < Millis(hourCount) * Time.hour else {
                if outside == 0 { firstOutsideLine = firstLine + lines - 1 }
                outside += 1
                return
            }
            let notional = price * quantity
            // is_buyer_maker = true: the taker sold, so the flow is negative.
            columns.append(buyerIsMaker ? -notional : notional, hour: UInt16(truncatingIfNeeded: offset / Time.hour))
        }
        return lines
    }

    @inline(__always)
    private static func comma(_ from: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        var p = from
        while p < end {
            if p.pointee == ByteParsing.comma { return p }
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
            if p.pointee == ByteParsing.comma {
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
