import Common
import Foundation

/// The `stage-download` executable that `swift build` / `swift test` put next to the
/// test bundle, run as a user runs it: arguments in, exit status and stderr out.
enum StageBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

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

    /// Runs the stage with `arguments`; stdin is empty, stderr is not a terminal.
    static func run(_ arguments: [String]) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Both pipes are drained while the process runs, so that it never blocks on a full pipe.
        async let stdout = drain(out)
        async let stderr = drain(err)
        let (outText, errText) = await (stdout, stderr)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: outText, stderr: errText)
    }

    private static func drain(_ pipe: Pipe) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
    }
}
