/// A function of the host's bound into a space (a cost model, a featurizer). The host promises it may be called
/// from whichever thread needs it.
final class HostFunction<Call>: @unchecked Sendable {
    /// The function.
    let call: Call

    init(_ call: Call) { self.call = call }
}

extension SearchSpace {
    /// This space with another cost model or featurizer: the bound copy the `binding` functions return.
    func replacing(costModel: CostModel?, featurizer: HostFeaturizer?) throws(LLMNASError) -> SearchSpace {
        try SearchSpace(
            name: name, task: task, metric: metric, hyperparameters: hyperparameters, constraints: constraints,
            costModel: costModel, layerFeatures: layerFeatures, featurizer: featurizer, cell: cell)
    }

    /// The message of a host function the space names but nobody bound.
    func unbound(_ what: String, _ name: String, bindWith functions: String) -> LLMNASError {
        LLMNASError(
            .invalidArgument,
            "space '\(self.name)' \(what) with the host function '\(name)', which is not bound: bind it "
                + "with \(functions)")
    }
}
