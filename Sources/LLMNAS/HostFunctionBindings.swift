import CLLMNAS
import LLMNASCore

/// A C host cost function as the core calls it: the architecture's JSON in, its parameters and FLOPs out; a
/// nonzero return fails with `cancelled`.
func hostCost(_ name: String, _ function: llmnas_cost_fn, _ userData: UnsafeMutableRawPointer?) -> HostCostModel.Count {
    { (architecture: Architecture, space: SearchSpace) throws(LLMNASError) -> (parameters: Double, flops: Double) in
        var parameters = Double.nan
        var flops = Double.nan
        let status = space.jsonText(of: architecture).withCString { function($0, &parameters, &flops, userData) }
        guard status == 0 else { throw LLMNASError(.cancelled, "host cost '\(name)' returned \(status)") }
        return (parameters, flops)
    }
}

/// A C host featurizer as the core calls it: the architecture's JSON in, its features written into the buffer; a
/// nonzero return fails with `cancelled`.
func hostFeaturizer(_ name: String, _ function: llmnas_features_fn, _ userData: UnsafeMutableRawPointer?)
    -> HostFeaturizer.Compute
{
    { (architecture: Architecture, space: SearchSpace, out: UnsafeMutableBufferPointer<Float>) throws(LLMNASError) in
        let status = space.jsonText(of: architecture).withCString {
            function($0, out.baseAddress, out.count, userData)
        }
        guard status == 0 else { throw LLMNASError(.cancelled, "featurizer '\(name)' returned \(status)") }
    }
}

/// The checked arguments of a `llmnas_space_with_*` call: `bind` makes the bound space from the space given, the
/// function's name and its callback; the new handle goes to `outSpace`.
func withHostFunction<Function>(
    _ space: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ function: Function?,
    _ outSpace: UnsafeMutablePointer<OpaquePointer?>?,
    _ bind: (SearchSpace, String, Function) throws(LLMNASError) -> SearchSpace
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outSpace, "out_space")
        let given = try SpaceHandle.value(space, "space")
        let named = try text(name, "name")
        guard let function else { throw LLMNASError(.invalidArgument, "fn is NULL") }
        out.pointee = SpaceHandle(try bind(given, named, function)).retainedPointer()
    }
}

/// The checked arguments of a `llmnas_search_bind_*` call, handed to `bind`: the search, the name, the callback.
func bindHostFunction<Function>(
    _ search: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ function: Function?,
    _ bind: (HybridSearch, String, Function) throws(LLMNASError) -> Void
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let target = try SearchHandle.value(search, "search")
        let named = try text(name, "name")
        guard let function else { throw LLMNASError(.invalidArgument, "fn is NULL") }
        try bind(target, named, function)
    }
}

/// `llmnas_space_with_cost`: a new handle on the space with its host cost bound.
@c @implementation public func llmnas_space_with_cost(
    _ space: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ function: llmnas_cost_fn?,
    _ userData: UnsafeMutableRawPointer?, _ outSpace: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    withHostFunction(space, name, function, outSpace) { (given, cost, function) throws(LLMNASError) in
        try given.binding(cost: cost, hostCost(cost, function, userData))
    }
}

/// `llmnas_search_bind_cost`: a callback for the searched space's host cost.
@c @implementation public func llmnas_search_bind_cost(
    _ search: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ function: llmnas_cost_fn?,
    _ userData: UnsafeMutableRawPointer?
) -> llmnas_status {
    bindHostFunction(search, name, function) { (target, cost, function) throws(LLMNASError) in
        try target.bind(cost: cost, hostCost(cost, function, userData))
    }
}

/// `llmnas_space_with_featurizer`: a new handle on the space with its host featurizer bound.
@c @implementation public func llmnas_space_with_featurizer(
    _ space: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ function: llmnas_features_fn?,
    _ userData: UnsafeMutableRawPointer?, _ outSpace: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    withHostFunction(space, name, function, outSpace) { (given, featurizer, function) throws(LLMNASError) in
        try given.binding(featurizer: featurizer, hostFeaturizer(featurizer, function, userData))
    }
}

/// `llmnas_search_bind_featurizer`: a callback for the searched space's host featurizer.
@c @implementation public func llmnas_search_bind_featurizer(
    _ search: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ function: llmnas_features_fn?,
    _ userData: UnsafeMutableRawPointer?
) -> llmnas_status {
    bindHostFunction(search, name, function) { (target, featurizer, function) throws(LLMNASError) in
        try target.bind(featurizer: featurizer, hostFeaturizer(featurizer, function, userData))
    }
}
