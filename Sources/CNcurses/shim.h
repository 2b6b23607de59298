// The only C in truce: what Swift cannot import from ncurses directly
// (macros, the stdscr/LINES/COLS globals, attribute constants) as small
// inline functions. All curses calls happen on the main thread.
#ifndef TRUCE_CNCURSES_SHIM_H
#define TRUCE_CNCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <signal.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline int truce_cols(void) { return COLS; }
static inline int truce_lines(void) { return LINES; }
static inline int truce_colors(void) { return COLORS; }
static inline int truce_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t truce_a_normal(void) { return A_NORMAL; }
static inline attr_t truce_a_bold(void) { return A_BOLD; }
static inline attr_t truce_a_dim(void) { return A_DIM; }
static inline attr_t truce_a_underline(void) { return A_UNDERLINE; }
static inline attr_t truce_a_reverse(void) { return A_REVERSE; }

static inline int truce_keypad_on(void) { return keypad(stdscr, TRUE); }
static inline void truce_timeout(int ms) { timeout(ms); }
static inline int truce_getch(void) { return wgetch(stdscr); }

/// Sets attributes and an (extended) colour pair for the text that follows.
static inline int truce_attr_set(attr_t attrs, int pair) {
    return attr_set(attrs, (short)(pair < 32768 ? pair : 0), &pair);
}
static inline int truce_mvaddnstr(int y, int x, const char *s, int n) { return mvaddnstr(y, x, s, n); }

/// The locale's character set is UTF-8.
static inline int truce_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (cs[0] == 'U' || cs[0] == 'u') && (cs[1] == 'T' || cs[1] == 't') && (cs[2] == 'F' || cs[2] == 'f');
}

/// Whether a signal is ignored (inherited SIG_IGN): a shell without job
/// control ignores SIGTSTP, and then Ctrl-Z must not stop the console.
static inline int truce_signal_ignored(int sig) {
    struct sigaction old;
    return sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN;
}

/// Whether the terminal named by TERM can run a full-screen board, asked
/// before initscr (which prints its own error and exits on an unknown TERM):
/// 0 yes, 1 no terminfo entry for it, 2 it cannot address the cursor (dumb).
static inline int truce_terminal_usable(void) {
    int err = 0;
    if (setupterm(NULL, 1, &err) != OK) return 1;
    char *cup = tigetstr("cup");
    int usable = cup != NULL && cup != (char *)-1;
    del_curterm(cur_term);
    return usable ? 0 : 2;
}

/// Mouse reporting: presses of the first button and the wheel, reported at
/// once (no click-detection delay). Returns whether the terminal has a mouse.
static inline int truce_mouse_on(void) {
    mmask_t old;
    mouseinterval(0);
    return mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, &old) != 0;
}
static inline void truce_mouse_off(void) { mmask_t old; mousemask(0, &old); }
static inline int truce_key_mouse(void) { return KEY_MOUSE; }

/// The mouse event curses just decoded: 1 a press, 2 wheel up, 3 wheel down
/// (0 none or another button), with its cell.
static inline int truce_get_mouse(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return 0;
    *x = e.x;
    *y = e.y;
    if (e.bstate & BUTTON1_PRESSED) return 1;
    if (e.bstate & BUTTON4_PRESSED) return 2;
    if (e.bstate & BUTTON5_PRESSED) return 3;
    return 0;
}

/// The next refresh repaints every cell (Ctrl-L, or back from a suspend).
static inline void truce_redraw_all(void) { clearok(curscr, TRUE); }

#endif
