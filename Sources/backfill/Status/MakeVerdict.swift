import Common
import Foundation

/// What make would run for a plan, asked of make itself (`make -n`, with STATUS=1: the
/// archive is not asked again, nothing is written), so that status never restates a
/// rule of the Makefile. Each recipe line make prints that runs a stage is read for the
/// stage and the symbols (and month) it names.
struct MakeVerdict: Sendable, Equatable {
    /// One stage command make would run.
    struct Command: Sendable, Equatable {
        let stage: Stage
        let symbols: [Symbol]
        /// `month 2024-03`, `join`, or empty.
        let what: String
    }

    var commands: [Command] = []

    /// The commands of `stage` for `symbol`.
    func commands(_ stage: Stage, _ symbol: Symbol) -> [Command] {
        commands.filter { $0.stage == stage && $0.symbols.contains(symbol) }
    }

    /// `make -n all STATUS=1` with the plan's knobs, in `repository` (the Makefile's directory).
    static func ask(_ knobs: Knobs, repository: String) throws -> MakeVerdict {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["make", "-n", "--no-print-directory", "-C", repository, "all", "STATUS=1", "QUIET=1",
                             "SYMBOLS=\(knobs.symbols)", "SYMBOL=\(knobs.symbol)", "END=\(knobs.end)", "DAYS=\(knobs.days)",
                             "CACHE=\(knobs.cache)", "DB=\(knobs.db)", "SHARD=\(knobs.shard)"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw UsageError("make -n all could not plan: \(problem.split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)")")
        }
        return parse(text)
    }

    /// The stage commands in make's dry-run output.
    static func parse(_ text: String) -> MakeVerdict {
        var verdict = MakeVerdict()
        for line in text.split(separator: "\n") {
            let words = shellWords(String(line))
            guard let binary = words.first, let stage = Stage(binary: binary) else { continue }
            var symbols: [Symbol] = []
            var what: [String] = []
            var i = 1
            if i < words.count, !words[i].hasPrefix("-") { what.append(words[i]); i += 1 }
            while i < words.count {
                switch words[i] {
                case "--symbol": if i + 1 < words.count, let s = try? Symbol(words[i + 1]) { symbols.append(s) }
                case "--symbols": if i + 1 < words.count { symbols += (try? Symbol.list(words[i + 1])) ?? [] }
                case "--month": if i + 1 < words.count { what.append(words[i + 1]) }
                default: break
                }
                i += 1
            }
            verdict.commands.append(Command(stage: stage, symbols: symbols, what: what.filter { $0 != "fetch" }.joined(separator: " ")))
        }
        return verdict
    }

    /// The words of a recipe line as the shell splits them: spaces, single quotes.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = [], word = "", quoted = false, started = false
        for c in line {
            if c == "'" { quoted.toggle(); started = true; continue }
            if !quoted && (c == " " || c == "\t") {
                if started { words.append(word); word = ""; started = false }
                continue
            }
            word.append(c)
            started = true
        }
        if started { words.append(word) }
        return words
    }
}

extension Stage {
    /// The stage a binary path runs (`.build/release/stage-flow`), or nil.
    init?(binary: String) {
        guard let name = binary.split(separator: "/").last, name.hasPrefix("stage-") else { return nil }
        self.init(rawValue: String(name.dropFirst("stage-".count)))
    }
}
