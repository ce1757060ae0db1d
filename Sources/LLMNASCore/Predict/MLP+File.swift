/// MLP files: the magic "LLMNASMP", a format version, the layer widths, the standardisation, the weights and biases
/// (float32, little-endian), the training record as JSON, and a CRC-32 of everything before it. Written to a
/// temporary file and renamed; a truncated, damaged or foreign file is refused with `corruptFile`.
extension MLP {
    private static let magic = Array("LLMNASMP".utf8)
    private static let formatVersion: UInt32 = 1

    /// The model's bytes in the file format.
    public var fileBytes: [UInt8] {
        var out = MLP.magic
        func u32(_ v: UInt32) { LittleEndian.append(v, to: &out) }
        func floats(_ values: [Float]) { for v in values { u32(v.bitPattern) } }
        u32(MLP.formatVersion)
        u32(UInt32(sizes.count))
        for size in sizes { u32(UInt32(size)) }
        floats(inputMean)
        floats(inputScale)
        floats([targetMean, targetScale])
        for (w, b) in zip(weights, biases) {
            floats(w)
            floats(b)
        }
        let record = Array(JSONWriter.write(training).utf8)
        u32(UInt32(record.count))
        out += record
        u32(CRC32.checksum(out))
        return out
    }

    /// Writes the model to `path` atomically.
    public func save(to path: String) throws(LLMNASError) {
        try FileIO.writeAtomically(fileBytes, to: path)
    }

    /// Reads a model from `path`.
    public static func load(from path: String) throws(LLMNASError) -> MLP {
        try MLP(fileBytes: FileIO.read(path), source: path)
    }

    /// Reads a model from its file bytes; `source` names it in messages.
    public init(fileBytes bytes: [UInt8], source: String) throws(LLMNASError) {
        func corrupt(_ why: String) -> LLMNASError {
            LLMNASError(.corruptFile, "'\(source)' is not a valid llmnas MLP file: \(why)")
        }
        guard bytes.count >= 16, Array(bytes[0..<8]) == MLP.magic else { throw corrupt("bad magic") }
        guard CRC32.checksum(bytes[0..<(bytes.count - 4)]) == LittleEndian.u32(bytes, at: bytes.count - 4) else {
            throw corrupt("checksum mismatch (truncated or damaged)")
        }
        var offset = 8
        func u32() throws(LLMNASError) -> Int {
            guard offset + 4 <= bytes.count - 4 else { throw corrupt("truncated") }
            defer { offset += 4 }
            return Int(LittleEndian.u32(bytes, at: offset))
        }
        func floats(_ count: Int) throws(LLMNASError) -> [Float] {
            guard count >= 0, offset + 4 * count <= bytes.count - 4 else { throw corrupt("truncated") }
            defer { offset += 4 * count }
            return (0..<count).map { Float(bitPattern: LittleEndian.u32(bytes, at: offset + 4 * $0)) }
        }
        let version = try u32()
        guard version == Int(MLP.formatVersion) else {
            throw corrupt("format \(version); this library reads format \(MLP.formatVersion)")
        }
        let layers = try u32()
        guard (2...18).contains(layers) else { throw corrupt("\(layers) layers") }
        var sizes: [Int] = []
        for _ in 0..<layers { sizes.append(try u32()) }
        guard sizes.allSatisfy({ (1...100_000).contains($0) }), sizes.last == 1 else {
            throw corrupt("layer widths \(sizes)")
        }
        let inputMean = try floats(sizes[0])
        let inputScale = try floats(sizes[0])
        let target = try floats(2)
        var weights: [[Float]] = []
        var biases: [[Float]] = []
        for layer in 0..<(layers - 1) {
            weights.append(try floats(sizes[layer] * sizes[layer + 1]))
            biases.append(try floats(sizes[layer + 1]))
        }
        let recordLength = try u32()
        guard offset + recordLength == bytes.count - 4,
            let text = String(validating: bytes[offset..<(offset + recordLength)], as: UTF8.self),
            let record = try? JSONParser.parse(text)
        else { throw corrupt("bad training record") }
        let all = inputMean + inputScale + target + weights.joined() + biases.joined()
        guard all.allSatisfy(\.isFinite), inputScale.allSatisfy({ $0 != 0 }), target[1] != 0 else {
            throw corrupt("non-finite values")
        }
        self.init(
            sizes: sizes, weights: weights, biases: biases, inputMean: inputMean, inputScale: inputScale,
            targetMean: target[0], targetScale: target[1], training: record)
    }
}
