import CLLMNAS
import LLMNASCore

/// `llmnas_arch_validate`: LLMNAS_OK when the architecture belongs to the space.
@c @implementation public func llmnas_arch_validate(_ space: OpaquePointer?, _ archJSON: UnsafePointer<CChar>?)
    -> llmnas_status
{
    boundary { () throws(LLMNASError) in
        _ = try SpaceHandle.value(space, "space").architecture(fromJSON: text(archJSON, "arch_json"))
    }
}

/// `llmnas_arch_features`: the architecture's features into a caller-owned buffer.
@c @implementation public func llmnas_arch_features(
    _ space: OpaquePointer?, _ archJSON: UnsafePointer<CChar>?,
    _ out: UnsafeMutablePointer<Float>?, _ capacity: Int,
    _ outLength: UnsafeMutablePointer<Int>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let length = try output(outLength, "out_len")
        let space = try SpaceHandle.value(space, "space")
        let architecture = try space.architecture(fromJSON: text(archJSON, "arch_json"))
        length.pointee = space.featureCount
        try requireCapacity(capacity, for: space.featureCount, "features")
        let buffer = try output(out, "out")
        try space.writeFeatures(
            of: architecture, into: UnsafeMutableBufferPointer(start: buffer, count: space.featureCount))
    }
}

/// `llmnas_arch_features_batch`: the features of a JSON array of architectures as a row-major matrix.
@c @implementation public func llmnas_arch_features_batch(
    _ space: OpaquePointer?, _ archsJSON: UnsafePointer<CChar>?,
    _ out: UnsafeMutablePointer<Float>?, _ capacity: Int,
    _ outRows: UnsafeMutablePointer<Int>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let rows = try output(outRows, "out_rows")
        let space = try SpaceHandle.value(space, "space")
        let architectures = try ArchitectureBatch.parse(text(archsJSON, "archs_json"), in: space)
        rows.pointee = architectures.count
        let width = space.featureCount
        try requireCapacity(capacity, for: architectures.count * width, "features")
        guard !architectures.isEmpty else { return }
        let buffer = try output(out, "out")
        for (row, architecture) in architectures.enumerated() {
            try space.writeFeatures(
                of: architecture, into: UnsafeMutableBufferPointer(start: buffer + row * width, count: width))
        }
    }
}

/// `llmnas_arch_mutate`: the architecture with each gene redrawn with `probability`.
@c @implementation public func llmnas_arch_mutate(
    _ space: OpaquePointer?, _ archJSON: UnsafePointer<CChar>?, _ probability: Double,
    _ seed: UInt64, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let space = try SpaceHandle.value(space, "space")
        let parent = try space.architecture(fromJSON: text(archJSON, "arch_json"))
        var generator = SeededGenerator(seed: seed)
        out.pointee = try duplicate(
            space.jsonText(of: space.mutate(parent, probability: probability, using: &generator)))
    }
}

/// `llmnas_arch_crossover`: a child taking each gene from either parent.
@c @implementation public func llmnas_arch_crossover(
    _ space: OpaquePointer?, _ aJSON: UnsafePointer<CChar>?, _ bJSON: UnsafePointer<CChar>?,
    _ seed: UInt64, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let space = try SpaceHandle.value(space, "space")
        let a = try space.architecture(fromJSON: text(aJSON, "a_json"))
        let b = try space.architecture(fromJSON: text(bJSON, "b_json"))
        var generator = SeededGenerator(seed: seed)
        out.pointee = try duplicate(space.jsonText(of: space.crossover(a, b, using: &generator)))
    }
}

/// `llmnas_arch_stats`: parameter count and FLOPs of the architecture, as JSON.
@c @implementation public func llmnas_arch_stats(
    _ space: OpaquePointer?, _ archJSON: UnsafePointer<CChar>?,
    _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let space = try SpaceHandle.value(space, "space")
        let architecture = try space.architecture(fromJSON: text(archJSON, "arch_json"))
        out.pointee = try duplicate(JSONWriter.write(space.stats(of: architecture)))
    }
}
