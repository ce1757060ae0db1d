import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// The client over real HTTP against the scripted loopback server. Serialized: the server's script is shared.
@Suite(.serialized) final class LLMClientTests {
    let server: ScriptedServer
    let folder: TemporaryFolder

    init() throws {
        server = try ScriptedServer()
        folder = try TemporaryFolder("llmnas-client")
    }

    func prompt(_ text: String) -> [ChatMessage] { [ChatMessage(role: "user", content: text)] }

    @Test func answersEveryPromptAndKeepsTheLedger() async throws {
        try await server.script()
        let client = try makeClient(server, "\"price_prompt_per_1k\": 1, \"price_completion_per_1k\": 2")
        let results = client.complete([prompt("GFLOPs: 2.5\nBLEU:"), prompt("nothing")])
        #expect(try results[0].get() == ["25.00"])
        #expect(try results[1].get() == ["25.00"])
        #expect(client.ledger.requests == 2)
        #expect(client.ledger.retries == 0)
        #expect(client.ledger.completionTokens == 6)
        #expect(client.ledger.promptTokens > 0)
        #expect(client.ledger.cost == Double(client.ledger.promptTokens) / 1000 + 6.0 / 1000 * 2)
        let log = try await server.log()
        #expect(log.allSatisfy { $0.path == "/v1/chat/completions" })
        #expect(
            log.map(\.body).sorted().first
                == #"{"model":"scripted","messages":[{"role":"user","content":"GFLOPs: 2.5\nBLEU:"}],"#
                + #""temperature":0,"max_tokens":16,"n":1}"#
        )
    }

    @Test func honoursRetryAfterThenSucceeds() async throws {
        try await server.script(#"[{"status": 429, "retry_after": 1, "times": 1}]"#)
        let client = try makeClient(server)
        let results = client.complete([prompt("x")])
        #expect(try results[0].get() == ["25.00"])
        #expect(client.ledger.requests == 2)
        #expect(client.ledger.retries == 1)
        let log = try await server.log()
        #expect(log[1].start - log[0].end >= 0.9, "the retry waited for Retry-After")
    }

    @Test func serverErrorsAreRetriedABoundedNumberOfTimes() async throws {
        try await server.script(#"[{"status": 500, "match": "always-fails"}]"#)
        let client = try makeClient(server, "\"retries\": 3")
        let results = client.complete([prompt("always-fails"), prompt("fine")])
        guard case .failure(let error) = results[0] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.kind == .httpError)
        #expect(error.message.contains("HTTP 500 after 4 attempts"))
        #expect(try results[1].get() == ["25.00"])
        #expect(client.ledger.requests == 5)
        #expect(client.ledger.retries == 3)
        #expect(client.ledger.failures == 1)
        #expect(try await server.log().filter { $0.body.contains("always-fails") }.count == 4)
    }

    @Test func clientErrorsAreNotRetried() async throws {
        try await server.script(#"[{"status": 401, "body": "{\"error\": \"bad key\"}"}]"#)
        let client = try makeClient(server)
        guard case .failure(let error) = client.complete([prompt("x")])[0] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.kind == .httpError)
        #expect(error.message.contains("HTTP 401: {\"error\": \"bad key\"}"))
        #expect(client.ledger.requests == 1)
    }

    @Test(arguments: [401, 403])
    func aRefusalSentWithoutAKeyNamesTheEmptyVariable(status: Int) async throws {
        try await server.script("[{\"status\": \(status)}]")
        let unset = try makeClient(server, #""api_key_env": "MY_KEY""#, environment: ["MY_KEY": ""])
        guard case .failure(let error) = unset.complete([prompt("x")])[0] else {
            Issue.record("no failure")
            return
        }
        #expect(error.message.contains("no API key was sent: the environment variable MY_KEY"))
        let set = try makeClient(server, environment: ["OPENAI_API_KEY": "sk-refused"])
        guard case .failure(let refused) = set.complete([prompt("x")])[0] else {
            Issue.record("no failure")
            return
        }
        #expect(refused.message.hasPrefix("HTTP \(status)") && !refused.message.contains("no API key"))
    }

    @Test func aHangPastTheTimeoutIsATimeout() async throws {
        try await server.script(#"[{"hang": 3, "match": "slow"}]"#)
        let client = try makeClient(server, "\"timeout_seconds\": 0.3, \"retries\": 1")
        let results = client.complete([prompt("slow"), prompt("quick")])
        guard case .failure(let error) = results[0] else {
            Issue.record("expected a timeout")
            return
        }
        #expect(error.kind == .timeout)
        #expect(error.message.contains("after 2 attempts"))
        #expect(try results[1].get() == ["25.00"])
        #expect(client.ledger.requests == 3)
    }

    @Test func aRefusedConnectionFailsAfterTheRetries() throws {
        let config = try LLMConfig(
            json: JSONParser.parse(
                "{\"base_url\": \"http://127.0.0.1:\(ScriptedServer.closedPort())/v1\", \"model\": \"m\", "
                    + "\"retries\": 2, \"backoff_seconds\": 0.01}"
            ))
        let client = try LLMClient(config: config) { _ in nil }
        guard case .failure(let error) = client.complete([prompt("x")])[0] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.kind == .connectionFailed)
        #expect(error.message.contains("after 3 attempts"))
        #expect(client.ledger.requests == 3)
        #expect(client.ledger.retries == 2)
    }

    @Test func cachedPromptTokensAreCountedAndPricedApart() async throws {
        let long = String(repeating: "a shared prefix, ", count: 40)
        // OpenAI's usage.prompt_tokens_details.cached_tokens, then llama-server's timings.cache_n.
        for rule in [#"[{"cached": 100}]"#, #"[{"cache_n": 100}]"#] {
            try await server.script(rule)
            let client = try makeClient(
                server, #""price_prompt_per_1k": 2, "price_cached_prompt_per_1k": 0.5, "price_completion_per_1k": 4"#)
            let results = client.complete([prompt(long + "one"), prompt(long + "two")])
            #expect(results.allSatisfy { (try? $0.get()) != nil })
            let ledger = client.ledger
            #expect(ledger.cachedPromptTokens == 200 && ledger.promptTokens > 200, "\(rule): \(ledger)")
            let expected =
                Double(ledger.promptTokens - 200) / 1000 * 2 + 200.0 / 1000 * 0.5 + Double(ledger.completionTokens)
                / 1000 * 4
            #expect(abs(ledger.cost - expected) < 1e-12, "\(rule): every token class at its own price")
            #expect(ledger.json(statusName: { "\($0)" })["cached_prompt_tokens"] == .number(200))
        }
        try await server.script(#"[{"cached": 100}]"#)
        let unpriced = try makeClient(server, #""price_prompt_per_1k": 2"#)
        _ = unpriced.complete([prompt(long)])
        #expect(
            abs(unpriced.ledger.cost - Double(unpriced.ledger.promptTokens) / 1000 * 2) < 1e-12,
            "cached tokens cost the prompt price unless a price of their own is given")
    }

    @Test func anOptionLibcurlRefusesFailsTheItemWithCurlsMessage() throws {
        // libcurl refuses strings over 8,000,000 bytes (CURL_MAX_INPUT_LENGTH): setting the URL fails, nothing is sent.
        let url = "http://127.0.0.1:\(ScriptedServer.closedPort())/" + String(repeating: "a", count: 8_000_001)
        let config = try LLMConfig(
            json: .object([("base_url", .string(url)), ("model", .string("m")), ("retries", .number(3))]))
        let client = try LLMClient(config: config) { _ in nil }
        guard case .failure(let error) = client.complete([prompt("x")])[0] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.kind == .invalidArgument)
        #expect(error.message.hasPrefix("libcurl refused CURLOPT_URL:"))
        #expect(client.ledger.retries == 0, "a refused setup is not retried")
    }

    @Test func truncatedJSONIsABadResponseAndNotRetried() async throws {
        try await server.script(#"[{"raw": "{\"choices\": [{\"message\": {\"content\": \"26"}]"#)
        let client = try makeClient(server)
        guard case .failure(let error) = client.complete([prompt("x")])[0] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.kind == .badResponse)
        #expect(error.message.contains("not JSON"))
        #expect(client.ledger.requests == 1)
    }

    @Test func aDroppedConnectionIsRetried() async throws {
        try await server.script(#"[{"drop": true, "times": 1}]"#)
        let client = try makeClient(server)
        #expect(try client.complete([prompt("x")])[0].get() == ["25.00"])
        #expect(client.ledger.retries == 1)
    }

    @Test func aResponseOverTheBoundIsRefused() async throws {
        let huge = String(repeating: "9", count: 5000)
        try await server.script("[{\"answer\": \"\(huge)\"}]")
        let client = try makeClient(server, "\"max_response_bytes\": 2048")
        guard case .failure(let error) = client.complete([prompt("x")])[0] else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.kind == .badResponse)
        #expect(error.message.contains("2048 bytes"))
    }

    @Test(arguments: [401, 403])
    func aRefusedKeyEndsTheBatchInsteadOfSendingEveryItem(status: Int) async throws {
        try await server.script("[{\"status\": \(status)}]")
        let client = try makeClient(server, "\"max_concurrency\": 1")
        let results = client.complete((0..<5).map { prompt("item \($0)") })
        #expect(try await server.log().count == 1, "one refusal is enough")
        #expect(client.ledger.requests == 1)
        let errors = results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(errors.count == 5 && errors.allSatisfy { $0.kind == .httpError })
        #expect(
            errors.filter {
                $0.message.hasPrefix("not sent: an earlier request of the batch was refused (HTTP \(status)")
            }.count == 4)
    }

    @Test func requestsRunConcurrentlyUpToTheLimit() async throws {
        try await server.script(delay: 0.3)
        let wide = try makeClient(server, "\"max_concurrency\": 8")
        _ = wide.complete((0..<8).map { prompt("item \($0)") })
        #expect(ScriptedServer.maximumOverlap(try await server.log()) >= 6)
        try await server.script(delay: 0.1)
        let narrow = try makeClient(server, "\"max_concurrency\": 2")
        _ = narrow.complete((0..<6).map { prompt("item \($0)") })
        #expect(ScriptedServer.maximumOverlap(try await server.log()) == 2)
    }

    @Test func theCacheAnswersARerunWithoutRequestsAndNeverHoldsTheKey() async throws {
        try await server.script()
        let cache = folder.file("cache.llmnas")
        let secret = "sk-test-RECOGNISABLE-0123456789"
        let prompts = (0..<5).map { prompt("GFLOPs: \($0).0\nBLEU:") }
        let first = try makeClient(server, "\"cache_file\": \"\(cache)\"", environment: ["OPENAI_API_KEY": secret])
        let answers = first.complete(prompts).map { try? $0.get() }
        #expect(first.ledger.requests == 5)
        let log = try await server.log()
        #expect(log.allSatisfy { $0.headers["authorization"] == "Bearer \(secret)" })
        let second = try makeClient(server, "\"cache_file\": \"\(cache)\"", environment: ["OPENAI_API_KEY": secret])
        #expect(second.complete(prompts).map { try? $0.get() } == answers)
        #expect(second.ledger.requests == 0)
        #expect(second.ledger.cacheHits == 5)
        #expect(try await server.log().count == 5)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: cache))
        #expect(bytes.range(of: Data(secret.utf8)) == nil)
        #expect(bytes.range(of: Data("RECOGNISABLE".utf8)) == nil)
    }

    @Test func aCacheCutShortKeepsItsGoodRecords() async throws {
        try await server.script()
        let cache = folder.file("cut.llmnas")
        let prompts = (0..<4).map { prompt("p\($0)") }
        _ = try makeClient(server, "\"cache_file\": \"\(cache)\"").complete(prompts)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cache))
        bytes.removeLast(7)  // a crash in the middle of the last record
        try bytes.write(to: URL(fileURLWithPath: cache))
        let reopened = try makeClient(server, "\"cache_file\": \"\(cache)\"")
        _ = reopened.complete(prompts)
        #expect(reopened.ledger.cacheHits == 3)
        #expect(reopened.ledger.requests == 1)
        let again = try makeClient(server, "\"cache_file\": \"\(cache)\"")
        _ = again.complete(prompts)
        #expect(again.ledger.cacheHits == 4, "the re-asked answer was appended after the good records")
    }

    @Test func aForeignCacheFileIsRefusedAndKept() throws {
        let path = folder.file("foreign.txt")
        try Data("not a cache at all".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try makeClient(server, "\"cache_file\": \"\(path)\"")
            Issue.record("accepted a foreign file")
        } catch let error as LLMNASError {
            #expect(error.kind == .corruptFile)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not a cache at all")
    }

    @Test func equalPromptsInABatchAreSentOnce() async throws {
        try await server.script()
        let client = try makeClient(server)
        let results = client.complete([prompt("same"), prompt("other"), prompt("same")])
        #expect(results.allSatisfy { (try? $0.get()) == ["25.00"] })
        #expect(client.ledger.requests == 2)
    }

    @Test func progressCanCancelAndKeepsWhatArrived() async throws {
        try await server.script(delay: 0.05)
        let client = try makeClient(server, "\"max_concurrency\": 1")
        var done: [Int] = []
        let results = client.complete((0..<6).map { prompt("c\($0)") }) { report in
            done.append(report.done)
            #expect(report.stage == "completions" && report.total == 6)
            return report.done < 2
        }
        #expect(done == [0, 1, 2], "the start is reported before anything is sent")
        #expect(results.prefix(2).allSatisfy { (try? $0.get()) != nil })
        #expect(
            results.suffix(4).allSatisfy {
                if case .failure(let e) = $0 { return e.kind == .cancelled } else { return false }
            })
    }

    @Test func azureModeUsesTheDeploymentURLAndTheApiKeyHeader() async throws {
        try await server.script()
        let client = try makeClient(
            server, #""azure": {"api_version": "2024-06-01", "deployment": "gpt4"}, "api_key_env": "AZ_KEY""#,
            environment: ["AZ_KEY": "az-secret"])
        #expect(try client.complete([prompt("x")])[0].get() == ["25.00"])
        let log = try await server.log()
        #expect(log[0].path == "/v1/openai/deployments/gpt4/chat/completions?api-version=2024-06-01")
        #expect(log[0].headers["api-key"] == "az-secret")
        #expect(log[0].headers["authorization"] == nil)
    }

    @Test func completionsModeAndAnswerConstraintsShapeTheRequest() async throws {
        try await server.script()
        let base = try makeClient(
            server, #""api": "completions", "grammar": "root ::= [0-9]+", "answer_format": "grammar", "seed": 7"#)
        #expect(
            try base.complete([[ChatMessage(role: "system", content: "A"), ChatMessage(role: "user", content: "B")]])[0]
                .get() == ["25.00"])
        let schema = try makeClient(server, #""answer_format": "json_schema""#)
        _ = schema.complete([prompt("y")])
        let log = try await server.log()
        #expect(log[0].path == "/v1/completions")
        #expect(
            log[0].body
                == #"{"model":"scripted","prompt":"A\n\nB","temperature":0,"max_tokens":16,"n":1,"seed":7,"#
                + #""grammar":"root ::= [0-9]+"}"#
        )
        #expect(
            log[1].body.hasSuffix(
                #""response_format":{"type":"json_schema","json_schema":{"name":"score","schema":{"type":"number"}}}}"#)
        )
    }

    @Test func badConfigsNameTheKey() {
        for (config, words) in [
            (#"{"base_url": "ftp://x", "model": "m"}"#, "base_url"),
            (#"{"base_url": "http://x"}"#, "'model' is required"),
            (#"{"model": "m", "temperature": 9}"#, "'temperature' must be a number in [0, 2]"),
            (#"{"model": "m", "answer_format": "grammar"}"#, "needs a 'grammar'"),
            (#"{"model": "m", "colour": 1}"#, "unknown key 'colour'"),
            (#"{"model": "m", "n": 0}"#, "'n' must be an integer in [1, 128]"),
        ] {
            do {
                _ = try LLMConfig(json: JSONParser.parse(config)) { _ in nil }
                Issue.record("accepted \(config)")
            } catch {
                #expect(error.message.contains(words), "\(error.message)")
            }
        }
    }
}
