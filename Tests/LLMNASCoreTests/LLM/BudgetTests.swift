import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// Budgets (`max_cost`, `max_requests`) and estimates over real HTTP against the scripted server. Serialized: the
/// server's script is shared.
@Suite(.serialized) final class BudgetTests {
    let server: ScriptedServer
    let folder: TemporaryFolder

    init() throws {
        server = try ScriptedServer()
        folder = try TemporaryFolder("llmnas-budget")
    }

    func prompts(_ count: Int, from first: Int = 0) -> [[ChatMessage]] {
        (first..<(first + count)).map {
            [ChatMessage(role: "user", content: String(repeating: "a prompt of some length ", count: 20) + "#\($0)")]
        }
    }

    @Test func aBatchIsCutAtMaxCostAndTheRestCompletes() async throws {
        try await server.script()
        // A request of ~600 body bytes costs ~150 prompt tokens at $1 per 1,000 plus 3 completion tokens: about
        // $0.15; reserved before any answer at a token per byte, about $0.60. A budget of $0.70 lets 4 go, one by one.
        let client = try makeClient(
            server,
            #""price_prompt_per_1k": 1, "price_completion_per_1k": 1, "max_cost": 0.7, "max_concurrency": 4, "#
                + #""max_tokens": 3"#
        )
        let results = client.complete(prompts(8))
        let refused = results.filter {
            if case .failure(let error) = $0 { error.kind == .budgetExceeded } else { false }
        }
        let answered = results.filter { (try? $0.get()) != nil }
        #expect(
            answered.count + refused.count == 8 && !refused.isEmpty && answered.count >= 3, "\(answered.count) answered"
        )
        #expect(
            client.ledger.cost <= 0.7 && client.ledger.budgetRefused == refused.count
                && client.ledger.requests == answered.count)
        let log = try await server.log()
        #expect(log.count == answered.count, "no request the budget refused reached the server")
        let message = (refused.first.map { if case .failure(let error) = $0 { error.message } else { "" } }) ?? ""
        #expect(message.contains("max_cost"), "\(message)")
    }

    @Test func maxRequestsCountsRetries() async throws {
        try await server.script(#"[{"status": 503, "times": 1}]"#)
        let client = try makeClient(server, #""max_requests": 3, "max_concurrency": 1"#)
        let results = client.complete(prompts(4))
        #expect(client.ledger.requests == 3 && client.ledger.retries == 1)
        #expect(results.filter { (try? $0.get()) != nil }.count == 2)
        #expect(
            results.filter { if case .failure(let error) = $0 { error.kind == .budgetExceeded } else { false } }.count
                == 2)
        let usage = client.ledger.json(statusName: { "\($0)" })
        #expect(usage["budget_refused"] == .number(2) && usage["failures"] == .number(2))
        #expect(usage["failures_by_status"] == .object([("budgetExceeded", .number(2))]))
    }

    @Test func theEstimateCountsWithTheTokenizerThenWithObservedRatesThenByTheRule() async throws {
        try await server.script(tokenizer: true)
        let counted = try makeClient(
            server, #""price_prompt_per_1k": 1, "price_completion_per_1k": 2, "max_tokens": 3"#)
        let estimate = counted.estimate(prompts(5))
        #expect(estimate.tokenSource == .tokenizer && estimate.requests == 5 && estimate.cached == 0)
        _ = counted.complete(prompts(5))
        #expect(estimate.promptTokens == counted.ledger.promptTokens, "the endpoint's own count")
        #expect(abs(estimate.costMax - counted.ledger.cost) < 1e-9, "completions at max_tokens, as the server answers")
        #expect(counted.ledger.requests == 5, "estimating sent no completion request")

        try await server.script()
        let learning = try makeClient(server, #""max_tokens": 3, "cache_file": "\#(folder.file("cache.llmnas"))""#)
        let byRule = learning.estimate(prompts(5))
        #expect(byRule.tokenSource == .rule && byRule.withinBudget == nil)
        _ = learning.complete(prompts(2))
        let observed = learning.estimate(prompts(5, from: 10))
        #expect(observed.tokenSource == .observed)
        _ = learning.complete(prompts(5, from: 10))
        let used = Double(learning.ledger.promptTokens) * 5 / 7
        #expect(abs(Double(observed.promptTokens) - used) / used < 0.1, "\(observed.promptTokens) against \(used)")
        let afterwards = learning.estimate(prompts(5, from: 10) + prompts(1, from: 99))
        #expect(afterwards.cached == 5 && afterwards.requests == 1)
    }

    @Test func theEstimateSaysWhetherTheBudgetHoldsIt() async throws {
        try await server.script()
        let client = try makeClient(server, #""max_requests": 3"#)
        #expect(client.estimate(prompts(3)).withinBudget == true)
        #expect(client.estimate(prompts(4)).withinBudget == false)
    }
}
