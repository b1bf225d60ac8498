import Common

/// The stages `pipeline status` reports, in the order the pipeline runs them.
enum Stage: String, CaseIterable, Sendable {
    case download, flow, detect, prices, load
}

/// The Makefile's rules for one symbol, stage by stage: what each stage writes and
/// what it is made from, including the stage's binary (a rebuilt stage reruns).
/// This mirrors the Makefile; when a rule there changes, change it here.
struct StageGraph: Sendable {
    let layout: CacheLayout
    let database: String
    /// Where make puts the stages' binaries (`.build/release`).
    let binaries: String
    let range: ArchiveRange

    static let series = Dimension.allCases.map(\.rawValue)

    func binary(_ stage: String) -> String { "\(binaries)/\(stage)" }

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
            return [MakeRule(outputs: [layout.fileList(symbol)] + months.map { layout.monthList(symbol, $0) },
                             inputs: [binary("stage-download")])]
        case .flow:
            let parts = months.map {
                MakeRule(outputs: [layout.monthPart(symbol, $0)], inputs: [layout.monthList(symbol, $0), binary("stage-flow")])
            }
            let joined = MakeRule(outputs: seriesFiles(symbol),
                                  inputs: months.map { layout.monthPart(symbol, $0) } + [monthsFile(symbol), binary("stage-flow")])
            return parts + [joined]
        case .detect:
            return [MakeRule(outputs: [layout.events(symbol)],
                             inputs: Self.series.map { layout.series(symbol, $0) } + [binary("stage-detect")])]
        case .prices:
            return [MakeRule(outputs: [layout.prices(symbol)],
                             inputs: [layout.events(symbol), layout.fileList(symbol), binary("stage-prices")])]
        case .load:
            return [MakeRule(outputs: [database], inputs: [layout.prices(symbol), symbolsFile, binary("stage-load")])]
        }
    }

    /// How the report shows a path: below CACHE relative to it, anything else as given.
    func show(_ path: String) -> String {
        let prefix = layout.root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
