/// The engine's reports, by index (incidents and the pending list name them
/// by index) and by id.
///
/// An engine restored from a snapshot does not build its reports: they stay
/// in the snapshot's bytes (`ColdReports`) and are decoded when read, so a
/// command on a million-record journal pays for the few reports it touches,
/// not for all of them. A cold report that changes is kept decoded in
/// `changed`; reports added since the restore are in `fresh`. An engine that
/// never restored has only `fresh`.
public struct ReportTable: RandomAccessCollection, Sendable {
    var cold: ColdReports?
    /// Cold reports changed since the restore, by index.
    var changed: [Int32: ReportState] = [:]
    /// Reports added since the restore (or since the start): index `coldCount + k`.
    var fresh: [ReportState] = []
    /// Ids of `fresh`, by their index in the table.
    var freshIndex = ReportIndex()

    init() {}

    init(cold: ColdReports) {
        self.cold = cold
        coldCount = cold.count
    }

    /// How many reports are cold (stored, so reading a fresh one touches no class).
    private(set) var coldCount = 0

    public var startIndex: Int { 0 }
    public var endIndex: Int { coldCount + fresh.count }

    public subscript(i: Int) -> ReportState {
        // `_read` lends a fresh report in place: reading one field of it
        // copies neither the report nor its strings.
        @inline(__always) _read {
            let c = coldCount
            if i >= c {
                yield fresh[i - c]
            } else {
                yield coldRead(i)
            }
        }
        @inline(__always) _modify {
            let c = coldCount
            if i >= c {
                yield &fresh[i - c]
            } else {
                let key = coldChange(i)
                yield &changed[key]!
            }
        }
    }

    /// `body` on report `i`, read in place: the engine's hot paths use this
    /// and `update` rather than the subscript (whose accessors are calls).
    @inline(__always)
    func read<T>(_ i: Int, _ body: (ReportState) -> T) -> T {
        if i >= coldCount { return body(fresh[i - coldCount]) }
        return body(coldRead(i))
    }

    /// `body` on report `i`, changed in place.
    @inline(__always)
    mutating func update<T>(_ i: Int, _ body: (inout ReportState) -> T) -> T {
        if i >= coldCount { return body(&fresh[i - coldCount]) }
        let key = coldChange(i)
        return body(&changed[key]!)
    }

    /// A cold report about to change: decoded into `changed` first.
    @inline(never)
    private mutating func coldChange(_ i: Int) -> Int32 {
        let key = Int32(i)
        if changed[key] == nil { changed[key] = cold!.report(i) }
        return key
    }

    @inline(never)
    private func coldRead(_ i: Int) -> ReportState {
        if !changed.isEmpty, let r = changed[Int32(i)] { return r }
        return cold!.report(i)
    }

    /// The index of the report with exactly this id.
    @inline(__always)
    func index(of id: String) -> Int32? {
        let c = coldCount
        if let k = freshIndex.find(id, idOf: { fresh[Int($0) - c].id }) { return k }
        return cold?.find(id)
    }

    @inline(__always)
    func prefetch(_ id: UnsafeBufferPointer<UInt8>) { freshIndex.prefetch(id) }

    /// Room for `n` more reports without growing (their memory is only
    /// touched as they come).
    mutating func reserve(_ n: Int) {
        fresh.reserveCapacity(fresh.count + n)
        freshIndex.reserve(freshIndex.count + n)
    }

    /// Adds a report whose id is not in the table yet; returns its index.
    mutating func append(_ r: ReportState) -> Int {
        let i = coldCount + fresh.count
        fresh.append(r)
        freshIndex.insert(r.id, index: Int32(i))
        return i
    }
}
