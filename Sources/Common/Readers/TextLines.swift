import Glibc

/// A text file read a line at a time, in 64 KiB reads: memory holds one read and
/// the line that spans it, never the file. Lines end in `\n`; the last one may
/// not. A file that ends in `\n` has no empty line after it.
public enum TextLines {
    /// Calls `body` with each line's bytes (without its `\n`) and its 1-based number.
    public static func forEach(in path: String, _ body: ([UInt8], Int) throws -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var line: [UInt8] = []
        var number = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            // Invariant: `line` holds the bytes after the last `\n` seen so far.
            var start = 0
            while let end = chunk[start..<n].firstIndex(of: UInt8(ascii: "\n")) {
                line.append(contentsOf: chunk[start..<end])
                number += 1
                try body(line, number)
                line.removeAll(keepingCapacity: true)
                start = end + 1
            }
            line.append(contentsOf: chunk[start..<n])
        }
        if !line.isEmpty { try body(line, number + 1) }
    }

    /// The same over bytes in memory (a test's text, a file already read).
    public static func forEach(in bytes: [UInt8], _ body: ([UInt8], Int) throws -> Void) rethrows {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for (index, line) in lines.enumerated() { try body(Array(line), index + 1) }
    }
}
