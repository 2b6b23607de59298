import Testing
@testable import TruceEngine

@Suite("Sanitiser, JSON and text output")
struct OutputTests {
    @Test(arguments: [
        ("plain Покровськ text", "plain Покровськ text"),
        ("\u{1B}[2J\u{1B}]0;owned\u{07}", "^[[2J^[]0;owned^G"),
        ("line\nbreak\r\ttab", "line^Jbreak^M^Itab"),
        ("del\u{7F}", "del^?"),
        ("c1 \u{9B}31m csi", "c1 <U+009B>31m csi"),
        ("bidi \u{202E}evil\u{2066}", "bidi <U+202E>evil<U+2066>"),
        ("sep\u{2028}", "sep<U+2028>"),
    ])
    func sanitiserMakesControlsVisible(input: String, output: String) {
        #expect(Sanitizer.clean(input) == output)
    }

    @Test func sanitisedTextHasNoTerminalControlsLeft() {
        var all = ""
        for v in 0..<0x250 { if let u = Unicode.Scalar(v) { all.unicodeScalars.append(u) } }
        let clean = Sanitizer.clean(all)
        #expect(!clean.unicodeScalars.contains { Sanitizer.needsEscape($0) })
    }

    @Test func jsonStringsEscapeControlsAndStayValid() {
        var w = JSONWriter()
        w.beginObject()
        w.key("s"); w.string("q\"b\\n\n\u{1B}[0m\u{9B}\u{202E}é")
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"s":"q\"b\\n\n\u001b[0m\u009b\u202eé"}"#)
    }

    /// The writer reads eight bytes at a time up to the first one needing a
    /// look: every escape at every offset of long and short, ASCII and
    /// Cyrillic text comes out as a byte-at-a-time writer would write it.
    @Test func jsonStringsEscapeAtEveryOffset() {
        func reference(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u.value {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0..<0x20, 0x7F, 0x80...0x9F, 0x2028...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C:
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                default: out.unicodeScalars.append(u)
                }
            }
            return out + "\""
        }
        let specials = ["\"", "\\", "\n", "\u{01}", "\u{1F}", "\u{7F}", "\u{85}", "\u{9B}", "\u{202E}", "\u{2028}",
                        "\u{2069}", "\u{061C}", "\u{200F}", "\u{A0}", "é", "\u{2030}", "\u{0600}", " ", "~"]
        for base in [String(repeating: "abcdefgh", count: 3), String(repeating: "Покровськ", count: 2)] {
            for special in specials {
                for k in 0...base.count {
                    var s = base
                    s.insert(contentsOf: special, at: s.index(s.startIndex, offsetBy: k))
                    var w = JSONWriter()
                    w.string(s)
                    #expect(String(decoding: w.bytes, as: UTF8.self) == reference(s), "\(special.unicodeScalars.first!.value) at \(k)")
                }
            }
        }
    }

    /// Plain strings and keys of every length up to 16 are copied by
    /// overlapping words (`ByteWord.copyShort`), longer ones whole: each
    /// length comes out byte for byte, between neighbours that stay intact.
    @Test func plainStringsOfEveryLengthAreCopiedExactly() {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ".utf8)
        for n in 0...40 {
            let s = String(decoding: alphabet.prefix(n), as: UTF8.self)
            var w = JSONWriter()
            w.beginArray(); w.string("<"); w.string(s); w.string(">"); w.endArray()
            #expect(String(decoding: w.bytes, as: UTF8.self) == "[\"<\",\"\(s)\",\">\"]", "length \(n)")
        }
        for n in 0...16 {
            let src = Array(alphabet.prefix(n))
            var dst = [UInt8](repeating: 0x2E, count: 20)
            src.withUnsafeBufferPointer { p in
                dst.withUnsafeMutableBufferPointer { d in
                    if let base = p.baseAddress { ByteWord.copyShort(base, n, to: d.baseAddress! + 2) }
                }
            }
            #expect(dst == [0x2E, 0x2E] + src + [UInt8](repeating: 0x2E, count: 18 - n), "length \(n)")
        }
        var keys = JSONWriter()
        keys.beginObject()
        for k: StaticString in ["at", "by", "tier", "event", "sector", "incident", "made_at", "line"] {
            keys.key(k); keys.int(1)
        }
        keys.endObject()
        #expect(String(decoding: keys.bytes, as: UTF8.self)
                == #"{"at":1,"by":1,"tier":1,"event":1,"sector":1,"incident":1,"made_at":1,"line":1}"#)
    }

    /// The writer keeps the last date it wrote: instants on the same day, the
    /// next, back again, before 1970 and past 9999 each come out as
    /// `RFC3339.format` writes them.
    @Test func jsonInstantsReuseTheirDateOnlyWithinTheDay() {
        let day: Int64 = 86_400
        let times: [Int64] = [
            1_770_696_720, 1_770_696_721, 1_770_768_000 - 1, 1_770_768_000, 1_770_696_720, 0, -1, -day, -day - 1,
            253_402_300_799, 253_402_300_800, 253_402_300_799, 1_770_696_720 + 3_599, 1_770_696_720 + 7 * day,
        ]
        var w = JSONWriter()
        w.beginArray()
        for t in times { w.instant(Instant(seconds: t)) }
        w.endArray()
        let expected = "[" + times.map { "\"" + RFC3339.format(Instant(seconds: $0)) + "\"" }.joined(separator: ",") + "]"
        #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
    }

    /// Event kinds are written from literals without escaping: each is its
    /// raw value, plain printable ASCII, and written as the escaping writer would.
    @Test func eventKindLiteralsAreTheirRawValuesAndNeedNoEscaping() {
        for kind in EventKind.allCases {
            #expect(kind.jsonName.description == kind.rawValue)
            #expect(kind.rawValue.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C })
            var plain = JSONWriter(), escaped = JSONWriter()
            plain.plainString(kind.jsonName)
            escaped.string(kind.rawValue)
            #expect(plain.bytes == escaped.bytes)
        }
    }

    @Test func eventJSONCarriesTheContractFields() {
        var e = Event(at: Instant(seconds: 1_770_696_720), kind: .tierEscalated)
        e.incident = "INC-0001"; e.tier = 2; e.sector = "Pokrovsk"; e.manual = true; e.by = "duty"
        #expect(EventJSON.line(e)
            == #"{"at":"2026-02-10T04:12:00Z","event":"tier.escalated","incident":"INC-0001","tier":2,"sector":"Pokrovsk","by":"duty","manual":true}"#)
        var r = Event(at: nil, kind: .inputRejected)
        r.line = 3; r.reason = "bad"
        #expect(EventJSON.line(r) == #"{"at":null,"event":"input.rejected","line":3,"reason":"bad"}"#)
    }

    @Test func timelineTextFoldsNotificationsIntoTheirCauseAndSanitises() {
        let (engine, events) = runEngine([report("R-1", "\\u001b[31mRed", at: "+0s"),
                                          action("warning", at: "+1h"), report("R-2", "\\u001b[31mred", at: "+2h")], until: "+2h")
        let lines = TimelineText.lines(events.filter { $0.kind != .alertReminder }, origin: engine.origin)
        #expect(lines == [
            "2026-02-10 00:00:00Z  +0h00m     INC-0001   opened at tier 1 in ^[[31mRed on report R-1 — notified: UA",
            "2026-02-10 01:00:00Z  +1h00m     INC-0001   diplomatic warning issued",
            "2026-02-10 02:00:00Z  +2h00m     INC-0001   report R-2 joined (tier 1)",
            "2026-02-10 02:00:00Z  +2h00m     INC-0001   escalated to tier 2 — coalition of the willing notified: GB, FR, EU, NO, IS, TR (on report R-2)",
        ])
        #expect(!lines.joined().unicodeScalars.contains { Sanitizer.needsEscape($0) })
    }

    @Test func displayWidth() {
        #expect(TextWidth.of("Pokrovsk") == 8)
        #expect(TextWidth.of("Покровськ") == 9)
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.of("漢字") == 4)
        #expect(TextWidth.of("─│┌") == 3)
    }

    @Test func stateJSONHasEverySpecField() throws {
        let (engine, _) = runEngine([report("R-1", at: "+0s"), report("R-9", "Lyman", status: "reported", at: "+1m"),
                                     action("commit", at: "+2m", member: "UA")], until: "+3m")
        let json = StateOutput.json(engine, at: engine.clock!)
        for key in ["\"at\":\"2026-02-10T00:03:00Z\"", "\"id\":\"INC-0001\"", "\"sector\":\"Pokrovsk\"", "\"tier\":1",
                    "\"status\":\"open\"", "\"acknowledged\":false", "\"t0\":\"2026-02-10T00:00:00Z\"", "\"reports\":1",
                    "\"tier1_deadline\":\"2026-02-11T00:00:00Z\"", "\"tier1_step\":\"pending\"",
                    "\"tier3_at\":\"2026-02-13T00:00:00Z\"", "\"armed\":false", "\"cohesion\":1",
                    "\"pending\":[\"R-9\"]", "{\"code\":\"UA\",\"name\":\"Ukraine\",\"tier\":1,",
                    "\"answers\":{\"INC-0001\":\"committed\"}", "{\"code\":\"GB\",\"name\":\"United Kingdom\",\"tier\":2,"] {
            #expect(json.contains(key), "missing \(key) in \(json)")
        }
    }

    /// Time ends where RFC 3339 does: no timer event past 9999-12-31T23:59:59Z
    /// (a deadline there used to print a five-digit year).
    @Test func noTimerEventAfterTheLastWritableInstant() {
        let (engine, events) = runEngine([report("R-1", at: "9999-12-31T12:00:00Z")], header: false)
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { ($0.at ?? RFC3339.latest) <= RFC3339.latest })
        #expect(!events.contains { $0.kind == .tier1Overdue || $0.kind == .tierEscalated })
        #expect(engine.clock! <= RFC3339.latest)
        #expect(!events.map(EventJSON.line).joined().contains("10000-"))
    }
}
