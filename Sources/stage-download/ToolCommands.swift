import ArgumentParser
import Common

extension StageDownload {
    /// `stage-download planned`: the plan, without a request.
    struct Planned: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "planned",
            abstract: "Print each planned file's URL and destination (tab-separated), and make no request.",
            discussion: """
                The files the plan asks for first. A monthly file the archive has not published is \
                then replaced by its month's daily files, and the days a monthly aggTrades or klines \
                file has no row on by theirs. The days a symbol traded are those its last fetch \
                recorded (download/SYM/trading.csv).
                """)

        @OptionGroup var cacheOptions: CacheOptions
        @OptionGroup var symbolOptions: SymbolOptions
        @OptionGroup var rangeOptions: RangeOptions

        @Option(name: .customLong("base-url"), help: ArgumentHelp("Archive root, http or https (make: BASE_URL).", valueName: "url"))
        var baseURL: String = ArchiveURL.standard

        func run() throws {
            let downloader = Downloader(symbols: try symbolOptions.resolved(), range: try rangeOptions.range(),
                                        layout: cacheOptions.layout, urls: try ArchiveURL(baseURL))
            let lines = downloader.plan()
            for line in lines { print("\(line.url)\t\(line.destination)") }
            let cached = lines.filter(\.cached).count
            Log.info("\(lines.count) files planned for \(downloader.range), \(cached) already in the cache; a monthly file the archive has not published is replaced by its month's daily files, and the days a monthly aggTrades or klines file has no row on by theirs")
        }
    }

    /// `stage-download hash FILE…`: the download's own hashing, for the benchmark.
    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash",
            abstract: "Print the SHA-256 of FILEs as sha256sum does, with the download's hashing (for bench/download.sh).")

        @Argument(help: "Files to hash.") var files: [String]

        func run() throws {
            for path in files { print("\(try SHA256Stream.file(path))  \(path)") }
        }
    }

    /// `stage-download days ZIP…`: the day check of monthly files, for the benchmark.
    struct Days: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "days",
            abstract: "Print the days without rows of monthly aggTrades or klines zips, as coverage.csv records them (for bench/coverage.sh).")

        @Argument(help: "Zips whose paths end in monthly/DATASET/SYM/…/NAME.zip.") var zips: [String]

        func run() throws {
            for path in zips {
                let parts = path.split(separator: "/")
                guard let start = parts.lastIndex(of: "monthly"),
                      let file = ArchiveFile(path: parts[start...].joined(separator: "/")), CoverageList.checksDays(file) else {
                    throw ValidationError("'\(path)' is not a monthly aggTrades or klines zip of the archive's layout")
                }
                let days = try CoverageList.daysWithoutRows(file, zipPath: path)
                print("\(path),\(days.map(\.description).joined(separator: " "))")
            }
        }
    }
}
