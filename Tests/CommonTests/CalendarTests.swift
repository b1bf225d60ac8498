import Testing
@testable import Common

@Suite("UTC calendar")
struct CalendarTests {
    @Test("days round-trip through civil dates", arguments: ["1970-01-01", "2000-02-29", "2024-02-29", "2024-12-31", "2025-01-01", "1969-12-31"])
    func roundTrip(_ text: String) throws {
        let day = try #require(Day(text))
        #expect(day.description == text)
    }

    @Test("the epoch is day 0 and 2024-01-01 is 19723")
    func knownDays() {
        #expect(Day("1970-01-01")?.daysSinceEpoch == 0)
        #expect(Day("2024-01-01")?.daysSinceEpoch == 19723)
        #expect(Day("2024-01-01")?.startMillis == 1_704_067_200_000)
    }

    @Test("dates that do not exist are refused", arguments: ["2023-02-29", "2024-13-01", "2024-04-31", "2024-1-01", "24-01-01", "2024-01-01x", ""])
    func invalid(_ text: String) {
        #expect(Day(text) == nil)
    }

    @Test("the day containing a timestamp, also before the epoch")
    func containing() {
        #expect(Day(containing: 1_704_067_199_999).description == "2023-12-31")
        #expect(Day(containing: 1_704_067_200_000).description == "2024-01-01")
        #expect(Day(containing: -1).description == "1969-12-31")
    }

    @Test("microsecond timestamps are divided by 1000")
    func microseconds() {
        #expect(Time.normalized(1_704_067_200_000) == 1_704_067_200_000)
        #expect(Time.normalized(1_704_067_200_000_123) == 1_704_067_200_000)
        #expect(Time.normalized(999_999_999_999_999) == 999_999_999_999_999)
    }
}
