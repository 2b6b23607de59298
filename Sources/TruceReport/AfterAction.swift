import TruceEngine
import TruceHeadless

/// What happened, for the after-action report: built from the engine's
/// events (in timeline order) and its final state, for a window of time.
/// Pure: no files, no clock; the caller feeds it.
public struct AfterAction: Sendable {
    /// One incident's lane on the chart and its audit trail.
    public struct Lane: Sendable {
        public var id: String
        public var sector: String
        public var t0: Instant
        public var openedAt: Instant
        /// When each tier began (tier 1 first).
        public var tierTimes: [Instant]
        public var closedAt: Instant?
        /// `resolved` or `withdrawn`, once closed.
        public var closedAs: String?
        public var acknowledgedAt: Instant?
        /// When the tier-1 step (the warning) was taken.
        public var warnedAt: Instant?
        public var overdueAt: Instant?
        /// When each member was notified, and how and when each answered.
        public var notifiedAt: [String: Instant] = [:]
        public var answered: [String: Answer] = [:]
        public var markers: [Marker]
        public var trail: [TrailLine]

        public var notified: Int { notifiedAt.count }
        public var committed: Int { answered.values.filter { $0.answer == .committed }.count }
    }

    /// A member's answer to an incident.
    public struct Answer: Sendable, Equatable {
        public var answer: RosterAnswer
        public var at: Instant
    }

    /// A point on a lane.
    public struct Marker: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case report, acknowledged, warning, response, commit, decline, escalation, overdue, resolution, note
        }
        public var kind: Kind
        public var at: Instant
        /// What happened, in words (the SVG `<title>` shows it on hover).
        public var text: String
    }

    /// A line of an incident's audit trail: who, what, when, where.
    public struct TrailLine: Sendable, Equatable {
        public var at: Instant
        public var text: String
        public var by: String?
        public var site: String?
    }

    /// A member's answers across the incidents in the window.
    public struct MemberAnswers: Sendable, Equatable {
        public var code: String
        public var name: String
        public var tier: Int
        public var notified = 0
        public var committed = 0
        public var declined = 0
    }

    public var title: String
    /// The window the report covers.
    public var from: Instant
    public var to: Instant
    public var policy: Policy
    public var lanes: [Lane]
    /// Records the window's engine accepted and rejected (the whole input).
    public var accepted: Int
    public var rejected: Int

    // MARK: - Summary figures

    public var opened: Int { lanes.count }

    /// Each roster member's answers over the incidents in the report.
    public var members: [MemberAnswers] {
        policy.roster.map { m in
            var a = MemberAnswers(code: m.code, name: m.name, tier: m.tier)
            for l in lanes {
                switch l.answered[m.code]?.answer {
                case .committed?: a.notified += 1; a.committed += 1
                case .declined?: a.notified += 1; a.declined += 1
                default: if l.notifiedAt[m.code] != nil { a.notified += 1 }
                }
            }
            return a
        }
    }
    public var highestTier: Int { lanes.map { $0.tierTimes.count }.max() ?? 0 }
    /// Seconds from opening to acknowledgement, of the acknowledged incidents.
    public var timesToAcknowledge: [Int64] { lanes.compactMap { l in l.acknowledgedAt.map { $0 - l.openedAt } }.sorted() }
    /// Seconds from T0 to the tier-1 step (the warning), of the incidents that took it.
    public var timesToWarning: [Int64] { lanes.compactMap { l in l.warnedAt.map { $0 - l.t0 } }.sorted() }
    public var overdueSteps: Int { lanes.filter { $0.overdueAt != nil }.count }
    /// Committed of all notified, over every incident.
    public var cohesion: (committed: Int, notified: Int) {
        (lanes.reduce(0) { $0 + $1.committed }, lanes.reduce(0) { $0 + $1.notified })
    }

    /// The report for a window: the incidents that were open in it, with
    /// their markers and trail lines inside it. Figures count those incidents.
    public func restricted(from: Instant, to: Instant) -> AfterAction {
        var r = self
        r.from = from
        r.to = max(to, from + 1)
        r.lanes = lanes.compactMap { l in
            guard l.openedAt <= to, (l.closedAt ?? .init(seconds: .max)) >= from else { return nil }
            var l = l
            l.markers.removeAll { $0.at < from || $0.at > to }
            l.trail.removeAll { $0.at < from || $0.at > to }
            // As of the window's end: what came after it did not happen yet.
            l.tierTimes.removeAll { $0 > to }
            if let t = l.acknowledgedAt, t > to { l.acknowledgedAt = nil }
            if let t = l.warnedAt, t > to { l.warnedAt = nil }
            if let t = l.overdueAt, t > to { l.overdueAt = nil }
            if let t = l.closedAt, t > to { l.closedAt = nil; l.closedAs = nil }
            l.notifiedAt = l.notifiedAt.filter { $0.value <= to }
            l.answered = l.answered.filter { $0.value.at <= to }
            return l
        }
        return r
    }

    /// The median and the worst of some durations (nil when there are none).
    public static func medianAndWorst(_ sorted: [Int64]) -> (median: Int64, worst: Int64)? {
        guard let worst = sorted.last else { return nil }
        let n = sorted.count
        let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        return (median, worst)
    }
}

extension AfterAction {
    /// Collects a timeline into the report, batch by batch, as the engine
    /// makes it (`add`), then `finish` with the final engine.
    public struct Collector: Sendable {
        private var lanes: [String: Lane] = [:]
        private var order: [String] = []
        private var folded: [String: (count: Int, first: Instant, last: Instant)] = [:]
        /// The opening or escalation whose roster notifications follow it: they
        /// join its trail line (`— notified: GB, FR`), as in the timeline.
        private var cause: [String: (line: Int, event: Event, members: [String])] = [:]
        /// The latest event of any kind (a narration, a reminder): where the report ends.
        private var latest: Instant?

        public init() {}

        /// Takes a batch of events (as drained from the engine), with the engine that made them.
        public mutating func add(_ events: [Event], engine: Engine) {
            for e in events {
                if let at = e.at, latest.map({ at > $0 }) ?? true { latest = at }
                guard let at = e.at, let id = e.incident else { continue }
                if lanes[id] == nil {
                    guard let inc = engine.incident(id: id) else { continue }
                    lanes[id] = Lane(id: id, sector: inc.sector, t0: inc.t0, openedAt: inc.openedAt, tierTimes: [],
                                     closedAt: nil, closedAs: nil, acknowledgedAt: nil, warnedAt: nil, overdueAt: nil,
                                     markers: [], trail: [])
                    order.append(id)
                }
                record(e, at: at, id: id)
            }
        }

        private mutating func record(_ e: Event, at: Instant, id: String) {
            var l = lanes[id]!
            defer { lanes[id] = l }
            let sentence = TimelineText.sentence(e)
            func mark(_ kind: Marker.Kind) { l.markers.append(Marker(kind: kind, at: at, text: sentence)) }
            if e.kind == .alertReminder {
                // A run of reminders is one trail line, written when the run ends.
                let run = folded[id]
                folded[id] = (count: (run?.count ?? 0) + 1, first: run?.first ?? at, last: at)
                return
            }
            flushReminders(&l)
            switch e.kind {
            case .incidentOpened:
                l.tierTimes = [at]
                mark(.report)
            case .reportJoined: mark(.report)
            case .tierEscalated:
                if let tier = e.tier, tier > l.tierTimes.count { l.tierTimes.append(at) }
                mark(.escalation)
            case .rosterNotified:
                if let m = e.member, l.notifiedAt[m] == nil { l.notifiedAt[m] = at }
            case .incidentAcknowledged:
                l.acknowledgedAt = l.acknowledgedAt ?? at
                mark(.acknowledged)
            case .tier1Overdue:
                l.overdueAt = l.overdueAt ?? at
                mark(.overdue)
            case .actionRecorded:
                switch e.action {
                case .warning?:
                    l.warnedAt = l.warnedAt ?? at
                    mark(.warning)
                case .response?: mark(.response)
                case .commit?:
                    if let m = e.member { l.answered[m] = Answer(answer: .committed, at: at) }
                    mark(.commit)
                case .decline?:
                    if let m = e.member { l.answered[m] = Answer(answer: .declined, at: at) }
                    mark(.decline)
                case .note?: mark(.note)
                default: break
                }
            case .incidentResolved, .incidentWithdrawn:
                l.closedAt = at
                l.closedAs = e.kind == .incidentResolved ? "resolved" : "withdrawn"
                mark(.resolution)
            default: break
            }
            // The roster notifications are folded into their cause's sentence.
            if e.kind == .rosterNotified {
                if var c = cause[id], c.event.at == e.at, let member = e.member {
                    c.members.append(member)
                    l.trail[c.line].text = TimelineText.sentence(c.event, notified: c.members)
                    cause[id] = c
                }
                return
            }
            if e.kind == .incidentOpened || e.kind == .tierEscalated { cause[id] = (l.trail.count, e, []) } else { cause[id] = nil }
            l.trail.append(TrailLine(at: at, text: sentence, by: e.by, site: e.origin?.site))
        }

        private mutating func flushReminders(_ l: inout Lane) {
            guard let run = folded.removeValue(forKey: l.id) else { return }
            let text = run.count == 1 ? "reminder: the alert is still unacknowledged"
                : "reminder ×\(ReminderFolder.grouped(run.count)) from \(TimelineText.time(run.first)) to \(TimelineText.time(run.last)): the alert is still unacknowledged"
            l.trail.append(TrailLine(at: run.first, text: text, by: nil, site: nil))
        }

        /// The report, with the final engine (the roster and the answers),
        /// covering everything from the first incident to the last event seen.
        public mutating func finish(engine: Engine, title: String) -> AfterAction {
            for id in order { var l = lanes[id]!; flushReminders(&l); lanes[id] = l }
            let all = order.map { lanes[$0]! }
            let first = all.map(\.openedAt).min() ?? engine.origin ?? Instant(seconds: 0)
            let last = max(latest ?? first, first)
            // A margin after the last event, so its marker is not on the edge.
            let end = max(last + max(1800, (last - first) / 20), first + 3600)
            return AfterAction(title: title, from: first, to: end, policy: engine.policy, lanes: all,
                               accepted: engine.acceptedCount, rejected: engine.rejectedCount)
        }
    }
}

extension AfterAction {
    /// The report of a scenario file (`-`: standard input): its records
    /// through the engine, and the timers due before the last of them; not the
    /// 72 h of reminders a replay plays on after it. Also the scenario's start
    /// (what `+DURATION` counts from) and every event, for callers that check.
    public static func replaying(path: String, policy: Policy) throws(HeadlessError) -> (report: AfterAction, start: Instant?, events: [Event]) {
        var collector = Collector()
        var all: [Event] = []
        let (engine, _) = try Runner.run(path: path, feed: Runner.Feed(policy: policy), runTimers: false) { engine, events in
            all += events
            collector.add(events, engine: engine)
        }
        let title = engine.scenario?.title ?? (path == "-" ? "<stdin>" : path)
        return (collector.finish(engine: engine, title: title), engine.scenario?.start, all)
    }
}
