/// Why a snapshot cannot be restored. A snapshot is only ever a cache of a
/// replay, so the caller's answer to any of these is to replay instead.
public struct SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A compact binary image of an engine's state, so a long history need not be
/// replayed from the first record every time (spec §2 state is the replay of
/// the records; this is that replay, saved).
///
/// Restoring a snapshot and processing the records after it gives exactly
/// the events and state of processing every record from the start. What is
/// not saved: events not yet taken, `quietRemindersBefore` (the restorer's
/// own choice), and the queued reminders: they follow from each incident's
/// last alert and the time up to which timers have fired, and are rebuilt on
/// the restorer's terms, so an engine that skipped reminders still saves an
/// exact state. The policy is saved and must match: another policy would
/// have judged the same records differently.
///
/// Layout: magic `TRCS`, format, policy, state, then a 64-bit checksum of
/// everything before it (`checksum64`). Integers are LEB128 varints (signed ones zigzag).
extension Engine {
    static let snapshotMagic: [UInt8] = Array("TRCS".utf8)
    /// Bump this when the layout changes, and also when the fold itself
    /// changes (a rule, an event): a state saved by the old fold is not what
    /// the new one would have made, so it must not be restored. Old
    /// snapshots are then passed over and the journal replayed once.
    /// 2: sector keys fold out default-ignorable characters; no timer past 9999.
    /// 3: the checksum reads 8 bytes a step (FNV-1a, a byte a step, was most
    ///    of restoring a million-report snapshot).
    /// 4: reports are read in place (`ColdReports`): length-prefixed, with
    ///    checkpoints and an id table; report ids match byte for byte.
    /// 5: who resolved an incident.
    public static let snapshotFormat = 5

    /// The engine's state as bytes; the same state always gives the same bytes.
    public func snapshot() -> [UInt8] { snapshotAndReports().bytes }

    /// `snapshot()`, after which this engine reads its reports from the bytes
    /// returned, as a restored engine does: the next snapshot copies them as
    /// they are instead of encoding every report again (a long-running
    /// appender saves one every hundredth of the journal).
    public mutating func snapshotKeepingReports() -> [UInt8] {
        let (bytes, at) = snapshotAndReports()
        bytes.withUnsafeBufferPointer { all in
            var r = ByteReader(UnsafeBufferPointer(rebasing: all[..<(all.count - 8)]), at: at)
            // Bytes this engine has just written: their frame always reads.
            guard let frame = try? ColdReports.frame(&r),
                  let cold = try? ColdReports(bytes, frame, sectorCount: sectors.count, incidentCount: incidents.count)
            else { return }
            reports = ReportTable(cold: cold)
        }
        return bytes
    }

    /// The snapshot, and where its reports section starts.
    private func snapshotAndReports() -> (bytes: [UInt8], reportsAt: Int) {
        var w = ByteWriter()
        w.bytes = Engine.snapshotHeader(for: policy)
        w.unsigned(mode == .replay ? 0 : 1)
        w.instant(clock)
        w.bool(scenario != nil)
        if let s = scenario {
            w.string(s.title)
            w.instant(s.start)
            w.bool(s.speed != nil)
            if let v = s.speed { w.fixed64(v.bitPattern) }
        }
        w.instant(origin)
        w.instant(start)
        w.instant(lastAcceptedAt)
        w.signed(Int64(acceptedCount))
        w.signed(Int64(rejectedCount))
        w.signed(Int64(recordsSeen))
        w.signed(settledThrough)
        w.signed(Int64(pendingLive))

        w.unsigned(UInt64(sectors.count))
        for s in sectors {
            w.string(s.name)
            w.string(s.key)
            w.signed(Int64(s.openIncident))
        }
        let reportsAt = w.bytes.count
        writeReports(to: &w)
        w.unsigned(UInt64(incidents.count))
        for i in incidents {
            w.unsigned(UInt64(i.sectorIndex))
            w.string(i.sector)
            w.signed(i.t0.seconds)
            w.signed(i.openedAt.seconds)
            w.signed(i.tier1Deadline.seconds)
            w.signed(i.tier3At.seconds)
            w.unsigned(UInt64(i.tier))
            w.signed(i.tierAt.seconds)
            w.unsigned(UInt64(i.tierTimes.count))
            for t in i.tierTimes { w.signed(t.seconds) }
            w.unsigned(UInt64(IncidentStatus.allCases.firstIndex(of: i.status)!))
            w.instant(i.closedAt)
            w.string(i.closedBy)
            w.unsigned(UInt64(Tier1Step.allCases.firstIndex(of: i.step)!))
            w.instant(i.stepCompletedAt)
            w.bool(i.acknowledged)
            w.signed(i.lastAlertAt.seconds)
            w.signed(Int64(i.countingReports))
            w.signed(Int64(i.armingReports))
            w.unsigned(UInt64(i.reportIndices.count))
            for r in i.reportIndices { w.unsigned(UInt64(r)) }
            w.unsigned(UInt64(i.notified.count))
            for m in i.notified { w.string(m) }
            let answers = i.answers.sorted { $0.key < $1.key }  // a dictionary has no order of its own
            w.unsigned(UInt64(answers.count))
            for (code, a) in answers {
                w.string(code)
                w.unsigned(UInt64(RosterAnswer.allCases.firstIndex(of: a)!))
            }
            w.unsigned(UInt64(i.deadlineGen))
            w.unsigned(UInt64(i.tier3Gen))
            w.unsigned(UInt64(i.reminderGen))
        }
        w.unsigned(UInt64(pendingOrder.count))
        for p in pendingOrder { w.unsigned(UInt64(p)) }
        // Timers that can still do something, in a fixed order. Reminders are rebuilt.
        let live = timers.all.filter { t in
            let i = incidents[Int(t.incident)]
            guard i.isOpen else { return false }
            switch t.kind {
            case .tier1Deadline: return t.generation == i.deadlineGen
            case .tier3: return t.generation == i.tier3Gen
            case .reminder: return false
            }
        }.sorted(by: Timer.precedes)
        w.unsigned(UInt64(live.count))
        for t in live {
            w.signed(t.due)
            w.unsigned(UInt64(t.incident))
            w.unsigned(UInt64(t.kind.rawValue))
            w.unsigned(UInt64(t.generation))
        }
        w.unsigned(UInt64(unstamped.count))
        for u in unstamped {
            w.signed(Int64(u.line))
            w.string(u.reason)
        }
        w.fixed64(w.bytes.withUnsafeBufferPointer { checksum64($0) })
        return (w.bytes, reportsAt)
    }

    /// The reports section (see `ColdReports` for its layout). Reports read
    /// from a snapshot and unchanged since are copied as they were saved.
    private func writeReports(to w: inout ByteWriter) {
        let n = reports.count
        w.unsigned(UInt64(n))
        var area = ByteWriter()
        var fields = ByteWriter()
        var checkpoints: [UInt64] = []
        checkpoints.reserveCapacity((n + ColdReports.checkpointEvery - 1) / ColdReports.checkpointEvery)
        var cap = 16
        while cap <= n + n / 3 { cap <<= 1 }
        // The cold reports' saved table, when it is as large as this one must be:
        // ids never change, so it only needs the new ones placed.
        let reuse = reports.cold.map { $0.savedTable && $0.tableCapacity == cap } ?? false
        var table = reuse ? reports.cold!.tableSlots() : [UInt32](repeating: 0, count: cap)
        var longest = 0
        func place(_ id: UnsafeBufferPointer<UInt8>, _ i: Int) {
            var k = Int(truncatingIfNeeded: ReportIndex.hash(bytes: id, seed: ColdReports.tableSeed)) & (cap - 1)
            var probe = 0
            while table[k] != 0 { k = (k + 1) & (cap - 1); probe += 1 }
            table[k] = UInt32(i + 1)
            longest = max(longest, probe)
        }
        func encode(_ r: ReportState) {
            fields.bytes.removeAll(keepingCapacity: true)
            fields.string(r.id)
            fields.unsigned(UInt64(r.sectorIndex))
            fields.signed(r.observed.seconds)
            fields.signed(r.firstAt.seconds)
            fields.unsigned(UInt64(ReportStatus.allCases.firstIndex(of: r.status)!))
            fields.signed(Int64(r.incident))
            fields.unsigned((r.counting ? 1 : 0) | (r.arms ? 2 : 0))
            fields.string(r.kind)
            fields.unsigned(UInt64(Scale.allCases.firstIndex(of: r.scale)!))
            fields.string(r.source)
            fields.string(r.note)
            area.unsigned(UInt64(fields.bytes.count))
            area.bytes += fields.bytes
        }
        let changed = reports.changed
        reports.cold?.withRawRecords { i, raw, id in
            if i % ColdReports.checkpointEvery == 0 { checkpoints.append(UInt64(area.bytes.count)) }
            if !changed.isEmpty, let r = changed[Int32(i)] { encode(r) } else { area.bytes.append(contentsOf: raw) }
            if !reuse { place(id, i) }
        }
        let c = reports.coldCount
        for (k, r) in reports.fresh.enumerated() {
            if (c + k) % ColdReports.checkpointEvery == 0 { checkpoints.append(UInt64(area.bytes.count)) }
            encode(r)
            withBytes(of: r.id) { place($0, c + k) }
        }
        w.unsigned(UInt64(area.bytes.count))
        w.bytes += area.bytes
        w.littleEndian(checkpoints)
        if longest > ColdReports.maxProbe {
            w.unsigned(0)  // ids that collide under the fixed seed: the restorer indexes them itself
        } else {
            w.unsigned(UInt64(cap))
            w.littleEndian(table)
        }
    }

    /// Restores an engine from `snapshot()` bytes, for `policy`. Throws when
    /// the bytes are damaged, of another format, or saved under another policy.
    public init(snapshot bytes: [UInt8], policy: Policy) throws(SnapshotError) {
        self = try bytes.withUnsafeBufferPointer { (all) throws(SnapshotError) -> Engine in
            try Engine.restore(all, array: bytes, policy: policy)
        }
    }

    /// The checksum a snapshot ends with, over the bytes before it (tests
    /// use it to build well-summed damage).
    public static func snapshotChecksum(of body: [UInt8]) -> UInt64 {
        body.withUnsafeBufferPointer { checksum64($0) }
    }

    /// How every snapshot saved under `policy` by this truce begins: a reader
    /// can pass over others by their first bytes, without reading them whole.
    public static func snapshotHeader(for policy: Policy) -> [UInt8] {
        var w = ByteWriter()
        w.bytes += snapshotMagic
        w.unsigned(UInt64(snapshotFormat))
        write(policy, to: &w)
        return w.bytes
    }

    private static func write(_ policy: Policy, to w: inout ByteWriter) {
        w.signed(policy.tier1Window)
        w.signed(policy.tier3After)
        w.signed(policy.ackReminder)
        w.unsigned(UInt64(policy.roster.count))
        for m in policy.roster {
            w.string(m.code)
            w.string(m.name)
            w.signed(Int64(m.tier))
            w.string(m.role)
        }
    }

    private static func restore(_ all: UnsafeBufferPointer<UInt8>, array: [UInt8], policy: Policy) throws(SnapshotError) -> Engine {
        guard all.count >= 12, all.prefix(4).elementsEqual(snapshotMagic) else { throw SnapshotError("not an engine snapshot") }
        let body = UnsafeBufferPointer(rebasing: all[..<(all.count - 8)])
        var sum: UInt64 = 0
        for k in 0..<8 { sum |= UInt64(all[all.count - 8 + k]) << (8 * k) }
        guard checksum64(body) == sum else { throw SnapshotError("snapshot checksum does not match: damaged") }
        var r = ByteReader(body, at: 4)
        let format = try r.unsigned()
        guard format == snapshotFormat else { throw SnapshotError("snapshot format \(format), this truce reads \(snapshotFormat)") }
        var expected = ByteWriter()
        write(policy, to: &expected)
        guard try r.take(expected.bytes.count).elementsEqual(expected.bytes) else {
            throw SnapshotError("snapshot was saved under another policy")
        }
        let mode: Mode = try r.unsigned(below: 2) == 0 ? .replay : .live
        var e = Engine(policy: policy, mode: mode)
        e.clock = try r.instant()
        if try r.bool() {
            let title = try r.string()
            let start = try r.instant()
            let speed: Double? = try r.bool() ? Double(bitPattern: try r.fixed64()) : nil
            e.scenario = ScenarioHeader(title: title, start: start, speed: speed)
        }
        e.origin = try r.instant()
        e.start = try r.instant()
        e.lastAcceptedAt = try r.instant()
        e.acceptedCount = try r.int()
        e.rejectedCount = try r.int()
        e.recordsSeen = try r.int()
        e.settledThrough = try r.signed()
        e.pendingLive = try r.int()

        var highestIncident: Int32 = -1  // checked once the incidents are read
        let sectorCount = try r.count()
        e.sectors.reserveCapacity(sectorCount)
        e.sectorByKey.reserveCapacity(sectorCount)
        for n in 0..<sectorCount {
            let name = try r.string() ?? ""
            let key = try r.string() ?? ""
            var s = SectorState(name: name, key: key)
            s.openIncident = Int32(try r.signed(in: -1...Int64(Int32.max)))
            highestIncident = max(highestIncident, s.openIncident)
            guard e.sectorByKey.updateValue(Int32(n), forKey: key) == nil else { throw SnapshotError("sector \"\(key)\" twice") }
            e.sectors.append(s)
        }
        // The reports stay in the bytes (ColdReports); their section is checked here.
        let reportsFrame = try ColdReports.frame(&r)
        let reportCount = reportsFrame.count
        let incidentCount = try r.count()
        e.incidents.reserveCapacity(incidentCount)
        // Member codes repeat in every incident: the roster's own strings, as bytes to match.
        let roster = policy.roster.map { (bytes: Array($0.code.utf8), code: $0.code) }
        for n in 0..<incidentCount {
            let sectorIndex = try r.int(below: sectorCount)
            let sector = try r.string() ?? ""
            let t0 = Instant(seconds: try r.signed())
            let openedAt = Instant(seconds: try r.signed())
            let deadline = Instant(seconds: try r.signed())
            let tier3At = Instant(seconds: try r.signed())
            let tier = try r.int(below: 4)
            guard tier >= 1 else { throw SnapshotError("incident at tier 0") }
            let tierAt = Instant(seconds: try r.signed())
            var tierTimes: [Instant] = []
            for _ in 0..<(try r.count()) { tierTimes.append(Instant(seconds: try r.signed())) }
            guard tierTimes.count == tier else { throw SnapshotError("incident tier times do not match its tier") }
            var inc = Incident(number: n + 1, id: Incident.id(number: n + 1), sectorIndex: sectorIndex, sector: sector,
                               t0: t0, openedAt: openedAt, tier1Deadline: deadline, tier3At: tier3At,
                               tierAt: tierAt, tierTimes: tierTimes, lastAlertAt: openedAt)
            inc.tier = tier
            inc.status = IncidentStatus.allCases[try r.int(below: IncidentStatus.allCases.count)]
            inc.closedAt = try r.instant()
            inc.closedBy = try r.string()
            inc.step = Tier1Step.allCases[try r.int(below: Tier1Step.allCases.count)]
            inc.stepCompletedAt = try r.instant()
            inc.acknowledged = try r.bool()
            inc.lastAlertAt = Instant(seconds: try r.signed())
            inc.countingReports = try r.int()
            inc.armingReports = try r.int()
            let reportsHere = try r.count()
            inc.reportIndices.reserveCapacity(reportsHere)
            for _ in 0..<reportsHere { inc.reportIndices.append(Int32(try r.int(below: reportCount))) }
            let notified = try r.count()
            inc.notified.reserveCapacity(notified)
            for _ in 0..<notified { inc.notified.append(try r.code(roster) ?? "") }
            let answers = try r.count()
            if answers > 0 { inc.answers.reserveCapacity(answers) }
            for _ in 0..<answers {
                let code = try r.code(roster) ?? ""
                inc.answers[code] = RosterAnswer.allCases[try r.int(below: RosterAnswer.allCases.count)]
            }
            inc.deadlineGen = UInt32(try r.unsigned(below: 1 << 32))
            inc.tier3Gen = UInt32(try r.unsigned(below: 1 << 32))
            inc.reminderGen = UInt32(try r.unsigned(below: 1 << 32))
            e.incidents.append(inc)
        }
        guard highestIncident < incidentCount else { throw SnapshotError("an incident named before it exists") }
        e.reports = ReportTable(cold: try ColdReports(array, reportsFrame, sectorCount: sectorCount, incidentCount: incidentCount))
        for _ in 0..<(try r.count()) { e.pendingOrder.append(Int32(try r.int(below: reportCount))) }
        for _ in 0..<(try r.count()) {
            let due = try r.signed()
            let incident = Int32(try r.int(below: incidentCount))
            guard let kind = TimerKind(rawValue: UInt8(try r.unsigned(below: 3))), kind != .reminder else {
                throw SnapshotError("a reminder in the saved timers")
            }
            e.timers.push(Timer(due: due, incident: incident, kind: kind, generation: UInt32(try r.unsigned(below: 1 << 32))))
        }
        for _ in 0..<(try r.count()) {
            let line = try r.int()
            e.unstamped.append((line, try r.string() ?? ""))
        }
        guard r.atEnd else { throw SnapshotError("snapshot has trailing bytes") }
        e.rebuildReminders()
        return e
    }

    /// Queues each open, unacknowledged incident's next reminder: the first
    /// one after its last alert, on its 15-minute grid, not yet due (R9).
    private mutating func rebuildReminders() {
        let every = policy.ackReminder
        guard every > 0 else { return }
        // Fields read in place: taking each incident out copies all it holds.
        for n in incidents.indices where incidents[n].status == .open && !incidents[n].acknowledged {
            let base = incidents[n].lastAlertAt.seconds
            var steps: Int64 = 1
            if settledThrough >= base {
                let (gap, o) = settledThrough.subtractingReportingOverflow(base)
                if o { continue }
                steps = gap / every + 1
            }
            let (jump, o1) = steps.multipliedReportingOverflow(by: every)
            let (due, o2) = base.addingReportingOverflow(jump)
            if o1 || o2 { continue }  // past the end of time: never wanted
            timers.push(Timer(due: due, incident: Int32(n), kind: .reminder, generation: incidents[n].reminderGen))
        }
    }
}

/// The snapshot checksum: four lanes of 8-byte words, each step
/// `lane = rotl((lane ^ word) * odd, 31)`, then the tail and the length.
/// Every step is a bijection of the lane for a given word, so a change to any
/// one word (a flipped bit, say) always changes the result; a run of
/// independent lanes reads about 8 bytes a cycle.
func checksum64(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let k0: UInt64 = 0x9E37_79B9_7F4A_7C15, k1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @inline(__always) func step(_ lane: UInt64, _ w: UInt64) -> UInt64 {
        let x = (lane ^ w) &* k1
        return (x << 31) | (x >> 33)
    }
    var a: UInt64 = k0, c: UInt64 = k0 &* 3, d: UInt64 = k0 &* 5, e: UInt64 = k0 &* 7
    let n = b.count
    var i = 0
    if let p = UnsafeRawPointer(b.baseAddress) {
        while i + 32 <= n {
            a = step(a, p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            c = step(c, p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            d = step(d, p.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
            e = step(e, p.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
            i += 32
        }
    }
    var h = step(step(step(a, c), d), e)
    while i < n {
        h = step(h, UInt64(b[i]) | 0x100)  // | 0x100: a zero byte still changes the lane
        i += 1
    }
    h = step(h, UInt64(n))
    h ^= h >> 29
    return h
}

/// Appends LEB128 varints, strings and fixed words.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func unsigned(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func signed(_ v: Int64) { unsigned(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    mutating func fixed64(_ v: UInt64) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
    }

    /// Fixed-width words, little-endian, in one copy.
    mutating func littleEndian<W: FixedWidthInteger>(_ words: [W]) {
        let le = words.map(\.littleEndian)  // the same array on a little-endian machine
        le.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Length + 1, then UTF-8; 0 for nil.
    mutating func string(_ text: String?) {
        guard let s = text else { return unsigned(0) }
        withBytes(of: s) { u in
            unsigned(UInt64(u.count) + 1)
            bytes.append(contentsOf: u)
        }
    }

    mutating func instant(_ t: Instant?) {
        bool(t != nil)
        if let t { signed(t.seconds) }
    }
}

/// Reads what `ByteWriter` wrote; every read is bounds-checked and throws on damage.
struct ByteReader {
    let buffer: UnsafeBufferPointer<UInt8>
    var index: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) {
        self.buffer = buffer
        self.index = index
    }

    var atEnd: Bool { index == buffer.count }
    static let damaged = SnapshotError("snapshot is damaged")

    mutating func byte() throws(SnapshotError) -> UInt8 {
        guard index < buffer.count else { throw ByteReader.damaged }
        defer { index += 1 }
        return buffer[index]
    }

    @inline(__always)
    mutating func unsigned() throws(SnapshotError) -> UInt64 {
        // Most numbers are one byte.
        if index < buffer.count, buffer[index] < 0x80 {
            defer { index += 1 }
            return UInt64(buffer[index])
        }
        return try unsignedLong()
    }

    private mutating func unsignedLong() throws(SnapshotError) -> UInt64 {
        // Up to eight bytes (56 bits: every report index and time a snapshot
        // holds) from one load: the first byte without its high bit ends the
        // number, and the 7-bit groups are packed together in three steps.
        if buffer.count - index >= 8, let base = buffer.baseAddress {
            let w = ByteWord.load(base + index)
            let ends = ~w & 0x8080_8080_8080_8080
            if ends != 0 {
                let length = ends.trailingZeroBitCount / 8 + 1
                var x = (length == 8 ? w : w & ((1 << (8 * UInt64(length))) - 1)) & 0x7F7F_7F7F_7F7F_7F7F
                x = ((x & 0x7F00_7F00_7F00_7F00) >> 1) | (x & 0x007F_007F_007F_007F)
                x = ((x & 0x3FFF_0000_3FFF_0000) >> 2) | (x & 0x0000_3FFF_0000_3FFF)
                x = ((x & 0x0FFF_FFFF_0000_0000) >> 4) | (x & 0x0000_0000_0FFF_FFFF)
                index += length
                return x
            }
        }
        var v: UInt64 = 0
        var shift: UInt64 = 0
        var k = index
        while k < buffer.count {
            let b = buffer[k]
            guard shift < 64, shift < 63 || b <= 1 else { throw ByteReader.damaged }
            v |= UInt64(b & 0x7f) << shift
            k += 1
            if b < 0x80 {
                index = k
                return v
            }
            shift += 7
        }
        throw ByteReader.damaged
    }

    @inline(__always)
    mutating func unsigned(below limit: UInt64) throws(SnapshotError) -> UInt64 {
        let v = try unsigned()
        guard v < limit else { throw ByteReader.damaged }
        return v
    }

    @inline(__always)
    mutating func signed() throws(SnapshotError) -> Int64 {
        let u = try unsigned()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    mutating func signed(in range: ClosedRange<Int64>) throws(SnapshotError) -> Int64 {
        let v = try signed()
        guard range.contains(v) else { throw ByteReader.damaged }
        return v
    }

    /// A non-negative count or number that fits an `Int`.
    mutating func int() throws(SnapshotError) -> Int { Int(try signed(in: 0...Int64(Int32.max))) }

    @inline(__always)
    mutating func int(below limit: Int) throws(SnapshotError) -> Int { Int(try unsigned(below: UInt64(limit))) }

    /// A length that the remaining bytes could hold (each element takes at least one).
    @inline(__always)
    mutating func count() throws(SnapshotError) -> Int {
        let n = try unsigned()
        guard n <= UInt64(buffer.count - index) else { throw ByteReader.damaged }
        return Int(n)
    }

    mutating func bool() throws(SnapshotError) -> Bool { try unsigned(below: 2) == 1 }

    mutating func fixed64() throws(SnapshotError) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(try byte()) << (8 * k) }
        return v
    }

    mutating func take(_ n: Int) throws(SnapshotError) -> UnsafeBufferPointer<UInt8> {
        guard n >= 0, n <= buffer.count - index else { throw ByteReader.damaged }
        defer { index += n }
        return UnsafeBufferPointer(rebasing: buffer[index..<(index + n)])
    }

    mutating func string() throws(SnapshotError) -> String? {
        let n = try unsigned()
        if n == 0 { return nil }
        guard n - 1 <= UInt64(buffer.count - index) else { throw ByteReader.damaged }
        let u = try take(Int(n - 1))
        // Invalid UTF-8 is damage (decoding would repair it silently).
        guard firstInvalidUTF8(u) == nil else { throw ByteReader.damaged }
        return String(decoding: u, as: UTF8.self)
    }

    /// A string that is usually one of `known` (a roster's member codes):
    /// that string when its bytes match one, else decoded as `string()` does.
    mutating func code(_ known: [(bytes: [UInt8], code: String)]) throws(SnapshotError) -> String? {
        let start = index
        let n = try unsigned()
        if n > 1, n - 1 <= UInt64(buffer.count - index) {
            let length = Int(n - 1)
            for k in known where k.bytes.count == length {
                let same = k.bytes.withUnsafeBufferPointer { kb in
                    var j = 0
                    while j < length, kb[j] == buffer[index + j] { j += 1 }
                    return j == length
                }
                if same {
                    index += length
                    return k.code
                }
            }
        }
        index = start
        return try string()
    }

    mutating func instant() throws(SnapshotError) -> Instant? {
        try bool() ? Instant(seconds: try signed()) : nil
    }
}
