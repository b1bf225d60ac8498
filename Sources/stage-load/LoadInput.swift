import Common

/// Everything one load upserts: the events of its prices files, read and checked
/// before the database is opened, so that bad input never reaches it.
struct LoadInput: Sendable {
    /// One file to read; `symbol`, when known, is the symbol its lines must be of.
    struct Source: Sendable {
        let path: String
        let symbol: Symbol?
    }

    /// Events in file order, files in the order given.
    let events: [PricedEvent]
    /// The symbols (short form) this load is about, in order: of the files, then of their events.
    let symbols: [String]
    let files: [String]

    init(events: [PricedEvent], symbols: [String], files: [String]) {
        self.events = events
        self.symbols = symbols
        self.files = files
    }

    /// Reads every source; an event that appears twice is an error naming both lines.
    static func read(_ sources: [Source]) throws -> LoadInput {
        var events: [PricedEvent] = []
        var symbols: [String] = []
        var seen: [EventKey: (file: String, line: Int)] = [:]
        for source in sources {
            if let symbol = source.symbol, !symbols.contains(symbol.short) { symbols.append(symbol.short) }
            try PricesFile.forEach(in: source.path, symbol: source.symbol) { event, line in
                if let first = seen[event.key] {
                    let place = first.file == source.path ? "line \(first.line)" : "\(first.file):\(first.line)"
                    throw DataError(file: source.path, line: line, "the same event (\(event.key)) as \(place)")
                }
                seen[event.key] = (source.path, line)
                if !symbols.contains(event.key.symbol) { symbols.append(event.key.symbol) }
                events.append(event)
            }
        }
        return LoadInput(events: events, symbols: symbols, files: sources.map(\.path))
    }

    /// The file's symbol when it is named like `CACHE/prices/SYM.jsonl` (`BTCUSDT.jsonl`).
    static func symbol(named path: String) -> Symbol? {
        let name = FileSystem.basename(path)
        guard name.hasSuffix(".jsonl") else { return nil }
        let stem = String(name.dropLast(".jsonl".count))
        guard let symbol = try? Symbol(stem), symbol.full == stem else { return nil }
        return symbol
    }
}
