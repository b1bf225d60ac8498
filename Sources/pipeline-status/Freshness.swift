import Common

/// Whether a stage's files are what make would leave them as.
enum Freshness: Equatable, Sendable {
    case upToDate
    /// An output is older than one of its inputs, or an input is missing; why.
    case stale(String)
    /// An output does not exist; which.
    case missing(String)

    var word: String {
        switch self {
        case .upToDate: return "up to date"
        case .stale: return "stale"
        case .missing: return "missing"
        }
    }

    var reason: String? {
        switch self {
        case .upToDate: return nil
        case .stale(let why), .missing(let why): return why
        }
    }

    var isUpToDate: Bool { self == .upToDate }

    /// missing, then stale, then up to date: the state of a stage with several rules.
    private var severity: Int {
        switch self {
        case .missing: return 2
        case .stale: return 1
        case .upToDate: return 0
        }
    }

    static func worst(_ states: [Freshness]) -> Freshness {
        states.max { $0.severity < $1.severity } ?? .upToDate
    }
}

/// One rule of the Makefile: `outputs` are remade when one is absent, or older than
/// an input (make compares modification times, to the nanosecond).
struct MakeRule: Sendable {
    let outputs: [String]
    let inputs: [String]
    /// Why make would remake the outputs whatever their times (the stage's binary
    /// changed, the database is gone); nil when the times decide.
    var rebuilt: String? = nil

    /// `show` turns a path into what the report prints (relative to CACHE).
    func freshness(show: (String) -> String) -> Freshness {
        let outputTimes = outputs.map { ($0, FileSystem.modificationTime($0)) }
        let absent = outputTimes.filter { $0.1 == nil }.map(\.0)
        if let first = absent.first {
            return .missing(absent.count == 1 ? "\(show(first)) does not exist"
                                              : "\(show(first)) and \(absent.count - 1) more do not exist")
        }
        let inputTimes = inputs.map { ($0, FileSystem.modificationTime($0)) }
        let present = inputTimes.compactMap { path, time in time.map { (path, $0) } }
        if let oldest = outputTimes.min(by: { $0.1! < $1.1! }), let newest = present.max(by: { $0.1 < $1.1 }), newest.1 > oldest.1! {
            return .stale("\(show(oldest.0)) is older than \(show(newest.0))")
        }
        if let rebuilt { return .stale(rebuilt) }
        // An input make has to make first (a stamp not written yet): it will be newer.
        if let lacking = inputTimes.first(where: { $0.1 == nil }) {
            return .stale("\(show(lacking.0)) does not exist yet: make builds it, then remakes this")
        }
        return .upToDate
    }
}
