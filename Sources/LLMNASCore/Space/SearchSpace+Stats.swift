/// Size and cost of an architecture, as JSON for the C ABI and the bindings.
extension SearchSpace {
    /// `{"params", "embedding_params", "flops", "gflops", "output_projection_flops"}` from the space's cost model;
    /// `unsupported` for a space without one.
    public func stats(of architecture: Architecture) throws(LLMNASError) -> JSONValue {
        guard let costModel else {
            throw LLMNASError(
                .unsupported, "space '\(name)' has no cost model, so its parameters and FLOPs are not known")
        }
        let counts = try costModel.counts(of: architecture, in: self)
        return .object([
            ("params", .number(Double(counts.parameters))),
            ("embedding_params", .number(Double(counts.embeddingParameters))),
            ("flops", .number(Double(counts.flops))),
            ("gflops", .number(Double(counts.flops) / 1e9)),
            ("output_projection_flops", .number(Double(counts.outputProjectionFlops))),
        ])
    }
}
