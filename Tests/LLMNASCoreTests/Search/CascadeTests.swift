import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// Cascades inside iterations and MLP estimators refitted during the search.
@Suite struct CascadeTests {
    let graph = try! BuiltinSpaces.space(named: "nas-bench-graph")

    /// The synthetic score of the search tests: a fixed weight per (gene, choice).
    func score(_ architecture: Architecture) -> Double { SearchTests.synthetic(architecture, in: graph) }

    func search(_ config: String) throws -> HybridSearch {
        try HybridSearch(space: graph, config: SearchConfig(json: JSONParser.parse(config), space: graph))
    }

    /// `count` sampled architectures with their synthetic scores, as refit labels (JSON) and as training rows.
    func labels(_ count: Int, seed: UInt64) throws -> (json: String, x: [Float], y: [Float]) {
        var generator = SeededGenerator(seed: seed)
        var items: [String] = []
        var x: [Float] = []
        var y: [Float] = []
        for _ in 0..<count {
            let architecture = try graph.sample(using: &generator)
            items.append(#"{"architecture": \#(graph.jsonText(of: architecture)), "score": \#(score(architecture))}"#)
            x += try graph.features(of: architecture)
            y.append(Float(score(architecture)))
        }
        return ("[" + items.joined(separator: ",") + "]", x, y)
    }

    /// An MLP that has learnt the synthetic score a little.
    func distilled() throws -> MLP {
        let data = try labels(200, seed: 9)
        return try MLPTrainer.train(
            config: MLPConfig(json: JSONParser.parse(#"{"hidden": [32], "steps": 200, "learning_rate": 0.003}"#)),
            x: data.x, y: data.y, rows: 200, dim: graph.featureCount)
    }

    static let sizes = #""iterations": 6, "population": 20, "parents": 5, "mutations": 10, "crossovers": 10, "seed": 4"#

    /// Asks and tells with the synthetic score (and the spreads `spreads` gives an estimator's batch, if any) until
    /// the end, recording (estimator, batch) of every ask.
    @discardableResult
    func finish(
        _ search: HybridSearch, _ asks: inout [(String, [Architecture])],
        spreads: (String, [Architecture]) -> [Double]? = { _, _ in nil }
    ) throws -> HybridSearch {
        while true {
            let (candidates, estimator) = try search.ask()
            if search.isFinished { return search }
            asks.append((estimator, candidates))
            try search.tell(candidates.map(score), spreads: spreads(estimator, candidates))
        }
    }

    @Test func theScreenChoosesTheBestOfAPoolAndOnlyThoseReachTheEstimator() throws {
        let s = try search(
            #"{\#(Self.sizes), "estimators": [{"name": "distilled", "kind": "mlp"}, {"name": "supernet"}],"#
                + #""schedule": [{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "distilled", "#
                + #""pool": 4, "keep_best": 6}}]}"#
        )
        try s.bind(model: distilled(), to: "distilled")
        var asks: [(String, [Architecture])] = []
        try finish(s, &asks)
        #expect(asks.allSatisfy { $0.0 == "supernet" } && asks.count == 6)
        #expect(asks[0].1.count == 6, "six of the 80 sampled reach the expensive estimator")
        #expect(asks.dropFirst().allSatisfy { $0.1.count <= 6 })
        let sent = asks.flatMap(\.1)
        #expect(Set(sent).count == sent.count, "nothing is sent to the expensive estimator twice")
        let screen = s.state.scores[0].entries
        let expensive = s.state.scores[1].entries
        for iteration in 0..<6 {
            let kept = Set(expensive.filter { $0.iteration == iteration }.map(\.architecture))
            let screened = screen.filter { $0.iteration == iteration }
            let lowestKept = screened.filter { kept.contains($0.architecture) }.map(\.score).min()!
            let highestLeft = screened.filter { !kept.contains($0.architecture) }.map(\.score).max() ?? -.infinity
            #expect(lowestKept >= highestLeft, "iteration \(iteration): the screen's best went on")
            let record = s.state.history[iteration]
            #expect(
                record.cascade?.screen == "distilled" && record.cascade?.kept == kept.count
                    && record.evaluated == kept.count,
                "iteration \(iteration): \(String(describing: record.cascade)), \(kept.count) scored")
        }
        #expect(s.state.history[0].cascade?.pool == 80)
        #expect(s.state.history.dropFirst().allSatisfy { $0.cascade!.pool <= 80 && $0.populationSize <= 5 + 6 })
        // Parents are ranked by the expensive estimator alone: the best member is the best it scored.
        let best = s.state.history.last!
        #expect(best.bestScore == expensive.map(\.score).max()!)
        let json = JSONWriter.write(s.historyJSON())
        #expect(json.contains(#""cascade":{"screen":"distilled","pool":80,"screened":80,"kept":6,"uncertain":0}"#))
    }

    @Test func aHostScreenIsAskedBeforeTheExpensiveEstimatorInEachIteration() throws {
        let s = try search(
            #"{\#(Self.sizes), "estimators": [{"name": "proxy"}, {"name": "supernet"}],"#
                + #""schedule": [{"estimator": "proxy", "iterations": [0, 1]},"#
                + #"{"estimator": "supernet", "iterations": [2, 5], "cascade": {"screen": "proxy", "pool": 2, "#
                + #""keep": 0.25}}]}"#
        )
        var asks: [(String, [Architecture])] = []
        try finish(s, &asks)
        #expect(
            asks.map(\.0) == [
                "proxy", "proxy", "proxy", "supernet", "proxy", "supernet", "proxy", "supernet", "proxy", "supernet",
            ])
        #expect(asks[2].1.count <= 40, "a pool of twice the 20 children")
        #expect(asks[3].1.count >= 5, "the five parents chosen by the proxy are scored by the supernet too")
        for record in s.state.history.dropFirst(2) {
            #expect(record.cascade!.kept == Int((0.25 * Double(record.cascade!.pool)).rounded(.up)))
        }
    }

    @Test func aCascadeResumedBetweenItsScreenAndItsEstimatorEndsAsAnUninterruptedRun() throws {
        let folder = try TemporaryFolder("llmnas-cascade")
        let path = folder.file("cascade.ckpt")
        let config =
            #"{\#(Self.sizes), "estimators": [{"name": "proxy"}, {"name": "supernet"}], "checkpoint": "\#(path)","#
            + #""schedule": [{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "proxy", "pool": 3,"#
            + #" "keep_best": 4}}]}"#
        var reference: [(String, [Architecture])] = []
        let uninterrupted = try finish(search(config), &reference)
        let first = try search(config)
        var asks: [(String, [Architecture])] = []
        for _ in 0..<5 {
            let (candidates, estimator) = try first.ask()
            asks.append((estimator, candidates))
            try first.tell(candidates.map(score))
        }
        #expect(
            try first.ask().estimator == "supernet", "stopped after iteration 2's screen, before its supernet batch")
        let resumed = try SearchCheckpoint.read(path)
        try finish(resumed, &asks)
        #expect(asks.map(\.0) == reference.map(\.0) && asks.map(\.1) == reference.map(\.1))
        #expect(JSONWriter.write(resumed.historyJSON()) == JSONWriter.write(uninterrupted.historyJSON()))
        #expect(resumed.trialsWithoutTimes == uninterrupted.trialsWithoutTimes)
    }

    func refitConfig(checkpoint: String? = nil) throws -> String {
        #"{\#(Self.sizes), "estimators": [{"name": "distilled", "kind": "mlp", "refit": {"on": "supernet", "every": "#
            + #"2, "labels": \#(try labels(30, seed: 2).json),"#
            + #""train": {"hidden": [16], "steps": 60, "learning_rate": 0.01}}}, {"name": "supernet"}],"#
            + #""schedule": [{"estimator": "distilled", "iterations": [0, 0]},"#
            + #"{"estimator": "supernet", "iterations": [1, 5], "cascade": {"screen": "distilled", "pool": 4, "#
            + #""keep_best": 5}}]"#
            + (checkpoint.map { #", "checkpoint": "\#($0)""# } ?? "") + "}"
    }

    @Test func refitsLearnTheExpensiveScoresDeterministicallyAndAreRecorded() throws {
        var a: [(String, [Architecture])] = []
        var b: [(String, [Architecture])] = []
        let first = try finish(search(refitConfig()), &a)
        let second = try finish(search(refitConfig()), &b)
        #expect(a.map(\.1) == b.map(\.1))
        #expect(first.state.refits == second.state.refits)
        #expect(JSONWriter.write(first.historyJSON()) == JSONWriter.write(second.historyJSON()))
        // No model was bound: the labels train one before iteration 0; then every second iteration learns the supernet.
        let refits = first.state.refits
        #expect(refits.map(\.iteration) == [0, 2, 4])
        #expect(refits[0].scores == 0 && refits[0].labels == 30)
        #expect(refits[1].scores == first.state.scores[1].entries.filter { $0.iteration < 2 }.count)
        #expect(refits[2].scores > refits[1].scores)
        #expect(refits[2].labels + refits[2].scores >= 30, "labels and scores of the same architecture count once")
        let distilled = first.state.scores[0]
        #expect(
            distilled.generationStart > 0 && distilled.currentEntries.allSatisfy { $0.iteration >= 4 },
            "scores of the model before the last refit no longer count")
        let json = JSONWriter.write(first.historyJSON())
        #expect(
            json.contains(#""refits":[{"iteration":0,"estimator":"distilled","on":"supernet","labels":30,"scores":0"#))
        let html = SearchReport.html(first)
        #expect(html.contains("<h2>Refits</h2>") && html.contains("<h2>Cascades</h2>"))
    }

    @Test func aSearchResumedAfterARefitUsesTheRefittedModel() throws {
        let folder = try TemporaryFolder("llmnas-cascade")
        let path = folder.file("refit.ckpt")
        var reference: [(String, [Architecture])] = []
        let uninterrupted = try finish(search(refitConfig()), &reference)
        let first = try search(refitConfig(checkpoint: path))
        var asks: [(String, [Architecture])] = []
        for _ in 0..<2 {
            let (candidates, estimator) = try first.ask()
            asks.append((estimator, candidates))
            try first.tell(candidates.map(score))
        }
        #expect(first.state.refits.count == 2, "the refit before iteration 2 ran before the checkpoint")
        let resumed = try SearchCheckpoint.read(path)
        #expect(resumed.state.refitted["distilled"]?.fileBytes == first.state.refitted["distilled"]?.fileBytes)
        try finish(resumed, &asks)
        #expect(asks.map(\.1) == reference.map(\.1))
        #expect(JSONWriter.write(resumed.historyJSON()) == JSONWriter.write(uninterrupted.historyJSON()))
    }

    @Test(arguments: [
        (
            #"{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "nobody"}}"#,
            "unknown screen estimator 'nobody'"
        ),
        (
            #"{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "supernet"}}"#,
            "is the entry's own estimator"
        ),
        (
            #"{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "distilled", "keep": 0.5, "#
                + #""keep_best": 3}}"#,
            "at most one of 'keep' and 'keep_best'"
        ),
        (#"{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "distilled", "pool": 0.5}}"#, "'pool'"),
        (
            #"{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "distilled", "pool": 100, "keep": "#
                + #"0.1}}"#,
            "over 100000"
        ),
    ])
    func badCascadesAreRefused(entry: String, message: String) throws {
        let config =
            #"{"population": 2000, "estimators": [{"name": "distilled", "kind": "mlp"}, {"name": "supernet"}], "#
            + #""schedule": [\#(entry)]}"#
        #expect { try SearchConfig(json: JSONParser.parse(config), space: graph) } throws: { error in
            (error as! LLMNASError).kind == .invalidArgument && (error as! LLMNASError).message.contains(message)
        }
    }

    @Test(arguments: [
        (#"{"name": "d", "kind": "mlp", "refit": {"on": "nobody"}}"#, "names no declared estimator"),
        (#"{"name": "d", "kind": "mlp", "refit": {"on": "d"}}"#, "is refitted itself"),
        (
            #"{"name": "d", "kind": "mlp", "higher_is_better": false, "refit": {"on": "supernet"}}"#,
            "disagree on higher_is_better"
        ),
        (#"{"name": "d", "kind": "host", "refit": {"on": "supernet"}}"#, "'refit' does not apply to kind 'host'"),
        (
            #"{"name": "d", "kind": "mlp", "refit": {"on": "supernet", "labels": [{"architecture": {"link": "x"}, "#
                + #""score": 1}]}}"#,
            "refit: labels"
        ),
        (#"{"name": "d", "kind": "mlp", "refit": {"on": "supernet", "train": {"steps": -1}}}"#, "refit: MLP config"),
    ])
    func badRefitsAreRefused(estimator: String, message: String) throws {
        let config =
            #"{"estimators": [\#(estimator), {"name": "supernet"}], "schedule": [{"estimator": "supernet", "#
            + #""fraction": [0, 1]}]}"#
        #expect { try SearchConfig(json: JSONParser.parse(config), space: graph) } throws: { error in
            (error as! LLMNASError).message.contains(message)
        }
    }
}
