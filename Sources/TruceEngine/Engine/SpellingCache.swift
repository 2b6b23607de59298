/// Exact spelling of a sector name → its sector index, for spellings already
/// seen: most reports name their sector the way earlier ones did, and this
/// answers them without trimming, folding and a dictionary lookup of the key.
///
/// Spellings match byte for byte (a canonically equivalent spelling misses
/// and is looked up by its key, as a new one is), hashed as report ids are
/// (`ReportIndex`), so a lookup costs a few multiplies instead of SipHash.
/// At most `limit` spellings are kept, so hostile input cannot grow it
/// without bound.
struct SpellingCache: Sendable {
    private var index = ReportIndex()
    private var spellings: [String] = []
    private var sectors: [Int32] = []
    static let limit = 100_000

    var count: Int { spellings.count }

    @inline(__always)
    func sector(_ spelling: String) -> Int32? {
        index.find(spelling, idOf: { spellings[Int($0)] }).map { sectors[Int($0)] }
    }

    /// Remembers `spelling` (not there yet) as naming `sector`, while there is room.
    mutating func remember(_ spelling: String, _ sector: Int32) {
        guard spellings.count < SpellingCache.limit else { return }
        index.insert(spelling, index: Int32(spellings.count))
        spellings.append(spelling)
        sectors.append(sector)
    }
}
