import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// LLM-Distill-PP: a pool labelled by LLM-PP over HTTP and an MLP that learns the labels.
@Suite(.serialized) final class DistillationTests: ScriptedServerSuite {
    @Test func distillationLabelsAPoolAndLearnsTheLabels() async throws {
        try await server.script()
        let client = try makeClient(server, "\"max_concurrency\": 8")
        let predictor = LLMPPPredictor(
            client: client, space: space, task: PredictionTask(), demonstrations: RepoData.demonstrations(data, 3))
        let pool = try Distillation.readPool(RepoData.root + "/data/llmpp-wmt/unlabeled_archs.jsonl", in: space)
        #expect(pool.count == 8500)
        let config = try MLPConfig(
            json: JSONParser.parse(#"{"hidden": [64, 64], "learning_rate": 0.003, "steps": 800, "batch_size": 32}"#))
        let (model, report) = try Distillation.run(
            predictor: predictor, pool: pool, labels: 120, seed: 7, config: config)
        #expect(report["labels"] == .number(120) && report["failed"] == .number(0))
        #expect(report["label_requests"] == .number(120))
        #expect(client.ledger.requests == 120)
        // The server labels 20 + 2 x GFLOPs; the distilled MLP must rank unseen architectures the same way.
        let unseen = Array(pool.suffix(200))
        let predicted = try model.predict(unseen, in: space)
        let truth = unseen.map { 20 + 2 * Double(try! space.costModel!.counts(of: $0, in: space).flops) / 1e9 }
        #expect(RankMetrics.kendallTauB(predicted.map(Double.init), truth) > 0.6)
    }
}
