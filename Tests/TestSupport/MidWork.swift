import Foundation
import Glibc

/// Catching a stage in the middle of its work, to kill it there and know that it was
/// there. The process is first stopped (SIGSTOP), so that what the test then looks at
/// (a temporary file, the database's WAL) is what the process had done at the moment
/// of the kill; only then is it killed (SIGKILL), or let go on (SIGCONT) when it had
/// already moved past the moment.
public enum MidWork {
    /// A process stopped mid-work; `kill()` or `resume()` it.
    public struct Stopped: Sendable {
        public let pid: Int32

        /// SIGKILL: the process dies where it stands.
        public func kill() { _ = Glibc.kill(pid, SIGKILL) }

        /// SIGCONT: the process goes on.
        public func resume() { _ = Glibc.kill(pid, SIGCONT) }
    }

    /// Watches for a process executing `binary` (its `/proc/PID/exe`, not a shell that
    /// runs it) and stops it as soon as `working(pid)` holds. One process is watched at
    /// a time, in a loop without sleeping (the moment can last microseconds), on a
    /// thread of its own (not one of Swift concurrency's few). Nil when no process got
    /// there before `deadline`, or while `alive` held (the make that runs it).
    public static func stop(_ binary: String, until deadline: ContinuousClock.Instant,
                            while alive: @escaping @Sendable () -> Bool = { true },
                            when working: @escaping @Sendable (Int32) -> Bool) async -> Stopped? {
        await onThread {
            while ContinuousClock.now < deadline && alive() {
                for pid in Run.pids(executing: binary) {
                    if let stopped = watch(pid, binary, deadline, working) { return stopped }
                }
            }
            return nil
        }
    }

    /// Stops the process executing `binary` at a moment when one of `directories` holds
    /// a temporary file of its own (`NAME.PID.tmp`, AtomicFile's) whose name `wanted`
    /// accepts: told by inotify the moment the file is created, it stops the process
    /// the name names, then checks that the file is still there (else lets the process
    /// go on and waits for the next). The directories must exist. Returns the stopped
    /// process and the file's path; nil when none came before `deadline` or while `alive`.
    public static func stopMidWrite(_ binary: String, in directories: [String], until deadline: ContinuousClock.Instant,
                                    while alive: @escaping @Sendable () -> Bool = { true },
                                    wanted: @escaping @Sendable (String) -> Bool) async -> (Stopped, String)? {
        await onThread {
            let fd = inotify_init1(Int32(IN_CLOEXEC))
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var watched: [Int32: String] = [:]
            for directory in directories {
                let wd = inotify_add_watch(fd, directory, UInt32(IN_CREATE))
                if wd >= 0 { watched[wd] = directory }
            }
            guard watched.count == directories.count else { return nil }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while ContinuousClock.now < deadline && alive() {
                var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&ready, 1, 20) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                guard count > 0 else { continue }
                var offset = 0
                while offset + 16 <= count {
                    let (wd, length) = buffer.withUnsafeBytes { raw in
                        (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self), Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                    }
                    let name = String(decoding: buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }, as: UTF8.self)
                    offset += 16 + length
                    guard let directory = watched[wd], wanted(name), let pid = temporaryOwner(name) else { continue }
                    Glibc.kill(pid, SIGSTOP)
                    // the name's pid is the writer's: it must be the stage's process
                    guard (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) == binary else {
                        Glibc.kill(pid, SIGCONT)
                        continue
                    }
                    guard waitUntilStopped(pid) else { continue }
                    let path = directory + "/" + name
                    if FileManager.default.fileExists(atPath: path) { return (Stopped(pid: pid), path) }
                    Glibc.kill(pid, SIGCONT)   // renamed before the stop: wait for the next one
                }
            }
            return nil
        }
    }

    /// The pid of `NAME.PID.tmp`.
    public static func temporaryOwner(_ name: String) -> Int32? {
        let parts = name.split(separator: ".")
        guard parts.count >= 3, parts.last == "tmp" else { return nil }
        return Int32(parts[parts.count - 2])
    }

    /// The names in `directory` (none when it does not exist), read with readdir: fast
    /// enough to look many times during one write of a small file.
    public static func names(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    /// Polls `working(pid)` until it holds (then stops the process and returns it) or
    /// the process is gone (nil).
    private static func watch(_ pid: Int32, _ binary: String, _ deadline: ContinuousClock.Instant,
                              _ working: (Int32) -> Bool) -> Stopped? {
        var round = 0
        while true {
            if working(pid) {
                Glibc.kill(pid, SIGSTOP)
                guard waitUntilStopped(pid) else { return nil }
                return Stopped(pid: pid)
            }
            round += 1
            // now and then: is it still that program, and is there time left?
            if round % 64 == 0 {
                if ContinuousClock.now >= deadline { return nil }
                guard (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) == binary,
                      !isZombie(pid) else { return nil }
            }
        }
    }

    /// Waits until every thread of `pid` is stopped; false when the process ended first.
    private static func waitUntilStopped(_ pid: Int32) -> Bool {
        while true {
            if isZombie(pid) { return false }
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            let states = tasks.compactMap { state("/proc/\(pid)/task/\($0)/stat") }
            if !states.isEmpty && states.allSatisfy({ $0 == "T" || $0 == "t" }) { return true }
            sched_yield()
        }
    }

    private static func isZombie(_ pid: Int32) -> Bool {
        let s = state("/proc/\(pid)/stat")
        return s == nil || s == "Z" || s == "X"
    }

    /// The state letter of a `/proc/…/stat` file (after the parenthesised name).
    private static func state(_ path: String) -> Character? {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8),
              let close = text.range(of: ") ", options: .backwards) else { return nil }
        return text[close.upperBound...].first
    }

    /// Runs `body` on a thread of its own and returns its result.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
