import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// `SpaceScreen`: the whole-space Gaussian-process screen a host drives from its own loop.
@Suite struct SpaceScreenTests {
    let graph = try! BuiltinSpaces.space(named: "nas-bench-graph")

    func score(_ architecture: Architecture) -> Double { SearchTests.synthetic(architecture, in: graph) }

    func screen(seed: UInt64 = 3, higherIsBetter: Bool = true) throws -> SpaceScreen {
        var config = SpaceScreen.Config()
        config.seed = seed
        config.higherIsBetter = higherIsBetter
        return try SpaceScreen(space: graph, config: config)
    }

    /// Drives `screen` for `rounds` rounds of `batch`, scoring with `truth`; every batch proposed, in order.
    func drive(_ screen: SpaceScreen, rounds: Int, batch: Int, truth: (Architecture) -> Double) throws
        -> [[Architecture]]
    {
        var scored: [Demonstration] = []
        var batches: [[Architecture]] = []
        for _ in 0..<rounds {
            let proposed = try screen.choose(scored: scored, excluding: [], count: batch).map(\.architecture)
            batches.append(proposed)
            scored += proposed.map { Demonstration(architecture: $0, score: truth($0)) }
        }
        return batches
    }

    @Test func itProposesWhatASearchsWholeSpaceCascadeChooses() throws {
        let config =
            #"{"seed": 3, "population": 5, "parents": 1, "mutations": 0, "crossovers": 0, "iterations": 6, "#
            + #""estimators": [{"name": "valid"}, {"name": "gp", "kind": "gp", "on": "valid"}], "#
            + #""schedule": [{"estimator": "valid", "fraction": [0, 1], "cascade": {"screen": "gp", "pool": "space", "#
            + #""keep_best": 5}}]}"#
        let search = try HybridSearch(space: graph, config: SearchConfig(json: JSONParser.parse(config), space: graph))
        var asked: [Set<Architecture>] = []
        while true {
            let (candidates, _) = try search.ask()
            if search.isFinished { break }
            asked.append(Set(candidates.map { graph.canonical($0) }))
            try search.tell(candidates.map(score))
        }
        let proposed = try drive(screen(), rounds: 6, batch: 5, truth: score)
        #expect(proposed.map(Set.init) == asked)
    }

    @Test func proposalsAreNewDistinctBestFirstAndAvoidTheExcluded() throws {
        let s = try screen()
        let first = try drive(s, rounds: 4, batch: 5, truth: score).joined()
        let scored = first.map { Demonstration(architecture: $0, score: score($0)) }
        let unexcluded = try s.choose(scored: scored, excluding: [], count: 8)
        let excluded = Array(unexcluded.prefix(3).map(\.architecture))
        let proposals = try s.choose(scored: scored, excluding: excluded, count: 8)
        let architectures = proposals.map(\.architecture)
        #expect(architectures.count == 8 && Set(architectures).count == 8)
        #expect(Set(architectures).isDisjoint(with: first) && Set(architectures).isDisjoint(with: excluded))
        #expect(zip(proposals, proposals.dropFirst()).allSatisfy { $0.score >= $1.score }, "best first")
        #expect(proposals.allSatisfy { ($0.spread ?? -1) >= 0 }, "the proposed got their deviation computed")
    }

    @Test func drivenOneAtATimeItFindsTheTopOfASmoothScore() throws {
        let found = try drive(screen(), rounds: 60, batch: 1, truth: score).joined().map(score).max()!
        let pool = try SpacePool(space: graph, sample: 100_000, seed: 0, withFeatures: false) { _ in [] }
        let scores = pool.members.map { score($0.architecture) }.sorted(by: >)
        #expect(found >= scores[59], "60 calls end in the best 60 of 26,206, found \(found)")
    }

    @Test func lowerIsBetterOnNegatedScoresProposesTheSame() throws {
        let higher = try drive(screen(), rounds: 5, batch: 3, truth: score)
        let lower = try drive(screen(higherIsBetter: false), rounds: 5, batch: 3, truth: { -score($0) })
        #expect(higher.map(Set.init) == lower.map(Set.init))
    }

    @Test func aSeedGivesTheSameProposalsAndAnotherSeedOthers() throws {
        let first = try drive(screen(seed: 5), rounds: 3, batch: 4, truth: score)
        let again = try drive(screen(seed: 5), rounds: 3, batch: 4, truth: score)
        let other = try drive(screen(seed: 6), rounds: 3, batch: 4, truth: score)
        #expect(first == again)
        #expect(first[0] != other[0], "before any score every architecture ties, and the seed orders them")
    }

    @Test func aSampledPoolRunsOutAndABadRequestIsRefused() throws {
        var config = SpaceScreen.Config()
        config.sample = 20
        let small = try SpaceScreen(space: graph, config: config)
        #expect(!small.enumeratesSpace && small.poolSize == 20)
        let all = try small.choose(scored: [], excluding: [], count: 50)
        #expect(all.count == 20, "fewer when fewer are left")
        let scored = all.map { Demonstration(architecture: $0.architecture, score: score($0.architecture)) }
        #expect(try small.choose(scored: scored, excluding: [], count: 1).isEmpty)
        #expect(throws: LLMNASError.self) { try small.choose(scored: [], excluding: [], count: 0) }
        #expect(throws: LLMNASError.self) {
            try SpaceScreen.Config(json: JSONParser.parse(#"{"exploration": -1}"#))
        }
        #expect(throws: LLMNASError.self) { try SpaceScreen.Config(json: JSONParser.parse(#"{"seeds": 1}"#)) }
    }
}
