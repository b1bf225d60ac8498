import Common

/// A linear map from data values to pixels.
struct LinearScale {
    let domain: ClosedRange<Double>
    /// Pixels for `domain.lowerBound` and `domain.upperBound` (the y axis runs downwards).
    let from: Double
    let to: Double

    func callAsFunction(_ value: Double) -> Double {
        let width = domain.upperBound - domain.lowerBound
        guard width > 0 else { return (from + to) / 2 }
        return from + (value - domain.lowerBound) / width * (to - from)
    }
}

enum Ticks {
    /// About `count` round values (1, 2 or 5 × 10^k apart) covering `lo...hi`,
    /// and the domain widened to the ticks just outside it.
    static func nice(_ lo: Double, _ hi: Double, count: Int) -> (values: [Double], step: Double, domain: ClosedRange<Double>) {
        var lo = lo, hi = hi
        if !(hi > lo) {
            let pad = lo == 0 ? 1 : lo.magnitude * 0.01
            lo -= pad
            hi += pad
        }
        let raw = (hi - lo) / Double(max(count, 1))
        var magnitude = 1.0
        while magnitude > raw { magnitude /= 10 }
        while magnitude * 10 <= raw { magnitude *= 10 }
        let normalized = raw / magnitude
        let step = (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude
        let first = (lo / step).rounded(.down)
        let last = (hi / step).rounded(.up)
        let values = stride(from: first, through: last, by: 1).map { $0 * step }
        return (values, step, (first * step)...(last * step))
    }

    /// Date ticks inside `span` at midnights (UTC): every day, 2 days, week (Mondays)
    /// or 2 weeks, or on the 1st of every 1, 2, 3, 6 or 12 months, whichever is the
    /// finest with at most `maxCount` ticks. Day ticks read `Mar 4`; month ticks
    /// read `Mar`, and `2024` on January; the first tick also names its year.
    static func time(_ span: Range<Millis>, maxCount: Int) -> [(time: Millis, label: String)] {
        let firstDay = Day(containing: span.lowerBound + Time.day - 1)
        let lastDay = Day(containing: span.upperBound - 1)
        guard firstDay <= lastDay else { return [] }
        let days = Array(firstDay...lastDay)
        for step in [1, 2, 7, 14] {
            // Mondays for weeks: day 4 after the epoch was one.
            let ticks = days.filter { ((($0.daysSinceEpoch - (step >= 7 ? 4 : 0)) % step) + step) % step == 0 }
            if ticks.count <= maxCount {
                return ticks.enumerated().map { i, day in
                    let c = day.civil
                    let label = "\(Display.monthNames[c.month - 1]) \(c.day)" + (i == 0 ? ", \(c.year)" : "")
                    return (day.startMillis, label)
                }
            }
        }
        for step in [1, 2, 3, 6, 12] {
            let ticks = days.filter { $0.civil.day == 1 && ($0.civil.month - 1) % step == 0 }
            if ticks.count <= maxCount {
                return ticks.enumerated().map { i, day in
                    let c = day.civil
                    let label = c.month == 1 ? "\(c.year)" : Display.monthNames[c.month - 1] + (i == 0 ? " \(c.year)" : "")
                    return (day.startMillis, label)
                }
            }
        }
        return []
    }
}

/// The colours of the page, one meaning each: blue and orange are the event's
/// sign, grey is every hour (the baseline).
enum Palette {
    static let positive = "#2166ac"
    static let negative = "#e66101"
    static let baseline = "#8c8c8c"
    static let price = "#333333"
    static let grid = "#e3e3e3"
    static let axis = "#555555"

    static func color(_ sign: Sign) -> String { sign == .positive ? positive : negative }
}

/// An SVG drawing with a plot area inside margins, and the axes the charts share.
/// Every text is escaped; coordinates have one decimal.
struct SVGCanvas {
    let width: Double
    let height: Double
    let plotLeft: Double
    let plotRight: Double
    let plotTop: Double
    let plotBottom: Double
    private(set) var body = ""

    init(width: Double, height: Double, left: Double, right: Double, top: Double, bottom: Double) {
        self.width = width
        self.height = height
        plotLeft = left
        plotRight = width - right
        plotTop = top
        plotBottom = height - bottom
    }

    /// Appends raw markup that the caller built from escaped parts.
    mutating func add(_ markup: String) { body += markup + "\n" }

    /// `<text>` at (x, y); `anchor` is start, middle or end.
    mutating func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start",
                       className: String? = nil, fill: String? = nil, rotate: Bool = false) {
        var attributes = "x=\"\(c(x))\" y=\"\(c(y))\" text-anchor=\"\(anchor)\""
        if let className { attributes += " class=\"\(className)\"" }
        if let fill { attributes += " fill=\"\(fill)\"" }
        if rotate { attributes += " transform=\"rotate(-90 \(c(x)) \(c(y)))\"" }
        add("<text \(attributes)>\(Markup.escape(content))</text>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width: Double = 1, dash: String? = nil) {
        add("<line x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(c(width))\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    /// A horizontal grid line and a label at each of `ticks`, and the axis title
    /// written upwards along the left edge.
    mutating func yAxis(_ scale: LinearScale, ticks: [Double], label: (Double) -> String, title: String) {
        for tick in ticks {
            let y = scale(tick)
            line(plotLeft, y, plotRight, y, stroke: Palette.grid)
            text(plotLeft - 5, y + 3.5, label(tick), anchor: "end", className: "tick")
        }
        text(12, (plotTop + plotBottom) / 2, title, anchor: "middle", className: "axis-title", rotate: true)
    }

    /// The axis title centred under the x axis's tick labels.
    mutating func xTitle(_ title: String) {
        text((plotLeft + plotRight) / 2, plotBottom + 31, title, anchor: "middle", className: "axis-title")
    }

    /// Date ticks below the plot area, with faint vertical grid lines.
    mutating func xTimeAxis(_ scale: LinearScale, span: Range<Millis>) {
        let maxCount = max(2, Int((plotRight - plotLeft) / 62))
        for tick in Ticks.time(span, maxCount: maxCount) {
            let x = scale(Double(tick.time))
            line(x, plotTop, x, plotBottom, stroke: Palette.grid)
            line(x, plotBottom, x, plotBottom + 4, stroke: Palette.axis)
            text(x, plotBottom + 16, tick.label, anchor: "middle", className: "tick")
        }
        line(plotLeft, plotBottom, plotRight, plotBottom, stroke: Palette.axis)
    }

    /// The whole `<svg>` element; `label` is what a screen reader says.
    func svg(label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(c(width))\" height=\"\(c(height))\" "
            + "viewBox=\"0 0 \(c(width)) \(c(height))\" role=\"img\" aria-label=\"\(Markup.escape(label))\">\n"
            + "<title>\(Markup.escape(label))</title>\n" + body + "</svg>"
    }

    private func c(_ x: Double) -> String { Markup.coordinate(x) }
}
