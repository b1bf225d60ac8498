/// The columns of each dataset's CSV (SPEC "Sources"); a header, when a file
/// has one, must name these.
extension Dataset {
    public var columns: [String] {
        switch self {
        case .aggTrades:
            return ["agg_trade_id", "price", "quantity", "first_trade_id", "last_trade_id", "transact_time", "is_buyer_maker"]
        case .klines:
            return ["open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume",
                    "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore"]
        case .metrics:
            return ["create_time", "symbol", "sum_open_interest", "sum_open_interest_value",
                    "count_toptrader_long_short_ratio", "sum_toptrader_long_short_ratio",
                    "count_long_short_ratio", "sum_taker_long_short_vol_ratio"]
        case .fundingRate:
            return ["calc_time", "funding_interval_hours", "last_funding_rate"]
        }
    }
}

extension CSVReader {
    /// Opens the CSV of a file the cache holds: an archive zip's member, or a tail's CSV.
    public convenience init(_ file: ArchiveFile, in layout: CacheLayout, inflater: InflaterKind = .preferred) throws {
        switch file.source {
        case .archive: try self.init(zipPath: layout.archive(file), file: file, columns: file.dataset.columns, inflater: inflater)
        case .tail: try self.init(csvPath: layout.held(file), file: file, columns: file.dataset.columns)
        }
    }
}
