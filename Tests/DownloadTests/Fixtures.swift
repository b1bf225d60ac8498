@_exported import TestSupport
import ArchiveFixture
import Common
import Foundation
import Glibc
import Synchronization
import Testing
@testable import stage_download

/// A cache in a fresh temporary directory (TestSupport: removed when the tests end).
final class TemporaryCache {
    let root: String
    var layout: CacheLayout { CacheLayout(root: root) }

    init() throws {
        root = try TemporaryDirectory("backfill-download").path + "/cache"
    }

    /// Every regular file below `archive/`, as paths relative to it.
    func archiveFiles() -> [String] {
        var result: [String] = []
        func walk(_ relative: String) {
            let full = relative.isEmpty ? "\(root)/archive" : "\(root)/archive/\(relative)"
            if FileSystem.isDirectory(full) {
                for name in FileSystem.list(full) { walk(relative.isEmpty ? name : "\(relative)/\(name)") }
            } else if FileSystem.exists(full) {
                result.append(relative)
            }
        }
        walk("")
        return result.sorted()
    }
}

/// Fixture bytes for an archive file: small, distinct per file, and not a multiple of
/// any chunk size. A monthly aggTrades or klines file, whose days the download checks,
/// is a real zip with a row on every day of its month, but for `without`.
func fixtureBytes(_ file: ArchiveFile, version: Int = 1, without: Set<Day> = []) -> [UInt8] {
    guard CoverageList.checksDays(file) else {
        return Array(String(repeating: "\(file.stem) v\(version);", count: 40).utf8)
    }
    var csv = file.dataset.columns.joined(separator: ",") + "\n"
    for day in file.period.days where !without.contains(day) {
        let t = day.startMillis + 3_600_000 * 7
        csv += file.dataset == .aggTrades ? "1,\(version),1,1,1,\(t),true\n"
            : "\(t),1,1,1,\(version),1,\(t + 3_599_999),1,1,1,1,0\n"
    }
    return ZipWriter.zip([.init(name: file.csvName, text: csv)])
}

extension SymbolReport {
    /// The counts alone, to compare with a report written by hand.
    var counts: SymbolReport {
        var report = self
        report.coverage = []
        return report
    }
}

func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256Stream.hex(of: bytes)
}

func zipPath(_ file: ArchiveFile) -> String { "/data/futures/um/\(file.path)" }
func checksumPath(_ file: ArchiveFile) -> String { "/data/futures/um/\(file.checksumPath)" }

extension ArchiveServer {
    /// Publishes `file` (zip and CHECKSUM), as the archive does.
    func publish(_ file: ArchiveFile, bytes: [UInt8]? = nil) {
        let bytes = bytes ?? fixtureBytes(file)
        put(zipPath(file), bytes)
        put(checksumPath(file), Array("\(sha256Hex(bytes))  \(file.zipName)\n".utf8))
    }

    func unpublish(_ file: ArchiveFile) {
        remove(zipPath(file))
        remove(checksumPath(file))
    }

    /// Publishes what the archive holds for `range`: every file of the plan, and the
    /// daily aggTrades and klines files of the complete months too (the real archive
    /// has both), except `omitted`.
    func publishArchive(_ symbol: Symbol, _ range: ArchiveRange, except omitted: Set<ArchiveFile> = []) {
        for planned in DownloadPlan.files(symbol, range) {
            for file in [planned.file] + planned.fallback where !omitted.contains(file) { publish(file) }
        }
    }
}

/// Waits recorded instead of slept, so that backoff and Retry-After can be checked
/// without a clock.
final class SleepLog: Sendable {
    private let waits = Mutex<[Duration]>([])
    var recorded: [Duration] { waits.withLock { $0 } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] duration in waits.withLock { $0.append(duration) } }
    }
}

let btc = try! Symbol("BTC")

/// January complete (monthly files), February 1 and 2 (daily files): 40 files.
let smallRange = ArchiveRange(end: Day("2024-02-03")!, days: 3)

func file(_ dataset: Dataset, _ period: String, _ symbol: Symbol = btc) -> ArchiveFile {
    ArchiveFile(symbol: symbol, dataset: dataset, period: period.count == 7 ? .month(Month(period)!) : .day(Day(period)!))
}

/// A downloader for tests: fast backoff (recorded, not slept), a short timeout.
func downloader(_ cache: TemporaryCache, _ server: ArchiveServer, range: ArchiveRange = smallRange,
                symbols: [Symbol] = [btc], sleeps: SleepLog = SleepLog(),
                attempts: Int = 3, timeout: Duration = .seconds(10), refresh: Bool = false,
                offline: Bool = false) throws -> Downloader {
    var settings = DownloadSettings()
    settings.jobs = 4
    settings.retry = RetryPolicy(attempts: attempts, backoff: .milliseconds(1))
    settings.timeout = timeout
    settings.refresh = refresh
    settings.offline = offline
    settings.progress = .silent
    settings.sleep = sleeps.sleep
    return Downloader(symbols: symbols, range: range, layout: cache.layout, urls: try ArchiveURL(server.baseURL), settings: settings)
}

/// The invariant every test ends with: every zip under its final name with a CHECKSUM
/// beside it hashes to that CHECKSUM, which is the published one; no temporary file
/// is left.
func expectNothingUnverified(_ cache: TemporaryCache, _ server: ArchiveServer? = nil,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
    for relative in cache.archiveFiles() {
        #expect(!relative.hasSuffix(".tmp"), "temporary file left: \(relative)", sourceLocation: sourceLocation)
        guard relative.hasSuffix(".zip") else { continue }
        let zip = "\(cache.root)/archive/\(relative)"
        guard FileSystem.exists(zip + ".CHECKSUM") else { continue }
        let published = try FileSystem.readText(zip + ".CHECKSUM")
        let actual = sha256Hex(try FileSystem.readFile(zip))
        #expect(published.hasPrefix(actual + "  "), "\(relative) does not match its CHECKSUM", sourceLocation: sourceLocation)
    }
}

/// The month list of `month` as (dataset, path) pairs.
func monthList(_ cache: TemporaryCache, _ month: String, _ symbol: Symbol = btc) throws -> [String] {
    try VerifiedFileList.read(cache.layout.monthList(symbol, Month(month)!)).entries.map(\.file.path)
}
