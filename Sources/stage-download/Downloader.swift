import AsyncHTTPClient
import Common

/// The knobs of a download, with the command line's defaults.
struct DownloadSettings: Sendable {
    /// Files fetched at once.
    var jobs = 4
    var retry = RetryPolicy(attempts: 5, backoff: .seconds(1))
    /// Connect timeout, and the longest silence while reading a response.
    var timeout: Duration = .seconds(30)
    /// Re-read every CHECKSUM and fetch again what was re-published.
    var refresh = false
    /// No network: the plan from the cache alone.
    var offline = false
    var progress: Progress.Style = .silent
    /// How to wait between attempts.
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
}

/// stage-download without the command line: plans the symbols' files, brings them
/// into the cache, and writes the lists (`DownloadLists`).
struct Downloader: Sendable {
    let symbols: [Symbol]
    let range: ArchiveRange
    let layout: CacheLayout
    let urls: ArchiveURL
    var settings = DownloadSettings()

    /// One line of `--plan`.
    struct PlanLine: Equatable, Sendable {
        let url: String
        let destination: String
        let cached: Bool
    }

    /// The files the plan asks for first, without any request. (A monthly file that
    /// turns out not to be published is then replaced by its daily files.)
    func plan() -> [PlanLine] {
        let local = LocalArchive(layout: layout)
        return symbols.flatMap { symbol in
            DownloadPlan.files(symbol, range).map {
                PlanLine(url: urls.zip($0.file), destination: layout.archive($0.file), cached: local.isPresent($0.file))
            }
        }
    }

    /// Runs the download and writes every symbol's lists. Throws DownloadFailed (and
    /// leaves the lists as they were) when a file could not be brought in.
    func run() async throws -> [Symbol: SymbolReport] {
        let local = LocalArchive(layout: layout)
        for symbol in symbols { try local.removeTemporaryFiles(symbol) }
        let progress = Progress(label: symbols.map(\.full).joined(separator: " "),
                                style: settings.offline ? .silent : settings.progress)
        let run = DownloadRun(symbols: symbols, range: range, layout: layout, jobs: settings.offline ? 1 : settings.jobs,
                              refresh: settings.refresh, stopAtFirstError: !settings.offline,
                              coverage: .recorded(symbols, in: layout))
        let reports: [Symbol: SymbolReport]
        if settings.offline {
            reports = try await run.run(CachedArchiveSource(layout: layout, knownMissing: try knownMissing()), progress: progress)
        } else {
            reports = try await HTTPClient.withHTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                                          configuration: clientConfiguration) { client in
                let source = HTTPArchiveSource(client: client, urls: urls, layout: layout, retry: settings.retry,
                                               timeout: settings.timeout, progress: progress, sleep: settings.sleep)
                return try await run.run(source, progress: progress)
            }
        }
        progress.finish()
        let lists = DownloadLists(layout: layout, range: range)
        for symbol in symbols { try lists.write(symbol, missing: reports[symbol]?.missing ?? [], coverage: reports[symbol]?.coverage ?? []) }
        return reports
    }

    var clientConfiguration: HTTPClient.Configuration {
        let timeout = HTTPArchiveSource.timeAmount(settings.timeout)
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(connect: timeout, read: timeout),
            decompression: .disabled)
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, settings.jobs))
        return configuration
    }

    /// `--offline`: what the last online runs found not published, by file.
    func knownMissing() throws -> [ArchiveFile: MissingList.Entry] {
        var known: [ArchiveFile: MissingList.Entry] = [:]
        for symbol in symbols {
            let path = layout.missingList(symbol)
            guard FileSystem.exists(path) else { continue }
            for entry in try MissingList.read(path).entries { known[entry.file] = entry }
        }
        return known
    }
}
