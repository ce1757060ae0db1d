/// The evaluation protocol of Jawahar et al. (2024): for each task and split seed, the 10 `train` architectures are
/// the demonstrations and the 20 `test` ones are predicted; each predictor is scored by MAE and Kendall tau-b against
/// the BLEU of the architectures trained from scratch (`scratch_valid_bleu`), as mean and standard deviation over
/// the three split seeds. Predictors side by side: LLM-PP (and LLM-PP calibrated) when a client is given, the four
/// weight-sharing supernets of the data, and a least-squares line of BLEU on the parameter count.
public enum PaperProtocol {
    /// The tasks and split seeds of the paper.
    public static let tasks = ["wmt14ende", "wmt14enfr", "wmt19ende"]
    /// The split seeds.
    public static let seeds = [123, 456, 789]
    /// The ground truth column.
    public static let truthColumn = "scratch_valid_bleu"
    /// The supernet baselines: display name and column.
    public static let supernets = [
        ("HAT supernet", "hat_supernet_valid_bleu"), ("Sandwich supernet", "sandwich_supernet_valid_bleu"),
        ("Layer-wise MoS", "layerwise_mos_valid_bleu"), ("Neuron-wise MoS", "neuronwise_mos_valid_bleu"),
    ]

    /// How LLM-PP runs in the protocol, from JSON `{"prompt": {…PromptOptions…}, "calibrate": true,
    /// "choose": {…choice options…}, "distill": {"labels": 3000, "tasks": [...], "seeds": [...], "mlp": {…MLPConfig…},
    /// "save_dir": "dir"}}`.
    public struct Options: Sendable {
        /// The prompt's parts.
        public var prompt = PromptOptions()
        /// Add the calibrated and the combined LLM-PP rows (both from the demonstrations' leave-one-out answers).
        public var calibrate = true
        /// Choose, on each split's demonstrations, the prompt mode and predictor (`ModeChoice`): a "chosen" row, and
        /// distillation from the chosen predictor's labels.
        public var choose: ModeChoice?
        /// Add an LLM-Distill-PP row: per split, `labels` architectures of the unlabelled pool labelled by LLM-PP
        /// with that split's demonstrations, an MLP trained on them, the test architectures predicted by the MLP.
        /// With `saveDirectory`, each model is saved there as `distilled-<task>-<seed>.mlp`.
        public var distill: (labels: Int, tasks: [String], seeds: [Int], mlp: MLPConfig, saveDirectory: String?)?

        /// Every prompt part on, with calibration.
        public init() {}

        /// Reads options; nil gives the defaults.
        public init(json: JSONValue?) throws(LLMNASError) {
            guard let json else { return }
            let r = try JSONObjectReader(
                json, context: "protocol options", allowed: ["prompt", "calibrate", "choose", "distill"],
                kind: .invalidArgument)
            prompt = try PromptOptions(json: r.value("prompt"))
            calibrate = try r.bool("calibrate") ?? true
            choose = try r.value("choose").map { (value: JSONValue) throws(LLMNASError) in try ModeChoice(json: value) }
            if let distillJSON = r.value("distill") {
                let d = try JSONObjectReader(
                    distillJSON, context: "protocol options 'distill'",
                    allowed: ["labels", "tasks", "seeds", "mlp", "save_dir"], kind: .invalidArgument)
                let tasks =
                    try d.value("tasks").map { (list: JSONValue) throws(LLMNASError) -> [String] in
                        guard let names = list.arrayValue?.compactMap(\.stringValue),
                            names.allSatisfy(PaperProtocol.tasks.contains)
                        else {
                            throw LLMNASError(
                                .invalidArgument,
                                "protocol options 'distill': 'tasks' must list tasks of \(PaperProtocol.tasks)")
                        }
                        return names
                    } ?? PaperProtocol.tasks
                let seeds =
                    try d.value("seeds").map { (list: JSONValue) throws(LLMNASError) -> [Int] in
                        guard let values = list.arrayValue?.compactMap(\.exactInt),
                            values.allSatisfy(PaperProtocol.seeds.contains)
                        else {
                            throw LLMNASError(
                                .invalidArgument,
                                "protocol options 'distill': 'seeds' must list seeds of \(PaperProtocol.seeds)")
                        }
                        return values
                    } ?? PaperProtocol.seeds
                distill = (
                    try d.int("labels", in: 2...1_000_000) ?? 3000, tasks, seeds, try MLPConfig(json: d.value("mlp")),
                    try d.string("save_dir")
                )
            }
        }
    }

    /// The task description the prompts use for each of the paper's tasks.
    public static func predictionTask(for task: String) -> PredictionTask {
        var t = PredictionTask()
        t.name = "machine translation"
        t.dataset =
            [
                "wmt14ende": "WMT'14 English-German", "wmt14enfr": "WMT'14 English-French",
                "wmt19ende": "WMT'19 English-German",
            ][task]
        t.backbone = "the encoder-decoder Transformer of Vaswani et al. (2017)"
        return t
    }

    /// Runs the protocol and returns its figures. `client` nil runs the baselines only. `progress` hears each
    /// split's stages ("LLM-PP <task> ...", "LLM-Distill-PP ...", "calibration ...") and may cancel.
    public static func run(
        data: LabeledData, client: LLMClient?, options: Options = Options(),
        progress: ProgressHandler = { _ in true }
    ) throws(LLMNASError) -> PaperProtocolResult {
        typealias Row = PaperProtocolResult.Row
        typealias Cell = PaperProtocolResult.Cell
        var result = PaperProtocolResult()
        var llm = Row(predictor: "LLM-PP", cells: [:])
        var calibrated = Row(predictor: "LLM-PP calibrated", cells: [:])
        var combined = Row(predictor: "LLM-PP combined", cells: [:])
        var chosen = Row(predictor: "chosen per split", cells: [:])
        var distilled = Row(predictor: "LLM-Distill-PP", cells: [:])
        var pool: [Architecture]?
        var supernetRows = PaperProtocol.supernets.map { Row(predictor: $0.0, cells: [:]) }
        var params = Row(predictor: "Params least squares", cells: [:])
        let totalSplits = PaperProtocol.tasks.count * PaperProtocol.seeds.count
        var splitIndex = 0
        for task in PaperProtocol.tasks {
            let space = try BuiltinSpaces.space(named: LabeledData.spaceOfTask[task]!)
            for seed in PaperProtocol.seeds {
                guard let split = data.splits[seed]?[task] else {
                    throw LLMNASError(.corruptFile, "splits.csv has no split for seed \(seed) and task \(task)")
                }
                let train = try split.train.map { (id: String) throws(LLMNASError) in try data.row(id, task: task) }
                let test = try split.test.map { (id: String) throws(LLMNASError) in try data.row(id, task: task) }
                let truth = try test.map { (row: LabeledData.Row) throws(LLMNASError) in
                    try PaperProtocol.value(row, PaperProtocol.truthColumn)
                }
                let stage = "\(task) seed \(seed) (\(splitIndex + 1)/\(totalSplits))"
                splitIndex += 1

                for (i, (_, column)) in PaperProtocol.supernets.enumerated() {
                    let predicted = try test.map { (row: LabeledData.Row) throws(LLMNASError) in
                        try PaperProtocol.value(row, column)
                    }
                    try supernetRows[i].cells[task, default: Cell()].add(predicted.map { .success($0) }, truth: truth)
                }
                let line = try AffineCalibration(
                    fitting: try train.map { (row: LabeledData.Row) throws(LLMNASError) in
                        try PaperProtocol.value(row, "params_no_emb")
                    },
                    to: try train.map { (row: LabeledData.Row) throws(LLMNASError) in
                        try PaperProtocol.value(row, PaperProtocol.truthColumn)
                    })
                let byParams = try test.map { (row: LabeledData.Row) throws(LLMNASError) in
                    line.apply(try PaperProtocol.value(row, "params_no_emb"))
                }
                try params.cells[task, default: Cell()].add(byParams.map { .success($0) }, truth: truth)

                guard let client else { continue }
                var predictionTask = PaperProtocol.predictionTask(for: task)
                predictionTask.options = options.prompt
                let demonstrations = try train.map { (row: LabeledData.Row) throws(LLMNASError) in
                    Demonstration(
                        architecture: row.architecture, score: try PaperProtocol.value(row, PaperProtocol.truthColumn))
                }
                let predictor = LLMPPPredictor(
                    client: client, space: space, task: predictionTask, demonstrations: demonstrations)
                var cancelled = false
                let raw = predictor.predictWithSpread(test.map(\.architecture)) { report in
                    cancelled = !progress(report.renamed("LLM-PP " + stage))
                    return !cancelled
                }
                if cancelled { throw LLMNASError(.cancelled, "the protocol was cancelled during \(stage)") }
                for case .failure(let error) in raw where result.firstFailure == nil {
                    result.firstFailure = "LLM-PP \(stage): \(error.message)"
                }
                try llm.cells[task, default: Cell()].add(raw, truth: truth)
                var labeller = Labeller(predictor)
                if let choose = options.choose {
                    let outcome = try choose.run(
                        client: client, space: space, task: predictionTask, demonstrations: demonstrations
                    ) { progress($0.renamed("choice " + stage)) }
                    result.choices["\(task)/\(seed)"] = outcome
                    labeller = try Labeller(outcome.choice, client, space, predictionTask, demonstrations)
                    let predicted = labeller.label(test.map(\.architecture)) { progress($0.renamed("chosen " + stage)) }
                    for case .failure(let error) in predicted where error.kind == .cancelled { throw error }
                    try chosen.cells[task, default: Cell()].add(predicted, truth: truth)
                }
                if let distill = options.distill, distill.tasks.contains(task), distill.seeds.contains(seed) {
                    if pool == nil {
                        pool = try Distillation.readPool(data.directory + "/unlabeled_archs.jsonl", in: space)
                    }
                    let (model, report) = try Distillation.run(
                        space: space, client: client, pool: pool!, labels: distill.labels, seed: UInt64(seed),
                        config: distill.mlp, progress: { progress($0.renamed("LLM-Distill-PP \($0.stage) " + stage)) },
                        label: labeller.label)
                    result.distillations["\(task)/\(seed)"] = report
                    if let directory = distill.saveDirectory {
                        try model.save(to: "\(directory)/distilled-\(task)-\(seed).mlp")
                    }
                    let predicted = try model.predict(test.map(\.architecture), in: space)
                    try distilled.cells[task, default: Cell()].add(predicted.map { .success(Double($0)) }, truth: truth)
                }
                guard options.calibrate else { continue }
                do {
                    let answers = try predictor.leaveOneOutAnswers(
                        progress: { progress($0.renamed("calibration " + stage)) },
                        leftOut: { error in
                            result.firstFailure = result.firstFailure ?? "calibration \(stage): \(error.message)"
                        })
                    var fits: [Calibration] = []
                    for mode in [CalibrationMode.affine, .combined] {
                        var cell = (mode == .affine ? calibrated : combined).cells[task] ?? Cell()
                        do {
                            let fit = try predictor.fit(mode, to: answers)
                            fits.append(fit)
                            try cell.add(
                                zip(raw, test).map { estimate, item in
                                    estimate.flatMap { predictor.calibrated($0, of: item.architecture, by: fit) }
                                }, truth: truth)
                            if case .combined(let combinedFit) = fit { cell.llmShares.append(combinedFit.llmShare) }
                        } catch  where error.kind != .cancelled {
                            try cell.add(raw.map { _ in Result<Double, LLMNASError>.failure(error) }, truth: truth)
                        }
                        if mode == .affine { calibrated.cells[task] = cell } else { combined.cells[task] = cell }
                    }
                    result.calibrations["\(task)/\(seed)"] = fits
                } catch  where error.kind != .cancelled {
                    // No answers to fit on: every test item of the split counts as failed, in both rows.
                    let failed = raw.map { _ in Result<Double, LLMNASError>.failure(error) }
                    try calibrated.cells[task, default: Cell()].add(failed, truth: truth)
                    try combined.cells[task, default: Cell()].add(failed, truth: truth)
                }
            }
        }
        if client != nil { result.rows.append(llm) }
        if client != nil, options.calibrate { result.rows += [calibrated, combined] }
        if client != nil, options.choose != nil { result.rows.append(chosen) }
        if client != nil, options.distill != nil { result.rows.append(distilled) }
        result.rows += supernetRows + [params]
        return result
    }

    private static func value(_ row: LabeledData.Row, _ column: String) throws(LLMNASError) -> Double {
        guard let value = row.values[column], value.isFinite else {
            throw LLMNASError(
                .corruptFile, "labeled.csv: architecture \(row.archID) on \(row.task) has no number in '\(column)'")
        }
        return value
    }
}
