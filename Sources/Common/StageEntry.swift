import ArgumentParser

/// `--quiet`, declared once for every stage.
public struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "No progress lines and no summary; warnings and errors still show (make: QUIET=1).")
    public var quiet = false

    public init() {}
}

/// How every stage ends: what its work threw is printed once, as
/// `stage-x: error: <message>`, and the process exits with status 1. Bad options
/// never get here: ArgumentParser prints their usage error and exits with 64.
public enum StageEntry {
    /// The exit statuses, as each stage's `--help` states them.
    public static let exitStatus = "EXIT STATUS: 0 done; 1 the work failed (the message says why, and what to do), nothing half-written; 64 bad options."

    public static func run(_ output: OutputOptions, _ body: () throws -> Void) throws {
        Log.quiet = output.quiet
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Log.error("\(error)")
            throw ExitCode.failure
        }
    }

    public static func run(_ output: OutputOptions, _ body: () async throws -> Void) async throws {
        Log.quiet = output.quiet
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Log.error("\(error)")
            throw ExitCode.failure
        }
    }
}
