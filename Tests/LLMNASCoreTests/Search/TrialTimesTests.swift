import Foundation
import Testing

@testable import LLMNASCore

extension HybridSearch {
    /// The trials document without the times, which differ between two runs of the same search.
    var trialsWithoutTimes: String {
        let trials = trialsJSON()["trials"]!.arrayValue!.map { trial in
            JSONValue.object(trial.objectMembers!.filter { $0.0 != "started" && $0.0 != "completed" })
        }
        return JSONWriter.write(.array(trials))
    }
}

/// Each trial's start (when its estimator was asked) and completion (when the score came back), kept by
/// checkpoints; a 1.0 checkpoint, without times, is still read.
@Suite struct TrialTimesTests {
    let graph = try! BuiltinSpaces.space(named: "nas-bench-graph")

    func trials(_ search: HybridSearch) -> [JSONValue] { search.trialsJSON()["trials"]!.arrayValue! }

    /// A three-iteration search that checkpoints to `path`.
    func checkpointed(at path: String) throws -> HybridSearch {
        try HybridSearch(
            space: graph,
            config: SearchConfig(
                json: JSONParser.parse(#"{"seed": 2, "iterations": 3, "checkpoint": "\#(path)"}"#), space: graph))
    }

    /// A time of a trial, nil when it is null or missing.
    func seconds(_ value: JSONValue?) -> Double? { if case .number(let d)? = value { d } else { nil } }

    @Test func hostTrialsRunFromTheAskToTheTellAndSurviveACheckpoint() throws {
        let path = NSTemporaryDirectory() + "llmnas-times-\(getpid()).ckpt"
        defer { unlink(path) }
        let search = try checkpointed(at: path)
        let before = WallClock.now()
        let (candidates, _) = try search.ask()
        _ = try search.ask()
        usleep(20_000)
        try search.tell(candidates.map { Double($0.genes.reduce(0, +)) })
        let after = WallClock.now()
        let told = trials(search)
        #expect(told.count == candidates.count)
        for trial in told {
            let started = try #require(seconds(trial["started"]))
            let completed = try #require(seconds(trial["completed"]))
            #expect(before <= started && started + 0.02 <= completed && completed <= after)
        }
        let resumed = try SearchCheckpoint.read(path)
        #expect(JSONWriter.write(resumed.trialsJSON()) == JSONWriter.write(search.trialsJSON()))
        #expect(resumed.state.pendingSince == search.state.pendingSince && search.state.pendingSince != nil)
    }

    @Test func aCheckpointOfFormat2IsReadWithoutTimes() throws {
        let path = NSTemporaryDirectory() + "llmnas-times-v2-\(getpid()).ckpt"
        defer { unlink(path) }
        let search = try checkpointed(at: path)
        let (candidates, _) = try search.ask()
        try search.tell(candidates.map { Double($0.genes.reduce(0, +)) })
        // 1.0's layout: five fields per trial, no "pending_since", format 2.
        let bytes = try FileIO.read(path)
        let length = Int(LittleEndian.u32(bytes, at: 12))
        var document = try JSONParser.parse(String(decoding: bytes[16..<(16 + length)], as: UTF8.self))
        var state = document["state"]!.objectMembers!.filter { $0.0 != "pending_since" }
        let scores = state.firstIndex { $0.0 == "scores" }!
        state[scores].1 = .array(
            state[scores].1.arrayValue!.map { table in
                .array(table.arrayValue!.map { .array(Array($0.arrayValue!.prefix(5))) })
            })
        document = .object(document.objectMembers!.map { $0.0 == "state" ? ($0.0, .object(state)) : $0 })
        let text = Array(JSONWriter.write(document).utf8)
        var old = Array("LLMNASCK".utf8)
        LittleEndian.append(UInt32(2), to: &old)
        LittleEndian.append(UInt32(text.count), to: &old)
        old += text
        LittleEndian.append(CRC32.checksum(old), to: &old)
        try FileIO.writeAtomically(old, to: path)
        let resumed = try SearchCheckpoint.read(path)
        #expect(trials(resumed).allSatisfy { $0["started"] == .null && $0["completed"] == .null })
        #expect(resumed.trialsWithoutTimes == search.trialsWithoutTimes)
        let (next, _) = try resumed.ask()
        try resumed.tell(next.map { Double($0.genes.reduce(0, +)) })
        #expect(trials(resumed).suffix(next.count).allSatisfy { seconds($0["completed"]) != nil })
    }
}
