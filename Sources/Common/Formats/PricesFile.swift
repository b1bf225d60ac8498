/// What makes two lines, or two rows, the same event: the table's unique key.
public struct EventKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Short form, as stored: `BTC`.
    public let symbol: String
    public let dimension: String
    public let windowDays: Int
    public let triggeredAt: Millis

    public init(symbol: String, dimension: String, windowDays: Int, triggeredAt: Millis) {
        self.symbol = symbol
        self.dimension = dimension
        self.windowDays = windowDays
        self.triggeredAt = triggeredAt
    }

    public static func < (a: EventKey, b: EventKey) -> Bool {
        (a.symbol, a.dimension, a.windowDays, a.triggeredAt) < (b.symbol, b.dimension, b.windowDays, b.triggeredAt)
    }

    public var description: String { "\(symbol) \(dimension) \(windowDays) d at \(triggeredAt)" }
}

/// The close at the event and at each of `Horizon.hours` later; nil while that
/// kline is not in the data yet.
public struct Prices: Equatable, Sendable {
    public var atTrigger: Double?
    /// The closes at `Horizon.hours`, in that order: one per horizon.
    public var after: [Double?]

    public init(atTrigger: Double? = nil, after: [Double?] = Array(repeating: nil, count: Horizon.hours.count)) {
        precondition(after.count == Horizon.hours.count, "one close per horizon")
        self.atTrigger = atTrigger
        self.after = after
    }

    /// In the order of `Horizon.priceKeys` (the line's and the table's).
    public var ordered: [Double?] { [atTrigger] + after }

    public var knownCount: Int { ordered.count(where: { $0 != nil }) }

    /// These prices, each unknown one taken from `earlier`: a load fills what was
    /// missing and never forgets a price it had.
    public func filling(from earlier: Prices) -> Prices {
        Prices(atTrigger: atTrigger ?? earlier.atTrigger,
               after: zip(after, earlier.after).map { $0 ?? $1 })
    }
}

/// One line of `prices/SYM.jsonl` (SPEC "Interface"): an extreme event and the
/// prices after it,
///
///     {"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,
///      "value":811209.83,"percentile":95.2,"price_at_trigger":42000.1,"price_4h":42100.0,
///      "price_12h":null,"price_24h":null,"price_48h":null}
///
/// the event line of `events/SYM.jsonl` followed by `Horizon.priceKeys`.
public struct PricedEvent: Equatable, Sendable {
    public var key: EventKey
    public var value: Double
    public var percentile: Double
    public var prices: Prices

    public init(key: EventKey, value: Double, percentile: Double, prices: Prices) {
        self.key = key
        self.value = value
        self.percentile = percentile
        self.prices = prices
    }

    public init(_ event: Event, prices: Prices) {
        self.init(key: EventKey(symbol: event.symbol.short, dimension: event.dimension.rawValue,
                                windowDays: event.windowDays, triggeredAt: event.triggeredAt),
                  value: event.value, percentile: event.percentile, prices: prices)
    }

    /// An event of `symbol` with its closes at the trigger and at `Horizon.hours`.
    public init(symbol: Symbol, dimension: Dimension, windowDays: Int, triggeredAt: Millis, value: Double,
                percentile: Double, priceAtTrigger: Double?, pricesAfter: [Double?]) {
        self.init(Event(symbol: symbol, dimension: dimension, windowDays: windowDays, triggeredAt: triggeredAt,
                        value: value, percentile: percentile),
                  prices: Prices(atTrigger: priceAtTrigger, after: pricesAfter))
    }

    /// The key's dimension. Every event a reader returns has one of SPEC's (the
    /// reader checks); only the database may hold other names, and stage-load
    /// works with `key.dimension`.
    public var dimension: Dimension {
        guard let known = Dimension(rawValue: key.dimension) else {
            preconditionFailure("\(key): not one of SPEC's dimensions")
        }
        return known
    }

    /// SPEC's dimensions, in the order reports list them.
    public static let dimensions = Dimension.allCases.map(\.rawValue)

    public var windowDays: Int { key.windowDays }
    public var triggeredAt: Millis { key.triggeredAt }
    public var priceAtTrigger: Double? { prices.atTrigger }
    /// The closes at `Horizon.hours`, in that order.
    public var pricesAfter: [Double?] { prices.after }

    /// The line without its newline: the event's line, then the prices in
    /// `Horizon.priceKeys` order, `null` where unknown.
    public var jsonLine: String {
        var line: [UInt8] = []
        appendLine(to: &line)
        line.removeLast()
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends the UTF-8 of `jsonLine` and a newline. The key's symbol and
    /// dimension are a stored symbol and a SPEC dimension (as the reader checks).
    public func appendLine(to out: inout [UInt8]) {
        Event.appendMembers(symbol: key.symbol, dimension: key.dimension, windowDays: key.windowDays,
                            triggeredAt: key.triggeredAt, value: value, percentile: percentile, to: &out)
        for (name, price) in zip(Horizon.priceKeys, prices.ordered) {
            out.append(contentsOf: ",\"\(name)\":\(NumberFormat.json(price))".utf8)
        }
        out.append(contentsOf: "}\n".utf8)
    }
}

/// `prices/SYM.jsonl`: written by stage-prices, read by stage-load and stage-report.
/// Every key must be there (a price is `null` when unknown); other keys are ignored.
/// Errors name the file and the line: `prices/BTCUSDT.jsonl:17: missing key "price_4h"`.
public enum PricesFile {
    /// Calls `body` with each event of the file at `path` and its line number, a
    /// line at a time. When `symbol` is given, every line must be an event of it.
    public static func forEach(in path: String, symbol: Symbol?, _ body: (PricedEvent, Int) throws -> Void) throws {
        guard FileSystem.exists(path) else {
            let make = symbol.map { " (make prices SYMBOL=\($0.short))" } ?? ""
            throw DataError(file: path, "no such file; stage-prices writes it\(make)")
        }
        try TextLines.forEach(in: path) { line, number in
            try body(try event(line, file: path, line: number, symbol: symbol), number)
        }
    }

    /// Every event of the file at `path`, in file order.
    public static func read(_ path: String, symbol: Symbol?) throws -> [PricedEvent] {
        var events: [PricedEvent] = []
        try forEach(in: path, symbol: symbol) { event, _ in events.append(event) }
        return events
    }

    /// Every event of `bytes`, a file's text; errors name `path`.
    public static func parse(_ bytes: [UInt8], path: String, symbol: Symbol?) throws -> [PricedEvent] {
        var events: [PricedEvent] = []
        try TextLines.forEach(in: bytes) { line, number in
            events.append(try event(line, file: path, line: number, symbol: symbol))
        }
        return events
    }

    /// One line's event; errors name `file` and `line`.
    public static func event(_ bytes: [UInt8], file: String, line: Int, symbol: Symbol?) throws -> PricedEvent {
        do {
            let fields = EventFields(try JSONLine.members(bytes))
            let event = try fields.event(symbol: symbol)
            let prices = Prices(atTrigger: try fields.price(Horizon.triggerKey),
                                after: try Horizon.keys.map { key throws(LineError) in try fields.price(key) })
            return PricedEvent(event, prices: prices)
        } catch {
            throw DataError(file: file, line: line, error.message)
        }
    }

    /// Writes `events`, one line each in the order given, atomically.
    public static func write(_ events: [PricedEvent], to path: String) throws {
        var text: [UInt8] = []
        for event in events { event.appendLine(to: &text) }
        try AtomicFile.write(String(decoding: text, as: UTF8.self), to: path)
    }
}
