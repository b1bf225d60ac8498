import Common
import Foundation

/// `backfill status --json`: the report for programs (monitoring, dashboards).
enum StatusJSON {
    struct Document: Encodable {
        let end: String
        let rangeStart: String
        let cache: String
        let db: String
        let shard: String?
        let now: String
        let checkHours: Double?
        let stale: [String]
        let symbols: [SymbolDocument]
    }

    struct SymbolDocument: Encodable {
        let symbol: String
        let state: String
        let stages: [StageDocument]
        /// dataset → end of the last hour from the archive and from the REST tail.
        let reach: [String: [String: String]]
        let newestData: String?
        let notPublished: [String]
        let tailNotFetched: [String]
    }

    struct StageDocument: Encodable {
        let stage: String
        let state: String
        let reason: String?
        let firstDay: String?
        let lastDay: String?
        let counts: String
        let notes: [String]
    }

    static func text(_ report: StatusReport, plan: Plan, now: Millis, check: Double?, stale: [String]) throws -> String {
        let symbols = report.symbols.map { symbol in
            SymbolDocument(
                symbol: symbol.symbol.full,
                state: symbol.stages.first { !$0.freshness.isUpToDate }?.freshness.word ?? "up to date",
                stages: symbol.stages.map {
                    StageDocument(stage: $0.stage.rawValue, state: $0.freshness.word, reason: $0.freshness.reason,
                                  firstDay: $0.days.map { "\($0.lowerBound)" }, lastDay: $0.days.map { "\($0.upperBound)" },
                                  counts: $0.counts, notes: $0.notes)
                },
                reach: Dictionary(uniqueKeysWithValues: symbol.reach.map { dataset, reach in
                    (dataset.rawValue, [("archive", reach.archive), ("tail", reach.tail)].reduce(into: [String: String]()) { out, pair in
                        if let t = pair.1 { out[pair.0] = Time.iso(t) }
                    })
                }),
                newestData: StatusCheck.newest(symbol).map { Time.iso($0.0) },
                notPublished: symbol.notPublished.filter { !$0.file.isTail }.map(\.file.path),
                tailNotFetched: symbol.notPublished.filter(\.file.isTail).map(\.file.path))
        }
        let document = Document(end: "\(plan.range.end)", rangeStart: "\(plan.range.start)", cache: plan.layout.root, db: plan.database,
                                shard: plan.shard?.description, now: Time.iso(now), checkHours: check, stale: stale, symbols: symbols)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}
