import Common

/// `report/summary.csv`: one row per symbol, dimension, window, sign and horizon,
/// in that order (symbols as given, dimensions in SPEC's order, windows and
/// horizons ascending, positive before negative). Numbers in the shortest form
/// that reads back to the same double; a field is empty where it is undefined
/// (no event with a price, no baseline hour, too little data for a test).
///
/// | column | meaning |
/// |---|---|
/// | symbol | short, as in the events (`BTC`) |
/// | dimension, window_days | the event's series and window |
/// | sign | `positive` or `negative`: the value's sign (for the ratios: above or below 1) |
/// | horizon_h | 4, 12, 24 or 48 |
/// | events | events of the group |
/// | events_with_price | those with a return at this horizon (the rest: a null price) |
/// | mean_return, median_return, hit_rate | over those: price_Nh / price_at_trigger − 1; hit rate = share above 0 |
/// | baseline_hours | hours t of the data with close(t) and close(t + N) |
/// | baseline_mean, baseline_median, baseline_hit_rate | the same over those hours |
/// | clusters | 48 h clusters of the events with a price (`Overlap`) |
/// | diff_mean | mean_return − baseline_mean |
/// | ci_low, ci_high | its 95 % interval: ± Student's t × the larger of two standard errors (`CellTest`) |
/// | p_value | two-sided p-value of "no difference", from the same test |
/// | q_value | p_value adjusted over every row of the file (Benjamini–Hochberg) |
/// | round_trip_fee | 2 × --fee-bps / 10000: a round trip's taker fees as a fraction |
/// | edge_after_fees | abs(diff_mean) − round_trip_fee: negative when the fees eat the difference |
enum SummaryCSV {
    static let header = "symbol,dimension,window_days,sign,horizon_h,events,events_with_price,mean_return,median_return,hit_rate,"
        + "baseline_hours,baseline_mean,baseline_median,baseline_hit_rate,clusters,diff_mean,ci_low,ci_high,p_value,q_value,"
        + "round_trip_fee,edge_after_fees"

    static func text<Rows: Sequence<SummaryRow>>(_ rows: Rows) -> String {
        var out = header + "\n"
        for row in rows {
            let fields: [String] = [
                row.symbol.short, row.dimension.rawValue, String(row.windowDays), row.sign.rawValue, String(row.horizonHours),
                String(row.events), String(row.returns.count),
                number(row.returns.mean), number(row.returns.median), number(row.returns.hitRate),
                String(row.baseline.count),
                number(row.baseline.mean), number(row.baseline.median), number(row.baseline.hitRate),
                String(row.clusters), number(row.difference), number(row.interval?.low), number(row.interval?.high),
                number(row.pValue), number(row.qValue), number(row.roundTripFee), number(row.edgeAfterFees),
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    private static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        precondition(value.isFinite, "non-finite number \(value) in summary.csv")
        return NumberFormat.shortest(value)
    }
}
