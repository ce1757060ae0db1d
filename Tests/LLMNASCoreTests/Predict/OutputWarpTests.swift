import Glibc
import Testing

@testable import LLMNASCore

/// `OutputWarp`: scores become the normal quantiles of their ranks and map back through them.
@Suite struct OutputWarpTests {
    @Test func theQuantileInvertsTheNormalDistributionToFullPrecision() {
        for p in [1e-6, 1e-4, 0.001, 0.01, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.99, 0.999, 1 - 1e-4] {
            let x = OutputWarp.normalQuantile(p)
            #expect(abs(0.5 * erfc(-x / 2.0.squareRoot()) - p) < 1e-13 * max(p, 1e-3), "p = \(p)")
            #expect(abs(x + OutputWarp.normalQuantile(1 - p)) < 1e-9)
        }
    }

    @Test func ranksBecomeQuantilesAndMapBack() {
        let scores = [0.2, 0.9, 0.5, 0.5, 0.7]
        let warp = OutputWarp(scores)
        #expect(warp.warped[2] == warp.warped[3] && warp.warped[0] < warp.warped[2] && warp.warped[2] < warp.warped[4])
        #expect(abs(warp.warped[1] - OutputWarp.normalQuantile(0.9)) < 1e-12)
        for (score, z) in zip(scores, warp.warped) { #expect(abs(warp.value(at: z) - score) < 1e-12) }
        let standardized = warp.standardized
        let mean = standardized.reduce(0, +) / 5
        #expect(abs(mean) < 1e-12 && abs(standardized.reduce(0) { $0 + $1 * $1 } / 5 - 1) < 1e-12)
    }
}
