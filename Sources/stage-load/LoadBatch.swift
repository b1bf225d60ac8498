import Common

/// One step of a load: symbols whose events are read, planned against their
/// stored rows and applied together, and where those events come from. A load
/// holds one batch at a time (its events, its symbols' rows, its plan) inside its
/// one transaction, so its memory is bounded by its largest batch, one symbol in
/// the usual case, not by the whole market's ~12 M rows.
struct LoadBatch: Sendable {
    enum Origin: Sendable {
        /// Prices files that share symbols; in the cache, one file of one symbol.
        case files([LoadInput.Source])
        /// The rows of the batch's one symbol in a shard database (`make merge`).
        case shard(path: String)
    }

    /// Short form. Rows of these symbols, and only these, may be updated or retired.
    let symbols: [String]
    let origin: Origin

    /// The batch's events, read again from their files or shard. The load checked
    /// them all before it opened the database; a file that changed in between is
    /// checked again here, and an error then rolls the whole load back.
    func events() throws -> [PricedEvent] {
        switch origin {
        case .files(let sources): return try LoadInput.readFiles(sources).events
        case .shard(let path): return try ShardInput.events(of: symbols[0], in: path)
        }
    }
}
