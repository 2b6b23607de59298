import Testing
import TruceEngine
import TruceHeadless

@Suite("Engine snapshots")
struct SnapshotTests {
    /// Runs `lines[range]` into `engine`, returning the events.
    static func feed(_ engine: inout Engine, _ lines: [String], _ range: Range<Int>) -> [Event] {
        var events: [Event] = []
        for i in range {
            engine.process(line: lines[i], number: i + 1)
            events += engine.takeEvents()
        }
        return events
    }

    /// Processes the rest of the scenario and runs every timer out.
    static func finish(_ engine: inout Engine, _ lines: [String], from k: Int) -> [Event] {
        var events = feed(&engine, lines, k..<lines.count)
        if let last = engine.lastAcceptedAt { engine.advance(through: last + engine.policy.tier3After + 86_400) }
        engine.finish()
        events += engine.takeEvents()
        return events
    }

    /// Cut a scenario anywhere, snapshot an engine that may have skipped
    /// reminders or advanced its clock between records, restore it and go on:
    /// the events and the state are exactly those of never stopping.
    @Test(arguments: PropertyTests.seeds)
    func restoredEngineContinuesExactly(seed: UInt64) throws {
        let lines = generated(records: 2000, sectors: 8, seed: seed)
        var rng = SplitMix64(seed: seed ^ 0x5A5A)
        var cuts = [0, 1, 2, lines.count - 1, lines.count]
        for _ in 0..<12 { cuts.append(Int(rng.below(UInt64(lines.count)))) }
        var sawReminders = false
        for k in cuts {
            // The reference: never stops, never skips a reminder.
            var reference = Engine()
            _ = SnapshotTests.feed(&reference, lines, 0..<k)
            // Sometimes move the clock part of the way to the next record first.
            var step: Instant?
            if k < lines.count, let c = reference.clock, rng.below(2) == 0,
               case .record(.spec(let spec), _) = RecordDecoder.decode(lines[k]),
               let next = spec.resolve(start: reference.scenario?.start), next > c {
                step = c + Int64(rng.below(UInt64(next - c)))
            }
            if let step { reference.advance(through: step) }
            _ = reference.takeEvents()
            let saved = reference.snapshot()

            // The engine that gets saved skips reminders in one of three ways.
            var quiet = Engine()
            quiet.quietRemindersBefore = [nil, Instant(seconds: .max), reference.clock.map { $0 - 3 * 3600 }][Int(rng.below(3))]
            _ = SnapshotTests.feed(&quiet, lines, 0..<k)
            if let step { quiet.advance(through: step) }
            _ = quiet.takeEvents()
            #expect(quiet.snapshot() == saved, "cut \(k): skipping reminders changed the saved state")

            var restored = try Engine(snapshot: quiet.snapshot(), policy: .standard)
            #expect(restored.snapshot() == saved, "cut \(k): restore does not round-trip")
            let expected = SnapshotTests.finish(&reference, lines, from: k)
            let got = SnapshotTests.finish(&restored, lines, from: k)
            #expect(firstDifference(got, expected) == nil, "cut \(k): events differ after restoring")
            #expect(restored.snapshot() == reference.snapshot(), "cut \(k): final state differs")
            if expected.contains(where: { $0.kind == .alertReminder }) { sawReminders = true }
        }
        #expect(sawReminders, "no reminder after any cut: the reminder rebuild went untested")
    }

    /// Restore, go on, save, restore again, many times over: the reports of
    /// each restore stay in its bytes (cold), some change, new ones arrive,
    /// and every save copies or re-encodes them. The chain must end where
    /// never stopping ends, at every link.
    @Test(arguments: PropertyTests.seeds)
    func chainedRestoresContinueExactly(seed: UInt64) throws {
        let lines = generated(records: 3000, sectors: 6, seed: seed)
        var rng = SplitMix64(seed: seed ^ 0xC0FFEE)
        var cuts = (0..<8).map { _ in Int(rng.below(UInt64(lines.count))) }.sorted()
        cuts.append(lines.count)
        var reference = Engine()
        var chained = Engine()
        var at = 0
        for k in cuts {
            _ = SnapshotTests.feed(&reference, lines, at..<k)
            _ = SnapshotTests.feed(&chained, lines, at..<k)
            at = k
            #expect(chained.snapshot() == reference.snapshot(), "cut \(k): the chain's state differs")
            // Sometimes keep the reports in the saved bytes, as an appender does.
            var saved = chained
            let bytes = rng.below(2) == 0 ? saved.snapshotKeepingReports() : chained.snapshot()
            #expect(bytes == reference.snapshot(), "cut \(k): keeping the reports changed the bytes")
            chained = rng.below(3) == 0 ? saved : try Engine(snapshot: bytes, policy: .standard)
        }
        let expected = SnapshotTests.finish(&reference, lines, from: lines.count)
        let got = SnapshotTests.finish(&chained, lines, from: lines.count)
        #expect(firstDifference(got, expected) == nil)
        #expect(chained.snapshot() == reference.snapshot())
    }

    @Test func anotherPolicyIsRefused() throws {
        var engine = Engine()
        _ = SnapshotTests.feed(&engine, generated(records: 200, sectors: 3, seed: 5), 0..<201)
        let bytes = engine.snapshot()
        var other = Policy.standard
        other.ackReminder = 600
        #expect(bytes.starts(with: Engine.snapshotHeader(for: .standard)))
        #expect(!bytes.starts(with: Engine.snapshotHeader(for: other)))
        #expect(throws: SnapshotError("snapshot was saved under another policy")) { try Engine(snapshot: bytes, policy: other) }
    }

    /// Any damage is an error, never a crash or a wrong engine: every single
    /// bit flip and every truncation of a real snapshot.
    @Test func damageIsDetected() throws {
        var engine = Engine()
        _ = SnapshotTests.feed(&engine, generated(records: 60, sectors: 3, seed: 8), 0..<61)
        let bytes = engine.snapshot()
        #expect(bytes.count > 200)
        _ = try Engine(snapshot: bytes, policy: .standard)
        for n in 0..<bytes.count {
            #expect(throws: SnapshotError.self) { try Engine(snapshot: Array(bytes[..<n]), policy: .standard) }
            for bit in 0..<8 {
                var b = bytes
                b[n] ^= 1 << bit
                #expect(throws: SnapshotError.self) { try Engine(snapshot: b, policy: .standard) }
            }
        }
        #expect(throws: SnapshotError.self) { try Engine(snapshot: bytes + [0], policy: .standard) }
    }

    /// The decoder checks what it reads even when the checksum is right
    /// (a snapshot written by a buggy or hostile hand): indices out of range
    /// and overlong counts are errors.
    @Test func wellSummedNonsenseIsRefused() {
        let lines = generated(records: 120, sectors: 3, seed: 8)
        var engine = Engine()
        _ = SnapshotTests.feed(&engine, lines, 0..<61)
        let bytes = engine.snapshot()
        var rng = SplitMix64(seed: 77)
        var refused = 0
        for _ in 0..<3000 {
            var b = Array(bytes.dropLast(8))
            let at = 40 + Int(rng.below(UInt64(b.count - 40)))  // past the magic, format and policy
            b[at] = UInt8(truncatingIfNeeded: rng.next())
            let h = Engine.snapshotChecksum(of: b)
            for k in 0..<8 { b.append(UInt8(truncatingIfNeeded: h >> (8 * k))) }
            do {
                // Accepted nonsense is a wrong state, but carrying on with it must not crash.
                var odd = try Engine(snapshot: b, policy: .standard)
                odd.quietRemindersBefore = Instant(seconds: .max)  // a mangled time could mean decades of them
                _ = SnapshotTests.feed(&odd, lines, 61..<lines.count)
                if let c = odd.clock { odd.advance(through: c + 10 * 86_400) }
                odd.finish()
                _ = StateOutput.json(odd, at: odd.clock ?? Instant(seconds: 0))
            } catch { refused += 1 }
        }
        // Many single-byte changes are still a valid (different) state; the point is no crash.
        // Both must happen, or the damage never got past the checksum.
        #expect(refused > 0)
        #expect(refused < 3000)
    }
}

/// Where two timelines first part, in a few words (a whole timeline is too long to print).
func firstDifference(_ a: [Event], _ b: [Event]) -> String? {
    for n in 0..<max(a.count, b.count) where n >= min(a.count, b.count) || a[n] != b[n] {
        let x = n < a.count ? "\(a[n])" : "nothing"
        let y = n < b.count ? "\(b[n])" : "nothing"
        return "event \(n): \(x) instead of \(y)"
    }
    return nil
}
