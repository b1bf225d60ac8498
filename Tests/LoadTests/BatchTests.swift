import Common
import GRDB
import Testing
@testable import stage_load

/// A load reads, plans and applies one batch of symbols at a time inside its one
/// transaction, so that its memory is bounded by a symbol, not the market. What a
/// batch changes is only its symbols' rows, so batching must not change the result:
/// loading symbols together, one at a time, or as a merge of shards gives one table.
@Suite("a load goes symbol by symbol")
struct BatchTests {
    /// END = 2024-03-01, DAYS = 30: the 7-day rows from hour 168 to 1440 are checked.
    let zone = RetirementZone(range: ArchiveRange(end: Day("2024-03-01")!, days: 30))

    @Test("each prices file of the cache is a batch of its symbol; files that share a symbol are one batch")
    func batches() throws {
        let dir = try TemporaryDirectory()
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(at: 200, prices: [1, nil, nil, nil, nil]) + "\n")
        let eth = try dir.write("ETHUSDT.jsonl", pricesLine("ETH", at: 200, prices: [1, nil, nil, nil, nil]) + "\n")
        let extra = try dir.write("extra.jsonl", [pricesLine("XRP", at: 200, prices: [1, nil, nil, nil, nil]),
                                                  pricesLine(at: 201, prices: [1, nil, nil, nil, nil])].joined(separator: "\n") + "\n")
        let input = try LoadInput.read([btc, eth, extra].map { LoadInput.Source(path: $0, symbol: LoadInput.symbol(named: $0)) })
        #expect(input.batches.map(\.symbols) == [["BTC", "XRP"], ["ETH"]])
        #expect(input.batches.map(paths) == [[btc, extra], [eth]])

        let cache = try LoadInput.read([btc, eth].map { LoadInput.Source(path: $0, symbol: LoadInput.symbol(named: $0)) })
        #expect(cache.batches.map(\.symbols) == [["BTC"], ["ETH"]])
    }

    @Test("the same event in two files that share a symbol names both, before the database is opened")
    func duplicateAcrossFiles() throws {
        let dir = try TemporaryDirectory()
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(at: 200, prices: [1, nil, nil, nil, nil]) + "\n")
        let extra = try dir.write("extra.jsonl", pricesLine(at: 200, prices: [2, nil, nil, nil, nil]) + "\n")
        let database = dir.file("m.db")
        #expect(throws: DataError(file: extra, line: 1, "the same event (BTC flow_1h 7 d at \(1_704_067_200_000 + 200 * 3_600_000)) as \(btc):1")) {
            try load([btc, extra], into: database)
        }
        #expect(!FileSystem.exists(database))
    }

    @Test("loading symbols together, one at a time, or merging shards of them gives the same table")
    func batchingChangesNothing() throws {
        let dir = try TemporaryDirectory()
        // Stored before: a stale BTC row in the zone (retired), an ETH row before it
        // (history), a BTC row whose price a load fills, and XRP, which no load touches.
        let before = [pricesLine(at: 500, prices: [9, nil, nil, nil, nil]),
                      pricesLine("ETH", at: 100, prices: [3, nil, nil, nil, nil]),
                      pricesLine(at: 200, prices: [1, nil, nil, nil, nil]),
                      pricesLine("XRP", at: 600, prices: [4, nil, nil, nil, nil])]
        let btc = try dir.write("BTCUSDT.jsonl", [pricesLine(at: 200, prices: [1, 1.5, nil, nil, nil]),
                                                  pricesLine(dimension: "taker_ratio", window: 30, at: 800, prices: [2, nil, nil, nil, nil])].joined(separator: "\n") + "\n")
        let eth = try dir.write("ETHUSDT.jsonl", [pricesLine("ETH", at: 300, prices: [5, 6, 7, 8, 9]),
                                                  pricesLine("ETH", window: 90, at: 900, prices: [5, nil, nil, nil, nil])].joined(separator: "\n") + "\n")
        func stored(_ name: String) throws -> String {
            let path = dir.file(name)
            try load([try dir.write("before-\(name).jsonl", before.joined(separator: "\n") + "\n")], into: path, zone: rangeBeforeFixtures)
            return path
        }

        let together = try stored("together.db")
        let outcome = try load([btc, eth], into: together, zone: zone)
        #expect(outcome.counts.total == LoadPlan.Tally(inserted: 3, updated: 1, retired: 1, history: 1))

        let oneByOne = try stored("one-by-one.db")
        try load([btc], into: oneByOne, zone: zone)
        try load([eth], into: oneByOne, zone: zone)
        #expect(try tableRows(oneByOne) == tableRows(together))

        let shards = [dir.file("shard-0.db"), dir.file("shard-1.db")]
        try load([btc], into: shards[0], zone: zone)
        try load([eth], into: shards[1], zone: zone)
        let merged = try stored("merged.db")
        let input = try ShardInput.read(shards)
        #expect(input.batches.map(\.symbols) == [["BTC"], ["ETH"]])
        let mergeOutcome = try Loader(path: merged, zone: zone).load(input)
        #expect(mergeOutcome.counts == outcome.counts)
        #expect(try rowsByKey(merged) == rowsByKey(together))
        #expect(try rowsByKey(together).count == 6)
    }

    @Test("batches are read one ahead, in order; one that cannot be read fails when its turn comes, naming its file")
    func readAhead() throws {
        let dir = try TemporaryDirectory()
        let btc = try dir.write("BTCUSDT.jsonl", [pricesLine(at: 200, prices: [1, nil, nil, nil, nil]),
                                                  pricesLine(at: 201, prices: [2, nil, nil, nil, nil])].joined(separator: "\n") + "\n")
        let gone = dir.file("ETHUSDT.jsonl")
        let reader = BatchReader([btc, gone].map {
            LoadBatch(symbols: [LoadInput.symbol(named: $0)!.short], origin: .files([LoadInput.Source(path: $0, symbol: LoadInput.symbol(named: $0))]))
        })
        #expect(try reader.events(0).map(\.prices.atTrigger) == [1, 2])
        #expect {
            try reader.events(1)
        } throws: { error in
            "\(error)".contains(gone)
        }
    }

    private func paths(_ batch: LoadBatch) -> [String] {
        guard case .files(let sources) = batch.origin else { return [] }
        return sources.map(\.path)
    }

    /// Every row but its id, in key order: a merge inserts in key order, a load in file order.
    private func rowsByKey(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT symbol, dimension, window_days, triggered_at, value, percentile, price_at_trigger, price_4h,
                       price_12h, price_24h, price_48h FROM extreme_events ORDER BY symbol, dimension, window_days, triggered_at
                """).map(\.description)
        }
    }
}
