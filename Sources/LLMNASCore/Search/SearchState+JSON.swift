/// The JSON form of a search's state inside checkpoints: genes as integer arrays, scores as shortest round-trip
/// numbers, the generator's four words as hexadecimal strings, so a resumed search continues bit for bit.
extension SearchState {
    /// The state as JSON.
    var json: JSONValue {
        func genes(_ a: Architecture) -> JSONValue { .array(a.genes.map { .number(Double($0)) }) }
        func member(_ m: SearchMember) -> JSONValue {
            .object([("genes", genes(m.architecture)), ("constraints", .array(m.constraintValues.map(JSONValue.number)))])
        }
        let records: [JSONValue] = history.map { r in
            .object([("iteration", .number(Double(r.iteration))), ("estimator", .string(r.estimator)),
                     ("evaluated", .number(Double(r.evaluated))), ("best", member(r.best)), ("best_score", .number(r.bestScore)),
                     ("parent_mean", .number(r.parentMean)), ("population", .number(Double(r.populationSize)))])
        }
        let tables: [JSONValue] = scores.map { table in
            .array(table.entries.map { entry in
                .array([genes(entry.architecture), .number(entry.score), entry.iteration.map { .number(Double($0)) } ?? .null,
                        .array(entry.constraintValues.map(JSONValue.number))])
            })
        }
        // Sorted by genes, so equal states write equal checkpoints.
        let parentGenes = parents.map(\.genes).sorted { $0.lexicographicallyPrecedes($1) }
        return .object([
            ("started", .bool(started)),
            ("generator", .array(generator.stateWords.map { .string(String($0, radix: 16)) })),
            ("iteration", .number(Double(iteration))), ("evaluated", .number(Double(evaluated))),
            ("population", .array(population.map(member))), ("scores", .array(tables)),
            ("pending", .array(pending.map(genes))), ("history", .array(records)),
            ("parents", .array(parentGenes.map { .array($0.map { .number(Double($0)) }) })),
        ])
    }

    /// Reads a state written by `json` for a search of `space` under `config`, checking every architecture.
    init(json: JSONValue, space: SearchSpace, config: SearchConfig) throws(LLMNASError) {
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
            guard case let .number(d)? = value else { throw bad("a number is missing") }
            return d
        }
        func member(_ value: JSONValue?) throws(LLMNASError) -> SearchMember {
            guard let list = value?["constraints"]?.arrayValue, list.count == config.constraints.count else { throw bad("constraint values") }
            var values: [Double] = []
            for element in list { values.append(try number(element)) }
            return SearchMember(architecture: try architecture(value?["genes"]), constraintValues: values)
        }
        func list(_ key: String) throws(LLMNASError) -> [JSONValue] {
            guard let list = json[key]?.arrayValue else { throw bad("'\(key)' must be an array") }
            return list
        }
        self.init(config: config)
        guard case let .bool(started)? = json["started"] else { throw bad("'started'") }
        self.started = started
        let words = try list("generator").compactMap { $0.stringValue.flatMap { UInt64($0, radix: 16) } }
        guard let generator = SeededGenerator(stateWords: words) else { throw bad("generator state") }
        self.generator = generator
        guard let iteration = json["iteration"]?.exactInt, (0...config.iterations).contains(iteration),
              let evaluated = json["evaluated"]?.exactInt, evaluated >= 0 else { throw bad("iteration counters") }
        self.iteration = iteration
        self.evaluated = evaluated
        for element in try list("population") { population.append(try member(element)) }
        let tables = try list("scores")
        guard tables.count == config.estimators.count else { throw bad("\(tables.count) score tables for \(config.estimators.count) estimators") }
        for (i, table) in tables.enumerated() {
            guard let entries = table.arrayValue else { throw bad("score table \(i)") }
            for entry in entries {
                // [genes, score] before trials were recorded; [genes, score, iteration or null, constraint values] since.
                guard let fields = entry.arrayValue, fields.count == 2 || fields.count == 4 else { throw bad("score entry") }
                var iteration: Int?
                var values: [Double] = []
                if fields.count == 4 {
                    if fields[2] != .null {
                        guard let value = fields[2].exactInt, (0..<config.iterations).contains(value) else { throw bad("a trial's iteration") }
                        iteration = value
                    }
                    guard let list = fields[3].arrayValue, list.isEmpty || list.count == config.constraints.count else {
                        throw bad("a trial's constraint values")
                    }
                    for element in list { values.append(try number(element)) }
                }
                scores[i].record(ScoreTable.Entry(architecture: try architecture(fields[0]), score: try number(fields[1]),
                                                  iteration: iteration, constraintValues: values))
            }
        }
        for element in try list("pending") { pending.append(try architecture(element)) }
        for element in json["parents"]?.arrayValue ?? [] { parents.insert(try architecture(element)) }
        for element in try list("history") {
            guard let name = element["estimator"]?.stringValue, let index = element["iteration"]?.exactInt,
                  let count = element["evaluated"]?.exactInt, let size = element["population"]?.exactInt else { throw bad("history record") }
            history.append(IterationRecord(iteration: index, estimator: name, evaluated: count, best: try member(element["best"]),
                                           bestScore: try number(element["best_score"]), parentMean: try number(element["parent_mean"]),
                                           populationSize: size))
        }
        guard history.count == iteration, started || (population.isEmpty && iteration == 0) else { throw bad("history and iteration disagree") }
        guard !started || iteration == config.iterations || population.count >= config.parents else {
            throw bad("a population of \(population.count) cannot give \(config.parents) parents")
        }
    }
}
