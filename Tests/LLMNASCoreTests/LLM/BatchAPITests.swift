import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// Batches as Batch API jobs against the scripted server's files and batches endpoints. Serialized: the server's
/// script is shared.
@Suite(.serialized) final class BatchAPITests {
    let server: ScriptedServer
    let folder: TemporaryFolder

    init() throws {
        server = try ScriptedServer()
        folder = try TemporaryFolder("llmnas-batch")
    }

    let prices = #""price_prompt_per_1k": 2, "price_cached_prompt_per_1k": 0.5, "price_completion_per_1k": 4"#

    func prompts(_ count: Int) -> [[ChatMessage]] {
        (0..<count).map {
            [ChatMessage(role: "user", content: "architecture number \($0) of a batch; GFLOPs: \($0).5\nBLEU:")]
        }
    }

    /// A batch client with its own cache file; `extra` adds config members.
    func batchClient(_ cache: String, batch: String = "", _ extra: String = "") throws -> LLMClient {
        let batchMembers = #""poll_seconds": 0.01, "poll_max_seconds": 0.05"# + (batch.isEmpty ? "" : ", " + batch)
        return try makeClient(
            server,
            #""cache_file": "\#(folder.path)/\#(cache)", "batch": {\#(batchMembers)}, \#(prices)"#
                + (extra.isEmpty ? "" : ", " + extra))
    }

    /// The dollars of what the server reported for the answers it logged, at the test's prices times `factor`.
    func pricedUsage(_ log: [ScriptedServer.Logged], factor: Double) -> Double {
        log.compactMap(\.usage).reduce(0.0) { sum, usage in
            let prompt = Double(usage["prompt_tokens"]?.exactInt ?? 0)
            let cached = Double(usage["prompt_tokens_details"]?["cached_tokens"]?.exactInt ?? 0)
            let completion = Double(usage["completion_tokens"]?.exactInt ?? 0)
            return sum + ((prompt - cached) / 1000 * 2 + cached / 1000 * 0.5 + completion / 1000 * 4) * factor
        }
    }

    @Test func aJobAnswersEveryRequestAtTheBatchPriceAndFillsTheCache() async throws {
        try await server.script(#"[{"match": "number 1 ", "cached": 10}]"#)
        try await server.batchScript(#""polls": 2"#)
        let client = try batchClient("complete.llmnas")
        let results = client.complete(prompts(5))
        #expect(
            try results.map { try $0.get() }
                == (0..<5).map { ["\(DecimalFormat.fixed(20 + 2 * (Double($0) + 0.5), 2))"] })
        let jobs = try await server.batches()
        #expect(
            jobs["batches"]?.arrayValue?.count == 1 && jobs["files"]?.exactInt == 2,
            "one job: its input and output files")
        #expect(jobs["batches"]?.arrayValue?.first?["status"] == .string("completed"))
        let log = try await server.log()
        #expect(log.count == 5 && log.allSatisfy { $0.path.hasPrefix("/v1/batches/batch_0#llmnas-") })
        #expect(client.ledger.batchJobs == 1 && client.ledger.requests == 5 && client.ledger.failures == 0)
        #expect(client.ledger.cachedPromptTokens == 10)
        #expect(
            abs(client.ledger.cost - pricedUsage(log, factor: 0.5)) < 1e-9,
            "the ledger is the server's priced usage at half price")
        #expect(
            !FileManager.default.fileExists(atPath: "\(folder.path)/complete.llmnas.batches"),
            "a collected job leaves the list")
        let again = try batchClient("complete.llmnas")
        #expect(try again.complete(prompts(5)).map { try $0.get() } == results.map { try $0.get() })
        #expect(again.ledger.cacheHits == 5 && again.ledger.batchJobs == 0, "every answer was cached")
    }

    @Test func aPartlyFailedJobEndsEachItemWithItsOwnStatus() async throws {
        try await server.script(
            #"[{"match": "number 3 ", "status": 500, "body": "{\"error\": {\"message\": \"overloaded\"}}"}]"#)
        let client = try batchClient("partial.llmnas")
        let results = client.complete(prompts(5))
        for (i, result) in results.enumerated() {
            if i == 3 {
                guard case .failure(let error) = result else {
                    Issue.record("item 3 should fail")
                    continue
                }
                #expect(
                    error.kind == .httpError && error.message.contains("HTTP 500 in batch job batch_0")
                        && error.message.contains("overloaded"))
            } else {
                #expect((try? result.get()) != nil, "item \(i)")
            }
        }
        #expect(client.ledger.failures == 1)
    }

    @Test func anExpiredJobFailsWhatItDidNotRunAndARerunSendsOnlyThat() async throws {
        try await server.script()
        try await server.batchScript(#""outcome": "expired", "answered": 2"#)
        let client = try batchClient("expired.llmnas")
        let results = client.complete(prompts(5))
        let failed = results.compactMap { (result: Result<[String], LLMNASError>) -> LLMNASError? in
            if case .failure(let error) = result { error } else { nil }
        }
        #expect(results.count - failed.count == 2)
        #expect(failed.count == 3 && failed.allSatisfy { $0.kind == .timeout && $0.message.contains("expired") })
        try await server.batchScript(#""outcome": "completed""#)
        let rerun = try batchClient("expired.llmnas")
        #expect(rerun.complete(prompts(5)).allSatisfy { (try? $0.get()) != nil })
        #expect(
            rerun.ledger.cacheHits == 2 && rerun.ledger.requests == 3, "only the three unanswered requests go out again"
        )
    }

    @Test func aCancelledJobCancelsWhatItDidNotRun() async throws {
        try await server.script()
        try await server.batchScript(#""outcome": "cancelled", "answered": 1"#)
        let results = try batchClient("cancelled.llmnas").complete(prompts(3))
        let kinds = results.map { (result: Result<[String], LLMNASError>) -> LLMNASError.Kind? in
            if case .failure(let error) = result { error.kind } else { nil }
        }
        #expect(kinds.filter { $0 == nil }.count == 1 && kinds.filter { $0 == .cancelled }.count == 2)
        try await server.batchScript(#""outcome": "failed""#)
        let failed = try batchClient("failed.llmnas").complete(prompts(2))
        #expect(
            failed.allSatisfy {
                if case .failure(let error) = $0 {
                    error.kind == .badResponse && error.message.contains("scripted job failure")
                } else {
                    false
                }
            })
    }

    @Test func aCallPastItsWaitLeavesTheJobListedAndTheNextCallCollectsIt() async throws {
        try await server.script()
        try await server.batchScript(#""polls": 1000000"#)
        let first = try batchClient("waiting.llmnas", batch: #""max_wait_seconds": 0.05"#)
        let results = first.complete(prompts(4))
        #expect(
            results.allSatisfy {
                if case .failure(let error) = $0 {
                    error.kind == .timeout && error.message.contains("stays listed")
                } else {
                    false
                }
            })
        let listed = try JSONParser.parse(
            String(contentsOfFile: "\(folder.path)/waiting.llmnas.batches", encoding: .utf8))
        #expect(listed["jobs"]?.arrayValue?.first?["id"] == .string("batch_0"))
        try await server.batchScript(#""polls": 0"#)
        let second = try batchClient("waiting.llmnas")
        #expect(second.complete(prompts(4)).allSatisfy { (try? $0.get()) != nil })
        #expect(try await server.batches()["batches"]?.arrayValue?.count == 1, "the same job, not a second one")
        #expect(
            second.ledger.batchJobs == 0 && second.ledger.cost > 0, "the answers are charged where they are collected")
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/waiting.llmnas.batches"))
    }

    @Test func theBudgetCutsTheJobAndTheRestCompletes() async throws {
        try await server.script()
        let client = try batchClient("budget.llmnas", "\"max_requests\": 3")
        let results = client.complete(prompts(5))
        let refused = results.filter {
            if case .failure(let error) = $0 { error.kind == .budgetExceeded } else { false }
        }
        #expect(refused.count == 2 && client.ledger.budgetRefused == 2 && client.ledger.requests == 3)
        #expect(try await server.log().count == 3, "the job holds only the requests the budget let go")
    }

    @Test func aBatchConfigNeedsACacheFile() {
        #expect(throws: LLMNASError.self) {
            _ = try LLMConfig(json: JSONParser.parse(#"{"model": "m", "batch": {}}"#))
        }
    }
}
