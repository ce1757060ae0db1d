import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// The combined predictor as LLM-PP's calibration, against the scripted server: an LLM answering one number gives
/// the cost line and no share, a truthful LLM is followed, and the fit is reported with the usage.
@Suite(.serialized) final class CombinedCalibrationTests: ScriptedServerSuite {
    /// The task calibrating with the combined predictor.
    var combinedTask: PredictionTask {
        var task = PredictionTask()
        task.calibration = .combined
        return task
    }

    /// The architectures judged: the 10 after the demonstrations.
    var judged: [Architecture] {
        Array(data.rows.filter { $0.task == "wmt14ende" }.dropFirst(10).prefix(10).map(\.architecture))
    }

    /// The cost features of an architecture.
    func costs(_ architecture: Architecture) -> [Double] { try! CombinedFit.costs(of: architecture, in: space) }

    @Test func anLLMAnsweringOneNumberGivesTheCostLineAndAShareOfZero() async throws {
        try await server.script(#"[{"answer": "25.00"}]"#)
        let demos = RepoData.demonstrations(data, 10)
        let client = try makeClient(server)
        let predictor = LLMPPPredictor(client: client, space: space, task: combinedTask, demonstrations: demos)
        let predicted = predictor.predict(judged).map { try! $0.get() }
        guard case .combined(let fit) = predictor.calibration else {
            Issue.record("no combined calibration")
            return
        }
        #expect(fit.llmShare == 0 && fit.anchor != nil)
        // The cost line: the least-squares line on the anchor, the cost feature whose line cross-validates best.
        let anchor = fit.anchor ?? 1
        let line = try AffineCalibration(
            fitting: demos.map { costs($0.architecture)[anchor - 1] }, to: demos.map(\.score))
        for (architecture, value) in zip(judged, predicted) {
            #expect(abs(value - line.apply(costs(architecture)[anchor - 1])) < 1e-6)
        }
        let usage = client.lastCalibration?.json
        #expect(usage?["kind"]?.stringValue == "combined" && usage?["llm_share"] == .number(0))
    }

    @Test func aTruthfulLLMIsFollowedWithAShareNearOne() async throws {
        try await server.script()
        // The scripted server answers 20 + 2 x the GFLOPs the prompt shows: scores that are exactly those answers
        // make it an LLM that knows them (the GFLOPs feature itself misses them by the prompt's rounding).
        func answer(_ architecture: Architecture) -> Double {
            Double(DecimalFormat.fixed(20 + 2 * Double(DecimalFormat.fixed(costs(architecture)[1], 1))!, 2))!
        }
        let demos = RepoData.demonstrations(data, 10).map {
            Demonstration(architecture: $0.architecture, score: answer($0.architecture))
        }
        let client = try makeClient(server)
        let combined = LLMPPPredictor(client: client, space: space, task: combinedTask, demonstrations: demos)
            .predict(judged).map { try! $0.get() }
        let raw = LLMPPPredictor(client: client, space: space, task: PredictionTask(), demonstrations: demos)
            .predict(judged).map { try! $0.get() }
        let truth = judged.map(answer)
        let mae = { (p: [Double]) in zip(p, truth).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(truth.count) }
        #expect(abs(mae(combined) - mae(raw)) <= 0.01)
        guard case .combined(let fit)? = client.lastCalibration else {
            Issue.record("no combined calibration reported")
            return
        }
        #expect(fit.llmShare > 0.9)
    }

    @Test func spreadsGoThroughTheCombinedLine() async throws {
        try await server.script(#"[{"answers": ["24.0", "26.0"]}]"#)
        let demos = RepoData.demonstrations(data, 10)
        let client = try makeClient(server, #""n": 2"#)
        let predictor = LLMPPPredictor(client: client, space: space, task: combinedTask, demonstrations: demos)
        let estimate = try predictor.predictWithSpread([judged[0]])[0].get()
        guard case .combined(let fit) = predictor.calibration else {
            Issue.record("no combined calibration")
            return
        }
        // Every demonstration's answer is the median 25: the LLM carries nothing, so no spread survives the line.
        #expect(fit.llmShare == 0 && estimate.standardDeviation == 0 && estimate.low == estimate.high)
    }
}
