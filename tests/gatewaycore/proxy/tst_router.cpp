// Router: precedence, parameters, 404/405, HEAD fallback, duplicates and path normalisation.
#include "proxy/router.h"

#include <QTest>

using namespace Gatehouse;

class tst_Router : public QObject
{
    Q_OBJECT
private slots:
    void match_data();
    void match();
    void methodNotAllowedListsAllowedMethods();
    void duplicateRouteIsRefused();
    void invalidTemplatesAreRefused_data();
    void invalidTemplatesAreRefused();
    void normalizePath_data();
    void normalizePath();
    void manyRoutes();
};

namespace {

// The table used by match(): index = route id.
const QList<std::pair<QByteArray, QString>> kRoutes = {
    {"GET", QStringLiteral("/petstore/v1/pets")},               // 0
    {"POST", QStringLiteral("/petstore/v1/pets")},              // 1
    {"GET", QStringLiteral("/petstore/v1/pets/{petId}")},       // 2
    {"GET", QStringLiteral("/petstore/v1/pets/mine")},          // 3
    {"DELETE", QStringLiteral("/petstore/v1/pets/{petId}")},    // 4
    {"GET", QStringLiteral("/petstore/v1/files/{name}.json")},  // 5
    {"GET", QStringLiteral("/petstore/v1/files/{name}")},       // 6
    {"GET", QStringLiteral("/static/*")},                       // 7
    {"POST", QStringLiteral("/helloworld.Greeter/SayHello")},   // 8
    {"GET", QStringLiteral("/")},                               // 9
    {"PUT", QStringLiteral("/petstore/v1/pets/mine")},          // 10
    {"GET", QStringLiteral("/a/{x}/c")},                        // 11
    {"GET", QStringLiteral("/a/b/d")},                          // 12
    {"GET", QStringLiteral("/trailing/")},                      // 13
};

Router buildRouter()
{
    Router r;
    for (int i = 0; i < kRoutes.size(); ++i) {
        const auto res = r.add(kRoutes[i].first, kRoutes[i].second, i);
        if (!res)
            qFatal("add failed: %s", qPrintable(res.error().message));
    }
    return r;
}

} // namespace

void tst_Router::match_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");   // Router::MatchStatus
    QTest::addColumn<int>("route");
    QTest::addColumn<QList<QByteArray>>("params");
    const int ok = int(Router::MatchStatus::Matched), nf = int(Router::MatchStatus::NotFound),
              na = int(Router::MatchStatus::MethodNotAllowed);
    using L = QList<QByteArray>;

    QTest::newRow("a literal collection path matches its GET") << QByteArray("GET") << QByteArray("/petstore/v1/pets") << ok << 0 << L{};
    QTest::newRow("the same path with POST matches the POST route") << QByteArray("POST") << QByteArray("/petstore/v1/pets") << ok << 1 << L{};
    QTest::newRow("a parameter captures its segment") << QByteArray("GET") << QByteArray("/petstore/v1/pets/42") << ok << 2 << L{"42"};
    QTest::newRow("a literal segment beats a parameter") << QByteArray("GET") << QByteArray("/petstore/v1/pets/mine") << ok << 3 << L{};
    QTest::newRow("a method only the parameter route has falls back to it") << QByteArray("DELETE") << QByteArray("/petstore/v1/pets/mine") << ok << 4 << L{"mine"};
    QTest::newRow("a pattern segment beats a bare parameter") << QByteArray("GET") << QByteArray("/petstore/v1/files/report.json") << ok << 5 << L{"report"};
    QTest::newRow("a segment the pattern does not fit goes to the parameter") << QByteArray("GET") << QByteArray("/petstore/v1/files/report.xml") << ok << 6 << L{"report.xml"};
    QTest::newRow("a pattern needs a non-empty parameter value") << QByteArray("GET") << QByteArray("/petstore/v1/files/.json") << ok << 6 << L{".json"};
    QTest::newRow("a wildcard takes the rest of the path") << QByteArray("GET") << QByteArray("/static/css/site.css") << ok << 7 << L{"css/site.css"};
    QTest::newRow("a wildcard also matches nothing after its parent") << QByteArray("GET") << QByteArray("/static") << ok << 7 << L{""};
    QTest::newRow("a gRPC method path matches") << QByteArray("POST") << QByteArray("/helloworld.Greeter/SayHello") << ok << 8 << L{};
    QTest::newRow("the root path matches") << QByteArray("GET") << QByteArray("/") << ok << 9 << L{};
    QTest::newRow("HEAD falls back to GET") << QByteArray("HEAD") << QByteArray("/petstore/v1/pets/7") << ok << 2 << L{"7"};
    QTest::newRow("backtracking finds a parameter route after a literal dead end") << QByteArray("GET") << QByteArray("/a/b/c") << ok << 11 << L{"b"};
    QTest::newRow("a literal route still wins where it matches fully") << QByteArray("GET") << QByteArray("/a/b/d") << ok << 12 << L{};
    QTest::newRow("a trailing slash is significant") << QByteArray("GET") << QByteArray("/trailing/") << ok << 13 << L{};
    QTest::newRow("without the trailing slash there is no route") << QByteArray("GET") << QByteArray("/trailing") << nf << -1 << L{};
    QTest::newRow("an unknown path is not found") << QByteArray("GET") << QByteArray("/nope") << nf << -1 << L{};
    QTest::newRow("a parameter never matches an empty segment") << QByteArray("GET") << QByteArray("/petstore/v1/pets/") << nf << -1 << L{};
    QTest::newRow("a path that is too long is not found") << QByteArray("GET") << QByteArray("/petstore/v1/pets/1/2") << nf << -1 << L{};
    QTest::newRow("a path without a leading slash is not found") << QByteArray("GET") << QByteArray("petstore") << nf << -1 << L{};
    QTest::newRow("an empty path is not found") << QByteArray("GET") << QByteArray("") << nf << -1 << L{};
    QTest::newRow("a known path with another method is not allowed") << QByteArray("PATCH") << QByteArray("/petstore/v1/pets") << na << -1 << L{};
    QTest::newRow("methods are case-sensitive") << QByteArray("get") << QByteArray("/petstore/v1/pets") << na << -1 << L{};
}

void tst_Router::match()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    QFETCH(int, route);
    QFETCH(QList<QByteArray>, params);
    const Router r = buildRouter();
    const Router::Match m = r.match(method, path);
    QCOMPARE(int(m.status), status);
    QCOMPARE(m.route, route);
    QList<QByteArray> got;
    for (const QByteArrayView &v : m.params)
        got.append(v.toByteArray());
    QCOMPARE(got, params);
    if (route >= 0)
        QCOMPARE(r.parameterNames(route).size(), params.size());
}

void tst_Router::methodNotAllowedListsAllowedMethods()
{
    const Router r = buildRouter();
    QCOMPARE(r.match("PATCH", "/petstore/v1/pets").allow, QByteArray("GET, HEAD, POST"));
    // The most specific matching path decides: the literal "mine" has GET and PUT.
    QCOMPARE(r.match("POST", "/petstore/v1/pets/mine").allow, QByteArray("GET, HEAD, PUT"));
    QCOMPARE(r.parameterNames(2), QList<QString>{QStringLiteral("petId")});
}

void tst_Router::duplicateRouteIsRefused()
{
    Router r;
    QVERIFY(r.add("GET", QStringLiteral("/pets/{id}"), 0).ok());
    const auto dup = r.add("GET", QStringLiteral("/pets/{petId}"), 1);
    QVERIFY(!dup.ok());
    QVERIFY2(dup.error().message.contains(u"#0"), qPrintable(dup.error().message));
    QVERIFY(r.add("PUT", QStringLiteral("/pets/{petId}"), 2).ok());
}

void tst_Router::invalidTemplatesAreRefused_data()
{
    QTest::addColumn<QString>("tmpl");
    QTest::addColumn<QString>("message");
    QTest::newRow("no leading slash") << QStringLiteral("pets") << QStringLiteral("must start with '/'");
    QTest::newRow("unclosed brace") << QStringLiteral("/pets/{id") << QStringLiteral("unclosed '{'");
    QTest::newRow("empty parameter") << QStringLiteral("/pets/{}") << QStringLiteral("empty parameter name");
    QTest::newRow("two parameters in one segment") << QStringLiteral("/f/{a}.{b}") << QStringLiteral("only one parameter per segment");
    QTest::newRow("stray closing brace") << QStringLiteral("/pets/id}") << QStringLiteral("unmatched '}'");
    QTest::newRow("wildcard in the middle") << QStringLiteral("/a/*/b") << QStringLiteral("may only end");
}

void tst_Router::invalidTemplatesAreRefused()
{
    QFETCH(QString, tmpl);
    QFETCH(QString, message);
    Router r;
    const auto res = r.add("GET", tmpl, 0);
    QVERIFY(!res.ok());
    QVERIFY2(res.error().message.contains(message), qPrintable(res.error().message));
}

void tst_Router::normalizePath_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("a plain path is unchanged") << QByteArray("/a/b") << true << QByteArray("/a/b");
    QTest::newRow("dot segments are removed") << QByteArray("/a/./b") << true << QByteArray("/a/b");
    QTest::newRow("dot-dot removes the previous segment") << QByteArray("/a/b/../c") << true << QByteArray("/a/c");
    QTest::newRow("a final dot-dot leaves a trailing slash") << QByteArray("/a/b/..") << true << QByteArray("/a/");
    QTest::newRow("climbing above the root is refused") << QByteArray("/a/../../etc/passwd") << false << QByteArray();
    QTest::newRow("dots inside names are kept") << QByteArray("/a/.well-known/x..y") << true << QByteArray("/a/.well-known/x..y");
    QTest::newRow("the root stays the root") << QByteArray("/.") << true << QByteArray("/");
    QTest::newRow("percent-encoded dot segments are dot segments") << QByteArray("/a/%2e%2E/b/%2e/c") << true << QByteArray("/b/c");
    QTest::newRow("percent-encoded dots climbing above the root are refused") << QByteArray("/a/.%2e/%2e%2e") << false << QByteArray();
    QTest::newRow("encoded dots inside names are kept") << QByteArray("/a/%2e%2e%2e/x%2e") << true << QByteArray("/a/%2e%2e%2e/x%2e");
    QTest::newRow("a relative path is refused") << QByteArray("a/b") << false << QByteArray();
}

void tst_Router::normalizePath()
{
    QFETCH(QByteArray, in);
    QFETCH(bool, ok);
    QFETCH(QByteArray, out);
    QByteArray result;
    QCOMPARE(Router::normalizePath(in, result), ok);
    if (ok)
        QCOMPARE(result, out);
}

void tst_Router::manyRoutes()
{
    Router r;
    for (int i = 0; i < 1000; ++i)
        QVERIFY(r.add("GET", QStringLiteral("/api%1/items/{id}/parts/p%2").arg(i % 50).arg(i), i).ok());
    for (int i = 0; i < 1000; i += 37) {
        const QByteArray path = QStringLiteral("/api%1/items/x/parts/p%2").arg(i % 50).arg(i).toUtf8();
        const Router::Match m = r.match("GET", path);
        QCOMPARE(m.route, i);
    }
}

QTEST_GUILESS_MAIN(tst_Router)
#include "tst_router.moc"
