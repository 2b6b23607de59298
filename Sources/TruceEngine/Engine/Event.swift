/// The engine's event vocabulary (spec §4).
public enum EventKind: String, Sendable, CaseIterable {
    case incidentOpened = "incident.opened"
    case reportPending = "report.pending"
    case reportJoined = "report.joined"
    case reportRetracted = "report.retracted"
    case tier1Overdue = "tier1.overdue"
    case tierEscalated = "tier.escalated"
    case rosterNotified = "roster.notified"
    case incidentAcknowledged = "incident.acknowledged"
    case alertReminder = "alert.reminder"
    case actionRecorded = "action.recorded"
    case incidentResolved = "incident.resolved"
    case incidentWithdrawn = "incident.withdrawn"
    case narration = "narration"
    case inputRejected = "input.rejected"
}

/// One entry of the timeline. Fields are set where they apply.
public struct Event: Sendable, Equatable {
    /// When it happened; nil only for a rejected record read while no time
    /// was ever known (spec §3).
    public var at: Instant?
    public var kind: EventKind
    public var incident: String?
    public var tier: Int?
    public var sector: String?
    public var report: String?
    public var member: String?
    public var action: ActionKind?
    public var by: String?
    /// True for a manual escalation (R6).
    public var manual: Bool = false
    /// The report's new status, on `report.retracted`.
    public var status: ReportStatus?
    /// An operator's note, or a narration caption.
    public var text: String?
    /// Input line, on `input.rejected`.
    public var line: Int?
    public var reason: String?

    public init(at: Instant?, kind: EventKind) {
        self.at = at
        self.kind = kind
    }
}
