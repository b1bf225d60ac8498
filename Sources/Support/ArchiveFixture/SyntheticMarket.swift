import Common
import Foundation

/// A deterministic market for one symbol over whole days, written as the archive's CSV
/// rows (no header): aggTrades and 1h klines per day, metrics every 5 minutes, funding
/// settlements per month. It looks like a market so that the pipeline's events mean
/// something: a random-walk price with volatility clustering, bursts of activity,
/// Pareto trade sizes, a few one-sided hours that move price, open interest and funding
/// that follow the flow. And it has the archive's quirks: a few rows out of time order,
/// metrics hours missing, funding every 4 h while the market runs hot.
public struct SyntheticMarket: Sendable {
    public let profile: MarketProfile
    public let days: Range<Day>
    public private(set) var aggTrades: [Day: [UInt8]] = [:]
    public private(set) var klines: [Day: [UInt8]] = [:]
    public private(set) var metrics: [Day: [UInt8]] = [:]
    public private(set) var funding: [Month: [UInt8]] = [:]
    /// Trades written, for reports.
    public private(set) var tradeCount = 0
    /// Every hour as the generator made it, in time order: what a test needs to know
    /// the market's answer without running the pipeline.
    public private(set) var hours: [SyntheticHour] = []

    public init(profile: MarketProfile, days: Range<Day>, seed: UInt64) {
        self.profile = profile
        self.days = days
        var walk = Walk(profile: profile, random: SeededRandom(seed: seed, stream: profile.symbol.full))
        for day in days {
            var trades = CSVText(reservingCapacity: Int(profile.tradesPerHour) * 24 * 64)
            var candles = CSVText(reservingCapacity: 24 * 128)
            var rows = CSVText(reservingCapacity: 288 * 96)
            for hour in 0..<24 {
                let start = day.startMillis + Millis(hour) * Time.hour
                let summary = walk.hour(startingAt: start, trades: &trades, metrics: &rows)
                summary.writeKline(to: &candles, profile: profile)
                if let settlement = walk.settlement(at: start) {
                    var f = funding[day.month] ?? []
                    f += settlement
                    funding[day.month] = f
                }
            }
            aggTrades[day] = trades.bytes
            klines[day] = candles.bytes
            metrics[day] = rows.bytes
        }
        tradeCount = walk.tradeCount
        hours = walk.record
    }
}

/// One hour of a synthetic market: its close and what the six series would say of it.
public struct SyntheticHour: Sendable {
    public let start: Millis
    public let close: Double
    /// Taker buy minus sell notional of every trade of the hour (quote units).
    public let netFlow: Double
    /// ln of open interest at the hour's end minus at its start.
    public let openInterestChange: Double
    /// The ratios at the hour's last 5-minute row.
    public let topPositionRatio: Double
    public let accountRatio: Double
    /// Taker buy / sell lots of the hour.
    public let takerRatio: Double
    /// +1 a strongly one-sided buying hour, −1 selling, 0 neither.
    public let side: Int
}

/// One hour's candle, accumulated while its trades are written.
struct HourSummary {
    var openTime: Millis
    var open: Int64 = 0, high: Int64 = .min, low: Int64 = .max, close: Int64 = 0
    var lots: Int64 = 0, quote: Int64 = 0, count: Int64 = 0
    var buyLots: Int64 = 0, buyQuote: Int64 = 0

    mutating func add(ticks: Int64, lots: Int64, buy: Bool) {
        if count == 0 { open = ticks }
        high = max(high, ticks); low = min(low, ticks); close = ticks
        self.lots += lots; quote += ticks * lots; count += 1
        if buy { buyLots += lots; buyQuote += ticks * lots }
    }

    func writeKline(to csv: inout CSVText, profile: MarketProfile) {
        let p = profile.priceDecimals, q = profile.quantityDecimals
        csv.integer(openTime); csv.comma()
        csv.fixed(open, decimals: p); csv.comma()
        csv.fixed(high, decimals: p); csv.comma()
        csv.fixed(low, decimals: p); csv.comma()
        csv.fixed(close, decimals: p); csv.comma()
        csv.fixed(lots, decimals: q); csv.comma()
        csv.integer(openTime + Time.hour - 1); csv.comma()
        csv.fixed(quote, decimals: p + q); csv.comma()
        csv.integer(count); csv.comma()
        csv.fixed(buyLots, decimals: q); csv.comma()
        csv.fixed(buyQuote, decimals: p + q); csv.comma()
        csv.text("0"); csv.newline()
    }
}

/// The state of the random walk from hour to hour.
private struct Walk {
    let profile: MarketProfile
    var random: SeededRandom
    var logPrice: Double
    var logVolatility = 0.0
    var aggregateID: Int64 = 1_000_000
    var tradeID: Int64 = 5_000_000
    var tradeCount = 0
    var logOpenInterest = 0.0
    var logTopPositions = 0.2, logTopAccounts = 0.1, logAccounts = 0.4
    var closes: [Double] = []
    var record: [SyntheticHour] = []
    let tick: Double
    /// A null market's price: its own generator and volatility, so nothing else feeds into it.
    var priceRandom: SeededRandom
    var priceLogVolatility = 0.0
    /// Hours left of each planted drift still running.
    var plantedHoursLeft: [Int] = []

    init(profile: MarketProfile, random: SeededRandom) {
        self.profile = profile
        self.random = random
        self.logPrice = log(profile.startPrice)
        self.tick = pow(10, Double(profile.priceDecimals))
        self.priceRandom = random.derived(stream: "price")
    }

    /// Writes the hour's trades and metrics rows; returns its candle.
    mutating func hour(startingAt start: Millis, trades: inout CSVText, metrics: inout CSVText) -> HourSummary {
        logVolatility = 0.92 * logVolatility + 0.3 * random.normal()
        let burst = random.uniform() < 0.04 ? 2.5 + 4 * random.uniform() : 1
        let u = random.uniform()
        let side: Double = u < 0.015 ? 1 : (u < 0.03 ? -1 : 0)  // one-sided hours
        var sigma = 0.004 * exp(logVolatility) * (burst > 1 ? 1.6 : 1)
        let n = max(3, Int(profile.tradesPerHour * exp(0.5 * logVolatility) * burst * (0.7 + 0.6 * random.uniform())))
        let buyProbability = 0.5 + 0.32 * side
        var drift = 2.0 * sigma * side
        if profile.nullMarket {
            // The price's own volatility; the hour's activity and side leave it alone.
            priceLogVolatility = 0.92 * priceLogVolatility + 0.3 * priceRandom.normal()
            sigma = 0.004 * exp(priceLogVolatility)
            drift = 0
        }
        if profile.plantedDrift != 0 {
            // Every running plant adds its 24th of ln(1 + drift) this hour; every hour gives back
            // what the plants add on average (1.5 % of hours plant one), so the price has no trend.
            drift += (Double(plantedHoursLeft.count) / 24 - 0.015) * log1p(profile.plantedDrift)
            plantedHoursLeft = plantedHoursLeft.map { $0 - 1 }.filter { $0 > 0 }
        }
        let openInterestBefore = logOpenInterest
        var offsets = (0..<n).map { _ in Millis(random.uniform() * Double(Time.hour)) }
        offsets.sort()

        var summary = HourSummary(openTime: start)
        var bucketBuy = [Int64](repeating: 0, count: 12), bucketSell = [Int64](repeating: 0, count: 12)
        let step = sigma / Double(n).squareRoot()
        for i in 0..<n {
            logPrice += step * (profile.nullMarket ? priceRandom.normal() : random.normal()) + drift / Double(n)
            let ticks = Int64((exp(logPrice) * tick).rounded())
            let buy = random.uniform() < buyProbability
            let pushes = side != 0 && buy == (side > 0)
            let size = Double(profile.minimumLots) * min(random.pareto(alpha: 1.6), 4000) * (pushes ? 1.5 : 1)
            let lots = max(1, Int64(size.rounded()))
            var time = start + offsets[i]
            // The archive's interleaved rows: now and then a trade stamped before the one above it.
            if i > 0, random.uniform() < 0.0005 { time = max(start, start + offsets[i - 1] - 1 - Millis(random.uniform() * 400)) }
            let fills = lots > 20 * profile.minimumLots ? Int64(3) : 1
            trades.integer(aggregateID); trades.comma()
            trades.fixed(ticks, decimals: profile.priceDecimals); trades.comma()
            trades.fixed(lots, decimals: profile.quantityDecimals); trades.comma()
            trades.integer(tradeID); trades.comma()
            trades.integer(tradeID + fills - 1); trades.comma()
            trades.integer(time); trades.comma()
            trades.text(buy ? "false" : "true"); trades.newline()
            aggregateID += 1; tradeID += fills; tradeCount += 1
            summary.add(ticks: ticks, lots: lots, buy: buy)
            let bucket = Int(offsets[i] / (5 * 60_000))
            if buy { bucketBuy[bucket] += lots } else { bucketSell[bucket] += lots }
        }
        closes.append(exp(logPrice))
        // A strongly one-sided buying hour plants a drift over the next 24 hours.
        if profile.plantedDrift != 0 && side > 0 { plantedHoursLeft.append(24) }

        // Metrics every 5 minutes; now and then an hour the archive does not have.
        if random.uniform() >= 0.004 {
            for k in 0..<12 {
                let imbalance = Double(bucketBuy[k] - bucketSell[k]) / Double(bucketBuy[k] + bucketSell[k] + 1)
                logOpenInterest += 0.0015 * random.normal() + 0.004 * imbalance
                logTopPositions = 0.995 * logTopPositions + 0.012 * random.normal() + 0.01 * side
                logTopAccounts = 0.995 * logTopAccounts + 0.008 * random.normal()
                logAccounts = 0.995 * logAccounts + 0.01 * random.normal() - 0.01 * side
                let openInterest = profile.openInterest * exp(logOpenInterest)
                metrics.dateTime(start + Millis(k) * 300_000); metrics.comma()
                metrics.text(profile.symbol.full); metrics.comma()
                metrics.decimal(openInterest, decimals: 8); metrics.comma()
                metrics.decimal(openInterest * exp(logPrice), decimals: 8); metrics.comma()
                metrics.decimal(exp(logTopAccounts) * 1.2, decimals: 8); metrics.comma()
                metrics.decimal(exp(logTopPositions), decimals: 8); metrics.comma()
                metrics.decimal(exp(logAccounts), decimals: 8); metrics.comma()
                metrics.decimal(Double(bucketBuy[k] + 1) / Double(bucketSell[k] + 1), decimals: 8); metrics.newline()
            }
        }
        let buys = bucketBuy.reduce(0, +), sells = bucketSell.reduce(0, +)
        record.append(SyntheticHour(start: start, close: exp(logPrice),
                                    netFlow: Double(summary.buyQuote) * 2 - Double(summary.quote),
                                    openInterestChange: logOpenInterest - openInterestBefore,
                                    topPositionRatio: exp(logTopPositions), accountRatio: exp(logAccounts),
                                    takerRatio: Double(buys + 1) / Double(sells + 1), side: Int(side)))
        return summary
    }

    /// The funding settlement at `start`, if there is one: every 8 h, every 4 h while
    /// the price moved more than 4 % in a day; the rate follows that move.
    mutating func settlement(at start: Millis) -> [UInt8]? {
        let hourOfDay = Int((start % Time.day) / Time.hour)
        let move = closes.count > 24 ? closes[closes.count - 1] / closes[closes.count - 25] - 1 : 0
        let interval = abs(move) > 0.04 ? 4 : 8
        guard hourOfDay % interval == 0 else { return nil }
        let rate = max(-0.003, min(0.003, 0.0001 + 0.01 * move + 0.00003 * random.normal()))
        var row = CSVText()
        row.integer(start + Millis(random.uniform() * 4)); row.comma()
        row.integer(Int64(interval)); row.comma()
        row.decimal(rate, decimals: 8); row.newline()
        return row.bytes
    }
}
