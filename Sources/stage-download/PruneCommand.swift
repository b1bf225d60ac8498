import ArgumentParser
import Common

extension StageDownload {
    /// `stage-download prune` (`make prune`): retention of the held archive.
    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Remove the held daily zips that a verified monthly zip covers; a rerun does not read them.",
            discussion: """
                For each symbol, a daily zip under CACHE/archive/daily/ (with its CHECKSUM) is removed when \
                download/SYM/files.csv (what the last fetch verified and the stages read) does not list it and \
                lists the monthly zip of its dataset and month. What stays is what a rerun reads: the monthly \
                zips, the daily ones of months not published monthly yet, and the days a monthly aggTrades or \
                klines zip has no row on. Run it after a fetch (make prune runs after nothing: run make all \
                first). Asks no server.
                """ + "\n\n" + StageEntry.exitStatus)

        @OptionGroup var cacheOptions: CacheOptions
        @OptionGroup var symbolOptions: SymbolOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            output.apply()
            let layout = cacheOptions.layout
            var removed = 0, bytes: Int64 = 0
            do {
                for symbol in try symbolOptions.resolved() {
                    for file in try Self.covered(symbol, in: layout) {
                        let zip = layout.archive(file)
                        bytes += FileSystem.fileSize(zip) ?? 0
                        for path in [zip, layout.checksum(file), layout.suspect(file)] where FileSystem.exists(path) {
                            try FileSystem.remove(path)
                        }
                        removed += 1
                    }
                }
            } catch {
                Log.error("\(error)")
                throw ExitCode.failure
            }
            Log.summary("pruned \(removed) daily zip\(removed == 1 ? "" : "s") that verified monthly zips cover (\(bytes / 1_048_576) MiB)")
        }

        /// The held daily zips of `symbol` that its files.csv does not list and whose
        /// month's monthly zip of the same dataset it does.
        static func covered(_ symbol: Symbol, in layout: CacheLayout) throws -> [ArchiveFile] {
            let listPath = layout.fileList(symbol)
            guard FileSystem.exists(listPath) else { return [] }
            let listed = Set(try VerifiedFileList.read(listPath).entries.map(\.file))
            var monthly = Set<String>()
            for file in listed where file.source == .archive {
                if case .month(let month) = file.period { monthly.insert("\(file.dataset.rawValue) \(month)") }
            }
            var result: [ArchiveFile] = []
            for dataset in Dataset.allCases {
                // The dataset's daily folder: where the daily zip of any day would be.
                let folder = FileSystem.parent(of: ArchiveFile(symbol: symbol, dataset: dataset, period: .day(Day(daysSinceEpoch: 0))).path)
                for name in FileSystem.list("\(layout.root)/archive/\(folder)").sorted() where name.hasSuffix(".zip") {
                    guard let file = ArchiveFile(path: "\(folder)/\(name)"), case .day(let day) = file.period,
                          !listed.contains(file), monthly.contains("\(dataset.rawValue) \(day.month)") else { continue }
                    result.append(file)
                }
            }
            return result
        }
    }
}
