
/// A sector of the contact line, as the engine knows it.
public struct SectorState: Sendable {
    /// Trimmed spelling of the first accepted record naming it.
    public let name: String
    /// Trimmed and case-folded: how sectors are matched (R2).
    public let key: String
    /// Index of its open incident, or -1.
    public internal(set) var openIncident: Int32 = -1
}

/// The escalation engine (spec §2): an event-sourced fold over input records
/// plus timers that fire on a clock it is given.
///
/// Feed it decoded lines with `process`, move time with `advance`, and drain
/// `events` as they come. The same input always yields the same events, and
/// it makes no difference whether records arrive in one batch or one at a
/// time with the clock advanced between them.
public struct Engine: Sendable {
    /// Where `at`-less records take their time from (spec §3).
    public enum Mode: Sendable {
        /// A scenario file: the record's time is the replay clock.
        case replay
        /// A live feed: the time of receipt, passed to `process`.
        case live
    }

    public let policy: Policy
    public let mode: Mode
    /// The engine's time: moves only forward; nil until a time is known.
    public internal(set) var clock: Instant?
    public internal(set) var scenario: ScenarioHeader?
    /// The first time the engine knew: the scenario start, or the first `at`.
    public internal(set) var origin: Instant?
    public internal(set) var incidents: [Incident] = []
    public internal(set) var reports = ReportTable()
    public internal(set) var sectors: [SectorState] = []
    /// The processing time of the last accepted record.
    public internal(set) var lastAcceptedAt: Instant?
    public internal(set) var acceptedCount = 0
    public internal(set) var rejectedCount = 0
    /// Events not yet taken by the caller, in time order.
    public var events: [Event] = []
    /// Incidents whose timers fired since `takeTimerTouched()`: a timer may
    /// change an incident without an event (the tier-1 deadline of an
    /// incident already at tier 2), and a view that follows incidents
    /// incrementally needs to know. Not part of the state (snapshots skip it).
    var timerTouched: [Int32] = []
    /// Whether to keep `timerTouched` (off by default: headless runs never take it).
    public var tracksTouched = false
    /// Reminders due before this instant are skipped over instead of emitted.
    /// Reminders change no state, so this only shortens catching up on a long
    /// history when nobody reads the old ones (status, console start-up). Never
    /// set for timelines (`replay`, `log`): they must hold every reminder.
    public var quietRemindersBefore: Instant?

    // Internal, not private: EngineSnapshot saves and restores them.
    var start: Instant?
    var recordsSeen = 0
    var sectorByKey: [String: Int32] = [:]
    /// Exact spelling → sector index, for spellings already seen accepted.
    var sectorBySpelling = SpellingCache()
    var pendingOrder: [Int32] = []
    var pendingLive = 0
    var timers = TimerQueue()
    /// Rejections read while no time was known yet (spec §3).
    var unstamped: [(line: Int, reason: String)] = []
    /// Every timer due at or before this second has fired. Reminders follow
    /// from it (and each incident's last alert), so a snapshot need not keep them.
    var settledThrough = Int64.min

    public init(policy: Policy = .standard, mode: Mode = .replay) {
        self.policy = policy
        self.mode = mode
    }

    // MARK: - Public read-outs

    /// Ids of reports still awaiting verification, in arrival order.
    public var pendingReports: [String] {
        pendingOrder.lazy.filter { self.reports[Int($0)].status == .reported }.map { self.reports[Int($0)].id }
    }

    public func report(id: String) -> ReportState? { reportNumber(id).map { reports[Int($0)] } }

    /// The index of the report with this id, if there is one.
    @inline(__always)
    func reportNumber(_ id: String) -> Int32? { reports.index(of: id) }

    /// A hint before `process`: starts bringing what looking up the report
    /// `id` (its UTF-8 bytes) will read into the cache, for a caller that
    /// knows the id a while before the record reaches the engine
    /// (`RecordDecoder.decode(_:interning:reportID:)`). No effect on any result.
    /// (Mutating only so that a caller holding the engine in a closure's
    /// variable does not copy the whole engine to call it.)
    @inline(__always)
    public mutating func prefetchReport(id: UnsafeBufferPointer<UInt8>) { reports.prefetch(id) }

    public func incident(id: String) -> Incident? {
        guard let n = Incident.number(fromID: id), n <= incidents.count else { return nil }
        return incidents[n - 1]
    }

    /// When the next timer is due, if any (a live console sleeps until then).
    public var nextTimerDue: Instant? { timers.peek.map { Instant(seconds: $0.due) } }

    /// Takes the incidents touched by timers since the last call (see `timerTouched`).
    public mutating func takeTimerTouched() -> [Int32] {
        defer { timerTouched.removeAll(keepingCapacity: true) }
        return timerTouched
    }

    /// Makes room for about `n` more reports at once, for a caller that can
    /// tell how many are coming (a file of known size): the report table
    /// then never copies itself to grow.
    public mutating func reserveReports(_ n: Int) { reports.reserve(max(0, n)) }

    /// Takes the events produced so far.
    public mutating func takeEvents() -> [Event] {
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }

    /// Hands the events produced so far over in `batch`, emptied first, whose
    /// storage the engine keeps using: a caller that takes every batch into the
    /// same array allocates nothing per record (`takeEvents()` leaves the
    /// engine's array shared, so its next event needs a new one).
    public mutating func takeEvents(into batch: inout [Event]) {
        batch.removeAll(keepingCapacity: true)
        swap(&events, &batch)
    }

    // MARK: - Time

    /// Fires every timer due at or before `t` and moves the clock to `t`.
    /// Does nothing while no time is known.
    public mutating func advance(through t: Instant) {
        advance(through: t, drain: { _ in })
    }

    /// Events held before `drain` is asked to take them while timers fire.
    public static let drainEvery = 4096

    /// Like `advance(through:)`, handing the events over to `drain` every
    /// `drainEvery` of them: a long gap full of reminders costs constant
    /// memory (the caller drains what is left afterwards).
    public mutating func advance(through t: Instant, drain: (inout Engine) -> Void) {
        let t = min(t, RFC3339.latest)  // time ends where RFC 3339 does
        guard let c = clock, t >= c else { return }
        fireTimers(drain: drain) { $0 <= t.seconds }
        clock = t
        settledThrough = max(settledThrough, t.seconds)
    }

    /// Fires every timer due strictly before `t` (R11) and moves the clock to
    /// `t`: what happens before a record stamped `t` is judged.
    public mutating func advance(before t: Instant) {
        advance(before: t, drain: { _ in })
    }

    private mutating func advance(before t: Instant, drain: (inout Engine) -> Void) {
        if clock == nil { setFirstTime(t) }
        fireTimers(drain: drain) { $0 < t.seconds }
        if t > clock! { clock = t }
        settledThrough = max(settledThrough, t.seconds == .min ? .min : t.seconds - 1)
    }

    private mutating func fireTimers(drain: (inout Engine) -> Void, while due: (Int64) -> Bool) {
        while let next = timers.peek, due(next.due) {
            _ = timers.pop()
            clock = Instant(seconds: next.due)
            fire(next)
            if events.count >= Engine.drainEvery { drain(&self) }
        }
    }

    private mutating func setFirstTime(_ t: Instant) {
        clock = t
        origin = origin ?? t
        for r in unstamped { emitRejection(line: r.line, reason: r.reason) }
        unstamped.removeAll()
    }

    /// Call at end of input: rejections still waiting for a time are emitted
    /// with a null `at` (spec §3).
    public mutating func finish() {
        for r in unstamped {
            emit(.inputRejected, at: nil) { $0.line = r.line; $0.reason = r.reason }
        }
        unstamped.removeAll()
    }

    // MARK: - Records

    /// The instant a record's `at` names, or why it cannot be used. Exposed so
    /// a reader can stop at the first record after a bound (`--until`).
    public func resolveAt(_ at: AtField, receivedAt: Instant? = nil) -> Result<Instant, RecordError> {
        switch at {
        case .absent:
            if mode == .live, let r = receivedAt { return .success(r) }
            if let c = clock { return .success(c) }
            return .failure(RecordError("no time known: a record without \"at\" needs a scenario start or an earlier record's \"at\""))
        case .invalid(let reason):
            return .failure(RecordError(reason))
        case .spec(let spec):
            guard let t = spec.resolve(start: start) else {
                return .failure(RecordError("\"at\" is relative but the file has no scenario start"))
            }
            guard t <= RFC3339.latest else {
                return .failure(RecordError("\"at\" falls after \(RFC3339.latest), the last time RFC 3339 can write"))
            }
            if let c = clock, t < c {
                return .failure(RecordError("\"at\" \(t) is earlier than the clock (\(c))"))
            }
            if mode == .live, let r = receivedAt, t > r {
                return .failure(RecordError("\"at\" \(t) is later than the time of receipt (\(r))"))
            }
            return .success(t)
        }
    }

    /// Processes one input line (`line` is its 1-based number, for rejections).
    /// In live mode, `receivedAt` is the time of receipt.
    public mutating func process(_ decoded: DecodedLine, line: Int, receivedAt: Instant? = nil) {
        process(decoded, line: line, receivedAt: receivedAt, drain: { _ in })
    }

    /// Like `process(_:line:receivedAt:)`, handing events to `drain` every
    /// `drainEvery` of them while the timers before the record fire.
    ///
    /// With an `origin`, the events the record itself causes (not the timers
    /// that fire before it) carry it.
    public mutating func process(_ decoded: DecodedLine, line: Int, receivedAt: Instant? = nil, origin: RecordOrigin? = nil,
                                 drain: (inout Engine) -> Void) {
        // Timers fire before the record (and may be drained); the events after them are the record's.
        var mark = events.count
        defer {
            if let origin { for i in events.indices[min(mark, events.count)...] { events[i].origin = origin } }
        }
        switch decoded {
        case .skip:
            return
        case .malformed(let reason):
            recordsSeen += 1
            if mode == .live, let r = receivedAt { advance(before: r, drain: drain) }
            mark = events.count
            reject(line: line, reason: reason)
        case .record(let atField, let body):
            let isFirst = recordsSeen == 0
            recordsSeen += 1
            if case .success(.scenario(let header)) = body {
                guard isFirst, clock == nil else {
                    reject(line: line, reason: "a scenario header is only allowed as the first record")
                    return
                }
                scenario = header
                start = header.start
                if let s = header.start { setFirstTime(s) }
                acceptedCount += 1
                return
            }
            let at = resolveAt(atField, receivedAt: receivedAt)
            if case .success(let t) = at { advance(before: t, drain: drain) }
            mark = events.count
            // The record's own error first, then its time's (matched in place:
            // a tuple of the two, or `body.get()`, would copy the record).
            if case .failure(let e) = body {
                reject(line: line, reason: e.message)
                return
            }
            let now: Instant
            switch at {
            case .failure(let e):
                reject(line: line, reason: e.message)
                return
            case .success(let t):
                now = t
            }
            let outcome: RecordError?
            switch body {
            case .failure, .success(.scenario): outcome = nil  // handled above
            case .success(.report(let r)): outcome = applyReport(r, now: now)
            case .success(.action(let a)): outcome = applyAction(a, now: now)
            case .success(.narrate(let text)):
                emit(.narration, at: now) { $0.text = text }
                outcome = nil
            }
            if let outcome {
                reject(line: line, reason: outcome.message)
            } else {
                acceptedCount += 1
                lastAcceptedAt = now
            }
        }
    }

    /// Convenience for tests and small inputs: decodes and processes one line.
    public mutating func process(line text: String, number: Int, receivedAt: Instant? = nil) {
        process(RecordDecoder.decode(text), line: number, receivedAt: receivedAt)
    }

    /// Rejections made before any time was known (their events come once one is).
    public var unstampedRejections: [(line: Int, reason: String)] { unstamped }

    private mutating func reject(line: Int, reason: String) {
        rejectedCount += 1
        if clock == nil {
            unstamped.append((line, reason))
        } else {
            emitRejection(line: line, reason: reason)
        }
    }

    private mutating func emitRejection(line: Int, reason: String) {
        emit(.inputRejected, at: clock) { $0.line = line; $0.reason = reason }
    }

    // MARK: - Sectors

    /// The matching key of a sector name: trimmed and Unicode case-folded (R2).
    /// How sectors match (R2): trimmed, without default-ignorable characters
    /// (so `Pok<U+200B>rovsk` cannot open a second incident beside
    /// `Pokrovsk`), and case-folded.
    public static func sectorKey(_ raw: String) -> String {
        let t = trimmed(raw)
        guard t.unicodeScalars.contains(where: { $0.value >= 0x80 && $0.properties.isDefaultIgnorableCodePoint }) else {
            return CaseFolding.fold(t)
        }
        let visible = String(String.UnicodeScalarView(t.unicodeScalars.filter { !$0.properties.isDefaultIgnorableCodePoint }))
        return CaseFolding.fold(trimmed(visible))
    }

    /// The index of the sector a spelling names, if the sector exists.
    private mutating func existingSector(_ raw: String) -> Int? {
        if let i = sectorBySpelling.sector(raw) { return Int(i) }
        guard let i = sectorByKey[Engine.sectorKey(raw)] else { return nil }
        sectorBySpelling.remember(raw, i)
        return Int(i)
    }

    private mutating func newSector(raw: String) -> Int {
        let key = Engine.sectorKey(raw)
        sectors.append(SectorState(name: trimmed(raw), key: key))
        let i = Int32(sectors.count - 1)
        sectorByKey[key] = i
        sectorBySpelling.remember(raw, i)
        return Int(i)
    }

    // MARK: - Reports (R1, R1a, R2, R8)

    private mutating func applyReport(_ rec: ReportRecord, now: Instant) -> RecordError? {
        let sector = existingSector(rec.sector)
        var observed: Instant?
        if let spec = rec.observed {
            guard let t = spec.resolve(start: start) else {
                return RecordError("\"observed\" is relative but the file has no scenario start")
            }
            observed = t
        }

        if let idx = reportNumber(rec.id) {
            // An update (R1a): validate everything before changing anything.
            // The fields it needs, read in place (a copy of the report retains its strings).
            let old = reports.read(Int(idx)) { (sectorIndex: $0.sectorIndex, observed: $0.observed, status: $0.status,
                                               counting: $0.counting) }
            if sector != old.sectorIndex {
                return RecordError("report \(rec.id) is in sector \"\(sectors[old.sectorIndex].name)\"; an update cannot change \"sector\"")
            }
            if let o = observed, o != old.observed {
                return RecordError("report \(rec.id) was observed at \(old.observed); an update cannot change \"observed\"")
            }
            if rec.status != old.status && !Engine.allowed(from: old.status, to: rec.status) {
                if old.status == .retracted {
                    return RecordError("report \(rec.id) is retracted, which is final")
                }
                return RecordError("report \(rec.id) cannot change from \(old.status.rawValue) to \(rec.status.rawValue)")
            }
            updateDetails(Int(idx), rec)
            guard rec.status != old.status else { return nil }  // repeat: accepted, no event
            reports.update(Int(idx)) { $0.status = rec.status }
            switch rec.status {
            case .confirmed:
                count(Int(idx), now: now)
            case .disputed, .retracted:
                if old.counting {
                    uncount(Int(idx), now: now)
                } else {
                    emitRetracted(Int(idx), now: now, incident: nil)
                }
            case .reported:
                break  // unreachable: no status changes back to reported
            }
            return nil
        }

        let obs = observed ?? now
        if obs > now {
            return RecordError("\"observed\" \(obs) is later than \"at\" (\(now))")
        }
        let sectorIndex = sector ?? newSector(raw: rec.sector)
        let idx = reports.append(ReportState(
            id: rec.id, sectorIndex: sectorIndex, observed: obs, firstAt: now, status: rec.status,
            kind: rec.kind, scale: rec.scale ?? .minor, source: rec.source, note: rec.note))
        switch rec.status {
        case .reported:
            pendingOrder.append(Int32(idx))
            pendingLive += 1
            let sector = sectors[sectorIndex].name
            emit(.reportPending, at: now) { $0.sector = sector; $0.report = rec.id }
        case .confirmed:
            count(idx, now: now)
        case .disputed, .retracted:
            emitRetracted(idx, now: now, incident: nil)
        }
        return nil
    }

    /// R1a's allowed status changes.
    public static func allowed(from: ReportStatus, to: ReportStatus) -> Bool {
        switch (from, to) {
        case (.reported, .confirmed), (.reported, .disputed), (.reported, .retracted),
             (.confirmed, .disputed), (.confirmed, .retracted),
             (.disputed, .confirmed), (.disputed, .retracted):
            return true
        default:
            return false
        }
    }

    private mutating func updateDetails(_ idx: Int, _ rec: ReportRecord) {
        if let k = rec.kind { reports.update(idx) { $0.kind = k } }
        if let s = rec.scale { reports.update(idx) { $0.scale = s } }
        if let s = rec.source { reports.update(idx) { $0.source = s } }
        if let n = rec.note { reports.update(idx) { $0.note = n } }
        if reports.read(idx, { $0.status }) == .reported && rec.status != .reported {
            pendingLive -= 1
            compactPendingIfNeeded()
        }
    }

    private mutating func compactPendingIfNeeded() {
        if pendingOrder.count > 64 && pendingLive * 2 < pendingOrder.count {
            pendingOrder.removeAll { reports.read(Int($0)) { $0.status } != .reported }
        }
    }

    /// A report starts counting (R1, R2): it joins its sector's open incident
    /// or opens a new one.
    private mutating func count(_ r: Int, now: Instant) {
        let s = reports.read(r) { $0.sectorIndex }
        let open = sectors[s].openIncident
        reports.update(r) {
            $0.counting = true
            $0.arms = false
        }
        if open >= 0 {
            join(r, Int(open), now: now)
        } else {
            openIncident(r, now: now)
        }
    }

    private mutating func openIncident(_ r: Int, now: Instant) {
        let number = incidents.count + 1
        let idx = number - 1
        let s = reports.read(r) { $0.sectorIndex }
        let t0 = reports.read(r) { $0.observed }
        var inc = Incident(
            number: number, id: Incident.id(number: number), sectorIndex: s, sector: sectors[s].name,
            t0: t0, openedAt: now, tier1Deadline: t0 + policy.tier1Window, tier3At: t0 + policy.tier3After,
            tierAt: now, tierTimes: [now], lastAlertAt: now)
        inc.countingReports = 1
        inc.reportIndices = [Int32(r)]
        incidents.append(inc)
        reports.update(r) { $0.incident = Int32(idx) }
        sectors[s].openIncident = Int32(idx)

        emitIncident(.incidentOpened, idx, now, tier: 1, report: reports.read(r) { $0.id })
        notify(idx, tier: 1, now: now)
        raiseAlert(idx, now: now)

        let deadline = incidents[idx].tier1Deadline
        if deadline < now {
            // R3: opened after its deadline: the step completed at the deadline,
            // and tier1.overdue fires at once.
            incidents[idx].step = .overdue
            incidents[idx].stepCompletedAt = deadline
            emitIncident(.tier1Overdue, idx, now, tier: 1)
            raiseAlert(idx, now: now)
        } else {
            timers.push(Timer(due: deadline.seconds, incident: Int32(idx), kind: .tier1Deadline,
                              generation: incidents[idx].deadlineGen))
        }
    }

    private mutating func join(_ r: Int, _ idx: Int, now: Instant) {
        incidents[idx].countingReports += 1
        incidents[idx].reportIndices.append(Int32(r))
        reports.update(r) { $0.incident = Int32(idx) }
        emitIncident(.reportJoined, idx, now, tier: incidents[idx].tier, report: reports.read(r) { $0.id })

        let tier = incidents[idx].tier
        let observed = reports.read(r) { $0.observed }
        if tier == 1, let done = incidents[idx].stepCompletedAt, observed >= done {
            escalate(idx, now: now, manual: false, by: nil, report: reports.read(r) { $0.id })  // R4
        } else if tier == 2, observed >= incidents[idx].tierAt {
            // R5: a report joining at tier 2, observed at or after the escalation, arms it.
            reports.update(r) { $0.arms = true }
            incidents[idx].armingReports += 1
            if incidents[idx].armingReports == 1 {
                let tier3At = incidents[idx].tier3At
                if now >= tier3At {
                    escalate(idx, now: now, manual: false, by: nil, report: reports.read(r) { $0.id })
                } else {
                    incidents[idx].tier3Gen &+= 1
                    timers.push(Timer(due: tier3At.seconds, incident: Int32(idx), kind: .tier3,
                                      generation: incidents[idx].tier3Gen))
                }
            }
        }
    }

    /// A counting report stops counting (R8).
    private mutating func uncount(_ r: Int, now: Instant) {
        let idx = Int(reports.read(r) { $0.incident })
        reports.update(r) { $0.counting = false }
        incidents[idx].countingReports -= 1
        if reports.read(r, { $0.arms }) {
            reports.update(r) { $0.arms = false }
            incidents[idx].armingReports -= 1
            if incidents[idx].armingReports == 0 { incidents[idx].tier3Gen &+= 1 }  // arming lapses
        }
        emitRetracted(r, now: now, incident: idx)
        if incidents[idx].status == .open && incidents[idx].countingReports == 0 {
            close(idx, as: .withdrawn, now: now)
            emitIncident(.incidentWithdrawn, idx, now, report: reports.read(r) { $0.id })
        }
    }

    private mutating func emitRetracted(_ r: Int, now: Instant, incident: Int?) {
        let id = incident.map { incidents[$0].id }, sector = sectors[reports.read(r) { $0.sectorIndex }].name
        let (report, status) = reports.read(r) { ($0.id, $0.status) }
        emit(.reportRetracted, at: now) { $0.incident = id; $0.sector = sector; $0.report = report; $0.status = status }
    }

    // MARK: - Incidents (R3–R10)

    /// Appends an event about incident `idx`, built in place.
    @inline(__always)
    private mutating func emitIncident(
        _ kind: EventKind, _ idx: Int, _ now: Instant, tier: Int? = nil, report: String? = nil, member: String? = nil,
        action: ActionKind? = nil, by: String? = nil, manual: Bool = false, text: String? = nil
    ) {
        let incident = incidents[idx].id, sector = incidents[idx].sector
        emit(kind, at: now) { e in
            e.incident = incident
            e.sector = sector
            e.tier = tier
            e.report = report
            e.member = member
            e.action = action
            e.by = by
            e.manual = manual
            e.text = text
        }
    }

    /// Appends an event and sets its fields where it lies: an event built
    /// first and appended is copied into the array (every string retained)
    /// and the original destroyed. `fill` must not touch the engine.
    @inline(__always)
    private mutating func emit(_ kind: EventKind, at: Instant?, _ fill: (inout Event) -> Void) {
        events.append(Event(at: at, kind: kind))
        events.withUnsafeMutableBufferPointer { fill(&$0[$0.count - 1]) }
    }

    private mutating func escalate(_ idx: Int, now: Instant, manual: Bool, by: String?, report: String?) {
        incidents[idx].tier += 1
        incidents[idx].tierAt = now
        incidents[idx].tierTimes.append(now)
        incidents[idx].tier3Gen &+= 1
        emitIncident(.tierEscalated, idx, now, tier: incidents[idx].tier, report: report, by: by, manual: manual)
        notify(idx, tier: incidents[idx].tier, now: now)
        raiseAlert(idx, now: now)
    }

    private mutating func notify(_ idx: Int, tier: Int, now: Instant) {
        for m in policy.roster where m.tier == tier {
            if !incidents[idx].notified.contains(m.code) { incidents[idx].notified.append(m.code) }
            emitIncident(.rosterNotified, idx, now, tier: tier, member: m.code)
        }
    }

    /// R9: an alert makes the incident unacknowledged and restarts the reminder count.
    private mutating func raiseAlert(_ idx: Int, now: Instant) {
        incidents[idx].acknowledged = false
        incidents[idx].lastAlertAt = now
        incidents[idx].reminderGen &+= 1
        timers.push(Timer(due: (now + policy.ackReminder).seconds, incident: Int32(idx), kind: .reminder,
                          generation: incidents[idx].reminderGen))
    }

    private mutating func close(_ idx: Int, as status: IncidentStatus, now: Instant) {
        incidents[idx].status = status
        incidents[idx].closedAt = now
        incidents[idx].deadlineGen &+= 1
        incidents[idx].tier3Gen &+= 1
        incidents[idx].reminderGen &+= 1
        let s = incidents[idx].sectorIndex
        if sectors[s].openIncident == Int32(idx) { sectors[s].openIncident = -1 }
    }

    private mutating func fire(_ t: Timer) {
        let idx = Int(t.incident)
        if tracksTouched { timerTouched.append(t.incident) }
        let now = Instant(seconds: t.due)
        // Fields read in place: a copy of the incident retains all it holds.
        guard incidents[idx].status == .open else { return }
        switch t.kind {
        case .tier1Deadline:
            guard t.generation == incidents[idx].deadlineGen, incidents[idx].step == .pending else { return }
            incidents[idx].step = .overdue
            incidents[idx].stepCompletedAt = now
            if incidents[idx].tier == 1 {
                emitIncident(.tier1Overdue, idx, now, tier: 1)
                raiseAlert(idx, now: now)
            }
        case .tier3:
            guard t.generation == incidents[idx].tier3Gen, incidents[idx].armed else { return }
            escalate(idx, now: now, manual: false, by: nil, report: nil)
        case .reminder:
            guard t.generation == incidents[idx].reminderGen, !incidents[idx].acknowledged else { return }
            if let quiet = quietRemindersBefore, now < quiet {
                // Jump to the first reminder at or after `quiet`, on the same 15-minute grid.
                let r = policy.ackReminder
                // A gap too wide to count (quiet at the end of time, a reminder before 1970)
                // means no reminder is ever wanted.
                let (gap, o0) = quiet.seconds.subtractingReportingOverflow(now.seconds)
                if o0 { return }
                let steps = gap / r + (gap % r == 0 ? 0 : 1)
                let (jump, o1) = steps.multipliedReportingOverflow(by: r)
                let (due, o2) = now.seconds.addingReportingOverflow(jump)
                // A jump past the end of time: no reminder will ever be wanted.
                if !o1 && !o2 {
                    timers.push(Timer(due: due, incident: t.incident, kind: .reminder, generation: t.generation))
                }
                return
            }
            emitIncident(.alertReminder, idx, now, tier: incidents[idx].tier)
            timers.push(Timer(due: (now + policy.ackReminder).seconds, incident: t.incident, kind: .reminder,
                              generation: t.generation))
        }
    }

    // MARK: - Actions (R3, R6, R7, R9, R10, R12)

    private mutating func applyAction(_ rec: ActionRecord, now: Instant) -> RecordError? {
        guard let n = Incident.number(fromID: rec.incident), n <= incidents.count else {
            return RecordError("unknown incident \"\(rec.incident)\"")
        }
        let idx = n - 1
        if let m = rec.member, policy.member(code: m) == nil {
            return RecordError("unknown roster member \"\(m)\"")
        }
        // Read in place (a copy of the incident retains all it holds).
        if incidents[idx].status != .open && rec.action != .note {
            return RecordError("\(incidents[idx].id) is \(incidents[idx].status.rawValue): only a note can be added to a closed incident")
        }
        switch rec.action {
        case .ack:
            incidents[idx].acknowledged = true
            incidents[idx].reminderGen &+= 1
            emitIncident(.incidentAcknowledged, idx, now, by: rec.by, text: rec.note)
        case .resolve:
            close(idx, as: .resolved, now: now)
            incidents[idx].closedBy = rec.by
            emitIncident(.incidentResolved, idx, now, by: rec.by, text: rec.note)
        case .escalate:
            guard incidents[idx].tier < 3 else { return RecordError("\(incidents[idx].id) is already at tier 3") }
            escalate(idx, now: now, manual: true, by: rec.by, report: nil)
        case .warning, .response, .commit, .decline, .note:
            if rec.action == .warning && incidents[idx].step == .pending {
                incidents[idx].step = .warned
                incidents[idx].stepCompletedAt = now
            }
            if let m = rec.member {
                if rec.action == .commit { incidents[idx].answers[m] = .committed }
                if rec.action == .decline { incidents[idx].answers[m] = .declined }
            }
            emitIncident(.actionRecorded, idx, now, member: rec.member, action: rec.action, by: rec.by, text: rec.note)
        }
        return nil
    }
}
