import Testing

@testable import LLMNASCore

/// `ScoredText`: a list of scores read again with more at its end, or with its end changed, reads as the whole list
/// would; its errors are `Demonstration.list`'s.
@Suite struct ScoredTextTests {
    let graph = try! BuiltinSpaces.space(named: "nas-bench-graph")

    func element(_ architecture: Architecture, _ score: String) -> String {
        "{\"architecture\":\(JSONWriter.write(graph.json(of: architecture))),\"score\":\(score)}"
    }

    func same(_ a: [Demonstration], _ b: [Demonstration]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.architecture == $1.architecture && $0.score == $1.score }
    }

    @Test func everyTextReadsAsTheWholeListWould() throws {
        var generator = SeededGenerator(seed: 31)
        let architectures = try graph.sample(40, using: &generator).map { graph.canonical($0) }
        let elements = architectures.enumerated().map { element($1, "\(Double($0) / 8)") }
        var told = ScoredText()
        var texts = (0...40).map { "[" + elements.prefix($0).joined(separator: ",") + "]" }
        // The last score goes on with more digits; white space; the list cut short; another list altogether.
        texts += [
            "[" + elements.prefix(39).joined(separator: ",") + "," + element(architectures[39], "4.8751") + "]",
            "[ " + elements.prefix(20).joined(separator: " , ") + " ]\n",
            "[" + elements.prefix(5).joined(separator: ",") + "]",
            "[" + elements.suffix(7).joined(separator: ",") + "]", "[]", "[" + elements[3] + "]",
        ]
        for text in texts {
            let read = try told.demonstrations(of: text, in: graph)
            #expect(same(read, try Demonstration.list(fromJSON: text, in: graph, anyScale: true)), "\(text.prefix(80))")
        }
    }

    @Test func itsErrorsAreThoseOfTheWholeList() throws {
        var generator = SeededGenerator(seed: 32)
        let architectures = try graph.sample(5, using: &generator).map { graph.canonical($0) }
        let good = architectures.map { element($0, "1") }
        var told = ScoredText()
        _ = try told.demonstrations(of: "[" + good.joined(separator: ",") + "]", in: graph)
        let bad = [
            "[" + good.joined(separator: ",") + ",{\"architecture\":{\"link\":\"9\"},\"score\":1}]",
            "[" + good.joined(separator: ",") + ",]", "[" + good.joined(separator: ",") + "] x",
            "{\"architecture\":1}", "[" + good.joined(separator: ",") + "," + element(architectures[0], "\"a\"") + "]",
        ]
        for text in bad {
            var expected: LLMNASError?
            do { _ = try Demonstration.list(fromJSON: text, in: graph, anyScale: true) } catch { expected = error }
            var got: LLMNASError?
            do { _ = try told.demonstrations(of: text, in: graph) } catch { got = error }
            #expect(expected != nil && got?.kind == expected?.kind && got?.message == expected?.message, "\(text)")
        }
        // A failure leaves what was read before usable.
        let longer = "[" + good.joined(separator: ",") + "," + element(architectures[0], "2") + "]"
        #expect(try told.demonstrations(of: longer, in: graph).count == 6)
    }

    @Test func arrayElementsResumeJustPastAnElement() throws {
        let bytes = Array("[1, {\"a\": [2]} ,\"x\"]".utf8)
        let elements = try JSONParser.arrayElements(of: bytes)
        #expect(elements.map(\.value) == [.number(1), .object([("a", .array([.number(2)]))]), .string("x")])
        let rest = try JSONParser.arrayElements(of: bytes, resuming: elements[0].end)
        #expect(rest.map(\.value) == Array(elements.map(\.value).dropFirst()))
        #expect(rest.map(\.end) == Array(elements.map(\.end).dropFirst()))
        #expect(try JSONParser.arrayElements(of: Array(" [ ] ".utf8)).isEmpty)
        for text in ["[", "[1", "[1,]", "1", "[1] 2", "[,1]"] {
            #expect(throws: LLMNASError.self) { try JSONParser.arrayElements(of: Array(text.utf8)) }
        }
    }
}
