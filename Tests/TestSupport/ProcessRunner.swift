import Foundation
import Glibc

/// What a finished process said and how it ended.
public struct ProcessResult: CustomStringConvertible, Sendable {
    public var status: Int32
    /// Everything it wrote: in order when the streams were merged, else stdout then stderr.
    public var output: String
    /// Each stream alone when run with `.apart`; empty when the streams were merged.
    public var stdout = ""
    public var stderr = ""
    public var succeeded: Bool { status == 0 }
    public var description: String { "exit \(status)\n\(output)" }
}

/// Runs processes with their output captured in files (no pipe to fill up).
public enum Run {
    /// Whether stdout and stderr go to one file (their order kept) or two.
    public enum Streams: Sendable { case merged, apart }

    public static func process(_ executable: String, _ arguments: [String], streams: Streams = .merged) async throws -> ProcessResult {
        let started = try start(executable, arguments, streams: streams)
        return await started.wait()
    }

    public static func start(_ executable: String, _ arguments: [String], streams: Streams = .merged) throws -> Started {
        func logFile() throws -> (URL, FileHandle) {
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("backfill-test-\(UUID().uuidString).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            return (log, try FileHandle(forWritingTo: log))
        }
        let out = try logFile()
        let err = streams == .apart ? try logFile() : out
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = out.1
        process.standardError = err.1
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Started(process: process, logs: streams == .apart ? [out, err] : [out])
    }

    public final class Started: @unchecked Sendable {
        public let process: Process
        /// One file (merged) or two (stdout, stderr), with the handles the process writes.
        let logs: [(URL, FileHandle)]

        init(process: Process, logs: [(URL, FileHandle)]) {
            self.process = process
            self.logs = logs
        }

        /// Whether the process still runs.
        public var isRunning: Bool { process.isRunning }

        /// Waits for the process to end; one still running after `timeout` (a hung
        /// make) is killed, and its result says so.
        public func wait(timeout: Duration = .seconds(600)) async -> ProcessResult {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            let killed = process.isRunning
            if killed {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            let texts = logs.map { log, handle in
                try? handle.close()
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if !killed { try? FileManager.default.removeItem(at: log) }
                return text
            }
            var result = ProcessResult(status: killed ? -1 : process.terminationStatus, output: texts.joined())
            if texts.count == 2 { (result.stdout, result.stderr) = (texts[0], texts[1]) }
            if killed { result.output = "killed after \(timeout): " + result.output }
            return result
        }
    }

    /// Pids of running processes whose command line contains every one of `parts`.
    public static func pids(matching parts: [String]) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let line = String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return parts.allSatisfy(line.contains) ? pid : nil
        }
    }

    /// Pids of the running processes whose executable is `binary` (not a shell that
    /// runs it: `/proc/PID/exe`, not the command line).
    public static func pids(executing binary: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/exe") else { return nil }
            return exe == binary ? pid : nil
        }
    }
}
