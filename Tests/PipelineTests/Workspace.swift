@_exported import TestSupport
import Common
import Foundation

/// The repository this test runs in: `make` runs here, with the release binaries.
enum Repository {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The build `make test` made before the tests ran (its stamp, which make reads as a
    /// makefile); make is told (`-o`) to take it as it is, so no test ever starts a build.
    static let binaries = [".build/release/built.mk"]

    /// The file a stage's process executes, as `/proc/PID/exe` names it (symlinks
    /// resolved: .build/release is one), to find the stage's own process, not make's
    /// shell around it.
    static func executable(_ stage: String) -> String {
        URL(fileURLWithPath: root + "/.build/release/" + stage).resolvingSymlinksInPath().path
    }
}

/// A temporary directory with a cache and a database, and `make` pointed at them.
final class Workspace {
    let root: String
    var cache: String { root + "/cache" }
    var db: String { root + "/monitor.db" }
    var layout: CacheLayout { CacheLayout(root: cache) }

    init() throws {
        // make cannot take a path with spaces: a plain mkdtemp name
        root = try TemporaryDirectory("backfill-e2e").path
    }

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

    /// Every file below the workspace with its bytes, for before/after comparisons.
    func snapshot(below path: String? = nil) throws -> [String: Data] {
        let base = path ?? root
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: base) else { return out }
        while let relative = walker.nextObject() as? String {
            let full = base + "/" + relative
            if FileSystem.isDirectory(full) { continue }
            out[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
        }
        return out
    }

    /// Modification times of every file, nanoseconds.
    func modificationTimes() throws -> [String: Date] {
        var out: [String: Date] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return out }
        while let relative = walker.nextObject() as? String {
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

