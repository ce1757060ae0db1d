import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// Choosing the prompt mode and predictor on the demonstrations, within a request budget, against the scripted
/// server.
@Suite(.serialized) final class ModeChoiceTests: ScriptedServerSuite {
    @Test func theChoiceComparesEveryModeAndPredictorByTheOneStandardErrorRule() async throws {
        try await server.script()
        let demos = RepoData.demonstrations(data, 10)
        let client = try makeClient(server)
        let outcome = try ModeChoice().run(
            client: client, space: space, task: PredictionTask(), demonstrations: demos)
        // Two prompt modes (every demonstration, the nearest 5) x three LLM predictors, and two cost lines.
        #expect(outcome.candidates.count == 8 && outcome.skipped.isEmpty)
        #expect(outcome.candidates.filter { $0.prompt?.nearestDemonstrations == 5 }.count == 3)
        // Cost lines first, then each mode's combined, calibrated and raw LLM-PP; the first within one standard
        // error of the least MAE is chosen.
        #expect(
            outcome.candidates.map(\.predictor) == ["params least squares", "GFLOPs least squares"]
                + Array(repeating: ["combined", "LLM-PP calibrated", "LLM-PP"], count: 2).flatMap { $0 })
        let least = outcome.candidates.map(\.mae).min()!
        #expect(outcome.least.mae == least && outcome.least.standardError > 0)
        let within = outcome.candidates.indices.filter {
            outcome.candidates[$0].mae <= least + outcome.least.standardError
        }
        #expect(outcome.chosen == within.first)
        let logged = try await server.log().count
        #expect(outcome.requests == 20 && logged == 20)
        // The chosen LLM candidate's task options reproduce its calibration.
        let json = outcome.json
        if outcome.choice.calibration != nil {
            #expect(json["task_options"]?["prompt"] != nil)
        } else {
            #expect(json["task_options"] == .null)
        }
    }

    @Test func theBudgetIsNeverPassedEvenWithRetries() async throws {
        // Every third request fails with a 500 and is retried: retries count against the budget too.
        try await server.script(#"[{"status": 500, "probability": 0.34}]"#)
        let demos = RepoData.demonstrations(data, 10)
        let client = try makeClient(server, #""retries": 3"#)
        var choice = ModeChoice()
        choice.maxRequests = 15
        let outcome = try choice.run(client: client, space: space, task: PredictionTask(), demonstrations: demos)
        let sent = try await server.log().count
        #expect(sent <= 15 && outcome.requests == sent && client.ledger.retries > 0)
        #expect(outcome.skipped.count == 1 && outcome.skipped[0].reason.contains("left in the budget"))
    }

    @Test func noBudgetLeavesTheCostLinesAndARefusalWithoutThem() async throws {
        try await server.script()
        let demos = RepoData.demonstrations(data, 10)
        let client = try makeClient(server)
        var choice = ModeChoice()
        choice.maxRequests = 0
        let outcome = try choice.run(client: client, space: space, task: PredictionTask(), demonstrations: demos)
        let logged = try await server.log().count
        #expect(outcome.requests == 0 && logged == 0)
        #expect(outcome.candidates.map(\.predictor) == ["params least squares", "GFLOPs least squares"])
        #expect(outcome.json["task_options"] == .null)
        let graph = try BuiltinSpaces.space(named: "nas-bench-graph")
        var generator = SeededGenerator(seed: 1)
        let graphDemos = try graph.sample(4, using: &generator).enumerated().map {
            Demonstration(architecture: $0.element, score: Double($0.offset))
        }
        do {
            _ = try choice.run(client: client, space: graph, task: PredictionTask(), demonstrations: graphDemos)
            Issue.record("a space without a cost model and no budget left nothing to choose from")
        } catch {
            #expect(error.kind == .budgetExceeded && error.message.contains("no cost model"))
        }
    }

    @Test func optionsAreReadAndBadOnesRefused() throws {
        let choice = try ModeChoice(
            json: JSONParser.parse(#"{"max_requests": 7, "prompt_modes": [{"nearest_demonstrations": 3}]}"#))
        #expect(choice.maxRequests == 7 && choice.promptModes?.first?.nearestDemonstrations == 3)
        for bad in [#"{"max_requests": -1}"#, #"{"prompt_modes": []}"#, #"{"budget": 3}"#] {
            #expect(throws: LLMNASError.self) { try ModeChoice(json: JSONParser.parse(bad)) }
        }
    }
}
