import Common

/// A symbol of the report and the cache its prices and klines are read from: the
/// report's own, or, for the whole market's report (`make merge`), its shard's.
struct ReportSource: Sendable {
    let symbol: Symbol
    let layout: CacheLayout

    /// Every symbol of the shards whose caches `text` names (separated by spaces), from
    /// each cache's `report/symbols.txt` (the symbols its make all reported), in the
    /// order of their names; a symbol in two shards is an error naming both.
    static func shards(_ text: String) throws -> [ReportSource] {
        let caches = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        guard !caches.isEmpty else { throw UsageError("--shard-caches names no cache") }
        var sources: [Symbol: ReportSource] = [:]
        for cache in caches {
            let layout = CacheLayout(root: cache)
            let listed = layout.reportSymbols
            guard let text = try? FileSystem.readText(listed) else {
                throw DataError(file: listed, "cannot be read: is \(cache) a shard's cache whose make all has run?")
            }
            let names = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
            for symbol in try names.map({ try Symbol(String($0)) }) {
                if let other = sources[symbol] {
                    throw DataError(file: listed, "\(symbol) is a symbol of \(other.layout.root) too: each symbol belongs to one shard")
                }
                sources[symbol] = ReportSource(symbol: symbol, layout: layout)
            }
        }
        guard !sources.isEmpty else { throw UsageError("the shards of --shard-caches hold no symbol") }
        return sources.keys.sorted().map { sources[$0]! }
    }
}
