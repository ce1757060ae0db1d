/// A search's history written for people and tools: JSON Lines or CSV (one row per iteration), or an HTML page with
/// inline SVG charts (`SearchReport+HTML.swift`). Files are written atomically.
public enum SearchReport {
    /// The formats a report can take.
    public enum Format: String, CaseIterable, Sendable {
        /// One JSON object per line per iteration.
        case jsonl
        /// A header and one row per iteration; the architecture as a JSON cell.
        case csv
        /// A standalone page: best score per iteration by estimator, and the final population against the first
        /// constraint with its Pareto front.
        case html
    }

    /// Writes the report of `search` in `format` to `path`.
    public static func write(_ search: HybridSearch, format: Format, to path: String) throws(LLMNASError) {
        let text: String
        switch format {
        case .jsonl: text = search.state.history.map { JSONWriter.write(search.record($0)) + "\n" }.joined()
        case .csv: text = csv(search)
        case .html: text = html(search)
        }
        try FileIO.writeAtomically(Array(text.utf8), to: path)
    }

    /// The format called `name`.
    public static func format(named name: String) throws(LLMNASError) -> Format {
        guard let format = Format(rawValue: name) else {
            throw LLMNASError(
                .invalidArgument,
                "report format '\(name)' is not one of \(Format.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return format
    }

    private static func csv(_ search: HybridSearch) -> String {
        let names = search.config.constraints.map(\.name)
        var out =
            ([
                "iteration", "estimator", "evaluated", "best_score", "parent_mean", "population", "screen", "pool",
                "screened",
                "kept", "uncertain", "refits",
            ] + names + ["architecture"]).map(csvCell).joined(separator: ",") + "\n"
        for r in search.state.history {
            let cascade =
                r.cascade.map {
                    [$0.screen, String($0.pool), String($0.screened), String($0.kept), String($0.uncertain)]
                }
                ?? ["", "", "", "", ""]
            let refits = search.state.refits.filter { $0.iteration == r.iteration }.map(\.estimator).joined(
                separator: " ")
            let numbers =
                [Double(r.iteration)].map(JSONWriter.formatNumber) + [r.estimator, String(r.evaluated)]
                + [r.bestScore, r.parentMean, Double(r.populationSize)].map(JSONWriter.formatNumber) + cascade + [
                    refits
                ]
                + r.best.constraintValues.map(JSONWriter.formatNumber) + [
                    search.space.jsonText(of: r.best.architecture)
                ]
            out += numbers.map(csvCell).joined(separator: ",") + "\n"
        }
        return out
    }

    /// A CSV cell, quoted when it holds a comma, a quote or a line break.
    private static func csvCell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
