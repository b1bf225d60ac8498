import Testing
@testable import Common

@Suite("series files: timestamp,value")
struct SeriesFileTests {
    let file = "series/BTCUSDT/flow_1h.csv"

    func parse(_ text: String) throws -> HourlySeries {
        try HourlySeries(parsing: Array(text.utf8), file: file)
    }

    @Test("rows become points; numbers read back exactly; the last newline is optional")
    func reads() throws {
        let s = try parse("timestamp,value\n1704067200000,811209.83\n1704070800000,-0.0001\n1704085200000,1e-05")
        #expect(s.timestamps == [1_704_067_200_000, 1_704_070_800_000, 1_704_085_200_000])
        #expect(s.values == [811209.83, -0.0001, 1e-05])
        #expect(s.line(ofPoint: 2) == 4)
        #expect(s.text == "timestamp,value\n1704067200000,811209.83\n1704070800000,-0.0001\n1704085200000,1e-05\n")
        #expect(try parse(s.text) == s)
    }

    @Test("a header alone is an empty series")
    func headerOnly() throws {
        #expect(try parse("timestamp,value\n").count == 0)
    }

    @Test("what cannot be a series is an error naming file and line", arguments: [
        ("", "series/BTCUSDT/flow_1h.csv:1: expected header 'timestamp,value', got an empty file"),
        ("time,value\n1704067200000,1\n", "series/BTCUSDT/flow_1h.csv:1: expected header 'timestamp,value', got 'time,value'"),
        ("timestamp,value\n1704067200000,1.5,2\n", "series/BTCUSDT/flow_1h.csv:2: expected 2 fields, got 3"),
        ("timestamp,value\n1704067200000,1\n1704070800000\n", "series/BTCUSDT/flow_1h.csv:3: expected 2 fields, got 1"),
        ("timestamp,value\n1704067200000,1\n\n1704070800000,2\n", "series/BTCUSDT/flow_1h.csv:3: empty line; expected a row 'timestamp,value'"),
        ("timestamp,value\n1704067200000,abc\n", "series/BTCUSDT/flow_1h.csv:2: value 'abc' is not a finite decimal number"),
        ("timestamp,value\n1704067200000,nan\n", "series/BTCUSDT/flow_1h.csv:2: value 'nan' is not a finite decimal number"),
        ("timestamp,value\n1704067200000,1e999\n", "series/BTCUSDT/flow_1h.csv:2: value '1e999' is not a finite decimal number"),
        ("timestamp,value\n1704067200000,\n", "series/BTCUSDT/flow_1h.csv:2: value '' is not a finite decimal number"),
        ("timestamp,value\n2024-01-01,1\n", "series/BTCUSDT/flow_1h.csv:2: timestamp '2024-01-01' is not a whole number of milliseconds"),
        ("timestamp,value\n1704067200001,1\n", "series/BTCUSDT/flow_1h.csv:2: timestamp 1704067200001 is not the start of an hour (a multiple of 3600000 ms)"),
        ("timestamp,value\n1704070800000,1\n1704067200000,2\n",
         "series/BTCUSDT/flow_1h.csv:3: timestamp 1704067200000 is not after the previous row's 1704070800000; rows must be in ascending time order, one per hour"),
        ("timestamp,value\n1704067200000,1\n1704067200000,2\n",
         "series/BTCUSDT/flow_1h.csv:3: timestamp 1704067200000 is not after the previous row's 1704067200000; rows must be in ascending time order, one per hour"),
    ])
    func refused(text: String, message: String) {
        let error = #expect(throws: DataError.self) { try parse(text) }
        #expect(error?.description == message)
    }
}
