// Lua interceptors: the script API both ways, respond(), runtime errors, endless loops and memory
// bombs stopped, the sandbox's missing libraries, compile errors at the script's file:line, and
// one state per worker.
#include "../policyfixture.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QByteArray luaApi(const QByteArray &settings)
{
    return zooApi("x-gatehouse-basePath: /zoo\n"
                  "x-gatehouse-request-policies:\n"
                  "  - name: lua\n"
                  "    settings: " + settings + "\n");
}

} // namespace

class tst_LuaPolicy : public QObject
{
    Q_OBJECT
private slots:
    void scriptReadsAndEditsBothWays();
    void respondAnswers();
    void failuresAnswer500_data();
    void failuresAnswer500();
    void problemsAtTheScriptsLine_data();
    void problemsAtTheScriptsLine();
    void eachWorkerHasItsOwnState();
    void tostringWritesWhatLuaWrites_data();
    void tostringWritesWhatLuaWrites();
    void entryPointsAreTakenWhenLoaded();
};

void tst_LuaPolicy::scriptReadsAndEditsBothWays()
{
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("policies/edit.lua"), R"(
function on_request(req)
  local h = req:headers()
  req:set_header("X-Seen", req:method() .. " " .. req:path() .. " " .. req:query() .. " " .. h["user-agent"])
  req:set_header("X-Sub", req:principal().subject .. "|" .. tostring(req:principal().authenticated))
  req:remove_header("X-Secret")
  req:set_path("/v9" .. req:path(), "a=1")
end
function on_response(res)
  res:set_header("X-Status", tostring(res:status()) .. " " .. (res:header("server") or "none"))
  res:remove_header("Server")
end
)"));
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), luaApi("{script: edit.lua}")));
    QVERIFY2(p.build(), qPrintable(p.errors()));
    Exchange e(*p.config, "GET", "/zoo/pets/3?x=y", {{"User-Agent", "ua"}, {"X-Secret", "s"}});
    QCOMPARE(e.status, FilterStatus::Continue);
    QCOMPARE(e.upstreamHeader("X-Seen"), QByteArray("GET /zoo/pets/3 x=y ua"));
    QCOMPARE(e.upstreamHeader("X-Sub"), QByteArray("|false"));
    QVERIFY(e.upstreamHeader("X-Secret").isNull());
    QCOMPARE(e.ctx.upstreamPath, QByteArray("/v9/zoo/pets/3"));
    QCOMPARE(e.ctx.upstreamQuery, QByteArray("?a=1"));
    e.responseHead(202, {{"Server", "nginx"}});
    QCOMPARE(e.clientHeader("X-Status"), QByteArray("202 nginx"));
    QVERIFY(e.clientHeader("Server").isNull());
}

void tst_LuaPolicy::respondAnswers()
{
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("policies/stub.lua"), R"(
function on_request(req)
  if req:header("x-stub") then
    req:respond(418, '{"tea":true}', {["Content-Type"] = "application/json", ["X-Why"] = "teapot"})
  end
end
)"));
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), luaApi("{script: stub.lua}")));
    QVERIFY2(p.build(), qPrintable(p.errors()));
    Exchange passes(*p.config, "GET", "/zoo/things");
    QCOMPARE(passes.status, FilterStatus::Continue);
    Exchange e(*p.config, "GET", "/zoo/things", {{"X-Stub", "1"}});
    QCOMPARE(e.status, FilterStatus::Respond);
    QCOMPARE(e.ctx.error.status, 418);
    QCOMPARE(e.ctx.error.body, QByteArray(R"({"tea":true})"));
    QCOMPARE(e.ctx.error.contentType, QByteArray("application/json"));
    QCOMPARE(e.ctx.responseHeaders.size(), 1);
    QCOMPARE(e.ctx.responseHeaders.first().name, QByteArray("X-Why"));
}

void tst_LuaPolicy::failuresAnswer500_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("reason");
    QTest::newRow("a runtime error") << QByteArray("local t = nil; t.x = 1") << QStringLiteral("policies/s.lua:2: attempt to index a nil value");
    QTest::newRow("an endless loop") << QByteArray("while true do end") << QStringLiteral("instruction budget of 100000 exceeded");
    QTest::newRow("a memory bomb") << QByteArray("local s = string.rep('x', 1024 * 1024) local t = {} for i = 1, 100 do t[i] = s .. i end")
                                   << QStringLiteral("not enough memory");
    // Loops in C that the count hook cannot see are charged to the budget (they used to spin for good).
    QTest::newRow("string.rep of nothing") << QByteArray("local s = string.rep('', math.maxinteger)")
                                           << QStringLiteral("instruction budget of 100000 exceeded");
    QTest::newRow("table.move of a huge range") << QByteArray("table.move({}, 1, 1 << 62, 1)")
                                                << QStringLiteral("instruction budget of 100000 exceeded");
    QTest::newRow("table.move of the whole integer range") << QByteArray("table.move({}, math.mininteger, math.maxinteger, 1)")
                                                           << QStringLiteral("instruction budget of 100000 exceeded");
    // Lua's pattern matcher backtracked in C too: the sandbox's own charges its steps (tst_luapattern).
    QTest::newRow("a pattern that backtracks for hours") << QByteArray("string.find(string.rep('a', 3000), '.-.-.-.-b')")
                                                         << QStringLiteral("policies/s.lua:2: instruction budget of 100000 exceeded");
    QTest::newRow("the same as a method on a header") << QByteArray("(req:path() .. string.rep('a', 3000)):match('.-.-.-.-b')")
                                                      << QStringLiteral("policies/s.lua:2: instruction budget of 100000 exceeded");
    // Finalizers run with hooks disabled: a __gc that loops held the worker for good (fuzz_lua).
    QTest::newRow("a metatable with __gc") << QByteArray("setmetatable({}, {__gc = function() while true do end end})")
                                           << QStringLiteral("policies/s.lua:2: setmetatable: __gc is not allowed");
    QTest::newRow("io is absent") << QByteArray("io.open('/etc/passwd')") << QStringLiteral("global 'io'");
    QTest::newRow("os is absent") << QByteArray("os.execute('true')") << QStringLiteral("global 'os'");
    QTest::newRow("load is absent") << QByteArray("load('return 1')") << QStringLiteral("global 'load'");
    QTest::newRow("require is absent") << QByteArray("require('socket')") << QStringLiteral("global 'require'");
    QTest::newRow("debug is absent") << QByteArray("debug.sethook()") << QStringLiteral("global 'debug'");
    QTest::newRow("string.dump is absent") << QByteArray("string.dump(on_request)") << QStringLiteral("field 'dump'");
    QTest::newRow("a managed header") << QByteArray("req:set_header('Content-Length', '1')") << QStringLiteral("set_header");
    QTest::newRow("a header value with a newline") << QByteArray("req:set_header('X-A', 'a\\r\\nX-B: b')") << QStringLiteral("set_header");
}

void tst_LuaPolicy::failuresAnswer500()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, reason);
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("policies/s.lua"), "function on_request(req)\n  " + body + "\nend\n"));
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), luaApi("{script: s.lua, maxInstructions: 100000, maxMemoryKiB: 4096}")));
    QVERIFY2(p.build(), qPrintable(p.errors()));
    for (int round = 0; round < 2; ++round) {   // the state survives its failures
        Exchange e(*p.config, "GET", "/zoo/things");
        QCOMPARE(e.status, FilterStatus::Respond);
        QCOMPARE(e.ctx.error.status, 500);
        QVERIFY(!e.ctx.decisions.isEmpty());
        QVERIFY2(e.ctx.decisions.last().detail.contains(reason), qPrintable(e.ctx.decisions.last().detail));
    }
}

void tst_LuaPolicy::problemsAtTheScriptsLine_data()
{
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<QString>("error");
    QTest::newRow("a syntax error")
        << QByteArray("function on_request(req)\n  local x = = 1\nend\n")
        << QStringLiteral("policies/s.lua:2: error: Lua: unexpected symbol near '=' (attached at apis/zoo.yaml:6:5)");
    QTest::newRow("an error while the chunk runs")
        << QByteArray("local n = nil\nlocal m = n + 1\n")
        << QStringLiteral("policies/s.lua:2: error: Lua: attempt to perform arithmetic on a nil value (local 'n') (attached at apis/zoo.yaml:6:5)");
    QTest::newRow("no entry point")
        << QByteArray("local x = 1\n")
        << QStringLiteral("apis/zoo.yaml:6:5: error: policy 'lua': policies/s.lua defines neither on_request(req) nor on_response(res)");
    QTest::newRow("bytecode is refused")
        << QByteArray("\x1bLua\x54\x00", 6)
        << QStringLiteral("policies/s.lua: error: Lua: attempt to load a binary chunk (mode is 't') (attached at apis/zoo.yaml:6:5)");
}

void tst_LuaPolicy::problemsAtTheScriptsLine()
{
    QFETCH(QByteArray, script);
    QFETCH(QString, error);
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("policies/s.lua"), script));
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), luaApi("{script: s.lua}")));
    QVERIFY(!p.build());
    QCOMPARE(p.errors(), error);
}

void tst_LuaPolicy::eachWorkerHasItsOwnState()
{
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("policies/count.lua"),
                    "n = 0\nfunction on_request(req)\n  n = n + 1\n  req:set_header('X-N', tostring(n))\nend\n"));
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), luaApi("{script: count.lua}")));
    QVERIFY2(p.build(3), qPrintable(p.errors()));
    for (int expected = 1; expected <= 2; ++expected) {
        Exchange w0(*p.config, "GET", "/zoo/things", {}, 0);
        QCOMPARE(w0.upstreamHeader("X-N"), QByteArray::number(expected));
    }
    Exchange w2(*p.config, "GET", "/zoo/things", {}, 2);
    QCOMPARE(w2.upstreamHeader("X-N"), QByteArray("1"));
}

void tst_LuaPolicy::tostringWritesWhatLuaWrites_data()
{
    // The sandbox writes integers itself (a per-request cost otherwise): the text must be Lua's.
    QTest::addColumn<QByteArray>("expression");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("a status code") << QByteArray("tostring(204)") << QByteArray("204");
    // The sandbox's string.rep and table.move (charged to the budget) still do what Lua's do.
    QTest::newRow("string.rep") << QByteArray("string.rep('ab', 3, ',')") << QByteArray("ab,ab,ab");
    QTest::newRow("string.rep of nothing") << QByteArray("string.rep('', 5) .. '|'") << QByteArray("|");
    QTest::newRow("table.move") << QByteArray("table.concat(table.move({1, 2, 3}, 1, 3, 2), ',')") << QByteArray("1,1,2,3");
    // So do its pattern functions (tst_luapattern compares them with Lua's on thousands of cases).
    QTest::newRow("find, match, gsub and gmatch as methods")
        << QByteArray("tostring(req:path():find('/(%a+)')) .. req:path():match('%a+$') .. req:path():gsub('/', '.') .. "
                      "table.concat((function() local t = {} for w in req:path():gmatch('%a+') do t[#t + 1] = w end return t end)(), '+')")
        << QByteArray("1things.zoo.thingszoo+things");
    QTest::newRow("zero") << QByteArray("tostring(0)") << QByteArray("0");
    QTest::newRow("a negative integer") << QByteArray("tostring(-42)") << QByteArray("-42");
    QTest::newRow("the smallest integer") << QByteArray("tostring(math.mininteger)") << QByteArray("-9223372036854775808");
    QTest::newRow("the largest integer") << QByteArray("tostring(math.maxinteger)") << QByteArray("9223372036854775807");
    QTest::newRow("a float with an integer value keeps its .0") << QByteArray("tostring(3.0)") << QByteArray("3.0");
    QTest::newRow("a float") << QByteArray("tostring(0.1)") << QByteArray("0.1");
    QTest::newRow("an integer-valued string stays a string") << QByteArray("tostring('007')") << QByteArray("007");
    QTest::newRow("nil") << QByteArray("tostring(nil)") << QByteArray("nil");
    // The text of the last integer is kept for the next call with the same one.
    QTest::newRow("the same integer again, another, and the first again")
        << QByteArray("tostring(204) .. tostring(204) .. tostring(-1) .. tostring(204)") << QByteArray("204204-1204");
    QTest::newRow("an integer, then the float of the same value")
        << QByteArray("tostring(3) .. tostring(3.0) .. tostring(3)") << QByteArray("33.03");
    QTest::newRow("setmetatable without __gc") << QByteArray("getmetatable(setmetatable({}, {__index = {x = 'ok'}})).__index.x")
                                               << QByteArray("ok");
    QTest::newRow("a __gc added later is no finalizer") << QByteArray("(function() local mt = {} setmetatable({}, mt) mt.__gc = 1 return 'ok' end)()")
                                                        << QByteArray("ok");
    QTest::newRow("a table's __tostring") << QByteArray("tostring(setmetatable({}, {__tostring = function() return 'T' end}))")
                                          << QByteArray("T");
    QTest::newRow("no argument is an error") << QByteArray("select(2, pcall(tostring))")
                                             << QByteArray("bad argument #1 to 'tostring' (value expected)");
}

void tst_LuaPolicy::tostringWritesWhatLuaWrites()
{
    QFETCH(QByteArray, expression);
    QFETCH(QByteArray, text);
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("policies/s.lua"), "function on_request(req)\n  req:set_header('X-T', " + expression + ")\nend\n"));
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), luaApi("{script: s.lua}")));
    QVERIFY2(p.build(), qPrintable(p.errors()));
    Exchange e(*p.config, "GET", "/zoo/things");
    QCOMPARE(e.status, FilterStatus::Continue);
    QCOMPARE(e.upstreamHeader("X-T"), text);
}

void tst_LuaPolicy::entryPointsAreTakenWhenLoaded()
{
    // on_request and on_response are held from the load on: reassigning them changes nothing.
    PolicyProject p;
    QVERIFY(p.write(QStringLiteral("policies/s.lua"),
                    "n = 0\nfunction on_request(req)\n  n = n + 1\n  req:set_header('X-N', tostring(n))\n"
                    "  on_request = function(r) r:set_header('X-N', 'replaced') end\n  on_response = nil\nend\n"
                    "function on_response(res)\n  res:set_header('X-R', tostring(n))\nend\n"));
    QVERIFY(p.write(QStringLiteral("apis/zoo.yaml"), luaApi("{script: s.lua}")));
    QVERIFY2(p.build(), qPrintable(p.errors()));
    for (int expected = 1; expected <= 2; ++expected) {
        Exchange e(*p.config, "GET", "/zoo/things");
        QCOMPARE(e.upstreamHeader("X-N"), QByteArray::number(expected));
        e.responseHead(200, {});
        QCOMPARE(e.clientHeader("X-R"), QByteArray::number(expected));
    }
}

QTEST_GUILESS_MAIN(tst_LuaPolicy)
#include "tst_luapolicy.moc"
