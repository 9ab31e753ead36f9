// Body policies through the real gateway (in-process and gatehoused, HTTP/1.1 and, with curl,
// HTTP/2): validate-request answering 400/413/415/422 before the upstream is called, hostile bodies
// (deep nesting, huge numbers, invalid UTF-8, over the limit, chunked), validate-response reporting
// and blocking, json-to-xml and xml-to-json on both sides with the lengths fixed, and routes
// without body policies still streaming (chunked bodies pass as chunked).
#include "testgateway.h"
#include "testupstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QByteArray apiDocument(const QString &upstream)
{
    return apiYamlHead(QStringLiteral("Body"), QStringLiteral("1"), QStringLiteral("/body"), upstream)
         + QByteArray(
               "paths:\n"
               "  /pets:\n"
               "    post:\n"
               "      x-gatehouse-request-policies: [{name: validate-request, settings: {maxBodyBytes: 65536}}]\n"
               "      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\n"
               "      responses: {'200': {description: ok}}\n"
               "  /pets/{petId}:\n"
               "    get:\n"
               "      parameters: [{name: petId, in: path, required: true, schema: {type: integer, minimum: 1}}]\n"
               "      x-gatehouse-request-policies: [{name: validate-request}]\n"
               "      x-gatehouse-response-policies: [{name: validate-response}]\n"
               "      responses:\n"
               "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\n"
               "  /strict/{petId}:\n"
               "    get:\n"
               "      parameters: [{name: petId, in: path, required: true, schema: {type: integer}}]\n"
               "      x-gatehouse-response-policies: [{name: validate-response, settings: {block: true, maxBodyBytes: 4096}}]\n"
               "      responses:\n"
               "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\n"
               "  /convert:\n"
               "    post:\n"
               "      x-gatehouse-request-policies: [{name: json-to-xml, settings: {rootName: order}}]\n"
               "      x-gatehouse-response-policies: [{name: xml-to-json}]\n"
               "      responses: {'200': {description: ok}}\n"
               "  /stream:\n"
               "    post:\n"
               "      responses: {'200': {description: ok}}\n"
               "components:\n"
               "  schemas:\n"
               "    Pet:\n"
               "      type: object\n"
               "      required: [name]\n"
               "      properties:\n"
               "        id: {type: integer, format: int64}\n"
               "        name: {type: string}\n"
               "        tags: {type: array, items: {type: string}}\n"
               "        children: {type: array, items: {$ref: '#/components/schemas/Pet'}}\n");
}

const FieldPairs kJson{{"Content-Type", "application/json"}};

} // namespace

class tst_BodyPolicies : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void validBodiesReachTheUpstreamUnchanged();
    void refusedBodiesNeverReachTheUpstream_data();
    void refusedBodiesNeverReachTheUpstream();
    void problemsComeAsJsonPointers();
    void overLimitChunkedBodyIs413();
    void parametersAreValidated();
    void responsesAreReportedOrBlocked();
    void jsonToXmlAndBack();
    void routesWithoutBodyPoliciesStillStream();
    void withCurlOverHttp1AndHttp2();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    HttpResponse post(const QByteArray &target, const QByteArray &body, const FieldPairs &headers = kJson)
    {
        return httpRequest(gateway().httpPort(), "POST", target, headers, body);
    }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_BodyPolicies::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(m_project.write(QStringLiteral("apis/body.yaml"), apiDocument(m_upstream.url())));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_BodyPolicies::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_BodyPolicies::validBodiesReachTheUpstreamUnchanged()
{
    const QByteArray body = R"({"name": "Rex", "tags": ["good"]})";
    const HttpResponse r = post("/body/pets", body);
    QVERIFY2(r.status == 200, qPrintable(r.describe() + QString::fromUtf8(r.body)));
    const RecordedRequest seen = m_upstream.lastRequest();
    QCOMPARE(seen.body, body);
    QCOMPARE(seen.header("Content-Length"), QByteArray::number(body.size()));
    QVERIFY(!seen.chunked);
}

void tst_BodyPolicies::refusedBodiesNeverReachTheUpstream_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("says");
    const QByteArray deep = QByteArray(3000, '[') + QByteArray(3000, ']');
    QTest::newRow("malformed JSON is 400") << QByteArray("application/json") << QByteArray(R"({"name": )") << 400
                                           << QByteArray("cannot be read as JSON");
    QTest::newRow("nesting thousands deep is 400") << QByteArray("application/json") << deep << 400 << QByteArray("cannot be read as JSON");
    QTest::newRow("a number beyond any double is 400") << QByteArray("application/json")
                                                       << QByteArray(R"({"name": "a", "id": 1e99999})") << 400
                                                       << QByteArray("cannot be read as JSON");
    QTest::newRow("invalid UTF-8 is 400") << QByteArray("application/json") << QByteArray("{\"name\": \"\xc3\x28\"}") << 400
                                          << QByteArray("cannot be read as JSON");
    QTest::newRow("a 20-digit integer breaks int64 (422)") << QByteArray("application/json")
                                                           << QByteArray(R"({"name": "a", "id": 123456789012345678901})") << 422
                                                           << QByteArray("is not a valid int64");
    QTest::newRow("a wrong type is 422") << QByteArray("application/json") << QByteArray(R"({"name": 7})") << 422
                                         << QByteArray("body /name: expected string, got integer");
    QTest::newRow("an undeclared media type is 415") << QByteArray("text/csv") << QByteArray("a,b") << 415
                                                     << QByteArray("accepts application/json");
    QTest::newRow("a body over maxBodyBytes is 413") << QByteArray("application/json")
                                                     << QByteArray(R"({"name": ")") + QByteArray(70000, 'x') + "\"}" << 413
                                                     << QByteArray("exceeds the 65536 bytes");
    QTest::newRow("no body where one is required is 422") << QByteArray("application/json") << QByteArray() << 422
                                                          << QByteArray("a request body is required");
}

void tst_BodyPolicies::refusedBodiesNeverReachTheUpstream()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, says);
    m_upstream.sync();
    const int before = m_upstream.requestCount();
    const HttpResponse r = post("/body/pets", body, {{"Content-Type", contentType}});
    QVERIFY2(r.status == status, qPrintable(r.describe() + QString::fromUtf8(r.body.left(300))));
    QVERIFY2(r.body.contains(says), r.body.left(400).constData());
    m_upstream.sync();
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_BodyPolicies::problemsComeAsJsonPointers()
{
    const HttpResponse r = post("/body/pets", R"({"name": 1, "tags": ["a", 2], "children": [{"tags": []}]})");
    QCOMPARE(r.status, 422);
    QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject answer = r.json();
    QCOMPARE(answer.value(u"code").toInt(), 900422);
    QStringList pointers;
    for (const QJsonValue &p : answer.value(u"problems").toArray())
        pointers.append(p.toObject().value(u"pointer").toString());
    QCOMPARE(pointers, QStringList({QStringLiteral("/children/0"), QStringLiteral("/name"), QStringLiteral("/tags/1")}));
}

void tst_BodyPolicies::overLimitChunkedBodyIs413()
{
    // No Content-Length: the limit is found while collecting, and the connection closes.
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    const int before = m_upstream.requestCount();
    QByteArray request = "POST /body/pets HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 20; ++i)
        request += "1000\r\n" + QByteArray(4096, ' ') + "\r\n";
    request += "0\r\n\r\n";
    c.write(request);
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.status == 413, qPrintable(r.describe()));
    QVERIFY(c.waitForClosed());
    m_upstream.sync();
    QCOMPARE(m_upstream.requestCount(), before);
    // Under the limit, chunked is collected and sent with a length.
    HttpConnection ok;
    QVERIFY(ok.connectTo(gateway().httpPort()));
    ok.write("POST /body/pets HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\n{\"nam\r\n9\r\ne\": \"ok\"}\r\n0\r\n\r\n");
    const HttpResponse r2 = ok.readResponse();
    QVERIFY2(r2.status == 200, qPrintable(r2.describe()));
    QCOMPARE(m_upstream.lastRequest().body, QByteArray(R"({"name": "ok"})"));
    QCOMPARE(m_upstream.lastRequest().header("Content-Length"), QByteArray("14"));
}

void tst_BodyPolicies::parametersAreValidated()
{
    const HttpResponse bad = httpRequest(gateway().httpPort(), "GET", "/body/pets/abc");
    QCOMPARE(bad.status, 422);
    QVERIFY2(bad.body.contains("path parameter 'petId': expected integer, got string"), bad.body.constData());
    const HttpResponse zero = httpRequest(gateway().httpPort(), "GET", "/body/pets/0");
    QCOMPARE(zero.status, 422);
}

void tst_BodyPolicies::responsesAreReportedOrBlocked()
{
    const FieldPairs valid{{"X-Behave", R"(body={"id": 1, "name": "Rex"};header=Content-Type:application/json)"}};
    const FieldPairs invalid{{"X-Behave", R"(body={"id": "one"};header=Content-Type:application/json)"}};
    const HttpResponse ok = httpRequest(gateway().httpPort(), "GET", "/body/pets/1", valid);
    QVERIFY2(ok.status == 200, qPrintable(ok.describe()));
    QCOMPARE(ok.headerCount("X-Gatehouse-Validation"), 0);
    QCOMPARE(ok.body, QByteArray(R"({"id": 1, "name": "Rex"})"));
    const HttpResponse reported = httpRequest(gateway().httpPort(), "GET", "/body/pets/1", invalid);
    QCOMPARE(reported.status, 200);   // reported, not blocked
    QCOMPARE(reported.body, QByteArray(R"({"id": "one"})"));
    QVERIFY2(reported.header("X-Gatehouse-Validation").startsWith("invalid; body: required property 'name' is missing"),
             reported.header("X-Gatehouse-Validation").constData());
    const HttpResponse blocked = httpRequest(gateway().httpPort(), "GET", "/body/strict/1", invalid);
    QCOMPARE(blocked.status, 502);
    QVERIFY2(blocked.body.contains("does not match the API's schema"), blocked.body.constData());
    const HttpResponse passes = httpRequest(gateway().httpPort(), "GET", "/body/strict/1", valid);
    QCOMPARE(passes.status, 200);
    // A response over the policy's maxBodyBytes cannot be checked: 502, never half a response.
    const HttpResponse big = httpRequest(gateway().httpPort(), "GET", "/body/strict/1",
                                         {{"X-Behave", "size=10000;header=Content-Type:application/json"}});
    QCOMPARE(big.status, 502);
    const HttpResponse bigChunked = httpRequest(gateway().httpPort(), "GET", "/body/strict/1",
                                                {{"X-Behave", "size=10000;framing=chunked;header=Content-Type:application/json"}});
    QCOMPARE(bigChunked.status, 502);
}

void tst_BodyPolicies::jsonToXmlAndBack()
{
    const HttpResponse r = post("/body/convert", R"({"id": "7", "item": ["a", "b"]})");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    const RecordedRequest seen = m_upstream.lastRequest();
    QCOMPARE(seen.header("Content-Type"), QByteArray("application/xml"));
    QVERIFY2(seen.body.endsWith("<order><id>7</id><item>a</item><item>b</item></order>\n")
                 || seen.body.endsWith("<order><id>7</id><item>a</item><item>b</item></order>"),
             seen.body.constData());
    QCOMPARE(seen.header("Content-Length"), QByteArray::number(seen.body.size()));
    // The upstream answers XML; the client gets JSON with a fitting length.
    const HttpResponse x = post("/body/convert", "{}",
                                {{"Content-Type", "application/json"},
                                 {"X-Behave", "body=<pet kind=\"dog\"><name>Rex</name></pet>;header=Content-Type:application/xml"}});
    QVERIFY2(x.status == 200, qPrintable(x.describe()));
    QCOMPARE(x.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(x.body, QByteArray(R"({"pet":{"@kind":"dog","name":"Rex"}})"));
    QCOMPARE(x.header("Content-Length"), QByteArray::number(x.body.size()));
    // Broken XML from the upstream: 502; broken JSON from the client: 400 and no upstream call.
    const HttpResponse broken = post("/body/convert", "{}",
                                     {{"Content-Type", "application/json"},
                                      {"X-Behave", "body=<a><b></a>;header=Content-Type:application/xml"}});
    QCOMPARE(broken.status, 502);
    m_upstream.sync();
    const int before = m_upstream.requestCount();
    QCOMPARE(post("/body/convert", "{oops").status, 400);
    m_upstream.sync();
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_BodyPolicies::routesWithoutBodyPoliciesStillStream()
{
    HttpConnection c;
    QVERIFY(c.connectTo(gateway().httpPort()));
    QByteArray request = "POST /body/stream HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\nX-Behave: discard\r\n\r\n";
    for (int i = 0; i < 64; ++i)
        request += "4000\r\n" + QByteArray(16384, 'z') + "\r\n";
    request += "0\r\n\r\n";
    c.write(request);
    const HttpResponse r = c.readResponse();
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    const RecordedRequest seen = m_upstream.lastRequest();
    QVERIFY(seen.chunked);   // not collected and re-framed: streamed as it came
    QCOMPARE(seen.bodyBytes, qint64(64 * 16384));
}

void tst_BodyPolicies::withCurlOverHttp1AndHttp2()
{
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (curl.isEmpty())
        QSKIP("curl is not installed");
    const QString base = QStringLiteral("http://127.0.0.1:%1/body").arg(gateway().httpPort());
    for (const QString &version : {QStringLiteral("--http1.1"), QStringLiteral("--http2-prior-knowledge")}) {
        const ProcessResult bad = runProcess(curl, {QStringLiteral("-sS"), version, QStringLiteral("-w"), QStringLiteral("\n%{http_code}"),
                                                    QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
                                                    QStringLiteral("--data-binary"), QStringLiteral(R"({"name": [1]})"),
                                                    base + QStringLiteral("/pets")});
        QVERIFY2(bad.finished && bad.exitCode == 0, qPrintable(bad.describe()));
        QVERIFY2(bad.out.endsWith("\n422") && bad.out.contains("body /name: expected string, got array"), bad.out.constData());
        const ProcessResult big = runProcess(curl, {QStringLiteral("-sS"), version, QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                                    QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-H"),
                                                    QStringLiteral("Content-Type: application/json"), QStringLiteral("--data-binary"),
                                                    QString(70000, u'x'), base + QStringLiteral("/pets")});
        QVERIFY2(big.finished && big.out == "413", qPrintable(big.describe()));
        const ProcessResult xml = runProcess(curl, {QStringLiteral("-sS"), version, QStringLiteral("-H"),
                                                    QStringLiteral("Content-Type: application/json"), QStringLiteral("-H"),
                                                    QStringLiteral("X-Behave: body=<ok>yes</ok>;header=Content-Type:text/xml"),
                                                    QStringLiteral("--data-binary"), QStringLiteral(R"({"a": "1"})"),
                                                    base + QStringLiteral("/convert")});
        QVERIFY2(xml.finished && xml.out == R"({"ok":"yes"})", qPrintable(xml.describe()));
        QVERIFY2(m_upstream.lastRequest().body.contains("<a>1</a>"), m_upstream.lastRequest().body.constData());
        const ProcessResult blocked = runProcess(curl, {QStringLiteral("-sS"), version, QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                                        QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-H"),
                                                        QStringLiteral(R"(X-Behave: body={"id": 1};header=Content-Type:application/json)"),
                                                        base + QStringLiteral("/strict/1")});
        QVERIFY2(blocked.finished && blocked.out == "502", qPrintable(blocked.describe()));
    }
}

QTEST_GUILESS_MAIN(tst_BodyPolicies)
#include "tst_bodypolicies.moc"
