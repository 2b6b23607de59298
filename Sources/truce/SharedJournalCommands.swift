import ArgumentParser
import TruceEngine
import TruceHeadless
import TruceStore

/// `truce journal …`: the shared journal's schema and this site's mirror.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Set up and synchronise a shared (PostgreSQL) journal.",
        subcommands: [JournalInit.self, JournalSync.self, JournalConflicts.self])
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
