import Common

/// Forward returns after the events of one dimension next to every hour's, per
/// horizon: a grey box for the baseline, a blue one for positive events and an
/// orange one for negative events. Box: 25th to 75th percentile with the median;
/// whiskers: 5th to 95th; diamond: the mean. Events beyond the whiskers are dots;
/// a group of fewer than `fewestForBox` events is all dots. The y axis spans the
/// 1st to 99th percentiles of what is drawn: a dot beyond it sits on the edge as a
/// small triangle.
struct ReturnChart {
    static let width = 500.0
    static let height = 246.0
    static let fewestForBox = 10

    /// Per horizon (`Horizon.hours`): the baseline's returns and those of the
    /// positive and negative event hours.
    let baseline: [[Double]]
    let positive: [[Double]]
    let negative: [[Double]]
    let dimension: Dimension
    let symbol: Symbol

    /// The event hours of `dimension`, each hour once over every window, split by sign.
    init(events: [PricedEvent], baseline: Baseline, dimension: Dimension, symbol: Symbol) {
        var seen = Set<Millis>()
        var positive = Array(repeating: [Double](), count: Horizon.hours.count)
        var negative = positive
        for event in events.sorted(by: { $0.triggeredAt < $1.triggeredAt }) where event.dimension == dimension {
            guard let sign = event.sign, seen.insert(event.triggeredAt).inserted else { continue }
            for (h, value) in event.forwardReturns.enumerated() {
                guard let value else { continue }
                if sign == .positive { positive[h].append(value) } else { negative[h].append(value) }
            }
        }
        self.baseline = baseline.returns
        self.positive = positive
        self.negative = negative
        self.dimension = dimension
        self.symbol = symbol
    }

    func render() -> String {
        var canvas = SVGCanvas(width: Self.width, height: Self.height, left: 58, right: 10, top: 28, bottom: 40)
        let groups = [(baseline, Palette.baseline), (positive, Palette.positive), (negative, Palette.negative)]
        let drawn = groups.flatMap { $0.0 }.filter { !$0.isEmpty }
        guard !drawn.isEmpty else {
            canvas.text(Self.width / 2, Self.height / 2, "no returns: no hour has a close N hours later", anchor: "middle", className: "empty")
            return canvas.svg(label: "\(symbol.full) \(dimension.rawValue): no forward returns")
        }
        var lo = 0.0, hi = 0.0
        for values in drawn {
            let sorted = values.sorted()
            lo = min(lo, Quantile.of(sorted: sorted, 0.01))
            hi = max(hi, Quantile.of(sorted: sorted, 0.99))
        }
        let ticks = Ticks.nice(lo, hi, count: 5)
        let y = LinearScale(domain: ticks.domain, from: canvas.plotBottom, to: canvas.plotTop)
        let decimals = Display.decimals(forStep: ticks.step * 100)
        canvas.yAxis(y, ticks: ticks.values, label: { Display.fixed($0 * 100, decimals: decimals, signed: true) + "%" },
                     title: "return after (%)")
        canvas.line(canvas.plotLeft, y(0), canvas.plotRight, y(0), stroke: Palette.axis, width: 1, dash: "3 3")
        canvas.line(canvas.plotLeft, canvas.plotBottom, canvas.plotRight, canvas.plotBottom, stroke: Palette.axis)

        let groupWidth = (canvas.plotRight - canvas.plotLeft) / Double(Horizon.hours.count)
        for (h, hours) in Horizon.hours.enumerated() {
            let left = canvas.plotLeft + Double(h) * groupWidth
            canvas.text(left + groupWidth / 2, canvas.plotBottom + 16, Display.horizon(hours), anchor: "middle", className: "tick")
            if h > 0 { canvas.line(left, canvas.plotTop, left, canvas.plotBottom, stroke: Palette.grid) }
            for (slot, (values, color)) in groups.enumerated() {
                let center = left + groupWidth * (0.22 + 0.28 * Double(slot))
                draw(values[h], at: center, width: groupWidth * 0.2, color: color, dotsOutside: slot > 0, y: y, canvas: &canvas)
            }
        }

        var legendX = canvas.plotLeft
        for (label, color) in [("every hour", Palette.baseline), ("positive", Palette.positive), ("negative", Palette.negative)] {
            canvas.add("<rect x=\"\(Markup.coordinate(legendX))\" y=\"8\" width=\"10\" height=\"10\" fill=\"\(color)\"/>")
            canvas.text(legendX + 14, 17, label, className: "legend")
            legendX += Double(label.count) * 6.4 + 30
        }
        canvas.xTitle("hours after; box 25–75 %, whiskers 5–95 %, ◆ mean")
        return canvas.svg(label: "\(symbol.full) \(dimension.rawValue): returns \(Horizon.spelled) hours after the events and after every hour")
    }

    /// One box (or a strip of dots) at `center`.
    private func draw(_ values: [Double], at center: Double, width: Double, color: String, dotsOutside: Bool,
                      y: LinearScale, canvas: inout SVGCanvas) {
        guard !values.isEmpty else { return }
        let c = Markup.coordinate
        let sorted = values.sorted()
        let mean = ReturnStatistics.mean(values)
        let top = y.from < y.to ? y.from : y.to
        let bottom = max(y.from, y.to)

        func dot(_ value: Double, _ index: Int) {
            // Spread across the box's width by the golden ratio: the same values give the same picture.
            let jitter = (Double(index) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1) - 0.5
            let px = center + jitter * width * 0.9
            let py = y(value)
            if py < top {
                canvas.add("<polygon fill=\"\(color)\" points=\"\(c(px)),\(c(top - 1)) \(c(px - 3)),\(c(top + 4)) \(c(px + 3)),\(c(top + 4))\"/>")
            } else if py > bottom {
                canvas.add("<polygon fill=\"\(color)\" points=\"\(c(px)),\(c(bottom + 1)) \(c(px - 3)),\(c(bottom - 4)) \(c(px + 3)),\(c(bottom - 4))\"/>")
            } else {
                canvas.add("<circle cx=\"\(c(px))\" cy=\"\(c(py))\" r=\"1.8\" fill=\"\(color)\" fill-opacity=\"0.55\"/>")
            }
        }

        if sorted.count < Self.fewestForBox {
            for (i, value) in sorted.enumerated() { dot(value, i) }
        } else {
            let q = [0.05, 0.25, 0.5, 0.75, 0.95].map { y(Quantile.of(sorted: sorted, $0)) }
            let half = width / 2
            canvas.line(center, q[0], center, q[1], stroke: color, width: 1.2)
            canvas.line(center, q[3], center, q[4], stroke: color, width: 1.2)
            canvas.line(center - half / 2, q[0], center + half / 2, q[0], stroke: color, width: 1.2)
            canvas.line(center - half / 2, q[4], center + half / 2, q[4], stroke: color, width: 1.2)
            canvas.add("<rect x=\"\(c(center - half))\" y=\"\(c(q[3]))\" width=\"\(c(width))\" height=\"\(c(max(q[1] - q[3], 0.5)))\" "
                       + "fill=\"\(color)\" fill-opacity=\"0.25\" stroke=\"\(color)\" stroke-width=\"1.2\"/>")
            canvas.line(center - half, q[2], center + half, q[2], stroke: color, width: 2)
            if dotsOutside {
                let low = Quantile.of(sorted: sorted, 0.05), high = Quantile.of(sorted: sorted, 0.95)
                for (i, value) in values.enumerated() where value < low || value > high { dot(value, i) }
            }
        }
        let my = y(mean)
        if my >= top && my <= bottom {
            canvas.add("<polygon fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"0.8\" points=\"\(c(center)),\(c(my - 4.5)) \(c(center + 4.5)),\(c(my)) \(c(center)),\(c(my + 4.5)) \(c(center - 4.5)),\(c(my))\"/>")
        }
    }
}
