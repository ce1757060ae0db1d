import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

@Suite struct SearchTests {
    let graph = try! BuiltinSpaces.space(named: "nas-bench-graph")
    let hat = try! BuiltinSpaces.space(named: "hat-wmt14ende")

    /// A smooth, seedless score: a fixed weight per (gene, choice), so the optimum is unique and known.
    static func synthetic(_ architecture: Architecture, in space: SearchSpace) -> Double {
        let canonical = space.canonical(architecture)
        return canonical.genes.enumerated().reduce(0.0) { sum, gene in
            gene.element < 0 ? sum : sum + Double((gene.offset * 7 + gene.element * 13) % 17) / 17
        }
    }

    func search(_ space: SearchSpace, _ config: String) throws -> HybridSearch {
        try HybridSearch(space: space, config: SearchConfig(json: JSONParser.parse(config), space: space))
    }

    /// Runs a search to its end with the synthetic host score, recording every batch asked.
    @discardableResult
    func finish(_ search: HybridSearch, batches: inout [[Architecture]]) throws -> HybridSearch {
        while true {
            let (candidates, _) = try search.ask()
            if search.isFinished { return search }
            batches.append(candidates)
            try search.tell(candidates.map { Self.synthetic($0, in: search.space) })
        }
    }

    @Test func emptyConfigIsHATsEvolutionWithOneHostEstimator() throws {
        let config = try SearchConfig(json: nil, space: graph)
        #expect(
            [config.population, config.parents, config.mutations, config.crossovers, config.iterations] == [
                125, 25, 50, 50, 30,
            ] as [Int])
        #expect(config.mutationProbability == 0.3)
        #expect(config.estimators.map(\.name) == ["host"] && config.estimators[0].isHost)
    }

    @Test func evolutionImprovesAndNeverResendsAnArchitecture() throws {
        var batches: [[Architecture]] = []
        let s = try finish(search(graph, #"{"seed": 3}"#), batches: &batches)
        #expect(s.state.history.count == 30)
        #expect(batches[0].count == 125)
        let all = batches.joined().map { graph.canonical($0) }
        #expect(Set(all).count == all.count, "an architecture was sent to the estimator twice")
        #expect(batches.dropFirst().allSatisfy { $0.count <= 100 })
        let bests = s.state.history.map(\.bestScore)
        #expect(zip(bests, bests.dropFirst()).allSatisfy { $0 <= $1 }, "the best score fell: parents are kept")
        #expect(bests.last! > bests.first!)
        #expect(s.state.history.allSatisfy { $0.populationSize == 125 })
        let calls = s.historyJSON()["estimator_calls"]?["host"]?.exactInt
        #expect(calls == all.count)
        #expect(s.state.history.reduce(0) { $0 + $1.evaluated } == all.count)
    }

    @Test func aSeedFixesTheWholeRun() throws {
        var a: [[Architecture]] = []
        var b: [[Architecture]] = []
        var c: [[Architecture]] = []
        try finish(search(graph, #"{"seed": 5, "iterations": 6}"#), batches: &a)
        try finish(search(graph, #"{"seed": 5, "iterations": 6}"#), batches: &b)
        try finish(search(graph, #"{"seed": 6, "iterations": 6}"#), batches: &c)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func everyMemberMeetsEveryConstraint() throws {
        let config =
            #"{"iterations": 4, "population": 40, "parents": 10, "mutations": 15, "crossovers": 15,"#
            + #""constraints": [{"kind": "latency", "predictor": "wmt14ende-titanxp", "max": 150}, {"kind": "#
            + #""params", "max": 40000000}]}"#
        let s = try search(hat, config)
        var batches: [[Architecture]] = []
        try finish(s, batches: &batches)
        let latency = try LatencyPredictors.builtin(named: "wmt14ende-titanxp")
        for architecture in batches.joined() {
            #expect(try latency.predict([architecture], in: hat)[0] <= 150)
            #expect(try! hat.costModel!.counts(of: architecture, in: hat).parameters <= 40_000_000)
        }
        for member in s.state.population {
            #expect(member.constraintValues[0] <= 150 && member.constraintValues[1] <= 40_000_000)
        }
        let best = try s.bestJSON()
        #expect(best["constraints"]?["latency_ms"] != nil && best["stats"]?["params"] != nil)
    }

    @Test func anImpossibleConstraintIsReportedAsInfeasible() throws {
        let s = try search(hat, #"{"constraints": [{"kind": "latency", "predictor": "wmt14ende-titanxp", "max": 1}]}"#)
        #expect { _ = try s.ask() } throws: { error in
            let e = error as! LLMNASError
            return e.kind == .infeasible && e.message.contains("latency_ms <= 1 (lowest seen")
        }
        #expect(!s.state.started)
    }

    @Test func hostConstraintsAreCalledAndHonoured() throws {
        let s = try search(graph, #"{"iterations": 2, "constraints": [{"kind": "host", "name": "gat", "max": 0}]}"#)
        let gat = graph.hyperparameters[1].choices.firstIndex(of: .string("gat"))!
        try s.bind(constraint: "gat") { (architecture: Architecture) throws(LLMNASError) -> Double in
            Double(architecture.genes[1...4].filter { $0 == gat }.count)
        }
        var batches: [[Architecture]] = []
        try finish(s, batches: &batches)
        #expect(batches.joined().allSatisfy { !$0.genes[1...4].contains(gat) })
    }

    @Test func theScheduleHandsIterationsToItsEstimators() throws {
        var generator = SeededGenerator(seed: 9)
        var x: [Float] = []
        var y: [Float] = []
        for _ in 0..<300 {
            let architecture = try graph.sample(using: &generator)
            x += try graph.features(of: architecture)
            y.append(Float(Self.synthetic(architecture, in: graph)))
        }
        let model = try MLPTrainer.train(
            config: MLPConfig(json: JSONParser.parse(#"{"hidden": [64], "steps": 300, "learning_rate": 0.003}"#)),
            x: x, y: y, rows: 300, dim: graph.featureCount)
        let config =
            #"{"iterations": 10, "estimators": [{"name": "distilled", "kind": "mlp"}, {"name": "supernet", "#
            + #""higher_is_better": true}],"#
            + #""schedule": [{"estimator": "distilled", "fraction": [0, 0.5]}, {"estimator": "supernet", "#
            + #""iterations": [5, 9]}]}"#
        let s = try search(graph, config)
        #expect { _ = try s.ask() } throws: { ($0 as! LLMNASError).message.contains("has no model") }
        try s.bind(model: model, to: "distilled")
        let (first, estimator) = try s.ask()
        #expect(estimator == "supernet")
        #expect(
            first.count == Set(s.state.population.map { graph.canonical($0.architecture) }).count,
            "the whole population goes to the new estimator once")
        #expect(s.state.history.map(\.estimator) == Array(repeating: "distilled", count: 5))
        var batches: [[Architecture]] = [first]
        try s.tell(first.map { Self.synthetic($0, in: graph) })
        try finish(s, batches: &batches)
        #expect(
            s.state.history.map(\.estimator) == Array(repeating: "distilled", count: 5)
                + Array(repeating: "supernet", count: 5))
        let calls = s.historyJSON()["estimator_calls"]!
        #expect(calls["supernet"]?.exactInt == batches.joined().count)
        #expect(calls["distilled"]!.exactInt! >= 125)
    }

    @Test(arguments: [
        (#"{"estimators": [{"name": "a"}, {"name": "b"}]}"#, "a 'schedule' must say"),
        (#"{"iterations": 4, "schedule": [{"estimator": "nope", "iterations": [0, 3]}]}"#, "unknown estimator 'nope'"),
        (
            #"{"iterations": 4, "estimators": [{"name": "a"}, {"name": "b"}], "schedule": [{"estimator": "a", "#
                + #""iterations": [0, 2]}, {"estimator": "b", "iterations": [2, 3]}]}"#,
            "must not overlap"
        ),
        (
            #"{"iterations": 4, "estimators": [{"name": "a"}, {"name": "b"}], "schedule": [{"estimator": "a", "#
                + #""iterations": [0, 1]}, {"estimator": "b", "iterations": [3, 3]}]}"#,
            "leaves iteration 2"
        ),
        (#"{"iterations": 4, "schedule": [{"estimator": "host", "iterations": [0, 4]}]}"#, "0 <= first <= last < 4"),
        (
            #"{"iterations": 4, "schedule": [{"estimator": "host", "fraction": [0, 1], "iterations": [0, 3]}]}"#,
            "exactly one"
        ),
        (#"{"parents": 200}"#, "cannot exceed the population"),
        (#"{"parents": 1}"#, "at least 2 parents"),
        (#"{"estimators": [{"name": "a", "kind": "gpu"}]}"#, "kind 'gpu'"),
        (#"{"estimators": [{"name": "a"}, {"name": "a"}]}"#, "declared twice"),
        (#"{"constraints": [{"kind": "latency", "predictor": "tpu", "max": 1}]}"#, "no built-in latency predictor"),
        (#"{"constraints": [{"kind": "params", "max": 1}]}"#, "no cost model"),
        (#"{"initial": [{"link": "0-0-0-0", "ops": ["skip", "skip", "skip", "skip"]}]}"#, "initial architecture 0"),
        (#"{"populaton": 10}"#, "unknown key 'populaton'"),
    ])
    func badConfigsAreRefusedWithAReason(config: String, reason: String) throws {
        #expect { _ = try search(graph, config) } throws: { error in
            let message = (error as! LLMNASError).message
            return message.contains(reason)
                || {
                    print(message)
                    return false
                }()
        }
    }

    @Test func badTellsChangeNothing() throws {
        let s = try search(graph, #"{"iterations": 3}"#)
        #expect { try s.tell([1]) } throws: { ($0 as! LLMNASError).message.contains("without a pending ask") }
        let (batch, _) = try s.ask()
        let before = JSONWriter.write(s.state.json)
        #expect { try s.tell([1, 2]) } throws: { ($0 as! LLMNASError).message.contains("the last ask handed out 125") }
        var scores = batch.map { Self.synthetic($0, in: graph) }
        scores[7] = .nan
        #expect { try s.tell(scores) } throws: { ($0 as! LLMNASError).message.contains("score 7 is nan") }
        #expect(JSONWriter.write(s.state.json) == before)
        #expect(try s.ask().candidates == batch, "asking again gives the same batch")
    }

    @Test func warmStartArchitecturesOpenTheFirstPopulation() throws {
        let given = [
            #"{"link": "0-1-2-3", "ops": ["gcn", "gcn", "gcn", "gcn"]}"#,
            #"{"link": "0-0-0-0", "ops": ["gat", "fc", "skip", "sage"]}"#,
        ]
        let s = try search(graph, #"{"iterations": 2, "initial": ["# + given.joined(separator: ",") + "]}")
        let (batch, _) = try s.ask()
        #expect(batch.count == 125)
        // Each as the canonical encoding of its network: the second's nodes all read the input, in no order.
        let expected = try given.map { graph.canonical(try graph.architecture(fromJSON: $0)) }
        #expect(Array(batch.prefix(2)) == expected)
        #expect(graph.jsonText(of: batch[1]) == #"{"link":"0-0-0-0","ops":["gat","sage","fc","skip"]}"#)
    }

    @Test func aResumedCheckpointEndsExactlyAsAnUninterruptedRun() throws {
        let path = NSTemporaryDirectory() + "llmnas-search-\(getpid()).ckpt"
        defer { unlink(path) }
        let config = #"{"seed": 11, "iterations": 8, "checkpoint": "\#(path)"}"#
        var uninterrupted: [[Architecture]] = []
        let reference = try finish(search(graph, config), batches: &uninterrupted)
        let first = try search(graph, config)
        var batches: [[Architecture]] = []
        for _ in 0..<4 {
            let (candidates, _) = try first.ask()
            batches.append(candidates)
            try first.tell(candidates.map { Self.synthetic($0, in: graph) })
        }
        _ = try first.ask()  // a batch asked but never told: the resumed search asks it again
        let resumed = try SearchCheckpoint.read(path)
        try finish(resumed, batches: &batches)
        #expect(batches == uninterrupted)
        #expect(JSONWriter.write(resumed.historyJSON()) == JSONWriter.write(reference.historyJSON()))
        #expect(JSONWriter.write(try resumed.bestJSON()) == JSONWriter.write(try reference.bestJSON()))
    }

    @Test func checkpointsOfFormat1AreRefusedByTheirFormat() throws {
        let path = NSTemporaryDirectory() + "llmnas-search-old-\(getpid()).ckpt"
        defer { unlink(path) }
        let first = try search(graph, #"{"seed": 4, "iterations": 4, "checkpoint": "\#(path)"}"#)
        let (candidates, _) = try first.ask()
        try first.tell(candidates.map { Self.synthetic($0, in: graph) })
        // The same bytes under format 1, the number 0.1 to 0.6 wrote, with a checksum that holds.
        var bytes = Array(try FileIO.read(path).dropLast(4))
        #expect(LittleEndian.u32(bytes, at: 8) == 3)
        bytes.replaceSubrange(8..<12, with: [1, 0, 0, 0])
        LittleEndian.append(CRC32.checksum(bytes), to: &bytes)
        try FileIO.writeAtomically(bytes, to: path)
        #expect {
            _ = try SearchCheckpoint.read(path)
        } throws: {
            ($0 as? LLMNASError)?.kind == .corruptFile
                && ($0 as? LLMNASError)?.message.contains("format 1; this library reads formats 2 and 3") == true
        }
    }

    @Test func damagedCheckpointsAreRefused() throws {
        let path = NSTemporaryDirectory() + "llmnas-search-bad-\(getpid()).ckpt"
        defer { unlink(path) }
        let s = try search(graph, #"{"iterations": 2, "checkpoint": "\#(path)"}"#)
        _ = try s.ask()
        let good = try FileIO.read(path)
        var flipped = good
        flipped[good.count / 2] ^= 0x20
        let variants: [([UInt8], String)] = [
            (flipped, "checksum"), (Array(good.prefix(good.count - 9)), "checksum"),
            (Array("LLMNASMP".utf8) + good.dropFirst(8), "bad magic"), ([], "bad magic"),
        ]
        for (bytes, reason) in variants {
            try FileIO.writeAtomically(bytes, to: path)
            #expect { _ = try SearchCheckpoint.read(path) } throws: { error in
                (error as! LLMNASError).kind == .corruptFile && (error as! LLMNASError).message.contains(reason)
            }
        }
    }

    @Test func reportsListEveryIteration() throws {
        let dir = NSTemporaryDirectory() + "llmnas-report-\(getpid())"
        mkdir(dir, 0o755)
        defer {
            for f in ["r.jsonl", "r.csv", "r.html"] { unlink(dir + "/" + f) }
            rmdir(dir)
        }
        let s = try search(
            hat,
            #"{"iterations": 3, "population": 20, "parents": 5, "mutations": 8, "crossovers": 7, "constraints": "#
                + #"[{"kind": "latency", "predictor": "wmt14ende-titanxp", "max": 200}]}"#
        )
        var batches: [[Architecture]] = []
        try finish(s, batches: &batches)
        for format in SearchReport.Format.allCases {
            try SearchReport.write(s, format: format, to: "\(dir)/r.\(format.rawValue)")
        }
        let lines = try FileIO.readText(dir + "/r.jsonl").split(separator: "\n")
        #expect(lines.count == 3)
        #expect(try JSONParser.parse(String(lines[2]))["iteration"]?.exactInt == 2)
        let csv = try FileIO.readText(dir + "/r.csv").split(separator: "\n")
        #expect(
            csv.count == 4
                && csv[0].hasPrefix(
                    "iteration,estimator,evaluated,best_score,parent_mean,population,screen,pool,screened,kept,uncertain,refits,latency_ms,architecture"
                ))
        let html = try FileIO.readText(dir + "/r.html")
        #expect(
            html.contains("<svg") && html.contains("Pareto front") && html.contains("Best score per iteration: host"))
        #expect(
            html.contains("<h2>Best architecture</h2><table class=\"best\"><tr><th>score</th>"), "the best is a table")
        #expect(html.contains("<tr><th>decoder_layer_num</th>") && !html.contains("&quot;decoder_layer_num&quot;"))
        let trials = s.trialsJSON()["trials"]!.arrayValue!.count
        #expect(html.contains("<a href=\"#trials\">all \(trials) trials</a>") && html.contains("<h2 id=\"trials\">"))
        #expect(html.components(separatedBy: "<tr><td>host</td>").count - 1 == trials, "one row per trial")
        #expect(throws: LLMNASError.self) { _ = try SearchReport.format(named: "pdf") }
    }
}
