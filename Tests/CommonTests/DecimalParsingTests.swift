import Foundation
import Testing
@testable import Common

@Suite("decimals parse to the correctly rounded double, like strtod and Python's float()")
struct DecimalParsingTests {
    func parse(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { ByteParsing.decimal($0.baseAddress!, $0.baseAddress! + $0.count) }
    }

    func strtodValue(_ text: String) -> Double { strtod(text, nil) }

    @Test("hard cases", arguments: [
        "0.1", "0.3", "42000.1", "-0.00010000", "1e-05", "2.2250738585072011e-308", "2.2250738585072014e-308",
        "4.9406564584124654e-324", "1.7976931348623157e308", "9007199254740993", "9007199254740992.5",
        "0.1000000000000000055511151231257827021181583404541015625",
        "1.00000000000000011102230246251565404236316680908203125",
        "123456789012345678901234567890", "0.000000000000000000000000000001", "7.038531e-26",
        "3.14159265358979323846264338327950288", "1e22", "1e23", "8.98846567431158e307", "00000.5", "5.", ".5",
    ])
    func hardCases(_ text: String) throws {
        let value = try #require(parse(text))
        #expect(value.bitPattern == strtodValue(text).bitPattern)
    }

    @Test("random decimals with up to 25 digits agree with strtod")
    func random() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let digits = (0..<Int.random(in: 1...25, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            let point = Int.random(in: 0...digits.count, using: &generator)
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -30...30, using: &generator))" }
            if Bool.random(using: &generator) { text = "-" + text }
            guard text != "." && text != "-." && !text.hasPrefix(".e") && !text.hasPrefix("-.e") else { continue }
            #expect(parse(text)?.bitPattern == strtodValue(text).bitPattern, "\(text)")
        }
    }

    @Test("not a number", arguments: ["", "-", ".", "1.2.3", "1e", "1e+", "abc", "1,5", " 1", "1 ", "nan", "inf", "0x10", "--1"])
    func refused(_ text: String) {
        #expect(parse(text) == nil)
    }

    @Test("integers, booleans and times")
    func others() {
        func bytes<T>(_ text: String, _ body: (UnsafePointer<UInt8>, UnsafePointer<UInt8>) -> T) -> T {
            Array(text.utf8).withUnsafeBufferPointer { body($0.baseAddress!, $0.baseAddress! + $0.count) }
        }
        #expect(bytes("1704067200000", ByteParsing.integer) == 1_704_067_200_000)
        #expect(bytes("-12", ByteParsing.integer) == -12)
        #expect(bytes("99999999999999999999", ByteParsing.integer) == nil)
        #expect(bytes("1.0", ByteParsing.integer) == nil)
        #expect(bytes("TRUE", ByteParsing.bool) == true)
        #expect(bytes("False", ByteParsing.bool) == false)
        #expect(bytes("yes", ByteParsing.bool) == nil)
        let fiveMinutesPastOne: Millis = 1_704_067_200_000 + 3_900_000
        let parsed: Millis? = bytes("2024-01-01 01:05:00", ByteParsing.dateTime)
        #expect(parsed == fiveMinutesPastOne)
        #expect(bytes("2024-02-30 01:05:00", ByteParsing.dateTime) == nil)
        #expect(bytes("1704067200000123") { ByteParsing.timestamp($0, $1) } == 1_704_067_200_000)
    }
}
