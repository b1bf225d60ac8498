import Common

/// The plan as make reads it: `$(eval $(shell backfill plan …))`. `$(shell)` turns
/// newlines into spaces, so each variable is its own `$(eval NAME := value)` on one
/// line; `$`, parentheses and `#` in a value are written `$$`, `$(open)`, `$(close)` and
/// `$(hash)`, which the Makefile defines. Paths are written below `$(CACHE)`, so that
/// they match the Makefile's pattern rules whatever the spelling of CACHE.
enum MakeInclude {
    /// The variables of `plan` (see the Makefile for how each is used).
    /// `binaries`: also the binary stamps that differ from them (`backfill status`).
    static func text(_ plan: Plan, binaries: String? = nil) -> String {
        let cache = CacheLayout(root: "$(CACHE)")
        let symbols = plan.symbols
        let months = plan.range.months
        func list(_ paths: [String]) -> String { paths.joined(separator: " ") }
        var lines: [String] = []
        lines.append("SYMS := " + list(symbols.map(\.full)))
        lines.append("MONTHS := " + list(months.map(\.description)))
        lines.append("END := \(plan.range.end)")
        lines.append("SERIES := " + list(Dimension.allCases.map(\.rawValue)))
        lines.append("PLAN_UNIVERSE := " + (plan.universe ? "1" : ""))
        lines.append("DOWNLOADS := " + list(symbols.map(cache.fileList)))
        lines.append("MONTH_LISTS := " + list(symbols.flatMap { s in months.map { cache.monthList(s, $0) } }))
        lines.append("MONTH_PARTS := " + list(symbols.flatMap { s in months.map { cache.monthPart(s, $0) } }))
        lines.append("FLOWS := " + list(symbols.map(cache.thresholds)))
        lines.append("EVENTS := " + list(symbols.map(cache.events)))
        lines.append("PRICES := " + list(symbols.map(cache.prices)))
        lines.append("LOAD_STAMP := " + Plan.loadStamp(cache, absoluteDatabase: escaped(plan.absoluteDatabase)))
        lines.append("STALE_STAMPS := " + list(plan.staleStamps + (binaries.map(plan.staleBinaryStamps) ?? [])))
        return lines.map { "$(eval \($0))" }.joined(separator: " ")
    }

    /// What make stops with when the knobs make no plan: the Makefile stops with
    /// `$(error $(PLAN_REFUSED))` (a variable: the message may hold any parenthesis).
    static func refusal(_ refused: Plan.Refused) -> String {
        "$(eval PLAN_REFUSED := \(escaped(refused.message)))"
    }

    /// `text` as an `$(eval NAME := …)` reads it literally.
    static func escaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "$": out += "$$"
            case "(": out += "$(open)"
            case ")": out += "$(close)"
            case "#": out += "$(hash)"
            default: out.append(c)
            }
        }
        return out
    }
}
