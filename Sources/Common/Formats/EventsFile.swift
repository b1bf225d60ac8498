/// One extreme event of SPEC "Extreme events", as a line of `events/SYM.jsonl`:
///
///     {"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,"value":811209.83,"percentile":95.2}
///
/// stage-detect writes these lines; stage-prices reads them and writes them again
/// with the prices after each (`PricedEvent`).
public struct Event: Equatable, Sendable {
    public let symbol: Symbol
    public let dimension: Dimension
    public let windowDays: Int
    public let triggeredAt: Millis
    /// Signed and unscored.
    public let value: Double
    public let percentile: Double

    public init(symbol: Symbol, dimension: Dimension, windowDays: Int, triggeredAt: Millis, value: Double, percentile: Double) {
        self.symbol = symbol
        self.dimension = dimension
        self.windowDays = windowDays
        self.triggeredAt = triggeredAt
        self.value = value
        self.percentile = percentile
    }

    /// The line without its newline: keys in this order, the short symbol, numbers
    /// in the shortest form that reads back to the same double. The symbol
    /// (`[A-Z0-9]+`) and the dimension (a fixed identifier) need no JSON escaping.
    public var jsonLine: String {
        var line: [UInt8] = []
        appendObject(to: &line, closed: true)
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends the UTF-8 of `jsonLine` and a newline.
    public func appendLine(to out: inout [UInt8]) {
        appendObject(to: &out, closed: true)
        out.append(UInt8(ascii: "\n"))
    }

    /// The object's members; `closed: false` leaves it open for more (the prices).
    func appendObject(to out: inout [UInt8], closed: Bool) {
        Self.appendMembers(symbol: symbol.short, dimension: dimension.rawValue, windowDays: windowDays,
                           triggeredAt: triggeredAt, value: value, percentile: percentile, to: &out)
        if closed { out.append(UInt8(ascii: "}")) }
    }

    /// `{` and the six members of an event line, for this type and `PricedEvent`.
    static func appendMembers(symbol: String, dimension: String, windowDays: Int, triggeredAt: Millis,
                              value: Double, percentile: Double, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"symbol":""#.utf8)
        out.append(contentsOf: symbol.utf8)
        out.append(contentsOf: #"","dimension":""#.utf8)
        out.append(contentsOf: dimension.utf8)
        out.append(contentsOf: #"","window_days":"#.utf8)
        out.append(contentsOf: String(windowDays).utf8)
        out.append(contentsOf: #","triggered_at":"#.utf8)
        out.append(contentsOf: String(triggeredAt).utf8)
        out.append(contentsOf: #","value":"#.utf8)
        out.append(contentsOf: NumberFormat.json(value).utf8)
        out.append(contentsOf: #","percentile":"#.utf8)
        out.append(contentsOf: NumberFormat.json(percentile).utf8)
    }

    /// SPEC's order: by dimension, then window_days, then triggered_at.
    public static func inFileOrder(_ a: Event, _ b: Event) -> Bool {
        (a.dimension, a.windowDays, a.triggeredAt) < (b.dimension, b.windowDays, b.triggeredAt)
    }
}

/// `events/SYM.jsonl`: written by stage-detect, read by stage-prices.
public enum EventsFile {
    /// Writes one line per event, in file order, atomically: the file exists only
    /// when whole. No event gives an empty file.
    public static func write(_ events: [Event], to path: String) throws {
        let file = try AtomicFile(path: path)
        var line: [UInt8] = []
        line.reserveCapacity(256)
        for event in events.sorted(by: Event.inFileOrder) {
            line.removeAll(keepingCapacity: true)
            event.appendLine(to: &line)
            try file.write(line)
        }
        try file.commit()
    }

    /// Calls `body` with each event of the file at `path`, a line at a time, in
    /// file order; when `symbol` is given every line must be an event of it.
    /// Errors name the file and line.
    public static func forEach(in path: String, symbol: Symbol?, _ body: (Event) throws -> Void) throws {
        try TextLines.forEach(in: path) { line, number in
            try body(try event(line, file: path, line: number, symbol: symbol))
        }
    }

    /// One line's event; errors name `file` and `line`.
    public static func event(_ bytes: [UInt8], file: String, line: Int, symbol: Symbol?) throws -> Event {
        do {
            return try EventFields(JSONLine.members(bytes)).event(symbol: symbol)
        } catch {
            throw DataError(file: file, line: line, error.message)
        }
    }
}

/// What is wrong with one line of a JSON-lines format; the caller adds the file and line.
struct LineError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// A line of a JSON-lines format: one flat object.
enum JSONLine {
    static func members(_ bytes: [UInt8]) throws(LineError) -> [String: JSONScalar] {
        guard !bytes.isEmpty else { throw LineError("empty line, expected one JSON object per line") }
        do {
            return try JSONObjectLine.parse(bytes)
        } catch {
            throw LineError("invalid JSON: \(error.description)")
        }
    }
}

/// A line's members, read as the types the formats say. Every key must be there;
/// other keys are ignored.
struct EventFields {
    let members: [String: JSONScalar]
    init(_ members: [String: JSONScalar]) { self.members = members }

    /// The event the line describes, once its values make sense: the file's
    /// symbol, one of SPEC's dimensions, a window `WindowDays` allows, an hour's
    /// start, a percentile.
    func event(symbol expected: Symbol?) throws(LineError) -> Event {
        let symbol = try string("symbol")
        let dimension = try string("dimension")
        let window = try whole("window_days")
        let triggered = try whole("triggered_at")
        let value = try number("value")
        let percentile = try number("percentile")
        if let expected, symbol != expected.short {
            throw LineError("symbol \"\(symbol)\" in the file of \(expected.full), expected \"\(expected.short)\"")
        }
        guard let parsed = try? Symbol(symbol), parsed.short == symbol else {
            throw LineError("symbol \"\(symbol)\" is not a stored Binance symbol like \"BTC\" (BTCUSDT) or \"BTCUSDC\"")
        }
        guard let known = Dimension(rawValue: dimension) else {
            throw LineError("dimension \"\(dimension)\" is not one of \(Dimension.names)")
        }
        if let problem = WindowDays.problem(window) { throw LineError(problem) }
        guard Time.hourStart(triggered) == triggered else {
            throw LineError("triggered_at \(triggered) is not the start of an hour (milliseconds, a multiple of 3600000)")
        }
        guard (0...100).contains(percentile) else {
            throw LineError("percentile \(percentile) is not between 0 and 100")
        }
        return Event(symbol: parsed, dimension: known, windowDays: Int(window), triggeredAt: triggered,
                     value: value, percentile: percentile)
    }

    func value(_ key: String) throws(LineError) -> JSONScalar {
        guard let value = members[key] else {
            throw LineError("missing key \"\(key)\" (every key is written, a price as null when unknown)")
        }
        return value
    }

    func string(_ key: String) throws(LineError) -> String {
        let found = try value(key)
        guard case .string(let text) = found else { throw LineError("\"\(key)\" is \(found.shown), expected a string") }
        return text
    }

    func whole(_ key: String) throws(LineError) -> Int64 {
        let found = try value(key)
        guard case .number(let text) = found, let number = Int64(text) else {
            throw LineError("\"\(key)\" is \(found.shown), expected a whole number")
        }
        return number
    }

    func number(_ key: String) throws(LineError) -> Double {
        let found = try value(key)
        guard case .number(let text) = found else { throw LineError("\"\(key)\" is \(found.shown), expected a number") }
        // Swift's Double(String) rounds correctly: the double the writer printed.
        guard let number = Double(text), number.isFinite else {
            throw LineError("\"\(key)\" is \(text), out of the range of a double")
        }
        return number
    }

    /// A positive number, or null while the price is unknown.
    func price(_ key: String) throws(LineError) -> Double? {
        if case .null = try value(key) { return nil }
        let price = try number(key)
        guard price > 0 else { throw LineError("\"\(key)\" is \(price), expected a positive price or null") }
        return price
    }
}
