import Common
import CZlib
import Glibc

// libFuzzer target for the zip and CSV readers (`make fuzz`). Built with
// `-sanitize=fuzzer,address -parse-as-library`: libFuzzer supplies `main` and calls
// this function with each input. The invariant it checks: every input either parses
// or fails with a located error (a DataError or FileError naming the member or the
// zip); anything else, a crash, a hang or an unlocated error, is a finding.
//
// The first byte picks what the rest is: even, a whole zip file (the reader of
// directories, ZIP64 records, deflate streams, CRC-32s); odd, the text of an aggTrades
// (or, byte & 2, a metrics) CSV member stored in a well-formed zip (the CSV reader,
// headers, fields, decimals, integers, booleans, timestamps).

private let path = "/tmp/backfill-fuzz-\(getpid()).zip"
private let aggTrades = ArchiveFile(symbol: try! Symbol("BTCUSDT"), dataset: .aggTrades, period: .day(Day("2024-01-01")!))
private let metrics = ArchiveFile(symbol: try! Symbol("BTCUSDT"), dataset: .metrics, period: .day(Day("2024-01-01")!))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let mode = data[0]
    let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let file = mode & 2 == 0 ? aggTrades : metrics
    let bytes = mode & 1 == 0 ? Array(body) : storedZip(member: file.csvName, Array(body))
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    do {
        try read(file)
    } catch let error as DataError {
        precondition(!error.file.isEmpty && !error.message.isEmpty, "an error without a file: \(error)")
        if mode & 1 == 1, error.file == file.csvName { precondition(error.line != nil, "a CSV error without a line: \(error)") }
    } catch let error as FileError {
        precondition(!error.path.isEmpty, "\(error)")
    } catch {
        fatalError("unlocated error: \(error)")
    }
    return 0
}

/// Reads `file`'s member the way the stages do: every field of every line.
private func read(_ file: ArchiveFile) throws {
    let reader = try CSVReader(zipPath: path, file: file, columns: file.dataset.columns)
    try reader.forEachLine { line in
        if file.dataset == .aggTrades {
            _ = try line.integer(0, "agg_trade_id")
            _ = try line.double(1, "price") * line.double(2, "quantity")
            _ = try line.timestamp(5, "transact_time")
            _ = try line.bool(6, "is_buyer_maker")
        } else {
            _ = try line.timestamp(0, "create_time", allowText: true)
            for i in 2..<8 { _ = try line.optionalDouble(i, "column \(i + 1)") }
        }
    }
}

/// A zip holding `data` stored (not deflated) under `member`.
private func storedZip(member: String, _ data: [UInt8]) -> [UInt8] {
    let name = Array(member.utf8)
    let crc = data.withUnsafeBufferPointer { UInt32(crc32_z(0, $0.baseAddress, $0.count)) }
    var out: [UInt8] = []
    func u16(_ v: Int) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func u32(_ v: UInt32) { u16(Int(v & 0xFFFF)); u16(Int(v >> 16)) }
    u32(0x0403_4b50); u16(20); u16(0); u16(0); u16(0); u16(0); u32(crc)
    u32(UInt32(data.count)); u32(UInt32(data.count)); u16(name.count); u16(0)
    out += name + data
    let central = out.count
    u32(0x0201_4b50); u16(20); u16(20); u16(0); u16(0); u16(0); u16(0); u32(crc)
    u32(UInt32(data.count)); u32(UInt32(data.count)); u16(name.count); u16(0); u16(0); u16(0); u16(0); u32(0); u32(0)
    out += name
    let centralSize = out.count - central
    u32(0x0605_4b50); u16(0); u16(0); u16(1); u16(1); u32(UInt32(centralSize)); u32(UInt32(central)); u16(0)
    return out
}

#if !FUZZING
/// Without libFuzzer (a normal build): replays inputs, e.g. a crash file libFuzzer
/// wrote, through the same function: `fuzz-readers FILE…`.
@main
enum Replay {
    static func main() throws {
        for input in CommandLine.arguments.dropFirst() {
            let bytes = try FileSystem.readFile(input)
            _ = bytes.withUnsafeBufferPointer { fuzzReaders($0.baseAddress!, $0.count) }
            print("\(input): ok")
        }
        unlink(path)
    }
}
#endif

#if FUZZING
// SwiftPM links an executable's `main` as `<module>_main`; hand it to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("fuzz_readers_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runDriver(&argc, &argv) { data, size in fuzzReaders(data, size) }
}
#endif
