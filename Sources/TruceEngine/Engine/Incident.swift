/// Whether an incident is still running.
public enum IncidentStatus: String, Sendable, CaseIterable {
    case open, resolved, withdrawn
}

/// Progress of the tier-1 step (R3).
public enum Tier1Step: String, Sendable, CaseIterable {
    case pending, warned, overdue
}

/// A member's answer for one incident (R10).
public enum RosterAnswer: String, Sendable, CaseIterable {
    case notified, committed, declined
}

/// One incident, as the engine keeps it. Read-only outside the engine.
public struct Incident: Sendable {
    /// 1-based number; `id` is `INC-0001`.
    public let number: Int
    public let id: String
    /// Index into the engine's sectors.
    public let sectorIndex: Int
    public let sector: String
    public let t0: Instant
    public let openedAt: Instant
    public let tier1Deadline: Instant
    public let tier3At: Instant
    public internal(set) var tier: Int = 1
    /// When the current tier was reached (opening, for tier 1).
    public internal(set) var tierAt: Instant
    /// When each tier was reached; index 0 is tier 1.
    public internal(set) var tierTimes: [Instant]
    public internal(set) var status: IncidentStatus = .open
    public internal(set) var closedAt: Instant?
    /// Who resolved it (the action's `by`); nil when withdrawn or not given.
    public internal(set) var closedBy: String?
    public internal(set) var step: Tier1Step = .pending
    /// When the tier-1 step completed: the warning, or the deadline.
    public internal(set) var stepCompletedAt: Instant?
    public internal(set) var acknowledged = false
    public internal(set) var lastAlertAt: Instant
    /// Counting reports (R1): how many currently count in this incident.
    public internal(set) var countingReports = 0
    /// Counting reports that arm tier 3 (R5).
    public internal(set) var armingReports = 0
    /// Every report that ever joined, in order (indices into the engine's reports).
    public internal(set) var reportIndices: [Int32] = []
    /// Members notified, in order of notification.
    public internal(set) var notified: [String] = []
    /// Committed or declined answers by member code.
    public internal(set) var answers: [String: RosterAnswer] = [:]

    // Timer generations: a queued timer is live only if its generation matches.
    var deadlineGen: UInt32 = 0
    var tier3Gen: UInt32 = 0
    var reminderGen: UInt32 = 0

    public var isOpen: Bool { status == .open }
    /// R5: only a tier-2 incident can be armed.
    public var armed: Bool { tier == 2 && armingReports > 0 }

    /// The member's answer for this incident, if any (R10).
    public func answer(of code: String) -> RosterAnswer? {
        answers[code] ?? (notified.contains(code) ? .notified : nil)
    }

    /// Notified members that committed, over the number notified; nil when
    /// nobody was notified (R10).
    public var cohesion: Double? {
        guard !notified.isEmpty else { return nil }
        let committed = notified.filter { answers[$0] == .committed }.count
        return Double(committed) / Double(notified.count)
    }

    /// `INC-0001`, more digits past 9999.
    public static func id(number: Int) -> String {
        // Built as bytes: a restore makes one per incident, and interpolation cost ~1,000 instructions each.
        guard number >= 0 else { return "INC-" + String(number) }
        var digits: [UInt8] = []
        var n = number
        repeat {
            digits.append(UInt8(48 + n % 10))
            n /= 10
        } while n > 0
        while digits.count < 4 { digits.append(48) }
        return String(unsafeUninitializedCapacity: 4 + digits.count) { buf in
            buf[0] = 73; buf[1] = 78; buf[2] = 67; buf[3] = 45  // "INC-"
            for (k, d) in digits.reversed().enumerated() { buf[4 + k] = d }
            return 4 + digits.count
        }
    }

    /// The number in an incident id, if it is exactly as the engine writes it.
    public static func number(fromID id: String) -> Int? {
        // Read as bytes (every action looks its incident up): `INC-`, then the
        // number as `id(number:)` writes it, at least four digits, no other zero
        // in front.
        return withBytes(of: id) { b -> Int? in
            guard b.count >= 8, b[0] == 73, b[1] == 78, b[2] == 67, b[3] == 45 else { return nil }
            if b.count > 8 && b[4] == 48 { return nil }
            var n = 0
            for k in 4..<b.count {
                let d = Int(b[k]) &- 48
                guard d >= 0, d <= 9 else { return nil }
                let (m, over) = n.multipliedReportingOverflow(by: 10)
                let (sum, carry) = m.addingReportingOverflow(d)
                guard !over, !carry else { return nil }
                n = sum
            }
            return n > 0 ? n : nil
        }
    }
}

/// A report as the engine keeps it.
public struct ReportState: Sendable {
    public let id: String
    public let sectorIndex: Int
    public let observed: Instant
    /// When the report was first received.
    public let firstAt: Instant
    public internal(set) var status: ReportStatus
    /// The incident (index) it counts in or last counted in; -1 for none.
    public internal(set) var incident: Int32 = -1
    public internal(set) var counting = false
    public internal(set) var arms = false
    public internal(set) var kind: String?
    public internal(set) var scale: Scale
    public internal(set) var source: String?
    public internal(set) var note: String?
}
