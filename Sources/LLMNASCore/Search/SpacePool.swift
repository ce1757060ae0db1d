/// The architectures a whole-space cascade chooses from: every architecture of the space when its gene vectors
/// (inactive layers counted) number at most the cascade's `sample`, else `sample` distinct ones drawn from a generator
/// seeded by the search's seed; only those meeting the search's constraints, canonical, in an order drawn from that
/// seed (so a screen's ties fall at random, the same way for a seed). It follows from the config alone, so a resumed
/// search draws it again instead of reading it from the checkpoint.
struct SpacePool {
    /// The architectures with their constraint values.
    let members: [SearchMember]
    /// The position of each member's architecture.
    private let position: [Architecture: Int]
    /// Whether `members` is the whole space rather than a sample of it.
    let enumerated: Bool
    /// The members' gene codes, for a Gaussian-process screen.
    let codes: GeneCodes
    /// The members' features (members × the space's feature count, row-major), for MLPs; empty when no MLP reads them.
    let features: [Float]

    /// The architectures a Gaussian-process screen has trained on, in order, and for each the number of genes in
    /// which every member agrees with it (2 bytes per member and architecture): kept between iterations, since the
    /// scores it learns only grow.
    private(set) var trained: [Architecture] = []
    private(set) var agreement: [[UInt16]] = []
    /// The Gaussian-process screen's training factor, grown between iterations as its scores grow.
    var factor: TrainingFactor?
    /// Each member's index in a Gaussian process's subset-expansion table (`SubsetExpansion`), on first use; nil when
    /// the space's genes have no such table.
    private(set) lazy var expansionIndices: [Int32]? = SubsetExpansion.indices(of: codes)

    /// Brings `agreement` up to `architectures`, the training architectures now: appends what came since, or
    /// starts again when they are not a continuation of the ones before.
    mutating func agree(with architectures: [Architecture], in space: SearchSpace) {
        if architectures.count < trained.count || !architectures.starts(with: trained) {
            (trained, agreement) = ([], [])
        }
        let new = Array(architectures[trained.count...])
        let codes = GeneCodes(new, in: space)
        for row in new.indices { agreement.append(self.codes.agreement(with: codes, row: row)) }
        trained = architectures
    }

    /// The seed of a pool's generator is the search's seed mixed with this, so that the pool does not replay the
    /// search's own draws.
    static let seedSalt: UInt64 = 0x5350_4143_4550_4F4F

    /// Whether `space` has at most `limit` gene vectors, so that a pool of at most `limit` enumerates it.
    static func enumerates(_ space: SearchSpace, limit: Int) -> Bool {
        var vectors = 1.0
        for (i, hp) in space.hyperparameters.enumerated() {
            vectors *= power(Double(hp.choices.count), space.geneCounts[i])
            if vectors > Double(limit) { return false }
        }
        return true
    }

    /// The pool of at most `sample` architectures of `space` that `admitted` lets through (returning their
    /// constraint values), drawn for a search seeded with `seed`; with features when `withFeatures`.
    init(
        space: SearchSpace, sample: Int, seed: UInt64, withFeatures: Bool,
        admitted: (Architecture) throws(LLMNASError) -> [Double]?
    ) throws(LLMNASError) {
        var generator = SeededGenerator(seed: seed ^ SpacePool.seedSalt)
        enumerated = SpacePool.enumerates(space, limit: sample)
        var architectures =
            enumerated
            ? SpacePool.everyArchitecture(of: space) : try SpacePool.draw(sample, of: space, using: &generator)
        if enumerated {
            var order = Array(architectures.indices)
            generator.shuffle(&order)
            architectures = order.map { architectures[$0] }
        }
        var members: [SearchMember] = []
        members.reserveCapacity(architectures.count)
        for architecture in architectures {
            if let values = try admitted(architecture) {
                members.append(SearchMember(architecture: architecture, constraintValues: values))
            }
        }
        guard !members.isEmpty else {
            throw LLMNASError(.infeasible, "no architecture of the whole-space pool meets the search's constraints")
        }
        self.members = members
        position = Dictionary(members.enumerated().map { ($1.architecture, $0) }, uniquingKeysWith: { a, _ in a })
        codes = GeneCodes(members.map(\.architecture), in: space)
        var features: [Float] = []
        if withFeatures {
            let width = space.featureCount
            features = [Float](repeating: 0, count: members.count * width)
            try features.withUnsafeMutableBufferPointer { buffer throws(LLMNASError) in
                for (i, member) in members.enumerated() {
                    try space.writeFeatures(
                        of: member.architecture,
                        into: UnsafeMutableBufferPointer(rebasing: buffer[(i * width)..<((i + 1) * width)]))
                }
            }
        }
        self.features = features
    }

    /// The member holding the canonical architecture `architecture`, if one does.
    func member(holding architecture: Architecture) -> Int? { position[architecture] }

    /// The rows of the members not among `excluded` (canonical architectures; marked by lookup, not by comparing
    /// each member), in pool order.
    func rows(excluding excluded: [Architecture]) -> [Int] {
        var marked = [Bool](repeating: false, count: members.count)
        for architecture in excluded {
            if let row = position[architecture] { marked[row] = true }
        }
        return marked.indices.filter { !marked[$0] }
    }

    /// Every canonical architecture of `space` that meets its own constraints, in gene order.
    private static func everyArchitecture(of space: SearchSpace) -> [Architecture] {
        var radices: [Int] = []
        for (i, hp) in space.hyperparameters.enumerated() {
            radices += [Int](repeating: hp.choices.count, count: space.geneCounts[i])
        }
        var genes = [Int](repeating: 0, count: radices.count)
        var seen = Set<Architecture>()
        var architectures: [Architecture] = []
        while true {
            let canonical = space.canonical(Architecture(genes: genes))
            if space.violatedConstraint(canonical) == nil, seen.insert(canonical).inserted {
                architectures.append(canonical)
            }
            var g = genes.count - 1
            while g >= 0 {
                genes[g] += 1
                if genes[g] < radices[g] { break }
                genes[g] = 0
                g -= 1
            }
            if g < 0 { return architectures }
        }
    }

    /// `count` distinct canonical architectures drawn uniformly (fewer when the space repeats itself for ten times
    /// as many draws).
    private static func draw(_ count: Int, of space: SearchSpace, using generator: inout SeededGenerator)
        throws(LLMNASError) -> [Architecture]
    {
        var seen = Set<Architecture>()
        var architectures: [Architecture] = []
        var draws = 0
        while architectures.count < count, draws < 10 * count {
            draws += 1
            let canonical = space.canonical(try space.sample(using: &generator))
            if seen.insert(canonical).inserted { architectures.append(canonical) }
        }
        return architectures
    }
}
