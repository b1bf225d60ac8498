import Common

/// The event study of one symbol and dimension: the mean cumulative return in excess of
/// every hour's, from 48 h before the event hour's close to 48 h after it (`EventPath`),
/// a line per sign with its 95 % band, against zero. Every hour is a dot whose tooltip
/// holds its numbers, and whose `data-` attributes hold them exactly as event_path.csv
/// writes them.
struct EventPathChart {
    static let width = 420.0
    static let height = 250.0

    /// The positive and the negative path of one dimension.
    let paths: [EventPath]
    let dimension: Dimension
    let symbol: Symbol

    init(paths: [EventPath], dimension: Dimension, symbol: Symbol) {
        self.paths = paths.filter { $0.dimension == dimension }
        self.dimension = dimension
        self.symbol = symbol
    }

    func render() -> String {
        var canvas = SVGCanvas(width: Self.width, height: Self.height, left: 56, right: 10, top: 44, bottom: 40)
        let c = Markup.coordinate
        let label = "\(symbol.full) \(dimension.rawValue): mean return in excess of every hour's, 48 h before to 48 h after the events"
        canvas.text(canvas.plotLeft, 14, "\(dimension.rawValue) · \(dimension.title)", className: "legend")
        var legendX = canvas.plotLeft
        for path in paths {
            let color = Palette.color(path.sign)
            let text = "\(dimension.meaning(of: path.sign)) (\(Display.fixed(Double(path.eventHours), decimals: 0)))"
            canvas.add("<rect x=\"\(c(legendX))\" y=\"24\" width=\"12\" height=\"3\" fill=\"\(color)\"/>")
            canvas.text(legendX + 16, 30, text, className: "note", fill: color)
            legendX += Double(text.count) * 5.8 + 34
        }

        var values: [Double] = [0]
        for path in paths {
            for point in path.points {
                if let excess = point.excess { values.append(excess) }
                if let band = point.band { values += [band.low, band.high] }
            }
        }
        let ticks = Ticks.nice(values.min()!, values.max()!, count: 5)
        let y = LinearScale(domain: ticks.domain, from: canvas.plotBottom, to: canvas.plotTop)
        let x = LinearScale(domain: Double(EventPath.offsets.lowerBound)...Double(EventPath.offsets.upperBound),
                            from: canvas.plotLeft, to: canvas.plotRight)
        let decimals = Display.decimals(forStep: ticks.step * 100)
        canvas.yAxis(y, ticks: ticks.values, label: { Display.fixed($0 * 100, decimals: decimals, signed: true) + "%" },
                     title: "excess return (%)")
        for offset in stride(from: EventPath.offsets.lowerBound, through: EventPath.offsets.upperBound, by: 12) {
            let px = x(Double(offset))
            if offset != 0 { canvas.line(px, canvas.plotTop, px, canvas.plotBottom, stroke: Palette.grid) }
            canvas.line(px, canvas.plotBottom, px, canvas.plotBottom + 4, stroke: Palette.axis)
            canvas.text(px, canvas.plotBottom + 16, offset == 0 ? "0" : Display.fixed(Double(offset), decimals: 0, signed: true) + "\u{202F}h",
                        anchor: "middle", className: "tick")
        }
        canvas.line(canvas.plotLeft, canvas.plotBottom, canvas.plotRight, canvas.plotBottom, stroke: Palette.axis)
        canvas.line(canvas.plotLeft, y(0), canvas.plotRight, y(0), stroke: Palette.axis, width: 1, dash: "3 3")
        canvas.line(x(0), canvas.plotTop, x(0), canvas.plotBottom, stroke: Palette.axis, width: 1)
        canvas.xTitle("hours from the event hour's close")

        guard paths.contains(where: { $0.points.contains { $0.excess != nil } }) else {
            canvas.text((canvas.plotLeft + canvas.plotRight) / 2, (canvas.plotTop + canvas.plotBottom) / 2, "no event with a close",
                        anchor: "middle", className: "empty")
            return canvas.svg(label: label)
        }
        for path in paths {
            let color = Palette.color(path.sign)
            // The band, one polygon per run of offsets that have one.
            for run in runs(path.points.filter { $0.band != nil }) {
                let upper = run.map { "\(c(x(Double($0.offset)))),\(c(y($0.band!.high)))" }
                let lower = run.reversed().map { "\(c(x(Double($0.offset)))),\(c(y($0.band!.low)))" }
                canvas.add("<polygon fill=\"\(color)\" fill-opacity=\"0.14\" stroke=\"none\" points=\"\((upper + lower).joined(separator: " "))\"/>")
            }
            for run in runs(path.points.filter { $0.excess != nil }) where run.count > 1 {
                canvas.add("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.6\" stroke-linejoin=\"round\" points=\""
                           + run.map { "\(c(x(Double($0.offset)))),\(c(y($0.excess!)))" }.joined(separator: " ") + "\"/>")
            }
            canvas.add("<g class=\"path\" data-symbol=\"\(Markup.escape(symbol.short))\" data-dimension=\"\(dimension.rawValue)\" data-sign=\"\(path.sign.rawValue)\">")
            for point in path.points {
                guard let excess = point.excess else { continue }
                canvas.add("<circle cx=\"\(c(x(Double(point.offset))))\" cy=\"\(c(y(excess)))\" r=\"1.7\" fill=\"\(color)\" "
                           + "data-offset=\"\(point.offset)\" data-events=\"\(point.events)\" data-excess=\"\(EventPathCSV.number(excess))\" "
                           + "data-low=\"\(EventPathCSV.number(point.band?.low))\" data-high=\"\(EventPathCSV.number(point.band?.high))\">"
                           + "<title>\(Markup.escape(tooltip(path, point, excess)))</title></circle>")
            }
            canvas.add("</g>")
        }
        return canvas.svg(label: label)
    }

    /// `+24 h, net buying: +0.123 % (95 %: −0.051 … +0.297 %), 87 events`
    private func tooltip(_ path: EventPath, _ point: EventPath.Point, _ excess: Double) -> String {
        let hours = point.offset == 0 ? "0 h (the event hour's close)" : Display.fixed(Double(point.offset), decimals: 0, signed: true) + "\u{202F}h"
        let band = point.band.map { " (95\u{202F}%: \(Display.percent($0.low, decimals: 3)) … \(Display.percent($0.high, decimals: 3)))" } ?? " (too few events for a band)"
        return "\(hours), \(dimension.meaning(of: path.sign)): \(Display.percent(excess, decimals: 3))\(band), \(point.events) event\(point.events == 1 ? "" : "s")"
    }

    /// The points cut where an offset is missing.
    private func runs(_ points: [EventPath.Point]) -> [[EventPath.Point]] {
        var runs: [[EventPath.Point]] = []
        for point in points {
            if let last = runs.last?.last, last.offset + 1 == point.offset {
                runs[runs.count - 1].append(point)
            } else {
                runs.append([point])
            }
        }
        return runs
    }
}
