import Common

/// An event of `events/SYM.jsonl` with the prices after it (SPEC "Prices after
/// the event"): the close at the trigger hour and at each of `Horizon.hours`
/// later, `null` where that kline is not in the data (yet). Both line formats
/// are Common's (`EventsFile`, `PricesFile`).
enum EventPrices {
    static func price(_ event: Event, closes: HourlyCloses) -> PricedEvent {
        PricedEvent(event, prices: Prices(atTrigger: closes[event.triggeredAt],
                                          after: Horizon.hours.map { closes[event.triggeredAt + Int64($0) * Time.hour] }))
    }

    /// The priced line of one event line (without newlines); errors name `file` and `number`.
    static func price(line: Substring, file: String, number: Int, closes: HourlyCloses) throws -> String {
        price(try EventsFile.event(Array(line.utf8), file: file, line: number, symbol: nil), closes: closes).jsonLine
    }

    /// Every line of an events file's text, priced, in the same order.
    static func price(eventsText: String, file: String, closes: HourlyCloses) throws -> String {
        var out: [UInt8] = []
        try TextLines.forEach(in: Array(eventsText.utf8)) { line, number in
            price(try EventsFile.event(line, file: file, line: number, symbol: nil), closes: closes).appendLine(to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
