import Glibc

/// Diagnostics go to stderr, data goes to files. Lines are prefixed with the stage
/// (`stage-flow: …`) so that a `make -j2` log stays readable.
public enum Log {
    nonisolated(unsafe) public static var program = CommandLine.arguments.first.map { FileSystem.basename($0) } ?? "backfill"
    nonisolated(unsafe) public static var quiet = false

    /// Progress and details; silenced by `--quiet`.
    public static func info(_ message: String) {
        guard !quiet else { return }
        write("\(program): \(message)\n")
    }

    /// The one line a stage ends with (what it wrote, how much): kept by `--quiet`, so a
    /// quiet log (QUIET=1, the manifests') still says what each stage did.
    public static func summary(_ message: String) {
        write("\(program): \(message)\n")
    }

    /// Something the user should know even with `--quiet`: a file not published, a value skipped.
    public static func warning(_ message: String) {
        write("\(program): warning: \(message)\n")
    }

    public static func error(_ message: String) {
        write("\(program): error: \(message)\n")
    }

    /// Whether stderr is a terminal, so a live progress line can redraw itself.
    public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { if errno == EINTR { continue } else { return } }
                offset += n
            }
        }
    }
}
