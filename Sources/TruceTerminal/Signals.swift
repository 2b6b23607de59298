#if canImport(Glibc)
import Glibc
#endif

/// Catching signals the one way truce does it: no SA_RESTART (a blocking
/// read returns, and the caller sees its flag), and the signals unblocked,
/// since a parent may have started us with them blocked (the mask is
/// inherited: a test runner's child, say).
public enum Signals {
    public static func handle(_ signals: [Int32], with handler: @convention(c) (Int32) -> Void) {
        var mask = sigset_t()
        sigemptyset(&mask)
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
            sigaddset(&mask, sig)
        }
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
    }
}
