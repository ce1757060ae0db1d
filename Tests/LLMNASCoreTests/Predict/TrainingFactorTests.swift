import Testing

@testable import LLMNASCore

/// `TrainingFactor` and `KernelChoice`: a factor grown a score at a time is the factor made at once, bit for bit; it
/// factors the kernel's covariance; the kernel is chosen anew only at the schedule's counts.
@Suite struct TrainingFactorTests {
    let graph = try! BuiltinSpaces.space(named: "nas-bench-graph")

    func trainingSet(_ count: Int, seed: UInt64) throws -> (codes: GeneCodes, scores: [Double]) {
        var generator = SeededGenerator(seed: seed)
        let trained = try graph.sample(count, using: &generator)
        return (GeneCodes(trained, in: graph), trained.map { SearchTests.synthetic($0, in: graph) })
    }

    @Test func theScheduleChoosesEveryCountThenEverySixteenthOrLess() {
        #expect((0...32).allSatisfy { KernelChoice.choiceCount(for: $0) == $0 })
        #expect(KernelChoice.choiceCount(for: 33) == 32)
        #expect(KernelChoice.choiceCount(for: 35) == 34)
        #expect(KernelChoice.choiceCount(for: 500) == 496)
        #expect(KernelChoice.choiceCount(for: 512) == 512)
        for count in 33...3000 {
            let chosen = KernelChoice.choiceCount(for: count)
            #expect(chosen <= count && 16 * (count - chosen) < count)
            #expect(KernelChoice.choiceCount(for: chosen) == chosen)
        }
    }

    @Test func aFactorGrownScoreByScoreIsTheFactorMadeAtOnce() throws {
        let (codes, scores) = try trainingSet(300, seed: 21)
        var grown = TrainingFactor(codes: codes.prefix(1), scores: Array(scores.prefix(1)))
        for n in [2, 3, 17, 40, 41, 64, 65, 66, 130, 257, 300] {
            grown.grow(to: codes.prefix(n), scores: Array(scores.prefix(n)))
            let made = TrainingFactor(codes: codes.prefix(n), scores: Array(scores.prefix(n)))
            #expect(grown.rows == n && grown.choice == made.choice && grown.capacity == made.capacity)
            #expect(grown.factor == made.factor, "\(n) rows")
        }
    }

    @Test func itFactorsTheKernelsCovariance() throws {
        let (codes, scores) = try trainingSet(150, seed: 22)
        var factor = TrainingFactor(codes: codes.prefix(100), scores: Array(scores.prefix(100)))
        factor.grow(to: codes, scores: scores)
        let (n, lda) = (factor.rows, factor.capacity)
        let agreements = codes.agreements(among: Array(0..<n))
        var worst = 0.0
        for i in 0..<n {
            for j in 0...i {
                var product = 0.0
                for k in 0...j { product += factor.factor[k * lda + i] * factor.factor[k * lda + j] }
                var expected = factor.table[Int(agreements[i * n + j])]
                if i == j { expected += factor.choice.noiseShare }
                worst = max(worst, abs(product - expected))
            }
        }
        #expect(worst < 1e-10)
    }

    @Test func otherScoresOrArchitecturesStartItAfresh() throws {
        let (codes, scores) = try trainingSet(80, seed: 23)
        var factor = TrainingFactor(codes: codes, scores: scores)
        let reversed = scores.reversed().map { $0 }
        factor.grow(to: codes, scores: reversed)
        #expect(factor.choice == TrainingFactor(codes: codes, scores: reversed).choice)
        factor.grow(to: codes.prefix(50), scores: Array(scores.prefix(50)))
        #expect(
            factor.rows == 50
                && factor.factor == TrainingFactor(codes: codes.prefix(50), scores: Array(scores.prefix(50))).factor)
    }
}
