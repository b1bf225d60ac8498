import Foundation
import Testing
import TestSupport
@testable import Common

/// The reader on zips written by other tools than this repo's ZipWriter: Info-ZIP's
/// `zip`, and Python's zipfile streaming to a pipe (data descriptors after the data,
/// sizes zero in the local header) and forcing ZIP64 extra fields. A test without its
/// tool is skipped, saying which; with CI=true it fails, naming it (`Requirement`).
@Suite("zips written by other tools")
struct ForeignZipTests {
    static let python = Requirement.tool("python3")
    static let zip = Requirement.tool("zip", hint: "Debian: zip")

    /// A CSV of `rows` lines that deflate well but not to nothing.
    static func csv(rows: Int) -> [UInt8] {
        var text = "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n"
        for i in 0..<rows {
            text += "\(i),\(42000 + i % 97).\(i % 10),0.\(100 + i % 900),\(i),\(i),\(1_704_067_200_000 + Int64(i) * 1000),\(i % 3 == 0 ? "true" : "false")\n"
        }
        return Array(text.utf8)
    }

    /// Runs `command` in a new directory holding `NAME.csv`; returns the zip it made.
    func made(by command: String, rows: Int = 50_000) async throws -> (zip: String, csv: [UInt8]) {
        let directory = try TemporaryDirectory("foreign-zip").path
        let data = Self.csv(rows: rows)
        try Data(data).write(to: URL(fileURLWithPath: directory + "/BTCUSDT-aggTrades-2024-01.csv"))
        // `sh -c SCRIPT DIR`: the script sees the directory as $0.
        let result = try await Run.process("/bin/sh", ["-c", "cd \"$0\" && " + command, directory])
        #expect(result.succeeded, "\(command): \(result)")
        return (directory + "/BTCUSDT-aggTrades-2024-01.zip", data)
    }

    func read(_ zip: String) throws -> [UInt8] {
        var out: [UInt8] = []
        try ZipMemberStream(zipPath: zip, member: "BTCUSDT-aggTrades-2024-01.csv").forEachChunk { out.append(contentsOf: $0) }
        return out
    }

    @Test("Info-ZIP's zip", .requires(zip))
    func infoZip() async throws {
        let tool = try Self.zip.path()
        let (zip, csv) = try await made(by: "\(tool) -q BTCUSDT-aggTrades-2024-01.zip BTCUSDT-aggTrades-2024-01.csv")
        #expect(try read(zip) == csv)
    }

    @Test("Python's zipfile writing to a pipe: data descriptors, sizes after the data",
          .requires(python))
    func dataDescriptors() async throws {
        let python = try Self.python.path()
        let script = """
            import sys, zipfile
            with zipfile.ZipFile(sys.stdout.buffer, 'w', zipfile.ZIP_DEFLATED) as z:
                z.write('BTCUSDT-aggTrades-2024-01.csv')
            """
        let (zip, csv) = try await made(by: "\(python) -c \"\(script)\" | cat > BTCUSDT-aggTrades-2024-01.zip")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: zip))
        #expect(bytes[6] & 0x08 != 0, "general purpose flag bit 3: a data descriptor follows the data")
        #expect(try read(zip) == csv)
    }

    @Test("Python's zipfile with a ZIP64 member", .requires(python))
    func zip64() async throws {
        let python = try Self.python.path()
        let script = """
            import zipfile
            with zipfile.ZipFile('BTCUSDT-aggTrades-2024-01.zip', 'w', zipfile.ZIP_DEFLATED) as z:
                with open('BTCUSDT-aggTrades-2024-01.csv', 'rb') as f, z.open('BTCUSDT-aggTrades-2024-01.csv', 'w', force_zip64=True) as m:
                    m.write(f.read())
            """
        let (zip, csv) = try await made(by: "\(python) -c \"\(script)\"")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: zip)))
        #expect(bytes[30 + 29 + 0] == 0x01 && bytes[30 + 29 + 1] == 0x00, "the local header carries a ZIP64 extra field")
        #expect(try read(zip) == csv)
    }
}
