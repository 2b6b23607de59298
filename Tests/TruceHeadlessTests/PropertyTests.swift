import Foundation
import Testing
import TruceEngine
import TruceHeadless
import TruceTestSupport

func temporaryFile(_ contents: String) throws -> String {
    let path = Scratch.directory + "truce-test-\(UUID().uuidString).jsonl"
    try contents.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Generated scenario as lines.
func generated(records: Int, sectors: Int, seed: UInt64) -> [String] {
    var bytes: [UInt8] = []
    ScenarioGenerator(records: records, sectors: sectors, seed: seed).generate { bytes += $0 }
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
}

/// Replays lines in one batch, as `truce replay` does.
func batchReplay(_ lines: [String], policy: Policy = .standard) -> (Engine, [Event]) {
    var engine = Engine(policy: policy)
    var events: [Event] = []
    for (i, l) in lines.enumerated() {
        engine.process(line: l, number: i + 1)
        events += engine.takeEvents()
    }
    if let last = engine.lastAcceptedAt { engine.advance(through: last + policy.tier3After) }
    engine.finish()
    return (engine, events + engine.takeEvents())
}

@Suite("Properties over generated scenarios")
struct PropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 7, 42, 1234]

    @Test(arguments: seeds)
    func generatedScenariosAreValid(seed: UInt64) {
        let lines = generated(records: 3000, sectors: 12, seed: seed)
        #expect(lines.count == 3001)
        let (engine, events) = batchReplay(lines)
        #expect(engine.rejectedCount == 0)
        #expect(!events.contains { $0.kind == .inputRejected })
        // Realistic: the framework is exercised end to end.
        let kinds = Set(events.map(\.kind))
        for k: EventKind in [.incidentOpened, .reportPending, .reportJoined, .reportRetracted, .tierEscalated,
                             .rosterNotified, .incidentAcknowledged, .actionRecorded, .incidentResolved] {
            #expect(kinds.contains(k), "seed \(seed) never produced \(k.rawValue)")
        }
    }

    @Test(arguments: seeds)
    func timelineIsTimeOrderedTiersNeverDecreaseClosedIncidentsNeverEscalate(seed: UInt64) {
        let (_, events) = batchReplay(generated(records: 3000, sectors: 12, seed: seed))
        var last = Instant(seconds: .min)
        var tier: [String: Int] = [:]
        var closed: Set<String> = []
        for e in events {
            let at = e.at!
            #expect(at >= last)
            last = at
            guard let inc = e.incident else { continue }
            if closed.contains(inc) {
                // After closing, only notes (and retractions of its old reports) may mention it.
                #expect(e.kind == .actionRecorded && e.action == .note || e.kind == .reportRetracted,
                        "\(inc) closed but got \(e.kind.rawValue)")
            }
            if let t = e.tier, e.kind == .tierEscalated || e.kind == .incidentOpened {
                #expect(t >= tier[inc, default: 1])
                #expect(t <= 3)
                tier[inc] = t
            }
            if e.kind == .incidentResolved || e.kind == .incidentWithdrawn { closed.insert(inc) }
        }
    }

    /// Feeding one record at a time, with the clock advanced in between, gives
    /// the same timeline as one batch.
    @Test(arguments: seeds)
    func batchEqualsIncremental(seed: UInt64) {
        let lines = generated(records: 2000, sectors: 8, seed: seed)
        let (batchEngine, batch) = batchReplay(lines)

        var engine = Engine()
        var events: [Event] = []
        var rng = SplitMix64(seed: seed ^ 0xABCDEF)
        for (i, l) in lines.enumerated() {
            let decoded = RecordDecoder.decode(l)
            // Before each record, move the clock by arbitrary steps up to (not
            // including) the record's time, draining events every step.
            if case .record(.spec(let spec), _) = decoded, let clock = engine.clock,
               let at = spec.resolve(start: engine.scenario?.start), at > clock {
                var t = clock
                while true {
                    let step = Int64(rng.below(UInt64(max(1, (at - clock) / 2)))) + 1
                    if t + step >= at { break }
                    t = t + step
                    engine.advance(through: t)
                    events += engine.takeEvents()
                }
            }
            engine.process(decoded, line: i + 1)
            events += engine.takeEvents()
        }
        if let last = engine.lastAcceptedAt { engine.advance(through: last + Policy.standard.tier3After) }
        engine.finish()
        events += engine.takeEvents()
        #expect(events == batch)
        #expect(StateOutput.json(engine, at: engine.clock!) == StateOutput.json(batchEngine, at: batchEngine.clock!))
    }

    /// Skipping old reminders changes no state and no other event.
    @Test(arguments: [3, 42] as [UInt64])
    func quietRemindersChangeNothingElse(seed: UInt64) {
        let lines = generated(records: 3000, sectors: 12, seed: seed)
        let (loud, all) = batchReplay(lines)
        var engine = Engine()
        let cut = loud.origin! + 10 * 86_400
        engine.quietRemindersBefore = cut
        var quiet: [Event] = []
        for (i, l) in lines.enumerated() {
            engine.process(line: l, number: i + 1)
            quiet += engine.takeEvents()
        }
        engine.advance(through: loud.clock!)
        quiet += engine.takeEvents()
        #expect(all.contains { $0.kind == .alertReminder && $0.at! < cut }, "no reminder to skip: the test proves nothing")
        let keep: (Event) -> Bool = { $0.kind != .alertReminder || $0.at! >= cut }
        #expect(quiet == all.filter(keep))
        #expect(StateOutput.json(engine, at: loud.clock!) == StateOutput.json(loud, at: loud.clock!))
    }

    /// Times before 1970 are negative seconds: skipping reminders up to the
    /// end of time (what an appender does) must not overflow on them.
    @Test func quietRemindersBeforeTheEndOfTimeOnTimesBefore1970() {
        var engine = Engine(mode: .live)
        engine.quietRemindersBefore = Instant(seconds: .max)
        let old = try! RFC3339.parse("1960-01-01T00:00:00Z").get()
        engine.process(line: #"{"at":"1960-01-01T00:00:00Z","type":"report","id":"X","sector":"Old","status":"confirmed"}"#,
                       number: 1, receivedAt: old)
        engine.process(line: #"{"type":"report","id":"Y","sector":"New","status":"reported"}"#, number: 2, receivedAt: old + 86_400 * 365 * 70)
        #expect(engine.acceptedCount == 2)
        #expect(engine.takeEvents().filter { $0.kind == .alertReminder }.isEmpty)
        #expect(engine.incident(id: "INC-0001")?.step == .overdue)
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() {
        let a = generated(records: 500, sectors: 5, seed: 9)
        #expect(a == generated(records: 500, sectors: 5, seed: 9))
        #expect(a != generated(records: 500, sectors: 5, seed: 10))
        #expect(generated(records: 0, sectors: 1, seed: 1).count == 1)  // the header alone
    }

    @Test func replayTwiceGivesTheSameOutput() throws {
        let lines = generated(records: 1500, sectors: 6, seed: 5)
        let path = try temporaryFile(lines.joined(separator: "\n") + "\n")
        let a = OutputSink.memory(), b = OutputSink.memory()
        _ = try Runner.replay(path: path, feed: .init(), json: true, out: a)
        _ = try Runner.replay(path: path, feed: .init(), json: true, out: b)
        #expect(!a.text.isEmpty)
        #expect(a.text == b.text)
        let c = OutputSink.memory(), d = OutputSink.memory()
        _ = try Runner.replay(path: path, feed: .init(), json: false, out: c)
        _ = try Runner.replay(path: path, feed: .init(), json: false, out: d)
        #expect(c.text == d.text)
    }

    /// The commands hand their engine at the end to `keep` (the executable
    /// keeps it until it exits instead of freeing it): the whole run's, once.
    @Test func theCommandsHandTheirFinalEngineToKeep() throws {
        let lines = generated(records: 300, sectors: 4, seed: 3)
        let path = try temporaryFile(lines.joined(separator: "\n") + "\n{\"type\":\"narrate\"}\n")
        let other = try temporaryFile(lines.prefix(10).joined(separator: "\n") + "\n")
        var kept: [Engine] = []
        _ = try Runner.replay(path: path, feed: .init(), json: true, out: .memory()) { kept.append($0) }
        _ = try Runner.state(path: path, feed: .init(), json: true, out: .memory()) { kept.append($0) }
        _ = Runner.validate(paths: [path, other], policy: .standard, out: .memory(), err: .memory()) { kept.append($0) }
        #expect(kept.map(\.acceptedCount) == [301, 301, 10])
        #expect(kept.map(\.rejectedCount) == [1, 1, 0])
    }

    @Test func manySectorsAndCyrillicNamesStayConsistent() {
        let (engine, _) = batchReplay(generated(records: 4000, sectors: 200, seed: 11))
        #expect(engine.rejectedCount == 0)
        #expect(Set(engine.sectors.map(\.key)).count == engine.sectors.count)
        #expect(engine.sectors.contains { $0.name.unicodeScalars.contains { $0.value >= 0x400 && $0.value < 0x500 } })
        // At most one open incident per sector (R2).
        let open = engine.incidents.filter(\.isOpen).map(\.sectorIndex)
        #expect(Set(open).count == open.count)
    }
}
