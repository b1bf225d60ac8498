import Foundation
import Testing
@testable import Common

/// The word-at-a-time readers give exactly what the byte-wise ones give, or step aside (nil).
@Suite("SWAR: separators and short numbers, word-wise, equal to byte-wise")
struct SWARParsingTests {
    /// `body` with the text's bytes followed by 32 readable bytes (the callers' guarantee).
    func withPadded<T>(_ text: String, _ body: (UnsafePointer<UInt8>, UnsafePointer<UInt8>) -> T) -> T {
        let bytes = Array(text.utf8) + Array(repeating: UInt8(ascii: ","), count: 32)
        return bytes.withUnsafeBufferPointer { body($0.baseAddress!, $0.baseAddress! + text.utf8.count) }
    }

    @Test("short decimals: the byte-wise double, bit for bit, or nil", arguments: [
        "42000.1", "0.123", "0.001", "2300.00", "1", "12345678", "12345678.12345678", "99999999.99999999",
        "0.0", "0", "00000.5", "5.", "42000.10", "1.2.3", "-1.5", "+1.5", ".5", ".", "", "1e5", "12a4.5",
        "123456789.5", "12345678.123456789", "9007199.254740993", "1.7976931", "4503599.627370497",
    ])
    func shortDecimal(_ text: String) {
        let fast = withPadded(text) { ByteParsing.shortDecimal($0, $1) }
        let slow = withPadded(text) { ByteParsing.decimal($0, $1) }
        if let fast {
            #expect(fast.bitPattern == slow?.bitPattern, "\(text)")
        }
        #expect((fast != nil) == Self.isShort(text), "\(text)")
    }

    /// The shapes shortDecimal must take: 1–8 digits, optionally '.' and 0–8 digits, whose
    /// digits together make at most 2^53.
    static func isShort(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2, !parts[0].isEmpty,
              parts.allSatisfy({ $0.count <= 8 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let mantissa = UInt64(parts.joined()) else { return false }
        return mantissa <= 1 << 53
    }

    @Test("random short decimals agree with the byte-wise parser")
    func randomDecimals() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let digits = { (n: Int) in (0..<n).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined() }
            var text = digits(Int.random(in: 1...8, using: &generator))
            if Bool.random(using: &generator) { text += "." + digits(Int.random(in: 0...8, using: &generator)) }
            let fast = withPadded(text) { ByteParsing.shortDecimal($0, $1) }
            let slow = withPadded(text) { ByteParsing.decimal($0, $1) }
            #expect((fast != nil) == Self.isShort(text), "\(text)")
            if let fast { #expect(fast.bitPattern == slow?.bitPattern, "\(text)") }
        }
    }

    @Test("short integers: the byte-wise value, or nil", arguments: [
        "1704067200123", "0", "7", "12345678", "123456789", "1234567890123456", "12345678901234567",
        "-5", "", "17040672001x3", "00000000000000001", "9999999999999999",
    ])
    func shortInteger(_ text: String) {
        let fast = withPadded(text) { ByteParsing.shortInteger($0, $1) }
        let slow = withPadded(text) { ByteParsing.integer($0, $1) }
        if let fast { #expect(fast == slow, "\(text)") }
        let plain = !text.isEmpty && text.count <= 16 && text.allSatisfy { $0.isASCII && $0.isNumber }
        #expect((fast != nil) == plain, "\(text)")
    }

    @Test("the separator index lists every comma and newline, at any length and alignment")
    func separators() {
        var generator = SystemRandomNumberGenerator()
        let index = SeparatorIndex()
        let alphabet = Array("0123456789.,\n\rtruefalse,,\n\u{ac}\u{2c}".utf8)
        for length in Array(0...200) + [1000, 4095, 4096, 4097, 70_000] {
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            for skip in [0, 1, 7] where skip <= length {
                let block = Array(bytes[skip...])
                block.withUnsafeBytes { index.index($0) }
                let found = (0..<index.count).map { Int(index.offsets[$0]) }
                let expected = block.indices.filter { block[$0] == UInt8(ascii: ",") || block[$0] == UInt8(ascii: "\n") }
                #expect(found == expected, "length \(length) skip \(skip)")
            }
        }
    }
}
