import Common

/// The price of a symbol over the range with the events of one dimension on it:
/// ▲ blue above the line at positive events, ▼ orange below it at negative ones, at
/// the close of the event's hour. Markers of one sign closer than `markerSpacing` pixels are
/// drawn once (a burst of hourly events reads as one mark, and the caption says
/// how many were merged).
struct PriceChart {
    static let width = 760.0
    static let height = 246.0
    static let markerSpacing = 4.0
    /// A gap in the closes longer than this breaks the line rather than bridging it.
    static let longestBridgedGap = 6 * Time.hour

    struct Marker: Equatable {
        let time: Millis
        let price: Double
        let sign: Sign
    }

    let baseline: Baseline
    let markers: [Marker]
    let dimension: Dimension?
    let symbol: Symbol

    /// The event hours of `dimension` (each hour once, over every window), with
    /// a close at the trigger and a direction.
    static func markers(_ events: [PricedEvent], _ dimension: Dimension) -> [Marker] {
        var seen = Set<Millis>()
        var markers: [Marker] = []
        for event in events.sorted(by: { $0.triggeredAt < $1.triggeredAt }) where event.dimension == dimension {
            guard let price = event.priceAtTrigger, let sign = event.sign, seen.insert(event.triggeredAt).inserted else { continue }
            markers.append(Marker(time: event.triggeredAt, price: price, sign: sign))
        }
        return markers
    }

    /// The `<svg>`, and how many markers were drawn of how many, per sign.
    func render() -> (svg: String, drawn: [Sign: (drawn: Int, of: Int)]) {
        var canvas = SVGCanvas(width: Self.width, height: Self.height, left: 66, right: 14, top: 28, bottom: 40)
        guard let span = baseline.span, let lowest = baseline.closes.min(), let highest = baseline.closes.max() else {
            canvas.text(Self.width / 2, Self.height / 2, "no hourly closes", anchor: "middle", className: "empty")
            return (canvas.svg(label: "\(symbol.full): no hourly closes"), [:])
        }
        let x = LinearScale(domain: Double(span.lowerBound)...Double(span.upperBound - Time.hour),
                            from: canvas.plotLeft, to: canvas.plotRight)
        let ticks = Ticks.nice(lowest, highest, count: 5)
        let y = LinearScale(domain: ticks.domain, from: canvas.plotBottom, to: canvas.plotTop)

        canvas.yAxis(y, ticks: ticks.values, label: { Display.price($0, step: ticks.step) }, title: "close (USDT)")
        canvas.xTimeAxis(x, span: span)
        canvas.xTitle("hour (UTC)")
        for points in lineSegments(x: x, y: y) {
            if points.count == 1 {
                canvas.add("<circle cx=\"\(points[0].0)\" cy=\"\(points[0].1)\" r=\"1\" fill=\"\(Palette.price)\"/>")
            } else {
                canvas.add("<polyline fill=\"none\" stroke=\"\(Palette.price)\" stroke-width=\"1.1\" stroke-linejoin=\"round\" points=\""
                           + points.map { "\($0.0),\($0.1)" }.joined(separator: " ") + "\"/>")
            }
        }

        var drawn: [Sign: (drawn: Int, of: Int)] = [:]
        for sign in Sign.allCases {
            let ofSign = markers.filter { $0.sign == sign }
            var lastX = -Double.infinity
            var count = 0
            for marker in ofSign {
                let mx = x(Double(marker.time))
                guard mx - lastX >= Self.markerSpacing else { continue }
                lastX = mx
                count += 1
                let my = y(marker.price)
                // ▲ above the line for positive events, ▼ below it for negative ones, as the legend says:
                // the apex points away from the line, the base lies 2 px off it.
                let points = sign == .positive
                    ? [(mx, my - 8), (mx - 3.5, my - 2), (mx + 3.5, my - 2)]
                    : [(mx, my + 8), (mx - 3.5, my + 2), (mx + 3.5, my + 2)]
                canvas.add("<polygon class=\"marker\" fill=\"\(Palette.color(sign))\" points=\""
                           + points.map { "\(Markup.coordinate($0.0)),\(Markup.coordinate($0.1))" }.joined(separator: " ") + "\"/>")
            }
            drawn[sign] = (count, ofSign.count)
        }

        if let dimension {
            var legendX = canvas.plotLeft
            for sign in Sign.allCases {
                let n = drawn[sign]?.of ?? 0
                let label = "\(sign == .positive ? "▲" : "▼") \(sign.rawValue), \(dimension.meaning(of: sign)): \(n) event hour\(n == 1 ? "" : "s")"
                canvas.text(legendX, 16, label, className: "legend", fill: Palette.color(sign))
                legendX += Double(label.count) * 6.4 + 24
            }
        }
        let what = dimension.map { "with \($0.rawValue) events" } ?? "without events"
        return (canvas.svg(label: "\(symbol.full) hourly close from \(Display.day(span.lowerBound)) to \(Display.day(span.upperBound - 1)) \(what)"), drawn)
    }

    /// The closes as polylines in pixel coordinates: one per stretch without a long
    /// gap, at most two points (the low and the high, in time order) per pixel column.
    private func lineSegments(x: LinearScale, y: LinearScale) -> [[(String, String)]] {
        var segments: [[(String, String)]] = []
        var current: [(String, String)] = []
        var column = Int.min
        var columnX = 0.0
        var low = (index: 0, value: 0.0)
        var high = (index: 0, value: 0.0)

        func flushColumn() {
            guard column != Int.min else { return }
            let ordered = low.index == high.index ? [low] : low.index < high.index ? [low, high] : [high, low]
            for point in ordered { current.append((Markup.coordinate(columnX), Markup.coordinate(y(point.value)))) }
        }

        for (i, t) in baseline.hours.enumerated() {
            let value = baseline.closes[i]
            if i > 0 && t - baseline.hours[i - 1] > Self.longestBridgedGap {
                flushColumn()
                segments.append(current)
                current = []
                column = Int.min
            }
            let px = x(Double(t))
            let c = Int(px.rounded(.down))
            if c != column {
                flushColumn()
                column = c
                columnX = px
                low = (i, value)
                high = (i, value)
            } else {
                if value < low.value { low = (i, value) }
                if value > high.value { high = (i, value) }
            }
        }
        flushColumn()
        if !current.isEmpty { segments.append(current) }
        return segments
    }
}
