import Testing

@testable import LLMNASCore

/// `SubsetExpansion`: posterior means through subsets of agreeing genes equal the direct sum over training
/// architectures, for any covariance table.
@Suite struct SubsetExpansionTests {
    let graph = try! BuiltinSpaces.space(named: "nas-bench-graph")

    @Test func itEqualsTheDirectSumForAnyTableOfAgreements() throws {
        var generator = SeededGenerator(seed: 11)
        let training = GeneCodes(try graph.sample(300, using: &generator), in: graph)
        let candidates = GeneCodes(try graph.sample(2000, using: &generator), in: graph)
        let weights = (0..<training.count).map { _ in Double.random(in: -1...1, using: &generator) }
        // A table no exponential kernel makes: the expansion is exact for every function of the agreement count.
        let covariance = (0...graph.geneCount).map { _ in Double.random(in: 0...2, using: &generator) }
        let expansion = try #require(
            SubsetExpansion(
                covariance: covariance, weights: weights, training: training, candidates: 1_000_000))
        let expanded = expansion.means(at: try #require(SubsetExpansion.indices(of: candidates)))
        for row in 0..<candidates.count {
            let agreeing = training.agreement(with: candidates, row: row)
            let direct = zip(weights, agreeing).reduce(0) { $0 + $1.0 * covariance[Int($1.1)] }
            #expect(abs(expanded[row] - direct) < 1e-9 * max(1, abs(direct)))
        }
    }

    @Test func itStandsAsideWhenTheDirectWayIsCheaper() {
        var generator = SeededGenerator(seed: 12)
        let training = GeneCodes(try! graph.sample(10, using: &generator), in: graph)
        let covariance = [Double](repeating: 1, count: graph.geneCount + 1)
        let weights = [Double](repeating: 1, count: training.count)
        #expect(SubsetExpansion(covariance: covariance, weights: weights, training: training, candidates: 100) == nil)
    }

    @Test func aGaussianProcessGivesTheSameMeansEitherWay() throws {
        var generator = SeededGenerator(seed: 13)
        let trained = try graph.sample(400, using: &generator)
        let targets = trained.map { SearchTests.synthetic($0, in: graph) }
        let center = targets.reduce(0, +) / Double(targets.count)
        let process = GaussianProcess(codes: GeneCodes(trained, in: graph), targets: targets.map { $0 - center })
        let candidates = GeneCodes(try graph.sample(30_000, using: &generator), in: graph)
        let indices = try #require(SubsetExpansion.indices(of: candidates))
        let expanded = try #require(process.expandedMeans(at: indices))
        let direct = process.means(of: candidates, rows: Array(0..<candidates.count))
        #expect(zip(expanded, direct).allSatisfy { abs($0 - $1) < 1e-9 })
    }
}
