import Testing

@testable import LLMNASCore

/// The combined predictor: no weight on an LLM without signal, the LLM followed when it is right.
@Suite struct CombinedFitTests {
    /// Twelve architectures' parameter counts and GFLOPs, and a score that rises with the parameters, with noise.
    let params: [Double] = [20, 31, 25, 44, 52, 38, 61, 29, 47, 55, 35, 66].map { $0 * 1e6 }
    var gflops: [Double] { params.enumerated().map { $0.element / 1e7 + Double($0.offset % 3) } }
    var truth: [Double] {
        params.enumerated().map { 20 + $0.element / 1e7 + [0.3, -0.2, 0.1, -0.4, 0.2, 0][$0.offset % 6] }
    }

    @Test func anLLMThatAnswersOneNumberGetsNoWeightAndTheCostLineRemains() throws {
        let rows = params.indices.map { [25.0, params[$0]] }
        let fit = try CombinedFit(fitting: rows, to: truth)
        #expect(fit.llmShare == 0)
        let line = try AffineCalibration(fitting: params, to: truth)
        for (row, x) in zip(rows, params) { #expect(abs(fit.predict(row) - line.apply(x)) < 0.05) }
    }

    @Test func anLLMThatKnowsTheScoresIsFollowed() throws {
        let rows = params.indices.map { [truth[$0], params[$0], gflops[$0]] }
        let fit = try CombinedFit(fitting: rows, to: truth)
        #expect(fit.llmShare > 0.9)
        let mae = zip(rows, truth).reduce(0) { $0 + abs(fit.predict($1.0) - $1.1) } / Double(rows.count)
        #expect(mae < 0.01)
    }

    @Test func tooFewOrRaggedRowsAreRefused() {
        #expect(throws: LLMNASError.self) { try CombinedFit(fitting: [[1], [2]], to: [1, 2]) }
        #expect(throws: LLMNASError.self) { try CombinedFit(fitting: [[1], [2, 3], [4]], to: [1, 2, 3]) }
    }
}
