import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// A search whose first iterations are scored by LLM-PP directly, against the scripted loopback server.
@Suite(.serialized) final class SearchLLMTests {
    let server: ScriptedServer
    let space: SearchSpace

    init() throws {
        server = try ScriptedServer()
        space = try BuiltinSpaces.space(named: "hat-wmt14ende")
    }

    /// The first ten wmt14ende rows of the labelled data as demonstrations, in the config's JSON form.
    func demonstrationsJSON() throws -> String {
        let data = try LabeledData(directory: RepoData.root + "/data/llmpp-wmt")
        let rows = data.rows.filter { $0.task == "wmt14ende" }.prefix(10)
        return "["
            + rows.map {
                #"{"architecture": \#(space.jsonText(of: $0.architecture)), "score": "#
                    + #"\#($0.values["scratch_valid_bleu"]!)}"#
            }
            .joined(separator: ",") + "]"
    }

    func config() throws -> String {
        #"{"iterations": 4, "population": 12, "parents": 4, "mutations": 4, "crossovers": 4, "seed": 3,"#
            + #""estimators": [{"name": "llmpp", "kind": "llm", "demonstrations": \#(try demonstrationsJSON())}, "#
            + #"{"name": "supernet", "higher_is_better": false}],"#
            + #""schedule": [{"estimator": "llmpp", "iterations": [0, 1]}, {"estimator": "supernet", "iterations": "#
            + #"[2, 3]}],"#
            + #""constraints": [{"kind": "flops", "max": 4.5e9}]}"#
    }

    @Test func llmppScoresTheFirstIterationsThroughTheClient() async throws {
        try await server.script()
        let client = try makeClient(server, "\"max_concurrency\": 4")
        let search = try HybridSearch(
            space: space, config: SearchConfig(json: JSONParser.parse(config()), space: space))
        #expect { _ = try search.ask() } throws: { ($0 as! LLMNASError).message.contains("has no client") }
        try search.bind(client: client, to: "llmpp")
        let (batch, estimator) = try search.ask()
        #expect(estimator == "supernet")
        let llmScored = search.state.scores[0].count
        #expect(client.ledger.requests == llmScored, "one request per architecture LLM-PP scored, none twice")
        // The scripted server answers 20 + 2 x GFLOPs (one decimal): the LLM's scores are those answers.
        for entry in search.state.scores[0].entries {
            let gflops = Double(try! space.costModel!.counts(of: entry.architecture, in: space).flops) / 1e9
            #expect(abs(entry.score - (20 + 2 * gflops)) < 0.2)
            #expect(entry.iteration <= 1 && entry.constraintValues.count == 1 && entry.constraintValues[0] <= 4.5e9)
        }
        #expect(search.state.history.map(\.estimator) == ["llmpp", "llmpp"])
        #expect(search.state.history.allSatisfy { $0.best.constraintValues[0] <= 4.5e9 })
        try search.tell(batch.map { Double(try! space.costModel!.counts(of: $0, in: space).parameters) / 1e6 })
        _ = try search.ask()
        #expect(client.ledger.requests == llmScored, "the supernet phase sends nothing to the LLM")
    }

    @Test func anLLMEstimatorCalibratesWithTheCombinedPredictorOnce() async throws {
        try await server.script(#"[{"answer": "25.00"}]"#)
        let client = try makeClient(server, "\"max_concurrency\": 4")
        let config = try config().replacingOccurrences(
            of: #""kind": "llm", "#, with: #""kind": "llm", "task": {"calibrate": "combined"}, "#)
        let search = try HybridSearch(space: space, config: SearchConfig(json: JSONParser.parse(config), space: space))
        try search.bind(client: client, to: "llmpp")
        _ = try search.ask()
        let llmScored = search.state.scores[0].count
        #expect(client.ledger.requests == llmScored + 10, "the 10 leave-one-out answers once, for both iterations")
        guard case .combined(let fit)? = client.lastCalibration else {
            Issue.record("no combined calibration reported")
            return
        }
        // An LLM answering one number: the scores are the cost line's, which differ from architecture to architecture.
        #expect(fit.llmShare == 0 && Set(search.state.scores[0].entries.map(\.score)).count > 1)
    }

    @Test func anLLMScreenWithAnExpectationSendsItsLeastCertainOnToTheSupernet() async throws {
        try await server.script()
        let client = try makeClient(server, #""aggregate": "expectation", "max_concurrency": 4"#)
        let config =
            #"{"iterations": 2, "population": 12, "parents": 4, "mutations": 4, "crossovers": 4, "seed": 3,"#
            + #""estimators": [{"name": "llmpp", "kind": "llm", "demonstrations": \#(try demonstrationsJSON())}, "#
            + #"{"name": "supernet"}],"#
            + #""schedule": [{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "llmpp", "pool": 2,"#
            + #" "keep_best": 2, "keep_uncertain": 2}}]}"#
        let search = try HybridSearch(space: space, config: SearchConfig(json: JSONParser.parse(config), space: space))
        try search.bind(client: client, to: "llmpp")
        let (batch, estimator) = try search.ask()
        #expect(estimator == "supernet" && batch.count == 4)
        let screened = search.state.scores[0].entries
        #expect(screened.count == 24 && client.ledger.requests == 24)
        // The scripted server's digits are spread over neighbours, more widely where a digit wraps (9 to 0): the
        // expectation's standard deviation differs from item to item.
        let spreads = screened.map { $0.spread ?? -1 }
        #expect(spreads.allSatisfy { $0 > 0 } && Set(spreads).count > 1)
        let ranked = screened.sorted { $0.score > $1.score }
        let sent = Set(batch)
        #expect(ranked.prefix(2).allSatisfy { sent.contains($0.architecture) })
        let rest = ranked.dropFirst(2)
        let sentForSpread = rest.filter { sent.contains($0.architecture) }.map { $0.spread! }
        #expect(
            sentForSpread.count == 2
                && sentForSpread.min()! >= rest.filter { !sent.contains($0.architecture) }.map { $0.spread! }.max()!)
        try search.tell(batch.map { Double(try! space.costModel!.counts(of: $0, in: space).parameters) / 1e6 })
        #expect(
            search.state.history[0].cascade
                == CascadeRecord(screen: "llmpp", pool: 24, screened: 24, kept: 4, uncertain: 2))
    }

    @Test func aDeadLLMServerFailsTheStepAndKeepsTheSearchUsable() async throws {
        try await server.script(#"[{"status": 500}]"#)
        let client = try makeClient(server, "\"retries\": 0")
        let search = try HybridSearch(
            space: space, config: SearchConfig(json: JSONParser.parse(config()), space: space))
        try search.bind(client: client, to: "llmpp")
        #expect { _ = try search.ask() } throws: { error in
            let e = error as! LLMNASError
            return e.kind == .incomplete && e.message.hasPrefix("LLM estimator 'llmpp'") && e.message.contains("HTTP")
        }
        #expect(search.state.iteration == 0 && search.state.scores[0].count == 0)
        try await server.script()
        let (_, estimator) = try search.ask()
        #expect(estimator == "supernet", "once the server answers, the same search goes on")
    }
}
