import ArgumentParser
import TruceTerminal
import TruceEngine
import TruceHeadless
import TruceStore

#if canImport(Glibc)
import Glibc
#endif

/// `truce journal …`: the shared journal's schema and this site's mirror.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Set up and synchronise a shared (PostgreSQL) journal.",
        subcommands: [JournalInit.self, JournalSync.self, JournalCopy.self, JournalConflicts.self])
}

struct JournalInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create (or upgrade) a shared journal's schema; running it again changes nothing.",
        discussion: """
            Run it as the database's owner. It creates the records table, the append and lock \
            functions, and the NOLOGIN role truce_console, which may only read and append through \
            truce_append: grant it to each site's login role (GRANT truce_console TO site_a).
            """)

    @Argument(help: ArgumentHelp("postgres://user@host:port/db, or a libpq connection string.", valueName: "url"))
    var url: String

    func run() throws {
        guard SharedJournal.isShared(url) else {
            throw fail("\(Sanitizer.clean(url)) is not a PostgreSQL URL or connection string (a local journal needs no init)")
        }
        do {
            let (from, id) = try SharedJournal.initialize(url: url)
            let what = from == SharedJournal.schemaVersion ? "already at schema \(from)"
                : from == 0 ? "created at schema \(SharedJournal.schemaVersion)" : "upgraded from schema \(from) to \(SharedJournal.schemaVersion)"
            OutputSink.stdout().line("shared journal \(id): \(what)")
        } catch { throw fail(error.message) }
    }
}

struct JournalConflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "Records this site queued while the shared journal was unreachable and that it rejected on the push.",
        discussion: "One line each: when it was made, why it was rejected, the record. They are kept, never dropped.")

    @OptionGroup var journal: JournalOptions

    func run() throws {
        let url = try journal.requireSharedURL(for: "journal conflicts")
        let mirror: Journal?
        do { mirror = try SharedJournal.offlineMirror(url: url, dataDirectory: journal.dataDirectory) } catch { throw fail(error.message) }
        guard let mirror else { throw fail("this site has no mirror of that shared journal (under \(homeShortened(journal.dataDirectory)))") }
        let conflicts: [Journal.Queued]
        do { conflicts = try mirror.outbox(conflicts: true) } catch { throw fail(error.message) }
        let out = OutputSink.stdout()
        for c in conflicts { out.line("\(c.madeAt)  \(Sanitizer.clean(c.conflict ?? ""))  \(Sanitizer.clean(c.line))") }
        out.flush()
    }
}

struct JournalSync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring this site's mirror of the shared journal to its head.",
        discussion: "Every command on a shared journal does this before it answers; sync does only this.")

    @OptionGroup var journal: JournalOptions

    func run() throws {
        let url = try journal.requireSharedURL(for: "journal sync")
        let shared = try journal.openShared(url)
        let seq: Int64
        do { seq = try shared.mirror.lastSeq() } catch { throw fail(error.message) }
        OutputSink.stdout().line("mirror \(homeShortened(directory(of: shared.mirror.path))) at seq \(seq)")
    }
}

struct JournalCopy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a local journal into a shared one, once: running it again copies nothing twice.",
        discussion: """
            Each record is judged at the shared journal's head and stored with its own time of receipt, \
            source and site (--site for records from before sites) and its idempotency key; a record \
            without a key gets one made from its place and content, so a second run, or the rest after \
            an interruption, stores nothing twice. Copy a site's journal before other sites write to the \
            shared one: a record older than what the shared journal holds is rejected and reported as \
            FROM:SEQ: reason (exit 1). The local journal is only read, never changed.
            """)

    @Argument(help: ArgumentHelp("The local journal: its directory, or sqlite:PATH.", valueName: "from"), completion: .directory)
    var from: String

    @Argument(help: ArgumentHelp("The shared journal: postgres://user@host:port/db, or a libpq connection string.", valueName: "to"))
    var to: String

    @OptionGroup var journal: JournalOptions

    /// Records per transaction on the shared journal.
    static let batchLimit = 1000

    func run() throws {
        guard journal.journalURL == nil else { throw fail("journal copy takes its journals as FROM and TO, not --journal") }
        guard case .local(let dir) = try JournalOptions.resolve(from, naming: "FROM") else {
            throw fail("FROM must be a local journal (a directory or sqlite:PATH), not a shared one")
        }
        guard SharedJournal.isShared(to) else {
            throw fail("TO must be a shared journal (postgres://… or a libpq connection string), not \(Sanitizer.clean(to))")
        }
        let source: Journal
        do { source = try Journal(directory: dir, access: .read) } catch { throw fail(error.message) }
        let name = homeShortened(source.path)
        let shared = try journal.openShared(to)
        let site = shared.site
        let policy = try journal.policy.load()
        let log: LiveLog
        do { log = try LiveLog(journal: shared.mirror, policy: policy, store: shared, site: site) } catch { throw fail(error.message) }
        let run = BatchAppender(log: log, name: name)
        var batchSource = ""
        do {
            try source.forEachRecord(keys: true) { r in
                if run.stopping { return false }
                if r.source != batchSource || run.batch.count >= JournalCopy.batchLimit {
                    run.commit(source: batchSource)
                    batchSource = r.source
                }
                run.batch.append(LiveLog.BatchLine(text: r.line, number: Int(r.seq), key: r.key ?? JournalCopy.key(r),
                                                   receivedAt: r.receivedAt, site: r.site ?? site))
                return run.failure == nil
            }
        } catch {
            throw fail(error.message)
        }
        if !run.stopping { run.commit(source: batchSource) }
        try run.finish(.init(units: "records", done: "copied", partial: "copied", into: " into the shared journal \(shared.journalID)",
                             already: "there", rest: "copy the rest"))
    }

    /// `copy|SEQ|<128-bit hash>` of a record stored without a key: its site,
    /// receipt time and text, so copying it again finds it stored.
    static func key(_ r: StoredRecord) -> String {
        var bytes = Array("\(r.site ?? "")|\(r.receivedAt.seconds)|".utf8)
        bytes += r.line.utf8
        return bytes.withUnsafeBufferPointer { Ingest.contentKey(prefix: "copy", line: Int(r.seq), bytes: $0) }
    }
}
