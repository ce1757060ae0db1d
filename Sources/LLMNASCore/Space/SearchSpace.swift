/// A search space: the hyperparameters an architecture is made of, the rules between them, the score that judges
/// them and, where one is known, a model of their cost (parameters, FLOPs). Immutable once built; safe to share
/// between threads.
public struct SearchSpace: Sendable {
    /// The space's name ("hat-wmt14ende").
    public let name: String
    /// What the architectures are for, in a sentence or two (used in prompts).
    public let task: String
    /// The score architectures are judged by.
    public let metric: Metric
    /// The hyperparameters, in the order features, genes and architecture JSON follow.
    public let hyperparameters: [Hyperparameter]
    /// Rules every architecture must obey.
    public let constraints: [SpaceConstraint]
    /// How parameters and FLOPs are counted, if the space has a cost model.
    public let costModel: CostModel?
    /// How per-layer hyperparameters become features.
    public let layerFeatures: LayerFeatures
    /// The host function that computes the features instead, if the space names one.
    public let featurizer: HostFeaturizer?
    /// The cell whose isomorphic encodings are one network, if the space declares one.
    public let cell: CellGraph?
    /// The cell resolved against the genes.
    let isomorphism: CellIsomorphism?

    /// Where each hyperparameter's genes start in the gene vector.
    let geneOffsets: [Int]
    /// How many genes each hyperparameter has (1, the maximum layer count, or the list length).
    let geneCounts: [Int]
    /// For each hyperparameter, the index of the scalar hyperparameter counting its layers (per-layer ones only).
    let counterIndex: [Int?]
    private let indexByName: [String: Int]

    /// Builds a space and checks it is consistent: unique names, non-empty unique choices, per-layer hyperparameters
    /// counted by a scalar one with positive integer choices, feature values matching the choices, constraints naming
    /// real hyperparameters and choices, a cost model whose hyperparameters exist and a cell that fits them.
    public init(
        name: String, task: String, metric: Metric, hyperparameters: [Hyperparameter],
        constraints: [SpaceConstraint] = [], costModel: CostModel? = nil, layerFeatures: LayerFeatures = .mean,
        featurizer: HostFeaturizer? = nil, cell: CellGraph? = nil
    ) throws(LLMNASError) {
        func fail(_ message: String) -> LLMNASError { LLMNASError(.invalidSpace, "search space '\(name)': \(message)") }
        guard !name.isEmpty else { throw LLMNASError(.invalidSpace, "search space: the name is empty") }
        guard !hyperparameters.isEmpty else { throw fail("it has no hyperparameters") }
        guard metric.minimum.isFinite, metric.maximum.isFinite, metric.minimum < metric.maximum else {
            throw fail("the metric's range [\(metric.minimum), \(metric.maximum)] is empty")
        }
        var indexByName: [String: Int] = [:]
        for (i, hp) in hyperparameters.enumerated() {
            guard !hp.name.isEmpty else { throw fail("hyperparameter \(i) has no name") }
            guard indexByName.updateValue(i, forKey: hp.name) == nil else {
                throw fail("hyperparameter '\(hp.name)' appears twice")
            }
            guard !hp.choices.isEmpty else { throw fail("hyperparameter '\(hp.name)' has no choices") }
            guard Set(hp.choices).count == hp.choices.count else {
                throw fail("hyperparameter '\(hp.name)' repeats a choice")
            }
            if let values = hp.featureValues {
                guard hp.isNumeric else {
                    throw fail("hyperparameter '\(hp.name)' has named choices and feature values")
                }
                guard values.count == hp.choices.count, values.allSatisfy(\.isFinite) else {
                    throw fail("hyperparameter '\(hp.name)' needs one finite feature value per choice")
                }
            }
        }
        var offsets: [Int] = []
        var counts: [Int] = []
        var counters: [Int?] = []
        var offset = 0
        for hp in hyperparameters {
            var count = 1
            var counter: Int? = nil
            switch hp.shape {
            case .scalar:
                break
            case .list(let length):
                guard (1...SearchSpace.maximumLayers).contains(length) else {
                    throw fail("list '\(hp.name)' must have 1 to \(SearchSpace.maximumLayers) values")
                }
                count = length
            case .perLayer(let countedBy):
                guard let c = indexByName[countedBy] else {
                    throw fail("'\(hp.name)' is counted by '\(countedBy)', which is not a hyperparameter")
                }
                let layerCount = hyperparameters[c]
                guard layerCount.shape == .scalar else {
                    throw fail("layer count '\(countedBy)' must be a single value")
                }
                var maximum = 0
                for choice in layerCount.choices {
                    guard case .int(let n) = choice, (1...SearchSpace.maximumLayers).contains(n) else {
                        throw fail(
                            "layer count '\(countedBy)' must choose among integers 1 to \(SearchSpace.maximumLayers)")
                    }
                    maximum = max(maximum, n)
                }
                count = maximum
                counter = c
            }
            offsets.append(offset)
            counts.append(count)
            counters.append(counter)
            offset += count
        }
        for constraint in constraints {
            switch constraint {
            case .notAllEqual(let hpName, let value):
                guard let i = indexByName[hpName] else {
                    throw fail("a constraint names '\(hpName)', which is not a hyperparameter")
                }
                guard hyperparameters[i].shape != .scalar else {
                    throw fail("a not-all-equal constraint needs a list, '\(hpName)' is one value")
                }
                guard hyperparameters[i].choices.contains(value) else {
                    throw fail("a constraint names \(value), not a choice of '\(hpName)'")
                }
            }
        }
        if let problem = costModel?.problem(with: hyperparameters) { throw fail(problem) }
        isomorphism = try cell.map { (cell) throws(LLMNASError) in
            try CellIsomorphism(cell, hyperparameters: hyperparameters, offsets: offsets, fail: fail)
        }
        self.cell = cell
        self.name = name
        self.task = task
        self.metric = metric
        self.hyperparameters = hyperparameters
        self.constraints = constraints
        self.costModel = costModel
        self.layerFeatures = layerFeatures
        self.featurizer = featurizer
        self.geneOffsets = offsets
        self.geneCounts = counts
        self.counterIndex = counters
        self.indexByName = indexByName
    }

    /// The most values a list or per-layer hyperparameter may hold.
    public static let maximumLayers = 64

    /// The length of the gene vector: one gene per scalar, per list position and per possible layer.
    public var geneCount: Int { geneOffsets.last! + geneCounts.last! }

    /// The position of the hyperparameter named `name`, or nil.
    public func index(of name: String) -> Int? { indexByName[name] }

    /// How many architectures the space holds before constraints, as a double (it can exceed any integer type);
    /// inactive layers do not multiply the count.
    public var size: Double {
        var total = 1.0
        for (i, hp) in hyperparameters.enumerated() where counterIndex[i] == nil && !isLayerCount(i) {
            total *= power(Double(hp.choices.count), geneCounts[i])
        }
        for (c, counter) in hyperparameters.enumerated() where isLayerCount(c) {
            var sum = 0.0
            for case .int(let n) in counter.choices {
                var product = 1.0
                for (i, hp) in hyperparameters.enumerated() where counterIndex[i] == c {
                    product *= power(Double(hp.choices.count), n)
                }
                sum += product
            }
            total *= sum
        }
        return total
    }

    private func isLayerCount(_ index: Int) -> Bool { counterIndex.contains(index) }
}
