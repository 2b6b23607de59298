import Testing
@testable import TruceEngine

/// The report-id table behind `Engine.report(id:)`: every id found, through
/// the table's growth and after a snapshot restore, and no id that is not there.
@Suite("Report ids")
struct ReportIndexTests {
    /// Ids of every length (the hash reads 8 bytes a step, then a tail),
    /// near-twins, non-ASCII and the empty-looking.
    static let ids: [String] = {
        var ids: [String] = []
        for n in 0..<3000 { ids.append("R-\(n)") }
        for n in 0..<200 { ids.append(String(repeating: "x", count: n % 40 + 1) + "\(n)") }
        ids += ["é", "e\u{301}", "🇺🇦", "R-1\u{200B}", "R-01", "r-1", "R-1 "]
        return ids
    }()

    @Test func everyIdIsFoundAndNoOther() throws {
        var engine = Engine()
        engine.process(line: #"{"type":"scenario","start":"2026-02-10T00:00:00Z"}"#, number: 1)
        for (n, id) in ReportIndexTests.ids.enumerated() {
            engine.process(line: #"{"type":"report","id":"\#(id)","sector":"S\#(n % 7)","status":"reported","at":"+\#(n)s"}"#,
                           number: n + 2)
        }
        #expect(engine.rejectedCount == 0)
        func check(_ e: Engine) {
            for (n, id) in ReportIndexTests.ids.enumerated() {
                #expect(e.report(id: id).map { e.sectors[$0.sectorIndex].name } == "S\(n % 7)")
                #expect(e.report(id: id)?.id == id)
            }
            for absent in ["R-3000", "R-", "", "R-1\u{200C}", "x", String(repeating: "x", count: 41)] {
                #expect(e.report(id: absent) == nil)
            }
        }
        check(engine)
        check(try Engine(snapshot: engine.snapshot(), policy: .standard))
    }

    /// A second report with an id already taken is an update, not a new report.
    @Test func aRepeatedIdUpdatesTheSameReport() {
        var engine = Engine()
        engine.process(line: #"{"type":"report","id":"R-7","sector":"Lyman","status":"reported","at":"2026-02-10T00:00:00Z"}"#, number: 1)
        engine.process(line: #"{"type":"report","id":"R-7","sector":"Lyman","status":"confirmed","at":"2026-02-10T00:01:00Z"}"#, number: 2)
        #expect(engine.reports.count == 1)
        #expect(engine.report(id: "R-7")?.status == .confirmed)
    }

    /// Ids that all land in one slot of a saved table (found by trying ids
    /// under its fixed seed): the table is not saved, the restorer indexes the
    /// ids itself, and every one is still found.
    @Test func collidingIdsAreIndexedByTheRestorer() throws {
        var ids: [String] = []
        var n = 0
        while ids.count < 90 {
            let id = "C-\(n)"
            if ReportIndex.hash(id, seed: ColdReports.tableSeed) & 127 == 0 { ids.append(id) }
            n += 1
        }
        var engine = Engine()
        engine.process(line: #"{"type":"scenario","start":"2026-02-10T00:00:00Z"}"#, number: 1)
        for (k, id) in ids.enumerated() {
            engine.process(line: #"{"type":"report","id":"\#(id)","sector":"Lyman","status":"reported","at":"+\#(k)s"}"#, number: k + 2)
        }
        let saved = engine.snapshot()
        let restored = try Engine(snapshot: saved, policy: .standard)
        #expect(restored.reports.cold?.savedTable == false)
        for id in ids { #expect(restored.report(id: id)?.id == id) }
        #expect(restored.report(id: "C-x") == nil)
        #expect(restored.snapshot() == saved)
        // Without the collisions, the table is saved and used.
        let plain = try Engine(snapshot: { var e = Engine(); e.process(line: report("R-1", at: testStart), number: 1); return e.snapshot() }(),
                               policy: .standard)
        #expect(plain.reports.cold?.savedTable == true)
        #expect(plain.report(id: "R-1") != nil)
    }
}

/// Room reserved ahead (a replay sizes the table from its file) changes no
/// answer, whether the reports then fit in it or overflow it.
@Suite("Report room")
struct ReportRoomTests {
    @Test(arguments: [0, 10, 5000]) func reservingChangesNothing(room: Int) {
        func run(reserving: Int?) -> Engine {
            var engine = Engine()
            if let reserving { engine.reserveReports(reserving) }
            engine.process(line: #"{"type":"scenario","start":"2026-02-10T00:00:00Z"}"#, number: 1)
            for (n, id) in ReportIndexTests.ids.enumerated() {
                let status = n % 3 == 0 ? "confirmed" : "reported"
                engine.process(line: #"{"type":"report","id":"\#(id)","sector":"S\#(n % 7)","status":"\#(status)","at":"+\#(n)s"}"#,
                               number: n + 2)
            }
            return engine
        }
        let plain = run(reserving: nil), reserved = run(reserving: room)
        #expect(reserved.reports.count == plain.reports.count)
        for id in ReportIndexTests.ids { #expect(reserved.report(id: id)?.id == id) }
        #expect(reserved.report(id: "R-99999") == nil)
        #expect(reserved.snapshot() == plain.snapshot())
    }

    /// `prefetchReport` is a hint: asked for every report's id as the line is
    /// decoded (as the headless runner does), on an empty table, for new ids,
    /// repeated ones and a restored engine's, the engine ends in the same state.
    @Test func prefetchingChangesNothing() throws {
        let lines = [#"{"type":"scenario","start":"2026-02-10T00:00:00Z"}"#, #"{"type":"narrate","text":"x","at":"+0s"}"#]
            + ReportIndexTests.ids.enumerated().map { n, id in
                #"{"type":"report","id":"\#(id)","sector":"S\#(n % 7)","status":"\#(n % 3 == 0 ? "confirmed" : "reported")","at":"+\#(n)s"}"#
            } + [#"{"type":"report","id":"\#(ReportIndexTests.ids[1])","sector":"S1","status":"confirmed","at":"+9999s"}"#]
        func run(_ engine: inout Engine, prefetching: Bool) {
            var interner = StringInterner()
            var hinted = 0
            for (n, l) in lines.enumerated() {
                let bytes = Array(l.utf8)
                let d = bytes.withUnsafeBufferPointer { b in
                    prefetching ? RecordDecoder.decode(b, interning: &interner) { engine.prefetchReport(id: $0); hinted += 1 }
                        : RecordDecoder.decode(b)
                }
                engine.process(d, line: n + 1)
            }
            #expect(hinted == (prefetching ? lines.count - 2 : 0))  // every report line's id, once
        }
        var plain = Engine(), hinted = Engine()
        run(&plain, prefetching: false)
        run(&hinted, prefetching: true)
        #expect(hinted.snapshot() == plain.snapshot())
        var restored = try Engine(snapshot: plain.snapshot(), policy: .standard)
        var again = try Engine(snapshot: plain.snapshot(), policy: .standard)
        run(&restored, prefetching: true)
        run(&again, prefetching: false)
        #expect(restored.snapshot() == again.snapshot())
    }
}

/// The spelling → sector cache in front of the sector keys: exact spellings
/// hit, equivalent ones (case, spaces, invisible characters, a decomposed
/// accent) still reach the same sector through the key, and a full cache
/// only stops remembering.
@Suite("Sector spellings")
struct SpellingCacheTests {
    @Test func everySpellingOfASectorReachesIt() {
        var engine = Engine()
        engine.process(line: #"{"type":"scenario","start":"2026-02-10T00:00:00Z"}"#, number: 1)
        let spellings = ["Pokrovsk", "pokrovsk", " POKROVSK ", "Pok\\u200Brovsk", "Pokrovsk", "Kherson", "kherson",
                         "Orikhiv é", "orikhiv e\\u0301", "ORIKHIV É", "Orikhiv é"]
        for (n, s) in spellings.enumerated() {
            engine.process(line: #"{"type":"report","id":"R-\#(n)","sector":"\#(s)","status":"reported","at":"+\#(n)s"}"#,
                           number: n + 2)
        }
        #expect(engine.rejectedCount == 0)
        #expect(engine.sectors.map(\.name) == ["Pokrovsk", "Kherson", "Orikhiv é"])
        #expect((0..<spellings.count).map { engine.report(id: "R-\($0)")!.sectorIndex } == [0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2])
    }

    @Test func aFullCacheStopsRememberingButKeepsWhatItHas() {
        var cache = SpellingCache()
        for n in 0..<(SpellingCache.limit + 10) { cache.remember("s\(n)", Int32(n % 50)) }
        #expect(cache.count == SpellingCache.limit)
        #expect(cache.sector("s0") == 0)
        #expect(cache.sector("s\(SpellingCache.limit - 1)") == Int32((SpellingCache.limit - 1) % 50))
        #expect(cache.sector("s\(SpellingCache.limit)") == nil)
        #expect(cache.sector("S0") == nil)
    }
}

/// Snapshot numbers (LEB128): a number of up to eight bytes with eight bytes
/// to read is decoded from one word, others byte by byte; both ways give
/// what was written, stop where it ends, and refuse the same damage.
@Suite("Snapshot varints")
struct VarintTests {
    @Test func everyLengthReadsBackWithAndWithoutRoomForAWord() {
        var values: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, 1_770_000_000, 3_540_000_001, .max, 1 << 63]
        for bits in stride(from: 7, through: 63, by: 7) { values += [(1 << UInt64(bits)) - 1, 1 << UInt64(bits)] }
        var seed: UInt64 = 0x1234_5678
        for _ in 0..<200 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1
            values.append(seed >> (seed & 63))
        }
        for v in values {
            for padding in 0...9 {
                var w = ByteWriter()
                w.unsigned(v)
                let length = w.bytes.count
                w.bytes += [UInt8](repeating: 0xFF, count: padding)
                let (read, end) = w.bytes.withUnsafeBufferPointer { b -> (UInt64?, Int) in
                    var r = ByteReader(b, at: 0)
                    return (try? r.unsigned(), r.index)
                }
                #expect(read == v, "\(v) with \(padding) bytes after it")
                #expect(end == length)
            }
        }
    }

    @Test func overlongAndUnendedNumbersAreRefused() {
        for bytes: [UInt8] in [[UInt8](repeating: 0xFF, count: 11), [UInt8](repeating: 0x80, count: 9) + [0x02],
                               [0x80, 0x80], [UInt8](repeating: 0xFF, count: 10) + [0x01]] {
            let refused = bytes.withUnsafeBufferPointer { b -> Bool in
                var r = ByteReader(b, at: 0)
                return (try? r.unsigned()) == nil
            }
            #expect(refused, "\(bytes)")
        }
        // A number written with more bytes than it needs still reads (as every earlier truce did).
        let (zero, end) = [UInt8]([0x80, 0x80, 0x00, 0, 0, 0, 0, 0, 0]).withUnsafeBufferPointer { b -> (UInt64?, Int) in
            var r = ByteReader(b, at: 0)
            return (try? r.unsigned(), r.index)
        }
        #expect(zero == 0)
        #expect(end == 3)
    }
}
