import Common

/// How one synthetic symbol trades: its price scale, tick and lot sizes, how busy it is.
public struct MarketProfile: Sendable {
    public var symbol: Symbol
    public var startPrice: Double
    /// Tick = 10^-priceDecimals, lot = 10^-quantityDecimals.
    public var priceDecimals: Int
    public var quantityDecimals: Int
    /// The smallest trade, in lots; sizes are Pareto-distributed above it.
    public var minimumLots: Int64
    /// Trades in a quiet hour; bursts have several times more.
    public var tradesPerHour: Double
    public var openInterest: Double
    /// A null market: the price is a driftless random walk, with a volatility of its own,
    /// that nothing the pipeline measures feeds into (flow, open interest, the ratios and
    /// funding follow the trades as usual, but the trades do not move the price): no
    /// event can predict a return.
    public var nullMarket = false
    /// A planted effect: after every strongly one-sided buying hour (one in about 67),
    /// the price drifts up by this fraction (0.01 = 1 %) over the next 24 hours, on top of
    /// its walk; drifts of overlapping hours add up, and every hour drifts down by what the
    /// plants add on average, so the price has no trend. 0: none.
    public var plantedDrift = 0.0

    public init(symbol: Symbol, startPrice: Double, priceDecimals: Int, quantityDecimals: Int,
                minimumLots: Int64, tradesPerHour: Double, openInterest: Double) {
        self.symbol = symbol
        self.startPrice = startPrice
        self.priceDecimals = priceDecimals
        self.quantityDecimals = quantityDecimals
        self.minimumLots = minimumLots
        self.tradesPerHour = tradesPerHour
        self.openInterest = openInterest
    }

    /// BTCUSDT-like: price 42000 with a 0.1 tick, 0.001 BTC lots.
    public static func btc(tradesPerHour: Double) -> MarketProfile {
        MarketProfile(symbol: try! Symbol("BTCUSDT"), startPrice: 42_000, priceDecimals: 1, quantityDecimals: 3,
                      minimumLots: 2, tradesPerHour: tradesPerHour, openInterest: 80_000)
    }

    /// ETHUSDT-like: price 2300 with a 0.01 tick, 0.001 ETH lots.
    public static func eth(tradesPerHour: Double) -> MarketProfile {
        MarketProfile(symbol: try! Symbol("ETHUSDT"), startPrice: 2_300, priceDecimals: 2, quantityDecimals: 3,
                      minimumLots: 20, tradesPerHour: tradesPerHour, openInterest: 900_000)
    }
}
