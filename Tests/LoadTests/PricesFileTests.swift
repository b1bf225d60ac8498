import Common
import Foundation
import Testing
@testable import stage_load

@Suite("reading prices files")
struct PricesFileTests {
    let good = #"{"symbol":"BTC","dimension":"flow_1h","window_days":7,"triggered_at":1704067200000,"value":811209.83,"percentile":95.2,"price_at_trigger":42000.1,"price_4h":42100.0,"price_12h":null,"price_24h":null,"price_48h":null}"#

    func parse(_ text: String, symbol: String? = "BTC") throws -> [PricedEvent] {
        try PricesFile.parse(Array(text.utf8), path: "prices/BTCUSDT.jsonl", symbol: symbol.map { try! Symbol($0) })
    }

    @Test("a line reads back the doubles it was written from")
    func reads() throws {
        let events = try parse(good + "\n" + good.replacingOccurrences(of: "flow_1h", with: "taker_ratio").replacingOccurrences(of: "811209.83", with: "-1e-05") + "\n")
        #expect(events.count == 2)
        #expect(events[0] == PricedEvent(key: EventKey(symbol: "BTC", dimension: "flow_1h", windowDays: 7, triggeredAt: 1_704_067_200_000),
                                         value: 811209.83, percentile: 95.2,
                                         prices: Prices(atTrigger: 42000.1, after: [42100.0, nil, nil, nil])))
        #expect(events[1].value == -1e-05)
    }

    @Test("a bad line is an error naming file, line and what is wrong", arguments: [
        (#"{"symbol":"BTC""#, "invalid JSON: column 16: expected ',' or '}', found the end of the line"),
        ("[1,2]", "invalid JSON: column 1: expected a JSON object, found '['"),
        ("", "empty line, expected one JSON object per line"),
        (#"{"symbol":"BTC"}"#, #"missing key "dimension" (every key is written, a price as null when unknown)"#),
        (#""window_days":7,"#, #""window_days" is 7.5, expected a whole number"#),
        (#""value":811209.83,"#, #""value" is "811209.83", expected a number"#),
        (#""price_4h":42100.0,"#, #""price_4h" is -1.0, expected a positive price or null"#),
        (#""symbol":"BTC","#, #"symbol "ETH" in the file of BTCUSDT, expected "BTC""#),
        (#""dimension":"flow_1h","#, #"dimension "flow_2h" is not one of flow_1h, oi_change_1h, funding_rate, top_position_ratio, global_account_ratio, taker_ratio"#),
        (#""window_days":7,"#, "window_days 3651 is not a whole number of days from 1 to 3650"),
        (#""triggered_at":1704067200000,"#, "triggered_at 1704067200001 is not the start of an hour (milliseconds, a multiple of 3600000)"),
        (#""percentile":95.2,"#, "percentile 101.0 is not between 0 and 100"),
        (#""value":811209.83,"#, #""value" is 1e999, out of the range of a double"#),
    ])
    func badLine(_ change: String, _ message: String) throws {
        let replacements = [
            #""window_days":7,"#: #""window_days":"# + (message.contains("7.5") ? "7.5," : "3651,"),
            #""value":811209.83,"#: message.contains("1e999") ? #""value":1e999,"# : #""value":"811209.83","#,
            #""price_4h":42100.0,"#: #""price_4h":-1.0,"#,
            #""symbol":"BTC","#: #""symbol":"ETH","#,
            #""dimension":"flow_1h","#: #""dimension":"flow_2h","#,
            #""triggered_at":1704067200000,"#: #""triggered_at":1704067200001,"#,
            #""percentile":95.2,"#: #""percentile":101.0,"#,
        ]
        let bad = replacements[change].map { good.replacingOccurrences(of: change, with: $0) } ?? change
        #expect(throws: DataError(file: "prices/BTCUSDT.jsonl", line: 2, message)) {
            try parse(good + "\n" + bad + "\n" + good + "\n")
        }
    }

    @Test("the same event twice in one load names both places")
    func duplicate() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("BTCUSDT.jsonl", good + "\n" + good + "\n")
        #expect(throws: DataError(file: path, line: 2, "the same event (BTC flow_1h 7 d at 1704067200000) as line 1")) {
            try LoadInput.read([LoadInput.Source(path: path, symbol: try Symbol("BTC"))])
        }
    }

    @Test("a file named SYM.jsonl is that symbol's", arguments: [("prices/BTCUSDT.jsonl", "BTCUSDT"), ("x/ETHUSDT.jsonl", "ETHUSDT"), ("prices.jsonl", nil), ("BTC.jsonl", nil), ("BTCUSDT.csv", nil)])
    func symbolNamed(_ path: String, _ symbol: String?) {
        #expect(LoadInput.symbol(named: path)?.full == symbol)
    }
}
