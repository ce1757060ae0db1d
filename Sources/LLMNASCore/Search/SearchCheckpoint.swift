/// Search checkpoint files: the magic "LLMNASCK", a format version, the length of a JSON document holding the space,
/// the config as given and the state, the document, and a CRC-32 of everything before it. Written to a temporary
/// file and renamed, so a crash leaves the previous checkpoint or the new one whole.
public enum SearchCheckpoint {
    private static let magic = Array("LLMNASCK".utf8)
    /// The format written; format 2 (1.0, trials without times) is read too.
    private static let formatVersion: UInt32 = 3

    /// Writes the search's space, config and state to `path` atomically.
    static func write(_ search: HybridSearch, to path: String) throws(LLMNASError) {
        let document = JSONValue.object([
            ("space", search.space.json), ("config", search.config.json), ("state", search.state.json),
        ])
        let text = Array(JSONWriter.write(document).utf8)
        var bytes = magic
        LittleEndian.append(formatVersion, to: &bytes)
        LittleEndian.append(UInt32(text.count), to: &bytes)
        bytes += text
        LittleEndian.append(CRC32.checksum(bytes), to: &bytes)
        try FileIO.writeAtomically(bytes, to: path)
    }

    /// Reads a checkpoint and rebuilds its search; the config's checkpoint path is replaced by `path`, so the
    /// resumed search keeps saving where it was read.
    public static func read(_ path: String) throws(LLMNASError) -> HybridSearch {
        try read(bytes: FileIO.read(path), source: path, savingTo: path)
    }

    /// Rebuilds a search from checkpoint bytes (`source` names them in messages) that saves to `checkpoint`.
    public static func read(bytes: [UInt8], source path: String, savingTo checkpoint: String?) throws(LLMNASError)
        -> HybridSearch
    {
        func corrupt(_ why: String) -> LLMNASError {
            LLMNASError(.corruptFile, "'\(path)' is not a valid llmnas search checkpoint: \(why)")
        }
        guard bytes.count >= 20, Array(bytes[0..<8]) == magic else { throw corrupt("bad magic") }
        guard CRC32.checksum(bytes[0..<(bytes.count - 4)]) == LittleEndian.u32(bytes, at: bytes.count - 4) else {
            throw corrupt("checksum mismatch (truncated or damaged)")
        }
        let version = LittleEndian.u32(bytes, at: 8)
        guard version == 2 || version == formatVersion else {
            throw corrupt("format \(version); this library reads formats 2 and \(formatVersion)")
        }
        let length = Int(LittleEndian.u32(bytes, at: 12))
        guard 16 + length == bytes.count - 4, let text = String(validating: bytes[16..<(16 + length)], as: UTF8.self)
        else {
            throw corrupt("bad length")
        }
        let document: JSONValue
        do { document = try JSONParser.parse(text) } catch { throw corrupt(error.message) }
        guard let spaceJSON = document["space"], let configJSON = document["config"], let stateJSON = document["state"]
        else {
            throw corrupt("missing space, config or state")
        }
        let space = try SearchSpace(json: spaceJSON)
        var config = try SearchConfig(json: configJSON, space: space)
        config.checkpoint = checkpoint
        let search = try HybridSearch(space: space, config: config)
        search.state = try SearchState(json: stateJSON, space: space, config: config, version: version)
        return search
    }
}
