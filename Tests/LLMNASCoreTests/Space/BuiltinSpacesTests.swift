import Foundation
import Testing

@testable import LLMNASCore

@Suite struct BuiltinSpacesTests {
    @Test(arguments: BuiltinSpaces.names)
    func everyBuiltinSpaceRoundTripsThroughJSON(_ name: String) throws {
        let space = try BuiltinSpaces.space(named: name)
        let again = try SearchSpace.fromJSON(JSONWriter.write(space.json))
        #expect(JSONWriter.write(again.json) == JSONWriter.write(space.json))
        #expect(again.geneCount == space.geneCount)
        #expect(space.hyperparameters.allSatisfy { !$0.meaning.isEmpty })
        #expect(!space.task.isEmpty)
    }

    @Test func hatSpaceHasFortyGenesAndTenFeatures() throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        #expect(space.geneCount == 40)
        #expect(space.featureCount == 10)
        // 2 * 1 * 2 * (3*2)^6 encoder choices times the decoder's sum over 1..6 layers of (3*2*2*3)^n.
        let decoder = (1...6).reduce(0.0) { $0 + power(36, $1) }
        #expect(space.size == 2 * 2 * power(6, 6) * decoder)
    }

    @Test func nasBenchGraphSpaceMatchesTheBenchmark() throws {
        let space = try BuiltinSpaces.space(named: "nas-bench-graph")
        #expect(space.geneCount == 5)
        #expect(space.featureCount == 9 + 4 * 9)
        #expect(space.size == 9 * power(9, 4))
        #expect(space.metric.maximum == 1)
    }

    @Test func unknownNameListsTheKnownOnes() {
        do {
            _ = try BuiltinSpaces.space(named: "hat-wmt16")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .notFound)
            #expect(error.message.contains("hat-wmt14ende"))
        }
    }
}

@Suite struct SpaceDefinitionTests {
    static let valid = #"""
        {"name": "tiny", "task": "a test", "metric": {"name": "acc", "min": 0, "max": 1},
         "hyperparameters": [
           {"name": "layers", "meaning": "depth", "choices": [1, 2]},
           {"name": "width", "meaning": "widths", "choices": [8, 16], "layers": "layers"},
           {"name": "op", "meaning": "ops", "choices": ["a", "b"], "length": 2}],
         "constraints": [{"kind": "not_all_equal", "hyperparameter": "op", "value": "b"}]}
        """#

    @Test func readsAValidDefinition() throws {
        let space = try SearchSpace.fromJSON(Self.valid)
        #expect(space.geneCount == 1 + 2 + 2)
        #expect(space.featureCount == 1 + 1 + 2 * 2)
        #expect(space.metric.higherIsBetter)
    }

    @Test(arguments: [
        ("\"depth\", \"choices\": [1, 2]", "\"depth\", \"choices\": []", "no choices"),
        (
            "\"choices\": [8, 16], \"layers\": \"layers\"", "\"choices\": [8, 16], \"layers\": \"depth\"",
            "'depth', which is not a hyperparameter"
        ),
        ("{\"name\": \"tiny\"", "{\"name\": \"tiny\", \"colour\": 1", "unknown key 'colour'"),
        ("\"choices\": [1, 2]}", "\"choices\": [1, 1]}", "repeats a choice"),
        ("\"min\": 0, \"max\": 1", "\"min\": 1, \"max\": 1", "empty"),
        ("\"value\": \"b\"", "\"value\": \"c\"", "not a choice of 'op'"),
        ("\"length\": 2", "\"length\": 0", "1 to 64"),
        ("\"length\": 2", "\"length\": 2, \"layers\": \"layers\"", "not both"),
        ("\"choices\": [1, 2]}", "\"choices\": [0, 2]}", "integers 1 to 64"),
        ("\"choices\": [8, 16]", "\"choices\": [8, true]", "finite number or a string"),
        ("{\"name\": \"op\"", "{\"name\": \"width\"", "appears twice"),
        ("\"task\": \"a test\", ", "", "missing key 'task'"),
    ])
    func rejectsBrokenDefinitionsWithAMessage(_ edit: (String, String, String)) throws {
        let text = Self.valid.replacingOccurrences(of: edit.0, with: edit.1)
        #expect(text != Self.valid)
        do {
            _ = try SearchSpace.fromJSON(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.kind == .invalidSpace)
            #expect(error.message.contains(edit.2), "\(error.message)")
        }
    }

    @Test func rejectsMalformedJSONAsSuch() {
        do { _ = try SearchSpace.fromJSON("{\"name\": ") } catch { #expect(error.kind == .malformedJSON) }
    }
}
