import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// Whole-space cascades (`"pool": "space"`) screened by a Gaussian process or an MLP.
@Suite struct WholeSpaceScreenTests {
    let graph = try! BuiltinSpaces.space(named: "nas-bench-graph")
    let hat = try! BuiltinSpaces.space(named: "hat-wmt14ende")

    func score(_ architecture: Architecture) -> Double { SearchTests.synthetic(architecture, in: graph) }

    func search(_ config: String, in space: SearchSpace? = nil) throws -> HybridSearch {
        let space = space ?? graph
        return try HybridSearch(space: space, config: SearchConfig(json: JSONParser.parse(config), space: space))
    }

    /// A whole-space search: the Gaussian process (with `prior` when given) sends its best 5 to "valid" every
    /// iteration.
    func config(seed: Int = 3, iterations: Int = 12, prior: Bool = false, extra: String = "") -> String {
        let gp = #"{"name": "gp", "kind": "gp", "on": "valid"\#(prior ? #", "prior": "prior""# : "")}"#
        let estimators = #"[{"name": "valid"}, \#(gp)\#(prior ? #", {"name": "prior", "kind": "mlp"}"# : "")]"#
        return #"{"seed": \#(seed), "population": 5, "parents": 1, "mutations": 0, "crossovers": 0, "#
            + #""iterations": \#(iterations), "estimators": \#(estimators), \#(extra)"#
            + #""schedule": [{"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "gp", "pool": "space", "#
            + #""keep_best": 5}}]}"#
    }

    /// Asks and tells with `truth` until the end; every batch asked, in order.
    @discardableResult
    func finish(
        _ search: HybridSearch, _ asks: inout [[Architecture]], truth: ((Architecture) -> Double)? = nil
    ) throws -> HybridSearch {
        while true {
            let (candidates, _) = try search.ask()
            if search.isFinished { return search }
            asks.append(candidates)
            try search.tell(candidates.map(truth ?? score))
        }
    }

    /// Every architecture of the space, canonical.
    var everyArchitecture: [Architecture] {
        get throws {
            let pool = try SpacePool(space: graph, sample: 100_000, seed: 0, withFeatures: false) { _ in [] }
            return pool.members.map(\.architecture)
        }
    }

    @Test func theBestOfManyRowsAreThoseAFullSortPutsFirstTiesByRow() {
        var generator = SeededGenerator(seed: 41)
        // Few distinct values, so that ties abound; rows in no order.
        let value = (0..<5000).map { _ in Double(generator.next() % 40) }
        var rows = (0..<5000).filter { $0 % 7 != 3 }
        generator.shuffle(&rows)
        let sorted = rows.sorted { value[$0] != value[$1] ? value[$0] > value[$1] : $0 < $1 }
        for k in [1, 16, 64, 300] {
            #expect(GaussianProcessScreen.best(k, of: rows, by: value) == Array(sorted.prefix(k)), "k = \(k)")
        }
    }

    @Test func theWholeSpaceIsEnumeratedAndTheProcessFindsTheTopOfASmoothScore() throws {
        let all = try everyArchitecture
        #expect(all.count == 26_206, "the networks of 9 link patterns x 9^4 operations, less the 9 all-skip ones")
        var asks: [[Architecture]] = []
        let s = try finish(search(config()), &asks)
        #expect(s.state.history[0].cascade?.pool == 26_206, "iteration 0 screens the whole space")
        #expect(s.state.history[1].cascade?.pool == 26_206 - 5, "what the estimator scored leaves the pool")
        #expect(asks.count == 12 && asks.allSatisfy { $0.count == 5 })
        #expect(s.state.scores[1].count == 0, "the screen's scores of the pool are not kept as trials")
        let scores = all.map(score).sorted(by: >)
        let found = asks.joined().map(score).max()!
        #expect(found >= scores[59], "60 calls end in the best 60 of 26,206 (top 0.25%), found \(found)")
    }

    @Test func aSeedGivesTheSameSearchAndAnotherSeedAnother() throws {
        var first: [[Architecture]] = []
        var again: [[Architecture]] = []
        var other: [[Architecture]] = []
        try finish(search(config(seed: 7, iterations: 5)), &first)
        try finish(search(config(seed: 7, iterations: 5)), &again)
        try finish(search(config(seed: 8, iterations: 5)), &other)
        #expect(first == again)
        #expect(first[0] != other[0], "the first batch, chosen among ties, is drawn from the seed")
    }

    @Test func aWholeSpaceSearchResumedMidwayEndsAsAnUninterruptedRun() throws {
        let folder = try TemporaryFolder("llmnas-whole-space")
        let path = folder.file("space.ckpt")
        let checkpointed = config(iterations: 8, extra: #""checkpoint": "\#(path)", "#)
        var reference: [[Architecture]] = []
        let uninterrupted = try finish(search(checkpointed), &reference)
        let first = try search(checkpointed)
        var asks: [[Architecture]] = []
        for _ in 0..<4 {
            let (candidates, _) = try first.ask()
            asks.append(candidates)
            try first.tell(candidates.map(score))
        }
        let resumed = try SearchCheckpoint.read(path)
        try finish(resumed, &asks)
        #expect(asks == reference)
        #expect(JSONWriter.write(resumed.historyJSON()) == JSONWriter.write(uninterrupted.historyJSON()))
    }

    @Test func aSpaceTooLargeToEnumerateIsScreenedThroughASampleAndTheChildren() throws {
        #expect(!SpacePool.enumerates(hat, limit: Cascade.maximumSpaceSample))
        let config =
            #"{"seed": 1, "population": 10, "parents": 5, "mutations": 6, "crossovers": 4, "iterations": 4, "#
            + #""estimators": [{"name": "valid"}, {"name": "gp", "kind": "gp", "on": "valid"}], "#
            + #""schedule": [{"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "gp", "pool": "space", "#
            + #""sample": 500, "keep_best": 5}}]}"#
        let wide = { (a: Architecture) in SearchTests.synthetic(a, in: self.hat) }
        var asks: [[Architecture]] = []
        let s = try finish(search(config, in: hat), &asks, truth: wide)
        let pools = s.state.history.map { $0.cascade!.pool }
        // Iteration 0: the sample of 500 and the 10 first-population draws; later: what is left of the sample (the
        // kept ones came from it or from the children) and the 10 new children.
        #expect(pools[0] > 500 && pools[0] <= 510, "\(pools)")
        for (i, pool) in pools.enumerated().dropFirst() {
            #expect(pool <= 510 && pool >= 500 - 5 * i, "\(pools)")
        }
        var again: [[Architecture]] = []
        try finish(search(config, in: hat), &again, truth: wide)
        #expect(asks == again)
    }

    /// An MLP trained on `truth` over a sample of the space.
    func prior(_ truth: (Architecture) -> Double) throws -> MLP {
        var generator = SeededGenerator(seed: 5)
        let archs = try graph.sample(400, using: &generator)
        var x: [Float] = []
        for a in archs { x += try graph.features(of: a) }
        return try MLPTrainer.train(
            config: MLPConfig(json: JSONParser.parse(#"{"hidden": [32], "steps": 400, "learning_rate": 0.003}"#)),
            x: x, y: archs.map { Float(truth($0)) }, rows: archs.count, dim: graph.featureCount)
    }

    @Test func aPriorChoosesTheFirstBatchAndTheScoresOverruleAWrongOne() throws {
        let model = try prior(score)
        let s = try search(config(prior: true))
        try s.bind(model: model, to: "prior")
        let (first, _) = try s.ask()
        let all = try everyArchitecture
        let predicted = try model.predict(all, in: graph)
        let best = Set(predicted.indices.sorted { predicted[$0] > predicted[$1] }.prefix(5).map { all[$0] })
        #expect(Set(first) == best, "with no score yet the prior's best 5 go first")

        // A prior that is the score upside down: the first batch is the worst, the scores then take over.
        let wrong = try search(config(iterations: 20, prior: true))
        try wrong.bind(model: try prior { -score($0) }, to: "prior")
        var asks: [[Architecture]] = []
        try finish(wrong, &asks)
        let scores = all.map(score).sorted(by: >)
        #expect(asks[0].map(score).max()! < scores[all.count / 2], "the wrong prior's first choice is poor")
        #expect(asks.joined().map(score).max()! >= scores[599], "100 calls still end in the top 1%")
    }

    @Test func anMLPCanScreenTheWholeSpaceToo() throws {
        let model = try prior(score)
        let config =
            #"{"seed": 2, "population": 5, "parents": 1, "mutations": 0, "crossovers": 0, "iterations": 2, "#
            + #""estimators": [{"name": "valid"}, {"name": "mlp", "kind": "mlp"}], "#
            + #""schedule": [{"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "mlp", "pool": "space", "#
            + #""keep_best": 3}}]}"#
        let s = try search(config)
        try s.bind(model: model, to: "mlp")
        let (first, _) = try s.ask()
        let all = try everyArchitecture
        let predicted = try model.predict(all, in: graph)
        #expect(Set(first) == Set(predicted.indices.sorted { predicted[$0] > predicted[$1] }.prefix(3).map { all[$0] }))
    }

    @Test(arguments: [
        (
            #"{"name": "gp", "kind": "gp", "on": "valid"}"#, #"{"estimator": "gp", "fraction": [0, 1]}"#,
            "a Gaussian process screens whole-space cascades"
        ),
        (
            #"{"name": "gp", "kind": "gp", "on": "valid"}"#,
            #"{"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "gp", "pool": 4}}"#,
            "give \"pool\": \"space\""
        ),
        (
            #"{"name": "proxy"}"#,
            #"{"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "proxy", "pool": "space"}}"#,
            "needs a built-in screen"
        ),
        (
            #"{"name": "gp", "kind": "gp", "on": "valid", "prior": "valid"}"#,
            #"{"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "gp", "pool": "space"}}"#,
            "'prior' must name an MLP estimator"
        ),
        (
            #"{"name": "gp", "kind": "gp", "on": "nothing"}"#,
            #"{"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "gp", "pool": "space"}}"#,
            "'on' names no declared estimator"
        ),
        (
            #"{"name": "mlp", "kind": "mlp"}"#,
            #"{"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "mlp", "pool": 2, "sample": 9}}"#,
            "'sample' applies to \"pool\": \"space\" only"
        ),
        (
            #"{"name": "gp", "kind": "gp", "on": "valid", "model": "x.mlp"}"#,
            #"{"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "gp", "pool": "space"}}"#,
            "'model' does not apply to kind 'gp'"
        ),
    ])
    func badWholeSpaceConfigsAreRefusedByName(screen: String, entry: String, message: String) throws {
        let json = #"{"estimators": [{"name": "valid"}, \#(screen)], "schedule": [\#(entry)]}"#
        #expect {
            try SearchConfig(json: JSONParser.parse(json), space: graph)
        } throws: { error in
            (error as? LLMNASError)?.message.contains(message) == true
        }
    }
}
