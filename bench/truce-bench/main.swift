// Benchmarks of the console core, run by bench/keystroke.sh. Prints figures;
// nothing here is a test.
//
//   truce-bench keys [N…]     the cost of one key (j/k) from the message to a
//                             finished frame in memory, with N open incidents
//   truce-bench actions [N…]  the same for keys that change the engine (a, then g)
//   truce-bench review DIR    review mode's steps on a journal (bench/review-steps.sh)
//   truce-bench review-demo F review keys on a demo of scenario file F
//   truce-bench multisite URL appends/s and propagation latency on a shared journal
//                             (bench/multisite.sh)
import TruceConsole
import TruceEngine

#if canImport(Glibc)
import Glibc
#endif

func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// N confirmed reports in N sectors, a second apart: N open, unacknowledged incidents.
func scenario(_ n: Int) -> String {
    var lines = [#"{"type":"scenario","title":"bench","start":"2026-03-01T00:00:00Z","speed":3600}"#]
    for i in 0..<n {
        lines.append(#"{"type":"report","id":"R-\#(i)","sector":"Sector \#(i)","status":"confirmed","at":"+\#(i)s"}"#)
    }
    return lines.joined(separator: "\n")
}

/// A paused demo board, 120x40, with every one of N incidents open (all
/// records fed in one tick) and its frame shown.
func pausedBoard(_ n: Int) -> Console {
    var c = Console(engine: Engine(), demo: DemoClock(text: scenario(n), speed: 3600), operatorName: "bench")
    _ = c.update(.resize(width: 120, height: 40))
    _ = c.update(.tick(monotonic: 0, wall: 0))
    _ = c.update(.tick(monotonic: Double(n) / 3600 + 1, wall: 0))
    _ = c.update(.key(.char(" ")))
    _ = c.update(.frameShown)
    return c
}

/// One key and the frame it leads to: update, view model, render, shown.
func press(_ c: inout Console, _ k: Character, previous: inout Screen) {
    _ = c.update(.key(.char(k)))
    var s = Screen(width: 120, height: 40)
    BoardRenderer.render(c.view(), into: &s)
    if s != previous { previous = s }
    _ = c.update(.frameShown)
}

/// `incidents median p95 max count` for one row of a table.
func report(_ n: Int, _ times: [Double]) {
    let t = times.sorted()
    func ms(_ v: Double) -> String { String(format: "%7.3f ms", v * 1000) }
    print(String(format: "%9d ", n) + ms(t[t.count / 2]) + ms(t[t.count * 95 / 100]) + ms(t.last!) + "   \(t.count)")
}

func keys(_ counts: [Int]) {
    print("keystroke to finished frame (update + view + render + diff), 120x40, paused demo, j/k")
    print("incidents   median      p95      max   keys")
    for n in counts {
        var c = pausedBoard(n)
        var previous = Screen(width: 120, height: 40)
        var times: [Double] = []
        for i in 0..<2000 {
            let t0 = seconds()
            press(&c, i % 40 < 20 ? "j" : "k", previous: &previous)
            times.append(seconds() - t0)
        }
        report(n, times)
    }
}

/// An acknowledgement, then g to the top (the next unacknowledged), per round:
/// a key that changes the engine, so the list moves the incident it touched.
func actions(_ counts: [Int]) {
    print("action key to finished frame (a on the top incident, then g), 120x40, paused demo")
    print("incidents   median      p95      max   rounds")
    for n in counts {
        var c = pausedBoard(n)
        var previous = Screen(width: 120, height: 40)
        var times: [Double] = []
        let rounds = min(200, n)  // one acknowledgement per incident at most
        for _ in 0..<rounds {
            let t0 = seconds()
            press(&c, "a", previous: &previous)
            press(&c, "g", previous: &previous)
            times.append((seconds() - t0) / 2)
        }
        let acks = c.recent.filter { $0.kind == .incidentAcknowledged }.count
        if acks != rounds { print("  (only \(acks) of \(rounds) acknowledgements were recorded; last message: \(c.message?.text ?? "none"))") }
        report(n, times)
    }
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "keys":
    let counts = args.dropFirst().compactMap { Int($0) }
    keys(counts.isEmpty ? [100, 10_000, 100_000] : counts)
case "actions":
    let counts = args.dropFirst().compactMap { Int($0) }
    actions(counts.isEmpty ? [100, 10_000, 100_000] : counts)
case "review":
    guard args.count == 2 else { print("usage: truce-bench review DATA-DIR"); exit(2) }
    reviewSteps(directory: args[1])
case "review-demo":
    guard args.count == 2 else { print("usage: truce-bench review-demo SCENARIO"); exit(2) }
    reviewDemo(file: args[1])
case "multisite":
    guard args.count == 2 else { print("usage: truce-bench multisite URL"); exit(2) }
    multisite(args[1])
default:
    print("usage: truce-bench keys|actions [INCIDENTS…] | review DATA-DIR | review-demo SCENARIO | multisite URL")
    exit(2)
}
