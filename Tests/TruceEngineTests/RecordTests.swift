import Testing
@testable import TruceEngine

/// Spec §3: every rejection reason of a single record, and the clock rules.
@Suite("Records and rejections")
struct RecordTests {
    /// The reason a line alone is rejected for (decoding only).
    func reason(_ line: String) -> String? {
        switch RecordDecoder.decode(line) {
        case .skip: return nil
        case .malformed(let r): return r
        case .record(_, .failure(let e)): return e.message
        case .record(.invalid(let r), .success): return r
        case .record: return nil
        }
    }

    @Test(arguments: [
        ("", nil),
        ("   \t", nil),
        ("# a comment", nil),
        ("   # indented comment {", nil),
        ("{\"type\":\"narrate\",\"text\":\"x\",\"extra\":[1,{\"a\":null}],\"more\":true}", nil),
        ("{\"type\":\"report\",\"id\":\"\u{A0}R\",\"sector\":\"Покровськ\",\"status\":\"reported\",\"at\":\"2026-02-10T00:00:00Z\"}", nil),
        ("{\"type\":\"rep\\u006frt\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"conf\\u0069rmed\",\"scale\":\"offensive\",\"at\":\"2026-02-10T00:00:00Z\"}", nil),
    ] as [(String, String?)])
    func acceptedOrIgnoredLines(line: String, expected: String?) {
        #expect(reason(line) == expected)
    }

    @Test(arguments: [
        ("{", "not valid JSON: unexpected end of line at column 2"),
        ("{\"type\":\"report\",}", "not valid JSON: unexpected '}' at column 18"),
        ("{\"type\":'report'}", "not valid JSON: unexpected ''' at column 9"),
        ("{\"type\":\"narrate\",\"text\":\"a\"} x", "not valid JSON: unexpected data after the object at column 31"),
        ("{\"type\":\"narrate\",\"text\":\"a\tb\"}", "not valid JSON: control character in a string (must be escaped) at column 28"),
        ("{\"type\":\"narrate\",\"text\":\"\\x\"}", "not valid JSON: bad escape '\\x' at column 27"),
        ("{\"type\":\"narrate\",\"text\":\"\\ud800\"}", "not valid JSON: lone surrogate in \\u escape at column 27"),
        ("{\"type\":\"narrate\",\"n\":01}", "not valid JSON: unexpected '1' at column 24"),
        ("{\"type\":\"narrate\",\"text\":\"a\",\"text\":\"b\"}", "not valid JSON: duplicate key \"text\" at column 30"),
        ("[1,2]", "a record must be a JSON object"),
        ("\"report\"", "a record must be a JSON object"),
        ("{}", "\"type\" is required"),
        ("{\"type\":7}", "\"type\" must be a string, not a number"),
        ("{\"type\":\"alert\"}", "unknown type \"alert\" (expected scenario, report, action or narrate)"),
        ("{\"type\":\"report\",\"sector\":\"S\",\"status\":\"reported\"}", "\"id\" is required"),
        ("{\"type\":\"report\",\"id\":null,\"sector\":\"S\",\"status\":\"reported\"}", "\"id\" must be a string, not null"),
        ("{\"type\":\"report\",\"id\":\"  \",\"sector\":\"S\",\"status\":\"reported\"}", "\"id\" must not be empty"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\" \\t\",\"status\":\"reported\"}", "\"sector\" must not be empty"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"\u{A0}\u{2003}\\u3000\",\"status\":\"reported\"}", "\"sector\" must not be empty"),
        ("{\"type\":\"report\",\"id\":\"\u{2003}\u{301}\",\"sector\":\"S\",\"status\":\"reported\"}", "\"id\" must not be empty"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\"}", "\"status\" is required"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"Confirmed\"}",
         "\"status\" must be one of reported, confirmed, disputed, retracted"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"reported\",\"scale\":\"huge\"}",
         "\"scale\" must be one of minor, major, offensive"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"confirmedconfirmed\"}",
         "\"status\" must be one of reported, confirmed, disputed, retracted"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"confirme\"}",
         "\"status\" must be one of reported, confirmed, disputed, retracted"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"confirmed\\u0000\"}",
         "\"status\" must be one of reported, confirmed, disputed, retracted"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"\"}",
         "\"status\" must be one of reported, confirmed, disputed, retracted"),
        ("{\"type\":\"reports\"}", "unknown type \"reports\" (expected scenario, report, action or narrate)"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"reported\",\"kind\":3}", "\"kind\" must be a string, not a number"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"reported\",\"source\":[]}", "\"source\" must be a string, not an array"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"reported\",\"note\":{}}", "\"note\" must be a string, not an object"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"reported\",\"observed\":\"yesterday\"}",
         "\"observed\" is not an RFC 3339 time (expected like 2026-02-10T04:12:00Z)"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"reported\",\"at\":true}", "\"at\" must be a string, not a boolean"),
        ("{\"type\":\"report\",\"id\":\"R\",\"sector\":\"S\",\"status\":\"reported\",\"at\":\"2026-02-30T00:00:00Z\"}",
         "\"at\" is day 30 does not exist in 2026-02"),
        ("{\"type\":\"action\",\"incident\":\"INC-0001\"}", "\"action\" is required"),
        ("{\"type\":\"action\",\"action\":\"nuke\",\"incident\":\"INC-0001\"}",
         "\"action\" must be one of ack, warning, response, resolve, escalate, commit, decline, note"),
        ("{\"type\":\"action\",\"action\":\"ack\"}", "\"incident\" is required"),
        ("{\"type\":\"action\",\"action\":\"commit\",\"incident\":\"INC-0001\"}", "\"member\" is required for commit"),
        ("{\"type\":\"action\",\"action\":\"decline\",\"incident\":\"INC-0001\",\"member\":null}", "\"member\" must be a string, not null"),
        ("{\"type\":\"action\",\"action\":\"ack\",\"incident\":\"INC-0001\",\"by\":1}", "\"by\" must be a string, not a number"),
        ("{\"type\":\"narrate\"}", "\"text\" is required"),
        ("{\"type\":\"scenario\",\"speed\":0}", "\"speed\" must be greater than 0"),
        ("{\"type\":\"scenario\",\"speed\":-2}", "\"speed\" must be greater than 0"),
        ("{\"type\":\"scenario\",\"speed\":\"fast\"}", "\"speed\" must be a number, not a string"),
        ("{\"type\":\"scenario\",\"start\":\"+1h\"}", "\"start\" must be an absolute RFC 3339 time"),
        ("{\"type\":\"scenario\",\"title\":false}", "\"title\" must be a string, not a boolean"),
    ] as [(String, String)])
    func rejectionReasons(line: String, expected: String) {
        #expect(reason(line) == expected)
    }

    @Test func invalidUTF8IsRejectedWithItsPosition() {
        var bytes = Array(#"{"type":"narrate","text":"ab"}"#.utf8)
        bytes.insert(0xFF, at: 27)
        let decoded = bytes.withUnsafeBufferPointer { RecordDecoder.decode($0) }
        #expect(decoded == .malformed("not valid UTF-8 (byte 28)"))
        // An overlong encoding and a UTF-16 surrogate in UTF-8 are invalid too.
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] {
            let line = Array(#"{"type":"narrate","text":""#.utf8) + bad + Array(#""}"#.utf8)
            let d = line.withUnsafeBufferPointer { RecordDecoder.decode($0) }
            #expect(d == .malformed("not valid UTF-8 (byte 27)"))
        }
    }

    /// The check reads 32 and then 8 ASCII bytes at a time: a bad byte at
    /// every offset of a long line is found where it is, and a good two-byte
    /// character anywhere passes.
    @Test func badUTF8IsFoundAtEveryOffsetOfALongLine() {
        let head = Array(#"{"type":"narrate","text":""#.utf8), tail = Array(#""}"#.utf8)
        for k in 0...90 {
            let text = Array(repeating: UInt8(ascii: "x"), count: 90)
            var bad = text
            bad.insert(0xFF, at: k)
            let line = head + bad + tail
            #expect(line.withUnsafeBufferPointer { RecordDecoder.decode($0) } == .malformed("not valid UTF-8 (byte \(head.count + k + 1))"))
            var good = text
            good.insert(contentsOf: [0xD0, 0x9F], at: k)  // П
            let fine = (head + good + tail).withUnsafeBufferPointer { RecordDecoder.decode($0) }
            #expect(fine == .record(at: .absent, body: .success(.narrate(String(decoding: good, as: UTF8.self)))))
        }
    }

    /// Decoding through an interner gives what decoding without one gives,
    /// line after line: repeated values, look-alikes that are equal as
    /// Strings but not as bytes (`é` and `e` + U+0301), values of 0-40 bytes
    /// (32 is the longest kept), escaped ones, and more distinct values than
    /// the table holds (entries replaced).
    @Test func internedDecodingMatchesPlainDecoding() {
        var lines: [String] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN")
        for n in 0...40 {
            let v = String(alphabet.prefix(n))
            lines.append(#"{"type":"report","id":"R-\#(n)","sector":"S\#(v)","status":"reported","kind":"\#(v)","source":"\#(v)"}"#)
        }
        for sector in ["Caf\u{E9}", "Cafe\u{301}", "Caf\u{E9}", "Покровськ", "Покровськ 2", "Pok\\u0072ovsk", "Pokrovsk"] {
            lines.append(#"{"type":"report","id":"X","sector":"\#(sector)","status":"confirmed","kind":"\#(sector)"}"#)
        }
        for k in 0..<3000 {  // more than the table's 1,024 entries, each seen twice
            lines.append(#"{"type":"action","action":"note","incident":"INC-\#(k % 1500)","by":"op\#(k % 7)","member":"M\#(k)"}"#)
        }
        var interner = StringInterner()
        for l in lines + lines {
            let bytes = Array(l.utf8)
            let plain = RecordDecoder.decode(l)
            let interned = bytes.withUnsafeBufferPointer { RecordDecoder.decode($0, interning: &interner) }
            #expect(interned == plain, "\(l)")
            if case .record(_, .success(.report(let a))) = interned, case .record(_, .success(.report(let b))) = plain {
                let kindA: [UInt8] = a.kind.map { Array($0.utf8) } ?? [], kindB: [UInt8] = b.kind.map { Array($0.utf8) } ?? []
                let sectorA = Array(a.sector.utf8), sectorB = Array(b.sector.utf8)
                #expect(sectorA == sectorB)
                #expect(kindA == kindB)
            }
        }
    }

    @Test func escapesDecodeIncludingSurrogatePairs() {
        let d = RecordDecoder.decode(#"{"type":"narrate","text":"\u041f\u043e \ud83d\ude80 \"q\" \\ \/ \n"}"#)
        #expect(d == .record(at: .absent, body: .success(.narrate("По 🚀 \"q\" \\ / \n"))))
    }

    /// The scanner reads eight bytes of a string at a time up to the first
    /// quote, backslash or control character: each at every offset of a long
    /// value is found where it is.
    @Test func stringStopsAreFoundAtEveryOffset() {
        let plain = String(repeating: "abcdefgh", count: 3)
        for k in 0...plain.count {
            let before = String(plain.prefix(k)), after = String(plain.dropFirst(k))
            let escaped = RecordDecoder.decode(#"{"type":"narrate","text":""# + before + #"\"\n"# + after + #""}"#)
            #expect(escaped == .record(at: .absent, body: .success(.narrate(before + "\"\n" + after))), "escape at \(k)")
            let control = RecordDecoder.decode(#"{"type":"narrate","text":""# + before + "\u{1}" + after + #""}"#)
            #expect(control == .malformed("not valid JSON: control character in a string (must be escaped) at column \(27 + k)"),
                    "control at \(k)")
            let cut = RecordDecoder.decode(#"{"type":"narrate","text":""# + before + #"","id":"x"}"#)
            #expect(cut == .record(at: .absent, body: .success(.narrate(before))), "quote at \(k)")
        }
    }

    /// Keys of up to 8 plain bytes are named from one 8-byte load; the
    /// packed names agree with the byte-by-byte lookup for every field name
    /// and its near misses, and longer, escaped, unknown and end-of-line keys
    /// still read as before.
    @Test func shortKeysAreNamedAsTheLongWayNamesThem() {
        func packed(_ s: String) -> UInt64 {
            var w: UInt64 = 0
            for (k, c) in s.utf8.enumerated() { w |= UInt64(c) << (8 * UInt64(k)) }
            return w
        }
        func slow(_ s: String) -> Field? {
            var a = Array(s.utf8)
            return a.withUnsafeMutableBufferPointer { Field.lookup(UnsafeBufferPointer($0)) }
        }
        func named(_ s: String) -> Field? { Field.names.firstIndex(of: s).flatMap(Field.init(rawValue:)) }
        var keys: [String] = ["", "a", "i", "t", "zz", "typ", "Type", "TYPE", "atx", "xat", "observe", "incidents"]
        for name in Field.names {
            keys += [name, String(name.dropLast()), String(name.dropFirst()), name + "s", "_" + name, name.uppercased()]
        }
        for key in keys {
            if key.utf8.count <= 8 { #expect(Field.lookup(packed: packed(key)) == named(key), "\(key)") }
            #expect(slow(key) == named(key), "\(key)")
            #expect(slow(key + "\u{0}") == nil && slow("\u{0}" + key) == nil, "\(key) with a NUL")
        }
        for field in Field.allCases { #expect(Field.lookup(packed: packed(field.name)) == field) }

        let line = #"{"":0,"x":1,"tex":2,"texts":3,"textextext":4,"ty\u0070e":"narrate","\u0074ext":"a","observed":null,"id\u0000":5}"#
        #expect(RecordDecoder.decode(line) == .record(at: .absent, body: .success(.narrate("a"))))
        // A key with a NUL in it (escaped) is no field: not a second "id".
        #expect(RecordDecoder.decode(#"{"type":"narrate","text":"a","id\u0000":1,"id":2}"#)
                == .record(at: .absent, body: .success(.narrate("a"))))
        // A key whose quote is past the next eight bytes, or close to the end of the line.
        #expect(RecordDecoder.decode(#"{"type":"narrate","incidentX":1,"text":"b"}"#)
                == .record(at: .absent, body: .success(.narrate("b"))))
        #expect(RecordDecoder.decode(#"{"text":"c","type":"narrate"}"#) == .record(at: .absent, body: .success(.narrate("c"))))
        #expect(RecordDecoder.decode(#"{"type":"narrate","text":"d","id":1}"#) == .record(at: .absent, body: .success(.narrate("d"))))
        #expect(RecordDecoder.decode(#"{"type":"narrate","text":"e","tex"#)
                == .malformed("not valid JSON: unterminated string at column 34"))
        #expect(RecordDecoder.decode("{\"ty\tpe\":1}") == .malformed("not valid JSON: control character in a string (must be escaped) at column 5"))
        #expect(RecordDecoder.decode(#"{"text":"a","type":"narrate","text":"b"}"#)
                == .malformed(#"not valid JSON: duplicate key "text" at column 30"#))
        // Eight-byte keys: the quote is the ninth byte.
        #expect(RecordDecoder.decode(#"{"type":"narrate","incident":[1],"observed":{},"text":"f"}"#)
                == .record(at: .absent, body: .success(.narrate("f"))))
        #expect(RecordDecoder.decode(#"{"type":"narrate","observed":1,"observed":2}"#)
                == .malformed(#"not valid JSON: duplicate key "observed" at column 32"#))
        #expect(RecordDecoder.decode(#"{"type":"action","action":"ack","incident":"INC-0001"}"#)
                == .record(at: .absent, body: .success(.action(ActionRecord(action: .ack, incident: "INC-0001")))))
    }

    @Test func fieldsOfOtherTypesAreIgnoredEvenWithOddValues() {
        // `member` is not a field of a report; `sector` is not one of an action.
        #expect(reason(#"{"type":"report","id":"R","sector":"S","status":"reported","member":7}"#) == nil)
        #expect(reason(#"{"type":"action","action":"ack","incident":"INC-0001","sector":null}"#) == nil)
    }

    // MARK: - Clock rules (spec §3)

    @Test func recordEarlierThanTheClockIsRejectedAndStampedWithTheClock() {
        #expect(timeline([report("R-1", at: "+2h"), report("R-2", "Lyman", at: "+1h")], until: "+3h") == [
            "+2h00m incident.opened INC-0001 t1 R-1",
            "+2h00m input.rejected line 3: \"at\" 2026-02-10T01:00:00Z is earlier than the clock (2026-02-10T02:00:00Z)",
        ])
    }

    @Test func aRejectedRecordWithAValidAtStillAdvancesTheClock() {
        #expect(timeline([report("R-1", at: "+0s"), report("R-2", status: "bogus", at: "+25h"),
                          report("R-3", at: "+24h30m")], until: "+26h") == [
            "+0h00m incident.opened INC-0001 t1 R-1",
            "+24h00m tier1.overdue INC-0001 t1",
            "+25h00m input.rejected line 3: \"status\" must be one of reported, confirmed, disputed, retracted",
            "+25h00m input.rejected line 4: \"at\" 2026-02-11T00:30:00Z is earlier than the clock (2026-02-11T01:00:00Z)",
        ])
    }

    @Test func recordWithoutAtTakesTheClock() {
        #expect(timeline([report("R-1", at: "+1h"), action("ack")], until: "+2h") == [
            "+1h00m incident.opened INC-0001 t1 R-1",
            "+1h00m incident.acknowledged INC-0001",
        ])
    }

    /// RFC 3339 writes four-digit years: a time past 9999 is rejected, not written
    /// as something a reader of the timeline cannot parse; overlong durations too.
    @Test func timesPastYear9999AreRejected() {
        let lines = [#"{"type":"narrate","text":"far","at":"+3000000d"}"#,
                     #"{"type":"narrate","text":"farther","at":"+9223372036854775000s"}"#,
                     #"{"type":"narrate","text":"last day","at":"9999-12-31T23:59:59Z"}"#]
        #expect(runEngine(lines).1.map(describe) == [
            "+0h00m input.rejected line 2: \"at\" falls after 9999-12-31T23:59:59Z, the last time RFC 3339 can write",
            "+0h00m input.rejected line 3: \"at\" is too long a duration (the limit is 100,000 years)",
            "+69897671h59m59s narration",
        ])
    }

    @Test func withoutAStartTheFirstTimelessRecordWaitsForTheFirstKnownTime() {
        let lines = [#"{"type":"narrate","text":"no time yet"}"#,
                     #"{"type":"narrate","text":"relative","at":"+1h"}"#,
                     #"{"type":"narrate","text":"now","at":"2026-02-10T05:00:00Z"}"#]
        let events = runEngine(lines, header: false).1.map(describe)
        #expect(events == [
            "+5h00m input.rejected line 1: no time known: a record without \"at\" needs a scenario start or an earlier record's \"at\"",
            "+5h00m input.rejected line 2: \"at\" is relative but the file has no scenario start",
            "+5h00m narration",
        ])
        let alone = runEngine([lines[0], "not json"], header: false).1.map(describe)
        #expect(alone == [
            "null input.rejected line 1: no time known: a record without \"at\" needs a scenario start or an earlier record's \"at\"",
            "null input.rejected line 2: not valid JSON: unexpected 'n' at column 1",
        ])
    }

    @Test func scenarioHeaderOnlyFirst() {
        let events = timeline([#"{"type":"scenario","title":"again"}"#])
        #expect(events == ["+0h00m input.rejected line 2: a scenario header is only allowed as the first record"])
    }

    @Test func observedLaterThanAtIsRejected() {
        #expect(timeline([report("R-1", at: "+1h", observed: "+2h")], until: "+3h") == [
            "+1h00m input.rejected line 2: \"observed\" 2026-02-10T02:00:00Z is later than \"at\" (2026-02-10T01:00:00Z)",
        ])
    }

    @Test func fractionalSecondsTruncateAndOffsetsConvertToUTC() {
        let events = timeline([report("R-1", at: "2026-02-10T00:00:01.999Z"),
                               report("R-2", "Lyman", at: "2026-02-10T03:00:05+02:00")], until: "+2h")
        #expect(events == ["+0h00m01s incident.opened INC-0001 t1 R-1", "+1h00m05s incident.opened INC-0002 t1 R-2"])
    }

    @Test func goodRecordsAroundABadOneAreKept() {
        let (engine, events) = runEngine([report("R-1", at: "+1h"), "{oops", report("R-2", "Lyman", at: "+2h")], until: "+3h")
        #expect(engine.incidents.count == 2)
        #expect(engine.rejectedCount == 1)
        #expect(events.filter { $0.kind == .inputRejected }.map(\.line) == [3])
    }

    // MARK: - Live mode (time of receipt)

    @Test func liveModeUsesReceiptTimeAndRejectsFutureAt() {
        var engine = Engine(mode: .live)
        let t = try! RFC3339.parse("2026-02-10T10:00:00Z").get()
        engine.process(line: report("R-1"), number: 1, receivedAt: t)
        engine.process(line: report("R-2", "Lyman", at: "2026-02-10T10:00:01Z"), number: 2, receivedAt: t)
        let events = engine.takeEvents()
        #expect(events.first?.at == t)
        #expect(events.last?.reason == "\"at\" 2026-02-10T10:00:01Z is later than the time of receipt (2026-02-10T10:00:00Z)")
    }
}

/// A record's origin (a shared journal's site and made time) goes onto the
/// events that record causes, never onto the timer events that fire before
/// it, and the outputs name it.
@Suite("Record origins")
struct RecordOriginTests {
    @Test func theRecordsEventsCarryItsOriginAndTimersDoNot() {
        var engine = Engine(policy: .standard)
        let a = RecordOrigin(site: "ops")
        let b = RecordOrigin(site: "hq", madeAt: Instant(seconds: 1_770_685_200))
        engine.process(RecordDecoder.decode(#"{"type":"scenario","start":"2026-02-10T00:00:00Z"}"#), line: 1, drain: { _ in })
        engine.process(RecordDecoder.decode(report("R-1", at: "+0s")), line: 2, origin: a, drain: { _ in })
        let opened = engine.takeEvents()
        #expect(!opened.isEmpty && opened.allSatisfy { $0.origin == a }, "\(opened)")
        // An hour later: three reminders fire first (timers), then the ack is the record's.
        engine.process(RecordDecoder.decode(action("ack", at: "+1h", by: "bob")), line: 3, origin: b, drain: { _ in })
        let later = engine.takeEvents()
        let reminders = later.filter { $0.kind == .alertReminder }
        #expect(reminders.count == 3 && reminders.allSatisfy { $0.origin == nil })
        #expect(later.filter { $0.origin == b }.map(\.kind) == [.incidentAcknowledged])
        // A rejected record's rejection is its own too; without an origin nothing is stamped.
        engine.process(RecordDecoder.decode(action("commit", member: "XX")), line: 4, origin: a, drain: { _ in })
        #expect(engine.takeEvents().map { $0.origin } == [a])
        engine.process(RecordDecoder.decode(action("note", at: "+2h", by: "x") .replacingOccurrences(of: "}", with: #","note":"n"}"#)),
                       line: 5, drain: { _ in })
        #expect(engine.takeEvents().allSatisfy { $0.origin == nil })
        // Text and JSON name the site, and the made time when there is one.
        let ack = later.first { $0.kind == .incidentAcknowledged }!
        #expect(TimelineText.line(ack, origin: nil).hasSuffix("acknowledged by bob  [site hq, made 2026-02-10 01:00:00Z]"))
        #expect(EventJSON.line(ack).hasSuffix(#""by":"bob","site":"hq","made_at":"2026-02-10T01:00:00Z"}"#))
        #expect(TimelineText.line(opened[0], origin: nil).hasSuffix("  [site ops]"))
    }
}
