import Common
import Foundation

/// Binance's public USD-M REST API over a synthetic market, for tests and the demo: the
/// endpoints the pipeline's REST tail reads (`/fapi/v1/aggTrades`, `/fapi/v1/klines`,
/// `/fapi/v1/fundingRate`, `/futures/data/openInterestHist`, `topLongShortPositionRatio`,
/// `globalLongShortAccountRatio`, `takerlongshortRatio`), answered from the same CSV
/// rows the archive fixture zips, so a tail the pipeline writes equals the archive's
/// lines. Parameters, limits and paging as Binance documents them: aggTrades needs
/// startTime and endTime less than an hour apart, or fromId; the statistics answer the
/// latest `limit` rows of a longer range; an unknown symbol is HTTP 400.
public final class RESTMarket: Sendable {
    /// One dataset of one symbol: its CSV lines (no header) in time order, with each
    /// line's time (and, for trades, its aggregate id).
    struct Table: Sendable {
        let times: [Millis]
        let ids: [Int64]
        let lines: [String]
    }

    private let tables: [String: [Dataset: Table]]

    /// `rows`: symbol → dataset → CSV chunks without header (a day's, or a month's for
    /// funding), in time order.
    public init(rows: [Symbol: [Dataset: [[UInt8]]]]) {
        var tables: [String: [Dataset: Table]] = [:]
        for (symbol, datasets) in rows {
            for (dataset, chunks) in datasets {
                var times: [Millis] = [], ids: [Int64] = [], lines: [String] = []
                for chunk in chunks {
                    for line in String(decoding: chunk, as: UTF8.self).split(separator: "\n") where !line.isEmpty {
                        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                        let time: Millis
                        switch dataset {
                        case .aggTrades: time = Millis(fields[5])!; ids.append(Int64(fields[0])!)
                        case .metrics: time = Time.parseISO(String(fields[0]))!
                        case .klines, .fundingRate: time = Millis(fields[0])!
                        }
                        times.append(time)
                        lines.append(String(line))
                    }
                }
                tables[symbol.full, default: [:]][dataset] = Table(times: times, ids: ids, lines: lines)
            }
        }
        self.tables = tables
    }

    /// The rows of `archive`'s markets from `from` on (a day's rows, a month's settlements).
    public convenience init(archive: SyntheticArchive, from: Day) {
        var rows: [Symbol: [Dataset: [[UInt8]]]] = [:]
        for market in archive.markets {
            let days = market.days.filter { $0 >= from }
            rows[market.profile.symbol] = [
                .aggTrades: days.map { market.aggTrades[$0] ?? [] },
                .klines: days.map { market.klines[$0] ?? [] },
                .metrics: days.map { market.metrics[$0] ?? [] },
                .fundingRate: market.funding.keys.sorted().filter { $0 >= from.month }.map { market.funding[$0]! },
            ]
        }
        self.init(rows: rows)
    }

    // MARK: the files of `demo-archive`

    /// Writes the rows `init(archive:from:)` takes below `directory/rest/DATASET/SYM/PERIOD.csv`.
    public static func write(_ archive: SyntheticArchive, from: Day, to directory: String) throws {
        for market in archive.markets {
            let symbol = market.profile.symbol.full
            func put(_ dataset: Dataset, _ name: String, _ bytes: [UInt8]) throws {
                let path = "\(directory)/rest/\(dataset.rawValue)/\(symbol)/\(name).csv"
                try FileSystem.createDirectories(FileSystem.parent(of: path))
                let file = try AtomicFile(path: path)
                try file.write(bytes)
                try file.commit()
            }
            for day in market.days where day >= from {
                try put(.aggTrades, "\(day)", market.aggTrades[day] ?? [])
                try put(.klines, "\(day)", market.klines[day] ?? [])
                try put(.metrics, "\(day)", market.metrics[day] ?? [])
            }
            for (month, bytes) in market.funding where month >= from.month { try put(.fundingRate, "\(month)", bytes) }
        }
    }

    /// The rows `write` left below `directory/rest/`; nil when there are none.
    public convenience init?(directory: String) {
        let root = directory + "/rest"
        guard FileSystem.isDirectory(root) else { return nil }
        var rows: [Symbol: [Dataset: [[UInt8]]]] = [:]
        for dataset in Dataset.allCases {
            for name in FileSystem.list("\(root)/\(dataset.rawValue)").sorted() {
                guard let symbol = try? Symbol(name) else { continue }
                let folder = "\(root)/\(dataset.rawValue)/\(name)"
                let chunks = FileSystem.list(folder).filter { $0.hasSuffix(".csv") }.sorted().compactMap { try? FileSystem.readFile("\(folder)/\($0)") }
                rows[symbol, default: [:]][dataset] = chunks
            }
        }
        self.init(rows: rows)
    }

    // MARK: answers

    /// An answer: status, body, and the request's weight as Binance counts it.
    struct Answer {
        let status: Int
        let body: [UInt8]
        let weight: Int
    }

    /// Whether `path` is one of the API's.
    static func serves(_ path: String) -> Bool { path.hasPrefix("/fapi/") || path.hasPrefix("/futures/data/") }

    /// The answer to `GET path?query`; `overlap`: aggTrades pages by fromId start one trade
    /// early (the same id at a page's edge); `drift`: the statistics' values differ from the
    /// archive's in their last digit (so that a test sees which source a value came from).
    func answer(path: String, query: String, overlap: Bool = false, drift: Bool = false) -> Answer {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            parameters[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
        }
        func error(_ code: Int, _ message: String) -> Answer {
            Answer(status: 400, body: Array("{\"code\":\(code),\"msg\":\"\(message)\"}".utf8), weight: 1)
        }
        func number(_ name: String) -> Int64? { parameters[name].flatMap { Int64($0) } }
        guard let symbol = parameters["symbol"], let datasets = tables[symbol] else { return error(-1121, "Invalid symbol.") }
        let start = number("startTime"), end = number("endTime")
        switch path {
        case "/fapi/v1/aggTrades":
            let limit = min(Int(number("limit") ?? 500), 1000)
            guard let table = datasets[.aggTrades] else { return Answer(status: 200, body: Array("[]".utf8), weight: 20) }
            var first: Int
            if let fromID = number("fromId") {
                first = table.ids.partitioningIndex { $0 >= fromID }
                if overlap && first > 0 { first -= 1 }
            } else if let start, let end {
                guard end - start < Time.hour, end >= start else {
                    return error(-1127, "More than 1 hours between startTime and endTime.")
                }
                first = table.times.partitioningIndex { $0 >= start }
            } else {
                return error(-1102, "This test server needs fromId, or startTime and endTime.")
            }
            var rows: [String] = []
            var i = first
            while i < table.lines.count, rows.count < limit {
                if number("fromId") == nil, let end, table.times[i] > end { break }
                let f = table.lines[i].split(separator: ",", omittingEmptySubsequences: false)
                rows.append("{\"a\":\(f[0]),\"p\":\"\(f[1])\",\"q\":\"\(f[2])\",\"f\":\(f[3]),\"l\":\(f[4]),\"T\":\(f[5]),\"m\":\(f[6].lowercased())}")
                i += 1
            }
            return Answer(status: 200, body: Array(("[" + rows.joined(separator: ",") + "]").utf8), weight: 20)
        case "/fapi/v1/klines":
            guard parameters["interval"] == "1h" else { return error(-1120, "Invalid interval.") }
            let limit = min(Int(number("limit") ?? 500), 1500)
            let rows = Self.rows(datasets[.klines], from: start, to: end, limit: limit, latest: false).map { line -> String in
                let f = line.split(separator: ",", omittingEmptySubsequences: false)
                return "[\(f[0]),\"\(f[1])\",\"\(f[2])\",\"\(f[3])\",\"\(f[4])\",\"\(f[5])\",\(f[6]),\"\(f[7])\",\(f[8]),\"\(f[9])\",\"\(f[10])\",\"\(f[11])\"]"
            }
            let weight = limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10
            return Answer(status: 200, body: Array(("[" + rows.joined(separator: ",") + "]").utf8), weight: weight)
        case "/fapi/v1/fundingRate":
            let limit = min(Int(number("limit") ?? 100), 1000)
            let rows = Self.rows(datasets[.fundingRate], from: start, to: end, limit: limit, latest: false).map { line -> String in
                let f = line.split(separator: ",", omittingEmptySubsequences: false)
                return "{\"symbol\":\"\(symbol)\",\"fundingTime\":\(f[0]),\"fundingRate\":\"\(f[2])\",\"markPrice\":\"0\"}"
            }
            return Answer(status: 200, body: Array(("[" + rows.joined(separator: ",") + "]").utf8), weight: 1)
        case "/futures/data/openInterestHist", "/futures/data/topLongShortPositionRatio",
             "/futures/data/globalLongShortAccountRatio", "/futures/data/takerlongshortRatio":
            guard parameters["period"] == "5m" else { return error(-1120, "Invalid period.") }
            let limit = min(Int(number("limit") ?? 30), 500)
            let rows = Self.rows(datasets[.metrics], from: start, to: end, limit: limit, latest: true).map { line -> String in
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let time = Time.parseISO(f[0])!
                func value(_ text: String) -> String { drift ? text + "7" : text }
                switch path {
                case "/futures/data/openInterestHist":
                    return "{\"symbol\":\"\(symbol)\",\"sumOpenInterest\":\"\(value(f[2]))\",\"sumOpenInterestValue\":\"\(value(f[3]))\",\"timestamp\":\(time)}"
                case "/futures/data/topLongShortPositionRatio":
                    return "{\"symbol\":\"\(symbol)\",\"longShortRatio\":\"\(value(f[5]))\",\"longAccount\":\"0.5\",\"shortAccount\":\"0.5\",\"timestamp\":\(time)}"
                case "/futures/data/globalLongShortAccountRatio":
                    return "{\"symbol\":\"\(symbol)\",\"longShortRatio\":\"\(value(f[6]))\",\"longAccount\":\"0.5\",\"shortAccount\":\"0.5\",\"timestamp\":\(time)}"
                default:
                    return "{\"buySellRatio\":\"\(value(f[7]))\",\"buyVol\":\"1\",\"sellVol\":\"1\",\"timestamp\":\(time)}"
                }
            }
            return Answer(status: 200, body: Array(("[" + rows.joined(separator: ",") + "]").utf8), weight: 0)
        default:
            return Answer(status: 404, body: Array("{\"code\":-5000,\"msg\":\"Path \(path), Method GET is invalid\"}".utf8), weight: 1)
        }
    }

    /// The lines with a time in [from, to] (both inclusive, as Binance's startTime and
    /// endTime): the first `limit`, or the `latest` limit.
    private static func rows(_ table: Table?, from: Millis?, to: Millis?, limit: Int, latest: Bool) -> ArraySlice<String> {
        guard let table else { return [] }
        let first = from.map { f in table.times.partitioningIndex { $0 >= f } } ?? 0
        let last = to.map { t in table.times.partitioningIndex { $0 > t } } ?? table.times.count
        guard first < last else { return [] }
        return latest ? table.lines[max(first, last - limit)..<last] : table.lines[first..<min(last, first + limit)]
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, which must be false then true
    /// along the array (binary search); `count` when none does.
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
