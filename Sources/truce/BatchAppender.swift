import ArgumentParser
import Synchronization
import TruceEngine
import TruceHeadless
import TruceStore
import TruceTerminal

#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGINT, SIGTERM or SIGHUP during `ingest` and `journal copy`: the
/// batch in hand is committed or not, and the command says how far it got.
let ingestStop = Atomic<Int32>(0)

/// Appends numbered lines to a journal in batches, for `ingest` and `journal
/// copy`: prints each rejection as `NAME:N: reason`, keeps the tally and how
/// far every line is committed, and at the end says so in one line on
/// standard error, with the exit status of the whole run.
final class BatchAppender {
    let log: LiveLog
    /// The input as shown in messages.
    let name: String
    private let out = OutputSink.stdout()
    private(set) var stored = 0, rejected = 0, duplicates = 0
    /// Every line up to this number is in the journal, or was rejected or blank.
    var committedThrough = 0
    var batch: [LiveLog.BatchLine] = []
    /// Why appending stopped (a full disk, a lost server), once it has.
    private(set) var failure: String?

    init(log: LiveLog, name: String) {
        self.log = log
        self.name = name
        Signals.handle([SIGINT, SIGTERM, SIGHUP]) { s in ingestStop.store(s, ordering: .relaxed) }
    }

    /// A signal came, or appending failed: read no further.
    var stopping: Bool { ingestStop.load(ordering: .relaxed) != 0 || failure != nil }

    /// A line that never became a record (too long): rejected here.
    func reject(_ number: Int, _ reason: String) {
        out.line("\(name):\(number): \(reason)")
        rejected += 1
        if batch.isEmpty { committedThrough = number }
    }

    /// Appends the batch in one transaction, as `source`.
    func commit(source: String) {
        guard failure == nil, !batch.isEmpty else { return }
        do {
            let outcomes = try log.append(batch: batch, source: source, now: wallClock)
            for (l, o) in zip(batch, outcomes) {
                switch o {
                case .accepted: stored += 1
                case .duplicate: duplicates += 1
                case .skipped: break
                case .rejected(let reason):
                    rejected += 1
                    out.line("\(name):\(l.number): \(Sanitizer.clean(reason))")
                }
            }
            committedThrough = batch.last!.number
            batch.removeAll(keepingCapacity: true)
            out.flush()
        } catch {
            failure = error.message
        }
    }

    /// The words of the closing line.
    struct Words {
        /// `lines`, `records`.
        var units: String
        /// `ingested`, `copied`: a run that ended.
        var done: String
        /// `committed`, `copied`: a run that stopped part-way.
        var partial: String
        /// ` into the shared journal ID`, or nothing.
        var into: String
        /// `in the journal`, `there`.
        var already: String
        /// `ingest the rest`.
        var rest: String
    }

    /// Says how far it got (`… lines 1–N of NAME: stored S, rejected R, D
    /// already …`) and ends the run: exit 2 if appending failed, 128+signal
    /// if interrupted, 1 if a line was rejected.
    func finish(_ w: Words) throws {
        out.flush()
        let err = OutputSink.stderr()
        let range = committedThrough == 0 ? "no \(w.units)" : "\(w.units) 1–\(Ingest.grouped(committedThrough))"
        let counts = "stored \(stored), rejected \(rejected), \(duplicates) already \(w.already)"
        let signal = ingestStop.load(ordering: .relaxed)
        if let failure {
            err.line("truce: \(w.partial) \(range) of \(name)\(w.into) (\(counts)); stopped: \(Sanitizer.clean(failure))")
            err.flush()
            throw ExitCode(Runner.failure)
        }
        if signal != 0 {
            err.line("truce: interrupted; \(w.partial) \(range) of \(name)\(w.into) (\(counts)); run it again to \(w.rest)")
            err.flush()
            throw ExitCode(128 + signal)
        }
        err.line("truce: \(w.done) \(range) of \(name)\(w.into): \(counts)")
        err.flush()
        if rejected > 0 { throw ExitCode(Runner.rejected) }
    }
}
