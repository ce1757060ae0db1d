import LLMNASCore
import Testing

/// `"layer_features": "per_layer"`: one feature per possible layer, zeros past the active ones, named by position.
@Suite struct LayerFeaturesTests {
    static func space(_ encoding: String?) throws -> SearchSpace {
        let key = encoding.map { #", "layer_features": "\#($0)""# } ?? ""
        return try SearchSpace.fromJSON(
            #"{"name": "s", "task": "t", "metric": {"name": "acc", "min": 0, "max": 1}, "hyperparameters": ["#
                + #"{"name": "depth", "meaning": "m", "choices": [1, 2, 3]}, "#
                + #"{"name": "width", "meaning": "m", "choices": [16, 64], "layers": "depth"}, "#
                + #"{"name": "act", "meaning": "m", "choices": ["relu", "gelu"], "layers": "depth"}]\#(key)}"#)
    }

    @Test func perLayerFeaturesKeepPositionAndPadWithZeros() throws {
        let space = try Self.space("per_layer")
        #expect(space.featureCount == 1 + 3 + 3 * 2)
        #expect(
            space.featureNames == [
                "depth", "width[0]", "width[1]", "width[2]", "act[0]=relu", "act[0]=gelu", "act[1]=relu",
                "act[1]=gelu", "act[2]=relu", "act[2]=gelu",
            ])
        let arch = try space.architecture(fromJSON: #"{"depth": 2, "width": [64, 16], "act": ["gelu", "relu"]}"#)
        #expect(try space.features(of: arch) == [2, 64, 16, 0, 0, 1, 1, 0, 0, 0])
        let reversed = try space.architecture(fromJSON: #"{"depth": 2, "width": [16, 64], "act": ["relu", "gelu"]}"#)
        #expect(try space.features(of: reversed) != space.features(of: arch), "layer order is seen")
        #expect(try space.features(of: arch) == space.features(of: arch), "deterministic")
        let again = try SearchSpace(json: space.json)
        #expect(again.layerFeatures == .perLayer && again.featureCount == space.featureCount)
    }

    @Test func meansStayTheDefaultAndAnUnknownEncodingIsRefused() throws {
        let space = try Self.space(nil)
        #expect(space.featureNames == ["depth", "width_avg", "act_avg=relu", "act_avg=gelu"])
        let arch = try space.architecture(fromJSON: #"{"depth": 2, "width": [64, 16], "act": ["gelu", "relu"]}"#)
        #expect(try space.features(of: arch) == [2, 40, 0.5, 0.5])
        #expect(space.json["layer_features"] == nil)
        #expect(try Self.space("mean").featureCount == 4)
        #expect(
            throws: LLMNASError(.invalidSpace, #"search space: 'layer_features' is "mean" or "per_layer", not "pos""#)
        ) {
            try Self.space("pos")
        }
    }
}
