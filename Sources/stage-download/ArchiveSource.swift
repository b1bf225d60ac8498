import Common

/// What became of one planned file.
enum FetchOutcome: Sendable, Equatable {
    /// Verified under its final name. `fetchedBytes`: the size of the zip when it came
    /// over the network in this run; nil when the cache's copy still matches the
    /// published CHECKSUM.
    case verified(sha256: String, fetchedBytes: Int64?)
    /// The archive has not published it (HTTP 404): the zip's URL and the reason, as
    /// missing.csv records them.
    case notPublished(url: String, reason: String)
}

/// Where planned files come from: the archive over HTTP, or (`--offline`) the cache
/// alone.
protocol ArchiveSource: Sendable {
    /// Brings `file` into the cache, verified. `known`: the sha256 of the copy the
    /// cache already holds (`--refresh`): re-read the CHECKSUM and fetch the zip again
    /// only when the published hash changed.
    func fetch(_ file: ArchiveFile, known: String?) async throws -> FetchOutcome
}

/// `--offline`: no network. A file the cache lacks is an error, unless the last online
/// run found it not published (it is in missing.csv): then it is still missing.
struct CachedArchiveSource: ArchiveSource {
    let layout: CacheLayout
    /// The entries of the missing lists of the last online runs.
    let knownMissing: [ArchiveFile: MissingList.Entry]

    func fetch(_ file: ArchiveFile, known: String?) async throws -> FetchOutcome {
        if let known { return .verified(sha256: known, fetchedBytes: nil) }
        if let entry = knownMissing[file] { return .notPublished(url: entry.url, reason: entry.reason) }
        throw NotInCache(file: file, path: layout.archive(file))
    }
}
