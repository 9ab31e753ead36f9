// The Traces dock: the table model and its filter (checked by the model tester), "Explain" for
// refused and admitted requests, the waterfall's geometry, captured bodies shown with their
// secrets redacted, and records from a real embedded gateway (traceBatch) showing up, selected,
// explained, their bodies shown.
#include "testupstream.h"

#include "gatewaycontroller.h"
#include "traceexplain.h"
#include "tracemessage.h"
#include "tracesdock.h"
#include "tracetablemodel.h"
#include "tracewaterfall.h"
#include "tryitmodel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

namespace {

TraceRecord record(const char *method, const char *target, int status, const char *api = "Pets",
                   qint64 durationNs = 2'000'000)
{
    TraceRecord r;
    r.method = method;
    r.target = target;
    r.route = target;
    r.api = api;
    r.status = status;
    r.protocol = "HTTP/1.1";
    r.startUnixNs = 1'700'000'000'000'000'000;
    r.durationNs = durationNs;
    return r;
}

} // namespace

class tst_TracesDock : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void tableKeepsTheNewestWithinItsCapacity();
    void filtersByStatusApiAndSearch();
    void explain_data();
    void explain();
    void waterfallPlacesSpansOnTheTimeAxis();
    void secretsInBodiesAreRedacted_data();
    void secretsInBodiesAreRedacted();
    void bodiesAreShownWithWhatWasLeftOut();
    void realRequestsAreListedAndExplained();

private:
    void write(const QString &relative, const QByteArray &text);

    QTemporaryDir m_dir;
    TestUpstream m_upstream;
};

void tst_TracesDock::write(const QString &relative, const QByteArray &text)
{
    const QString path = m_dir.filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

void tst_TracesDock::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_upstream.listen(QHostAddress::LocalHost));
    write(QStringLiteral("gatehouse.yaml"),
          "version: 1\nlisteners: {http: {port: 0}, https: {enabled: false}, admin: {enabled: false}}\n");
    write(QStringLiteral("apis/pets.yaml"), QByteArray(R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:PORT/api'}]
paths:
  /pets:
    get: {security: [], responses: {'200': {description: ok}}}
    post: {security: [], responses: {'200': {description: ok}}}
  /secret:
    get: {security: [{basic: []}], responses: {'200': {description: ok}}}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
)").replace("PORT", QByteArray::number(m_upstream.serverPort())));
}

void tst_TracesDock::tableKeepsTheNewestWithinItsCapacity()
{
    TraceTableModel model(nullptr, 5);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<TraceRecord> batch;
    for (int i = 0; i < 3; ++i)
        batch.append(record("GET", QByteArray("/pets/" + QByteArray::number(i)).constData(), 200));
    model.append(batch);
    QCOMPARE(model.rowCount(), 3);
    batch.clear();
    for (int i = 3; i < 12; ++i)   // more than fit at once: only the newest five stay
        batch.append(record("GET", QByteArray("/pets/" + QByteArray::number(i)).constData(), 200));
    model.append(batch);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(0, TraceTableModel::Path).data().toString(), QStringLiteral("/pets/7"));
    QCOMPARE(model.index(4, TraceTableModel::Path).data().toString(), QStringLiteral("/pets/11"));
    QCOMPARE(model.index(4, TraceTableModel::LatencyMs).data().toString(), QStringLiteral("2.00"));
    model.append({record("GET", "/pets/12", 0)});
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(4, TraceTableModel::Status).data().toString(), QStringLiteral("—"));
}

void tst_TracesDock::filtersByStatusApiAndSearch()
{
    TraceTableModel model;
    TraceFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    TraceRecord alice = record("GET", "/pets", 200);
    alice.caller = QStringLiteral("alice");
    model.append({alice, record("GET", "/secret", 401), record("POST", "/orders", 429, "Orders"),
                  record("GET", "/boom", 502), record("GET", "/gone", 0)});
    QCOMPARE(filter.rowCount(), 5);
    filter.setStatusFilter(TraceFilterModel::StatusFilter::Refused);
    QCOMPARE(filter.rowCount(), 2);
    filter.setStatusFilter(TraceFilterModel::StatusFilter::Errors);
    QCOMPARE(filter.rowCount(), 4);   // 401, 429, 502 and the one without a response
    filter.setStatusFilter(TraceFilterModel::StatusFilter::ServerErrors);
    QCOMPARE(filter.rowCount(), 1);
    filter.setStatusFilter(TraceFilterModel::StatusFilter::All);
    filter.setApi(QStringLiteral("Orders"));
    QCOMPARE(filter.rowCount(), 1);
    filter.setApi({});
    filter.setSearch(QStringLiteral("ALICE"));
    QCOMPARE(filter.rowCount(), 1);
    filter.setSearch(QStringLiteral("401"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(model.apis(), (QStringList{QStringLiteral("Orders"), QStringLiteral("Pets")}));
}

void tst_TracesDock::explain_data()
{
    QTest::addColumn<TraceRecord>("trace");
    QTest::addColumn<QString>("verdict");

    TraceRecord expired = record("GET", "/secret", 401);
    expired.responseHeaders = {{"WWW-Authenticate", R"(Bearer realm="gatehouse", error="invalid_token", error_description="token expired 3 min ago")"}};
    QTest::newRow("a 401 names the reason the challenge gives") << expired
                                                                << "Refused by authentication: token expired 3 min ago.";
    TraceRecord noCredentials = record("GET", "/secret", 401);
    noCredentials.responseHeaders = {{"WWW-Authenticate", R"(Basic realm="gatehouse")"}};
    QTest::newRow("a 401 without credentials says which scheme was asked for")
        << noCredentials << "Refused by authentication: no accepted credentials (the gateway asks for Basic).";
    TraceRecord scope = record("POST", "/pets", 403);
    scope.caller = QStringLiteral("alice");
    scope.responseHeaders = {{"www-authenticate", R"(Bearer error="insufficient_scope", scope="pets:write")"}};
    QTest::newRow("a 403 for a missing scope names the scope")
        << scope << "Refused by authorization: 'alice' lacks a required scope (needs: pets:write).";
    TraceRecord limited = record("GET", "/pets", 429);
    limited.responseHeaders = {{"RateLimit-Policy", R"("Bronze";q=10;w=60)"}, {"Retry-After", "12"}};
    QTest::newRow("a 429 gives the policy and when to retry")
        << limited << "Rate limited: an anonymous caller exceeded a limit (policy \"Bronze\";q=10;w=60); retry in 12 s.";
    TraceRecord decided = record("GET", "/pets", 403);
    decided.decisions = {{Phase::Authn, QStringLiteral("authentication"), true, QStringLiteral("jwt: alice"), DecisionTime::None, 0},
                         {Phase::Authz, QStringLiteral("scopes"), false, QStringLiteral("scope 'write' missing: token has 'read'"),
                          DecisionTime::None, 0}};
    QTest::newRow("a recorded decision wins over the response's words")
        << decided << "Refused by scopes (authz): scope 'write' missing: token has 'read'";
    TraceRecord ok = record("GET", "/pets", 200);
    ok.upstream = "127.0.0.1:8080";
    QTest::newRow("an admitted request names its upstream") << ok << "Admitted for an anonymous caller and answered 200 by 127.0.0.1:8080.";
}

void tst_TracesDock::explain()
{
    QFETCH(TraceRecord, trace);
    QFETCH(QString, verdict);
    const QStringList lines = TraceExplainer::explain(trace);
    QVERIFY(!lines.isEmpty());
    QCOMPARE(lines.first(), verdict);
}

void tst_TracesDock::waterfallPlacesSpansOnTheTimeAxis()
{
    TraceRecord r = record("GET", "/pets", 200, "Pets", 10'000'000);
    TraceSpanRecord authn;
    authn.name = "authentication";
    authn.phase = Phase::Authn;
    authn.startOffsetNs = 0;
    authn.durationNs = 1'000'000;
    TraceSpanRecord upstream;
    upstream.kind = TraceSpanKind::Upstream;
    upstream.phase = Phase::Upstream;
    upstream.name = "upstream";
    upstream.startOffsetNs = 2'000'000;
    upstream.durationNs = 7'000'000;
    TraceSpanRecord firstByte = upstream;
    firstByte.kind = TraceSpanKind::UpstreamFirstByte;
    firstByte.name = "upstream.first_byte";
    firstByte.parent = 1;
    firstByte.startOffsetNs = 3'000'000;
    firstByte.durationNs = 5'000'000;
    r.spans = {authn, upstream, firstByte};
    TraceWaterfall w;
    w.resize(600, 200);
    w.setRecord(r);
    QCOMPARE(w.rowCount(), 4);
    QCOMPARE(w.rowLabel(3), QStringLiteral("upstream.first_byte"));
    const QRect request = w.barRect(0);
    const QRect a = w.barRect(1);
    const QRect u = w.barRect(2);
    QCOMPARE(a.left(), request.left());        // starts with the request
    QVERIFY(u.left() > a.right());              // after authentication ended
    QVERIFY(qAbs(u.width() - request.width() * 7 / 10) <= 2);   // 7 of 10 ms
    QVERIFY(w.barRect(3).top() > u.top());      // one row further down
    QVERIFY(w.barRect(4).isNull());
    QImage image(w.size(), QImage::Format_ARGB32);
    w.render(&image);   // paints without a window
    r.spans.append(firstByte);
    r.spans.last().parent = 3;   // a cycle through a bad parent index must not hang
    r.spans[2].parent = 3;
    w.setRecord(r);
    QCOMPARE(w.rowCount(), 5);
}

void tst_TracesDock::secretsInBodiesAreRedacted_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("shown");
    QTest::newRow("a JSON password at any depth, members in their order")
        << QByteArray(R"({"user":"ann","login":{"password":"hunter2","keep":1}})") << QByteArray("application/json")
        << QByteArray(R"({"user":"ann","login":{"password":"REDACTED","keep":1}})");
    QTest::newRow("a token response: every member named like a token, numbers too")
        << QByteArray(R"({"access_token": "eyJx", "expires_in": 3600, "refresh_token" : "r1", "apiKey": 42})")
        << QByteArray("application/json; charset=utf-8")
        << QByteArray(R"({"access_token": "REDACTED", "expires_in": 3600, "refresh_token" : "REDACTED", "apiKey": "REDACTED"})");
    QTest::newRow("an object or array under a secret name goes whole")
        << QByteArray(R"({"credentials": {"user": "a", "pass": [1, "}"]}, "n": [2]})") << QByteArray("application/problem+json")
        << QByteArray(R"({"credentials": "REDACTED", "n": [2]})");
    QTest::newRow("escaped quotes do not end a string; a secret word as a value stays")
        << QByteArray(R"(["password", {"note": "say \"secret\": x", "client_secret": "a\"b"}])") << QByteArray("application/json")
        << QByteArray(R"(["password", {"note": "say \"secret\": x", "client_secret": "REDACTED"}])");
    QTest::newRow("a body the capture cut inside a secret")
        << QByteArray(R"({"user":"ann","password":"hun)") << QByteArray("application/json")
        << QByteArray(R"({"user":"ann","password":"REDACTED")");
    QTest::newRow("JSON without a content type")
        << QByteArray(R"( {"token":"t"})") << QByteArray() << QByteArray(R"( {"token":"REDACTED"})");
    QTest::newRow("form fields by name, percent-encoded names too")
        << QByteArray("grant_type=password&username=ann&password=hunter2&client%5Fsecret=s3&x")
        << QByteArray("application/x-www-form-urlencoded")
        << QByteArray("grant_type=password&username=ann&password=REDACTED&client%5Fsecret=REDACTED&x");
    QTest::newRow("plain text is shown as it is")
        << QByteArray("password=hunter2") << QByteArray("text/plain") << QByteArray("password=hunter2");
}

void tst_TracesDock::secretsInBodiesAreRedacted()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, shown);
    QCOMPARE(TraceMessage::redactBody(body, contentType), shown);
}

void tst_TracesDock::bodiesAreShownWithWhatWasLeftOut()
{
    TraceRecord r = record("POST", "/pets", 201);
    r.requestHeaders = {{"Content-Type", "application/json"}, {"Authorization", "REDACTED"}};
    r.responseHeaders = {{"content-type", "application/octet-stream"}};
    r.capture.present = true;
    r.capture.requestBody = {R"({"name":"Rex","secret":"s"})", 27, true};
    r.capture.responseBody = {QByteArray("\x00\x01\x02", 3), 2048, true};
    const QString text = TraceMessage::text(r);
    QVERIFY2(text.contains(QStringLiteral("POST /pets HTTP/1.1\nContent-Type: application/json\nAuthorization: REDACTED\n\n"
                                          "{\n    \"name\": \"Rex\",\n    \"secret\": \"REDACTED\"\n}\n")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("HTTP/1.1 201\ncontent-type: application/octet-stream\n\n(%1 of binary data, application/octet-stream)")
                               .arg(formatSize(2048))),
             qPrintable(text));

    const QByteArray cut(100, 'x');
    QVERIFY(TraceMessage::bodyText({cut, 5000, true}, "text/plain")
                .endsWith(QStringLiteral("… (the first 100 B of %1 were captured)").arg(formatSize(5000))));
    QVERIFY(TraceMessage::bodyText({cut, 100, false}, "text/plain").endsWith(QStringLiteral("… (the exchange ended before the body did)")));
    QVERIFY(TraceMessage::bodyText({}, "text/plain").isEmpty());

    r.capture = TraceCapture();   // gatehoused's records, or capture turned off
    QVERIFY(TraceMessage::text(r).endsWith(QStringLiteral("(bodies were not captured for this request)\n")));
}

void tst_TracesDock::realRequestsAreListedAndExplained()
{
    GatewayController gateway;
    TracesDock dock;
    dock.setEngine(gateway.engine());
    gateway.setProjectDir(m_dir.path());
    QVERIFY(gateway.start());
    QNetworkAccessManager network;
    int answered = 0;
    for (const char *path : {"/api/pets", "/api/secret"}) {
        QNetworkReply *reply = network.get(QNetworkRequest(QUrl(gateway.httpBaseUrl() + QLatin1StringView(path))));
        connect(reply, &QNetworkReply::finished, reply, [&answered, reply] {
            ++answered;
            reply->deleteLater();
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(answered, 2, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(dock.model()->rowCount(), 2, 5000);

    dock.searchEdit()->setText(QStringLiteral("secret"));
    QCOMPARE(dock.filterModel()->rowCount(), 1);
    dock.selectRow(0);
    QVERIFY(dock.waterfall()->hasRecord());
    QVERIFY2(dock.explainLabel()->text().contains(QStringLiteral("Refused by authentication")),
             qPrintable(dock.explainLabel()->text()));
    QVERIFY(dock.headersView()->toPlainText().contains(QStringLiteral("GET /api/secret")));

    // A POST's body and the upstream's answer are shown, the password redacted.
    QNetworkRequest post(QUrl(gateway.httpBaseUrl() + QStringLiteral("/api/pets")));
    post.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply = network.post(post, R"({"name":"Rex","password":"hunter2"})");
    connect(reply, &QNetworkReply::finished, reply, [&answered, reply] {
        ++answered;
        reply->deleteLater();
    });
    QTRY_COMPARE_WITH_TIMEOUT(answered, 3, 15000);
    dock.searchEdit()->setText(QStringLiteral("POST"));
    QTRY_COMPARE_WITH_TIMEOUT(dock.filterModel()->rowCount(), 1, 5000);
    dock.selectRow(0);
    const QString shown = dock.headersView()->toPlainText();
    QVERIFY2(shown.contains(QStringLiteral("\"password\": \"REDACTED\"")), qPrintable(shown));
    QVERIFY(!shown.contains(QStringLiteral("hunter2")));
    QVERIFY2(shown.contains(QStringLiteral("\"pets\": [\n")), qPrintable(shown));

    dock.searchEdit()->clear();
    dock.statusBox()->setCurrentIndex(dock.statusBox()->findData(int(TraceFilterModel::StatusFilter::Refused)));
    QCOMPARE(dock.filterModel()->rowCount(), 1);
    gateway.engine()->stopAndWait();
}

QTEST_MAIN(tst_TracesDock)
#include "tst_tracesdock.moc"
