import Common

/// One symbol's requests of the REST tail, dataset by dataset, each turned into lines of
/// the archive's columns for the hours of a window (docs/SPEC.md, "The REST tail").
struct TailFetcher: Sendable {
    let symbol: Symbol
    let rest: RESTClient

    /// Rows a page holds at most, per endpoint.
    static let fundingPage = 1000, klinesPage = 1500, statisticsPage = 500, tradesPage = 1000
    /// The statistics' period: 5 minutes, as the archive's metrics rows.
    static let statisticsPeriod: Millis = 300_000
    /// Weight of one aggTrades request.
    static let tradesWeight = 20

    /// Weight of a klines request of `limit` rows (Binance: [1,100) 1, [100,500) 2, [500,1000] 5, more 10).
    static func klinesWeight(limit: Int) -> Int {
        switch limit {
        case ..<100: return 1
        case ..<500: return 2
        case ...1000: return 5
        default: return 10
        }
    }

    // MARK: funding

    /// Every settlement in `window`, by `fundingTime` (`GET /fapi/v1/fundingRate`, pages of
    /// 1,000 from startTime on). Exempt from the budget: a request holds a month of them.
    func settlements(_ window: Range<Millis>) async throws -> [RESTRows.Settlement] {
        var rows: [RESTRows.Settlement] = []
        var start = window.lowerBound
        while true {
            let query = [("symbol", symbol.full), ("startTime", "\(start)"), ("endTime", "\(window.upperBound - 1)"), ("limit", "\(Self.fundingPage)")]
            let url = rest.urls.url("/fapi/v1/fundingRate", query)
            let page = try RESTRows.decode(RESTRows.Settlement.self, try await rest.get("/fapi/v1/fundingRate", query, weight: 1, exempt: true), url: url)
            for row in page { try row.check(url: url) }
            // Ascending; a row seen on the page before (or out of the window) is dropped.
            let new = page.filter { window.contains($0.fundingTime) && $0.fundingTime >= start }
            rows += new
            guard page.count == Self.fundingPage, let last = new.last else { break }
            start = last.fundingTime + 1
        }
        return rows
    }

    // MARK: klines

    /// The 1h klines of the closed hours of `window` (`GET /fapi/v1/klines`, interval 1h).
    func klines(_ window: Range<Millis>) async throws -> [RESTRows.Kline] {
        var rows: [RESTRows.Kline] = []
        var start = window.lowerBound
        while start < window.upperBound {
            let limit = min(Self.klinesPage, Int((window.upperBound - start) / Time.hour))
            let query = [("symbol", symbol.full), ("interval", "1h"), ("startTime", "\(start)"),
                         ("endTime", "\(window.upperBound - 1)"), ("limit", "\(limit)")]
            let url = rest.urls.url("/fapi/v1/klines", query)
            let page = try RESTRows.decode(RESTRows.Kline.self, try await rest.get("/fapi/v1/klines", query, weight: Self.klinesWeight(limit: limit)), url: url)
            for row in page { try row.check(url: url) }
            // A kline is closed once its hour has ended; the API also answers the open one.
            let new = page.filter { $0.openTime >= start && $0.openTime % Time.hour == 0 && $0.openTime + Time.hour <= window.upperBound }
            guard let last = new.last else { break }
            rows += new
            start = last.openTime + Time.hour
        }
        return rows
    }

    // MARK: metrics

    /// The four statistics the series use, by endpoint, and the field each takes.
    static let statistics: [(path: String, field: String)] = [
        ("/futures/data/openInterestHist", "sumOpenInterest"),
        ("/futures/data/openInterestHist", "sumOpenInterestValue"),
        ("/futures/data/topLongShortPositionRatio", "longShortRatio"),
        ("/futures/data/globalLongShortAccountRatio", "longShortRatio"),
        ("/futures/data/takerlongshortRatio", "buySellRatio"),
    ]

    /// Metrics lines (`create_time,symbol,sum_open_interest,sum_open_interest_value,
    /// count_toptrader_long_short_ratio,sum_toptrader_long_short_ratio,count_long_short_ratio,
    /// sum_taker_long_short_vol_ratio`) for the 5-minute statistics of `window`, from the
    /// four endpoints joined on `timestamp` (taken as create_time). A column an endpoint has
    /// no row for stays empty, as does count_toptrader_long_short_ratio (not read).
    func metrics(_ window: Range<Millis>) async throws -> [(time: Millis, line: String)] {
        var values: [Millis: [String: String]] = [:]   // timestamp → "path field" → value
        for path in Self.statistics.map(\.path).uniqued() {
            for row in try await statistics(path, window) {
                for (field, value) in row.values { values[row.timestamp, default: [:]]["\(path) \(field)"] = value }
            }
        }
        return values.keys.sorted().map { time in
            let row = values[time]!
            let column = { (i: Int) in row["\(Self.statistics[i].path) \(Self.statistics[i].field)"] ?? "" }
            return (time, "\(Time.text(time)),\(symbol.full),\(column(0)),\(column(1)),,\(column(2)),\(column(3)),\(column(4))")
        }
    }

    /// The rows of one statistics endpoint in `window`, in windows of at most 500 rows: the
    /// API answers the latest `limit` rows of a longer range, so a page never holds more.
    private func statistics(_ path: String, _ window: Range<Millis>) async throws -> [RESTRows.Statistic] {
        var rows: [RESTRows.Statistic] = []
        let span = Millis(Self.statisticsPage - 1) * Self.statisticsPeriod
        var start = window.lowerBound
        while start < window.upperBound {
            let end = min(start + span, window.upperBound - 1)
            let query = [("symbol", symbol.full), ("period", "5m"), ("startTime", "\(start)"), ("endTime", "\(end)"),
                         ("limit", "\(Self.statisticsPage)")]
            let url = rest.urls.url(path, query)
            let page = try RESTRows.decode(RESTRows.Statistic.self, try await rest.get(path, query, weight: 1), url: url)
            for row in page where start <= row.timestamp && row.timestamp <= end {
                for field in Self.statistics.filter({ $0.path == path }).map(\.field) {
                    guard let value = row.values[field] else {
                        throw TailRequestFailed(url: url, reason: "a row of \(Time.iso(row.timestamp)) has no '\(field)'")
                    }
                    try RESTRows.checkNumber(value, field, url: url)
                }
                rows.append(row)
            }
            start = end + 1
        }
        return rows
    }

    // MARK: aggTrades

    /// Every aggregate trade of `hour`, in id order (`GET /fapi/v1/aggTrades`: the hour's
    /// first page by startTime and endTime, which must be less than an hour apart; the
    /// next ones by fromId, until a trade of a later hour). A trade seen on an earlier
    /// page (the same id at a page's edge) is dropped. Each page weighs 20.
    func trades(_ hour: Hour) async throws -> [RESTRows.AggTrade] {
        let path = "/fapi/v1/aggTrades"
        var query = [("symbol", symbol.full), ("startTime", "\(hour.start)"), ("endTime", "\(hour.end - 1)"), ("limit", "\(Self.tradesPage)")]
        var rows: [RESTRows.AggTrade] = []
        var lastID = Int64.min
        while true {
            let url = rest.urls.url(path, query)
            let page = try RESTRows.decode(RESTRows.AggTrade.self, try await rest.get(path, query, weight: Self.tradesWeight), url: url)
            var later = false
            let before = lastID
            for trade in page where trade.a > lastID {
                try trade.check(url: url)
                if trade.T >= hour.end { later = true; break }
                if trade.T >= hour.start { rows.append(trade) }
                lastID = trade.a
            }
            guard page.count == Self.tradesPage, !later else { break }
            guard lastID > before else {
                throw TailRequestFailed(url: url, reason: "a full page of trades already seen: the pages do not advance")
            }
            query = [("symbol", symbol.full), ("fromId", "\(lastID + 1)"), ("limit", "\(Self.tradesPage)")]
        }
        return rows
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
