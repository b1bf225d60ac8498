import ArchiveFixture
import Common
import Foundation
import Testing

/// Case 12: names that try to escape the cache are refused and nothing is written
/// outside it.
extension EndToEndTests {
    @Test("A zip whose only member is ../../NAME.csv is refused naming the zip and the member; nothing is extracted anywhere")
    func memberOutsideTheZip() async throws {
        let file = archive.file("BTCUSDT", .aggTrades, "2024-02-03")
        // the right bytes under the right name but for its `../../`: a reader that took the base
        // name, or cleaned the path, would accept it; one that extracted it would write it above the zip
        let member = "../../" + file.csvName
        try await ArchiveServer.with(files: archive.served) { server in
            server.publish(file, zip: ZipWriter.zip([.init(name: member, data: archive.archive.csv[file]!)]))
            let workspace = try Workspace()
            let result = try await makeAll(workspace, server)
            #expect(!result.succeeded, "the member is not read as \(file.csvName)")
            #expect(result.output.contains(file.zipName) && result.output.contains(member), "\(result)")
            // where `../../NAME.csv` lands from every directory a writer could start from
            let zip = workspace.layout.archive(file)
            let starts = [FileSystem.parent(of: zip), workspace.cache + "/archive", workspace.cache, workspace.root, Repository.root]
            for start in starts {
                let landing = URL(fileURLWithPath: start + "/" + member).standardized.path
                #expect(!FileSystem.exists(landing), "\(member) from \(start) was written: \(landing)")
            }
            let written = (FileManager.default.enumerator(atPath: workspace.root)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix("/" + file.csvName) || $0 == file.csvName }
            #expect(written.isEmpty, "no \(file.csvName) anywhere below the workspace: \(written)")
        }
    }

    @Test("An absolute member next to the real one is reported and ignored; the results are a clean run's")
    func absoluteMemberIsIgnored() async throws {
        let expected = try await cleanOutputs(archive)
        let file = archive.file("BTCUSDT", .aggTrades, "2024-01")
        let evil = "/tmp/backfill-evil-\(UUID().uuidString).csv"
        try await ArchiveServer.with(files: archive.served) { server in
            server.publish(file, zip: ZipWriter.zip([.init(name: evil, text: "1,2,3\n"), .init(name: file.csvName, data: archive.archive.csv[file]!)]))
            let workspace = try Workspace()
            let result = try await workspace.make(archive: archive, baseURL: server.baseURL, extra: ["QUIET="])
            try #require(result.succeeded, "\(result)")
            #expect(result.output.contains(evil), "the other member is reported")
            #expect(!FileSystem.exists(evil))
            #expect(try Outputs.of(workspace).files == expected.files)
        }
    }

    @Test("A symbol with a slash and a BASE_URL that is not http(s) are refused before anything is written")
    func hostileKnobs() async throws {
        let workspace = try Workspace()
        for (knob, message) in [("SYMBOL=../BTC", "SYMBOL"), ("SYMBOL=BTC/../../x", "SYMBOL")] {
            let result = try await workspace.make(archive: archive, baseURL: ClosedPort.url(), extra: [knob])
            #expect(!result.succeeded)
            #expect(result.output.contains(message), "\(result)")
        }
        for url in ["file:///etc", "ftp://127.0.0.1/", "127.0.0.1:8000"] {
            let result = try await workspace.make(["download"], archive: archive, baseURL: url)
            #expect(!result.succeeded)
            #expect(result.output.contains(url), "the error names the URL: \(result)")
        }
        let archived = FileSystem.exists(workspace.cache + "/archive") ? try workspace.snapshot(below: workspace.cache + "/archive") : [:]
        #expect(archived.isEmpty, "nothing was downloaded")
        #expect(!FileSystem.exists(workspace.db))
    }
}
