import CLLMNAS
import Foundation
import LLMNASCore
import LLMNASTestSupport
import Testing

@testable import LLMNAS

/// The search functions called as a C host calls them.
@Suite struct CABISearchTests {
    var lastError: String { String(cString: llmnas_last_error()) }

    func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        defer { llmnas_string_free(pointer) }
        return pointer.map { String(cString: $0) }
    }

    /// A search of nas-bench-graph with `config`, freed after `body`.
    func withSearch<T>(_ config: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        var space: OpaquePointer? = nil
        var search: OpaquePointer? = nil
        #expect(llmnas_space_builtin("nas-bench-graph", &space) == LLMNAS_OK)
        defer { llmnas_space_free(space) }
        #expect(llmnas_search_create(space, config, &search) == LLMNAS_OK, "\(lastError)")
        defer { llmnas_search_free(search) }
        return try body(try #require(search))
    }

    /// A C score function: the number of gcn operations plus a link bonus, read from the candidates' JSON.
    static let countGCN: llmnas_score_fn = { json, n, scores, _ in
        guard let json, let scores, let list = try? JSONParser.parse(String(cString: json)).arrayValue,
            list.count == Int(n)
        else { return 1 }
        for (i, arch) in list.enumerated() {
            let ops = arch["ops"]!.arrayValue!.filter { $0.stringValue == "gcn" }.count
            scores[i] = Double(ops) + (arch["link"]?.stringValue == "0-1-2-3" ? 0.5 : 0)
        }
        return 0
    }

    /// `llmnas_search_run` with one estimator record.
    func run(
        _ search: OpaquePointer, _ name: String, _ score: llmnas_score_fn, _ progress: llmnas_progress_fn? = nil,
        _ user: UnsafeMutableRawPointer? = nil
    ) -> llmnas_status {
        name.withCString { cName in
            var record = llmnas_estimator(
                version: UInt32(LLMNAS_ESTIMATOR_VERSION), name: cName, score: score, user_data: nil, score_spread: nil)
            return llmnas_search_run(search, &record, 1, progress, user)
        }
    }

    @Test func askAndTellThroughTheCInterface() throws {
        try withSearch(#"{"iterations": 5, "seed": 2}"#) { search in
            var json: UnsafeMutablePointer<CChar>? = nil
            var name: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_search_best(search, &json) == LLMNAS_NOT_FOUND)
            while true {
                #expect(llmnas_search_ask(search, &json, &name) == LLMNAS_OK, "\(lastError)")
                let candidates = take(json)!
                let estimator = take(name)!
                if candidates == "[]" {
                    #expect(estimator == "")
                    break
                }
                #expect(estimator == "host")
                let count = try JSONParser.parse(candidates).arrayValue!.count
                var scores = [Double](repeating: 0, count: count)
                #expect(candidates.withCString { Self.countGCN($0, count, &scores, nil) } == 0)
                #expect(llmnas_search_tell(search, scores, count + 1) == LLMNAS_INVALID_ARGUMENT)
                #expect(llmnas_search_tell(search, scores, count) == LLMNAS_OK)
            }
            #expect(llmnas_search_best(search, &json) == LLMNAS_OK)
            let best = try JSONParser.parse(take(json)!)
            #expect(best["finished"] == .bool(true) && best["iteration"]?.exactInt == 4)
            guard case .number(let score)? = best["best_score"] else {
                Issue.record("no best_score")
                return
            }
            #expect(score >= 3)
            #expect(llmnas_search_tell(search, [1], 1) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError.contains("finished"))
        }
    }

    @Test func aWholeSpaceScreenRunsThroughTheCInterface() throws {
        let config =
            #"{"iterations": 8, "population": 4, "parents": 1, "mutations": 0, "crossovers": 0, "seed": 1, "#
            + #""estimators": [{"name": "host"}, {"name": "gp", "kind": "gp", "on": "host"}], "schedule": [{"#
            + #""estimator": "host", "fraction": [0, 1], "cascade": {"screen": "gp", "pool": "space", "keep_best": 4}}]}"#
        try withSearch(config) { search in
            #expect(run(search, "host", Self.countGCN) == LLMNAS_OK, "\(lastError)")
            var json: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_search_best(search, &json) == LLMNAS_OK)
            let best = try JSONParser.parse(take(json)!)
            guard case .number(let score)? = best["best_score"] else {
                Issue.record("no best_score")
                return
            }
            #expect(score >= 4, "32 calls out of 26,206 networks find four gcn operations (or three and the chain)")
        }
        var space: OpaquePointer? = nil
        var search: OpaquePointer? = nil
        #expect(llmnas_space_builtin("nas-bench-graph", &space) == LLMNAS_OK)
        defer { llmnas_space_free(space) }
        let scoring =
            #"{"estimators": [{"name": "gp", "kind": "gp", "on": "host"}, {"name": "host"}], "#
            + #""schedule": [{"estimator": "gp", "fraction": [0, 1]}]}"#
        #expect(llmnas_search_create(space, scoring, &search) == LLMNAS_INVALID_ARGUMENT && search == nil)
        #expect(lastError.contains("a Gaussian process screens whole-space cascades"))
    }

    @Test func runWithACallbackMatchesAskAndTell() throws {
        let config = #"{"iterations": 4, "seed": 8, "estimators": [{"name": "gcn"}]}"#
        let viaRun = try withSearch(config) { search -> String in
            var progressCalls = 0
            let status = withUnsafeMutablePointer(to: &progressCalls) { counter in
                run(
                    search, "gcn", Self.countGCN,
                    { _, user in
                        user!.assumingMemoryBound(to: Int.self).pointee += 1
                        return 0
                    }, counter)
            }
            #expect(status == LLMNAS_OK, "\(lastError)")
            #expect(progressCalls == 4)
            var json: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_search_history(search, &json) == LLMNAS_OK)
            return take(json)!
        }
        let viaAskTell = try withSearch(config) { search -> String in
            var json: UnsafeMutablePointer<CChar>? = nil
            var name: UnsafeMutablePointer<CChar>? = nil
            while llmnas_search_ask(search, &json, &name) == LLMNAS_OK, let text = take(json), take(name) != "" {
                let count = try JSONParser.parse(text).arrayValue!.count
                var scores = [Double](repeating: 0, count: count)
                _ = text.withCString { Self.countGCN($0, count, &scores, nil) }
                #expect(llmnas_search_tell(search, scores, count) == LLMNAS_OK)
            }
            #expect(llmnas_search_history(search, &json) == LLMNAS_OK)
            return take(json)!
        }
        #expect(viaRun == viaAskTell)
    }

    @Test func spreadsToldThroughTheCInterfaceReachTheTrialsAndTheCascade() throws {
        let config =
            #"{"iterations": 2, "population": 10, "parents": 3, "mutations": 4, "crossovers": 4, "seed": 5,"#
            + #""estimators": [{"name": "proxy"}, {"name": "host"}], "schedule": [{"estimator": "host", "fraction": "#
            + #"[0, 1],"#
            + #""cascade": {"screen": "proxy", "pool": 2, "keep_best": 2, "keep_uncertain": 1}}]}"#
        try withSearch(config) { search in
            var json: UnsafeMutablePointer<CChar>? = nil
            var name: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_search_ask(search, &json, &name) == LLMNAS_OK)
            let count = try JSONParser.parse(take(json)!).arrayValue!.count
            #expect(take(name) == "proxy" && count == 20)
            let scores = (0..<count).map { Double($0) }
            var spreads = (0..<count).map { $0 == 5 ? 9.0 : 0.5 }
            spreads[1] = -0.5
            #expect(llmnas_search_tell_spread(search, scores, spreads, count) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError.contains("spread 1 is -0.5"))
            spreads[1] = 0.5
            #expect(llmnas_search_tell_spread(search, nil, spreads, count) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_search_tell_spread(search, scores, spreads, count + 1) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_search_tell_spread(search, scores, spreads, count) == LLMNAS_OK, "\(lastError)")
            #expect(llmnas_search_ask(search, &json, &name) == LLMNAS_OK)
            let sent = try JSONParser.parse(take(json)!).arrayValue!
            #expect(take(name) == "host" && sent.count == 3, "the two best by score and the one with spread 9")
            #expect(
                llmnas_search_tell_spread(search, [1, 2, 3], nil, 3) == LLMNAS_OK,
                "NULL spreads tell as llmnas_search_tell")
            #expect(llmnas_search_trials(search, &json) == LLMNAS_OK)
            let trials = try JSONParser.parse(take(json)!)["trials"]!.arrayValue!
            let proxy = trials.filter { $0["estimator"]?.stringValue == "proxy" && $0["iteration"]?.exactInt == 0 }
            #expect(proxy.count == 20 && proxy.compactMap { $0["spread"] }.filter { $0 == .number(9) }.count == 1)
            #expect(trials.filter { $0["estimator"]?.stringValue == "host" }.allSatisfy { $0["spread"] == .null })
            #expect(llmnas_search_history(search, &json) == LLMNAS_OK)
            #expect(take(json)!.contains(#""kept":3,"uncertain":1"#))
        }
    }

    /// A version-2 screen: scores by position, spread 9 for the sixth candidate, 0.5 for the rest.
    static let spreadingProxy: llmnas_score_spread_fn = { _, n, scores, spreads, _ in
        for i in 0..<n {
            scores![i] = Double(i)
            spreads![i] = i == 5 ? 9 : 0.5
        }
        return 0
    }

    @Test func runTellsTheSpreadsOfAVersion2Record() throws {
        let config =
            #"{"iterations": 2, "population": 10, "parents": 3, "mutations": 4, "crossovers": 4, "seed": 5,"#
            + #""estimators": [{"name": "proxy"}, {"name": "host"}], "schedule": [{"estimator": "host", "#
            + #""fraction": [0, 1], "cascade": {"screen": "proxy", "pool": 2, "keep_best": 2, "keep_uncertain": 1}}]}"#
        try withSearch(config) { search in
            let status = "proxy".withCString { proxy in
                "host".withCString { host in
                    var records = [
                        llmnas_estimator(
                            version: UInt32(LLMNAS_ESTIMATOR_VERSION), name: proxy, score: nil, user_data: nil,
                            score_spread: Self.spreadingProxy),
                        llmnas_estimator(
                            version: UInt32(LLMNAS_ESTIMATOR_VERSION), name: host, score: Self.countGCN,
                            user_data: nil, score_spread: nil),
                    ]
                    return llmnas_search_run(search, &records, 2, nil, nil)
                }
            }
            #expect(status == LLMNAS_OK, "\(lastError)")
            var json: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_search_trials(search, &json) == LLMNAS_OK)
            let trials = try JSONParser.parse(take(json)!)["trials"]!.arrayValue!
            let proxy = trials.filter { $0["estimator"]?.stringValue == "proxy" && $0["iteration"]?.exactInt == 0 }
            #expect(proxy.count == 20 && proxy.filter { $0["spread"] == .number(9) }.count == 1)
            #expect(proxy.filter { $0["spread"] == .number(0.5) }.count == 19)
            #expect(trials.filter { $0["estimator"]?.stringValue == "host" }.allSatisfy { $0["spread"] == .null })
            #expect(llmnas_search_history(search, &json) == LLMNAS_OK)
            #expect(take(json)!.contains(#""kept":3,"uncertain":1"#))
        }
    }

    @Test func runReadsVersion1RecordsWithTheirOwnStride() throws {
        let reference = try withSearch(#"{"iterations": 3, "seed": 4}"#) { search in
            #expect(run(search, "host", Self.countGCN) == LLMNAS_OK)
            var json: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_search_history(search, &json) == LLMNAS_OK)
            return take(json)!
        }
        // Two version-1 records (version, name, score, user_data: 32 bytes each), the second an unused name.
        let stride = MemoryLayout<llmnas_estimator>.offset(of: \.score_spread)!
        #expect(stride == 32 && MemoryLayout<llmnas_estimator>.stride == 40)
        let history = try withSearch(#"{"iterations": 3, "seed": 4}"#) { search in
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: 2 * stride, alignment: 8)
            defer { buffer.deallocate() }
            let status = "host".withCString { host in
                "other".withCString { other in
                    for (i, name) in [host, other].enumerated() {
                        let record = buffer + i * stride
                        record.storeBytes(of: 1, toByteOffset: 0, as: UInt32.self)
                        record.storeBytes(
                            of: name, toByteOffset: MemoryLayout<llmnas_estimator>.offset(of: \.name)!,
                            as: UnsafePointer<CChar>.self)
                        record.storeBytes(
                            of: Self.countGCN, toByteOffset: MemoryLayout<llmnas_estimator>.offset(of: \.score)!,
                            as: llmnas_score_fn.self)
                        record.storeBytes(
                            of: nil, toByteOffset: MemoryLayout<llmnas_estimator>.offset(of: \.user_data)!,
                            as: UnsafeMutableRawPointer?.self)
                    }
                    return llmnas_search_run(
                        search, buffer.assumingMemoryBound(to: llmnas_estimator.self), 2, nil, nil)
                }
            }
            #expect(status == LLMNAS_OK, "\(lastError)")
            var json: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_search_history(search, &json) == LLMNAS_OK)
            return take(json)!
        }
        #expect(history == reference)
    }

    @Test func runRefusesRecordsWithNeitherOrBothCallbacksOrAnUnknownVersion() throws {
        try withSearch(#"{"iterations": 3}"#) { search in
            func attempt(_ record: llmnas_estimator) -> llmnas_status {
                var copy = record
                return "host".withCString { name in
                    copy.name = name
                    return llmnas_search_run(search, &copy, 1, nil, nil)
                }
            }
            let version = UInt32(LLMNAS_ESTIMATOR_VERSION)
            #expect(
                attempt(llmnas_estimator(version: version, name: nil, score: nil, user_data: nil, score_spread: nil))
                    == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError.contains("needs one of score and score_spread"))
            #expect(
                attempt(
                    llmnas_estimator(
                        version: version, name: nil, score: Self.countGCN, user_data: nil,
                        score_spread: Self.spreadingProxy)) == LLMNAS_INVALID_ARGUMENT)
            #expect(
                attempt(
                    llmnas_estimator(version: 9, name: nil, score: Self.countGCN, user_data: nil, score_spread: nil))
                    == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError.contains("version is 9; this library reads versions 1 and 2"))
            var json: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_search_history(search, &json) == LLMNAS_OK)
            #expect(take(json)!.contains(#""iteration":0"#), "nothing ran")
        }
    }

    @Test func runRefusesAMissingCallbackAndStopsOnAFailingOne() throws {
        try withSearch(#"{"iterations": 3}"#) { search in
            #expect(llmnas_search_run(search, nil, 0, nil, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError.contains("no callback for host estimator 'host'"))
            #expect(run(search, "host", { _, _, _, _ in 7 }) == LLMNAS_CANCELLED)
            #expect(lastError.contains("returned 7"))
            #expect(run(search, "host", Self.countGCN, { _, _ in 1 }) == LLMNAS_CANCELLED)
            var json: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_search_history(search, &json) == LLMNAS_OK)
            let history = try JSONParser.parse(take(json)!)
            #expect(history["iteration"]?.exactInt == 1, "the cancelled run kept its first iteration")
        }
    }

    @Test func bindingsAndBadArguments() throws {
        var out: OpaquePointer? = nil
        #expect(llmnas_search_create(nil, "{}", &out) == LLMNAS_INVALID_ARGUMENT)
        #expect(lastError == "space is NULL")
        try withSearch(
            #"{"estimators": [{"name": "d", "kind": "mlp"}], "constraints": [{"kind": "host", "name": "mem", "max": "#
                + #"2}]}"#
        ) { search in
            var latency: OpaquePointer? = nil
            #expect(llmnas_latency_predictor_builtin("wmt14ende-titanxp", &latency) == LLMNAS_OK)
            defer { llmnas_mlp_free(latency) }
            #expect(llmnas_search_bind_mlp(search, "d", latency) == LLMNAS_INVALID_ARGUMENT)
            #expect(lastError.contains("takes 10 features"))
            #expect(llmnas_search_bind_mlp(search, "nobody", latency) == LLMNAS_NOT_FOUND)
            #expect(llmnas_search_bind_constraint(search, "mem", nil, nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_search_bind_constraint(search, "cpu", { _, _, _ in 0 }, nil) == LLMNAS_NOT_FOUND)
            #expect(llmnas_search_bind_llm(search, "d", nil) == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_search_write_report(search, "/tmp/x", "pdf") == LLMNAS_INVALID_ARGUMENT)
            #expect(llmnas_search_tell(search, nil, 3) == LLMNAS_INVALID_ARGUMENT)
        }
        var missing: OpaquePointer? = nil
        #expect(llmnas_search_resume("/nonexistent/ckpt", &missing) == LLMNAS_IO_ERROR)
        #expect(missing == nil)
    }

    @Test func aFailingHostConstraintFailsTheStepAndChangesNothing() throws {
        try withSearch(#"{"iterations": 2, "constraints": [{"kind": "host", "name": "mem", "max": 2}]}"#) { search in
            #expect(llmnas_search_bind_constraint(search, "mem", { _, _, _ in 3 }, nil) == LLMNAS_OK)
            var json: UnsafeMutablePointer<CChar>? = nil
            var name: UnsafeMutablePointer<CChar>? = nil
            #expect(llmnas_search_ask(search, &json, &name) == LLMNAS_CANCELLED)
            #expect(lastError.contains("host constraint 'mem' returned 3"))
            #expect(json == nil && name == nil)
            #expect(
                llmnas_search_bind_constraint(
                    search, "mem",
                    { arch, value, _ in
                        value!.pointee = String(cString: arch!).contains("gat") ? 5 : 1
                        return 0
                    }, nil) == LLMNAS_OK)
            #expect(llmnas_search_ask(search, &json, &name) == LLMNAS_OK)
            #expect(!take(json)!.contains("gat"))
            _ = take(name)
        }
    }
}
