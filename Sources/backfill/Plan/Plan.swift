import Common

/// The plan of one run (issue 22: one plan, owned by Swift, scheduled by make): the
/// knobs checked, with the messages users see, and what follows from them — the
/// symbols in full (SYMBOL over SYMBOLS; `all`: the universe trading in the range,
/// then the SHARD's), the range and its months, and the artifacts of every stage.
/// `MakeInclude` writes it for the Makefile; `backfill status` reads it directly.
struct Plan: Sendable {
    let symbols: [Symbol]
    let range: ArchiveRange
    let layout: CacheLayout
    /// DB as given, and as an absolute path without `.` or `..` (make's $(abspath)).
    let database: String
    let absoluteDatabase: String
    let shard: Shard?
    /// SYMBOLS=all: the symbols come from the universe under CACHE (`make universe`).
    let universe: Bool

    /// Why the knobs make no plan: the message make stops with.
    struct Refused: Error, Equatable, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Checks `knobs`, in the order the Makefile always did, and plans. `today`: END's
    /// default; `universe`: the universe's symbols trading in a range (nil: not read yet).
    static func make(_ knobs: Knobs, today: Day, universe: (ArchiveRange) throws -> [Symbol]?) throws(Refused) -> Plan {
        let words = (knobs.symbol.isEmpty ? knobs.symbols : knobs.symbol)
            .split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        let all = words.count == 1 && words[0].uppercased() == "ALL"
        var symbols: [Symbol] = []
        if !all {
            for word in words {
                guard let symbol = try? Symbol(word) else {
                    throw Refused(message: "SYMBOL '\(word)' is not a Binance symbol: expected 2 to 20 letters or digits, like BTC, BTCUSDT or BTCUSDC (SYMBOLS=all: every one)")
                }
                if !symbols.contains(symbol) { symbols.append(symbol) }
            }
            guard !symbols.isEmpty else { throw Refused(message: "SYMBOLS is empty: name at least one symbol, like BTC, or SYMBOLS=all") }
        }
        var end = today
        if !knobs.end.isEmpty {
            guard let day = Day(knobs.end) else { throw Refused(message: "END '\(knobs.end)' is not a date YYYY-MM-DD") }
            end = day
        }
        for (name, value) in [("CACHE", knobs.cache), ("DB", knobs.db)] where value.contains(where: { $0 == " " || $0 == "\t" }) {
            throw Refused(message: "\(name) '\(value)' holds a space, which make cannot take in a file name: use a path without spaces (a symlink without spaces to the directory works)")
        }
        guard let days = Int(knobs.days), days >= 1, knobs.days.allSatisfy(\.isNumber) else {
            throw Refused(message: "DAYS '\(knobs.days)' must be a whole number of days, at least 1")
        }
        var shard: Shard?
        if !knobs.shard.isEmpty {
            do { shard = try Shard(knobs.shard) } catch { throw Refused(message: (error as? UsageError)?.message ?? "\(error)") }
        }
        let range = ArchiveRange(end: end, days: days)
        if all {
            do {
                symbols = try universe(range) ?? []
            } catch {
                throw Refused(message: "SYMBOLS=all: the universe under \(knobs.cache)/universe cannot be read (\(error)); `make universe` reads it again")
            }
        }
        if let shard { symbols = symbols.filter(shard.owns) }
        return Plan(symbols: symbols, range: range, layout: CacheLayout(root: knobs.cache), database: knobs.db,
                    absoluteDatabase: Self.absolute(knobs.db), shard: shard, universe: all)
    }

    /// `path` absolute, without `.`, `..` and repeated slashes, as make's $(abspath) gives it.
    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileSystem.currentDirectory() + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    // MARK: what the stages make, for the Makefile and for status

    /// The load's stamp, one per database path: the database's own mtime says nothing
    /// (other programs write it too).
    static func loadStamp(_ layout: CacheLayout, absoluteDatabase: String) -> String {
        "\(layout.root)/load/\(absoluteDatabase.dropFirst().replacing("/", with: "_")).loaded"
    }

    var loadStamp: String { Self.loadStamp(layout, absoluteDatabase: absoluteDatabase) }

    /// The months the series were last joined for (`series/SYM/months.txt`), and the
    /// symbols of the last report and load (`report/symbols.txt`, `load/symbols.txt`),
    /// each with the text this plan wants in it: the join, the report and the load run
    /// again when it differs.
    func stamps(_ layout: CacheLayout) -> [(path: String, text: String)] {
        let months = range.months.map(\.description).joined(separator: " ")
        let names = symbols.map(\.full).joined(separator: " ")
        return symbols.map { (layout.seriesMonths($0), months) } + [(layout.reportSymbols, names), (layout.loadSymbols, names)]
    }

    /// The stages' binary stamps (`bin/stage-X.sha256`, what make last ran each stage with)
    /// that differ from the binaries in `binaries` now: make would run those stages again.
    /// Asked by `backfill status` only (hashing the binaries costs a moment).
    func staleBinaryStamps(_ binaries: String) -> [String] {
        ["stage-download", "stage-flow", "stage-detect", "stage-prices", "stage-load", "stage-report"].filter { stage in
            let stamp = "\(layout.root)/bin/\(stage).sha256"
            guard let held = try? FileSystem.readText(stamp), let now = try? SHA256Stream.file("\(binaries)/\(stage)") else { return false }
            return held.split(separator: " ").first.map(String.init) != now
        }.map { "$(CACHE)/bin/\($0).sha256" }
    }

    /// The stamps that hold other text than the plan's (an absent one is simply made).
    var staleStamps: [String] {
        stamps(layout).enumerated().compactMap { index, stamp in
            guard let held = try? FileSystem.readText(stamp.path) else { return nil }
            return held.split(separator: "\n").first.map(String.init) ?? "" == stamp.text ? nil : index
        }.map { stamps(CacheLayout(root: "$(CACHE)"))[$0].path }
    }
}
