import Common
import Foundation

/// The `stage-download` executable that `swift build` / `swift test` put next to the
/// test bundle, run as a user runs it: arguments in, exit status, stdout and stderr out.
enum StageBinary {
    /// `.build/<triple>/<configuration>/stage-download`, beside the running test bundle.
    static var path: String {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = FileSystem.parent(of: bundle)
        // The bundle may be a directory (`…PackageTests.xctest/…`) on some layouts.
        while !directory.isEmpty, directory != "/", !FileSystem.exists("\(directory)/stage-download") {
            directory = FileSystem.parent(of: directory)
        }
        return "\(directory)/stage-download"
    }

    /// Runs the stage with `arguments`; stdin is empty, stderr is not a terminal,
    /// stdout and stderr each captured alone.
    static func run(_ arguments: [String]) async throws -> ProcessResult {
        try await Run.process(path, arguments, streams: .apart)
    }
}
