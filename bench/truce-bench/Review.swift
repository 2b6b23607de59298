import TruceConsole
import TruceEngine
import TruceStore

#if canImport(Glibc)
import Glibc
#endif

/// Review mode's steps on a journal (bench/review-steps.sh): how long each
/// key takes the session to answer (read the past, build the engine at the
/// instant), the way the console asks: from the instant shown.
func reviewSteps(directory: String) {
    let journal: Journal
    do { journal = try Journal(directory: directory, access: .read) } catch {
        print("cannot open the journal in \(directory): \(error)")
        exit(1)
    }
    var last = Instant(seconds: 0)
    try? journal.forEachRecord(after: max(0, ((try? journal.lastSeq()) ?? 1) - 1)) { last = $0.receivedAt; return true }
    let now = last + 60
    var tape = JournalTape(journal: journal, policy: .standard, origins: false)
    print("review steps on \(directory) (\((try? journal.lastSeq()) ?? 0) records; now = last record + 1 min)")
    print("                                   median       p95       max   steps")

    func run(_ label: String, _ steps: Int, from start: Instant, _ request: ReviewRequest) -> Instant {
        var at = start
        var times: [Double] = []
        for _ in 0..<steps {
            let t0 = seconds()
            let answer = tape.answer(ReviewQuery(request: request, from: at, now: now))
            times.append(seconds() - t0)
            guard case .state(let r) = answer else {
                if case .refused(let why) = answer { print("  (\(label): refused: \(why))") }
                break
            }
            at = r.at
        }
        printRow(label, times)
        return at
    }
    var at = run("@ -1h (first: restores)", 1, from: now, .at(now - 3600))
    at = run("@ -1h again (restored)", 5, from: now, .at(now - 3600))
    at = run("[ whole board", 40, from: at, .event(forward: false, incident: nil))
    at = run("] whole board", 40, from: at, .event(forward: true, incident: nil))
    at = run("{ an hour back", 40, from: at, .by(seconds: -3600))
    at = run("} an hour forward", 40, from: at, .by(seconds: 3600))
    at = run("[ x10 (a key held: one burst)", 10, from: at, .event(forward: false, incident: nil, count: 10))
    at = run("{ x10 (a key held: one burst)", 10, from: at, .by(seconds: -36_000))
    var first = Instant(seconds: 0)
    try? journal.forEachRecord { first = $0.receivedAt; return false }
    _ = run("@ -3d", 1, from: now, .at(now - 3 * 86_400))
    _ = run("@ first record + 1d", 1, from: now, .at(first + 86_400))
    _ = run("{ from there", 10, from: first + 86_400, .by(seconds: -3600))
}

/// Review keys on a demo of a scenario file (bench/review-steps.sh): the
/// demo plays its own records again for each step, from its checkpoints.
func reviewDemo(file: String) {
    guard let f = fopen(file, "r") else { print("cannot read \(file)"); exit(1) }
    var text: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        text += buf[..<n]
    }
    fclose(f)
    var c = Console(engine: Engine(), demo: DemoClock(text: String(decoding: text, as: UTF8.self), speed: 86_400), operatorName: "bench")
    _ = c.update(.resize(width: 120, height: 40))
    _ = c.update(.tick(monotonic: 0, wall: 0))
    var m = 0.0
    while !(c.demo?.finished ?? true) {  // half a simulated day a tick, to the last record
        m += 0.5
        _ = c.update(.tick(monotonic: m, wall: 0))
    }
    _ = c.update(.key(.char(" ")))
    print("review keys on a demo of \(file) (\(c.engine.acceptedCount) records taken), 120x40")
    print("                                   median       p95       max   keys")
    var previous = Screen(width: 120, height: 40)
    func run(_ label: String, _ key: Character, _ count: Int) {
        var times: [Double] = []
        for _ in 0..<count {
            let t0 = seconds()
            _ = c.update(.key(.char(key)))
            _ = c.update(.tick(monotonic: m, wall: 0))  // the end of the burst: the step is taken (paused: no time passes)
            var s = Screen(width: 120, height: 40)
            BoardRenderer.render(c.view(), into: &s)
            if s != previous { previous = s }
            _ = c.update(.frameShown)
            times.append(seconds() - t0)
        }
        printRow(label, times)
    }
    _ = c.update(.key(.tab))  // the whole board
    run("{ an hour back", "{", 5)
    run("[ whole board", "[", 5)
    run("] whole board", "]", 5)
    run("} an hour forward", "}", 5)
}

/// `label  median  p95  max  count` for one row of a review table.
func printRow(_ label: String, _ times: [Double]) {
    let t = times.sorted()
    func ms(_ v: Double) -> String { String(format: "%9.1f ms", v * 1000) }
    print(label.padding(toLength: 30, withPad: " ", startingAt: 0) + ms(t[t.count / 2]) + ms(t[t.count * 95 / 100]) + ms(t.last!)
          + "   \(t.count)")
}
