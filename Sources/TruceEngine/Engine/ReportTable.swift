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

    init(cold: ColdReports) { self.cold = cold }

    var coldCount: Int { cold?.count ?? 0 }

    public var startIndex: Int { 0 }
    public var endIndex: Int { coldCount + fresh.count }

    public subscript(i: Int) -> ReportState {
        get {
            let c = coldCount
            if i >= c { return fresh[i - c] }
            if !changed.isEmpty, let r = changed[Int32(i)] { return r }
            return cold!.report(i)
        }
        _modify {
            let c = coldCount
            if i >= c {
                yield &fresh[i - c]
            } else {
                let key = Int32(i)
                if changed[key] == nil { changed[key] = cold!.report(i) }
                yield &changed[key]!
            }
        }
    }

    /// The index of the report with exactly this id.
    @inline(__always)
    func index(of id: String) -> Int32? {
        let c = coldCount
        if let k = freshIndex.find(id, idOf: { fresh[Int($0) - c].id }) { return k }
        return cold?.find(id)
    }

    /// Adds a report whose id is not in the table yet; returns its index.
    mutating func append(_ r: ReportState) -> Int {
        let c = coldCount
        let i = c + fresh.count
        fresh.append(r)
        freshIndex.insert(r.id, index: Int32(i)) { fresh[Int($0) - c].id }
        return i
    }

    mutating func reserveCapacity(_ n: Int) { fresh.reserveCapacity(n) }
}
