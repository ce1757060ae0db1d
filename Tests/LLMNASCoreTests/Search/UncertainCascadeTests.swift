import Foundation
import LLMNASTestSupport
import Testing

@testable import LLMNASCore

/// Cascades that also send on the candidates their screen is least sure of (`keep_uncertain`), with spreads told by
/// a host screen.
@Suite struct UncertainCascadeTests {
    let base = CascadeTests()

    /// A spread for each architecture that has nothing to do with its score: a fixed scramble of its genes.
    func spread(_ architecture: Architecture) -> Double {
        let mixed = architecture.genes.enumerated().reduce(17) { ($0 * 31 + ($1.offset + 1) * ($1.element + 3)) % 9973 }
        return Double(mixed % 97) / 10
    }

    func config(checkpoint: String? = nil) -> String {
        #"{\#(CascadeTests.sizes), "estimators": [{"name": "proxy"}, {"name": "supernet"}],"#
            + #""schedule": [{"estimator": "supernet", "fraction": [0, 1], "cascade": {"screen": "proxy", "pool": 4,"#
            + #" "keep_best": 4, "keep_uncertain": 3}}]"#
            + (checkpoint.map { #", "checkpoint": "\#($0)""# } ?? "") + "}"
    }

    /// Asks and tells until the end, the proxy's scores with their spreads, recording (estimator, batch) of every ask.
    @discardableResult
    func finish(_ search: HybridSearch, _ asks: inout [(String, [Architecture])]) throws -> HybridSearch {
        try base.finish(search, &asks) { estimator, candidates in estimator == "proxy" ? candidates.map(spread) : nil }
    }

    @Test func theWidestSpreadsAmongTheRestGoOnBesideTheBestScores() throws {
        var asks: [(String, [Architecture])] = []
        let s = try finish(base.search(config()), &asks)
        let screen = s.state.scores[0].entries
        let expensive = s.state.scores[1].entries
        #expect(screen.allSatisfy { $0.spread == spread($0.architecture) } && expensive.allSatisfy { $0.spread == nil })
        // A pool may repeat what the screen scored in an earlier iteration (its old score is used, under that
        // iteration) once the population converges: the iterations whose whole pool was screened anew (the first
        // two here) are checked exactly.
        let anew = (0..<6).filter { s.state.history[$0].cascade!.pool == s.state.history[$0].cascade!.screened }
        #expect(anew.starts(with: [0, 1]), "\(s.state.history.map { $0.cascade! })")
        #expect(s.state.history.allSatisfy { $0.cascade!.kept == 7 && $0.cascade!.uncertain == 3 })
        for iteration in anew {
            let sent = Set(expensive.filter { $0.iteration == iteration }.map(\.architecture))
            let pool = screen.filter { $0.iteration == iteration }
            let ranked = pool.sorted { $0.score > $1.score }
            let best = ranked.prefix(4)
            let rest = ranked.dropFirst(4)
            #expect(
                best.allSatisfy { sent.contains($0.architecture) },
                "iteration \(iteration): the four best by score went on")
            let uncertain = rest.filter { sent.contains($0.architecture) }
            #expect(uncertain.count == min(3, rest.count), "iteration \(iteration): three more for their spread")
            let narrowestSent = uncertain.map { $0.spread! }.min() ?? .infinity
            let widestLeft = rest.filter { !sent.contains($0.architecture) }.map { $0.spread! }.max() ?? -.infinity
            #expect(
                narrowestSent >= widestLeft, "iteration \(iteration): those sent for their spread are the widest left")
            let record = try #require(s.state.history[iteration].cascade)
            #expect(record.screened == pool.count)
            #expect(record.uncertain == uncertain.count && record.kept == 4 + uncertain.count)
        }
        let history = JSONWriter.write(s.historyJSON())
        #expect(history.contains(#""kept":7,"uncertain":3}"#))
        let trials = JSONWriter.write(s.trialsJSON())
        #expect(
            trials.contains(#""estimator":"supernet","iteration":0,"score":"#) && trials.contains(#""spread":null"#))
        let folder = try TemporaryFolder("llmnas-uncertain-report")
        try SearchReport.write(s, format: .csv, to: folder.file("report.csv"))
        #expect(
            try String(contentsOfFile: folder.file("report.csv"), encoding: .utf8).hasPrefix(
                "iteration,estimator,evaluated,best_score,parent_mean,population,screen,pool,screened,kept,uncertain,refits,"
            ))
    }

    @Test func aResumedUncertainCascadeEndsAsAnUninterruptedRun() throws {
        let folder = try TemporaryFolder("llmnas-uncertain")
        let path = folder.file("cascade.ckpt")
        var reference: [(String, [Architecture])] = []
        let uninterrupted = try finish(base.search(config(checkpoint: path)), &reference)
        try FileManager.default.removeItem(atPath: path)
        let first = try base.search(config(checkpoint: path))
        var asks: [(String, [Architecture])] = []
        for _ in 0..<5 {
            let (candidates, estimator) = try first.ask()
            asks.append((estimator, candidates))
            try first.tell(candidates.map(base.score), spreads: estimator == "proxy" ? candidates.map(spread) : nil)
        }
        #expect(
            try first.ask().estimator == "supernet",
            "stopped between a screen (with its spreads) and its supernet batch")
        let resumed = try SearchCheckpoint.read(path)
        #expect(
            resumed.state.scores[0].entries == first.state.scores[0].entries,
            "the spreads came back from the checkpoint")
        try finish(resumed, &asks)
        #expect(asks.map(\.0) == reference.map(\.0) && asks.map(\.1) == reference.map(\.1))
        #expect(JSONWriter.write(resumed.historyJSON()) == JSONWriter.write(uninterrupted.historyJSON()))
        #expect(resumed.trialsWithoutTimes == uninterrupted.trialsWithoutTimes)
    }

    @Test func spreadsThatAreNotAStandardDeviationAndScreensWithoutOneAreRefused() throws {
        let s = try base.search(config())
        let (candidates, _) = try s.ask()
        let scores = candidates.map(base.score)
        for (bad, why) in [(-1.0, "not negative"), (.nan, "not negative"), (.infinity, "finite")] {
            var spreads = candidates.map(spread)
            spreads[2] = bad
            #expect { try s.tell(scores, spreads: spreads) } throws: { error in
                let e = error as! LLMNASError
                return e.kind == .invalidArgument && e.message.hasPrefix("spread 2 is") && e.message.contains(why)
            }
        }
        #expect { try s.tell(scores, spreads: [1]) } throws: {
            ($0 as! LLMNASError).message.contains("1 spreads for \(scores.count) scores")
        }
        #expect(s.state.scores[0].count == 0 && s.state.pending == candidates, "a refused tell changes nothing")
        // Told without spreads, the screen's scores carry none and the uncertain places go to the next by score.
        try s.tell(scores)
        #expect(s.state.scores[0].entries.allSatisfy { $0.spread == nil })
        let sent = Set(try s.ask().candidates)
        let ranked = s.state.scores[0].entries.sorted { $0.score > $1.score }
        #expect(sent == Set(ranked.prefix(7).map(\.architecture)))
        let mlpScreen =
            #"{"estimators": [{"name": "distilled", "kind": "mlp"}, {"name": "supernet"}], "schedule": "#
            + #"[{"estimator": "supernet","#
            + #""fraction": [0, 1], "cascade": {"screen": "distilled", "keep_uncertain": 2}}]}"#
        #expect { _ = try base.search(mlpScreen) } throws: { error in
            (error as! LLMNASError).message.contains("'keep_uncertain' needs a screen that reports a spread")
        }
    }
}
