import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// LLM-PP predictions against the scripted loopback server.
@Suite(.serialized) final class LLMPPTests: ScriptedServerSuite {
    @Test func predictsOneScorePerArchitectureWithPerItemErrors() async throws {
        try await server.script(
            #"[{"match": "decoder_layer_num: 2", "answer": "BLEU: 26.1 points"}, {"match": "decoder_layer_num: 3", "#
                + #""answer": "I cannot tell."}, {"match": "decoder_layer_num: 4", "answer": "250"}, {"match": "#
                + #""decoder_layer_num: 5", "status": 503}]"#
        )
        let client = try makeClient(server, "\"retries\": 1")
        let predictor = LLMPPPredictor(client: client, space: space, task: PredictionTask(), demonstrations: [])
        var generator = SeededGenerator(seed: 4)
        var archs: [Architecture] = []
        while archs.count < 5 {
            let a = try space.sample(using: &generator)
            let layers = space.activeCount(ofHyperparameter: 6, in: a)
            if layers == archs.count + 1 { archs.append(a) }
        }
        let results = predictor.predict(archs)
        let gflops = Double(try! space.costModel!.counts(of: archs[0], in: space).flops) / 1e9
        #expect(
            try results[0].get() == Double(DecimalFormat.fixed(20 + 2 * Double(DecimalFormat.fixed(gflops, 1))!, 2)))
        #expect(try results[1].get() == 26.1)
        for (i, kind) in [(2, LLMNASError.Kind.badAnswer), (3, .badAnswer), (4, .httpError)] {
            guard case .failure(let error) = results[i] else {
                Issue.record("item \(i) succeeded")
                continue
            }
            #expect(error.kind == kind)
        }
    }

    @Test func samplesCombineByMedianOrMean() async throws {
        try await server.script(#"[{"answers": ["10", "30", "35", "no idea"]}]"#)
        let arch = RepoData.demonstrations(data, 1)[0].architecture
        let median = try makeClient(server, "\"n\": 4")
        #expect(
            try LLMPPPredictor(client: median, space: space, task: PredictionTask(), demonstrations: []).predict([arch]
            )[0].get() == 30)
        let mean = try makeClient(server, "\"n\": 4, \"aggregate\": \"mean\"")
        #expect(
            try LLMPPPredictor(client: mean, space: space, task: PredictionTask(), demonstrations: []).predict([arch])[
                0
            ].get() == 25)
        let body = try await server.log()[0].body
        #expect(body.contains("\"n\":4"))
        let spread = try LLMPPPredictor(client: median, space: space, task: PredictionTask(), demonstrations: [])
            .predictWithSpread([arch])[0].get()
        #expect(
            spread
                == ScoreEstimate(
                    value: 30, standardDeviation: Statistics.standardDeviation([10, 30, 35]), low: 10, high: 35))
        let flipped = spread.mapped(by: try AffineCalibration(fitting: [0, 1], to: [1, -1]))
        #expect(
            flipped.value == -59 && flipped.low == -69 && flipped.high == -19
                && flipped.standardDeviation == 2 * spread.standardDeviation)
    }

    @Test func anExpectationReadsTheDigitsDistributionFromOneRequest() async throws {
        try await server.script(
            #"[{"match": "decoder_layer_num: 1", "answer": "25.3"}, {"answer": "BLEU 27", "no_logprobs": true}]"#)
        let client = try makeClient(server, "\"aggregate\": \"expectation\", \"retries\": 0")
        let arch = RepoData.demonstrations(data, 1)[0].architecture
        let estimate = try LLMPPPredictor(client: client, space: space, task: PredictionTask(), demonstrations: [])
            .predictWithSpread([arch])[0].get()
        // The server's digits: d at 0.6, d + 1 at 0.25, d - 1 at 0.15 (mod 10), independent per position.
        func digit(_ d: Double) -> (mean: Double, variance: Double, low: Double, high: Double) {
            let alternatives = [
                (d, 0.6), ((d + 1).truncatingRemainder(dividingBy: 10), 0.25),
                ((d + 9).truncatingRemainder(dividingBy: 10), 0.15),
            ]
            let mean = alternatives.reduce(0) { $0 + $1.0 * $1.1 }
            return (
                mean, alternatives.reduce(0) { $0 + $1.1 * ($1.0 - mean) * ($1.0 - mean) },
                alternatives.map(\.0).min()!, alternatives.map(\.0).max()!
            )
        }
        let positions = [(digit(2), 10.0), (digit(5), 1.0), (digit(3), 0.1)]
        #expect(abs(estimate.value - positions.reduce(0) { $0 + $1.0.mean * $1.1 }) < 1e-9)
        #expect(
            abs(estimate.standardDeviation - positions.reduce(0) { $0 + $1.0.variance * $1.1 * $1.1 }.squareRoot())
                < 1e-9)
        #expect(
            abs(estimate.low - positions.reduce(0) { $0 + $1.0.low * $1.1 }) < 1e-9 && abs(estimate.high - 36.4) < 1e-9)
        let body = try await server.log()[0].body
        #expect(body.contains("\"logprobs\":true") && body.contains("\"top_logprobs\":10"))
        #expect(space.activeCount(ofHyperparameter: 6, in: arch) == 1)
        let other = try #require(
            RepoData.demonstrations(data, 30).first { space.activeCount(ofHyperparameter: 6, in: $0.architecture) != 1 }
        )
        guard
            case .failure(let error) = LLMPPPredictor(
                client: client, space: space, task: PredictionTask(), demonstrations: []
            ).predictWithSpread([other.architecture])[0]
        else {
            Issue.record("an answer without log-probabilities gave an expectation")
            return
        }
        #expect(error.kind == .badResponse && error.message.contains("log-probabilities"))
    }

    @Test func calibrationFitsTheDemonstrationsLeaveOneOut() async throws {
        try await server.script()
        let demos = RepoData.demonstrations(data, 10)
        var task = PredictionTask()
        task.calibration = .affine
        let client = try makeClient(server)
        let predictor = LLMPPPredictor(client: client, space: space, task: task, demonstrations: demos)
        var stages: [String] = []
        let results = predictor.predict([demos[0].architecture]) { report in
            if stages.last != report.stage { stages.append(report.stage) }
            return true
        }
        #expect(stages == ["calibration", "llmpp"])
        #expect(client.ledger.requests == 11)
        // The server answers 20 + 2 x GFLOPs; the fitted line maps those answers to the measured BLEU.
        let answered = demos.map {
            20 + 2 * Double(
                DecimalFormat.fixed(Double(try! space.costModel!.counts(of: $0.architecture, in: space).flops) / 1e9, 1)
            )!
        }
        let line = try AffineCalibration(fitting: answered, to: demos.map(\.score))
        guard case .affine(let fitted) = predictor.calibration else {
            Issue.record("no affine calibration")
            return
        }
        #expect(fitted == line)
        #expect(abs(try results[0].get() - line.apply(answered[0])) < 1e-9)
    }

    @Test func calibrationPromptsShowTheOthersInTheirOrderAsAPredictionWould() async throws {
        try await server.script()
        let demos = RepoData.demonstrations(data, 10)
        let builder = PromptBuilder(space: space, task: PredictionTask())
        let client = try makeClient(server, "\"max_concurrency\": 1")
        _ = try LLMPPPredictor(client: client, space: space, task: PredictionTask(), demonstrations: demos)
            .fitCalibration()
        let prompts = try await server.log().map(\.body)
        #expect(prompts.count == 10)
        for (held, demo) in demos.enumerated() {
            var others = demos
            others.remove(at: held)
            // The prompt a new architecture gets with the other nine demonstrations, byte for byte.
            let expected = try builder.messages(demonstrations: others, judging: demo.architecture)
            let content = JSONWriter.write(.string(expected.last!.content))
            #expect(prompts.filter { $0.contains(content) }.count == 1, "demonstration \(held) is judged once")
        }
    }
}
