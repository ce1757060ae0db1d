import Glibc
import LLMNASCore

/// The seed corpus of every harness, from the real data and from files the library itself writes. Run from the
/// repository's root (it reads data/).
enum SeedCorpus {
    static func write(to directory: String) throws {
        var seeds: [String: [[UInt8]]] = [:]
        func add(_ harness: String, _ text: String, prefix: UInt8? = nil) {
            seeds[harness, default: []].append((prefix.map { [$0] } ?? []) + Array(text.utf8))
        }
        for name in BuiltinSpaces.names { add("space", JSONWriter.write(try BuiltinSpaces.space(named: name).json)) }
        // A user's CNN space with numeric choices and the "cnn" cost model.
        add(
            "space",
            #"{"name": "cnn", "task": "t", "metric": {"name": "acc", "min": 0, "max": 1}, "hyperparameters": ["#
                + #"{"name": "stem_width", "meaning": "m", "choices": [16, 32]}, "#
                + #"{"name": "depth", "meaning": "m", "choices": [1, 2, 3]}, "#
                + #"{"name": "width", "meaning": "m", "choices": [16, 64], "layers": "depth"}, "#
                + #"{"name": "kernel", "meaning": "m", "choices": [3, 5], "layers": "depth"}, "#
                + #"{"name": "downsample", "meaning": "m", "choices": [0, 1], "layers": "depth"}, "#
                + #"{"name": "dropout", "meaning": "m", "choices": [0, 0.1, 2.5e-1]}], "#
                + #""cost_model": {"kind": "cnn", "input_channels": 3, "image_size": 32, "classes": 10}}"#)
        // A space whose cost a host function counts.
        add(
            "space",
            #"{"name": "head", "task": "t", "metric": {"name": "acc", "min": 0, "max": 1}, "hyperparameters": ["#
                + #"{"name": "units", "meaning": "m", "choices": [64, 128]}], "#
                + #""cost_model": {"kind": "host", "name": "head_cost"}, "featurizer": {"name": "f", "count": 3}, "#
                + #""layer_features": "per_layer"}"#)
        let labeled = try CSVTable(path: "data/llmpp-wmt/labeled.csv")
        for row in labeled.rows.prefix(30) { add("arch", row["arch_json"]!, prefix: 0) }
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            add("arch", Harnesses.graph.jsonText(of: try Harnesses.graph.sample(using: &generator)), prefix: 1)
        }
        let demos = labeled.rows.prefix(10).map {
            #"{"architecture": \#($0["arch_json"]!), "score": \#($0["scratch_valid_bleu"]!)}"#
        }
        add("demos", "[" + demos.joined(separator: ", ") + "]")
        let configs: [(UInt8, String)] = [
            (0, "{}"),
            (0, #"{"hidden": [16, 8], "steps": 5, "loss": "l1", "validation_fraction": 0.2, "patience": 2}"#),
            (1, #"{"model": "m", "base_url": "http://127.0.0.1:9/v1", "retries": 2, "answer_format": "json_schema"}"#),
            (1, #"{"model": "m", "api": "completions", "azure": {"api_version": "2024-02-01", "deployment": "d"}}"#),
            (
                2,
                #"{"seed": 3, "iterations": 4, "estimators": [{"name": "d", "kind": "mlp"}, {"name": "h"}], "#
                    + #""schedule": [{"estimator": "d", "fraction": [0, 0.5]}, {"estimator": "h", "iterations": [2, "#
                    + #"3]}], "constraints": [{"kind": "host", "name": "mem", "max": 2}]}"#
            ),
            (3, #"{"calibrate": false, "distill": {"labels": 40, "tasks": ["wmt14ende"], "seeds": [123]}}"#),
            (4, #"{"task": "machine translation", "dataset": "WMT'14 English-German", "calibrate": true}"#),
        ]
        for (kind, text) in configs { add("config", text, prefix: kind) }
        let a00 = labeled.rows[0]["arch_json"]!
        let calls: [(UInt8, String)] = [
            (128, JSONWriter.write(Harnesses.graph.json)), (1, a00), (2, "[" + a00 + "," + a00 + "]"), (3, a00),
            (
                4,
                #"{"iterations": 2, "estimators": [{"name": "s", "kind": "mlp"}, {"name": "h"}], "schedule": "#
                    + #"[{"estimator": "h", "fraction": [0, 1], "cascade": {"screen": "s", "keep_best": 3}}]}"#
            ),
            (5, "0123456789abcdef"), (6, "[{\"architecture\": " + a00 + ", \"score\": 25}]"),
            (7, #"{"model": "m", "max_cost": 1}"#),
        ]
        for (selector, text) in calls { seeds["capi", default: []].append([selector, 0, 16] + Array(text.utf8)) }
        add(
            "response",
            #"{"id": "x", "choices": [{"index": 0, "message": {"role": "assistant", "content": "BLEU: 26.1"}}], "#
                + #""usage": {"prompt_tokens": 812, "completion_tokens": 4}}"#
        )
        add("response", #"{"choices": [{"text": " 27.35"}, {"text": "28"}]}"#)
        add("response", #"{"error": {"message": "rate limited", "type": "requests"}}"#)
        let x: [Float] = (0..<40).map { Float($0 % 7) / 7 }
        let y: [Float] = (0..<20).map { Float($0) / 3 }
        let model = try MLPTrainer.train(
            config: MLPConfig(json: JSONParser.parse(#"{"hidden": [4], "steps": 3}"#)), x: x, y: y, rows: 20, dim: 2)
        seeds["mlp"] = [model.fileBytes]
        let path = directory + "/.seed.tmp"
        let config = try SearchConfig(
            json: JSONParser.parse(
                #"{"iterations": 3, "population": 8, "parents": 3, "mutations": 3, "crossovers": 2, "checkpoint": "#
                    + #""\#(path)"}"#
            ), space: Harnesses.graph)
        let search = try HybridSearch(space: Harnesses.graph, config: config)
        let (batch, _) = try search.ask()
        try search.tell(batch.map { Double($0.genes.reduce(0, +)) })
        seeds["checkpoint"] = [try FileIO.read(path)]
        unlink(path)
        let cache = try ResponseCache(path: path)
        try cache.store(
            #"{"choices": [{"message": {"content": "25.1"}}]}"#,
            for: #"http://127.0.0.1/v1/chat/completions {"model": "m"}"#)
        try cache.store(#"{"choices": [{"message": {"content": "26"}}]}"#, for: "k2")
        seeds["cache"] = [try FileIO.read(path)]
        unlink(path)
        for (harness, inputs) in seeds {
            let folder = directory + "/" + harness
            mkdir(folder, 0o755)
            for (i, bytes) in inputs.enumerated() { try FileIO.writeAtomically(bytes, to: "\(folder)/seed-\(i)") }
        }
        print("seed corpus: " + seeds.keys.sorted().map { "\($0) \(seeds[$0]!.count)" }.joined(separator: ", "))
    }
}
