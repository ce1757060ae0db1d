import Testing

@testable import LLMNASCore

@Suite struct MetricsTests {
    /// Kendall's tau-b by its definition, pair by pair: the reference the O(n log n) version must equal.
    func bruteForceTauB(_ x: [Double], _ y: [Double]) -> Double {
        var concordant = 0.0
        var discordant = 0.0
        var tiesX = 0.0
        var tiesY = 0.0
        for i in x.indices {
            for j in (i + 1)..<x.count {
                let dx = x[i] - x[j]
                let dy = y[i] - y[j]
                if dx == 0 && dy == 0 { continue }
                if dx == 0 {
                    tiesX += 1
                } else if dy == 0 {
                    tiesY += 1
                } else if (dx > 0) == (dy > 0) {
                    concordant += 1
                } else {
                    discordant += 1
                }
            }
        }
        return (concordant - discordant)
            / ((concordant + discordant + tiesX) * (concordant + discordant + tiesY)).squareRoot()
    }

    @Test func kendallTauBEqualsTheDefinitionWithTies() {
        var generator = SeededGenerator(seed: 99)
        for trial in 0..<200 {
            let n = 2 + trial % 60
            let x = (0..<n).map { _ in Double(generator.index(below: 7)) }
            let y = (0..<n).map { _ in Double(generator.index(below: trial % 2 == 0 ? 5 : 1000)) }
            let expected = bruteForceTauB(x, y)
            let got = RankMetrics.kendallTauB(x, y)
            if expected.isNaN { #expect(got.isNaN) } else { #expect(abs(got - expected) < 1e-12, "n=\(n)") }
        }
    }

    @Test func knownValues() throws {
        let m = try RankMetrics(predicted: [1, 2, 3, 4, 5], truth: [2, 4, 6, 8, 10])
        #expect(m.kendallTau == 1)
        #expect(m.spearman == 1)
        #expect(abs(m.pearson - 1) < 1e-15)
        #expect(m.mae == 3)
        #expect(abs(m.rmse - (11.0).squareRoot()) < 1e-12)
        let reversed = try RankMetrics(predicted: [3, 2, 1], truth: [1, 2, 3])
        #expect(reversed.kendallTau == -1)
        #expect(reversed.spearman == -1)
        // scipy.stats.kendalltau([1, 2, 2, 3], [1, 3, 2, 3]) = 0.8 (tau-b with ties on both sides).
        #expect(abs(RankMetrics.kendallTauB([1, 2, 2, 3], [1, 3, 2, 3]) - 0.8) < 1e-12)
        // scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 3]).statistic = 0.8333333333333335 (average ranks).
        #expect(
            abs(try RankMetrics(predicted: [1, 2, 2, 3], truth: [1, 3, 2, 3]).spearman - 0.8333333333333335) < 1e-12)
    }

    @Test func constantInputsGiveNaNCorrelations() throws {
        let m = try RankMetrics(predicted: [5, 5, 5], truth: [1, 2, 3])
        #expect(m.kendallTau.isNaN && m.spearman.isNaN && m.pearson.isNaN)
        #expect(m.mae == 3)
    }

    @Test func badInputIsRefused() {
        #expect(throws: LLMNASError.self) { try RankMetrics(predicted: [1, 2], truth: [1]) }
        #expect(throws: LLMNASError.self) { try RankMetrics(predicted: [.nan, 2], truth: [1, 2]) }
    }

    @Test func radixPassesSortAsTheComparisonSortDoes() {
        var generator = SeededGenerator(seed: 4)
        let pairs = (0..<(RadixSort.radixThreshold * 3)).map { _ in
            RadixSort.KeyPair(
                primary: UInt64(generator.index(below: 500)) << 40 | UInt64(generator.index(below: 3)),
                secondary: UInt64(generator.index(below: 1 << 20)) << 30)
        }
        for primaryOnly in [false, true] {
            var sorted = pairs
            RadixSort.sort(&sorted, primaryOnly: primaryOnly)
            let expected = pairs.enumerated().sorted {
                ($0.element.primary, primaryOnly ? 0 : $0.element.secondary, $0.offset)
                    < ($1.element.primary, primaryOnly ? 0 : $1.element.secondary, $1.offset)
            }.map(\.element)
            #expect(
                sorted.map(\.primary) == expected.map(\.primary) && sorted.map(\.secondary) == expected.map(\.secondary)
            )
        }
    }

    @Test func scalesToAHundredThousand() {
        var generator = SeededGenerator(seed: 1)
        let x = (0..<100_000).map { _ in generator.unit() }
        let y = x.map { $0 + 0.1 * generator.unit() }
        let tau = RankMetrics.kendallTauB(x, y)
        #expect(tau > 0.8 && tau < 1)
    }

    @Test func affineLineFitsExactly() throws {
        let line = try AffineCalibration(fitting: [1, 2, 3], to: [5, 7, 9])
        #expect(line.slope == 2 && line.intercept == 3)
        #expect(try AffineCalibration(fitting: [4, 4], to: [1, 3]).apply(10) == 2)
    }
}

@Suite struct ProtocolTableTests {
    @Test func summariesSkipUndefinedSeedsAndSaySo() {
        #expect(PaperProtocolResult.summary([0.5, 0.3]) == "0.40±0.10")
        #expect(PaperProtocolResult.summary([0.5, .nan, 0.3]) == "0.40±0.10*")
        #expect(PaperProtocolResult.summary([.nan, .nan]) == "n/a*")
    }
}
