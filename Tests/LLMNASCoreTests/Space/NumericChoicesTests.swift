import Testing

@testable import LLMNASCore

/// Choices that are numbers but not integers (a dropout of 0.1, an expansion ratio of 1.5, a learning rate of 1e-3).
@Suite struct NumericChoicesTests {
    static let text = #"""
        {"name": "cnn", "task": "an image classifier", "metric": {"name": "accuracy", "min": 0, "max": 1},
         "hyperparameters": [
           {"name": "dropout", "meaning": "dropout rate", "choices": [0, 0.1, 0.25]},
           {"name": "depth", "meaning": "blocks", "choices": [1, 2]},
           {"name": "ratio", "meaning": "expansion per block", "choices": [1, 1.5, 2], "layers": "depth"},
           {"name": "lr", "meaning": "learning rate", "choices": [1e-3, 3e-4]},
           {"name": "act", "meaning": "activation", "choices": ["relu", 0.5]}]}
        """#

    @Test func parsesComparesAndWritesNumbersExactly() throws {
        let space = try SearchSpace.fromJSON(Self.text)
        #expect(space.hyperparameters[0].choices == [.int(0), .number(0.1), .number(0.25)])
        #expect(space.hyperparameters[3].choices == [.number(0.001), .number(0.0003)])
        let again = try SearchSpace.fromJSON(JSONWriter.write(space.json))
        #expect(JSONWriter.write(again.json) == JSONWriter.write(space.json))
        let arch = try space.architecture(
            fromJSON: #"{"dropout": 0.1, "depth": 2, "ratio": [1.5, 2.0], "lr": 0.0003, "act": 0.5}"#)
        #expect(space.jsonText(of: arch) == #"{"dropout":0.1,"depth":2,"ratio":[1.5,2],"lr":0.0003,"act":0.5}"#)
        #expect(try space.architecture(fromJSON: space.jsonText(of: arch)) == arch)
        for wrong in [#""dropout": 0.15"#, #""dropout": "0.1""#] {
            let edited = space.jsonText(of: arch).replacingOccurrences(of: #""dropout":0.1"#, with: wrong)
            #expect(throws: LLMNASError.self) { try space.architecture(fromJSON: edited) }
        }
    }

    @Test func promptsShowNumbersAsWritten() throws {
        let space = try SearchSpace.fromJSON(Self.text)
        let arch = try space.architecture(
            fromJSON: #"{"dropout": 0.25, "depth": 2, "ratio": [1.5, 1], "lr": 1e-3, "act": "relu"}"#)
        let lines = try PromptBuilder(space: space, task: PredictionTask()).describe(arch).split(separator: "\n")
        #expect(lines == ["dropout: 0.25", "depth: 2", "ratio: [1.5, 1]", "lr: 0.001", "act: relu"])
    }

    @Test func numericChoicesAreFeaturisedAsNumbersAndMixedOnesOneHot() throws {
        let space = try SearchSpace.fromJSON(Self.text)
        #expect(space.hyperparameters[0].isNumeric && space.hyperparameters[2].isNumeric)
        #expect(!space.hyperparameters[4].isNumeric)
        let arch = try space.architecture(
            fromJSON: #"{"dropout": 0.1, "depth": 2, "ratio": [1.5, 2], "lr": 3e-4, "act": 0.5}"#)
        let features = Dictionary(uniqueKeysWithValues: zip(space.featureNames, try space.features(of: arch)))
        #expect(features["dropout"] == 0.1)
        #expect(features["lr"] == Float(3e-4))
        #expect(features.keys.contains { $0.hasPrefix("act") && $0.hasSuffix("0.5") })
    }
}
