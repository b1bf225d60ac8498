import Common

/// Whether a stage's files are what make would leave them as.
enum Freshness: Equatable, Sendable {
    case upToDate
    /// make would run the stage (`make -n`); what it would run.
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
