import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// Cross-validation of LLM-PP on the demonstrations, against the scripted server (which answers 20 + 2 x the GFLOPs
/// of the architecture judged, as the prompt shows them).
@Suite(.serialized) final class ValidationTests: ScriptedServerSuite {
    /// What the scripted server answers for `architecture`.
    func answer(_ architecture: Architecture) -> Double {
        let gflops = Double(try! space.costModel!.counts(of: architecture, in: space).flops) / 1e9
        return Double(DecimalFormat.fixed(20 + 2 * Double(DecimalFormat.fixed(gflops, 1))!, 2))!
    }

    /// The predictions of the predictor named `name` in a validation result.
    func predictions(_ result: JSONValue, _ name: String) -> [Double?] {
        let column = result["predictors"]?.arrayValue?.first { $0["predictor"]?.stringValue == name }
        return column?["predictions"]?.arrayValue?.map { value -> Double? in
            if case .number(let x) = value { x } else { nil }
        } ?? []
    }

    /// Each of `x` predicted by the least-squares line of `y` on the others.
    func leaveOneOutLine(_ x: [Double], _ y: [Double]) throws -> [Double] {
        try x.indices.map { i in
            let others = x.indices.filter { $0 != i }
            return try AffineCalibration(fitting: others.map { x[$0] }, to: others.map { y[$0] }).apply(x[i])
        }
    }

    @Test func leaveOneOutPredictsEachDemonstrationFromTheOthersAndCalibrationReusesTheAnswers() async throws {
        try await server.script()
        let demos = RepoData.demonstrations(data, 10)
        let truth = demos.map(\.score)
        let folder = try TemporaryFolder("llmnas-validation")
        let client = try makeClient(server, "\"cache_file\": \"\(folder.file("cache"))\"")
        let result = try CrossValidation.run(
            LLMPPPredictor(client: client, space: space, task: PredictionTask(), demonstrations: demos))
        #expect(result["scheme"]?.stringValue == "leave-one-out" && result["compared"] == .number(10))
        #expect(result["requests"] == .number(10) && result["cache_hits"] == .number(0))
        let answered = demos.map { answer($0.architecture) }
        #expect(predictions(result, "LLM-PP") == answered)
        for (name, expected) in [
            ("LLM-PP calibrated", try leaveOneOutLine(answered, truth)),
            (
                "GFLOPs least squares",
                try leaveOneOutLine(
                    demos.map { Double(try! space.costModel!.counts(of: $0.architecture, in: space).flops) / 1e9 },
                    truth)
            ),
            (
                "params least squares",
                try leaveOneOutLine(
                    demos.map { Double(try! space.costModel!.counts(of: $0.architecture, in: space).parameters) }, truth
                )
            ),
        ] {
            let got = predictions(result, name)
            #expect(got.count == 10 && zip(got, expected).allSatisfy { abs($0! - $1) < 1e-9 }, "\(name)")
        }
        // Nested: each demonstration's combined prediction comes from a fit (penalty included) on the others only.
        let costs = demos.map { d -> [Double] in
            let counts = try! space.costModel!.counts(of: d.architecture, in: space)
            return [Double(counts.parameters), Double(counts.flops) / 1e9]
        }
        let combined = predictions(result, "combined")
        for i in demos.indices {
            let others = demos.indices.filter { $0 != i }
            let fit = try CombinedFit(fitting: others.map { [answered[$0]] + costs[$0] }, to: others.map { truth[$0] })
            #expect(abs(combined[i]! - fit.predict([answered[i]] + costs[i])) < 1e-9)
        }
        let share = result["predictors"]?.arrayValue?.first { $0["predictor"]?.stringValue == "combined" }?["llm_share"]
        #expect(share.map { if case .number(let x) = $0 { (0...1).contains(x) } else { false } } == true)
        let llm = try #require(result["predictors"]?.arrayValue?.first)
        let metrics = try RankMetrics(predicted: answered, truth: truth)
        #expect(llm["mae"] == .number(metrics.mae) && llm["kendall_tau"] == .number(metrics.kendallTau))
        let interval = try #require(
            llm["kendall_tau_interval"]?.arrayValue?.compactMap { value -> Double? in
                if case .number(let x) = value { x } else { nil }
            })
        #expect(interval.count == 2 && interval[0] <= interval[1] && interval[1] <= 1 && interval[0] >= -1)

        // Calibration then asks the very same prompts: every one is in the cache.
        var task = PredictionTask()
        task.calibration = .affine
        let before = client.ledger.requests
        _ = LLMPPPredictor(client: client, space: space, task: task, demonstrations: demos).predict([
            demos[0].architecture
        ])
        #expect(client.ledger.requests - before == 1, "only the architecture judged is asked about")
        #expect(client.ledger.cacheHits == 10, "calibration's 10 answers come from the cache")
    }

    @Test func foldsHoldOutTheirDemonstrationsAndTheSeedDecidesFoldsAndIntervals() async throws {
        try await server.script()
        let demos = RepoData.demonstrations(data, 12)
        let client = try makeClient(server)
        let predictor = LLMPPPredictor(client: client, space: space, task: PredictionTask(), demonstrations: demos)
        let options = try ValidationOptions(json: JSONParser.parse(#"{"folds": 3, "bootstrap": 200, "seed": 5}"#))
        let result = try CrossValidation.run(predictor, options: options)
        #expect(result["scheme"]?.stringValue == "3 folds" && result["folds"] == .number(3))
        let prompts = try await server.log().map(\.body)
        #expect(prompts.count == 12)
        #expect(
            prompts.allSatisfy { $0.components(separatedBy: "BLEU: ").count - 1 == 8 },
            "each prompt shows the 8 demonstrations of the other folds")
        #expect(
            try CrossValidation.run(predictor, options: options)["predictors"] == result["predictors"],
            "deterministic for a seed")
        let other = try ValidationOptions(json: JSONParser.parse(#"{"folds": 3, "bootstrap": 200, "seed": 6}"#))
        #expect(try CrossValidation.run(predictor, options: other)["predictors"] != result["predictors"])
    }

    @Test func failedItemsAreLeftOutAndNamedAndBadOptionsRefused() async throws {
        let demos = RepoData.demonstrations(data, 6)
        try await server.script(#"[{"status": 500, "probability": 0.4}]"#)
        let client = try makeClient(server, "\"retries\": 0")
        let predictor = LLMPPPredictor(client: client, space: space, task: PredictionTask(), demonstrations: demos)
        let result = try CrossValidation.run(predictor)
        #expect((result["compared"]?.exactInt ?? 0) < 6)
        #expect(
            result["first_failure"]?.stringValue?.hasPrefix("HTTP 500") == true,
            "\(String(describing: result["first_failure"]))")
        let few = LLMPPPredictor(
            client: client, space: space, task: PredictionTask(), demonstrations: Array(demos.prefix(2)))
        #expect(throws: LLMNASError.self) { try CrossValidation.run(few) }
        #expect(throws: LLMNASError.self) {
            try CrossValidation.run(predictor, options: ValidationOptions(json: JSONParser.parse(#"{"folds": 7}"#)))
        }
        #expect(throws: LLMNASError.self) { try ValidationOptions(json: JSONParser.parse(#"{"fold": 3}"#)) }
    }
}
