import ArgumentParser
import Common

/// What `fetch` and `universe` share: where the archive and its listing are, how many
/// files at once, how long to wait, how often to ask again, or not at all (`--offline`).
struct NetworkOptions: ParsableArguments {
    @Option(name: .customLong("base-url"), help: ArgumentHelp("Archive root, http or https (make: BASE_URL).", valueName: "url"))
    var baseURL: String = ArchiveURL.standard

    @Option(name: .customLong("list-url"), help: ArgumentHelp("The archive's S3 bucket listing: the days each symbol traded, and the universe (make: LIST_URL); default the real listing with the real archive, a mirror's own root otherwise; empty: none.", valueName: "url"))
    var listURL: String?

    @Option(help: ArgumentHelp("Files downloaded at once (make: JOBS).", valueName: "n"))
    var jobs: Int = 4

    @Option(help: ArgumentHelp("Requests per URL before a transient failure (5xx, 429, timeout, reset, short body) ends the run.", valueName: "n"))
    var attempts: Int = 5

    @Option(help: ArgumentHelp("Seconds to connect, and the longest silence while reading a response (make: TIMEOUT).", valueName: "seconds"))
    var timeout: Double = 30

    @Option(help: ArgumentHelp("Seconds to wait after the first failed attempt; doubled after each further one, with jitter.", valueName: "seconds"))
    var backoff: Double = 1

    @Flag(help: "No network: use the cache only; fail naming every planned file it lacks (make: OFFLINE=1).")
    var offline = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1, got \(attempts)") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds, got \(timeout)") }
        guard backoff >= 0, backoff.isFinite else { throw ValidationError("--backoff must be zero or more seconds, got \(backoff)") }
        do {
            _ = try ArchiveURL(baseURL)
            _ = try listing()
        } catch let error as UsageError {
            throw ValidationError(error.message)
        }
    }

    /// The listing to read: --list-url when given (empty: none); else the real archive's
    /// S3 listing for the real archive, and a mirror's own root for a mirror.
    func listing() throws -> String? {
        if let listURL { return listURL.isEmpty ? nil : try BucketLister.validated(listURL) }
        let root = try ArchiveURL(baseURL).root
        return try BucketLister.validated(root == ArchiveURL.standard ? BucketLister.standard : root)
    }

    func settings(quiet: Bool) -> DownloadSettings {
        var settings = DownloadSettings()
        settings.jobs = jobs
        settings.retry = RetryPolicy(attempts: attempts, backoff: .milliseconds(Int64(backoff * 1000)))
        settings.timeout = .milliseconds(Int64(timeout * 1000))
        settings.offline = offline
        settings.progress = .standard(quiet: quiet)
        return settings
    }
}
