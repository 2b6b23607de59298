import Testing
import TruceEngine

/// Spec §2, rule by rule, with boundary cases just before, at and after
/// each deadline. Offsets are from the scenario start; R-1 is observed at +0.
@Suite("Escalation rules R1–R12")
struct EscalationRuleTests {
    // MARK: R1 — only confirmed reports count

    @Test func pendingReportOpensNothingUntilConfirmedWithOriginalObservedTime() throws {
        let lines = [report("R-1", status: "reported", at: "+1h"), report("R-1", at: "+2h")]
        #expect(timeline(lines) == [
            "+1h00m report.pending R-1",
            "+2h00m incident.opened INC-0001 t1 R-1",
            "+25h00m tier1.overdue INC-0001 t1",  // T0 is the observed time (+1h), not the confirmation
        ])
        let inc = try #require(incident(lines))
        let start = try RFC3339.parse(testStart).get()
        #expect(inc.t0 == start + 3600)
        #expect(inc.openedAt == start + 7200)
    }

    @Test func pendingListKeepsArrivalOrderAndDropsSettledReports() {
        let (engine, _) = runEngine([
            report("R-3", status: "reported", at: "+1m"), report("R-1", status: "reported", at: "+2m"),
            report("R-2", status: "reported", at: "+3m"), report("R-1", status: "retracted", at: "+4m"),
        ])
        #expect(engine.pendingReports == ["R-3", "R-2"])
    }

    // MARK: R1a — report updates

    @Test func updateCannotChangeSectorOrObserved() {
        let lines = [
            report("R-1", status: "reported", at: "+1h"),
            report("R-1", "Lyman", at: "+2h"),
            report("R-1", at: "+3h", observed: "+30m"),
            report("R-1", " POKROVSK ", at: "+4h", observed: "+1h"),  // same sector, same observed: fine
        ]
        #expect(timeline(lines, until: "+5h") == [
            "+1h00m report.pending R-1",
            #"+2h00m input.rejected line 3: report R-1 is in sector "Pokrovsk"; an update cannot change "sector""#,
            "+3h00m input.rejected line 4: report R-1 was observed at 2026-02-10T01:00:00Z; an update cannot change \"observed\"",
            "+4h00m incident.opened INC-0001 t1 R-1",
        ])
    }

    @Test(arguments: [
        ("confirmed", "reported", "report R-1 cannot change from confirmed to reported"),
        ("disputed", "reported", "report R-1 cannot change from disputed to reported"),
        ("retracted", "confirmed", "report R-1 is retracted, which is final"),
        ("retracted", "disputed", "report R-1 is retracted, which is final"),
    ])
    func forbiddenStatusChangesAreRejected(from: String, to: String, reason: String) {
        let events = timeline([report("R-1", status: from, at: "+1h"), report("R-1", status: to, at: "+2h")], until: "+3h")
        #expect(events.last == "+2h00m input.rejected line 3: \(reason)")
    }

    @Test func repeatingTheCurrentStatusIsAcceptedWithoutEvent() {
        let (engine, events) = runEngine([report("R-1", at: "+1h"), report("R-1", at: "+2h")], until: "+3h")
        #expect(engine.rejectedCount == 0)
        #expect(events.filter { $0.kind != .rosterNotified && $0.kind != .alertReminder }.map(describe)
            == ["+1h00m incident.opened INC-0001 t1 R-1"])
    }

    @Test func disputedThenConfirmedCountsAnewAndRetractedNeverCounts() {
        #expect(timeline([
            report("R-1", status: "disputed", at: "+1h"),
            report("R-2", "Lyman", status: "retracted", at: "+1h"),
            report("R-1", status: "confirmed", at: "+2h"),
        ], until: "+3h") == [
            "+1h00m report.retracted R-1 disputed",
            "+1h00m report.retracted R-2 retracted",
            "+2h00m incident.opened INC-0001 t1 R-1",
        ])
    }

    @Test func retractionOfAPendingReportAndDisputedToRetractedEmitEvents() {
        #expect(timeline([
            report("R-1", status: "reported", at: "+1h"),
            report("R-1", status: "disputed", at: "+2h"),
            report("R-1", status: "retracted", at: "+3h"),
        ]) == [
            "+1h00m report.pending R-1",
            "+2h00m report.retracted R-1 disputed",
            "+3h00m report.retracted R-1 retracted",
        ])
    }

    // MARK: R2 — one open incident per sector

    @Test func sectorsMatchAfterTrimmingAndCaseFoldingAndShowTheFirstSpelling() throws {
        let (engine, events) = runEngine([
            report("R-1", "Straße", at: "+1h"),
            report("R-2", "  STRASSE ", at: "+2h"),
            report("R-3", "Покровськ", at: "+3h"),
            report("R-4", "ПОКРОВСЬК", at: "+4h"),
        ], until: "+5h")
        #expect(engine.incidents.map(\.id) == ["INC-0001", "INC-0002"])
        #expect(engine.incidents.map(\.sector) == ["Straße", "Покровськ"])
        #expect(engine.incidents.map(\.countingReports) == [2, 2])
        #expect(events.filter { $0.kind == .reportJoined }.map(\.sector) == ["Straße", "Покровськ"])
    }

    /// Invisible characters cannot split a sector: a zero-width space, a
    /// joiner or a byte-order mark inside a name matches the plain name, and
    /// the text shows them for what they are.
    @Test func defaultIgnorableCharactersAreFoldedOutOfSectorKeys() throws {
        let (engine, _) = runEngine([
            report("R-1", "Pokrovsk", at: "+1h"),
            report("R-2", "Pok\\u200Brovsk", at: "+2h"),
            report("R-3", "\\uFEFFPOKROVSK\\u2060", at: "+3h"),
            report("R-4", "Lym\\u00ADan", at: "+4h"),
            report("R-5", "Lyman", at: "+5h"),
        ], until: "+6h")
        #expect(engine.incidents.map(\.countingReports) == [3, 2])
        #expect(Engine.sectorKey("Pok\u{200B}rovsk") == Engine.sectorKey("pokrovsk"))
        #expect(Sanitizer.clean("Lym\u{AD}an 👨\u{200D}👩 ❤\u{FE0F}") == "Lym<U+00AD>an 👨<U+200D>👩 ❤<U+FE0F>")
    }

    @Test func aRejectedRecordDoesNotSetTheSectorSpelling() {
        let (engine, _) = runEngine([
            report("R-1", " pokrovsk", status: "bogus", at: "+1h"),
            report("R-2", "Pokrovsk", at: "+2h"),
        ], until: "+3h")
        #expect(engine.incidents.first?.sector == "Pokrovsk")
    }

    @Test func incidentIdsGrowPast9999() {
        #expect(Incident.id(number: 1) == "INC-0001")
        #expect(Incident.id(number: 9999) == "INC-9999")
        #expect(Incident.id(number: 10000) == "INC-10000")
        #expect(Incident.number(fromID: "INC-0042") == 42)
        #expect(Incident.number(fromID: "INC-42") == nil)
        #expect(Incident.number(fromID: "INC-00042") == nil)
        #expect(Incident.number(fromID: "inc-0042") == nil)
    }

    /// An id names an incident exactly when it is how `id(number:)` writes
    /// that number (the rule the reader keeps without building the id again).
    @Test(arguments: [
        "INC-0001", "INC-0000", "INC-9999", "INC-10000", "INC-01000", "INC-00001", "INC-123456789", "INC-", "INC-1",
        "INC-001", "INC-+001", "INC--001", "INC-0x10", "INC- 001", "INC-0001 ", "INC-٠٠٠١", "INC-000１", "NC-0001",
        "INC-9223372036854775807", "INC-9223372036854775808", "INC-99999999999999999999", "INC-0\u{301}001", "",
    ])
    func incidentIdsReadBackOnlyInTheirOwnSpelling(id: String) {
        let n = Incident.number(fromID: id)
        let roundTrip = Int(id.dropFirst(4)).flatMap { $0 > 0 && Incident.id(number: $0) == id ? $0 : nil }
        #expect(n == (id.hasPrefix("INC-") ? roundTrip : nil))
        if let n { #expect(Incident.id(number: n) == id) }
    }

    // MARK: R3 — tier 1 and its deadline (T0 + 24 h)

    @Test func warningJustBeforeTheDeadlineIsInTime() throws {
        let lines = [report("R-1", at: "+0s"), action("warning", at: "+23h59m59s")]
        #expect(!timeline(lines).contains { $0.contains("tier1.overdue") })
        #expect(try #require(incident(lines)).step == .warned)
    }

    @Test func warningExactlyAtTheDeadlineIsInTime() throws {
        let lines = [report("R-1", at: "+0s"), action("warning", at: "+24h")]
        #expect(timeline(lines, until: "+25h") == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+24h00m action.recorded INC-0001 warning",
        ])
        #expect(try #require(incident(lines)).step == .warned)
    }

    @Test func warningJustAfterTheDeadlineIsOverdue() throws {
        let lines = [report("R-1", at: "+0s"), action("warning", at: "+24h00m01s")]
        #expect(timeline(lines, until: "+25h") == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+24h00m tier1.overdue INC-0001 t1",
            "+24h00m01s action.recorded INC-0001 warning",
        ])
        let inc = try #require(incident(lines))
        #expect(inc.step == .overdue)
        #expect(inc.stepCompletedAt == inc.tier1Deadline)
    }

    @Test func overdueFiresAfterOtherRecordsAtTheDeadlineInstant() {
        #expect(timeline([report("R-1", at: "+0s"), action("note", at: "+24h")], until: "+25h") == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+24h00m action.recorded INC-0001 note",
            "+24h00m tier1.overdue INC-0001 t1",
        ])
    }

    @Test func incidentOpenedAfterItsDeadlineIsOverdueAtOnce() throws {
        let lines = [report("R-1", at: "+30h", observed: "+2h")]
        #expect(timeline(lines, until: "+31h") == [
            "+30h00m incident.opened INC-0001 t1 R-1",
            "+30h00m tier1.overdue INC-0001 t1",
        ])
        let inc = try #require(incident(lines, until: "+31h"))
        #expect(inc.step == .overdue)
        #expect(inc.stepCompletedAt == inc.tier1Deadline)  // complete at the deadline itself
    }

    @Test func incidentOpenedExactlyAtItsDeadlineCanStillBeWarnedAtThatInstant() throws {
        let lines = [report("R-1", at: "+24h", observed: "+0s"), action("warning", at: "+24h")]
        #expect(timeline(lines, until: "+25h") == [
            "+24h00m incident.opened INC-0001 t1 R-1",
            "+24h00m action.recorded INC-0001 warning",
        ])
    }

    @Test func noOverdueEventOnceEscalatedButTheStepStillCompletes() throws {
        let lines = [report("R-1", at: "+0s"), action("escalate", at: "+1h")]
        #expect(!timeline(lines).contains { $0.contains("tier1.overdue") })
        let inc = try #require(incident(lines, until: "+25h"))
        #expect(inc.step == .overdue)
    }

    // MARK: R4 — tier 2 on continued violations

    @Test func reportObservedAfterTheWarningEscalatesToTier2() {
        #expect(timeline([report("R-1", at: "+0s"), action("warning", at: "+2h"), report("R-2", at: "+3h")], until: "+4h") == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+2h00m action.recorded INC-0001 warning",
            "+3h00m report.joined INC-0001 t1 R-2",
            "+3h00m tier.escalated INC-0001 t2 R-2",
        ])
    }

    @Test func reportObservedExactlyAtTheStepCompletionEscalates() {
        let events = timeline([report("R-1", at: "+0s"), action("warning", at: "+2h"), report("R-2", at: "+3h", observed: "+2h")], until: "+4h")
        #expect(events.last == "+3h00m tier.escalated INC-0001 t2 R-2")
    }

    @Test func reportObservedBeforeTheStepCompletedDoesNotEscalate() {
        let events = timeline([report("R-1", at: "+0s"), action("warning", at: "+2h"), report("R-2", at: "+3h", observed: "+1h59m59s")], until: "+4h")
        #expect(events.last == "+3h00m report.joined INC-0001 t1 R-2")
    }

    @Test func atTheDeadlineInstantTheStepIsNotYetCompleteAfterItIs() {
        #expect(timeline([report("R-1", at: "+0s"), report("R-2", at: "+24h"), report("R-3", at: "+24h00m01s")], until: "+25h") == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+24h00m report.joined INC-0001 t1 R-2",
            "+24h00m tier1.overdue INC-0001 t1",
            "+24h00m01s report.joined INC-0001 t1 R-3",
            "+24h00m01s tier.escalated INC-0001 t2 R-3",
        ])
    }

    @Test func lateOpenedIncidentEscalatesOnAReportObservedAfterItsDeadline() throws {
        let lines = [report("R-1", at: "+30h", observed: "+2h"), report("R-2", at: "+31h", observed: "+27h"),
                     report("R-3", at: "+32h", observed: "+25h")]
        #expect(timeline(lines, until: "+33h").suffix(3) == [
            "+31h00m report.joined INC-0001 t1 R-2",
            "+31h00m tier.escalated INC-0001 t2 R-2",
            "+32h00m report.joined INC-0001 t2 R-3",
        ])
        let inc = try #require(incident(lines, until: "+33h"))
        #expect(inc.tier == 2)
        #expect(!inc.armed)  // R-3 was observed before the tier-2 escalation
    }

    // MARK: R5 — tier 3 at T0 + 72 h while armed

    /// R-1 at +0; warning at +1h; R-2 at +2h escalates to tier 2 (and does not arm).
    static let atTier2 = [report("R-1", at: "+0s"), action("warning", at: "+1h"), report("R-2", at: "+2h")]

    @Test func armedBefore72hEscalatesAtExactly72h() {
        let events = timeline(Self.atTier2 + [report("R-3", at: "+71h59m59s")], until: "+73h")
        #expect(events.suffix(2) == ["+71h59m59s report.joined INC-0001 t2 R-3", "+72h00m tier.escalated INC-0001 t3"])
    }

    @Test func armedExactlyAt72hEscalatesAtOnce() {
        let events = timeline(Self.atTier2 + [report("R-3", at: "+72h")], until: "+73h")
        #expect(events.suffix(2) == ["+72h00m report.joined INC-0001 t2 R-3", "+72h00m tier.escalated INC-0001 t3 R-3"])
    }

    @Test func armedJustAfter72hEscalatesAtOnce() {
        let events = timeline(Self.atTier2 + [report("R-3", at: "+72h00m01s")], until: "+73h")
        #expect(events.suffix(2) == ["+72h00m01s report.joined INC-0001 t2 R-3", "+72h00m01s tier.escalated INC-0001 t3 R-3"])
    }

    @Test func theReportThatCausedTier2NeverArms() throws {
        let events = timeline(Self.atTier2, until: "+100h")
        #expect(!events.contains { $0.contains("t3") })
        #expect(try #require(incident(Self.atTier2)).armed == false)
    }

    @Test func reportObservedBeforeTheTier2EscalationDoesNotArm() {
        let events = timeline(Self.atTier2 + [report("R-3", at: "+10h", observed: "+1h59m59s")], until: "+100h")
        #expect(!events.contains { $0.contains("t3") })
    }

    @Test func armingLapsesWhenTheArmingReportIsRetractedAndReArmsAtOnceLater() throws {
        let lines = Self.atTier2 + [report("R-3", at: "+10h"), report("R-3", status: "retracted", at: "+50h")]
        #expect(!timeline(lines, until: "+79h").contains { $0.contains("t3") })
        #expect(try #require(incident(lines, until: "+79h")).armed == false)
        let later = timeline(lines + [report("R-4", at: "+80h")], until: "+81h")
        #expect(later.suffix(2) == ["+80h00m report.joined INC-0001 t2 R-4", "+80h00m tier.escalated INC-0001 t3 R-4"])
    }

    @Test func armedIsFalseAwayFromTier2() throws {
        let lines = Self.atTier2 + [report("R-3", at: "+10h")]
        #expect(try #require(incident(lines, until: "+11h")).armed == true)
        #expect(try #require(incident(lines, until: "+73h")).armed == false)  // now tier 3
    }

    // MARK: R6 — manual escalation

    @Test func manualEscalationRaisesOneTierAndRulesCarryOnFromIt() {
        let events = timeline([report("R-1", at: "+0s"), action("escalate", at: "+1h", by: "duty"), report("R-2", at: "+2h")], until: "+73h")
        #expect(events == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+1h00m tier.escalated INC-0001 t2 manual",
            "+2h00m report.joined INC-0001 t2 R-2",
            "+72h00m tier.escalated INC-0001 t3",
        ])
    }

    @Test func escalatingATier3IncidentIsRejected() {
        let events = timeline([report("R-1", at: "+0s"), action("escalate", at: "+1h"), action("escalate", at: "+2h"),
                               action("escalate", at: "+3h")], until: "+4h")
        #expect(events.last == "+3h00m input.rejected line 5: INC-0001 is already at tier 3")
    }

    // MARK: R7 and R12 — resolve; closed incidents take notes only

    @Test func resolvedIncidentStopsItsClocksAndANewReportOpensANewIncident() throws {
        let lines = [report("R-1", at: "+0s"), action("resolve", at: "+1h"), report("R-2", at: "+2h"),
                     action("ack", at: "+3h"), action("note", at: "+4h")]
        #expect(timeline(lines) == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+1h00m incident.resolved INC-0001",
            "+2h00m incident.opened INC-0002 t1 R-2",
            "+3h00m input.rejected line 5: INC-0001 is resolved: only a note can be added to a closed incident",
            "+4h00m action.recorded INC-0001 note",
            "+26h00m tier1.overdue INC-0002 t1",
        ])
        let (engine, _) = runEngine(lines)
        #expect(engine.incidents[0].status == .resolved)
        #expect(engine.incidents[0].step == .pending)  // frozen at close
    }

    @Test(arguments: ["ack", "warning", "response", "resolve", "escalate"])
    func nonNoteActionsOnAClosedIncidentAreRejected(kind: String) {
        let events = timeline([report("R-1", at: "+0s"), action("resolve", at: "+1h"), action(kind, at: "+2h")], until: "+3h")
        #expect(events.last?.hasPrefix("+2h00m input.rejected line 4: INC-0001 is resolved") == true)
    }

    // MARK: R8 — retraction and withdrawal

    @Test func lastCountingReportRetractedWithdrawsWithoutUndoingEscalations() throws {
        let lines = [report("R-1", at: "+0s"), action("escalate", at: "+30m"), report("R-2", at: "+1h"),
                     report("R-1", status: "retracted", at: "+2h"), report("R-2", status: "disputed", at: "+3h"),
                     report("R-2", status: "confirmed", at: "+4h")]
        #expect(timeline(lines, until: "+5h") == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+0h30m tier.escalated INC-0001 t2 manual",
            "+1h00m report.joined INC-0001 t2 R-2",
            "+2h00m report.retracted INC-0001 R-1 retracted",
            "+3h00m report.retracted INC-0001 R-2 disputed",
            "+3h00m incident.withdrawn INC-0001 R-2",
            "+4h00m incident.opened INC-0002 t1 R-2",
        ])
        let (engine, _) = runEngine(lines, until: "+5h")
        #expect(engine.incidents[0].status == .withdrawn)
        #expect(engine.incidents[0].tier == 2)
        #expect(engine.incidents[1].t0 == engine.report(id: "R-2")?.observed)
    }

    // MARK: R9 — alerts, acknowledgement, reminders

    @Test func remindersEvery15MinutesUntilAcknowledged() {
        #expect(timeline([report("R-1", at: "+0s"), action("ack", at: "+40m")], until: "+2h", ignoring: [.rosterNotified]) == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+0h15m alert.reminder INC-0001 t1",
            "+0h30m alert.reminder INC-0001 t1",
            "+0h40m incident.acknowledged INC-0001",
        ])
    }

    @Test func aNewAlertRestartsTheReminderCount() {
        #expect(timeline([report("R-1", at: "+0s"), action("escalate", at: "+20m")], until: "+40m", ignoring: [.rosterNotified]) == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+0h15m alert.reminder INC-0001 t1",
            "+0h20m tier.escalated INC-0001 t2 manual",
            "+0h35m alert.reminder INC-0001 t2",
        ])
    }

    @Test func ackWhenNothingIsUnacknowledgedIsAcceptedAndRecorded() {
        let (engine, events) = runEngine([report("R-1", at: "+0s"), action("ack", at: "+1m"), action("ack", at: "+2m")], until: "+3m")
        #expect(engine.rejectedCount == 0)
        #expect(events.filter { $0.kind == .incidentAcknowledged }.count == 2)
    }

    @Test func remindersStopWhenTheIncidentCloses() {
        let events = timeline([report("R-1", at: "+0s"), action("resolve", at: "+20m")], until: "+2h", ignoring: [.rosterNotified])
        #expect(events.filter { $0.contains("alert.reminder") } == ["+0h15m alert.reminder INC-0001 t1"])
    }

    // MARK: R10 — roster notifications, answers and cohesion

    @Test func eachTierNotifiesItsMembersInRosterOrder() {
        let events = runEngine([report("R-1", at: "+0s"), action("escalate", at: "+1h"), action("escalate", at: "+2h")], until: "+3h").1
        #expect(events.filter { $0.kind == .rosterNotified }.map { "\($0.tier!):\($0.member!)" }
            == ["1:UA", "2:GB", "2:FR", "2:EU", "2:NO", "2:IS", "2:TR", "3:US"])
    }

    @Test func cohesionCountsCommittedAmongNotifiedMembers() throws {
        let base = [report("R-1", at: "+0s")]
        #expect(try #require(incident(base, until: "+1m")).cohesion == 0)
        let lines = base + [action("commit", at: "+1m", member: "UA"), action("escalate", at: "+1h"),
                            action("commit", at: "+2h", member: "GB"), action("decline", at: "+3h", member: "TR"),
                            action("commit", at: "+4h", member: "US")]  // US is not notified yet: no effect on cohesion
        let inc = try #require(incident(lines, until: "+5h"))
        #expect(inc.cohesion == 2.0 / 7.0)
        #expect(inc.answer(of: "GB") == .committed)
        #expect(inc.answer(of: "TR") == .declined)
        #expect(inc.answer(of: "FR") == .notified)
        #expect(inc.answer(of: "US") == .committed)
    }

    @Test func cohesionIsNullWhenNobodyIsNotified() throws {
        let policy = Policy(roster: [Member(code: "GB", name: "United Kingdom", tier: 2)])
        #expect(try #require(incident([report("R-1", at: "+0s")], policy: policy, until: "+1m")).cohesion == nil)
    }

    @Test func unknownMembersAndIncidentsAreRejected() {
        let events = timeline([report("R-1", at: "+0s"), action("commit", at: "+1m", member: "XX"),
                               action("commit", at: "+2m", member: "gb"), action("ack", "INC-0002", at: "+3m")], until: "+4m")
        #expect(events.suffix(3) == [
            #"+0h01m input.rejected line 3: unknown roster member "XX""#,
            #"+0h02m input.rejected line 4: unknown roster member "gb""#,
            #"+0h03m input.rejected line 5: unknown incident "INC-0002""#,
        ])
    }

    // MARK: R11 — ordering at one instant

    @Test func overdueAtTheSameInstantAsAReminderSuppressesTheReminder() {
        let policy = Policy(tier1Window: 30 * 60, ackReminder: 15 * 60)
        #expect(timeline([report("R-1", at: "+0s")], policy: policy, until: "+50m", ignoring: [.rosterNotified]) == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+0h15m alert.reminder INC-0001 t1",
            "+0h30m tier1.overdue INC-0001 t1",
            "+0h45m alert.reminder INC-0001 t1",
        ])
    }

    @Test func tier3AtTheSameInstantAsAReminderSuppressesTheReminder() {
        // T0 = 0; tier 2 at +1h (manual) reminders at +1h15m, +1h30m ...; tier 3 at +2h.
        let policy = Policy(tier1Window: 30 * 60, tier3After: 2 * 3600, ackReminder: 15 * 60)
        let events = timeline([report("R-1", at: "+0s"), action("escalate", at: "+1h"), report("R-2", at: "+1h10m")],
                              policy: policy, until: "+2h20m", ignoring: [.rosterNotified])
        #expect(events.suffix(4) == [
            "+1h30m alert.reminder INC-0001 t2",
            "+1h45m alert.reminder INC-0001 t2",
            "+2h00m tier.escalated INC-0001 t3",
            "+2h15m alert.reminder INC-0001 t3",
        ])
    }

    @Test func timersAtOneInstantFireInIncidentOrder() {
        let events = timeline([report("R-1", "Pokrovsk", at: "+0s"), report("R-2", "Lyman", at: "+0s")], until: "+25h")
        #expect(events.suffix(2) == ["+24h00m tier1.overdue INC-0001 t1", "+24h00m tier1.overdue INC-0002 t1"])
    }

    @Test func causeOrderWithinOneRecord() {
        let events = runEngine([report("R-1", at: "+0s"), action("warning", at: "+1h"), report("R-2", at: "+2h")], until: "+2h").1
        #expect(events.suffix(8).map(\.kind) == [.reportJoined, .tierEscalated] + Array(repeating: .rosterNotified, count: 6))
    }
}
