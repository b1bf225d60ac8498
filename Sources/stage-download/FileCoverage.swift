import Common
import Dispatch

/// The days held monthly aggTrades and klines files have no row on: what the last
/// runs recorded in `download/SYM/coverage.csv` (by sha256), and a scan of the zip for
/// a file not seen before in that version.
struct FileCoverage: Sendable {
    let layout: CacheLayout
    /// The recorded entries, by file.
    let known: [ArchiveFile: CoverageList.Entry]

    /// The recorded entries of `symbols`; an unreadable list is reported and rebuilt.
    static func recorded(_ symbols: [Symbol], in layout: CacheLayout) -> FileCoverage {
        var known: [ArchiveFile: CoverageList.Entry] = [:]
        for symbol in symbols {
            let path = layout.coverageList(symbol)
            guard FileSystem.exists(path) else { continue }
            do {
                for entry in try CoverageList.read(path).entries { known[entry.file] = entry }
            } catch {
                Log.warning("\(error); its files' days are checked again")
            }
        }
        return FileCoverage(layout: layout, known: known)
    }

    /// The recorded entry of `file` when it was made for this version of it.
    func known(_ file: ArchiveFile, sha256: String) -> CoverageList.Entry? {
        known[file].flatMap { $0.sha256 == sha256 ? $0 : nil }
    }

    /// `entry(_:sha256:)` on a Dispatch thread: a scan inflates the whole member (seconds
    /// for a month of trades), which must not hold a thread of the pool that drives
    /// the downloads in flight.
    func entryOffThePool(_ file: ArchiveFile, sha256: String) async -> CoverageList.Entry? {
        if let entry = known(file, sha256: sha256) { return entry }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: entry(file, sha256: sha256)) }
        }
    }

    /// The entry of the held `file` verified as `sha256`: recorded, or scanned now.
    /// A zip that cannot be read is reported and left to stage-flow and stage-prices,
    /// which name the error and the line; its days are then not checked (nil).
    func entry(_ file: ArchiveFile, sha256: String) -> CoverageList.Entry? {
        if let entry = known(file, sha256: sha256) { return entry }
        do {
            return CoverageList.Entry(file: file, sha256: sha256,
                                      daysWithoutRows: try CoverageList.daysWithoutRows(file, in: layout))
        } catch {
            Log.warning("\(layout.archive(file)): cannot check which days it covers: \(error)")
            return nil
        }
    }
}
