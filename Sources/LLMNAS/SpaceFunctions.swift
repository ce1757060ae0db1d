import CLLMNAS
import LLMNASCore

/// `llmnas_space_builtin_names`: a JSON array of the built-in spaces' names.
@c @implementation public func llmnas_space_builtin_names(
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(.array(BuiltinSpaces.names.map { .string($0) })))
    }
}

/// `llmnas_space_builtin`: a handle on the built-in space called `name`.
@c @implementation public func llmnas_space_builtin(
    _ name: UnsafePointer<CChar>?, _ outSpace: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outSpace, "out_space")
        let space = try BuiltinSpaces.space(named: text(name, "name"))
        out.pointee = SpaceHandle(space).retainedPointer()
    }
}

/// `llmnas_space_from_json`: a handle on the space that JSON text defines.
@c @implementation public func llmnas_space_from_json(
    _ json: UnsafePointer<CChar>?, _ outSpace: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outSpace, "out_space")
        let space = try SearchSpace.fromJSON(text(json, "json"))
        out.pointee = SpaceHandle(space).retainedPointer()
    }
}

/// `llmnas_space_serialize`: the space's definition as JSON.
@c @implementation public func llmnas_space_serialize(
    _ space: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(JSONWriter.write(SpaceHandle.value(space, "space").json))
    }
}

/// `llmnas_space_free`: releases a space handle; NULL is ignored.
@c @implementation public func llmnas_space_free(_ space: OpaquePointer?) { SpaceHandle.release(space) }

/// `llmnas_space_feature_count`: how many features each architecture of the space has.
@c @implementation public func llmnas_space_feature_count(
    _ space: OpaquePointer?, _ outCount: UnsafeMutablePointer<Int>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outCount, "out_count")
        out.pointee = try SpaceHandle.value(space, "space").featureCount
    }
}

/// `llmnas_space_feature_names`: the names of the space's features, as a JSON array.
@c @implementation public func llmnas_space_feature_names(
    _ space: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        out.pointee = try duplicate(
            JSONWriter.write(.array(SpaceHandle.value(space, "space").featureNames.map { .string($0) })))
    }
}

/// `llmnas_space_sample`: `count` architectures drawn uniformly under the space's constraints, as a JSON array.
@c @implementation public func llmnas_space_sample(
    _ space: OpaquePointer?, _ seed: UInt64, _ count: Int,
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let space = try SpaceHandle.value(space, "space")
        var generator = SeededGenerator(seed: seed)
        let archs = try space.sample(count, using: &generator).map(space.json)
        out.pointee = try duplicate(JSONWriter.write(.array(archs)))
    }
}
