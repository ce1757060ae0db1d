/// The HTML report: a summary, the best architecture as a table, the best score of every iteration (one panel per
/// estimator, since estimators score on different scales), the final population's score against the first constraint
/// with its Pareto front (members no other member beats on both: lower constrained value and better score), what the
/// cascades screened and what the refits learnt, and every trial in a table the summary links to.
extension SearchReport {
    private static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    static func html(_ search: HybridSearch) -> String {
        let config = search.config
        var body = "<h1>llmnas search: \(HTMLText.escape(search.space.name))</h1>"
        let calls = zip(config.estimators, search.state.scores).map { "\(HTMLText.escape($0.name)): \($1.count)" }
            .joined(separator: ", ")
        let trials = search.trialsJSON()["trials"]?.arrayValue ?? []
        body +=
            "<p>\(search.state.history.count) of \(config.iterations) iterations finished; estimator calls: \(calls); "
            + "<a href=\"#trials\">all \(trials.count) trials</a>.</p>"
        if let best = try? search.bestJSON() { body += bestTable(best) }
        for (i, estimator) in config.estimators.enumerated() {
            let points = search.state.history.filter { $0.estimator == estimator.name }.map {
                (x: Double($0.iteration), y: $0.bestScore)
            }
            guard !points.isEmpty else { continue }
            let direction = estimator.higherIsBetter ? "higher is better" : "lower is better"
            let plot = SVGPlot(
                title: "Best score per iteration: \(estimator.name) (\(direction))", xLabel: "iteration",
                yLabel: estimator.name,
                series: [.init(label: estimator.name, color: palette[i % palette.count], points: points, joined: true)])
            body += "<figure>\(plot.svg)</figure>"
        }
        body += frontPlot(search)
        body += cascadeTable(search) + refitTable(search)
        body += trialsTable(trials, constraints: config.constraints.map(\.name))
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>llmnas search report</title>"
            + "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto}table{border-collapse:collapse}"
            + "th,td{border:1px solid #ccc;padding:2px "
            + "6px;text-align:left}table.trials{font-size:smaller}</style></head><body>"
            + body + "</body></html>\n"
    }

    /// A value as a table cell: numbers and strings as they read, lists joined by commas.
    private static func cell(_ value: JSONValue?) -> String {
        switch value {
        case .number(let d)?: return JSONWriter.formatNumber(d)
        case .string(let text)?: return HTMLText.escape(text)
        case .bool(let b)?: return b ? "yes" : "no"
        case .array(let items)?: return items.map { cell($0) }.joined(separator: ", ")
        case nil, .null?: return ""
        default: return HTMLText.escape(JSONWriter.write(value!))
        }
    }

    /// The best architecture: its score and where it came from, its constraint values and stats, then one row per
    /// hyperparameter.
    private static func bestTable(_ best: JSONValue) -> String {
        var rows: [(String, String)] = [
            ("score", cell(best["best_score"])), ("estimator", cell(best["estimator"])),
            ("iteration", cell(best["iteration"])),
        ]
        for key in ["constraints", "stats"] {
            for (name, value) in best[key]?.objectMembers ?? [] { rows.append((name, cell(value))) }
        }
        for (name, value) in best["architecture"]?.objectMembers ?? [] { rows.append((name, cell(value))) }
        let body = rows.map { "<tr><th>\(HTMLText.escape($0.0))</th><td>\($0.1)</td></tr>" }.joined()
        return "<h2>Best architecture</h2><table class=\"best\">\(body)</table>"
    }

    /// A table with a header row and rows of cells, under a heading; nothing when there are no rows.
    private static func table(_ heading: String, _ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "" }
        let head = header.map { "<th>\(HTMLText.escape($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>" }.joined()
        return "<h2>\(HTMLText.escape(heading))</h2><table><tr>\(head)</tr>\(body)</table>"
    }

    /// One row per iteration with a cascade: the screen, the pool, the screen's new scores, the candidates kept (and
    /// how many of them for their spread).
    private static func cascadeTable(_ search: HybridSearch) -> String {
        let rows = search.state.history.compactMap { r in
            r.cascade.map {
                [
                    String(r.iteration), $0.screen, String($0.pool), String($0.screened), String($0.kept),
                    String($0.uncertain),
                    r.estimator, String(r.evaluated),
                ]
            }
        }
        return table(
            "Cascades",
            ["iteration", "screen", "pool", "screened", "kept", "of them uncertain", "estimator", "evaluated"], rows)
    }

    /// One row per refit: before which iteration, which estimator learnt whose scores, on how many rows.
    private static func refitTable(_ search: HybridSearch) -> String {
        let rows = search.state.refits.map {
            [
                String($0.iteration), $0.estimator, $0.on, String($0.labels), String($0.scores),
                JSONWriter.formatNumber($0.finalTrainLoss),
            ]
        }
        return table(
            "Refits", ["before iteration", "estimator", "learnt", "labels", "scores", "final train loss"], rows)
    }

    /// Every trial: estimator, iteration, score, parent, constraint values and the architecture's values.
    private static func trialsTable(_ trials: [JSONValue], constraints: [String]) -> String {
        let names = trials.first?["architecture"]?.objectMembers?.map(\.0) ?? []
        let header = (["estimator", "iteration", "score", "parent"] + constraints + names)
            .map { "<th>\(HTMLText.escape($0))</th>" }.joined()
        let rows = trials.map { trial -> String in
            let values =
                [cell(trial["estimator"]), cell(trial["iteration"]), cell(trial["score"]), cell(trial["parent"])]
                + constraints.map { cell(trial["constraints"]?[$0]) } + names.map { cell(trial["architecture"]?[$0]) }
            return "<tr>" + values.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }.joined()
        return "<h2 id=\"trials\">Trials</h2><details><summary>\(trials.count) architectures scored</summary>"
            + "<table class=\"trials\"><tr>\(header)</tr>\(rows)</table></details>"
    }

    private static func frontPlot(_ search: HybridSearch) -> String {
        guard let constraint = search.config.constraints.first, let last = search.state.history.last,
            let estimator = search.config.estimators.first(where: { $0.name == last.estimator })
        else {
            return "<p>No constraint: the final population has no axis to plot its scores against.</p>"
        }
        let members = search.scoredPopulation().map { (x: $0.member.constraintValues[0], y: $0.score) }
        let better: (Double, Double) -> Bool = estimator.higherIsBetter ? { $0 > $1 } : { $0 < $1 }
        let front = members.filter { p in
            !members.contains { q in q.x <= p.x && !better(p.y, q.y) && (q.x < p.x || better(q.y, p.y)) }
        }.sorted { $0.x < $1.x }
        let plot = SVGPlot(
            title:
                "Final population: \(last.estimator) against \(constraint.name) (max "
                + "\(JSONWriter.formatNumber(constraint.maximum)))",
            xLabel: constraint.name, yLabel: last.estimator,
            series: [
                .init(label: "population", color: "#7f7f7f", points: members, joined: false),
                .init(label: "Pareto front", color: "#d62728", points: front, joined: true),
            ])
        return "<figure>\(plot.svg)</figure>"
    }
}
