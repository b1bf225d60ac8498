import Common

/// The stages `pipeline status` reports, in the order the pipeline runs them.
enum Stage: String, CaseIterable, Sendable {
    case download, flow, detect, prices, load
}

/// The Makefile's rules for one symbol, stage by stage: what each stage writes and
/// what it is made from, including the stage's binary by content (its stamp under
/// CACHE/bin: a stage rebuilt with other bytes reruns). This mirrors the Makefile;
/// when a rule there changes, change it here.
struct StageGraph: Sendable {
    let layout: CacheLayout
    let database: String
    /// Where make puts the stages' binaries (`.build/release`).
    let binaries: String
    let range: ArchiveRange

    static let series = Dimension.allCases.map(\.rawValue)

    func binary(_ stage: String) -> String { "\(binaries)/\(stage)" }
    /// The binary's sha256 as make last recorded it (the Makefile's STAMP).
    func binaryStamp(_ stage: String) -> String { "\(layout.root)/bin/\(stage).sha256" }

    /// The load's stamp, one per database path (the Makefile's LOAD_STAMP): the
    /// database's own mtime says nothing, since other programs write it too.
    var loadStamp: String {
        var absolute = database.hasPrefix("/") ? database : FileSystem.currentDirectory() + "/" + database
        absolute = Self.normalized(absolute)
        return "\(layout.root)/load/\(absolute.dropFirst().replacingOccurrences(of: "/", with: "_")).loaded"
    }

    /// `path` without `.`, `..` and repeated slashes, as make's $(abspath) gives it.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// A stage's rule: `outputs` made from `inputs` and the stage's binary.
    private func rule(_ stage: String, outputs: [String], inputs: [String]) -> MakeRule {
        MakeRule(outputs: outputs, inputs: inputs + [binaryStamp(stage)],
                 rebuilt: BinaryStamp.change(binary: binary(stage), stamp: binaryStamp(stage), show: show))
    }

    func seriesFiles(_ symbol: Symbol) -> [String] {
        Self.series.map { layout.series(symbol, $0) } + [layout.thresholds(symbol)]
    }

    /// The months the series were last joined for (`series/SYM/months.txt`): make
    /// rewrites it when the range's months change, and the join then runs again.
    func monthsFile(_ symbol: Symbol) -> String { "\(layout.series(symbol))/months.txt" }

    /// What make writes to `monthsFile` for this range: the months, space-separated.
    var monthsText: String { range.months.map { "\($0)" }.joined(separator: " ") }

    /// The symbols of the last load (`load/symbols.txt`): make rewrites it when the
    /// symbols change, and the load then runs again.
    var symbolsFile: String { "\(layout.root)/load/symbols.txt" }

    func rules(_ stage: Stage, _ symbol: Symbol) -> [MakeRule] {
        let months = range.months
        switch stage {
        case .download:
            // Always asked again (FORCE); the lists must cover the range's months.
            return [rule("stage-download", outputs: [layout.fileList(symbol)] + months.map { layout.monthList(symbol, $0) }, inputs: [])]
        case .flow:
            let parts = months.map {
                rule("stage-flow", outputs: [layout.monthPart(symbol, $0)], inputs: [layout.monthList(symbol, $0)])
            }
            let joined = rule("stage-flow", outputs: seriesFiles(symbol),
                              inputs: months.map { layout.monthPart(symbol, $0) } + [monthsFile(symbol)])
            return parts + [joined]
        case .detect:
            return [rule("stage-detect", outputs: [layout.events(symbol)], inputs: Self.series.map { layout.series(symbol, $0) })]
        case .prices:
            return [rule("stage-prices", outputs: [layout.prices(symbol)], inputs: [layout.events(symbol), layout.fileList(symbol)])]
        case .load:
            // No database at DB: make loads whatever the stamp says.
            let loaded = rule("stage-load", outputs: [loadStamp], inputs: [layout.prices(symbol), symbolsFile])
            guard FileSystem.exists(database) else {
                return [MakeRule(outputs: loaded.outputs, inputs: loaded.inputs, rebuilt: "\(database) does not exist: make loads it")]
            }
            return [loaded]
        }
    }

    /// How the report shows a path: below CACHE relative to it, anything else as given.
    func show(_ path: String) -> String {
        let prefix = layout.root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
