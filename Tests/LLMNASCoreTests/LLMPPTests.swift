import Foundation
import Testing
@testable import LLMNASCore
import LLMNASTestSupport

/// LLM-PP predictions and the paper's protocol against the scripted loopback server.
@Suite(.serialized) final class LLMPPTests {
    let server: ScriptedServer
    let space: SearchSpace
    let data: LabeledData

    init() throws {
        server = try ScriptedServer()
        space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        data = try LabeledData(directory: RepoData.root + "/data/llmpp-wmt")
    }

    func demonstrations(_ count: Int) throws -> [Demonstration] {
        try data.rows.filter { $0.task == "wmt14ende" }.prefix(count).map {
            Demonstration(architecture: $0.architecture, score: $0.values["scratch_valid_bleu"]!)
        }
    }

    @Test func predictsOneScorePerArchitectureWithPerItemErrors() async throws {
        try await server.script(#"[{"match": "decoder_layer_num: 2", "answer": "BLEU: 26.1 points"}, {"match": "decoder_layer_num: 3", "answer": "I cannot tell."}, {"match": "decoder_layer_num: 4", "answer": "250"}, {"match": "decoder_layer_num: 5", "status": 503}]"#)
        let client = try makeClient(server, "\"retries\": 1")
        let predictor = LLMPPPredictor(client: client, space: space, task: PredictionTask(), demonstrations: [])
        var generator = SeededGenerator(seed: 4)
        var archs: [Architecture] = []
        while archs.count < 5 {
            let a = try space.sample(using: &generator)
            let layers = space.activeCount(ofHyperparameter: 6, in: a)
            if layers == archs.count + 1 { archs.append(a) }
        }
        let results = predictor.predict(archs)
        let gflops = Double(space.costModel!.counts(of: archs[0], in: space).flops) / 1e9
        #expect(try results[0].get() == Double(DecimalFormat.fixed(20 + 2 * Double(DecimalFormat.fixed(gflops, 1))!, 2)))
        #expect(try results[1].get() == 26.1)
        for (i, kind) in [(2, LLMNASError.Kind.badAnswer), (3, .badAnswer), (4, .httpError)] {
            guard case let .failure(error) = results[i] else { Issue.record("item \(i) succeeded"); continue }
            #expect(error.kind == kind)
        }
    }

    @Test func samplesCombineByMedianOrMean() async throws {
        try await server.script(#"[{"answers": ["10", "30", "35", "no idea"]}]"#)
        let arch = try demonstrations(1)[0].architecture
        let median = try makeClient(server, "\"n\": 4")
        #expect(try LLMPPPredictor(client: median, space: space, task: PredictionTask(), demonstrations: []).predict([arch])[0].get() == 30)
        let mean = try makeClient(server, "\"n\": 4, \"aggregate\": \"mean\"")
        #expect(try LLMPPPredictor(client: mean, space: space, task: PredictionTask(), demonstrations: []).predict([arch])[0].get() == 25)
        let body = try await server.log()[0].body
        #expect(body.contains("\"n\":4"))
    }

    @Test func calibrationFitsTheDemonstrationsLeaveOneOut() async throws {
        try await server.script()
        let demos = try demonstrations(10)
        var task = PredictionTask()
        task.calibrate = true
        let client = try makeClient(server)
        let predictor = LLMPPPredictor(client: client, space: space, task: task, demonstrations: demos)
        var stages: [String] = []
        let results = predictor.predict([demos[0].architecture]) { stage, _, _ in
            if stages.last != stage { stages.append(stage) }
            return true
        }
        #expect(stages == ["calibration", "llmpp"])
        #expect(client.ledger.requests == 11)
        // The server answers 20 + 2 x GFLOPs; the fitted line maps those answers to the measured BLEU.
        let answered = demos.map { 20 + 2 * Double(DecimalFormat.fixed(Double(space.costModel!.counts(of: $0.architecture, in: space).flops) / 1e9, 1))! }
        let line = try AffineCalibration(fitting: answered, to: demos.map(\.score))
        #expect(predictor.calibration == line)
        #expect(abs(try results[0].get() - line.apply(answered[0])) < 1e-9)
    }

    @Test func theProtocolReproducesTheSupernetBaselinesFromTheData() throws {
        let result = try PaperProtocol(data: data, client: nil)
        #expect(result.rows.map(\.predictor) == ["HAT supernet", "Sandwich supernet", "Layer-wise MoS", "Neuron-wise MoS", "Params least squares"])
        // Recompute one cell independently: HAT supernet on wmt14enfr, split seed 456.
        let csv = try CSVTable(path: RepoData.root + "/data/llmpp-wmt/labeled.csv")
        let splits = try CSVTable(path: RepoData.root + "/data/llmpp-wmt/splits.csv")
        let test = splits.rows.filter { $0["split_seed"] == "456" && $0["task"] == "wmt14enfr" && $0["split"] == "test" }.map { $0["arch_id"]! }
        let rows = test.map { id in csv.rows.first { $0["arch_id"] == id && $0["task"] == "wmt14enfr" }! }
        let errors = rows.map { abs(Double($0["hat_supernet_valid_bleu"]!)! - Double($0["scratch_valid_bleu"]!)!) }
        let cell = result.rows[0].cells["wmt14enfr"]!
        #expect(test.count == 20)
        #expect(abs(cell.mae[1] - errors.reduce(0, +) / 20) < 1e-12)
        #expect(cell.mae.count == 3 && cell.tau.count == 3 && cell.failures == 0)
        #expect(result.text.contains("HAT supernet"))
        #expect(result.text.split(separator: "\n").count == 6)
    }

    @Test func theProtocolRunsLLMPPOverHTTP() async throws {
        try await server.script()
        let client = try makeClient(server, "\"max_concurrency\": 8")
        var reports = 0
        let result = try PaperProtocol(data: data, client: client) { _, _, _ in reports += 1; return true }
        #expect(result.rows.map(\.predictor).prefix(2) == ["LLM-PP", "LLM-PP calibrated"])
        #expect(client.ledger.requests == 9 * 20 + 9 * 10)
        #expect(reports == 9 * 30)
        #expect(result.calibrations.count == 9)
        for task in PaperProtocol.tasks { #expect(result.rows[0].cells[task]!.failures == 0) }
        let json = result.json
        #expect(json["rows"]?.arrayValue?.count == 7)
    }

    @Test func theProtocolCanBeCancelled() async throws {
        try await server.script()
        let client = try makeClient(server)
        do {
            _ = try PaperProtocol(data: data, client: client) { _, done, _ in done < 5 }
            Issue.record("not cancelled")
        } catch {
            #expect(error.kind == .cancelled)
        }
    }

    @Test func distillationLabelsAPoolAndLearnsTheLabels() async throws {
        try await server.script()
        let client = try makeClient(server, "\"max_concurrency\": 8")
        let predictor = LLMPPPredictor(client: client, space: space, task: PredictionTask(), demonstrations: try demonstrations(3))
        let pool = try Distillation.readPool(RepoData.root + "/data/llmpp-wmt/unlabeled_archs.jsonl", in: space)
        #expect(pool.count == 8500)
        let config = try MLPConfig(json: JSONParser.parse(#"{"hidden": [64, 64], "learning_rate": 0.003, "steps": 800, "batch_size": 32}"#))
        let (model, report) = try Distillation.run(predictor: predictor, pool: pool, labels: 120, seed: 7, config: config)
        #expect(report["labels"] == .number(120) && report["failed"] == .number(0))
        #expect(report["label_requests"] == .number(120))
        #expect(client.ledger.requests == 120)
        // The server labels 20 + 2 x GFLOPs; the distilled MLP must rank unseen architectures the same way.
        let unseen = Array(pool.suffix(200))
        var predicted = [Float](repeating: 0, count: unseen.count)
        model.predict(unseen.flatMap { space.features(of: $0) }, rows: unseen.count, into: &predicted)
        let truth = unseen.map { 20 + 2 * Double(space.costModel!.counts(of: $0, in: space).flops) / 1e9 }
        #expect(RankMetrics.kendallTauB(predicted.map(Double.init), truth) > 0.6)
    }

    @Test func theProtocolAddsADistilledRow() async throws {
        try await server.script()
        let client = try makeClient(server, "\"max_concurrency\": 8")
        let directory = NSTemporaryDirectory()
        let options = try PaperProtocol.Options(json: JSONParser.parse(#"{"calibrate": false, "distill": {"labels": 40, "tasks": ["wmt14ende"], "seeds": [123], "mlp": {"hidden": [16], "steps": 50}, "save_dir": "\#(directory)"}}"#))
        let result = try PaperProtocol(data: data, client: client, options: options)
        let saved = directory + "/distilled-wmt14ende-123.mlp"
        defer { unlink(saved) }
        #expect(try MLP.load(from: saved).inputCount == 10, "the distilled model is saved for later use (a search)")
        #expect(result.rows.map(\.predictor).prefix(2) == ["LLM-PP", "LLM-Distill-PP"])
        #expect(result.rows[1].cells.keys.sorted() == ["wmt14ende"])
        #expect(result.rows[1].cells["wmt14ende"]!.mae.count == 1)
        #expect(result.distillations.keys.sorted() == ["wmt14ende/123"])
        #expect(client.ledger.requests == 9 * 20 + 40)
        #expect(throws: LLMNASError.self) { try PaperProtocol.Options(json: JSONParser.parse(#"{"distill": {"tasks": ["wmt16"]}}"#)) }
    }
}
