import Common
import Foundation
import Testing

/// Every stage ends the same way: a failure of its work is one `stage-x: error: …`
/// line and exit status 1; a bad option is ArgumentParser's usage error and 64; the
/// statuses are in `--help`.
@Suite("stage entry points")
struct EntryPointTests {
    /// Each stage, with arguments that parse but give it nothing to work on (an empty cache).
    static let stages: [(String, [String])] = [
        ("stage-download", ["--offline", "--symbol", "BTC", "--end", "2024-02-01", "--days", "1"]),
        ("stage-flow", ["join", "--symbol", "BTC", "--end", "2024-02-01", "--days", "1"]),
        ("stage-detect", ["--symbol", "BTC"]),
        ("stage-prices", ["--symbol", "BTC"]),
        ("stage-load", ["--symbol", "BTC", "--db", "/dev/null/monitor.db"]),
        ("stage-report", ["--symbols", "BTC"]),
    ]

    func run(_ stage: String, _ arguments: [String]) async throws -> ProcessResult {
        try await Run.process(Repository.root + "/.build/release/" + stage, arguments)
    }

    @Test("a failure of the work: one `stage-x: error:` line, exit 1", arguments: stages.map(\.0))
    func workFails(stage: String) async throws {
        let workspace = try Workspace()
        let arguments = Self.stages.first { $0.0 == stage }!.1 + ["--cache", workspace.cache]
        let result = try await run(stage, arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.output.contains("\(stage): error: "), "\(result)")
        #expect(!result.output.contains("\nError: ") && !result.output.hasPrefix("Error: "), "not ArgumentParser's bare Error:")
        withExtendedLifetime(workspace) {}
    }

    @Test("a bad option: usage and exit 64; --help states the exit statuses", arguments: stages.map(\.0))
    func badOption(stage: String) async throws {
        let bad = try await run(stage, ["--no-such-option"])
        #expect(bad.status == 64, "\(bad)")
        let help = try await run(stage, ["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("EXIT STATUS"), "\(stage) --help")
        // the options of stage-flow and stage-download are their subcommands'
        let subcommand = ["stage-flow": "month", "stage-download": "fetch"][stage]
        var options = help
        if let subcommand { options = try await run(stage, [subcommand, "--help"]) }
        #expect(options.output.contains("--quiet"), "\(stage): --quiet, from OutputOptions")
    }
}
