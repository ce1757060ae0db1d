/// A small scatter-and-line plot drawn as inline SVG for the search report: linear axes with round ticks (steps of
/// 1, 2 or 5 times a power of ten), series of points, optionally joined by a line, and a legend above the plot.
struct SVGPlot {
    /// One set of points in one colour.
    struct Series {
        var label: String
        var color: String
        var points: [(x: Double, y: Double)]
        var joined: Bool
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var width = 640.0
    var height = 300.0
    private let margin = (left: 70.0, right: 20.0, top: 48.0, bottom: 45.0)

    init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    /// The plot as an `<svg>` element.
    var svg: String {
        let all = series.flatMap(\.points)
        guard !all.isEmpty else { return "<p>\(HTMLText.escape(title)): no points yet.</p>" }
        let xAxis = Axis(all.map(\.x))
        let yAxis = Axis(all.map(\.y))
        let (x0, x1, y0, y1) = (xAxis.low, xAxis.high, yAxis.low, yAxis.high)
        let plotW = width - margin.left - margin.right
        let plotH = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { margin.top + (1 - (y - y0) / (y1 - y0)) * plotH }
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" role=\"img\">"
        out += "<title>\(HTMLText.escape(title))</title>"
        out += "<text x=\"\(fmt(margin.left))\" y=\"18\" font-weight=\"bold\">\(HTMLText.escape(title))</text>"
        out +=
            "<rect x=\"\(fmt(margin.left))\" y=\"\(fmt(margin.top))\" width=\"\(fmt(plotW))\" "
            + "height=\"\(fmt(plotH))\" fill=\"none\" stroke=\"#999\"/>"
        for x in xAxis.ticks {
            out +=
                "<text x=\"\(fmt(px(x)))\" y=\"\(fmt(height - margin.bottom + 16))\" text-anchor=\"middle\" "
                + "font-size=\"11\">\(tick(x))</text>"
        }
        for y in yAxis.ticks {
            out +=
                "<text x=\"\(fmt(margin.left - 6))\" y=\"\(fmt(py(y) + 4))\" text-anchor=\"end\" "
                + "font-size=\"11\">\(tick(y))</text>"
            out +=
                "<line x1=\"\(fmt(margin.left))\" x2=\"\(fmt(margin.left + plotW))\" y1=\"\(fmt(py(y)))\" "
                + "y2=\"\(fmt(py(y)))\" stroke=\"#eee\"/>"
        }
        out +=
            "<text x=\"\(fmt(margin.left + plotW / 2))\" y=\"\(fmt(height - 6))\" text-anchor=\"middle\" "
            + "font-size=\"12\">\(HTMLText.escape(xLabel))</text>"
        out +=
            "<text transform=\"translate(14 \(fmt(margin.top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" "
            + "font-size=\"12\">\(HTMLText.escape(yLabel))</text>"
        for (i, s) in series.enumerated() {
            if s.joined, s.points.count > 1 {
                let path = s.points.map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
                out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"/>"
            }
            for p in s.points {
                out +=
                    "<circle cx=\"\(fmt(px(p.x)))\" cy=\"\(fmt(py(p.y)))\" r=\"3\" "
                    + "fill=\"\(s.color)\"><title>\(HTMLText.escape(s.label)): \(tick(p.x)), "
                    + "\(tick(p.y))</title></circle>"
            }
            let lx = margin.left + 160 * Double(i)
            out += "<rect x=\"\(fmt(lx))\" y=\"29\" width=\"10\" height=\"10\" fill=\"\(s.color)\"/>"
            out += "<text x=\"\(fmt(lx + 15))\" y=\"38\" font-size=\"11\">\(HTMLText.escape(s.label))</text>"
        }
        return out + "</svg>"
    }

    /// An axis covering some values: round ticks and the range they span.
    private struct Axis {
        let low: Double
        let high: Double
        let ticks: [Double]

        init(_ values: [Double]) {
            var lo = values.min()!
            var hi = values.max()!
            if hi == lo {
                lo -= 1
                hi += 1
            }
            let rough = (hi - lo) / 5
            var power = 1.0
            while power * 10 <= rough { power *= 10 }
            while power > rough { power /= 10 }
            let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough }!
            low = (lo / step).rounded(.down) * step
            high = (hi / step).rounded(.up) * step
            ticks = stride(from: low, through: high + step / 2, by: step).map { $0 }
        }
    }

    private func fmt(_ v: Double) -> String { JSONWriter.formatNumber((v * 10).rounded() / 10) }

    /// A tick label with about four significant digits.
    private func tick(_ v: Double) -> String {
        let magnitude = abs(v)
        if magnitude >= 1e6 || (magnitude > 0 && magnitude < 1e-3) {
            var exponent = 0
            var mantissa = v
            while abs(mantissa) >= 10 {
                mantissa /= 10
                exponent += 1
            }
            while abs(mantissa) < 1 {
                mantissa *= 10
                exponent -= 1
            }
            return JSONWriter.formatNumber((mantissa * 100).rounded() / 100) + "e\(exponent)"
        }
        let scale = magnitude >= 100 ? 1.0 : magnitude >= 1 ? 100.0 : 10_000.0
        return JSONWriter.formatNumber((v * scale).rounded() / scale)
    }
}

/// Escaping for text placed in HTML and SVG.
enum HTMLText {
    /// `text` with &, <, > and quotes escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
