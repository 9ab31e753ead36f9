// Real HTTP clients through the gateway: curl and python3's http.client (keep-alive, chunked
// uploads, Expect: 100-continue, HEAD, HTTP/1.0) and a short wrk load, in-process and through
// gatehoused.
#include "testgateway.h"
#include "testupstream.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_RealClients : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void curl_data();
    void curl();
    void curlReusesItsConnection();
    void pythonHttpClient();
    void wrkSmoke();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
    QString m_curl;
};

namespace {

struct CurlResult
{
    ProcessResult process;
    QByteArray body;
    int status = 0;
    int connects = -1;
};

// curl -s, with the status and the number of new connections written after the body.
CurlResult runCurl(const QString &curl, const QStringList &arguments)
{
    CurlResult r;
    r.process = runProcess(curl, QStringList{QStringLiteral("-s"), QStringLiteral("--max-time"), QStringLiteral("30"),
                                             QStringLiteral("-w"), QStringLiteral("\n--curl--\n%{http_code} %{num_connects}")}
                                     + arguments);
    const qsizetype at = r.process.out.lastIndexOf("\n--curl--\n");
    if (at < 0)
        return r;
    r.body = r.process.out.left(at);
    const QList<QByteArray> tail = r.process.out.mid(at + 10).split(' ');
    r.status = tail.value(0).toInt();
    r.connects = tail.value(1).trimmed().toInt();
    return r;
}

const char kPythonClient[] = R"(
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=20)
out = []
def req(method, url, body=None, headers={}, **kw):
    c.request(method, url, body=body, headers=headers, **kw)
    local = c.sock.getsockname()[1]
    r = c.getresponse()
    data = r.read()
    out.append({"status": r.status, "body": data.decode("latin-1"), "socket": local,
                "headers": {k.lower(): v for k, v in r.getheaders()}})
req("GET", "/petstore/pets?from=python")
req("POST", "/petstore/pets", body=b"python body", headers={"Content-Type": "text/plain"})
req("HEAD", "/petstore/pets")
req("POST", "/petstore/pets", body=iter([b"chunk-one ", b"chunk-two"]), encode_chunked=True)
req("GET", "/petstore/pets", headers={"X-Behave": "framing=chunked;trailer=X-T:1"})
req("GET", "/petstore/nothing-here")
print(json.dumps(out))
)";

} // namespace

void tst_RealClients::initTestCase()
{
    m_curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(m_project.write(QStringLiteral("apis/pets.yaml"),
                            apiYaml(QStringLiteral("Pets"), QStringLiteral("/petstore"), m_upstream.url(QStringLiteral("/api")),
                                    {QStringLiteral("/pets GET POST PUT"), QStringLiteral("/pets/{id} GET")})));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_RealClients::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_RealClients::curl_data()
{
    QTest::addColumn<QStringList>("arguments");   // "{base}" is http://127.0.0.1:PORT
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("upstreamMethod");   // empty: the upstream is not asked
    QTest::addColumn<QByteArray>("upstreamTarget");
    QTest::addColumn<QByteArray>("upstreamBody");
    QTest::addColumn<bool>("upstreamChunked");
    const QString base = QStringLiteral("{base}");

    QTest::newRow("curl GET with a query string reaches the upstream path")
        << QStringList{base + QStringLiteral("/petstore/pets?limit=2&q=x%20y")} << 200 << QByteArray("GET")
        << QByteArray("/api/pets?limit=2&q=x%20y") << QByteArray() << false;
    QTest::newRow("curl POST --data-binary forwards the body")
        << QStringList{QStringLiteral("--data-binary"), QStringLiteral("name=rex&kind=dog"), base + QStringLiteral("/petstore/pets")}
        << 200 << QByteArray("POST") << QByteArray("/api/pets") << QByteArray("name=rex&kind=dog") << false;
    QTest::newRow("curl with Expect: 100-continue gets the body through")
        << QStringList{QStringLiteral("-H"), QStringLiteral("Expect: 100-continue"), QStringLiteral("--data-binary"),
                       QStringLiteral("expected body"), base + QStringLiteral("/petstore/pets")}
        << 200 << QByteArray("POST") << QByteArray("/api/pets") << QByteArray("expected body") << false;
    QTest::newRow("curl chunked upload stays chunked upstream")
        << QStringList{QStringLiteral("-H"), QStringLiteral("Transfer-Encoding: chunked"), QStringLiteral("--data-binary"),
                       QStringLiteral("chunky"), base + QStringLiteral("/petstore/pets")}
        << 200 << QByteArray("POST") << QByteArray("/api/pets") << QByteArray("chunky") << true;
    QTest::newRow("curl PUT with a path parameter")
        << QStringList{QStringLiteral("-X"), QStringLiteral("PUT"), QStringLiteral("--data-binary"), QStringLiteral("{}"),
                       base + QStringLiteral("/petstore/pets")}
        << 200 << QByteArray("PUT") << QByteArray("/api/pets") << QByteArray("{}") << false;
    QTest::newRow("curl --http1.0 is served")
        << QStringList{QStringLiteral("--http1.0"), base + QStringLiteral("/petstore/pets/9")} << 200 << QByteArray("GET")
        << QByteArray("/api/pets/9") << QByteArray() << false;
    QTest::newRow("curl -I sends HEAD and gets no body")
        << QStringList{QStringLiteral("-I"), base + QStringLiteral("/petstore/pets")} << 200 << QByteArray("HEAD")
        << QByteArray("/api/pets") << QByteArray() << false;
    QTest::newRow("curl to an unknown path gets the JSON 404")
        << QStringList{base + QStringLiteral("/unknown")} << 404 << QByteArray() << QByteArray() << QByteArray() << false;
}

void tst_RealClients::curl()
{
    if (m_curl.isEmpty())
        QSKIP("curl is not installed");
    QFETCH(QStringList, arguments);
    QFETCH(int, status);
    QFETCH(QByteArray, upstreamMethod);
    QFETCH(QByteArray, upstreamTarget);
    QFETCH(QByteArray, upstreamBody);
    QFETCH(bool, upstreamChunked);
    arguments.replaceInStrings(QStringLiteral("{base}"), QStringLiteral("http://127.0.0.1:%1").arg(gateway().httpPort()));

    const int before = m_upstream.requestCount();
    const CurlResult r = runCurl(m_curl, arguments);
    QVERIFY2(r.process.finished && r.process.exitCode == 0, qPrintable(r.process.describe()));
    QCOMPARE(r.status, status);
    if (upstreamMethod.isEmpty()) {
        QCOMPARE(m_upstream.requestCount(), before);
        const QJsonObject error = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("900906"));
        return;
    }
    QCOMPARE(m_upstream.requestCount(), before + 1);
    const RecordedRequest seen = m_upstream.lastRequest();
    QCOMPARE(seen.method, upstreamMethod);
    QCOMPARE(seen.target, upstreamTarget);
    QCOMPARE(seen.body, upstreamBody);
    QCOMPARE(seen.chunked, upstreamChunked);
    QCOMPARE(seen.headerCount("Expect"), 0);
    if (upstreamMethod == "HEAD")
        QVERIFY2(!r.body.contains("{\""), r.body.constData());
}

void tst_RealClients::curlReusesItsConnection()
{
    if (m_curl.isEmpty())
        QSKIP("curl is not installed");
    const QString base = QStringLiteral("http://127.0.0.1:%1/petstore/pets").arg(gateway().httpPort());
    // Two URLs in one run: curl reuses the connection when the gateway keeps it open.
    const ProcessResult p = runProcess(m_curl, {QStringLiteral("-s"), QStringLiteral("--max-time"), QStringLiteral("30"),
                                                QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-o"),
                                                QStringLiteral("/dev/null"), QStringLiteral("-w"),
                                                QStringLiteral("%{http_code}:%{num_connects} "), base, base + QStringLiteral("/1")});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    QCOMPARE(p.out.trimmed(), QByteArray("200:1 200:0"));
}

void tst_RealClients::pythonHttpClient()
{
    if (!QFile::exists(QStringLiteral("/usr/bin/python3")))
        QSKIP("/usr/bin/python3 is not installed");
    const ProcessResult p = runProcess(QStringLiteral("/usr/bin/python3"),
                                       {QStringLiteral("-c"), QString::fromLatin1(kPythonClient),
                                        QString::number(gateway().httpPort())});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    const QJsonArray results = QJsonDocument::fromJson(p.out).array();
    QCOMPARE(results.size(), 6);
    auto result = [&](int i) { return results.at(i).toObject(); };
    auto echo = [&](int i) { return QJsonDocument::fromJson(result(i).value(QStringLiteral("body")).toString().toLatin1()).object(); };

    QCOMPARE(result(0).value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(echo(0).value(QStringLiteral("target")).toString(), QStringLiteral("/api/pets?from=python"));
    QCOMPARE(echo(1).value(QStringLiteral("body")).toString(), QStringLiteral("python body"));
    QCOMPARE(result(2).value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(result(2).value(QStringLiteral("body")).toString(), QString());
    QCOMPARE(echo(3).value(QStringLiteral("body")).toString(), QStringLiteral("chunk-one chunk-two"));
    QVERIFY(echo(3).value(QStringLiteral("chunked")).toBool());
    QCOMPARE(result(4).value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(echo(4).value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
    QCOMPARE(result(5).value(QStringLiteral("status")).toInt(), 404);
    // One connection for all six: http.client reopens only when the server closed it.
    for (int i = 1; i < results.size(); ++i)
        QCOMPARE(result(i).value(QStringLiteral("socket")).toDouble(), result(0).value(QStringLiteral("socket")).toDouble());
}

void tst_RealClients::wrkSmoke()
{
    const QString wrk = QStandardPaths::findExecutable(QStringLiteral("wrk"));
    if (wrk.isEmpty())
        QSKIP("wrk is not installed (scripts/deps.sh installs it)");
    const int connections = 8;
    // wrk stops with up to one request in flight per connection; those still reach the upstream
    // after it exits. Count from a quiet upstream, and leave it quiet for the tests after this one.
    const auto settledRequestCount = [this] {
        int count = m_upstream.requestCount();
        for (int quiet = 0, waited = 0; quiet < 3 && waited < 100; ++waited) {
            QTest::qWait(50);
            const int now = m_upstream.requestCount();
            quiet = now == count ? quiet + 1 : 0;
            count = now;
        }
        return count;
    };
    const int before = settledRequestCount();
    const ProcessResult p = runProcess(wrk, {QStringLiteral("-t1"), QStringLiteral("-c%1").arg(connections),
                                             QStringLiteral("-d1s"),
                                             QStringLiteral("http://127.0.0.1:%1/petstore/pets").arg(gateway().httpPort())});
    QVERIFY2(p.finished && p.exitCode == 0, qPrintable(p.describe()));
    // wrk adds "Socket errors: ..." and "Non-2xx or 3xx responses: N" only when there were any.
    QVERIFY2(!p.out.contains("Socket errors") && !p.out.contains("Non-2xx"), p.out.constData());
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("(\\d+) requests in"))
                                              .match(QString::fromLatin1(p.out));
    QVERIFY2(m.hasMatch(), p.out.constData());
    const int requests = m.captured(1).toInt();
    QVERIFY2(requests >= connections, p.out.constData());
    // Every answer wrk counted came from the upstream, which also saw the requests left in flight.
    const int seen = settledRequestCount() - before;
    QVERIFY2(seen >= requests && seen <= requests + connections,
             qPrintable(QStringLiteral("wrk counted %1 answers, the upstream saw %2 requests").arg(requests).arg(seen)));
}

QTEST_GUILESS_MAIN(tst_RealClients)
#include "tst_realclients.moc"
