import Testing

@testable import LLMNASCore

@Suite struct OperatorTests {
    @Test(arguments: BuiltinSpaces.names)
    func samplesAreValidAndFixedBySeed(_ name: String) throws {
        let space = try BuiltinSpaces.space(named: name)
        var a = SeededGenerator(seed: 2024)
        var b = SeededGenerator(seed: 2024)
        var distinct = Set<String>()
        for _ in 0..<500 {
            let x = try space.sample(using: &a)
            #expect(x == (try space.sample(using: &b)))
            try space.check(x)
            let text = space.jsonText(of: x)
            // JSON holds the encoding: inactive layers left out, a cell's encoding as it is.
            #expect(try space.architecture(fromJSON: text) == (space.cell == nil ? space.canonical(x) : x))
            distinct.insert(text)
        }
        #expect(distinct.count > 450)
    }

    @Test func sampleOfASeedIsPinned() throws {
        // Pins the gene encoding and the generator together: a change in either shows here.
        let space = try BuiltinSpaces.space(named: "nas-bench-graph")
        var generator = SeededGenerator(seed: 1)
        let texts = try (0..<3).map { _ in space.jsonText(of: try space.sample(using: &generator)) }
        var replay = SeededGenerator(seed: 1)
        let genes = (0..<5).map { _ in replay.index(below: 9) }
        #expect(try space.architecture(fromJSON: texts[0]).genes == genes)
    }

    @Test func samplingCoversEveryChoiceAndLayerCount() throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        var generator = SeededGenerator(seed: 3)
        var layerCounts = [Int: Int]()
        for _ in 0..<6000 {
            let x = try space.sample(using: &generator)
            layerCounts[space.activeCount(ofHyperparameter: 6, in: x), default: 0] += 1
        }
        #expect(layerCounts.keys.sorted() == [1, 2, 3, 4, 5, 6])
        #expect(layerCounts.values.allSatisfy { abs($0 - 1000) < 150 })
    }

    @Test func mutationRedrawsGenesWithTheGivenProbability() throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        var generator = SeededGenerator(seed: 11)
        let parent = try space.sample(using: &generator)
        #expect(try space.mutate(parent, probability: 0, using: &generator) == parent)
        var changed = 0
        let trials = 400
        for _ in 0..<trials {
            let child = try space.mutate(parent, probability: 0.3, using: &generator)
            try space.check(child)
            changed += zip(child.genes, parent.genes).filter { $0 != $1 }.count
        }
        // A redrawn gene keeps its value with chance 1/choices, so the expected change rate is below 0.3.
        let rate = Double(changed) / Double(trials * space.geneCount)
        #expect(rate > 0.12 && rate < 0.25)
        #expect(throws: LLMNASError.self) { try space.mutate(parent, probability: 1.5, using: &generator) }
        #expect(throws: LLMNASError.self) { try space.mutate(parent, probability: .nan, using: &generator) }
    }

    @Test func mutationFillsNewlyActiveLayersOfAJSONParent() throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        let parent = try space.architecture(fromJSON: ArchitectureTests.a00)  // one decoder layer, five unset
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<200 {
            let child = try space.mutate(parent, probability: 0.5, using: &generator)
            try space.check(child)
            #expect(try space.architecture(fromJSON: space.jsonText(of: child)) == space.canonical(child))
        }
    }

    @Test func crossoverTakesEachGeneFromAParent() throws {
        let space = try BuiltinSpaces.space(named: "hat-wmt14ende")
        var generator = SeededGenerator(seed: 13)
        let a = try space.sample(using: &generator)
        let b = try space.sample(using: &generator)
        var fromA = 0
        var fromB = 0
        for _ in 0..<200 {
            let child = try space.crossover(a, b, using: &generator)
            for g in child.genes.indices {
                #expect(child.genes[g] == a.genes[g] || child.genes[g] == b.genes[g])
                if a.genes[g] != b.genes[g] { if child.genes[g] == a.genes[g] { fromA += 1 } else { fromB += 1 } }
            }
        }
        #expect(abs(fromA - fromB) < (fromA + fromB) / 10)
    }

    @Test func operatorsRespectConstraints() throws {
        let space = try BuiltinSpaces.space(named: "nas-bench-graph")
        let nearlyAllSkip = try space.architecture(
            fromJSON: #"{"link": "0-0-0-0", "ops": ["skip", "skip", "skip", "gcn"]}"#)
        let allSkipElsewhere = try space.architecture(
            fromJSON: #"{"link": "0-1-2-3", "ops": ["gcn", "skip", "skip", "skip"]}"#)
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<2000 {
            #expect(
                space.violatedConstraint(try space.mutate(nearlyAllSkip, probability: 0.3, using: &generator)) == nil)
            #expect(
                space.violatedConstraint(try space.crossover(nearlyAllSkip, allSkipElsewhere, using: &generator)) == nil
            )
        }
    }

    @Test func anInfeasibleSpaceIsAClearError() throws {
        let space = try SearchSpace.fromJSON(
            #"""
            {"name": "stuck", "task": "t", "metric": {"name": "m", "min": 0, "max": 1},
             "hyperparameters": [{"name": "ops", "meaning": "m", "choices": ["skip"], "length": 2}],
             "constraints": [{"kind": "not_all_equal", "hyperparameter": "ops", "value": "skip"}]}
            """#)
        var generator = SeededGenerator(seed: 1)
        do {
            _ = try space.sample(using: &generator)
            Issue.record("expected infeasible")
        } catch {
            #expect(error.kind == .infeasible)
        }
    }
}
