/// The candidates of one whole-space screening: members (the pool's first, then any children), their features (empty
/// when no MLP reads them), the pool rows of the pool's members, and the gene codes of any of them.
struct ScreenCandidates {
    /// The pool's members and their codes (not the pool itself: a screen grows the caches the pool holds while
    /// its candidates are alive, and a copy here would make that a copy of them).
    private let poolMembers: [SearchMember]
    private let poolCodes: GeneCodes
    private let children: [SearchMember]
    /// The children's gene codes.
    private let childCodes: GeneCodes
    var features: [Float]
    var poolRows: [Int]

    /// The members of `pool` at `rows`, followed by `children` (architectures outside the pool); with features when
    /// `withFeatures` (the pool's own must then have been computed).
    init(pool: SpacePool, rows: [Int], children: [SearchMember], withFeatures: Bool, space: SearchSpace)
        throws(LLMNASError)
    {
        let width = space.featureCount
        var features: [Float] = []
        if withFeatures {
            features.reserveCapacity((rows.count + children.count) * width)
            for row in rows { features += pool.features[(row * width)..<((row + 1) * width)] }
            for child in children { features += try space.features(of: child.architecture) }
        }
        poolMembers = pool.members
        poolCodes = pool.codes
        self.children = children
        childCodes = GeneCodes(children.map(\.architecture), in: space)
        self.features = features
        poolRows = rows
    }

    /// How many candidates there are.
    var count: Int { poolRows.count + children.count }

    /// Candidate `i`.
    func member(_ i: Int) -> SearchMember {
        i < poolRows.count ? poolMembers[poolRows[i]] : children[i - poolRows.count]
    }

    /// The gene codes of candidates `selected`, in their order.
    func codes(of selected: [Int]) -> GeneCodes {
        childCodes.gathering(
            selected.map { $0 < poolRows.count ? (poolCodes, poolRows[$0]) : (childCodes, $0 - poolRows.count) })
    }

    /// An MLP's predictions for the candidates.
    func predictions(of model: MLP) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        guard !out.isEmpty else { return out }
        model.predict(features, rows: count, into: &out)
        return out
    }
}
