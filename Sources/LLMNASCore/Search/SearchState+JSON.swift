/// The JSON form of a search's state inside checkpoints: genes as integer arrays, scores as shortest round-trip
/// numbers, the generator's four words as hexadecimal strings, so a resumed search continues bit for bit.
extension SearchState {
    /// The state as JSON.
    var json: JSONValue {
        func genes(_ a: Architecture) -> JSONValue { .array(a.genes.map { .number(Double($0)) }) }
        func member(_ m: SearchMember) -> JSONValue {
            .object([
                ("genes", genes(m.architecture)), ("constraints", .array(m.constraintValues.map(JSONValue.number))),
            ])
        }
        let records: [JSONValue] = history.map { r in
            .object(
                [
                    ("iteration", .number(Double(r.iteration))), ("estimator", .string(r.estimator)),
                    ("evaluated", .number(Double(r.evaluated))), ("best", member(r.best)),
                    ("best_score", .number(r.bestScore)),
                    ("parent_mean", .number(r.parentMean)), ("population", .number(Double(r.populationSize))),
                ]
                    + (r.cascade.map { [("cascade", $0.json)] } ?? []))
        }
        let tables: [JSONValue] = scores.map { table in
            .array(
                table.entries.map { entry in
                    .array(
                        [
                            genes(entry.architecture), .number(entry.score),
                            .number(Double(entry.iteration)),
                            .array(entry.constraintValues.map(JSONValue.number)),
                            entry.spread.map(JSONValue.number) ?? .null,
                            entry.started.map(JSONValue.number) ?? .null,
                            entry.completed.map(JSONValue.number) ?? .null,
                        ])
                })
        }
        // Sorted by genes, so equal states write equal checkpoints.
        let parentGenes = parents.map(\.genes).sorted { $0.lexicographicallyPrecedes($1) }
        return .object([
            ("started", .bool(started)),
            ("generator", .array(generator.stateWords.map { .string(String($0, radix: 16)) })),
            ("iteration", .number(Double(iteration))), ("evaluated", .number(Double(evaluated))),
            ("population", .array(population.map(member))), ("scores", .array(tables)),
            ("pending", .array(pending.map(genes))), ("pending_since", pendingSince.map(JSONValue.number) ?? .null),
            ("history", .array(records)),
            ("parents", .array(parentGenes.map { .array($0.map { .number(Double($0)) }) })),
            ("generation_starts", .array(scores.map { .number(Double($0.generationStart)) })),
            ("pool", .array(pool.map(member))), ("screened", .number(Double(screened))),
            ("cascade", cascade?.json ?? .null),
            ("refits", .array(refits.map(\.json))),
            ("refitted", .object(refitted.keys.sorted().map { ($0, .string(Base64.encode(refitted[$0]!.fileBytes))) })),
        ])
    }

    /// Reads a state written by `json` (in checkpoint format `version`) for a search of `space` under `config`,
    /// checking every architecture.
    init(json: JSONValue, space: SearchSpace, config: SearchConfig, version: UInt32) throws(LLMNASError) {
        func bad(_ what: String) -> LLMNASError { LLMNASError(.corruptFile, "checkpoint state: \(what)") }
        func architecture(_ value: JSONValue?) throws(LLMNASError) -> Architecture {
            guard let list = value?.arrayValue else { throw bad("genes must be an array") }
            var genes: [Int] = []
            for element in list {
                guard let gene = element.exactInt else { throw bad("a gene is not an integer") }
                genes.append(gene)
            }
            let architecture = Architecture(genes: genes)
            do { try space.check(architecture) } catch { throw bad(error.message) }
            return architecture
        }
        func number(_ value: JSONValue?) throws(LLMNASError) -> Double {
            guard case .number(let d)? = value else { throw bad("a number is missing") }
            return d
        }
        func member(_ value: JSONValue?) throws(LLMNASError) -> SearchMember {
            guard let list = value?["constraints"]?.arrayValue, list.count == config.constraints.count else {
                throw bad("constraint values")
            }
            var values: [Double] = []
            for element in list { values.append(try number(element)) }
            return SearchMember(architecture: try architecture(value?["genes"]), constraintValues: values)
        }
        func list(_ key: String) throws(LLMNASError) -> [JSONValue] {
            guard let list = json[key]?.arrayValue else { throw bad("'\(key)' must be an array") }
            return list
        }
        self.init(config: config)
        guard case .bool(let started)? = json["started"] else { throw bad("'started'") }
        self.started = started
        let words = try list("generator").compactMap { $0.stringValue.flatMap { UInt64($0, radix: 16) } }
        guard let generator = SeededGenerator(stateWords: words) else { throw bad("generator state") }
        self.generator = generator
        guard let iteration = json["iteration"]?.exactInt, (0...config.iterations).contains(iteration),
            let evaluated = json["evaluated"]?.exactInt, evaluated >= 0
        else { throw bad("iteration counters") }
        self.iteration = iteration
        self.evaluated = evaluated
        for element in try list("population") { population.append(try member(element)) }
        let tables = try list("scores")
        guard tables.count == config.estimators.count else {
            throw bad("\(tables.count) score tables for \(config.estimators.count) estimators")
        }
        let starts = try list("generation_starts").compactMap(\.exactInt)
        guard starts.count == tables.count else { throw bad("generation starts") }
        for (i, table) in tables.enumerated() {
            guard let entries = table.arrayValue, (0...entries.count).contains(starts[i]) else {
                throw bad("score table \(i)")
            }
            var restored: [ScoreTable.Entry] = []
            for entry in entries {
                // [genes, score, iteration, constraint values, spread or null, started or null, completed or null];
                // format 2 (1.0) ends at the spread.
                guard let fields = entry.arrayValue, fields.count == (version < 3 ? 5 : 7) else {
                    throw bad("score entry")
                }
                func time(_ index: Int) throws(LLMNASError) -> Double? {
                    index < fields.count && fields[index] != .null ? try number(fields[index]) : nil
                }
                guard let iteration = fields[2].exactInt, (0..<config.iterations).contains(iteration) else {
                    throw bad("a trial's iteration")
                }
                guard let list = fields[3].arrayValue, list.isEmpty || list.count == config.constraints.count else {
                    throw bad("a trial's constraint values")
                }
                var values: [Double] = []
                for element in list { values.append(try number(element)) }
                var spread: Double?
                if fields[4] != .null {
                    let value = try number(fields[4])
                    guard value >= 0 else { throw bad("a trial's spread is negative") }
                    spread = value
                }
                restored.append(
                    ScoreTable.Entry(
                        architecture: try architecture(fields[0]), score: try number(fields[1]), spread: spread,
                        iteration: iteration, constraintValues: values, started: try time(5),
                        completed: try time(6)))
            }
            scores[i] = ScoreTable(restoring: restored, generationStart: starts[i])
        }
        for element in try list("pool") { pool.append(try member(element)) }
        guard let screened = json["screened"]?.exactInt, screened >= 0 else { throw bad("'screened'") }
        self.screened = screened
        guard let record = json["cascade"] else { throw bad("'cascade'") }
        if record != .null { cascade = try CascadeRecord(json: record) }
        for element in try list("refits") { refits.append(try RefitRecord(json: element)) }
        guard let models = json["refitted"]?.objectMembers else { throw bad("'refitted' must be an object") }
        for (name, blob) in models {
            guard config.estimators.contains(where: { $0.name == name && $0.refit != nil }),
                let text = blob.stringValue,
                let bytes = Base64.decode(text)
            else { throw bad("refitted model '\(name)'") }
            let model = try MLP(fileBytes: bytes, source: "refitted model '\(name)'")
            guard model.inputCount == space.featureCount else {
                throw bad("refitted model '\(name)' takes \(model.inputCount) features")
            }
            refitted[name] = model
        }
        for element in try list("pending") { pending.append(try architecture(element)) }
        if version >= 3, let since = json["pending_since"], since != .null { pendingSince = try number(since) }
        for element in try list("parents") { parents.insert(try architecture(element)) }
        for element in try list("history") {
            guard let name = element["estimator"]?.stringValue, let index = element["iteration"]?.exactInt,
                let count = element["evaluated"]?.exactInt, let size = element["population"]?.exactInt
            else { throw bad("history record") }
            let cascade = try element["cascade"].map { record throws(LLMNASError) in try CascadeRecord(json: record) }
            history.append(
                IterationRecord(
                    iteration: index, estimator: name, evaluated: count, cascade: cascade,
                    best: try member(element["best"]), bestScore: try number(element["best_score"]),
                    parentMean: try number(element["parent_mean"]), populationSize: size))
        }
        guard history.count == iteration, started || (population.isEmpty && iteration == 0) else {
            throw bad("history and iteration disagree")
        }
        guard !started || iteration == config.iterations || population.count >= config.parents else {
            throw bad("a population of \(population.count) cannot give \(config.parents) parents")
        }
    }
}

extension CascadeRecord {
    /// The record as JSON: screen, pool, screened, kept, uncertain.
    var json: JSONValue {
        .object([
            ("screen", .string(screen)), ("pool", .number(Double(pool))), ("screened", .number(Double(screened))),
            ("kept", .number(Double(kept))), ("uncertain", .number(Double(uncertain))),
        ])
    }

    /// Reads a record written by `json`.
    init(json: JSONValue) throws(LLMNASError) {
        guard let screen = json["screen"]?.stringValue, let pool = json["pool"]?.exactInt,
            let screened = json["screened"]?.exactInt,
            let kept = json["kept"]?.exactInt, let uncertain = json["uncertain"]?.exactInt,
            (0...kept).contains(uncertain)
        else {
            throw LLMNASError(.corruptFile, "checkpoint state: cascade record")
        }
        self.init(screen: screen, pool: pool, screened: screened, kept: kept, uncertain: uncertain)
    }
}

extension RefitRecord {
    /// The record as JSON: iteration, estimator, on, labels, scores, final_train_loss.
    var json: JSONValue {
        .object([
            ("iteration", .number(Double(iteration))), ("estimator", .string(estimator)), ("on", .string(on)),
            ("labels", .number(Double(labels))), ("scores", .number(Double(scores))),
            ("final_train_loss", .number(finalTrainLoss)),
        ])
    }

    /// Reads a record written by `json`.
    init(json: JSONValue) throws(LLMNASError) {
        guard let iteration = json["iteration"]?.exactInt, let estimator = json["estimator"]?.stringValue,
            let on = json["on"]?.stringValue,
            let labels = json["labels"]?.exactInt, let scores = json["scores"]?.exactInt,
            case .number(let loss)? = json["final_train_loss"]
        else { throw LLMNASError(.corruptFile, "checkpoint state: refit record") }
        self.init(
            iteration: iteration, estimator: estimator, on: on, labels: labels, scores: scores, finalTrainLoss: loss)
    }
}
