import Common

/// One extreme event of SPEC "Extreme events", as `events/SYM.jsonl` holds it.
struct Event: Equatable, Sendable {
    let symbol: Symbol
    let dimension: Dimension
    let windowDays: Int
    let triggeredAt: Millis
    /// Signed and unscored.
    let value: Double
    let percentile: Double

    /// `{"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,"value":811209.83,"percentile":95.2}`:
    /// keys in this order, the short symbol, numbers in the shortest form that
    /// reads back to the same double. The symbol (`[A-Z0-9]+`) and the dimension
    /// (a fixed identifier) need no JSON escaping.
    var jsonLine: String {
        var line: [UInt8] = []
        append(to: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends the UTF-8 of `jsonLine` and a newline.
    func appendLine(to out: inout [UInt8]) {
        append(to: &out)
        out.append(UInt8(ascii: "\n"))
    }

    private func append(to out: inout [UInt8]) {
        out.append(contentsOf: #"{"symbol":""#.utf8)
        out.append(contentsOf: symbol.short.utf8)
        out.append(contentsOf: #"","dimension":""#.utf8)
        out.append(contentsOf: dimension.rawValue.utf8)
        out.append(contentsOf: #"","window_days":"#.utf8)
        out.append(contentsOf: String(windowDays).utf8)
        out.append(contentsOf: #","triggered_at":"#.utf8)
        out.append(contentsOf: String(triggeredAt).utf8)
        out.append(contentsOf: #","value":"#.utf8)
        out.append(contentsOf: NumberFormat.json(value).utf8)
        out.append(contentsOf: #","percentile":"#.utf8)
        out.append(contentsOf: NumberFormat.json(percentile).utf8)
        out.append(UInt8(ascii: "}"))
    }

    /// SPEC's order: by dimension, then window_days, then triggered_at.
    static func inFileOrder(_ a: Event, _ b: Event) -> Bool {
        (a.dimension, a.windowDays, a.triggeredAt) < (b.dimension, b.windowDays, b.triggeredAt)
    }
}

enum EventFile {
    /// Writes one line per event, in file order, atomically: the file exists only
    /// when whole. No event gives an empty file.
    static func write(_ events: [Event], to path: String) throws {
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
}
