import Common

/// The archive as far as the cache holds it.
///
/// Invariant: a zip under its final name with its `.CHECKSUM` beside it was verified
/// against that CHECKSUM. stage-download keeps it so by renaming a verified zip into
/// place only after removing any older CHECKSUM, and writing the new CHECKSUM after
/// the rename. A zip without a CHECKSUM (a kill between the two) counts as absent and
/// is fetched again; temporary files (`*.tmp`) never count.
struct LocalArchive: Sendable {
    let layout: CacheLayout

    /// The sha256 the cached `file` was verified against, or nil when the cache does
    /// not hold it whole. Reads the small CHECKSUM file; never hashes the zip.
    func verifiedSHA256(_ file: ArchiveFile) -> String? {
        let zip = layout.archive(file)
        let checksum = layout.checksum(file)
        guard FileSystem.exists(zip), let bytes = try? FileSystem.readFile(checksum),
              let parsed = try? PublishedChecksum(parsing: bytes, expectedName: file.zipName, source: checksum)
        else { return nil }
        return parsed.sha256
    }

    func isPresent(_ file: ArchiveFile) -> Bool { verifiedSHA256(file) != nil }

    /// Whether a stage failed to read the held `file` (`HeldFile`).
    func isSuspect(_ file: ArchiveFile) -> Bool { FileSystem.exists(layout.suspect(file)) }

    /// Hashes the held `file` against the `sha256` it was verified with. When the
    /// bytes differ, removes the zip (so that it counts as absent and is fetched
    /// again) and returns false. The suspect mark, if any, is removed either way:
    /// the check it asked for is done.
    func recheck(_ file: ArchiveFile, against sha256: String) throws -> Bool {
        let zip = layout.archive(file)
        let same = try SHA256Stream.file(zip) == sha256
        if !same { try FileSystem.remove(zip) }
        try FileSystem.remove(layout.suspect(file))
        return same
    }

    /// The directories that hold `symbol`'s files.
    func directories(_ symbol: Symbol) -> [String] {
        var result: [String] = []
        for dataset in Dataset.allCases {
            for period in [Period.month(Month(year: 2000, month: 1)!), .day(Day(daysSinceEpoch: 0))] {
                let file = ArchiveFile(symbol: symbol, dataset: dataset, period: period)
                result.append(FileSystem.parent(of: layout.archive(file)))
            }
        }
        return result
    }

    /// Removes `*.tmp` left in `symbol`'s directories by a run that was killed. Only
    /// one stage-download works on a symbol at a time (make runs one rule per symbol).
    func removeTemporaryFiles(_ symbol: Symbol) throws {
        for directory in directories(symbol) {
            for name in FileSystem.list(directory) where name.hasSuffix(".tmp") {
                try FileSystem.remove("\(directory)/\(name)")
            }
        }
    }
}
