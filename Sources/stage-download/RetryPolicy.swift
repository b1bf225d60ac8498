import Common
import Glibc

/// How often and how long to wait before asking again after a transient failure
/// (5xx, 429, a timeout, a reset, a short body).
struct RetryPolicy: Sendable {
    /// Requests per URL, the first one included (`--attempts`).
    var attempts: Int
    /// The wait after the first failure; it doubles after each further one.
    var backoff: Duration
    /// No wait is longer, whatever the backoff or the server's Retry-After say.
    var maximumWait: Duration = .seconds(600)

    /// The wait after failed attempt `attempt` (1-based): exponential, with "equal
    /// jitter" (half fixed, half random) so that parallel downloads that failed
    /// together do not come back together. A server's Retry-After wins when longer.
    func wait(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        let exponent = min(attempt - 1, 30)
        var base = backoff * (1 << exponent)
        if base > maximumWait { base = maximumWait }
        let jittered = base / 2 + base / 2 * Double.random(in: 0...1)
        guard let retryAfter else { return jittered }
        return min(max(retryAfter, jittered), maximumWait)
    }

    /// Parses a Retry-After header: delay-seconds (`120`) or an HTTP date
    /// (`Wed, 21 Oct 2015 07:28:00 GMT`, relative to `now`, seconds since the epoch).
    /// nil when it is neither; a date in the past is no wait.
    static func retryAfter(_ value: String, now: Int64 = Int64(time(nil))) -> Duration? {
        let trimmed = value.trimmingSpaces
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Int64(trimmed) else { return nil }
            return .seconds(seconds)
        }
        guard let date = HTTPDate.secondsSinceEpoch(trimmed) else { return nil }
        return .seconds(max(0, date - now))
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
