/// The HTML report: a summary table, the best score of every iteration (one panel per estimator, since estimators
/// score on different scales), and the final population's score against the first constraint with its Pareto front
/// (members no other member beats on both: lower constrained value and better score).
extension SearchReport {
    private static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    static func html(_ search: HybridSearch) -> String {
        let config = search.config
        var body = "<h1>llmnas search: \(HTMLText.escape(search.space.name))</h1>"
        let calls = zip(config.estimators, search.state.scores).map { "\(HTMLText.escape($0.name)): \($1.count)" }.joined(separator: ", ")
        body += "<p>\(search.state.history.count) of \(config.iterations) iterations finished; estimator calls: \(calls).</p>"
        if let best = try? search.bestJSON() {
            body += "<p>Best: <code>\(HTMLText.escape(JSONWriter.write(best)))</code></p>"
        }
        for (i, estimator) in config.estimators.enumerated() {
            let points = search.state.history.filter { $0.estimator == estimator.name }.map { (x: Double($0.iteration), y: $0.bestScore) }
            guard !points.isEmpty else { continue }
            let direction = estimator.higherIsBetter ? "higher is better" : "lower is better"
            let plot = SVGPlot(title: "Best score per iteration: \(estimator.name) (\(direction))", xLabel: "iteration",
                               yLabel: estimator.name,
                               series: [.init(label: estimator.name, color: palette[i % palette.count], points: points, joined: true)])
            body += "<figure>\(plot.svg)</figure>"
        }
        body += frontPlot(search)
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>llmnas search report</title>"
            + "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}code{word-break:break-all}</style></head><body>"
            + body + "</body></html>\n"
    }

    private static func frontPlot(_ search: HybridSearch) -> String {
        guard let constraint = search.config.constraints.first, let last = search.state.history.last,
              let estimator = search.config.estimators.first(where: { $0.name == last.estimator }) else {
            return "<p>No constraint: the final population has no axis to plot its scores against.</p>"
        }
        let members = search.scoredPopulation().map { (x: $0.member.constraintValues[0], y: $0.score) }
        let better: (Double, Double) -> Bool = estimator.higherIsBetter ? { $0 > $1 } : { $0 < $1 }
        let front = members.filter { p in
            !members.contains { q in q.x <= p.x && !better(p.y, q.y) && (q.x < p.x || better(q.y, p.y)) }
        }.sorted { $0.x < $1.x }
        let plot = SVGPlot(title: "Final population: \(last.estimator) against \(constraint.name) (max \(JSONWriter.formatNumber(constraint.maximum)))",
                           xLabel: constraint.name, yLabel: last.estimator,
                           series: [.init(label: "population", color: "#7f7f7f", points: members, joined: false),
                                    .init(label: "Pareto front", color: "#d62728", points: front, joined: true)])
        return "<figure>\(plot.svg)</figure>"
    }
}
