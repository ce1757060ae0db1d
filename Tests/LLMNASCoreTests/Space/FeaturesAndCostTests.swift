import LLMNASTestSupport
import Testing

@testable import LLMNASCore

@Suite struct FeaturesAndCostTests {
    static let vocabularyTasks = [
        "wmt14ende": "hat-wmt14ende", "wmt14enfr": "hat-wmt14enfr", "wmt19ende": "hat-wmt19ende",
    ]

    @Test func hatFeaturesEqualTheDataColumnsOfAllNinetyRows() throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        for row in try RepoData.labeled() {
            let features = try space.features(of: try space.architecture(fromJSON: row.archJSON))
            #expect(features == RepoData.hatFeatureColumns.map { Float(row.number($0)) }, "\(row.row["arch_id"]!)")
        }
    }

    @Test func hatFeaturesEqualTheDataOfAll8500UnlabelledArchitectures() throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        let lines = try RepoData.unlabeled()
        #expect(lines.count == 8500)
        var mismatches = 0
        for line in lines {
            let expected = line["hat_features"]!.arrayValue!.map { value -> Float in
                if case .number(let d) = value { return Float(d) } else { return .nan }
            }
            if try space.features(of: try space.architecture(from: line["arch"]!)) != expected { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func parametersAndFlopsEqualHATsCountsForEveryTask() throws {
        for row in try RepoData.labeled() {
            let space = try BuiltinSpaces.space(named: Self.vocabularyTasks[row.task]!)
            let counts = try! space.costModel!.counts(of: try space.architecture(fromJSON: row.archJSON), in: space)
            #expect(Double(counts.parameters) == row.number("params_no_emb"), "\(row.task) \(row.row["arch_id"]!)")
            #expect(Double(counts.embeddingParameters) == row.number("params_emb"))
            #expect(Double(counts.flops) == row.number("total_flops"), "\(row.task) \(row.row["arch_id"]!)")
            #expect(Double(counts.outputProjectionFlops) == row.number("last_layer_flops"))
        }
    }

    @Test func flopsEqualTheDataOfAll8500UnlabelledArchitectures() throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        var worst = 0.0
        for line in try RepoData.unlabeled() {
            guard case .number(let expected) = line["total_flops"]! else {
                Issue.record("no total_flops")
                return
            }
            let flops = Double(
                try! space.costModel!.counts(of: try space.architecture(from: line["arch"]!), in: space).flops)
            worst = max(worst, abs(flops - expected) / expected)
        }
        #expect(worst == 0)
    }

    @Test func statsAreJSONAndUnsupportedWithoutACostModel() throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        let stats = try space.stats(of: try space.architecture(fromJSON: ArchitectureTests.a00))
        #expect(stats["params"] == .number(22_199_936))
        #expect(stats["flops"] == .number(2_669_506_728))
        #expect(stats["gflops"] == .number(2.669506728))
        let graph = try BuiltinSpaces.space(named: "nas-bench-graph")
        do {
            _ = try graph.stats(of: Architecture(genes: [0, 0, 1, 2, 3]))
            Issue.record("expected unsupported")
        } catch {
            #expect(error.kind == .unsupported)
        }
    }

    @Test func namedChoicesAreOneHotEncoded() throws {
        let space = try BuiltinSpaces.space(named: "nas-bench-graph")
        let features = try space.features(
            of: try space.architecture(fromJSON: #"{"link": "0-0-1-2", "ops": ["gcn", "gat", "skip", "sage"]}"#))
        #expect(features.count == 45)
        #expect(features[0..<9] == [0, 0, 0, 1, 0, 0, 0, 0, 0])
        #expect(features[9..<18] == [0, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(features[36..<45] == [0, 0, 0, 0, 1, 0, 0, 0, 0])
        #expect(features.reduce(0, +) == 5)
    }

    @Test func featureNamesNameEveryFeatureAndAreHATsColumnsForHATsSpaces() throws {
        for name in BuiltinSpaces.names {
            let space = try BuiltinSpaces.space(named: name)
            #expect(space.featureNames.count == space.featureCount, "\(name)")
            #expect(Set(space.featureNames).count == space.featureCount, "\(name): names are distinct")
        }
        let header = try RepoData.text("hat-latency/wmt14ende_gpu_titanxp_all.csv").split(separator: "\n")[0].split(
            separator: ",")
        #expect(try BuiltinSpaces.space(named: "hat-wmt14enfr").featureNames == header.prefix(10).map(String.init))
        #expect(LatencyPredictors.featureColumns == header.prefix(10).map(String.init))
        let graph = try BuiltinSpaces.space(named: "nas-bench-graph").featureNames
        #expect(graph.first?.hasPrefix("link=") == true && graph.contains("ops[3]=skip"))
    }
}
