import ArgumentParser
import Glibc

/// `--quiet`, declared once for every stage.
public struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "No progress lines: only the one summary line of the stage, warnings and errors (make: QUIET=1).")
    public var quiet = false

    public init() {}

    /// Applies the option to the stage's log.
    public func apply() { Log.quiet = quiet }
}

/// How every stage starts and ends. Bad options and `--help` are ArgumentParser's:
/// usage, then exit 64 (0 for help). A failure of the work itself is printed once as
/// `stage-x: error: <message>` and ends the process with status 1.
public enum StageEntry {
    /// The exit statuses, as each stage's `--help` states them.
    public static let exitStatus = """
        EXIT STATUS: 0 done; 1 the work failed (the message names the file, line or URL \
        and what to do; nothing is left half-written); 64 bad options.
        """

    public static func main<Command: ParsableCommand>(_: Command.Type) -> Never {
        var command = parse(Command.self)
        do { try command.run() } catch { finish(Command.self, error) }
        exit(0)
    }

    public static func mainAsync<Command: AsyncParsableCommand>(_: Command.Type) async -> Never {
        var command = parse(Command.self)
        do {
            if var async = command as? any AsyncParsableCommand { try await async.run() } else { try command.run() }
        } catch {
            finish(Command.self, error)
        }
        exit(0)
    }

    /// The command the arguments name; bad arguments and `--help` end here, ArgumentParser's way.
    private static func parse<Command: ParsableCommand>(_: Command.Type) -> any ParsableCommand {
        do { return try Command.parseAsRoot() } catch { Command.exit(withError: error) }
    }

    /// ArgumentParser's own errors (help asked for, a validation, an exit code) are
    /// its to print; anything else is the work's.
    private static func finish<Command: ParsableCommand>(_: Command.Type, _ error: any Error) -> Never {
        if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { Command.exit(withError: error) }
        Log.error("\(error)")
        exit(1)
    }
}
