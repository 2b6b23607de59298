// swift-tools-version:6.0
// Linux only: the console links the system's ncursesw and SQLite (Glibc).
import PackageDescription

let package = Package(
    name: "truce",
    products: [
        .executable(name: "truce", targets: ["truce"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Pure, deterministic engine: records, rules, policy, events, state.
        // No terminal, no files, no wall clock: time is always passed in.
        .target(name: "TruceEngine", dependencies: ["CCacheHint"]),
        // One inline C function: a prefetch hint for the engine's report lookup.
        .target(name: "CCacheHint", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        // Headless runners: reading files and stdin, writing timelines,
        // the scenario generator. Shared by the CLI and the tests.
        .target(name: "TruceHeadless", dependencies: ["TruceEngine"]),
        // The console's pure core: view model, layout, widgets, screen buffer,
        // themes, keys, demo clock. No terminal: the backend flushes its screens.
        .target(name: "TruceConsole", dependencies: ["TruceEngine"]),
        // ncursesw through the system C library (apt: libncurses-dev).
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        // The terminal backend: curses set-up and teardown, colour depth, the
        // diff flush, key decoding, signals, the run loop.
        .target(name: "TruceTerminal", dependencies: ["CNcurses", "TruceConsole", "TruceEngine"]),
        // SQLite through the system C library (apt: libsqlite3-dev).
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // libpq for the shared journal (apt: libpq-dev to build, libpq5 to run),
        // loaded on first use instead of linked: every other command starts ~4 ms sooner.
        // (DWARF 4: clang's default DWARF 5 debug info stops valgrind 3.19, which
        // bench/ figures are counted with, from reading the whole binary.)
        .target(name: "CLibPQ", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        // The journal: every accepted input record with its receipt time; in
        // SQLite, or shared in PostgreSQL with a local SQLite mirror.
        .target(name: "TruceStore", dependencies: ["CSQLite", "CLibPQ", "TruceEngine", "TruceConsole"]),
        // The after-action report: a timeline of events in, HTML with an inline
        // SVG chart (and the chart alone, and JSON figures) out. It writes no
        // files; a scenario is read through the headless runner.
        .target(name: "TruceReport", dependencies: ["TruceEngine", "TruceHeadless"]),
        // The executable: argument parsing and wiring only.
        .executableTarget(
            name: "truce",
            dependencies: [
                "TruceEngine", "TruceHeadless", "TruceConsole", "TruceTerminal", "TruceStore", "TruceReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The Swift runtime linked in: every command starts without loading and
            // relocating eight Swift libraries (`truce report` on a million-record
            // journal: ~135 -> ~97 ms of CPU; `--version` ~25 -> ~17 ms; bench/journal-startup.sh).
            // (Argument parsing reaches FoundationEssentials, whose static archive
            // needs its two helper archives named. The toolchain's lld links it
            // without gold's warning about a `mktemp` inside that archive.)
            // Release builds only: the test bundle links this target's module too,
            // and the testing libraries have no static archives.
            linkerSettings: [
                .unsafeFlags(["-static-stdlib", "-use-ld=lld"], .when(platforms: [.linux], configuration: .release)),
                .linkedLibrary("_FoundationCollections", .when(platforms: [.linux], configuration: .release)),
                .linkedLibrary("_FoundationCShims", .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        // Benchmarks of the console core and the shared journal (bench/keystroke.sh,
        // bench/multisite.sh); prints figures only.
        .executableTarget(name: "truce-bench", dependencies: ["TruceEngine", "TruceConsole", "TruceStore"], path: "bench/truce-bench"),
        // What the test targets share: a scratch directory removed when the tests exit.
        .target(name: "TruceTestSupport", path: "Tests/Support"),
        .testTarget(name: "TruceEngineTests", dependencies: ["TruceEngine"]),
        .testTarget(name: "TruceHeadlessTests", dependencies: ["TruceTestSupport", "TruceEngine", "TruceHeadless"]),
        .testTarget(name: "TruceConsoleTests", dependencies: ["TruceEngine", "TruceConsole"], exclude: ["Golden"]),
        .testTarget(name: "TruceTerminalTests", dependencies: ["TruceTestSupport", "TruceConsole", "TruceTerminal"]),
        .testTarget(name: "TruceReportTests", dependencies: ["TruceTestSupport", "TruceEngine", "TruceReport", "TruceHeadless", "TruceConsole"]),
        .testTarget(name: "TruceStoreTests", dependencies: ["TruceTestSupport", "TruceEngine", "TruceStore", "TruceHeadless", "TruceConsole"]),
        // Drives the built `truce` binary: the CLI through pipes, the console through tmux.
        .testTarget(name: "TruceEndToEndTests", dependencies: ["truce", "TruceTestSupport"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
