// The sandbox's pattern functions (policies/lua/luapattern.cpp): the same results and error
// messages as Lua 5.4's own string.find/match/gmatch/gsub, case by case (hand-written and
// generated), and hostile patterns stopped by the instruction budget at the script's line.
#include "policies/lua/luasandbox.h"

#include <QElapsedTimer>
#include <QTest>

#include <lua.hpp>

#include <cctype>
#include <optional>
#include <random>
#include <vector>

using namespace Gatehouse;

namespace {

// Defined in both states: probe(kind, subject, pattern, init, extra) runs one call under pcall and
// writes its results (or its error message) as text. extra: find's `plain`, gsub's replacement
// (an index into `replacements`) and, from 100 on, gsub's max-n as extra // 100 - 2 (-1, 0, 1...).
constexpr char kDriver[] = R"(
local function text(...)
  local out = {}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if type(v) == 'string' then out[#out + 1] = string.format('%q', v)
    else out[#out + 1] = type(v) .. ':' .. tostring(v) end
  end
  return table.concat(out, ',')
end
local replacements = {
  '<%0>', '%1|%2', '%%', 'x%', '%z', 42, {a = 'A', b = false, ['('] = 7, [''] = 'E', ['1'] = 1.5},
  function(...) if select('#', ...) == 0 then return nil end return '[' .. table.concat({...}, '/') .. ']' end,
  function(a) if a == 'a' then return {} end return a end, '%3', '%1', '', '%0%0', 'x',
}
function probe(kind, s, p, init, extra)
  if kind == 'find' then return text(pcall(string.find, s, p, init, extra == 1))
  elseif kind == 'match' then return text(pcall(string.match, s, p, init))
  elseif kind == 'gmatch' then
    return text(pcall(function()
      local out = {}
      for a, b, c in string.gmatch(s, p, init) do
        out[#out + 1] = text(a, b, c)
        if #out > 40 then break end
      end
      return table.concat(out, ';')
    end))
  elseif kind == 'gsub' then
    local n = extra >= 100 and extra // 100 - 2 or init
    return text(pcall(string.gsub, s, p, replacements[extra % 100], n))
  elseif kind == 'arguments' then
    return text(pcall(string.find)) .. ';' .. text(pcall(string.match, 'a')) .. ';' .. text(pcall(string.gmatch, 'a', {}))
      .. ';' .. text(pcall(string.gsub, 'a', 'a')) .. ';' .. text(pcall(string.gsub, 'a', 'a', true))
      .. ';' .. text(pcall(string.gsub, 'a', 'a', 'b', 'x')) .. ';' .. text(pcall(string.find, 'a', 'a', 1.5))
      .. ';' .. text(pcall(string.find, 12345, 3)) .. ';' .. text(pcall(string.gsub, 'a', 'a', 'b', 2.0))
  elseif kind == 'method' then
    return text(pcall(function() return s:find(p, init), s:match(p), select(2, s:gsub(p, '')) end))
  end
end
)";

struct Case
{
    QByteArray kind;
    QByteArray subject;
    QByteArray pattern;
    bool hasInit = false;
    qint64 init = 0;
    int extra = 0;
};

QByteArray describe(const Case &c)
{
    return c.kind + "(" + c.subject.toPercentEncoding() + ", " + c.pattern.toPercentEncoding()
           + ", init " + (c.hasInit ? QByteArray::number(c.init) : QByteArray("nil")) + ", extra "
           + QByteArray::number(c.extra) + ")";
}

// Runs the driver's probe in L; `call` runs a function with its arguments on the stack.
template<typename Call>
QByteArray probe(lua_State *L, const Case &c, Call call)
{
    lua_getglobal(L, "probe");
    lua_pushlstring(L, c.kind.constData(), size_t(c.kind.size()));
    lua_pushlstring(L, c.subject.constData(), size_t(c.subject.size()));
    lua_pushlstring(L, c.pattern.constData(), size_t(c.pattern.size()));
    if (c.hasInit)
        lua_pushinteger(L, c.init);
    else
        lua_pushnil(L);
    lua_pushinteger(L, c.extra);
    QString error;
    if (!call(&error))
        return "driver failed: " + error.toUtf8();
    size_t length = 0;
    const char *out = lua_tolstring(L, -1, &length);
    QByteArray result(out, qsizetype(length));
    lua_pop(L, 1);
    return result;
}

// Lua's own functions (a plain state with the standard libraries) and the sandbox's, side by side.
class TwoStates
{
public:
    TwoStates() : m_sandbox(LuaSandbox::Limits{64 * 1024 * 1024, qint64(1) << 40})
    {
        m_lua = luaL_newstate();
        luaL_openlibs(m_lua);
        m_ready = luaL_loadbuffer(m_lua, kDriver, sizeof kDriver - 1, "=driver") == LUA_OK
                  && lua_pcall(m_lua, 0, 0, 0) == LUA_OK;
        QString error;
        m_ready = m_ready && m_sandbox.run(QByteArray(kDriver), "=driver", &error);
    }
    ~TwoStates() { lua_close(m_lua); }
    TwoStates(const TwoStates &) = delete;
    TwoStates &operator=(const TwoStates &) = delete;

    bool ready() const { return m_ready; }
    QByteArray lua(const Case &c)
    {
        return probe(m_lua, c, [this](QString *error) {
            if (lua_pcall(m_lua, 5, 1, 0) == LUA_OK)
                return true;
            *error = QString::fromUtf8(lua_tostring(m_lua, -1));
            lua_pop(m_lua, 1);
            return false;
        });
    }
    QByteArray sandbox(const Case &c)
    {
        return probe(m_sandbox.state(), c, [this](QString *error) { return m_sandbox.call(5, 1, error); });
    }

private:
    lua_State *m_lua = nullptr;
    LuaSandbox m_sandbox;
    bool m_ready = false;
};

QByteArray allBytes()
{
    QByteArray bytes;
    for (int c = 0; c < 256; ++c)
        bytes += char(c);
    return bytes;
}

// Patterns of random items over a small alphabet, malformed ones among them.
Case randomCase(std::mt19937 &rng)
{
    static const std::vector<QByteArray> items = {
        "a", "b", "x", ".", "%a", "%d", "%s", "%w", "%p", "%A", "%x", "%l", "%u", "%c", "%g", "%S", "%W", "%%",
        "%.", "%(", "[ab]", "[^a]", "[a-c]", "[%d_]", "[]]", "[^]]", "[a-]", "[%a-]", "[-a]", "[b-a]", "(", ")",
        "%1", "%2", "()", "%b()", "%bab", "%f[%w]", "%f[^%s]", "%f[a]", "$", "^", "-", "?", "+", "*", "[%]]",
        "%z", "\xe9", QByteArray("\0", 1), QByteArray("%\0", 2), " ",
    };
    static const std::vector<QByteArray> malformed = {
        "%", "[a", "%b", "%bx", "%f", "%fa", "(", ")", "%9", "%0", "[%", "[", "[^", "(()", "%b(", "[a-", "%f[a",
    };
    static const std::vector<QByteArray> repetitions = {"", "", "", "*", "+", "-", "?"};
    static const std::vector<QByteArray> letters = {
        "a", "a", "b", " ", "(", ")", "x", "1", "9", "A", "Z", "%", ".", "-", "\t", "\n", QByteArray("\0", 1),
        "\xe9", "_", "[", "]",
    };
    static const QByteArray kinds[] = {"find", "match", "gmatch", "gsub", "method"};
    static const qint64 inits[] = {1, 2, 0, -1, -3, 5, 17, 40, -40, LUA_MININTEGER, LUA_MAXINTEGER};
    const auto pick = [&rng](const std::vector<QByteArray> &from) { return from[rng() % from.size()]; };
    Case c;
    c.kind = kinds[rng() % 5];
    if (rng() % 4 == 0)
        c.pattern = "^";
    for (unsigned i = rng() % 6; i > 0; --i)
        c.pattern += pick(items) + pick(repetitions);
    if (rng() % 12 == 0)
        c.pattern += pick(malformed);
    for (unsigned i = rng() % 16; i > 0; --i)
        c.subject += pick(letters);
    c.hasInit = rng() % 3 != 0;
    c.init = c.hasInit ? inits[rng() % 11] : 0;
    c.extra = c.kind == "find" ? int(rng() % 4 == 0) : c.kind == "gsub" ? int(1 + rng() % 14) : 0;
    if (c.kind == "gsub" && rng() % 3 == 0)
        c.extra += 100 * int(1 + rng() % 4);   // max-n -1, 0, 1 or 2
    return c;
}

// Patterns made from a piece of the subject (literals, classes, sets, captures and back-references
// of what is there), so that most of them match somewhere and their captures are exercised.
Case derivedCase(std::mt19937 &rng)
{
    static const QByteArray kinds[] = {"find", "match", "gmatch", "gsub"};
    static const char *const repetitions[] = {"", "", "*", "+", "-", "?"};
    static const char alphabet[] = "aabbc  ((()))[]%.-,=x19";
    Case c;
    c.kind = kinds[rng() % 4];
    for (unsigned i = 2 + rng() % 24; i > 0; --i)
        c.subject += alphabet[rng() % (sizeof alphabet - 1)];
    const qsizetype from = qsizetype(rng() % unsigned(c.subject.size()));
    const QByteArray piece = c.subject.mid(from, qsizetype(1 + rng() % 6));
    int open = 0, closed = 0;
    if (rng() % 5 == 0)
        c.pattern += "^";
    for (const char ch : piece) {
        if (rng() % 4 == 0 && open < 3) {
            c.pattern += rng() % 5 == 0 ? "()" : "(";
            if (!c.pattern.endsWith("()"))
                ++open;
        }
        const bool punctuation = std::ispunct(static_cast<unsigned char>(ch)) != 0;
        switch (rng() % 6) {
        case 0: c.pattern += "."; break;
        case 1: c.pattern += punctuation ? "%p" : ch == ' ' ? "%s" : "%w"; break;
        case 2: c.pattern += QByteArray("[") + (punctuation ? "%" : "") + ch + "x]"; break;
        case 3: c.pattern += punctuation ? "%b()" : "%f[%w]"; break;
        default: c.pattern += punctuation ? QByteArray("%") + ch : QByteArray(1, ch); break;
        }
        c.pattern += repetitions[rng() % 6];
        if (open > 0 && rng() % 3 == 0) {
            c.pattern += ")";
            --open;
            ++closed;
        }
        if (closed > 0 && rng() % 6 == 0)
            c.pattern += "%" + QByteArray::number(1 + int(rng() % unsigned(closed)));
    }
    while (open-- > 0)
        c.pattern += ")";
    if (rng() % 5 == 0)
        c.pattern += "$";
    c.hasInit = rng() % 2 == 0;
    c.init = qint64(rng() % 8) - 3;
    c.extra = c.kind == "gsub" ? int(1 + rng() % 14) : int(rng() % 2);
    return c;
}

constexpr int kGeneratedCases = 20000;

} // namespace

Q_DECLARE_METATYPE(Case)

class tst_LuaPattern : public QObject
{
    Q_OBJECT
private slots:
    void sameAsLua_data();
    void sameAsLua();
    void sameAsLuaOnGeneratedCases();
    void hostilePatternsStopAtTheBudget_data();
    void hostilePatternsStopAtTheBudget();
    void ordinaryWorkFitsTheBudget();
    void chargesOfHeaderWork_data();
    void chargesOfHeaderWork();
};

void tst_LuaPattern::sameAsLua_data()
{
    QTest::addColumn<Case>("c");
    const auto row = [](const char *name, QByteArray kind, QByteArray subject, QByteArray pattern,
                        std::optional<qint64> init = {}, int extra = 0) {
        QTest::newRow(name) << Case{kind, subject, pattern, init.has_value(), init.value_or(0), extra};
    };
    // Every class and its negation over all 256 bytes: what gsub leaves is what is not in it.
    for (const char *cls : {"%a", "%c", "%d", "%g", "%l", "%p", "%s", "%u", "%w", "%x", "%A", "%C", "%D", "%G",
                            "%L", "%P", "%S", "%U", "%W", "%X", "%z", "%.", "[%a_]", "[^%d%s]", "[a-f%s]", "[%]]",
                            "[]]", "[^]]", "[a-]", "[-a]", "[%-]", "[z-a]", "[\x80-\xff]", "[^\x01-\x7f]", "%f[%w]",
                            "%f[^%z]"})
        QTest::addRow("class %s over all bytes", cls) << Case{"gsub", allBytes(), cls, false, 0, 12};
    row("%b balanced", "gmatch", "x(a(b)c)d(e", "%b()");
    row("%b with the same open and close", "gmatch", "|a|b||c|", "%b||");
    row("%b unbalanced", "find", "((a)", "^%b()");
    row("%f frontier words", "gmatch", "THE (quick) fox", "%f[%a]%a+");
    row("%f at the end", "find", "abc", "%f[%z]");
    row("%f at the start", "find", "abc", "%f[%a]");
    row("captures", "gmatch", "a=1, b=2, c=", "(%w+)=(%w*)");
    row("position captures", "find", "hello", "()ll()");
    row("position capture in gsub", "gsub", "hello", "()l", {}, 2);
    row("back-reference", "match", "x = \"a'b\" y", "([\"'])(.-)%1");
    row("back-reference to a position capture", "find", "aa", "()%1");
    row("back-reference to an open capture", "find", "aa", "(a%1)");
    row("anchor", "find", "abcabc", "^abc", 2);
    row("anchor at init", "find", "abcabc", "^abc", 4);
    row("end anchor", "find", "abcabc", "abc$");
    row("dollar inside", "find", "a$b", "a$b");
    row("caret inside", "find", "a^b", "a^b");
    row("caret in gmatch is literal", "gmatch", "^a^a", "^a");
    row("plain find", "find", "a.b", ".", 1, 1);
    row("plain find of nothing past the end", "find", "abc", "", 10);
    row("find of nothing at the end", "find", "abc", "", 4);
    row("negative init", "find", "abcabc", "b", -2);
    row("init before the start", "find", "abc", "a", -10);
    row("init zero", "match", "abc", ".", 0);
    row("init past the end", "match", "abc", ".", 5);
    row("init at len + 1", "match", "abc", "$", 4);
    row("the smallest init", "find", "abc", "c", LUA_MININTEGER);
    row("find without specials uses the plain search", "find", "a\0b", QByteArray("\0b", 2));
    row("gmatch init (5.4)", "gmatch", "abc", ".", 2);
    row("gmatch init past the end", "gmatch", "abc", ".*", 10);
    row("gmatch empty matches", "gmatch", "abc", "%a*");
    row("gmatch empty matches after a match", "gmatch", "ab  cd", "%a*");
    row("gsub empty matches", "gsub", "abc", "%w*", {}, 1);
    row("gsub %0 twice", "gsub", "hello world", "o", {}, 13);
    row("gsub %%", "gsub", "hello world", "o", {}, 3);
    row("gsub captures", "gsub", "k=v, a=b", "(%w+)=(%w+)", {}, 2);
    row("gsub %1 without captures is the match", "gsub", "abc", "b", {}, 11);
    row("gsub %2 without captures", "gsub", "abc", "b", {}, 2);
    row("gsub a '%' at the end", "gsub", "abc", "b", {}, 4);
    row("gsub '%z' in the replacement", "gsub", "abc", "b", {}, 5);
    row("gsub with a number", "gsub", "abc", "b", {}, 6);
    row("gsub with a table", "gsub", "a(b", "%p", {}, 7);
    row("gsub with a table and captures", "gsub", "ab1", "(%w)", {}, 7);
    row("gsub with a table giving a number", "gsub", "1", "1", {}, 7);
    row("gsub with a function", "gsub", "k=v, a=b", "(%w+)=(%w+)", {}, 8);
    row("gsub with a function giving a table", "gsub", "ab", "%w", {}, 9);
    row("gsub max n 0", "gsub", "aaa", "a", {}, 114 + 100);
    row("gsub max n 1", "gsub", "aaa", "a", {}, 114 + 200);
    row("gsub max n -1", "gsub", "aaa", "a", {}, 114);
    row("gsub anchored", "gsub", "aaa", "^a", {}, 14);
    row("gsub without a replacement", "gsub", "aaa", "a", {}, 15);
    row("ends with '%'", "find", "a", "a%");
    row("missing ']'", "find", "a", "[a");
    row("missing ']' after an escape", "find", "a", "[a%]");
    row("invalid capture index", "find", "a", "%1");
    row("invalid capture index %0", "find", "a", "(a)%0");
    row("too many captures", "find", "a", QByteArray("()").repeated(33));
    row("32 captures", "find", "a", QByteArray("()").repeated(32));
    row("pattern too complex", "match", QByteArray("a").repeated(300), QByteArray("a?").repeated(300));
    row("deep but not too complex", "match", QByteArray("a").repeated(150), QByteArray("a?").repeated(150));
    row("invalid pattern capture", "find", "a", "a)");
    row("unfinished capture", "match", "a", "(a");
    row("%b without arguments", "find", "a", "%b");
    row("%b with one argument", "find", "a", "%ba");
    row("%f without a set", "find", "a", "%fa");
    row("arguments checked and converted as Lua does", "arguments", "", "");
    row("method forms", "method", "key=value", "(%w+)=(%w+)");
}

void tst_LuaPattern::sameAsLua()
{
    QFETCH(Case, c);
    TwoStates states;
    QVERIFY(states.ready());
    QCOMPARE(states.sandbox(c), states.lua(c));
}

void tst_LuaPattern::sameAsLuaOnGeneratedCases()
{
    TwoStates states;
    QVERIFY(states.ready());
    std::mt19937 rng(20261127);
    int matched = 0, failed = 0;
    for (int i = 0; i < kGeneratedCases; ++i) {
        const Case c = i % 2 ? randomCase(rng) : derivedCase(rng);
        const QByteArray lua = states.lua(c);
        const QByteArray ours = states.sandbox(c);
        if (ours != lua)
            QFAIL((describe(c) + ":\n  sandbox: " + ours + "\n  Lua:     " + lua).constData());
        failed += lua.startsWith("boolean:false") ? 1 : 0;
        matched += lua.startsWith("boolean:true,nil:nil") || lua == "boolean:true,\"\"" ? 0 : 1;
    }
    // The generators exercise both sides: matches with captures, and errors.
    QVERIFY2(matched > kGeneratedCases / 3, qPrintable(QString::number(matched)));
    QVERIFY2(failed > kGeneratedCases / 50, qPrintable(QString::number(failed)));
}

void tst_LuaPattern::hostilePatternsStopAtTheBudget_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow(".-.-.-.-b on 3000 a's") << QByteArray("string.find(string.rep('a', 3000), '.-.-.-.-b')");
    QTest::newRow("the method form") << QByteArray("local s = string.rep('a', 3000) s:match('.-.-.-.-b')");
    QTest::newRow("gmatch") << QByteArray("for _ in string.rep('a', 3000):gmatch('.-.-.-b') do end");
    QTest::newRow("gsub") << QByteArray("string.rep('a', 3000):gsub('.-.-.-b', '')");
    QTest::newRow("nested (.-) with back-references")
        << QByteArray("string.rep('a', 3000):find('(.-)%1(.-)%2(.-)%3b')");
    QTest::newRow("%b() on a MiB of '('") << QByteArray("string.rep('(', 1 << 20):find('%b()')");
    QTest::newRow("gsub with a match at every place of a MiB") << QByteArray("string.rep('a', 1 << 20):gsub('', '-')");
    QTest::newRow("a plain find that compares 256 KiB at every place")
        << QByteArray("string.find(string.rep('a', 1 << 20), string.rep('a', 1 << 18) .. 'b', 1, true)");
    QTest::newRow("a set of 64 KiB tried at every place")
        << QByteArray("string.rep('a', 1 << 16):find('[' .. string.rep('b', 1 << 16) .. ']')");
    QTest::newRow("a replacement of 64 Ki empty captures per match")
        << QByteArray("string.rep('a', 4096):gsub('(b*)', string.rep('%1', 1 << 16))");
    QTest::newRow("back-references of up to 512 KiB compared") << QByteArray("string.rep('a', 1 << 20):find('(a*)%1b')");
}

void tst_LuaPattern::hostilePatternsStopAtTheBudget()
{
    QFETCH(QByteArray, line);
    LuaSandbox sandbox(LuaSandbox::Limits{16 * 1024 * 1024, 100'000});
    QString error;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!sandbox.run("local x = 1\n" + line + "\n", "@policies/s.lua", &error));
    QCOMPARE(error, QStringLiteral("policies/s.lua:2: instruction budget of 100000 exceeded (an endless loop?)"));
    // Lua's own matcher ran for seconds to hours on each of these; the budget stops it at once.
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    // The state is usable again afterwards.
    QVERIFY2(sandbox.run("assert(('a=1'):match('(%w)=(%d)') == 'a')", "=after", &error), qPrintable(error));
}

void tst_LuaPattern::ordinaryWorkFitsTheBudget()
{
    // A header script's kind of work under the default budget: parsing and rewriting a cookie
    // header of 4 KiB ten times (each step of the matcher counts as one instruction).
    LuaSandbox::Limits limits;
    limits.maxInstructions = 100'000'000;   // room for the 1 MiB gsub, which the default budget refuses
    LuaSandbox sandbox(limits);
    QString error;
    QVERIFY2(sandbox.run(R"(
local cookie = string.rep('session=abc123; theme=dark; ', 146)
local n = 0
for round = 1, 10 do
  for k, v in cookie:gmatch('(%w+)=([^;]*)') do n = n + 1 end
  local clean = cookie:gsub('session=[^;]*', 'session=-')
  assert(clean:find('session=-', 1, true) == 1)
end
assert(n == 10 * 292)
)", "=ordinary", &error), qPrintable(error));
}

void tst_LuaPattern::chargesOfHeaderWork_data()
{
    // What docs/policies.md quotes (luapolicy.cpp). Each chunk stays under kHookEvery VM instructions, so what it is
    // charged is the matcher's work alone.
    QTest::addColumn<QByteArray>("chunk");
    QTest::addColumn<qint64>("charged");
    QTest::newRow("path:find('^/zoo')") << QByteArray("local path = '/zoo/animals/7' path:find('^/zoo')") << qint64(5);
    QTest::newRow("auth:match('^Bearer%s+(.+)$')")
        << QByteArray("local auth = 'Bearer ' .. string.rep('x', 40) auth:match('^Bearer%s+(.+)$')") << qint64(50);
    QTest::newRow("gsub of (%w+)=([^;]*) over a 4 KiB cookie")
        << QByteArray("local cookie = string.rep('session=abc123; theme=dark; ', 146) cookie:gsub('(%w+)=([^;]*)', '')")
        << qint64(6426);
    QTest::newRow("gsub over every byte of a 1 MiB string")
        << QByteArray("local body = string.rep('a', 1048576) body:gsub('.', 'b')") << qint64(2097153);
}

void tst_LuaPattern::chargesOfHeaderWork()
{
    QFETCH(QByteArray, chunk);
    QFETCH(qint64, charged);
    LuaSandbox::Limits limits;
    limits.maxInstructions = 100'000'000;   // room for the 1 MiB gsub, which the default budget refuses
    LuaSandbox sandbox(limits);
    QString error;
    QVERIFY2(sandbox.run(chunk, "=charges", &error), qPrintable(error));
    QCOMPARE(sandbox.instructionsUsed(), charged);
}

QTEST_GUILESS_MAIN(tst_LuaPattern)
#include "tst_luapattern.moc"
