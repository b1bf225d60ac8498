import Common
import GRDB
import Testing
@testable import stage_load

/// SPEC "Shards": a shard's database holds the symbols its shard owns (FNV-1a-32 of the
/// full name mod COUNT: BTCUSDT 0 and SOLUSDT 1 of 2; SOLUSDT 1 of 3), and a merge
/// never fails because a new shard count moved a symbol.
@Suite("Shards: what a shard's database holds, and what a merge takes")
struct ShardTests {
    let zone = RetirementZone(range: ArchiveRange(end: Day("2024-02-01")!, days: 20))

    @Test("a shard's load retires every row of the symbols it does not own, history included, and keeps its own")
    func shardDropsWhatItDoesNotOwn() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("shard-0.db")
        // Stored while the market was one shard: BTC, and SOL in the zone and before it.
        try load([try dir.write("before.jsonl", [pricesLine(at: 100, prices: [1, nil, nil, nil, nil]),
                                                 pricesLine("SOL", at: 100, prices: [2, nil, nil, nil, nil]),
                                                 pricesLine("SOL", at: 700, prices: [3, nil, nil, nil, nil])].joined(separator: "\n") + "\n")],
                 into: db)
        let btc = try dir.write("BTCUSDT.jsonl", pricesLine(at: 700, prices: [4, nil, nil, nil, nil]) + "\n")
        let input = try LoadInput.read([LoadInput.Source(path: btc, symbol: try Symbol("BTC"))])

        let outcome = try Loader(path: db, zone: zone, shard: try Shard("0/2")).load(input)

        #expect(outcome.counts.tallies[LoadPlan.Group(symbol: "SOL", dimension: "flow_1h")] == LoadPlan.Tally(retired: 2))
        #expect(try symbolsAndHours(db) == ["BTC 100", "BTC 700"], "BTC's row before the zone is history and stays")
    }

    @Test("without a shard, or with the shard that owns them, other symbols' rows stay")
    func ownedSymbolsStay() throws {
        let dir = try TemporaryDirectory()
        let db = dir.file("shard-1.db")
        try load([try dir.write("before.jsonl", pricesLine("SOL", at: 700, prices: [3, nil, nil, nil, nil]) + "\n")], into: db)
        let xrp = try dir.write("XRPUSDT.jsonl", pricesLine("XRP", at: 700, prices: [4, nil, nil, nil, nil]) + "\n")
        let input = try LoadInput.read([LoadInput.Source(path: xrp, symbol: try Symbol("XRP"))])
        try Loader(path: db, zone: zone, shard: try Shard("1/2")).load(input)
        #expect(try symbolsAndHours(db) == ["SOL 700", "XRP 700"], "SOLUSDT is shard 1's: it stays though this load did not read it")
    }

    @Test("a symbol two shards hold (the count changed, one shard has not run since) is merged from the one that owns it")
    func mergeTakesTheOwner() throws {
        let dir = try TemporaryDirectory()
        let shards = [dir.file("shard-0.db"), dir.file("shard-1.db")]
        try load([try dir.write("old.jsonl", [pricesLine(at: 700, prices: [1, nil, nil, nil, nil]),
                                              pricesLine("SOL", at: 700, prices: [2, nil, nil, nil, nil])].joined(separator: "\n") + "\n")], into: shards[0])
        try load([try dir.write("new.jsonl", pricesLine("SOL", at: 701, prices: [3, nil, nil, nil, nil]) + "\n")], into: shards[1])

        let input = try ShardInput.read(shards)
        #expect(input.batches.map(\.symbols) == [["BTC"], ["SOL"]])
        let merged = dir.file("merged.db")
        try Loader(path: merged, zone: zone).load(input)
        #expect(try symbolsAndHours(merged) == ["BTC 700", "SOL 701"])
    }

    @Test("a symbol two shards hold, neither of them its owner, fails naming both and what to run")
    func mergeRefusesTwoStrangers() throws {
        let dir = try TemporaryDirectory()
        let shards = [dir.file("shard-0.db"), dir.file("shard-1.db"), dir.file("shard-2.db")]
        for (index, path) in shards.enumerated() {
            let symbol = index == 1 ? "BTC" : "SOL"   // SOLUSDT is shard 1's of 3
            try load([try dir.write("\(index).jsonl", pricesLine(symbol, at: 700, prices: [1, nil, nil, nil, nil]) + "\n")], into: path)
        }
        #expect {
            try ShardInput.read(shards)
        } throws: { error in
            let text = "\(error)"
            return text.contains("symbol SOL is in \(shards[0]) too") && text.hasPrefix(shards[2]) && text.contains("make all again")
        }
    }

    private func symbolsAndHours(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT symbol, triggered_at FROM extreme_events ORDER BY symbol, triggered_at").map { row in
                let hour = (row["triggered_at"] as Int64 - 1_704_067_200_000) / Time.hour
                return "\(row["symbol"] as String) \(hour)"
            }
        }
    }
}
