import ArchiveFixture
import Common
import Testing
@testable import stage_download

@Suite("downloads from a loopback archive")
struct DownloadTests {
    @Test("a first run fetches and verifies the plan and writes the lists; a rerun makes no request and rewrites nothing")
    func freshThenRerun() async throws {
        let cache = try TemporaryCache()
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            let reports = try await downloader(cache, server).run()
            // every zip of the cache came over the network once: its bytes are the fetched bytes
            let zipBytes = try cache.archiveFiles().filter { $0.hasSuffix(".zip") }
                .reduce(Int64(0)) { $0 + Int64(try FileSystem.readFile("\(cache.root)/archive/\($1)").count) }
            #expect(reports[btc]?.counts == SymbolReport(cached: 0, fetched: 40, fetchedBytes: zipBytes, unchanged: 0, missing: []))
            #expect(server.totalRequests == 80)
            try expectNothingUnverified(cache, server)

            // the month lists: January from monthly files, February from daily ones
            let january = try monthList(cache, "2024-01")
            #expect(january.count == 34)  // aggTrades, klines, 31 metrics, fundingRate
            #expect(january.first == "monthly/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01.zip")
            #expect(january.last == "monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-01.zip")
            #expect(try monthList(cache, "2024-02") == [
                "daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-02-01.zip", "daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-02-02.zip",
                "daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-02-01.zip", "daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-02-02.zip",
                "daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-02-01.zip", "daily/metrics/BTCUSDT/BTCUSDT-metrics-2024-02-02.zip",
            ])
            let files = try VerifiedFileList.read(cache.layout.fileList(btc))
            #expect(files.entries.count == 40)
            let klines = try #require(files.entries.first { $0.file == file(.klines, "2024-02-01") })
            #expect(klines.sha256 == sha256Hex(fixtureBytes(file(.klines, "2024-02-01"))))
            #expect(try FileSystem.readText(cache.layout.missingList(btc)) == "dataset,file,url,reason\n")
            // both monthly files have a row on every day of January
            #expect(try CoverageList.read(cache.layout.coverageList(btc)).entries.map { "\($0.file.stem) \($0.daysWithoutRows)" } ==
                ["BTCUSDT-aggTrades-2024-01 []", "BTCUSDT-1h-2024-01 []"])

            // the rerun
            let lists = [cache.layout.fileList(btc), cache.layout.missingList(btc), cache.layout.monthList(btc, Month("2024-01")!)]
            let times = lists.map(FileSystem.modificationTime)
            server.resetCounts()
            let again = try await downloader(cache, server).run()
            #expect(server.totalRequests == 0)
            #expect(again[btc]?.counts == SymbolReport(cached: 40))
            #expect(lists.map(FileSystem.modificationTime) == times)
        }
    }

    @Test("HTTP 500 twice, then 200: retried with backoff, and the file is verified")
    func serverErrorThenOK() async throws {
        let cache = try TemporaryCache()
        let sleeps = SleepLog()
        let target = file(.metrics, "2024-01-15")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            server.inject(.status(500), at: zipPath(target), times: 2)
            let reports = try await downloader(cache, server, sleeps: sleeps).run()
            #expect(reports[btc]?.fetched == 40)
            #expect(server.requests(at: zipPath(target)) == 3)
            #expect(sleeps.recorded.count == 2)
            #expect(LocalArchive(layout: cache.layout).isPresent(target))
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("HTTP 429 with Retry-After: the wait is at least what the server asked")
    func tooManyRequests() async throws {
        let cache = try TemporaryCache()
        let sleeps = SleepLog()
        let target = file(.aggTrades, "2024-01")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            server.inject(.status(429, headers: [.init("Retry-After", "7")]), at: checksumPath(target))
            _ = try await downloader(cache, server, sleeps: sleeps).run()
            #expect(server.requests(at: checksumPath(target)) == 2)
            #expect(sleeps.recorded == [.seconds(7)])
            #expect(LocalArchive(layout: cache.layout).isPresent(target))
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("a 5xx on every attempt ends the run naming the URL, the reason and the attempts")
    func persistentServerError() async throws {
        let cache = try TemporaryCache()
        let target = file(.klines, "2024-02-02")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            server.inject(.status(503), at: zipPath(target), times: .max)
            let error = await #expect(throws: DownloadFailed.self) { try await downloader(cache, server, attempts: 3).run() }
            #expect(error?.description == "\(server.url(zipPath(target))): HTTP 503 Service Unavailable (gave up after 3 attempts)")
            #expect(server.requests(at: zipPath(target)) == 3)
            #expect(!FileSystem.exists(cache.layout.archive(target)))
            #expect(!FileSystem.exists(cache.layout.fileList(btc)))
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("another 4xx ends the run at once, naming the URL")
    func forbidden() async throws {
        let cache = try TemporaryCache()
        let target = file(.fundingRate, "2024-01")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            server.inject(.status(403), at: checksumPath(target), times: .max)
            let error = await #expect(throws: DownloadFailed.self) { try await downloader(cache, server).run() }
            #expect(error?.description == "\(server.url(checksumPath(target))): HTTP 403 Forbidden")
            #expect(server.requests(at: checksumPath(target)) == 1)
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("a 404 day is reported in missing.csv, the run goes on, and a rerun picks it up once published")
    func notPublishedThenPublished() async throws {
        let cache = try TemporaryCache()
        let late = file(.metrics, "2024-01-10")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange, except: [late])
            let reports = try await downloader(cache, server).run()
            #expect(reports[btc]?.fetched == 39)
            #expect(reports[btc]?.missing.map(\.file) == [late])
            #expect(try FileSystem.readText(cache.layout.missingList(btc)) ==
                "dataset,file,url,reason\nmetrics,\(late.path),\(server.url(zipPath(late))),CHECKSUM not published (HTTP 404)\n")
            #expect(!(try monthList(cache, "2024-01")).contains(late.path))
            try expectNothingUnverified(cache, server)

            // asked again on every run: a rerun asks for that file only
            server.resetCounts()
            _ = try await downloader(cache, server).run()
            #expect(server.totalRequests == 1)

            server.publish(late)
            server.resetCounts()
            let later = try await downloader(cache, server).run()
            #expect(later[btc]?.counts == SymbolReport(cached: 39, fetched: 1, fetchedBytes: Int64(fixtureBytes(late).count)))
            #expect(server.totalRequests == 2)
            #expect(try FileSystem.readText(cache.layout.missingList(btc)) == "dataset,file,url,reason\n")
            #expect(try monthList(cache, "2024-01").contains(late.path))
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("a monthly 404 falls back to the daily files; once the monthly file appears, the month list switches to it")
    func monthlyFallback() async throws {
        let cache = try TemporaryCache()
        let monthly = file(.aggTrades, "2024-01")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange, except: [monthly, file(.aggTrades, "2024-01-31")])
            let reports = try await downloader(cache, server).run()
            #expect(reports[btc]?.fetched == 39 + 30)
            #expect(reports[btc]?.missing.map(\.file) == [monthly, file(.aggTrades, "2024-01-31")])
            #expect(reports[btc]?.missing.first?.reason == "CHECKSUM not published (HTTP 404); the month uses its daily files")
            let january = try monthList(cache, "2024-01").filter { $0.contains("aggTrades") }
            #expect(january == (1...30).map { file(.aggTrades, $0 < 10 ? "2024-01-0\($0)" : "2024-01-\($0)").path })
            let filesBefore = try FileSystem.readText(cache.layout.fileList(btc))
            try expectNothingUnverified(cache, server)

            server.publish(monthly)
            server.resetCounts()
            let later = try await downloader(cache, server).run()
            #expect(later[btc]?.fetched == 1)
            #expect(server.totalRequests == 2)  // the monthly's CHECKSUM and zip; no daily asked again
            #expect(try monthList(cache, "2024-01").filter { $0.contains("aggTrades") } == [monthly.path])
            #expect(try FileSystem.readText(cache.layout.fileList(btc)) != filesBefore)
            #expect(try FileSystem.readText(cache.layout.missingList(btc)) == "dataset,file,url,reason\n")
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("a zip that does not match its CHECKSUM is fetched again once; a second mismatch ends the run naming both hashes")
    func checksumMismatch() async throws {
        let cache = try TemporaryCache()
        let target = file(.klines, "2024-01")
        let bad = Array("not the published bytes".utf8)
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            server.inject(.serve(bad), at: zipPath(target), times: 2)
            let error = await #expect(throws: DownloadFailed.self) { try await downloader(cache, server).run() }
            let expected = sha256Hex(fixtureBytes(target))
            #expect(error?.description == "\(server.url(zipPath(target))): sha256 \(sha256Hex(bad)) does not match CHECKSUM \(expected)")
            #expect(server.requests(at: zipPath(target)) == 2)
            #expect(server.requests(at: checksumPath(target)) == 2)
            #expect(!FileSystem.exists(cache.layout.archive(target)))
            #expect(!FileSystem.exists(cache.layout.missingList(btc)))
            try expectNothingUnverified(cache, server)

            // the verified files stay: the rerun fetches only what is missing
            let kept = cache.archiveFiles().filter { $0.hasSuffix(".zip") }.count
            server.resetCounts()
            let reports = try await downloader(cache, server).run()
            #expect(reports[btc]?.cached == kept)
            #expect(reports[btc]?.fetched == 40 - kept)
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("one mismatch, then the right bytes: verified")
    func mismatchOnce() async throws {
        let cache = try TemporaryCache()
        let target = file(.metrics, "2024-02-01")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            server.inject(.serve(Array("stale".utf8)), at: zipPath(target))
            let reports = try await downloader(cache, server).run()
            #expect(reports[btc]?.fetched == 40)
            #expect(server.requests(at: zipPath(target)) == 2)
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("a body cut short is retried; cut on every attempt, the run fails naming the URL", arguments: [1, Int.max])
    func truncated(_ times: Int) async throws {
        let cache = try TemporaryCache()
        let target = file(.aggTrades, "2024-01")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            server.inject(.close(afterBytes: 100), at: zipPath(target), times: times)
            if times == 1 {
                let reports = try await downloader(cache, server).run()
                #expect(reports[btc]?.fetched == 40)
                #expect(server.requests(at: zipPath(target)) == 2)
            } else {
                let error = await #expect(throws: DownloadFailed.self) { try await downloader(cache, server, attempts: 2).run() }
                #expect(error?.description.hasPrefix("\(server.url(zipPath(target))): short body (100 of \(fixtureBytes(target).count) bytes): ") == true)
                #expect(error?.description.hasSuffix("(gave up after 2 attempts)") == true)
                #expect(server.requests(at: zipPath(target)) == 2)
                #expect(!FileSystem.exists(cache.layout.archive(target)))
            }
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("a stalled body times out and is retried; stalled on every attempt, the run fails naming the URL and the timeout", arguments: [1, Int.max])
    func stalled(_ times: Int) async throws {
        let cache = try TemporaryCache()
        let target = file(.metrics, "2024-01-20")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            server.inject(.stall(afterBytes: 10), at: zipPath(target), times: times)
            // 2 s, not less: under a loaded machine (swift test runs suites in parallel) a healthy
            // file's body can pause for a few hundred milliseconds, and must not be taken for a stall.
            let run = try downloader(cache, server, attempts: 2, timeout: .seconds(2))
            if times == 1 {
                let reports = try await run.run()
                #expect(reports[btc]?.fetched == 40)
            } else {
                let error = await #expect(throws: DownloadFailed.self) { try await run.run() }
                let size = fixtureBytes(target).count
                #expect(error?.description == "\(server.url(zipPath(target))): no data for 2 s (read timeout) after 10 of \(size) bytes (gave up after 2 attempts)")
                #expect(!FileSystem.exists(cache.layout.archive(target)))
            }
            #expect(server.requests(at: zipPath(target)) == 2)
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("a CHECKSUM that names another file ends the run naming its URL")
    func checksumForAnotherFile() async throws {
        let cache = try TemporaryCache()
        let target = file(.metrics, "2024-01-02")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            server.put(checksumPath(target), Array("\(sha256Hex(fixtureBytes(target)))  BTCUSDT-metrics-2024-01-03.zip\n".utf8))
            let error = await #expect(throws: DownloadFailed.self) { try await downloader(cache, server).run() }
            #expect(error?.description == "\(server.url(checksumPath(target))): CHECKSUM is for 'BTCUSDT-metrics-2024-01-03.zip', expected '\(target.zipName)'")
            #expect(server.requests(at: zipPath(target)) == 0)
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("--refresh re-reads every CHECKSUM and fetches again only what was re-published")
    func refresh() async throws {
        let cache = try TemporaryCache()
        let republished = file(.klines, "2024-02-02")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            _ = try await downloader(cache, server).run()
            server.publish(republished, bytes: fixtureBytes(republished, version: 2))
            server.resetCounts()
            let reports = try await downloader(cache, server, refresh: true).run()
            #expect(reports[btc]?.counts == SymbolReport(fetched: 1, fetchedBytes: Int64(fixtureBytes(republished, version: 2).count), unchanged: 39))
            #expect(server.totalRequests == 40 + 1)
            #expect(try FileSystem.readFile(cache.layout.archive(republished)) == fixtureBytes(republished, version: 2))
            let entry = try VerifiedFileList.read(cache.layout.fileList(btc)).entries.first { $0.file == republished }
            #expect(entry?.sha256 == sha256Hex(fixtureBytes(republished, version: 2)))
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("leftovers of a killed run: temporary files are removed, a zip without its CHECKSUM is fetched again")
    func afterKill() async throws {
        let cache = try TemporaryCache()
        let half = file(.metrics, "2024-01-05")
        let orphan = file(.metrics, "2024-01-06")
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange)
            _ = try await downloader(cache, server).run()
            // killed while streaming `half` (only its DEST.tmp exists), and between the
            // rename of `orphan` and the writing of its CHECKSUM
            try FileSystem.remove(cache.layout.archive(half))
            try FileSystem.remove(cache.layout.checksum(half))
            try FileSystem.remove(cache.layout.checksum(orphan))
            try AtomicFile.write("partial", to: cache.layout.archive(half) + ".tmp")
            #expect(FileSystem.exists(cache.layout.archive(half) + ".tmp"))
            server.resetCounts()
            let reports = try await downloader(cache, server).run()
            #expect(reports[btc]?.fetched == 2)
            #expect(server.totalRequests == 4)
            try expectNothingUnverified(cache, server)
        }
    }

    @Test("--offline makes no request: a file the last run found missing stays missing; any other absent file is named")
    func offline() async throws {
        let cache = try TemporaryCache()
        let late = file(.metrics, "2024-01-10")
        let lost = [file(.metrics, "2024-01-11"), file(.aggTrades, "2024-02-01")]
        try await ArchiveServer.with { server in
            server.publishArchive(btc, smallRange, except: [late])
            _ = try await downloader(cache, server).run()
            server.resetCounts()
            let reports = try await downloader(cache, server, offline: true).run()
            let report = try #require(reports[btc])
            #expect(report.cached == 39 && report.fetched == 0 && report.fetchedBytes == 0 && report.unchanged == 0)
            #expect(report.missing.map(\.file) == [late])

            for file in lost { try FileSystem.remove(cache.layout.archive(file)) }
            let missingBefore = try FileSystem.readText(cache.layout.missingList(btc))
            let error = await #expect(throws: DownloadFailed.self) { try await downloader(cache, server, offline: true).run() }
            #expect(error?.errors.count == 2)
            for file in lost { #expect(error?.description.contains("\(file.path): not in the cache") == true) }
            #expect(try FileSystem.readText(cache.layout.missingList(btc)) == missingBefore)
            #expect(server.totalRequests == 0)
            try expectNothingUnverified(cache, server)
        }
    }
}
