#if LLMNAS_FAULT_INJECTION
    import Foundation
    import CLLMNAS
    import Testing
    @testable import LLMNAS
    @testable import LLMNASCore
    import LLMNASTestSupport

    /// curl's torture mode, for llmnas: each operation that writes a file or talks to the network runs once to count
    /// its fallible calls (open, read, write, fsync, rename, lock, truncate, HTTP attempts), then once per call with
    /// that call failing. Every faulted run must end with a status other than LLMNAS_OK and a message naming the
    /// failure, leave no temporary or partial file, and leave the previous model, checkpoint or cache loadable with
    /// everything written before the fault. Leaks are LeakSanitizer's to find (`make test-asan` runs this suite too).
    @Suite(.serialized) final class TortureTests {
        let server: ScriptedServer
        let folder: TemporaryFolder
        let space: OpaquePointer
        /// Architectures of hat-wmt14ende to predict, and two demonstrations.
        let archs: [String]
        let demos: String

        init() throws {
            server = try ScriptedServer()
            folder = try TemporaryFolder("llmnas-torture")
            var space: OpaquePointer? = nil
            guard llmnas_space_builtin("hat-wmt14ende", &space) == LLMNAS_OK, let space else {
                throw LLMNASError(.notFound, "no space")
            }
            self.space = space
            var json: UnsafeMutablePointer<CChar>? = nil
            guard llmnas_space_sample(space, 11, 8, &json) == LLMNAS_OK, let json else {
                throw LLMNASError(.io, "no sample")
            }
            defer { llmnas_string_free(json) }
            archs = try JSONParser.parse(String(cString: json)).arrayValue!.map { JSONWriter.write($0) }
            demos =
                "[{\"architecture\": \(archs[6]), \"score\": 25.1}, {\"architecture\": \(archs[7]), \"score\": 26.3}]"
        }

        deinit { llmnas_space_free(space) }

        var lastError: String { String(cString: llmnas_last_error()) }

        /// The client config of the operations that talk to the scripted server: no retries, so each failed attempt is
        /// the item's failure, one request at a time, so the calls come in the same order on every run.
        func clientConfig(cache: String) -> String {
            #"{"model": "scripted", "base_url": "\#(server.baseURL)", "retries": 0, "max_concurrency": 1, "#
                + #""cache_file": "\#(cache)"}"#
        }

        /// What a faulted run of an operation returned.
        struct Run {
            let plan: FaultPlan
            let status: llmnas_status
            let message: String
        }

        /// Runs `operation` under a counting plan, then once per counted call with that call failing (`prepare` first,
        /// to put the files back as they were), and hands each faulted run to `check`. A run must fail with the fault
        /// in its message; one that may go on past a failed item (distillation drops an unlabelled architecture) may
        /// instead succeed with the fault in what `reported` returns. Prints and returns the number of faults injected
        /// and of runs that ended as they must.
        @discardableResult
        func torture(
            _ name: String, prepare: () async throws -> Void = {}, _ operation: () -> llmnas_status,
            check: (Run) async throws -> Bool = { _ in true },
            reported: () -> String? = { nil }
        ) async throws -> (injected: Int, survived: Int) {
            try await prepare()
            let counting = FaultPlan()
            let clean = FaultPlan.$current.withValue(counting) { operation() }
            #expect(clean == LLMNAS_OK, "\(name) without faults: \(lastError)")
            let calls = counting.calls
            #expect(!calls.isEmpty, "\(name) makes no fallible call")
            var survived = 0
            for call in 1...max(calls.count, 1) {
                try await prepare()
                let plan = FaultPlan(failing: call)
                let status = FaultPlan.$current.withValue(plan) { operation() }
                let report = status == LLMNAS_OK ? reported() : nil
                let run = Run(plan: plan, status: status, message: report ?? lastError)
                guard let injected = plan.injected else {
                    Issue.record(
                        "\(name): call \(call) of \(calls.count) was not reached (\(plan.calls.count) calls made)")
                    continue
                }
                let named =
                    injected.point == .http
                    ? "Couldn't connect to server" : String(cString: strerror(injected.point.errorNumber))
                let clear = (status != LLMNAS_OK || report != nil) && run.message.contains(named)
                #expect(
                    clear, "\(name): \(injected.point) at call \(call) gave status \(status.rawValue): \(run.message)")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
                    $0.contains(".tmp-")
                }
                #expect(leftovers.isEmpty, "\(name): \(injected.point) at call \(call) left \(leftovers)")
                for leftover in leftovers { unlink(folder.file(leftover)) }
                if try await check(run), clear, leftovers.isEmpty { survived += 1 }
            }
            let points = Dictionary(grouping: calls, by: \.self).map { "\($0.value.count) \($0.key)" }.sorted().joined(
                separator: ", ")
            print(
                "torture \(name): \(calls.count) fallible calls (\(points)); \(calls.count) faults injected, "
                    + "\(survived) survived"
            )
            #expect(survived == calls.count, "\(name)")
            return (calls.count, survived)
        }

        /// A library-owned string's text, freed.
        func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
            defer { llmnas_string_free(pointer) }
            return pointer.map { String(cString: $0) }
        }

        /// A small MLP trained through C.
        func trainedMLP(seed: Int) -> OpaquePointer? {
            let x: [Float] = (0..<40).map { Float(($0 * (seed + 3)) % 11) }
            let y: [Float] = (0..<20).map { Float($0 % 5) }
            var mlp: OpaquePointer? = nil
            _ = llmnas_mlp_train("{\"hidden\": [4], \"steps\": 5, \"seed\": \(seed)}", x, y, 20, 2, nil, nil, &mlp)
            return mlp
        }

        // MARK: - Files alone

        @Test func savingAModelKeepsThePreviousOneThroughEveryFault() async throws {
            let path = folder.file("model.mlp")
            let old = try #require(trainedMLP(seed: 1))
            let new = try #require(trainedMLP(seed: 2))
            defer {
                llmnas_mlp_free(old)
                llmnas_mlp_free(new)
            }
            #expect(llmnas_mlp_save(old, path) == LLMNAS_OK)
            let oldBytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try await torture(
                "model save", prepare: { try oldBytes.write(to: URL(fileURLWithPath: path)) },
                { llmnas_mlp_save(new, path) }
            ) { run in
                var loaded: OpaquePointer? = nil
                defer { llmnas_mlp_free(loaded) }
                let kept =
                    try Data(contentsOf: URL(fileURLWithPath: path)) == oldBytes
                    && llmnas_mlp_load(path, &loaded) == LLMNAS_OK
                #expect(kept, "the previous model after \(String(describing: run.plan.injected))")
                return kept
            }
        }

        @Test func trainingALatencyPredictorFailsCleanlyOnEveryReadFault() async throws {
            let source = try String(
                contentsOfFile: RepoData.root + "/data/hat-latency/wmt14ende_gpu_titanxp_all.csv", encoding: .utf8)
            let csv = folder.file("latency.csv")
            try source.split(separator: "\n").prefix(30).joined(separator: "\n").write(
                toFile: csv, atomically: true, encoding: .utf8)
            var model: OpaquePointer? = nil
            try await torture(
                "latency predictor training",
                {
                    var report: UnsafeMutablePointer<CChar>? = nil
                    llmnas_mlp_free(model)
                    model = nil
                    let status = llmnas_latency_predictor_train(
                        csv, #"{"hidden": [4], "steps": 5}"#, nil, nil, &model, &report)
                    llmnas_string_free(report)
                    return status
                }
            ) { run in
                #expect(model == nil, "no model after \(String(describing: run.plan.injected))")
                return model == nil
            }
            llmnas_mlp_free(model)
        }

        @Test func everyReportFormatKeepsThePreviousReportThroughEveryFault() async throws {
            var search: OpaquePointer? = nil
            var graph: OpaquePointer? = nil
            #expect(llmnas_space_builtin("nas-bench-graph", &graph) == LLMNAS_OK)
            defer { llmnas_space_free(graph) }
            #expect(
                llmnas_search_create(
                    graph,
                    #"{"iterations": 3, "population": 8, "parents": 2, "mutations": 3, "crossovers": 3, "seed": 4}"#,
                    &search) == LLMNAS_OK)
            defer { llmnas_search_free(search) }
            #expect(runSearch(search!) == LLMNAS_OK)
            for format in ["jsonl", "csv", "html"] {
                let path = folder.file("report.\(format)")
                let old = Data("an earlier report".utf8)
                try await torture(
                    "\(format) report", prepare: { try old.write(to: URL(fileURLWithPath: path)) },
                    { llmnas_search_write_report(search, path, format) }
                ) { _ in
                    try Data(contentsOf: URL(fileURLWithPath: path)) == old
                }
            }
        }

        // MARK: - Searches with a checkpoint

        /// Runs `search` to its end with the host estimator "host" (the gcn count of CABISearchTests).
        func runSearch(_ search: OpaquePointer) -> llmnas_status {
            "host".withCString { name in
                var record = llmnas_estimator(
                    version: UInt32(LLMNAS_ESTIMATOR_VERSION), name: name, score: CABISearchTests.countGCN,
                    user_data: nil, score_spread: nil)
                return llmnas_search_run(search, &record, 1, nil, nil)
            }
        }

        /// The best architecture and history of a finished search.
        func outcome(_ search: OpaquePointer) -> String {
            var best: UnsafeMutablePointer<CChar>? = nil
            var history: UnsafeMutablePointer<CChar>? = nil
            _ = llmnas_search_best(search, &best)
            _ = llmnas_search_history(search, &history)
            return (take(best) ?? "no best") + "\n" + (take(history) ?? "no history")
        }

        @Test func aSearchResumedFromTheCheckpointLeftByAnyFaultEndsAsTheUninterruptedOne() async throws {
            let checkpoint = folder.file("search.ckpt")
            let config =
                #"{"iterations": 6, "population": 10, "parents": 3, "mutations": 4, "crossovers": 3, "seed": 9, "#
                + #""checkpoint": "\#(checkpoint)"}"#
            var graph: OpaquePointer? = nil
            #expect(llmnas_space_builtin("nas-bench-graph", &graph) == LLMNAS_OK)
            defer { llmnas_space_free(graph) }
            var reference: OpaquePointer? = nil
            #expect(llmnas_search_create(graph, config, &reference) == LLMNAS_OK)
            #expect(runSearch(reference!) == LLMNAS_OK)
            let expected = outcome(reference!)
            llmnas_search_free(reference)
            try await torture(
                "checkpointed search", prepare: { unlink(checkpoint) },
                {
                    var search: OpaquePointer? = nil
                    defer { llmnas_search_free(search) }
                    let created = llmnas_search_create(graph, config, &search)
                    return created == LLMNAS_OK ? runSearch(search!) : created
                }
            ) { run in
                guard FileManager.default.fileExists(atPath: checkpoint) else { return true }  // the first write failed
                var resumed: OpaquePointer? = nil
                defer { llmnas_search_free(resumed) }
                guard llmnas_search_resume(checkpoint, &resumed) == LLMNAS_OK, let resumed else {
                    Issue.record(
                        "the checkpoint after \(String(describing: run.plan.injected)) does not load: \(lastError)")
                    return false
                }
                let same = runSearch(resumed) == LLMNAS_OK && outcome(resumed) == expected
                #expect(same, "resumed after \(String(describing: run.plan.injected))")
                return same
            }
        }

        // MARK: - The network and the response cache

        /// The answers a cache file holds (0 when there is no file).
        func cachedAnswers(_ path: String) throws -> Int {
            FileManager.default.fileExists(atPath: path) ? try ResponseCache(path: path).count : 0
        }

        /// After a faulted run: the cache loads and holds `before` answers plus every answer the server gave in the
        /// run, except one whose own append was the call that failed; a rerun without faults then asks only for the
        /// rest and ends as the clean run did (`rerun` gives its result).
        func cacheHoldsEverythingAnsweredBefore(
            _ run: Run, cache: String, before: Int, rerun: () -> String, expected: String
        ) async throws -> Bool {
            let answered = try await server.log().count
            let held = try cachedAnswers(cache)
            let injected = run.plan.injected!
            let lostAppend = (injected.point == .write || injected.point == .lock) && answered > 0
            let kept = held == before + answered - (lostAppend ? 1 : 0)
            #expect(kept, "after \(injected): \(held) cached, \(before) before and \(answered) answered in the run")
            try await server.script()
            let again = rerun()
            let resent = try await server.log().count
            let total = try cachedAnswers(cache)
            let paidOnce = again == expected && resent == total - held
            #expect(paidOnce, "the rerun after \(injected) sent \(resent) requests for \(total - held) missing answers")
            try await server.script()
            return kept && paidOnce
        }

        /// The torture of `operation` (its status and its result) starting each run without the cache file: the clean
        /// run's result is what a rerun after each fault must give; `reported` is what the operation reported failing.
        func tortureFromAnEmptyCache(
            _ name: String, cache: String, _ operation: () -> (llmnas_status, String),
            reported: () -> String?
        ) async throws {
            try await server.script()
            let expected = operation().1
            try await torture(
                name,
                prepare: {
                    unlink(cache)
                    try await server.script()
                }, { operation().0 },
                check: { run in
                    try await self.cacheHoldsEverythingAnsweredBefore(
                        run, cache: cache, before: 0, rerun: { operation().1 }, expected: expected)
                }, reported: reported)
        }

        /// LLM-PP of `archs` through a new client on `cache`; the status and the scores.
        func predict(_ archs: ArraySlice<String>, cache: String) -> (llmnas_status, String) {
            var llm: OpaquePointer? = nil
            let created = llmnas_llm_create(clientConfig(cache: cache), &llm)
            guard created == LLMNAS_OK else { return (created, "") }
            defer { llmnas_llm_free(llm) }
            var scores = [Double](repeating: .nan, count: archs.count)
            let status = llmnas_llmpp_predict(
                llm, space, nil, demos, "[" + archs.joined(separator: ",") + "]", &scores, nil, archs.count, nil, nil)
            return (status, scores.map { "\($0)" }.joined(separator: " "))
        }

        @Test func theResponseCacheKeepsEveryAnswerAppendedBeforeAnyFault() async throws {
            let cache = folder.file("predict.cache")
            let seeded = folder.file("seeded.cache")
            try await server.script()
            #expect(predict(archs[0..<2], cache: seeded).0 == LLMNAS_OK)
            // The seeded cache ends in a torn record (a crash in the middle of an append), which opening cuts off.
            let seededBytes = try Data(contentsOf: URL(fileURLWithPath: seeded)) + Data([40, 0, 0, 0, 9, 0])
            let items = archs[0..<6]
            try FileManager.default.copyItem(atPath: seeded, toPath: cache)
            let expected = predict(items, cache: cache).1
            try await torture(
                "LLM-PP with the response cache",
                prepare: {
                    try seededBytes.write(to: URL(fileURLWithPath: cache))
                    try await server.script()
                }, { predict(items, cache: cache).0 }
            ) { run in
                try await cacheHoldsEverythingAnsweredBefore(
                    run, cache: cache, before: 2, rerun: { predict(items, cache: cache).1 }, expected: expected)
            }
        }

        /// What a distilled model predicts for the sampled architectures ("" without a model).
        func predictions(of mlp: OpaquePointer?) -> String {
            guard let mlp else { return "" }
            let width = 128
            var features = [Float](repeating: 0, count: archs.count * width)
            var rows = 0
            var dim = 0
            guard llmnas_space_feature_count(space, &dim) == LLMNAS_OK, dim <= width,
                llmnas_arch_features_batch(
                    space, "[" + archs.joined(separator: ",") + "]", &features, features.count, &rows) == LLMNAS_OK
            else { return "no features" }
            var out = [Float](repeating: .nan, count: rows)
            _ = llmnas_mlp_predict(mlp, Array(features.prefix(rows * dim)), rows, dim, &out)
            return out.map { "\($0)" }.joined(separator: " ")
        }

        @Test func distillationThroughTheCacheLosesNoAnswerToAnyFault() async throws {
            let cache = folder.file("distill.cache")
            let pool = folder.file("pool.jsonl")
            var firstFailure: String?
            try archs.prefix(6).joined(separator: "\n").write(toFile: pool, atomically: true, encoding: .utf8)
            let distill = { () -> (llmnas_status, String) in
                var llm: OpaquePointer? = nil
                let created = llmnas_llm_create(self.clientConfig(cache: cache), &llm)
                guard created == LLMNAS_OK else { return (created, "") }
                defer { llmnas_llm_free(llm) }
                var mlp: OpaquePointer? = nil
                var report: UnsafeMutablePointer<CChar>? = nil
                let status = llmnas_llmpp_distill(
                    llm, self.space, nil, self.demos, pool, 4, 5, #"{"hidden": [4], "steps": 5}"#, nil, nil, &mlp,
                    &report)
                defer { llmnas_mlp_free(mlp) }
                #expect(status == LLMNAS_OK || (mlp == nil && report == nil), "nothing is written on failure")
                firstFailure = (try? JSONParser.parse(self.take(report) ?? "{}"))?["first_failure"]?.stringValue
                return (status, self.predictions(of: mlp))
            }
            try await tortureFromAnEmptyCache("distillation with the response cache", cache: cache, distill) {
                firstFailure
            }
        }

        @Test func thePaperProtocolThroughTheCacheLosesNoAnswerToAnyFault() async throws {
            // The paper's data with three training (calibration's least) and two test architectures per task and seed.
            let data = folder.file("protocol-data")
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            let source = RepoData.root + "/data/llmpp-wmt"
            try FileManager.default.copyItem(atPath: source + "/labeled.csv", toPath: data + "/labeled.csv")
            let splits = try String(contentsOfFile: source + "/splits.csv", encoding: .utf8).split(
                whereSeparator: \.isNewline)
            var kept = [String(splits[0])]
            var perSplit: [String: Int] = [:]
            for line in splits.dropFirst() {
                let fields = line.split(separator: ",")
                let group = "\(fields[0]) \(fields[1]) \(fields[3])"
                perSplit[group, default: 0] += 1
                if perSplit[group]! <= (fields[3] == "train" ? 3 : 2) { kept.append(String(line)) }
            }
            try (kept.joined(separator: "\n") + "\n").write(
                toFile: data + "/splits.csv", atomically: true, encoding: .utf8)
            let cache = folder.file("protocol.cache")
            var firstFailure: String?
            let evaluate = { () -> (llmnas_status, String) in
                var llm: OpaquePointer? = nil
                let created = llmnas_llm_create(self.clientConfig(cache: cache), &llm)
                guard created == LLMNAS_OK else { return (created, "") }
                defer { llmnas_llm_free(llm) }
                var out: UnsafeMutablePointer<CChar>? = nil
                let status = llmnas_protocol_run(llm, data, nil, nil, nil, &out)
                #expect(status == LLMNAS_OK || out == nil, "nothing is written on failure")
                let json = (try? JSONParser.parse(self.take(out) ?? "{}")) ?? .null
                firstFailure = json["first_failure"]?.stringValue
                return (status, json["text"]?.stringValue ?? "")
            }
            try await tortureFromAnEmptyCache("paper protocol with the response cache", cache: cache, evaluate) {
                firstFailure
            }
        }
    }
#endif
