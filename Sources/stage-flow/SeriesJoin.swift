import Common

/// The six hourly series and the thresholds of a symbol, joined from its month
/// parts (SPEC "Dimensions", "Interface"). Series files: header `timestamp,value`,
/// one row per hour that has a value, ascending.
struct SeriesSet: Equatable {
    static let names = Dimension.allCases.map(\.rawValue)

    var series: [String: [(Millis, Double)]] = [:]
    var thresholds: [(month: Month, trades: Int, threshold: Double)] = []

    static func == (a: SeriesSet, b: SeriesSet) -> Bool {
        a.csvFiles == b.csvFiles
    }

    /// Joins the parts (in month order), keeping hours in [range.start, range.end).
    init(parts: [MonthPart], range: ArchiveRange) {
        var hours: [Millis: MonthPart.Hour] = [:]
        for part in parts {
            thresholds.append((part.month, part.trades, part.threshold))
            for (t, hour) in part.hours where t >= range.start.startMillis && t < range.end.startMillis {
                hours[t] = hours[t].map { Self.merge($0, hour) } ?? hour
            }
        }
        let times = hours.keys.sorted()
        func collect(_ value: (MonthPart.Hour) -> Double?) -> [(Millis, Double)] {
            times.compactMap { t in value(hours[t]!).map { (t, $0) } }
        }
        series["flow_1h"] = collect(\.flow)
        series["funding_rate"] = collect(\.fundingRate)
        series["top_position_ratio"] = collect(\.topPositionRatio)
        series["global_account_ratio"] = collect(\.globalAccountRatio)
        series["taker_ratio"] = collect(\.takerRatio)
        // OI(h) / OI(h−1) − 1: needs both hours.
        series["oi_change_1h"] = times.compactMap { t in
            guard let now = hours[t]?.openInterest, let before = hours[t - Time.hour]?.openInterest else { return nil }
            guard before != 0 else {
                Log.warning("open interest is 0 at \(t - Time.hour): no oi_change_1h at \(t)")
                return nil
            }
            return (t, now / before - 1)
        }
    }

    /// An hour two parts both hold (a metrics or funding row stamped in the next
    /// month): each value from the later row.
    static func merge(_ a: MonthPart.Hour, _ b: MonthPart.Hour) -> MonthPart.Hour {
        var out = a
        out.flow = a.flow ?? b.flow
        let metricsFromB = (b.metricsTime ?? .min) >= (a.metricsTime ?? .min)
        let (first, second) = metricsFromB ? (b, a) : (a, b)
        out.openInterest = first.openInterest ?? second.openInterest
        out.topPositionRatio = first.topPositionRatio ?? second.topPositionRatio
        out.globalAccountRatio = first.globalAccountRatio ?? second.globalAccountRatio
        out.takerRatio = first.takerRatio ?? second.takerRatio
        out.metricsTime = max(a.metricsTime ?? .min, b.metricsTime ?? .min)
        if out.metricsTime == .min { out.metricsTime = nil }
        if (b.fundingTime ?? .min) >= (a.fundingTime ?? .min), b.fundingRate != nil {
            out.fundingRate = b.fundingRate
            out.fundingTime = b.fundingTime
        }
        return out
    }

    /// File name → contents.
    var csvFiles: [String: String] {
        var files: [String: String] = [:]
        for name in Self.names {
            let points = series[name] ?? []
            files[name] = HourlySeries(file: name, timestamps: points.map(\.0), values: points.map(\.1)).text
        }
        var text = MonthPart.thresholdHeader + "\n"
        for row in thresholds { text += "\(row.month),\(row.trades),\(NumberFormat.shortest(row.threshold))\n" }
        files["thresholds"] = text
        return files
    }

    /// Writes each file atomically; thresholds.csv last.
    func write(_ symbol: Symbol, in layout: CacheLayout) throws {
        let files = csvFiles
        for name in Self.names { try AtomicFile.write(files[name]!, to: layout.series(symbol, name)) }
        try AtomicFile.write(files["thresholds"]!, to: layout.thresholds(symbol))
    }
}
