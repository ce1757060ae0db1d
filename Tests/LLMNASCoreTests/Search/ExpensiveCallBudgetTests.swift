import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// `max_expensive_calls`: a search ends when its host estimators have answered that many scores.
@Suite struct ExpensiveCallBudgetTests {
    let graph = try! BuiltinSpaces.space(named: "nas-bench-graph")
    static let config =
        #"{"seed": 4, "population": 12, "parents": 4, "mutations": 4, "crossovers": 4, "iterations": 20, "#
        + #""max_expensive_calls": 30"#

    func run(_ search: HybridSearch, tells: Int = .max) throws -> [Int] {
        var sizes: [Int] = []
        while sizes.count < tells {
            let (candidates, _) = try search.ask()
            if search.isFinished { break }
            sizes.append(candidates.count)
            try search.tell(candidates.map { SearchTests.synthetic($0, in: graph) })
        }
        return sizes
    }

    @Test func theBudgetEndsTheSearchWithExactlyThatManyCallsAndTheLastIterationRecorded() throws {
        let search = try HybridSearch(
            space: graph, config: SearchConfig(json: JSONParser.parse(Self.config + "}"), space: graph))
        let sizes = try run(search)
        // 12 at first, 8 children an iteration after, the last batch cut to what the budget leaves.
        #expect(sizes == [12, 8, 8, 2])
        #expect(search.isFinished && search.expensiveCalls == 30)
        #expect(search.state.history.count == 4)
        // The last iteration's population: 4 parents, the 2 children scored, and 1 child that is a network scored
        // before (another encoding of it), which costs no call.
        #expect(search.state.history.last!.populationSize == 7)
        let best = try search.bestJSON()
        #expect(best["finished"] == .bool(true))
        let everyScore = search.state.scores[0].entries.map(\.score)
        #expect(best["best_score"] == .number(everyScore.max()!), "the best of all 30 scores is reported")
        do {
            try search.tell([1])
            Issue.record("a tell after the budget was accepted")
        } catch {
            #expect(error.message.contains("finished"))
        }
    }

    @Test func aResumedSearchKeepsTheBudget() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID()).ckpt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = Self.config + ", \"checkpoint\": \"\(path)\"}"
        let reference = try HybridSearch(
            space: graph, config: SearchConfig(json: JSONParser.parse(Self.config + "}"), space: graph))
        _ = try run(reference)
        let first = try HybridSearch(space: graph, config: SearchConfig(json: JSONParser.parse(config), space: graph))
        _ = try run(first, tells: 2)
        let resumed = try SearchCheckpoint.read(path)
        #expect(try run(resumed) == [8, 2])
        #expect(JSONWriter.write(resumed.historyJSON()) == JSONWriter.write(reference.historyJSON()))
    }

    @Test func theBudgetMustBePositive() {
        #expect(throws: LLMNASError.self) {
            try SearchConfig(json: JSONParser.parse(#"{"max_expensive_calls": 0}"#), space: graph)
        }
    }
}
