import Common
import Testing
@testable import stage_download

@Suite("the plan: monthly files for complete months, daily files for END's month")
struct PlannerTests {
    func plan(_ end: String, _ days: Int) -> [PlannedFile] {
        DownloadPlan.files(btc, ArchiveRange(end: Day(end)!, days: days))
    }

    func paths(_ plan: [PlannedFile], _ dataset: Dataset) -> [String] {
        plan.filter { $0.file.dataset == dataset }.map { $0.file.period.description }
    }

    @Test("END on the 1st: every month is complete, so no daily aggTrades or klines")
    func endOnFirst() {
        let p = plan("2024-03-01", 31)
        #expect(paths(p, .aggTrades) == ["2024-01", "2024-02"])
        #expect(paths(p, .klines) == ["2024-01", "2024-02"])
        #expect(paths(p, .fundingRate) == ["2024-01", "2024-02"])
        #expect(paths(p, .metrics).count == 31 + 29)
        #expect(paths(p, .metrics).first == "2024-01-01" && paths(p, .metrics).last == "2024-02-29")
    }

    @Test("a range across a year end: December monthly, January daily up to the day before END")
    func yearEnd() {
        let p = plan("2024-01-10", 20)
        #expect(paths(p, .aggTrades) == ["2023-12"] + (1...9).map { "2024-01-0\($0)" })
        #expect(paths(p, .klines) == ["2023-12"] + (1...9).map { "2024-01-0\($0)" })
        #expect(paths(p, .fundingRate) == ["2023-12"])
        #expect(paths(p, .metrics).count == 31 + 9)
    }

    @Test("leap day: February 2024's fallback and metrics include the 29th")
    func leapDay() {
        let p = plan("2024-03-01", 1)
        let monthly = try! #require(p.first { $0.file.dataset == .aggTrades })
        #expect(monthly.file.period == .month(Month("2024-02")!))
        #expect(monthly.fallback.count == 29)
        #expect(monthly.fallback.last?.period.description == "2024-02-29")
        #expect(paths(p, .metrics).last == "2024-02-29")
    }

    @Test("DAYS = 1 on the 2nd: the 1st alone, as daily files, and no funding file")
    func oneDay() {
        let p = plan("2024-05-02", 1)
        #expect(p.map(\.file.path) == [
            "daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-05-01.zip",
            "daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-05-01.zip",
            "daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-05-01.zip",
        ])
        #expect(p.allSatisfy { $0.fallback.isEmpty })
    }

    @Test("a range inside the current month: daily files only, no monthly file at all")
    func insideCurrentMonth() {
        let p = plan("2024-05-20", 10)
        #expect(paths(p, .aggTrades) == (1...19).map { $0 < 10 ? "2024-05-0\($0)" : "2024-05-\($0)" })
        #expect(paths(p, .fundingRate).isEmpty)
        #expect(p.allSatisfy { if case .day = $0.file.period { return true } else { return false } })
    }

    @Test("a complete month's monthly aggTrades and klines fall back to its days; other files have no fallback")
    func fallback() {
        let p = plan("2024-02-03", 3)
        for planned in p {
            switch (planned.file.dataset, planned.file.period) {
            case (.aggTrades, .month), (.klines, .month):
                #expect(planned.fallback.map(\.period.description) == (1...31).map { $0 < 10 ? "2024-01-0\($0)" : "2024-01-\($0)" })
                #expect(planned.fallback.allSatisfy { $0.dataset == planned.file.dataset })
            default:
                #expect(planned.fallback.isEmpty)
            }
        }
        #expect(p.count == 40)
    }

    @Test("URLs and destinations follow the archive's layout below data/futures/um/")
    func urls() throws {
        let urls = try ArchiveURL("http://127.0.0.1:8765/")
        let layout = CacheLayout(root: "/c")
        let klines = file(.klines, "2024-03-02")
        #expect(urls.zip(klines) == "http://127.0.0.1:8765/data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-03-02.zip")
        #expect(urls.checksum(klines) == urls.zip(klines) + ".CHECKSUM")
        #expect(layout.archive(klines) == "/c/archive/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-03-02.zip")
        let funding = file(.fundingRate, "2024-01")
        #expect(urls.zip(funding) == "http://127.0.0.1:8765/data/futures/um/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-01.zip")
    }

    @Test("a month is made of its monthly file when held, else of the daily files held")
    func monthContents() {
        let range = ArchiveRange(end: Day("2024-02-03")!, days: 3)
        let held: Set<ArchiveFile> = [
            file(.aggTrades, "2024-01"), file(.aggTrades, "2024-01-05"),  // monthly wins over a stray daily
            file(.klines, "2024-01-01"), file(.klines, "2024-01-02"),      // no monthly: the dailies held
            file(.metrics, "2024-01-31"), file(.fundingRate, "2024-01"),
        ]
        let entries = DownloadPlan.monthContents(btc, Month("2024-01")!, range) { held.contains($0) ? "ab" : nil }
        #expect(entries.map(\.file) == [
            file(.aggTrades, "2024-01"), file(.klines, "2024-01-01"), file(.klines, "2024-01-02"),
            file(.metrics, "2024-01-31"), file(.fundingRate, "2024-01"),
        ])
    }
}
