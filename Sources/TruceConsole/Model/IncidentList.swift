import TruceEngine

/// How the incidents pane is ordered.
public enum SortMode: String, CaseIterable, Sendable {
    /// Overdue first, then unacknowledged, then the soonest clock; closed last.
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
    public var isOpen: Bool { status == .open }
}

/// The incidents the pane lists, filtered and sorted, with each one's
/// position, and the board's counters. Built once per change of the engine,
/// the sort or the filter, never per key and never because time passed: the
/// order depends on engine state and absolute instants only (the rows'
/// countdowns and ages are as of the build; the view recomputes the visible
/// ones for the instant it shows).
public struct IncidentList: Sendable {
    public struct Key: Equatable, Sendable {
        var generation: Int
        var sort: SortMode
        var filter: String
    }

    public private(set) var rows: [IncidentRow] = []
    private var position: [String: Int] = [:]
    public private(set) var openCount = 0
    public private(set) var unacknowledgedCount = 0
    public private(set) var overdueCount = 0
    public private(set) var key: Key?

    public init() {}

    /// The row of an incident, if the list shows it.
    public func index(of id: String) -> Int? { position[id] }
    public func contains(_ id: String) -> Bool { position[id] != nil }

    /// Rebuilds unless `key` is what it was built for.
    mutating func refresh(engine: Engine, now: Instant, sort: SortMode, filter: String, generation: Int) {
        let k = Key(generation: generation, sort: sort, filter: filter)
        guard k != key else { return }
        rebuild(engine: engine, now: now, sort: sort, filter: filter, generation: generation)
    }

    private mutating func rebuild(engine: Engine, now: Instant, sort: SortMode, filter: String, generation: Int) {
        key = Key(generation: generation, sort: sort, filter: filter)
        var rows: [IncidentRow] = []
        rows.reserveCapacity(engine.incidents.count)
        var open = 0, unack = 0, overdue = 0
        let needle = filter.isEmpty ? nil : filter.lowercased()
        for (i, inc) in engine.incidents.enumerated() {
            let row = IncidentRow(
                id: inc.id, index: i, sector: inc.sector, tier: inc.tier, status: inc.status,
                acknowledged: inc.acknowledged, age: max(0, now - inc.t0), reports: inc.countingReports,
                countdown: Countdown.of(inc, at: now), clockAt: IncidentList.clockAt(inc))
            if row.isOpen {
                open += 1
                if !row.acknowledged { unack += 1 }
                if row.isOverdue { overdue += 1 }
            }
            if let needle, !inc.id.lowercased().contains(needle), !inc.sector.lowercased().contains(needle) { continue }
            rows.append(row)
        }
        rows.sort(by: IncidentList.order(sort))
        var position: [String: Int] = [:]
        position.reserveCapacity(rows.count)
        for (i, r) in rows.enumerated() { position[r.id] = i }
        self.rows = rows
        self.position = position
        openCount = open
        unacknowledgedCount = unack
        overdueCount = overdue
    }

    /// The absolute instant of an incident's next clock (see `Countdown.of`).
    static func clockAt(_ inc: Incident) -> Int64 {
        guard inc.isOpen, inc.tier < 3 else { return .max }
        if inc.step == .pending || (inc.tier == 1 && inc.step == .overdue) { return inc.tier1Deadline.seconds }
        return inc.tier3At.seconds
    }

    static func order(_ sort: SortMode) -> (IncidentRow, IncidentRow) -> Bool {
        switch sort {
        case .id: return { $0.index < $1.index }
        case .sector: return { ($0.sector.lowercased(), $0.index) < ($1.sector.lowercased(), $1.index) }
        case .tier: return { ($1.tier, $0.index) < ($0.tier, $1.index) }
        case .urgency:
            return { a, b in
                // Overdue and unacknowledged, overdue, unacknowledged, the rest, closed.
                func rank(_ r: IncidentRow) -> Int {
                    if !r.isOpen { return 4 }
                    if r.isOverdue { return r.acknowledged ? 1 : 0 }
                    return r.acknowledged ? 3 : 2
                }
                let (ra, rb) = (rank(a), rank(b))
                if ra != rb { return ra < rb }
                // The soonest clock first (for overdue ones: the most overdue).
                if a.clockAt != b.clockAt { return a.clockAt < b.clockAt }
                return a.index < b.index
            }
        }
    }
}
