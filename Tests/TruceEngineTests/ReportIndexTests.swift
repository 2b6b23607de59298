import Testing
import TruceEngine

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
}
