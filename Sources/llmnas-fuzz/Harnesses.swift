import Glibc
import LLMNASCore

/// The fuzz harnesses: one per parser of outside input. Each takes arbitrary bytes and must return, never trap; a
/// thrown `LLMNASError` is the expected answer to bad input. Where a parse succeeds, the harness also checks an
/// invariant (a round trip) and traps if it breaks, so the fuzzer reports it.
enum Harnesses {
    /// The harnesses by name.
    static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "space": space, "arch": architecture, "config": config, "demos": demonstrations, "response": response,
        "mlp": mlpFile, "checkpoint": checkpoint, "cache": cache, "capi": CAPIHarness.run,
    ]

    static let hat = try! BuiltinSpaces.space(named: "hat-wmt14ende")
    static let graph = try! BuiltinSpaces.space(named: "nas-bench-graph")

    /// The bytes as text, if they are UTF-8.
    static func text(_ bytes: [UInt8]) -> String? { String(validating: bytes, as: UTF8.self) }

    /// A search space definition; a parsed space must survive sampling, features and its own JSON.
    static func space(_ bytes: [UInt8]) {
        guard let text = text(bytes), let space = try? SearchSpace.fromJSON(text) else { return }
        let again = try! SearchSpace(json: space.json)
        precondition(JSONWriter.write(again.json) == JSONWriter.write(space.json), "a space's JSON does not round-trip")
        var generator = SeededGenerator(seed: 1)
        guard space.size < 1e30, let sample = try? space.sample(using: &generator) else { return }
        // The space's own encoding never fails; a host featurizer is unbound here, and says so.
        if space.featurizer == nil { _ = try! space.features(of: sample) } else { _ = try? space.features(of: sample) }
        // JSON leaves inactive layers out and writes a cell's encoding as it is: another encoding of one network
        // reads back as that encoding.
        let parsed = try! space.architecture(fromJSON: space.jsonText(of: sample))
        precondition(space.canonical(parsed) == space.canonical(sample), "a sample's JSON reads back another network")
        precondition(space.cell != nil || parsed == space.canonical(sample), "a sample's JSON keeps an inactive gene")
    }

    /// An architecture of HAT's space or NAS-Bench-Graph's (first byte chooses); a parsed one round-trips.
    static func architecture(_ bytes: [UInt8]) {
        guard let first = bytes.first, let text = text(Array(bytes.dropFirst())) else { return }
        let space = first & 1 == 0 ? hat : graph
        guard let parsed = try? space.architecture(fromJSON: text) else { return }
        precondition(
            try! space.architecture(fromJSON: space.jsonText(of: parsed)) == parsed,
            "an architecture does not round-trip")
        _ = try! space.features(of: parsed)
        var generator = SeededGenerator(seed: UInt64(first))
        _ = try? space.mutate(parsed, probability: 0.5, using: &generator)
        if space.costModel != nil { _ = try! space.stats(of: parsed) }
    }

    /// A config: the first byte chooses MLP, LLM, search, protocol or prediction task.
    static func config(_ bytes: [UInt8]) {
        guard let first = bytes.first, let text = text(Array(bytes.dropFirst())), let json = try? JSONParser.parse(text)
        else { return }
        switch first % 5 {
        case 0: _ = try? MLPConfig(json: json)
        case 1: _ = try? LLMConfig(json: json, environment: { _ in nil })
        case 2: _ = try? SearchConfig(json: json, space: graph)
        case 3: _ = try? PaperProtocol.Options(json: json)
        default: _ = try? PredictionTask(json: json)
        }
    }

    /// Demonstrations for HAT's space.
    static func demonstrations(_ bytes: [UInt8]) {
        guard let text = text(bytes) else { return }
        _ = try? Demonstration.list(fromJSON: text, in: hat)
    }

    /// An HTTP response body of a completion endpoint, then each answer text through the answer parser.
    static func response(_ bytes: [UInt8]) {
        guard let text = text(bytes) else { return }
        _ = AnswerParser.firstNumber(in: text)
        _ = try? AnswerParser.score(in: text, metric: hat.metric)
        guard let parsed = try? CompletionResponse(body: text) else { return }
        for answer in parsed.texts { _ = try? AnswerParser.score(in: answer, metric: hat.metric) }
    }

    /// The bytes with their last four replaced by the CRC-32 of the rest (little-endian), so that mutations reach the
    /// parsers behind the checksum of model files and checkpoints.
    static func withValidChecksum(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 4 else { return bytes }
        let body = bytes.dropLast(4)
        let crc = CRC32.checksum(body)
        return Array(body) + (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * UInt32($0))) }
    }

    /// An MLP model file, as given and with its checksum made valid; a loaded model must predict, and its own file
    /// must load back to the same bytes.
    static func mlpFile(_ bytes: [UInt8]) {
        _ = try? MLP(fileBytes: bytes, source: "fuzz")
        guard let model = try? MLP(fileBytes: withValidChecksum(bytes), source: "fuzz") else { return }
        precondition(
            try! MLP(fileBytes: model.fileBytes, source: "again").fileBytes == model.fileBytes,
            "a model file does not round-trip")
        var out: [Float] = [0]
        model.predict([Float](repeating: 0.5, count: model.inputCount), rows: 1, into: &out)
    }

    /// A search checkpoint, as given and with its checksum made valid; a restored search must answer ask (with its
    /// estimators unbound) without trapping.
    static func checkpoint(_ bytes: [UInt8]) {
        _ = try? SearchCheckpoint.read(bytes: bytes, source: "fuzz", savingTo: nil)
        guard let search = try? SearchCheckpoint.read(bytes: withValidChecksum(bytes), source: "fuzz", savingTo: nil)
        else { return }
        _ = search.historyJSON()
        _ = try? search.bestJSON()
        _ = try? search.ask()
    }

    /// A response cache file, opened as the client opens it.
    static func cache(_ bytes: [UInt8]) {
        let path = "/tmp/llmnas-fuzz-cache-\(getpid())"
        try? FileIO.writeAtomically(bytes, to: path)
        defer { unlink(path) }
        _ = try? ResponseCache(path: path)
    }
}
