/// The reports of a snapshot, read in place: a report is decoded when it is
/// read, and found by id through a table saved with the snapshot.
///
/// The reports section of a snapshot (`Engine.snapshot()` writes it):
///
///     count                  varint
///     area length, area      varint, then each report as [length varint][fields]
///     checkpoints            ⌈count / 16⌉ × u64 LE: where report 16k starts in the area
///     table capacity, table  varint (0: none), then capacity × u32 LE:
///                            0 empty, else index + 1, by linear probing on
///                            `ReportIndex.hash(id, seed: ColdReports.tableSeed)`
///
/// Restoring checks the section's frame (its parts fit, every checkpoint in
/// range); the snapshot's checksum has vouched for the bytes. A table entry
/// is checked as a probe reads it, and no probe runs past `maxProbe`. A report's fields are checked as it is decoded,
/// and a value out of range (which only a damaged but well-summed snapshot
/// could hold) is read as the nearest safe one: a wrong state, never a crash,
/// as with every other well-summed nonsense (see `wellSummedNonsenseIsRefused`).
final class ColdReports: Sendable {
    /// The table is saved in the snapshot, so its hash cannot change from one
    /// process to the next: a fixed seed. A table whose probes run long (ids
    /// made to collide under it) is not saved; the restorer then indexes the
    /// ids with its own per-process seed instead.
    static let tableSeed: UInt64 = 0x7472_7563_652D_6964  // "truce-id"
    /// The longest probe a saved table may need.
    static let maxProbe = 64
    static let checkpointEvery = 16

    let bytes: [UInt8]
    let count: Int
    private let area: Range<Int>
    private let checkpoints: Int  // byte position of the first checkpoint
    private let table: Int        // byte position of the first slot
    private let capacity: Int
    /// When the snapshot has no table: the ids indexed with this process's seed.
    private let fallback: ReportIndex?
    // For reading out-of-range fields as safe ones.
    private let sectorCount: Int
    private let incidentCount: Int

    /// Where the parts of a reports section are, checked.
    struct Frame {
        var count: Int
        var area: Range<Int>
        var checkpoints: Int
        var table: Int
        var capacity: Int
    }

    /// Reads and checks the section's frame at `r`, leaving `r` after it.
    static func frame(_ r: inout ByteReader) throws(SnapshotError) -> Frame {
        let n = try r.count()
        let length = try r.count()
        let start = r.index
        _ = try r.take(length)
        let marks = (n + checkpointEvery - 1) / checkpointEvery
        let checkpoints = r.index
        let cp = try r.take(marks * 8)
        var previous = -1
        for k in 0..<marks {
            let at = Int(truncatingIfNeeded: cp.load64(k * 8))
            guard at > previous, at < length, k > 0 || at == 0 else { throw ByteReader.damaged }
            previous = at
        }
        let cap = try r.count()
        let table = r.index
        if cap > 0 {
            guard cap & (cap - 1) == 0, cap > n else { throw ByteReader.damaged }
            _ = try r.take(cap * 4)  // its entries are checked as a probe reads them
        }
        return Frame(count: n, area: start..<(start + length), checkpoints: checkpoints, table: table, capacity: cap)
    }

    init(_ bytes: [UInt8], _ frame: Frame, sectorCount: Int, incidentCount: Int) throws(SnapshotError) {
        if frame.count > 0 && sectorCount == 0 { throw SnapshotError("reports without sectors") }
        self.bytes = bytes
        count = frame.count
        area = frame.area
        checkpoints = frame.checkpoints
        table = frame.table
        capacity = frame.capacity
        self.sectorCount = sectorCount
        self.incidentCount = incidentCount
        if frame.capacity > 0 || frame.count == 0 {
            fallback = nil
            return
        }
        // No table saved: index the ids here (one pass over the area).
        let n = frame.count, area = frame.area
        var index = ReportIndex(minimumCapacity: n)
        var pos = area.lowerBound
        bytes.withUnsafeBufferPointer { b in
            for i in 0..<n {
                let (body, next) = ColdReports.record(b, at: pos, end: area.upperBound)
                pos = next
                let s = String(decoding: UnsafeBufferPointer(rebasing: b[ColdReports.idBytes(b, body)]), as: UTF8.self)
                // Sized for every id: the table never grows here.
                index.insert(s, index: Int32(i))
            }
        }
        fallback = index
    }

    /// Whether ids are found through the table saved with the snapshot.
    var savedTable: Bool { capacity > 0 }
    var tableCapacity: Int { capacity }

    /// The saved table's slots (for the next snapshot to start from).
    func tableSlots() -> [UInt32] {
        bytes.withUnsafeBufferPointer { b in
            let t = UnsafeBufferPointer(rebasing: b[table..<(table + capacity * 4)])
            return (0..<capacity).map { t.load32($0 * 4) }
        }
    }

    // MARK: - Reading

    /// The report at `i` (0 ≤ i < count).
    func report(_ i: Int) -> ReportState {
        bytes.withUnsafeBufferPointer { b in
            var f = FieldReader(b, record(b, i))
            let id = f.string() ?? ""
            var sector = Int(f.unsigned())
            if sector >= sectorCount { sector = 0 }
            let observed = Instant(seconds: f.time())
            let firstAt = Instant(seconds: f.time())
            let status = ReportStatus.allCases[min(Int(f.unsigned()), ReportStatus.allCases.count - 1)]
            var incident = f.signed()
            let flags = f.unsigned()
            if incident < -1 || incident >= Int64(incidentCount) { incident = -1 }
            let kind = f.string()
            let scale = Scale.allCases[min(Int(f.unsigned()), Scale.allCases.count - 1)]
            let source = f.string()
            let note = f.string()
            return ReportState(
                id: id, sectorIndex: sector, observed: observed, firstAt: firstAt, status: status,
                incident: Int32(incident), counting: incident >= 0 && flags & 1 != 0, arms: incident >= 0 && flags & 2 != 0,
                kind: kind, scale: scale, source: source, note: note)
        }
    }

    /// The index of the report whose id is exactly `id`.
    func find(_ id: String) -> Int32? {
        if let fallback {
            return fallback.find(id) { i in self.id(Int(i)) }
        }
        guard capacity > 0 else { return nil }
        return withBytes(of: id) { want -> Int32? in
            bytes.withUnsafeBufferPointer { b -> Int32? in
                let slots = UnsafeBufferPointer(rebasing: b[table..<(table + capacity * 4)])
                let mask = capacity - 1
                var k = Int(truncatingIfNeeded: ReportIndex.hash(bytes: want, seed: ColdReports.tableSeed)) & mask
                // A table is saved only if no id is further than `maxProbe` from its slot.
                for _ in 0...ColdReports.maxProbe {
                    let v = slots.load32(k * 4)
                    if v == 0 || v > UInt32(count) { return nil }  // past the count: damage, read as empty
                    let i = Int(v) - 1
                    let have = ColdReports.idBytes(b, record(b, i))
                    if sameBytes(UnsafeBufferPointer(rebasing: b[have]), want) { return Int32(i) }
                    k = (k + 1) & mask
                }
                return nil
            }
        }
    }

    /// The id of report `i`.
    func id(_ i: Int) -> String {
        bytes.withUnsafeBufferPointer { b in
            String(decoding: UnsafeBufferPointer(rebasing: b[ColdReports.idBytes(b, record(b, i))]), as: UTF8.self)
        }
    }

    /// Report `i` as saved, length prefix included: copied as it is into the
    /// next snapshot when it has not changed.
    func withRawRecords(_ body: (_ i: Int, _ raw: UnsafeBufferPointer<UInt8>, _ id: UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { b in
            var pos = area.lowerBound
            for i in 0..<count {
                let (fields, next) = ColdReports.record(b, at: pos, end: area.upperBound)
                body(i, UnsafeBufferPointer(rebasing: b[pos..<next]), UnsafeBufferPointer(rebasing: b[ColdReports.idBytes(b, fields)]))
                pos = next
            }
        }
    }

    /// The fields of report `i`: from its checkpoint, skip by length prefixes.
    private func record(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Range<Int> {
        let mark = i / ColdReports.checkpointEvery
        var pos = area.lowerBound + Int(truncatingIfNeeded: UnsafeBufferPointer(rebasing: b[checkpoints...]).load64(mark * 8))
        var fields = pos..<pos
        for _ in 0...(i % ColdReports.checkpointEvery) {
            (fields, pos) = ColdReports.record(b, at: pos, end: area.upperBound)
        }
        return fields
    }

    /// The record starting at `pos`: its fields and where the next begins
    /// (both kept inside `end`, however the length reads).
    static func record(_ b: UnsafeBufferPointer<UInt8>, at pos: Int, end: Int) -> (Range<Int>, Int) {
        var f = FieldReader(b, pos..<end)
        let length = Int(min(f.unsigned(), UInt64(end - f.position)))
        let start = f.position
        return (start..<(start + length), start + length)
    }

    /// The id's bytes: the first field of a record.
    static func idBytes(_ b: UnsafeBufferPointer<UInt8>, _ fields: Range<Int>) -> Range<Int> {
        var f = FieldReader(b, fields)
        return f.stringRange() ?? fields.lowerBound..<fields.lowerBound
    }
}

/// Reads varints and strings inside one record, never past it: a read past
/// the end gives zero / nil (see `ColdReports` on damage).
struct FieldReader {
    let b: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int

    init(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        self.b = b
        position = range.lowerBound
        end = range.upperBound
    }

    mutating func unsigned() -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while position < end {
            let x = b[position]
            position += 1
            if shift < 64 { v |= UInt64(x & 0x7f) << shift }
            if x < 0x80 { return v }
            shift += 7
        }
        return v
    }

    mutating func signed() -> Int64 {
        let u = unsigned()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    /// A time, kept within what RFC 3339 can write.
    mutating func time() -> Int64 { min(max(signed(), -62_167_219_200), RFC3339.latest.seconds) }

    mutating func stringRange() -> Range<Int>? {
        let n = unsigned()
        if n == 0 { return nil }
        let length = Int(min(n - 1, UInt64(end - position)))
        defer { position += length }
        return position..<(position + length)
    }

    mutating func string() -> String? {
        stringRange().map { String(decoding: UnsafeBufferPointer(rebasing: b[$0]), as: UTF8.self) }
    }
}

extension UnsafeBufferPointer<UInt8> {
    @inline(__always) func load64(_ at: Int) -> UInt64 {
        UnsafeRawPointer(baseAddress!).loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian
    }

    @inline(__always) func load32(_ at: Int) -> UInt32 {
        UnsafeRawPointer(baseAddress!).loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian
    }
}
