import Common
import Glibc
import Synchronization

/// A fresh directory under /tmp for one test, the one temporary-directory helper of
/// every test target. It is removed with everything in it when the test process
/// exits (or by `remove()`), not when the object is dropped: an optimized build may
/// end an object's life at its last use, before the last use of the paths taken
/// from it, and `make test` runs the tests optimized.
public final class TemporaryDirectory: Sendable {
    public let path: String

    /// `/tmp/<label>-XXXXXX`.
    public init(_ label: String = "backfill-test") throws {
        var template = Array("/tmp/\(label)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw FileError(path: "/tmp/\(label)-XXXXXX", operation: "create a temporary directory", errno: errno)
        }
        path = String(cString: made)
        Self.removeAtExit(path)
    }

    public var layout: CacheLayout { CacheLayout(root: path) }

    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `text` to `name` below the directory (atomically); returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try AtomicFile.write(text, to: file(name))
        return file(name)
    }

    public func write(_ text: String, to name: String) throws {
        try write(name, text)
    }

    /// Removes the directory now.
    public func remove() { Self.removeTree(path) }

    /// Removes `path` and everything below it; a missing path is fine.
    public static func removeTree(_ path: String) {
        if FileSystem.isDirectory(path) {
            for name in FileSystem.list(path) { removeTree("\(path)/\(name)") }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    private static let made = Mutex<[String]>([])

    private static func removeAtExit(_ path: String) {
        let first = made.withLock { paths in
            paths.append(path)
            return paths.count == 1
        }
        if first { atexit { TemporaryDirectory.removeAll() } }
    }

    private static func removeAll() {
        for path in made.withLock({ $0 }) { removeTree(path) }
    }
}
