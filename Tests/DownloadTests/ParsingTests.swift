import Common
import Testing
@testable import stage_download

@Suite("CHECKSUM files: '<64 hex>  NAME.zip', naming the zip they vouch for")
struct ChecksumParsingTests {
    let name = "BTCUSDT-aggTrades-2024-01.zip"
    let hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

    func parse(_ text: String) throws -> PublishedChecksum {
        try PublishedChecksum(parsing: Array(text.utf8), expectedName: name, source: "https://x/\(name).CHECKSUM")
    }

    @Test("sha256sum's output, with or without the final newline, LF or CRLF", arguments: ["\n", "", "\r\n"])
    func good(_ ending: String) throws {
        let c = try parse("\(hex)  \(name)\(ending)")
        #expect(c.sha256 == hex)
        #expect(c.name == name)
        #expect(c.text == "\(hex)  \(name)\n")
    }

    @Test("uppercase hex is read as lowercase")
    func uppercase() throws {
        #expect(try parse("\(hex.uppercased())  \(name)\n").sha256 == hex)
    }

    @Test("sha256sum's binary marker ' *' is accepted")
    func binaryMarker() throws {
        #expect(try parse("\(hex) *\(name)\n").sha256 == hex)
    }

    @Test("a CHECKSUM naming another file is an error naming its URL")
    func wrongName() {
        #expect {
            try parse("\(hex)  BTCUSDT-aggTrades-2024-02.zip\n")
        } throws: { error in
            "\(error)" == "https://x/\(name).CHECKSUM: CHECKSUM is for 'BTCUSDT-aggTrades-2024-02.zip', expected '\(name)'"
        }
    }

    @Test("malformed CHECKSUM files are errors naming the URL", arguments: [
        "",                                                // empty
        "not found",                                       // an error page
        "9f86d081  BTCUSDT-aggTrades-2024-01.zip\n",      // short hash
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g  BTCUSDT-aggTrades-2024-01.zip\n",  // not hex
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08BTCUSDT-aggTrades-2024-01.zip\n",    // no separator
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 BTCUSDT-aggTrades-2024-01.zip\n",   // one space
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  \n",                              // no name
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  BTCUSDT-aggTrades-2024-01.zip\nextra\n",  // two lines
    ])
    func malformed(_ text: String) {
        #expect {
            try parse(text)
        } throws: { error in
            guard let error = error as? DataError else { return false }
            return error.file == "https://x/\(name).CHECKSUM" && error.message.hasPrefix("malformed CHECKSUM")
        }
    }
}

@Suite("Retry-After: seconds or an HTTP date")
struct RetryAfterTests {
    @Test("delay-seconds")
    func seconds() {
        #expect(RetryPolicy.retryAfter("120") == .seconds(120))
        #expect(RetryPolicy.retryAfter(" 0 ") == .seconds(0))
    }

    @Test("HTTP dates in all three forms, relative to now", arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
    ])
    func dates(_ text: String) {
        let date: Int64 = 784_111_777  // 1994-11-06T08:49:37Z
        #expect(HTTPDate.secondsSinceEpoch(text) == date)
        #expect(RetryPolicy.retryAfter(text, now: date - 30) == .seconds(30))
        #expect(RetryPolicy.retryAfter(text, now: date + 30) == .seconds(0))
    }

    @Test("anything else is no Retry-After", arguments: ["", "soon", "-5", "1.5", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT"])
    func invalid(_ text: String) {
        #expect(RetryPolicy.retryAfter(text) == nil)
    }

    @Test("waits double from the backoff, with jitter in [half, whole], and a longer Retry-After wins")
    func waits() {
        let policy = RetryPolicy(attempts: 5, backoff: .seconds(1))
        for attempt in 1...4 {
            let full = Duration.seconds(1 << (attempt - 1))
            let wait = policy.wait(afterAttempt: attempt, retryAfter: nil)
            #expect(wait >= full / 2 && wait <= full)
        }
        #expect(policy.wait(afterAttempt: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(policy.wait(afterAttempt: 1, retryAfter: .seconds(7200)) == policy.maximumWait)
    }
}

@Suite("--base-url: http or https with a host")
struct ArchiveURLTests {
    @Test("accepted, without a trailing slash", arguments: [
        ("https://data.binance.vision", "https://data.binance.vision"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("HTTP://mirror.local/binance//", "HTTP://mirror.local/binance"),
    ])
    func accepted(_ text: String, _ root: String) throws {
        #expect(try ArchiveURL(text).root == root)
    }

    @Test("refused", arguments: ["ftp://data.binance.vision", "data.binance.vision", "file:///tmp/archive", "https://", "https:///path", "http://a b", "http://host/x?y=1", "http://host/a,b"])
    func refused(_ text: String) {
        #expect(throws: UsageError.self) { try ArchiveURL(text) }
    }
}
