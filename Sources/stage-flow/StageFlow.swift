import ArgumentParser
import Common
import Dispatch
import Glibc

@main
struct StageFlow: ParsableCommand {
    static func main() { StageEntry.main(Self.self) }

    static let configuration = CommandConfiguration(
        commandName: "stage-flow",
        abstract: "Turn the verified archive into six hourly series per symbol.",
        discussion: """
        Reads the zips stage-download verified (as listed in CACHE/download/SYM/months/), \
        streaming each CSV member out of its zip, and writes CACHE/series/SYM/: flow_1h \
        (net USD flow of the month's largest 5% of trades), oi_change_1h, funding_rate, \
        top_position_ratio, global_account_ratio, taker_ratio (header timestamp,value, \
        one row per hour) and thresholds.csv (month,trades,threshold).

        Each month is computed into series/SYM/months/YYYY-MM.csv on its own (`month`), \
        so that a new day's files redo only their month; `join` assembles the series. \
        Without a subcommand, both run for every month of the range.
        """ + "\n\n" + StageEntry.exitStatus,
        subcommands: [All.self, OneMonth.self, Join.self],
        defaultSubcommand: All.self
    )
}

extension StageFlow {
    struct All: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "all", abstract: "Every month of the range, then the join (the default).")

        @OptionGroup var cache: CacheOptions
        @OptionGroup var symbols: SymbolOptions
        @OptionGroup var range: RangeOptions
        @Option(help: "Months computed at once (each reads on two threads).") var jobs = 2
        @OptionGroup var inflater: InflaterOption
        @OptionGroup var output: OutputOptions

        func run() throws {
            output.apply()
            let layout = cache.layout, range = try self.range.range(), inflater = try self.inflater.kind()
            for symbol in try symbols.resolved() {
                let months = range.months
                let failures = Failures()
                let queue = DispatchQueue(label: "months", attributes: .concurrent)
                let slots = DispatchSemaphore(value: max(1, jobs))
                let group = DispatchGroup()
                for month in months {
                    slots.wait()
                    queue.async(group: group) {
                        defer { slots.signal() }
                        do {
                            let flow = MonthFlow(symbol: symbol, month: month, layout: layout, inflater: inflater)
                            try flow.compute(flow.fileList()).write(symbol, in: layout)
                        } catch {
                            failures.add(error)
                        }
                    }
                }
                group.wait()
                if let error = failures.first { throw error }
                try Join.join(symbol, range: range, layout: layout)
            }
        }
    }

    struct OneMonth: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "month", abstract: "One month's part: series/SYM/months/YYYY-MM.csv and its .threshold.csv.")

        @OptionGroup var cache: CacheOptions
        @Option(help: "The symbol, short or full.") var symbol: String
        @Option(help: "The month, YYYY-MM.") var month: String
        @OptionGroup var inflater: InflaterOption
        @OptionGroup var output: OutputOptions

        func validate() throws {
            _ = try Symbol(symbol)
            guard Month(month) != nil else { throw ValidationError("--month must be YYYY-MM, got '\(month)'") }
        }

        func run() throws {
            output.apply()
            let flow = MonthFlow(symbol: try Symbol(symbol), month: Month(month)!, layout: cache.layout,
                                 inflater: try inflater.kind())
            let part = try flow.compute(flow.fileList())
            try part.write(flow.symbol, in: cache.layout)
            Log.summary("\(flow.symbol) \(month): \(part.trades) trades, large from \(NumberFormat.shortest(part.threshold)) USD, \(part.hours.count) hours")
        }
    }

    struct Join: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "join", abstract: "The series of a symbol, from the parts of the months in range.")

        @OptionGroup var cache: CacheOptions
        @Option(help: "The symbol, short or full.") var symbol: String
        @OptionGroup var range: RangeOptions
        @OptionGroup var output: OutputOptions

        func validate() throws { _ = try Symbol(symbol) }

        func run() throws {
            output.apply()
            try Self.join(try Symbol(symbol), range: try range.range(), layout: cache.layout)
        }

        static func join(_ symbol: Symbol, range: ArchiveRange, layout: CacheLayout) throws {
            let parts = try range.months.map { try MonthPart.read(symbol, $0, in: layout) }
            let set = SeriesSet(parts: parts, range: range)
            try set.write(symbol, in: layout)
            try MonthPart.removeParts(symbol, outside: range, in: layout)
            let counts = SeriesSet.names.map { "\($0) \(set.series[$0]?.count ?? 0)" }.joined(separator: ", ")
            Log.summary("\(symbol) \(range): \(counts) hours")
        }
    }
}

/// Errors of concurrent months, first one kept.
final class Failures: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var errors: [Error] = []
    func add(_ error: Error) { lock.wait(); errors.append(error); lock.signal() }
    var first: Error? { lock.wait(); defer { lock.signal() }; return errors.first }
}
