import Testing
@testable import Common

@Suite("the range: whole months from the one containing END − DAYS, up to END")
struct ArchiveRangeTests {
    func range(_ end: String, _ days: Int) -> ArchiveRange { ArchiveRange(end: Day(end)!, days: days) }

    @Test("starts on the 1st of the month containing END − DAYS")
    func start() {
        #expect(range("2024-03-05", 64).start.description == "2024-01-01")
        #expect(range("2024-03-05", 365).start.description == "2023-03-01")
        #expect(range("2024-03-05", 4).start.description == "2024-03-01")
    }

    @Test("END on the 1st: END's month has no day and every month is complete")
    func endOnFirst() {
        let r = range("2024-03-01", 31)
        #expect(r.start.description == "2024-01-01")
        #expect(r.months.map(\.description) == ["2024-01", "2024-02"])
        #expect(r.months.allSatisfy(r.isComplete))
    }

    @Test("a range across a year end")
    func yearEnd() {
        let r = range("2024-01-10", 20)
        #expect(r.months.map(\.description) == ["2023-12", "2024-01"])
        #expect(r.isComplete(Month("2023-12")!))
        #expect(!r.isComplete(Month("2024-01")!))
        #expect(r.days(of: Month("2024-01")!).map(\.description) == (1...9).map { "2024-01-0\($0)" })
    }

    @Test("a leap February has 29 days")
    func leapDay() {
        let r = range("2024-03-01", 1)
        #expect(r.months.map(\.description) == ["2024-02"])
        #expect(r.days(of: Month("2024-02")!).count == 29)
    }

    @Test("DAYS = 1 on the 2nd is the 1st alone")
    func oneDay() {
        let r = range("2024-05-02", 1)
        #expect(r.months.map(\.description) == ["2024-05"])
        #expect(r.days(of: Month("2024-05")!).map(\.description) == ["2024-05-01"])
        #expect(!r.isComplete(Month("2024-05")!))
    }

    @Test("a range inside the current month")
    func insideCurrentMonth() {
        let r = range("2024-05-20", 10)
        #expect(r.start.description == "2024-05-01")
        #expect(r.months.map(\.description) == ["2024-05"])
        #expect(r.days(of: Month("2024-05")!).count == 19)
    }
}
