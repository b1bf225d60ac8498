import ArgumentParser
import Common

@main
struct StageDetect: ParsableCommand {
    static func main() { StageEntry.main(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "stage-detect",
        abstract: "Finds the extreme hours of each symbol's series: writes CACHE/events/SYM.jsonl.",
        discussion: """
            At each point t of a series, the percentile is the share of the points in the window [t − W, t) \
            whose |score| (the value, or ln(value) for the three ratio dimensions) is strictly below the point's \
            own, once the series reaches back to t − W and the window is not empty. An event fires when that \
            percentile is at least --percentile and at least --cooldown-hours have passed since the last event \
            of the same dimension and window.
            """ + "\n\n" + StageEntry.exitStatus)

    @OptionGroup var cacheOptions: CacheOptions
    @OptionGroup var symbolOptions: SymbolOptions

    @Option(help: ArgumentHelp("Window lengths W in days, separated by commas.", valueName: "days"))
    var windows = WindowDays.standard.map(String.init).joined(separator: ",")

    @Option(help: ArgumentHelp("An event needs a percentile at least this (0 to 100).", valueName: "p"))
    var percentile: Double = 90

    @Option(help: ArgumentHelp("Hours from one event of a dimension and window to its next.", valueName: "h"))
    var cooldownHours = 1

    @Option(help: ArgumentHelp("The series to examine, separated by commas; the others need not exist.", valueName: "list"))
    var dimensions = Dimension.allCases.map(\.rawValue).joined(separator: ",")

    @OptionGroup var output: OutputOptions

    /// At most this many skipped ratio points are named per file; the rest are counted.
    static let skippedShownPerFile = 10

    mutating func validate() throws {
        do {
            _ = try windowsDays()
            _ = try Dimension.list(dimensions)
        } catch let error as UsageError {
            throw ValidationError(error.message)
        }
        guard percentile.isFinite && (0...100).contains(percentile) else {
            throw ValidationError("--percentile must be between 0 and 100, got \(percentile)")
        }
        guard cooldownHours >= 0 else {
            throw ValidationError("--cooldown-hours must be 0 or more, got \(cooldownHours)")
        }
    }

    mutating func run() throws {
        output.apply()
        let layout = cacheOptions.layout
        let windowsDays = try windowsDays()
        let dimensions = try Dimension.list(dimensions)
        for symbol in try symbolOptions.resolved() {
            let series = try Self.readSeries(of: symbol, dimensions, layout)
            let found = SymbolEvents(symbol: symbol, series: series, windowsDays: windowsDays,
                                     threshold: percentile, cooldownHours: cooldownHours)
            Self.warn(about: found.skipped)
            try EventsFile.write(found.events, to: layout.events(symbol))
            Log.summary("\(symbol): \(found.events.count) events from \(found.points) points of \(series.count) series"
                     + (found.events.isEmpty ? "" : " (\(found.counts))") + " → \(layout.events(symbol))")
        }
    }

    /// `--windows 7,30,90`: the windows `WindowDays` allows, each once.
    func windowsDays() throws -> [Int] { try WindowDays.parseList(windows) }

    /// The series of `dimensions`; each must exist.
    static func readSeries(of symbol: Symbol, _ dimensions: [Dimension], _ layout: CacheLayout) throws -> [Dimension: HourlySeries] {
        var series: [Dimension: HourlySeries] = [:]
        for dimension in dimensions {
            let path = layout.series(symbol, dimension.rawValue)
            guard FileSystem.exists(path) else {
                throw DataError(file: path, "no such series; stage-flow writes it (make flow SYMBOL=\(symbol.short)), or limit --dimensions to the series you have")
            }
            series[dimension] = try HourlySeries.read(path)
        }
        return series
    }

    /// Names each skipped ratio point, up to `skippedShownPerFile` per file, and counts the rest.
    static func warn(about skipped: [ScoredSeries.SkippedPoint]) {
        var shown: [String: Int] = [:]
        for point in skipped {
            shown[point.file, default: 0] += 1
            if shown[point.file]! <= skippedShownPerFile { Log.warning(point.description) }
        }
        for (file, count) in shown.sorted(by: { $0.key < $1.key }) where count > skippedShownPerFile {
            Log.warning("\(file): \(count - skippedShownPerFile) more non-positive ratios left out of detection")
        }
    }
}
