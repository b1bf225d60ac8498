import Common

/// Metrics rows folded into hours (SPEC "Dimensions"): for each hour, each
/// column's value from the last row whose create_time is in [h, h+1h) and that
/// has the column. "Last" is by create_time, and a later row in the file wins a
/// tie, so rows out of time order change nothing. An hour without a row has no value.
struct MetricsHours {
    private struct Latest {
        var time: Millis = .min
        var value: Double?
        mutating func offer(_ value: Double?, at time: Millis) {
            guard let value, time >= self.time else { return }
            self.time = time
            self.value = value
        }
    }

    private struct Hour {
        var lastRow: Millis = .min
        var openInterest = Latest(), topPosition = Latest(), globalAccount = Latest(), taker = Latest()
    }

    private var hours: [Millis: Hour] = [:]

    /// Reads one metrics file (`create_time` as text or milliseconds).
    mutating func read(_ reader: CSVReader) throws {
        try reader.forEachLine { line in
            let time = try line.timestamp(0, "create_time", allowText: true)
            var hour = hours[Time.hourStart(time)] ?? Hour()
            hour.lastRow = max(hour.lastRow, time)
            hour.openInterest.offer(try line.optionalDouble(2, "sum_open_interest"), at: time)
            hour.topPosition.offer(try line.optionalDouble(5, "sum_toptrader_long_short_ratio"), at: time)
            hour.globalAccount.offer(try line.optionalDouble(6, "count_long_short_ratio"), at: time)
            hour.taker.offer(try line.optionalDouble(7, "sum_taker_long_short_vol_ratio"), at: time)
            hours[Time.hourStart(time)] = hour
        }
    }

    func store(into part: inout MonthPart) {
        for (t, h) in hours {
            var hour = part.hours[t] ?? MonthPart.Hour()
            hour.openInterest = h.openInterest.value
            hour.topPositionRatio = h.topPosition.value
            hour.globalAccountRatio = h.globalAccount.value
            hour.takerRatio = h.taker.value
            hour.metricsTime = h.lastRow
            part.hours[t] = hour
        }
    }
}

/// Funding settlements at the hour containing their calc_time (SPEC "Dimensions"):
/// a sparse series, one row per settlement; two in one hour, the later one.
/// Intervals of 8, 4 or 1 h all come as they are.
struct FundingHours {
    private var settlements: [Millis: (time: Millis, rate: Double)] = [:]

    mutating func read(_ reader: CSVReader) throws {
        try reader.forEachLine { line in
            let time = try line.timestamp(0, "calc_time")
            let rate = try line.double(2, "last_funding_rate")
            let hour = Time.hourStart(time)
            if let seen = settlements[hour], seen.time > time { return }
            settlements[hour] = (time, rate)
        }
    }

    func store(into part: inout MonthPart) {
        for (t, s) in settlements {
            var hour = part.hours[t] ?? MonthPart.Hour()
            hour.fundingRate = s.rate
            hour.fundingTime = s.time
            part.hours[t] = hour
        }
    }
}
