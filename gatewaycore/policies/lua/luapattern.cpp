// Lua 5.4's pattern functions with a matcher of the sandbox's own, each step charged to the
// instruction budget (the semantics are Lua's; tst_luapattern runs both on the same cases).
#include "luapattern.h"

#include "luasandbox.h"

#include <lua.hpp>

#include <cctype>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

namespace Gatehouse {

namespace {

constexpr int kMaxCaptures = 32;   // LUA_MAXCAPTURES
constexpr int kMaxMatchDepth = 200;   // nested matches before "pattern too complex" (Lua's MAXCCALLS)
constexpr char kEscape = '%';
constexpr ptrdiff_t kUnfinished = -1;   // a capture's length while it is open
constexpr ptrdiff_t kPosition = -2;     // the length of a position capture "()"
// Bytes compared or scanned in one go (memcmp, memchr, a set's members) count one step per 16.
constexpr int kBytesPerStep = 16;

inline int byteOf(char c)
{
    return static_cast<unsigned char>(c);
}

// Steps not yet charged to the sandbox: charged every kPatternChargeEvery and when a call returns.
// LuaSandbox::charge raises the budget error (a longjmp): nothing here has a destructor.
struct PatternBudget
{
    lua_State *L = nullptr;
    qint64 pending = 0;

    void step()
    {
        if (++pending >= kPatternChargeEvery)
            charge();
    }
    void steps(qint64 n)
    {
        pending += n;
        if (pending >= kPatternChargeEvery)
            charge();
    }
    void charge()
    {
        const qint64 n = pending;
        pending = 0;
        if (n > 0)
            LuaSandbox::charge(L, n);
    }
};

struct PatternCapture
{
    const char *start;
    ptrdiff_t length;   // or kUnfinished, kPosition
};

// Subject and pattern are Lua strings, so a byte is readable at their ends: the terminating '\0',
// which Lua's matcher reads there too (%f at the end of the subject, '*' after the last item).
struct PatternMatcher
{
    PatternBudget budget;
    const char *subject = nullptr;
    const char *subjectEnd = nullptr;
    const char *patternEnd = nullptr;
    int depth = kMaxMatchDepth;
    int level = 0;   // captures opened
    PatternCapture captures[kMaxCaptures];

    void start(lua_State *L, const char *s, size_t ls, const char *p, size_t lp)
    {
        budget.L = L;
        subject = s;
        subjectEnd = s + ls;
        patternEnd = p + lp;
    }
    void reset()
    {
        level = 0;
        depth = kMaxMatchDepth;
    }
    [[noreturn]] void fail(const char *message) const
    {
        luaL_error(budget.L, "%s", message);
        std::abort();   // not reached: luaL_error does not return
    }
};

const char *matchAt(PatternMatcher &m, const char *s, const char *p);

// %x for the class letter cl (its upper case for the complement), or cl itself for other bytes.
// The letters are ASCII in every locale, so this is Lua's tolower/isupper test without the calls.
bool matchClass(int c, int cl)
{
    bool yes = false;
    switch (cl) {
    case 'a': case 'A': yes = std::isalpha(c) != 0; break;
    case 'c': case 'C': yes = std::iscntrl(c) != 0; break;
    case 'd': case 'D': yes = std::isdigit(c) != 0; break;
    case 'g': case 'G': yes = std::isgraph(c) != 0; break;
    case 'l': case 'L': yes = std::islower(c) != 0; break;
    case 'p': case 'P': yes = std::ispunct(c) != 0; break;
    case 's': case 'S': yes = std::isspace(c) != 0; break;
    case 'u': case 'U': yes = std::isupper(c) != 0; break;
    case 'w': case 'W': yes = std::isalnum(c) != 0; break;
    case 'x': case 'X': yes = std::isxdigit(c) != 0; break;
    case 'z': case 'Z': yes = c == 0; break;   // deprecated in 5.2, still in 5.4
    default: return cl == c;   // an escaped non-letter stands for itself
    }
    return cl < 'a' ? !yes : yes;
}

// The set [...] from p (its '[') to close (its ']').
bool matchSet(int c, const char *p, const char *close)
{
    bool member = true;
    if (p[1] == '^') {
        member = false;
        ++p;
    }
    while (++p < close) {
        if (*p == kEscape) {
            ++p;
            if (matchClass(c, byteOf(*p)))
                return member;
        } else if (p[1] == '-' && p + 2 < close) {
            p += 2;
            if (byteOf(p[-2]) <= c && c <= byteOf(*p))
                return member;
        } else if (byteOf(*p) == c) {
            return member;
        }
    }
    return !member;
}

// Past the single-character class at p: "x", "%x", "[...]". This and singleMatch are inlined
// into their callers, as Lua's matcher has them: about 9 % fewer instructions than Lua's own on
// a header script's finds and gsubs, instead of 3 % more.
[[gnu::always_inline]] inline const char *classEnd(PatternMatcher &m, const char *p)
{
    const char c = *p++;
    if (c == kEscape) {
        if (p == m.patternEnd)
            m.fail("malformed pattern (ends with '%')");
        return p + 1;
    }
    if (c == '[') {
        const char *const first = p;
        if (*p == '^')
            ++p;
        do {   // the first member may be ']'
            if (p == m.patternEnd)
                m.fail("malformed pattern (missing ']')");
            if (*p++ == kEscape && p < m.patternEnd)
                ++p;
        } while (*p != ']');
        m.budget.steps((p - first) / kBytesPerStep);
        return p + 1;
    }
    return p;
}

[[gnu::always_inline]] inline bool singleMatch(PatternMatcher &m, const char *s, const char *p, const char *ep)
{
    if (s >= m.subjectEnd)
        return false;
    const int c = byteOf(*s);
    switch (*p) {
    case '.':
        return true;
    case kEscape:
        return matchClass(c, byteOf(p[1]));
    case '[':
        m.budget.steps((ep - p) / kBytesPerStep);
        return matchSet(c, p, ep - 1);
    default:
        return byteOf(*p) == c;
    }
}

// %bxy at p (pointing at x).
const char *matchBalance(PatternMatcher &m, const char *s, const char *p)
{
    if (p >= m.patternEnd - 1)
        m.fail("malformed pattern (missing arguments to '%b')");
    if (*s != *p)
        return nullptr;
    const char open = p[0];
    const char close = p[1];
    const char *const first = s;
    const char *end = nullptr;
    int depth = 1;
    while (++s < m.subjectEnd) {
        if (*s == close) {
            if (--depth == 0) {
                end = s + 1;
                break;
            }
        } else if (*s == open) {
            ++depth;
        }
    }
    m.budget.steps(s - first);
    return end;
}

// The item at p..ep repeated as often as it matches, then fewer until the rest matches.
const char *maxExpand(PatternMatcher &m, const char *s, const char *p, const char *ep)
{
    ptrdiff_t n = 0;
    while (singleMatch(m, s + n, p, ep))
        ++n;
    m.budget.steps(n);
    for (; n >= 0; --n) {
        if (const char *end = matchAt(m, s + n, ep + 1))
            return end;
    }
    return nullptr;
}

// The item at p..ep repeated as rarely as the rest allows.
const char *minExpand(PatternMatcher &m, const char *s, const char *p, const char *ep)
{
    for (;;) {
        if (const char *end = matchAt(m, s, ep + 1))
            return end;
        if (!singleMatch(m, s, p, ep))
            return nullptr;
        ++s;
    }
}

const char *startCapture(PatternMatcher &m, const char *s, const char *p, ptrdiff_t kind)
{
    if (m.level >= kMaxCaptures)
        m.fail("too many captures");
    m.captures[m.level] = PatternCapture{s, kind};
    ++m.level;
    const char *end = matchAt(m, s, p);
    if (!end)
        --m.level;
    return end;
}

const char *endCapture(PatternMatcher &m, const char *s, const char *p)
{
    int open = m.level - 1;
    while (open >= 0 && m.captures[open].length != kUnfinished)
        --open;
    if (open < 0)
        m.fail("invalid pattern capture");
    m.captures[open].length = s - m.captures[open].start;
    const char *end = matchAt(m, s, p);
    if (!end)
        m.captures[open].length = kUnfinished;
    return end;
}

// %1-%9 (digit) in a pattern: the text of that closed capture again.
const char *matchBackReference(PatternMatcher &m, const char *s, char digit)
{
    const int i = digit - '1';
    if (i < 0 || i >= m.level || m.captures[i].length == kUnfinished)
        luaL_error(m.budget.L, "invalid capture index %%%d", i + 1);
    const ptrdiff_t length = m.captures[i].length;
    // A position capture's length (kPosition) as a size is larger than any subject: no match.
    if (size_t(m.subjectEnd - s) < size_t(length))
        return nullptr;
    m.budget.steps(length / kBytesPerStep);
    return std::memcmp(m.captures[i].start, s, size_t(length)) == 0 ? s + length : nullptr;
}

// Where the pattern from p matches the subject at s (its end), or null. One step for the call and
// one per item tried, counted here and charged on return: what a call does before it returns or
// calls again is bounded by the pattern's length.
const char *matchAt(PatternMatcher &m, const char *s, const char *p)
{
    if (m.depth-- == 0)
        m.fail("pattern too complex");
    qint64 steps = 1;
    for (; p != m.patternEnd; ++steps) {
        const char c = *p;
        if (c == '(') {
            s = p[1] == ')' ? startCapture(m, s, p + 2, kPosition) : startCapture(m, s, p + 1, kUnfinished);
            break;
        }
        if (c == ')') {
            s = endCapture(m, s, p + 1);
            break;
        }
        if (c == '$' && p + 1 == m.patternEnd) {   // '$' elsewhere is an ordinary character
            if (s != m.subjectEnd)
                s = nullptr;
            break;
        }
        if (c == kEscape) {
            const char e = p[1];
            if (e == 'b') {
                s = matchBalance(m, s, p + 2);
                if (!s)
                    break;
                p += 4;
                continue;
            }
            if (e == 'f') {
                p += 2;
                if (*p != '[')
                    m.fail("missing '[' after '%f' in pattern");
                const char *ep = classEnd(m, p);
                const int before = s == m.subject ? 0 : byteOf(s[-1]);
                m.budget.steps(2 * ((ep - p) / kBytesPerStep));
                if (!matchSet(before, p, ep - 1) && matchSet(byteOf(*s), p, ep - 1)) {
                    p = ep;
                    continue;
                }
                s = nullptr;
                break;
            }
            if (e >= '0' && e <= '9') {
                s = matchBackReference(m, s, e);
                if (!s)
                    break;
                p += 2;
                continue;
            }
        }
        // A single-character class, maybe followed by a repetition.
        const char *ep = classEnd(m, p);
        if (!singleMatch(m, s, p, ep)) {
            if (*ep == '*' || *ep == '?' || *ep == '-') {   // zero repetitions are fine
                p = ep + 1;
                continue;
            }
            s = nullptr;
            break;
        }
        if (*ep == '?') {
            if (const char *end = matchAt(m, s + 1, ep + 1)) {
                s = end;
                break;
            }
            p = ep + 1;
            continue;
        }
        if (*ep == '+') {
            s = maxExpand(m, s + 1, p, ep);
            break;
        }
        if (*ep == '*') {
            s = maxExpand(m, s, p, ep);
            break;
        }
        if (*ep == '-') {
            s = minExpand(m, s, p, ep);
            break;
        }
        ++s;
        p = ep;
    }
    m.budget.steps(steps);
    ++m.depth;
    return s;
}

// Capture i of a match from s to e (the whole match when there are no captures and i is 0): its
// length and start, or kPosition with the position pushed.
ptrdiff_t captureOf(PatternMatcher &m, int i, const char *s, const char *e, const char **start)
{
    if (i >= m.level) {
        if (i != 0)
            luaL_error(m.budget.L, "invalid capture index %%%d", i + 1);
        *start = s;
        return e - s;
    }
    const PatternCapture &c = m.captures[i];
    *start = c.start;
    if (c.length == kUnfinished)
        m.fail("unfinished capture");
    if (c.length == kPosition)
        lua_pushinteger(m.budget.L, c.start - m.subject + 1);
    return c.length;
}

void pushCapture(PatternMatcher &m, int i, const char *s, const char *e)
{
    const char *start = nullptr;
    const ptrdiff_t length = captureOf(m, i, s, e, &start);
    if (length != kPosition)
        lua_pushlstring(m.budget.L, start, size_t(length));
}

// The captures, or the whole match (s to e) when there are none and s is set.
int pushCaptures(PatternMatcher &m, const char *s, const char *e)
{
    const int n = m.level == 0 && s ? 1 : m.level;
    luaL_checkstack(m.budget.L, n, "too many captures");
    for (int i = 0; i < n; ++i)
        pushCapture(m, i, s, e);
    return n;
}

// A 1-based position that may count from the end, as a start position (1 to len + 1 and beyond).
size_t startPosition(lua_Integer position, size_t length)
{
    if (position > 0)
        return size_t(position);
    if (position == 0 || position < -lua_Integer(length))
        return 1;
    return length + size_t(position) + 1;
}

bool hasSpecials(const char *p, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        switch (p[i]) {
        case '^': case '$': case '*': case '+': case '?': case '.': case '(': case '[': case '%': case '-':
            return true;
        default:
            break;
        }
    }
    return false;
}

// The first occurrence of p in s; each candidate (a place where p's first byte is) is charged.
const char *findPlain(PatternBudget &budget, const char *s, size_t ls, const char *p, size_t lp)
{
    if (lp == 0)
        return s;
    if (lp > ls)
        return nullptr;
    const char *const last = s + (ls - lp);   // the last place a match can start
    const qint64 cost = 1 + qint64(lp / kBytesPerStep);
    while (s <= last) {
        const auto *at = static_cast<const char *>(std::memchr(s, *p, size_t(last - s) + 1));
        if (!at)
            return nullptr;
        budget.steps(cost);
        if (std::memcmp(at + 1, p + 1, lp - 1) == 0)
            return at;
        s = at + 1;
    }
    return nullptr;
}

int findOrMatch(lua_State *L, bool luaFind)
{
    size_t ls = 0, lp = 0;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    const size_t init = startPosition(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (luaFind && (lua_toboolean(L, 4) || !hasSpecials(p, lp))) {
        PatternBudget budget{L};
        const char *at = findPlain(budget, s + init, ls - init, p, lp);
        budget.charge();
        if (at) {
            lua_pushinteger(L, at - s + 1);
            lua_pushinteger(L, lua_Integer(size_t(at - s) + lp));
            return 2;
        }
        luaL_pushfail(L);
        return 1;
    }
    const bool anchor = *p == '^';
    if (anchor) {
        ++p;
        --lp;
    }
    PatternMatcher m;
    m.start(L, s, ls, p, lp);
    const char *from = s + init;
    do {
        m.reset();
        if (const char *end = matchAt(m, from, p)) {
            m.budget.charge();
            if (luaFind) {
                lua_pushinteger(L, from - s + 1);
                lua_pushinteger(L, end - s);
                return pushCaptures(m, nullptr, nullptr) + 2;
            }
            return pushCaptures(m, from, end);
        }
    } while (from++ < m.subjectEnd && !anchor);
    m.budget.charge();
    luaL_pushfail(L);
    return 1;
}

int luaFind(lua_State *L)
{
    return findOrMatch(L, true);
}

int luaMatch(lua_State *L)
{
    return findOrMatch(L, false);
}

// gmatch's iterator: its upvalues are the subject, the pattern (kept alive) and this state.
struct GmatchState
{
    const char *next;        // where the next search starts
    const char *lastMatch;   // the end of the last match (an empty match there is skipped)
    const char *pattern;
    PatternMatcher m;
};

int luaGmatchNext(lua_State *L)
{
    auto *g = static_cast<GmatchState *>(lua_touserdata(L, lua_upvalueindex(3)));
    g->m.budget.L = L;   // errors and charges go to the state calling the iterator
    for (const char *from = g->next; from <= g->m.subjectEnd; ++from) {
        g->m.reset();
        const char *end = matchAt(g->m, from, g->pattern);
        if (end && end != g->lastMatch) {
            g->next = g->lastMatch = end;
            g->m.budget.charge();
            return pushCaptures(g->m, from, end);
        }
    }
    g->m.budget.charge();
    return 0;
}

int luaGmatch(lua_State *L)
{
    size_t ls = 0, lp = 0;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = startPosition(luaL_optinteger(L, 3, 1), ls) - 1;
    lua_settop(L, 2);
    auto *g = static_cast<GmatchState *>(lua_newuserdatauv(L, sizeof(GmatchState), 0));
    new (g) GmatchState{};
    if (init > ls)
        init = ls + 1;   // past the end: nothing is found
    g->m.start(L, s, ls, p, lp);
    g->next = s + init;
    g->lastMatch = nullptr;
    g->pattern = p;
    lua_pushcclosure(L, &luaGmatchNext, 3);
    return 1;
}

// gsub's replacement string (argument 3) for the match s..e: "%0"-"%9" and "%%" expanded.
void addReplacement(PatternMatcher &m, luaL_Buffer *b, const char *s, const char *e)
{
    lua_State *L = m.budget.L;
    size_t length = 0;
    const char *text = lua_tolstring(L, 3, &length);
    const char *p = nullptr;
    while ((p = static_cast<const char *>(std::memchr(text, kEscape, length))) != nullptr) {
        m.budget.step();
        luaL_addlstring(b, text, size_t(p - text));
        ++p;   // the replacement is a Lua string: a '%' at its end is followed by '\0'
        if (*p == kEscape) {
            luaL_addchar(b, *p);
        } else if (*p == '0') {
            luaL_addlstring(b, s, size_t(e - s));
        } else if (std::isdigit(byteOf(*p))) {
            const char *start = nullptr;
            const ptrdiff_t captured = captureOf(m, *p - '1', s, e, &start);
            if (captured == kPosition)
                luaL_addvalue(b);   // the position captureOf pushed
            else
                luaL_addlstring(b, start, size_t(captured));
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", kEscape);
        }
        length -= size_t(p + 1 - text);
        text = p + 1;
    }
    luaL_addlstring(b, text, length);
}

// Adds the replacement of the match s..e; false when the original text stays (a function or
// table gave false or nil).
bool addValue(PatternMatcher &m, luaL_Buffer *b, const char *s, const char *e, int replacementType)
{
    lua_State *L = m.budget.L;
    if (replacementType == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        const int n = pushCaptures(m, s, e);
        lua_call(L, n, 1);
    } else if (replacementType == LUA_TTABLE) {
        pushCapture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        addReplacement(m, b, s, e);
        return true;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, size_t(e - s));
        return false;
    }
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return true;
}

int luaGsub(lua_State *L)
{
    size_t ls = 0, lp = 0;
    const char *src = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    const int replacementType = lua_type(L, 3);
    const lua_Integer maxReplacements = luaL_optinteger(L, 4, lua_Integer(ls) + 1);
    luaL_argexpected(L, replacementType == LUA_TNUMBER || replacementType == LUA_TSTRING
                            || replacementType == LUA_TFUNCTION || replacementType == LUA_TTABLE,
                     3, "string/function/table");
    const bool anchor = *p == '^';
    if (anchor) {
        ++p;
        --lp;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    PatternMatcher m;
    m.start(L, src, ls, p, lp);
    const char *lastMatch = nullptr;
    lua_Integer n = 0;
    bool changed = false;
    while (n < maxReplacements) {
        m.reset();
        const char *end = matchAt(m, src, p);
        if (end && end != lastMatch) {   // an empty match right after a match is skipped
            ++n;
            changed = addValue(m, &b, src, end, replacementType) || changed;
            src = lastMatch = end;
        } else if (src < m.subjectEnd) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor)
            break;
    }
    m.budget.charge();
    if (changed) {
        luaL_addlstring(&b, src, size_t(m.subjectEnd - src));
        luaL_pushresult(&b);
    } else {
        lua_pushvalue(L, 1);
    }
    lua_pushinteger(L, n);
    return 2;
}

} // namespace

void openLuaPatternFunctions(lua_State *L)
{
    static const luaL_Reg kFunctions[] = {
        {"find", &luaFind}, {"match", &luaMatch}, {"gmatch", &luaGmatch}, {"gsub", &luaGsub}, {nullptr, nullptr},
    };
    luaL_setfuncs(L, kFunctions, 0);
}

} // namespace Gatehouse
