import Common

/// `report/event_path.csv`: one row per symbol, dimension, sign and hour offset from −48
/// to +48 (`EventPath`), in that order (symbols as given, dimensions in SPEC's order,
/// positive before negative, offsets ascending): the numbers the page's event-path
/// charts draw. Numbers in the shortest form that reads back to the same double; a
/// field is empty where it is undefined (no event with a close at that offset, too
/// little data for a band).
///
/// | column | meaning |
/// |---|---|
/// | symbol, dimension, sign | the path's events: every window's, each event hour once |
/// | offset_h | hours from the event hour's close, −48 … 48 |
/// | events | event hours with a close at that offset |
/// | clusters | their 48 h clusters (`Overlap`) |
/// | mean_return | mean of close(t + offset) / close(t) − 1 over those events |
/// | baseline_mean | the same over every hour of the data |
/// | excess_return | mean_return − baseline_mean: the line of the chart |
/// | band_low, band_high | its 95 % band (`CellTest`); 0 at offset 0 |
enum EventPathCSV {
    static let header = "symbol,dimension,sign,offset_h,events,clusters,mean_return,baseline_mean,excess_return,band_low,band_high"

    static func text<Paths: Sequence<EventPath>>(_ paths: Paths) -> String {
        var out = header + "\n"
        for path in paths {
            for point in path.points {
                let fields: [String] = [
                    path.symbol.short, path.dimension.rawValue, path.sign.rawValue, String(point.offset),
                    String(point.events), String(point.clusters), number(point.mean), number(point.baselineMean),
                    number(point.excess), number(point.band?.low), number(point.band?.high),
                ]
                out += fields.joined(separator: ",") + "\n"
            }
        }
        return out
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        precondition(value.isFinite, "non-finite number \(value) in event_path.csv")
        return NumberFormat.shortest(value)
    }
}
