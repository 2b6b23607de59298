import TruceEngine

/// How the incidents pane is ordered.
public enum SortMode: String, CaseIterable, Sendable {
    /// What duty needs first: unacknowledged before acknowledged, then the
    /// higher tier, then overdue before due, then the nearest deadline;
    /// closed incidents last.
    case urgency
    case id
    case sector
    case tier

    public var next: SortMode {
        let all = SortMode.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// One row of the incidents pane.
public struct IncidentRow: Equatable, Sendable {
    public var id: String
    public var index: Int
    public var sector: String
    public var tier: Int
    public var status: IncidentStatus
    public var acknowledged: Bool
    public var age: Int64
    public var reports: Int
    public var countdown: Countdown
    /// The instant the next clock runs out (the tier-1 deadline, or the
    /// tier-3 instant; `Int64.max` when none runs): what urgency sorts by, so
    /// the order does not change as time passes, only when the engine does.
    public var clockAt: Int64

    public var isOverdue: Bool { if case .overdue = countdown { return true } else { return false } }
    /// Its clock is in its last stretch (the policy's `due_soon`, 1 h): set for the rows on screen.
    public var isDueSoon = false
    /// An acknowledgement of it waits in this site's outbox: set for the rows on screen.
    public var ackQueued = false
    public var isOpen: Bool { status == .open }
}

/// The incidents the pane lists, filtered and sorted, and the board's
/// counters. The order depends on engine state and absolute instants only,
/// never on the time shown (the rows' countdowns and ages are as of their
/// build; the view recomputes the visible ones), so passing time changes
/// nothing here. When the engine changes, only the incidents it touched are
/// moved (a binary search each), so a key costs the same with 100 or
/// 100,000 incidents; a new sort or filter rebuilds the whole list.
public struct IncidentList: Sendable {
    public struct Key: Equatable, Sendable {
        var generation: Int
        var sort: SortMode
        var reversed: Bool
        var filter: String
    }

    public private(set) var rows: [IncidentRow] = []
    /// Every incident's row by engine index, listed or not.
    private var byIndex: [IncidentRow] = []
    public private(set) var openCount = 0
    public private(set) var unacknowledgedCount = 0
    public private(set) var overdueCount = 0
    public private(set) var key: Key?
    private var needle: String?

    public init() {}

    /// The list built from scratch (what the incremental updates must equal).
    public init(engine: Engine, now: Instant, sort: SortMode, reversed: Bool = false, filter: String) {
        rebuild(engine: engine, now: now, sort: sort, reversed: reversed, filter: filter, generation: 0)
    }

    /// The row of an incident, if the list shows it.
    public func index(of id: String) -> Int? {
        guard let n = Incident.number(fromID: id), n <= byIndex.count else { return nil }
        return position(of: byIndex[n - 1])
    }

    public func contains(_ id: String) -> Bool { index(of: id) != nil }

    /// Brings the list up to `generation`: moves the incidents in `touched`
    /// (and adds new ones) when that is all that changed; otherwise rebuilds.
    mutating func refresh(engine: Engine, now: Instant, sort: SortMode, reversed: Bool = false, filter: String,
                          generation: Int, touched: Set<Int>?) {
        let k = Key(generation: generation, sort: sort, reversed: reversed, filter: filter)
        guard k != key else { return }
        if let old = key, old.sort == sort, old.reversed == reversed, old.filter == filter, let touched,
           touched.count + (engine.incidents.count - byIndex.count) < max(64, byIndex.count / 8) {
            key = k
            update(engine: engine, now: now, sort: sort, touched: touched)
        } else {
            rebuild(engine: engine, now: now, sort: sort, reversed: reversed, filter: filter, generation: generation)
        }
    }

    private static func row(_ inc: Incident, index i: Int, now: Instant) -> IncidentRow {
        IncidentRow(id: inc.id, index: i, sector: inc.sector, tier: inc.tier, status: inc.status,
                    acknowledged: inc.acknowledged, age: IncidentList.age(inc, at: now), reports: inc.countingReports,
                    countdown: Countdown.of(inc, at: now), clockAt: IncidentList.clockAt(inc))
    }

    private func listed(_ r: IncidentRow) -> Bool {
        guard let needle else { return true }
        return r.id.lowercased().contains(needle) || r.sector.lowercased().contains(needle)
    }

    private mutating func count(_ r: IncidentRow, _ sign: Int) {
        guard r.isOpen else { return }
        openCount += sign
        if !r.acknowledged { unacknowledgedCount += sign }
        if r.isOverdue { overdueCount += sign }
    }

    /// Where `r` is in `rows` (exactly: the order is total), if listed.
    private func position(of r: IncidentRow) -> Int? {
        let i = lowerBound(r)
        return i < rows.count && rows[i].index == r.index ? i : nil
    }

    private func lowerBound(_ r: IncidentRow) -> Int {
        let before = IncidentList.order(key?.sort ?? .urgency, reversed: key?.reversed ?? false)
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if before(rows[mid], r) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private mutating func update(engine: Engine, now: Instant, sort: SortMode, touched: Set<Int>) {
        var changed = touched
        for i in byIndex.count..<engine.incidents.count { changed.insert(i) }
        for i in changed.sorted() where i < engine.incidents.count {
            if i < byIndex.count {
                let old = byIndex[i]
                count(old, -1)
                if let p = position(of: old) { rows.remove(at: p) }
            }
            let new = IncidentList.row(engine.incidents[i], index: i, now: now)
            if i < byIndex.count { byIndex[i] = new } else { byIndex.append(new) }
            count(new, 1)
            if listed(new) { rows.insert(new, at: lowerBound(new)) }
        }
    }

    private mutating func rebuild(engine: Engine, now: Instant, sort: SortMode, reversed: Bool, filter: String,
                                  generation: Int) {
        key = Key(generation: generation, sort: sort, reversed: reversed, filter: filter)
        needle = filter.isEmpty ? nil : filter.lowercased()
        openCount = 0
        unacknowledgedCount = 0
        overdueCount = 0
        byIndex = []
        byIndex.reserveCapacity(engine.incidents.count)
        var rows: [IncidentRow] = []
        rows.reserveCapacity(engine.incidents.count)
        for (i, inc) in engine.incidents.enumerated() {
            let row = IncidentList.row(inc, index: i, now: now)
            byIndex.append(row)
            count(row, 1)
            if listed(row) { rows.append(row) }
        }
        rows.sort(by: IncidentList.order(sort, reversed: reversed))
        self.rows = rows
    }

    /// Time since T0: up to now while open, frozen at the close once closed.
    public static func age(_ inc: Incident, at now: Instant) -> Int64 { max(0, (inc.closedAt ?? now) - inc.t0) }

    /// The absolute instant of an incident's next clock (see `Countdown.of`).
    static func clockAt(_ inc: Incident) -> Int64 {
        guard inc.isOpen, inc.tier < 3 else { return .max }
        if inc.step == .pending || (inc.tier == 1 && inc.step == .overdue) { return inc.tier1Deadline.seconds }
        return inc.tier3At.seconds
    }

    /// The order of the list: total (ties go by incident number), so a
    /// reversed order is exactly the other way round.
    static func order(_ sort: SortMode, reversed: Bool = false) -> (IncidentRow, IncidentRow) -> Bool {
        let base = order(sort)
        return reversed ? { base($1, $0) } : base
    }

    private static func order(_ sort: SortMode) -> (IncidentRow, IncidentRow) -> Bool {
        switch sort {
        case .id: return { $0.index < $1.index }
        case .sector: return { ($0.sector.lowercased(), $0.index) < ($1.sector.lowercased(), $1.index) }
        case .tier: return { ($1.tier, $0.index) < ($0.tier, $1.index) }
        case .urgency:
            return { a, b in
                if a.isOpen != b.isOpen { return a.isOpen }  // closed ones last
                if a.isOpen {
                    if a.acknowledged != b.acknowledged { return !a.acknowledged }
                    if a.tier != b.tier { return a.tier > b.tier }
                    if a.isOverdue != b.isOverdue { return a.isOverdue }
                    // The nearest deadline first (for overdue ones: the most overdue).
                    if a.clockAt != b.clockAt { return a.clockAt < b.clockAt }
                }
                return a.index < b.index
            }
        }
    }
}
