import ArchiveFixture
import ArgumentParser
import Common
import Foundation

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve DIR (URL /data/futures/um/… is DIR/data/futures/um/…) on 127.0.0.1.",
        discussion: """
            Writes the port to --port-file once it listens, and stops on SIGTERM/SIGINT or \
            as soon as the process that started it is gone, so no server outlives its demo.
            """)

    @Argument(help: "Directory written by `generate`.")
    var directory: String

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port: Int = 0

    @Option(help: "File to write the port to (atomically) once the server listens.")
    var portFile: String?

    func run() async throws {
        guard FileSystem.isDirectory(directory + "/data/futures/um") else {
            throw UsageError("\(directory) holds no archive (no data/futures/um below it): run `demo-archive generate \(directory)` first")
        }
        let rest = RESTMarket(directory: directory)
        let server = try await ArchiveServer.start(directory: directory, rest: rest, port: port)
        if let portFile { try AtomicFile.write("\(server.port)\n", to: portFile) }
        Log.info("serving \(directory) at \(server.baseURL)\(rest == nil ? "" : ", and the REST API from \(directory)/rest")")
        let parent = getppid()
        while getppid() == parent {
            try await Task.sleep(for: .milliseconds(300))
        }
        await server.stop()
    }
}
