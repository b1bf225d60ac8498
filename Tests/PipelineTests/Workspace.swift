import Common
import Foundation

/// The repository this test runs in: `make` runs here, with the release binaries.
enum Repository {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The stage binaries `make test` built before the tests ran; make is told
    /// (`-o`) to take them as they are, so no test ever starts a build.
    static let binaries = ["stage-download", "stage-flow", "stage-detect", "stage-prices", "stage-load", "stage-report", "demo-archive"]
        .map { ".build/release/\($0)" }
}

/// What a finished process said and how it ended.
struct ProcessResult: CustomStringConvertible {
    var status: Int32
    var output: String
    var succeeded: Bool { status == 0 }
    var description: String { "exit \(status)\n\(output)" }
}

/// A temporary directory with a cache and a database, and `make` pointed at them.
final class Workspace {
    let root: String
    var cache: String { root + "/cache" }
    var db: String { root + "/monitor.db" }
    var layout: CacheLayout { CacheLayout(root: cache) }

    init() throws {
        // make cannot take a path with spaces: a plain mkdtemp name
        var template = Array("/tmp/backfill-e2e-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw FileError(path: "/tmp", operation: "create a temporary directory", errno: errno)
        }
        root = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// The make command line of `targets` for this workspace and `archive`.
    func makeArguments(_ targets: [String], archive: TestArchive, baseURL: String, extra: [String] = []) -> [String] {
        var args = ["--no-print-directory", "-C", Repository.root]
        for binary in Repository.binaries { args += ["-o", binary] }
        args += targets
        args += ["SYMBOLS=\(archive.symbols.map(\.full).joined(separator: " "))", "SYMBOL=",
                 "END=\(archive.end)", "DAYS=\(archive.days)", "CACHE=\(cache)", "DB=\(db)",
                 "BASE_URL=\(baseURL)", "QUIET=1"]
        return args + extra
    }

    /// Runs make to the end.
    @discardableResult
    func make(_ targets: [String] = ["all"], archive: TestArchive, baseURL: String, extra: [String] = []) async throws -> ProcessResult {
        try await Run.process("/usr/bin/env", ["make"] + makeArguments(targets, archive: archive, baseURL: baseURL, extra: extra))
    }

    /// The cache's lock names the last run (pid, start, time): every run rewrites it,
    /// so before/after comparisons leave it out.
    static func isLock(_ relative: String) -> Bool { relative == "cache/lock" }

    /// Every file below the workspace with its bytes, for before/after comparisons.
    func snapshot(below path: String? = nil) throws -> [String: Data] {
        let base = path ?? root
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: base) else { return out }
        while let relative = walker.nextObject() as? String {
            let full = base + "/" + relative
            if FileSystem.isDirectory(full) || (path == nil && Self.isLock(relative)) { continue }
            out[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
        }
        return out
    }

    /// Modification times of every file, nanoseconds.
    func modificationTimes() throws -> [String: Date] {
        var out: [String: Date] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return out }
        while let relative = walker.nextObject() as? String {
            if Self.isLock(relative) { continue }
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + relative)
            out[relative] = attributes[.modificationDate] as? Date
        }
        return out
    }

    /// Temporary files left anywhere below the workspace.
    func leftoverTemporaryFiles() -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".tmp") }
    }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
}

/// Runs processes with their output captured in a file (no pipe to fill up).
enum Run {
    static func process(_ executable: String, _ arguments: [String]) async throws -> ProcessResult {
        let started = try start(executable, arguments)
        return await started.wait()
    }

    static func start(_ executable: String, _ arguments: [String]) throws -> Started {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("backfill-test-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Started(process: process, log: log, handle: handle)
    }

    final class Started: @unchecked Sendable {
        let process: Process
        let log: URL
        let handle: FileHandle

        init(process: Process, log: URL, handle: FileHandle) {
            self.process = process
            self.log = log
            self.handle = handle
        }

        /// Waits for the process to end; one still running after `timeout` (a hung
        /// make) is killed, and its result says so.
        func wait(timeout: Duration = .seconds(600)) async -> ProcessResult {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                try? handle.close()
                return ProcessResult(status: -1, output: "killed after \(timeout): " + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
            }
            try? handle.close()
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: log)
            return ProcessResult(status: process.terminationStatus, output: output)
        }
    }

    /// Pids of running processes whose command line contains every one of `parts`.
    static func pids(matching parts: [String]) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let line = String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return parts.allSatisfy(line.contains) ? pid : nil
        }
    }

    /// Waits until a process matching `parts` runs, then kills it with SIGKILL; returns
    /// whether one was found within `timeout`.
    static func killWhenRunning(_ parts: [String], timeout: Duration = .seconds(60)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let found = pids(matching: parts)
            if !found.isEmpty {
                for pid in found { kill(pid, SIGKILL) }
                return true
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    /// Pids of the running processes whose executable is `binary` (not a shell that
    /// runs it: `/proc/PID/exe`, not the command line).
    static func pids(executing binary: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/exe") else { return nil }
            return exe == binary ? pid : nil
        }
    }

    /// Kills the process running `binary` with SIGKILL as soon as `working(pid)` holds
    /// (it has begun what the test must interrupt); returns the pid killed, nil when
    /// none got there within `timeout`. Polls without sleeping: the window is short.
    static func killMidWork(_ binary: String, timeout: Duration = .seconds(60), working: (Int32) -> Bool) -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            for pid in pids(executing: binary) where working(pid) {
                kill(pid, SIGKILL)
                return pid
            }
        }
        return nil
    }

    /// The files `pid` has open.
    static func openFiles(_ pid: Int32) -> [String] {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") }
    }
}
