import Glibc
import Synchronization

/// Progress of a batch of items that carry bytes (files downloaded, months parsed),
/// on stderr:
///
/// - `.live`: one line redrawn in place with `\r` (stderr is a terminal),
///   `stage-download: BTCUSDT 12/77 files  41.3 MB  85.2 MB/s  ETA 0:03`
/// - `.periodic`: the same text as a plain line every `interval` (a log file, make -j),
/// - `.silent`: nothing (`--quiet`).
///
/// Thread-safe: workers report from any task. Messages that must appear while a live
/// line is on screen go through `note(_:)`, which clears the line and redraws it after.
public final class Progress: Sendable {
    public enum Style: Sendable, Equatable {
        case live
        case periodic(seconds: Double)
        case silent

        /// `.live` on a terminal, a line every 5 s otherwise, nothing when quiet.
        public static func standard(quiet: Bool) -> Style {
            if quiet { return .silent }
            return Log.stderrIsTerminal ? .live : .periodic(seconds: 5)
        }
    }

    private struct State {
        var total = 0
        var done = 0
        var started = 0
        /// Bytes received so far, over every item.
        var bytes: Int64 = 0
        /// Sum of the announced sizes of the started items whose size was known.
        var announcedBytes: Int64 = 0
        var itemsWithAnnouncedSize = 0
        var lastDraw: Int64 = 0
        /// Whether a live line is on screen (and must be cleared before other output).
        var lineShown = false
        /// Whether any progress line was written: only then does `finish` write the last.
        var drawn = false
    }

    public let label: String
    public let unit: String
    public let style: Style
    private let startTime: Int64
    private let state = Mutex(State())
    /// Where lines go: stderr (`Log.write`), or a test's recorder.
    private let sink: @Sendable (String) -> Void

    /// Live lines are redrawn at most this often.
    private static let liveInterval: Int64 = 100_000_000
    /// No ETA before this much time has passed: the first rates say little.
    private static let etaAfter: Int64 = 1_000_000_000

    public init(label: String, unit: String = "files", total: Int = 0, style: Style,
                sink: @escaping @Sendable (String) -> Void = { Log.write($0) }) {
        self.label = label
        self.unit = unit
        self.style = style
        self.sink = sink
        self.startTime = Self.now()
        state.withLock { $0.total = total }
    }

    /// More items joined the batch (a monthly file fell back to its daily files).
    public func add(items: Int) {
        state.withLock { $0.total += items }
    }

    /// An item started; `expectedBytes` is its announced size (Content-Length), if any.
    public func itemStarted(expectedBytes: Int64?) {
        state.withLock {
            $0.started += 1
            if let expectedBytes {
                $0.announcedBytes += expectedBytes
                $0.itemsWithAnnouncedSize += 1
            }
        }
    }

    /// Bytes received for a started item.
    public func received(bytes: Int) {
        let line: String? = state.withLock {
            $0.bytes += Int64(bytes)
            return renderIfDue(&$0)
        }
        if let line { sink(line) }
    }

    /// An item is finished (whatever its outcome).
    public func itemFinished() {
        let line: String? = state.withLock {
            $0.done += 1
            return renderIfDue(&$0)
        }
        if let line { sink(line) }
    }

    /// A message line, as `Log.info` writes it (silenced with `.silent`), without
    /// garbling a live line: the line is cleared, the message written, the line redrawn.
    public func note(_ message: String) {
        guard style != .silent else { return }
        write("\(Log.program): \(message)\n")
    }

    /// A warning, as `Log.warning` writes it: shown whatever the style.
    public func warning(_ message: String) {
        write("\(Log.program): warning: \(message)\n")
    }

    private func write(_ line: String) {
        let text: String = state.withLock {
            guard $0.lineShown else { return line }
            return "\r\u{1B}[K" + line + render($0)
        }
        sink(text)
    }

    /// The last line: the totals, and the end of the live line.
    public func finish() {
        let line: String? = state.withLock {
            guard $0.drawn else { return nil }
            let text = describe($0)
            switch style {
            case .live: $0.lineShown = false; return "\r\u{1B}[K\(Log.program): \(text)\n"
            case .periodic: return "\(Log.program): \(text)\n"
            case .silent: return nil
            }
        }
        if let line { sink(line) }
    }

    // MARK: rendering (under the lock)

    private func renderIfDue(_ s: inout State) -> String? {
        let now = Self.now()
        switch style {
        case .silent:
            return nil
        case .live:
            guard now - s.lastDraw >= Self.liveInterval else { return nil }
            s.lastDraw = now
            s.lineShown = true
            s.drawn = true
            return render(s)
        case .periodic(let seconds):
            let interval = Int64(seconds * 1e9)
            if s.lastDraw == 0 { s.lastDraw = startTime }
            guard now - s.lastDraw >= interval else { return nil }
            s.lastDraw = now
            s.drawn = true
            return "\(Log.program): \(describe(s))\n"
        }
    }

    private func render(_ s: State) -> String {
        "\r\u{1B}[K\(Log.program): \(describe(s))"
    }

    /// `BTCUSDT 12/77 files, 41.3 MB, 85.2 MB/s, ETA 0:03`
    private func describe(_ s: State) -> String {
        let elapsed = Double(Self.now() - startTime) / 1e9
        let rate = elapsed > 0 ? Double(s.bytes) / elapsed : 0
        var text = "\(label) \(s.done)/\(s.total) \(unit), \(Self.bytes(s.bytes))"
        if s.bytes > 0 { text += ", \(Self.bytes(Int64(rate)))/s" }
        if let eta = eta(s, rate: rate) { text += ", ETA \(Self.duration(eta))" }
        return text
    }

    /// Remaining bytes over the rate so far. Items not started yet are assumed as big as
    /// the average announced item: a guess, shown only once there is a rate to go by.
    private func eta(_ s: State, rate: Double) -> Double? {
        guard s.done < s.total, rate > 0, s.itemsWithAnnouncedSize > 0,
              Self.now() - startTime >= Self.etaAfter else { return nil }
        let average = Double(s.announcedBytes) / Double(s.itemsWithAnnouncedSize)
        let remaining = max(0, Double(s.announcedBytes - s.bytes)) + Double(max(0, s.total - s.started)) * average
        return remaining / rate
    }

    // MARK: formatting

    /// `812 B`, `41.3 MB`, `1.20 GB` (powers of 1000, as rates are usually read).
    public static func bytes(_ n: Int64) -> String {
        let value = Double(n)
        if value < 1000 { return "\(n) B" }
        let units = ["kB", "MB", "GB", "TB"]
        var scaled = value / 1000
        var index = 0
        while scaled >= 1000 && index < units.count - 1 {
            scaled /= 1000
            index += 1
        }
        return "\(fixed(scaled, digits: scaled < 10 ? 2 : 1)) \(units[index])"
    }

    /// `0:07`, `12:30`, `1:02:03`
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        let ss = s < 10 ? "0\(s)" : "\(s)"
        if h > 0 { return "\(h):\(m < 10 ? "0\(m)" : "\(m)"):\(ss)" }
        return "\(m):\(ss)"
    }

    static func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((value * scale).rounded())
        let whole = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        return digits == 0 ? "\(whole)" : "\(whole).\(fraction)"
    }

    /// Monotonic nanoseconds.
    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
