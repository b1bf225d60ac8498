import Common
import Dispatch
import Synchronization

/// Everything one load upserts, as batches of symbols (`LoadBatch`): every prices
/// file is read and checked, each alone, before the database is opened, so that bad
/// input never reaches it; the events are read again batch by batch when the load
/// applies them, so that no more than one batch is held at once.
struct LoadInput: Sendable {
    /// One file to read; `symbol`, when known, is the symbol its lines must be of.
    struct Source: Sendable {
        let path: String
        let symbol: Symbol?
    }

    /// In the order of their first file (or shard).
    let batches: [LoadBatch]
    let files: [String]

    /// Checks every source, each file alone; an event that appears twice is an error
    /// naming both lines. Files that share a symbol (only possible with files
    /// given by hand) become one batch, checked together for an event in two of them.
    static func read(_ sources: [Source]) throws -> LoadInput {
        let symbolsOf = try checkEach(sources)
        // Union-find over files: a file joins the batch of the first file holding one
        // of its symbols. Invariant: parent[i] <= i, so a batch's root is its first file.
        var parent = Array(sources.indices)
        func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index { index = parent[index] }
            return index
        }
        var holder: [String: Int] = [:]
        for (index, symbols) in symbolsOf.enumerated() {
            for symbol in symbols {
                guard let first = holder[symbol] else { holder[symbol] = index; continue }
                let (a, b) = (root(first), root(index))
                parent[max(a, b)] = min(a, b)
            }
        }
        var members: [Int: [Int]] = [:]
        for index in sources.indices { members[root(index), default: []].append(index) }
        var batches: [LoadBatch] = []
        for first in members.keys.sorted() {
            let group = members[first]!.map { sources[$0] }
            let symbols = group.count == 1 ? symbolsOf[first] : try readFiles(group).symbols
            batches.append(LoadBatch(symbols: symbols, origin: .files(group)))
        }
        return LoadInput(batches: batches, files: sources.map(\.path))
    }

    /// Each file checked alone, as many at once as the machine has cores (a check holds
    /// one file's events, dropped once its symbols are known); the symbols of each, in
    /// order. A bad file's error is thrown, the first in the order given.
    private static func checkEach(_ sources: [Source]) throws -> [[String]] {
        let results = Mutex<[Int: Result<[String], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            let result = Result { try readFiles([sources[index]]).symbols }
            results.withLock { $0[index] = result }
        }
        return try results.withLock { done in try sources.indices.map { try done[$0]!.get() } }
    }

    /// The events of `sources` read together, in file order, and their symbols: of
    /// the files, then of their events. An event that appears twice is an error
    /// naming both lines.
    static func readFiles(_ sources: [Source]) throws -> (events: [PricedEvent], symbols: [String]) {
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
        return (events, symbols)
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
