import CLLMNAS
import LLMNASCore

/// `llmnas_screen *`: a whole-space screen a host drives, one thread at a time.
typealias ScreenHandle = Handle<SpaceScreen>

/// `llmnas_screen_create`: a screen of `space` configured by `config_json`, with an optional prior MLP.
@c @implementation public func llmnas_screen_create(
    _ space: OpaquePointer?, _ configJSON: UnsafePointer<CChar>?, _ prior: OpaquePointer?,
    _ outScreen: UnsafeMutablePointer<OpaquePointer?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outScreen, "out_screen")
        let space = try SpaceHandle.value(space, "space")
        let config = try SpaceScreen.Config(json: optionalJSON(configJSON, "config_json"))
        let model = prior == nil ? nil : try MLPHandle.value(prior, "prior")
        out.pointee = ScreenHandle(try SpaceScreen(space: space, config: config, prior: model)).retainedPointer()
    }
}

/// `llmnas_screen_choose`: the best `count` architectures neither scored nor excluded, as a JSON array.
@c @implementation public func llmnas_screen_choose(
    _ screen: OpaquePointer?, _ scoredJSON: UnsafePointer<CChar>?, _ excludedJSON: UnsafePointer<CChar>?,
    _ count: Int, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let screen = try ScreenHandle.value(screen, "screen")
        let space = screen.space
        let scored = try text(scoredJSON, "scored_json")
        let excluded =
            excludedJSON == nil ? [] : try ArchitectureBatch.parse(text(excludedJSON, "excluded_json"), in: space)
        let proposals = try screen.choose(scoredJSON: scored, excluding: excluded, count: count)
        out.pointee = try duplicate(
            JSONWriter.write(
                .array(
                    proposals.map { proposal in
                        .object([
                            ("architecture", space.json(of: proposal.architecture)),
                            ("score", .number(proposal.score)),
                            ("spread", proposal.spread.map(JSONValue.number) ?? .null),
                        ])
                    })))
    }
}

/// `llmnas_screen_pool`: the pool's size and whether it is the whole space.
@c @implementation public func llmnas_screen_pool(
    _ screen: OpaquePointer?, _ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> llmnas_status {
    boundary { () throws(LLMNASError) in
        let out = try output(outJSON, "out_json")
        let screen = try ScreenHandle.value(screen, "screen")
        out.pointee = try duplicate(
            JSONWriter.write(
                .object([
                    ("size", .number(Double(screen.poolSize))), ("enumerated", .bool(screen.enumeratesSpace)),
                ])))
    }
}

/// `llmnas_screen_free`: releases a screen; NULL is ignored.
@c @implementation public func llmnas_screen_free(_ screen: OpaquePointer?) { ScreenHandle.release(screen) }
