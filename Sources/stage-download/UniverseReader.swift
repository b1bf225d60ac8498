import Common
import Glibc

/// `SYMBOLS=all`: reads the universe from the archive's bucket listing and keeps it
/// under `CACHE/universe/` (`Universe`): the symbol folders under `monthly/klines/`
/// and `daily/klines/` (all pages), then for each perpetual the listing of its
/// `monthly/aggTrades/SYM/` folder (or `daily/aggTrades/SYM/` when it has no monthly
/// file yet): its months and their bytes. A listing read less than `maxAge` ago from
/// the same LIST_URL is used as it is, without a request.
///
/// The files are written only once every page was read: a listing that fails leaves
/// the previous universe as it was, and the run fails (no half universe).
struct UniverseReader: Sendable {
    let layout: CacheLayout
    let lister: BucketLister
    /// Folders listed at once.
    var jobs = 4
    /// Seconds a cached listing is trusted.
    var maxAge: Int64 = 20 * 3600

    /// What `read.txt` says: when, and from where.
    struct Stamp: Equatable {
        let readAt: Int64
        let listURL: String

        var text: String { "read_at=\(Stamp.format(readAt))\nlist_url=\(listURL)\n" }

        init(readAt: Int64, listURL: String) {
            self.readAt = readAt
            self.listURL = listURL
        }

        init?(parsing text: String) {
            var fields: [Substring: Substring] = [:]
            for line in text.split(separator: "\n") {
                guard let eq = line.firstIndex(of: "=") else { return nil }
                fields[line[..<eq]] = line[line.index(after: eq)...]
            }
            guard let at = fields["read_at"].flatMap({ Stamp.parse(String($0)) }), let url = fields["list_url"] else { return nil }
            self.init(readAt: at, listURL: String(url))
        }

        /// `2026-11-28T20:30:00Z`
        static func format(_ seconds: Int64) -> String {
            let day = Day(containing: seconds * 1000)
            let s = Int(seconds - Int64(day.daysSinceEpoch) * 86_400)
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            return "\(day)T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))Z"
        }

        static func parse(_ text: String) -> Int64? {
            let parts = text.split(separator: "T")
            guard parts.count == 2, let day = Day(String(parts[0])), parts[1].hasSuffix("Z") else { return nil }
            let clock = parts[1].dropLast().split(separator: ":").compactMap { Int64($0) }
            guard clock.count == 3 else { return nil }
            return Int64(day.daysSinceEpoch) * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
        }
    }

    /// The cached universe when it is fresh enough (or `offline`); nil otherwise.
    func cached(now: Int64, offline: Bool) throws -> (Universe, Stamp)? {
        guard let text = try? FileSystem.readText(layout.universeRead), let stamp = Stamp(parsing: text),
              FileSystem.exists(layout.universeSymbols), FileSystem.exists(layout.universeMonths) else { return nil }
        guard offline || (stamp.listURL == lister.listURL && now - stamp.readAt < maxAge && stamp.readAt <= now) else { return nil }
        return (try Universe.read(symbols: layout.universeSymbols, months: layout.universeMonths), stamp)
    }

    /// Reads the whole listing and writes the universe's files.
    func read(now: Int64, progress: Progress) async throws -> (Universe, Stamp) {
        var prefixes: [String] = []
        for frequency in ["monthly", "daily"] {
            prefixes += try await lister.list(prefix: VerifiedFileListPath.folders(frequency, .klines)).prefixes
        }
        let (symbols, skipped) = Universe.perpetuals(fromPrefixes: prefixes)
        if !skipped.isEmpty {
            progress.warning("the listing shows \(skipped.count) folder(s) that name no symbol the pipeline can process, skipped: \(skipped.prefix(10).joined(separator: " "))")
        }
        progress.add(items: symbols.count)
        var listed: [Universe.Listed] = []
        try await withThrowingTaskGroup(of: Universe.Listed.self) { group in
            var next = 0
            // Invariant: at most `jobs` folders are being listed.
            func start() {
                guard next < symbols.count else { return }
                let symbol = symbols[next]
                next += 1
                group.addTask { try await months(of: symbol) }
            }
            for _ in 0..<max(1, jobs) { start() }
            while let one = try await group.next() {
                listed.append(one)
                progress.itemFinished()
                start()
            }
        }
        let universe = Universe(listed)
        let stamp = Stamp(readAt: now, listURL: lister.listURL)
        _ = try AtomicFile.writeIfChanged(universe.monthsText, to: layout.universeMonths)
        _ = try AtomicFile.writeIfChanged(universe.symbolsText, to: layout.universeSymbols)
        try AtomicFile.write(stamp.text, to: layout.universeRead)
        return (universe, stamp)
    }

    /// The months of `symbol`'s aggTrades files, from the listing of its own folders.
    func months(of symbol: Symbol) async throws -> Universe.Listed {
        var months = Universe.months(of: symbol, in: try await lister.list(prefix: VerifiedFileListPath.files("monthly", .aggTrades, symbol)).objects)
        if months.isEmpty {
            months = Universe.months(of: symbol, in: try await lister.list(prefix: VerifiedFileListPath.files("daily", .aggTrades, symbol)).objects)
        }
        return Universe.Listed(symbol: symbol, months: months)
    }

    /// The make include of `SYMBOLS=all` for `range`: `UNIVERSE := SYM …`, rewritten only
    /// when it changes (make reads it again only then).
    static func makeInclude(_ symbols: [Symbol], range: ArchiveRange) -> String {
        "# the perpetuals the archive's listing shows trading in \(range) (stage-download --universe)\n"
            + "UNIVERSE := \(symbols.map(\.full).joined(separator: " "))\n"
    }

    static func now() -> Int64 { Int64(time(nil)) }
}
