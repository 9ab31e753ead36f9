// json-to-xml and xml-to-json through a compiled project's chain: which bodies they convert (by
// Content-Type, direction and encoding), the Content-Type they set, and hostile or broken bodies
// answered 400 (request) or 502 (response).
#include "../policyfixture.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

QByteArray xmlBody(const QByteArray &xml)
{
    const qsizetype end = xml.indexOf("?>");
    return end < 0 ? xml : xml.mid(end + 2).trimmed();
}

bool buildWith(PolicyProject &project, const QByteArray &policies)
{
    return project.write(QStringLiteral("apis/zoo.yaml"), zooApi("x-gatehouse-request-policies: [" + policies + "]\n"))
           && project.build();
}

} // namespace

class tst_TransformPolicies : public QObject
{
    Q_OBJECT
private slots:
    void requestBodies_data();
    void requestBodies();
    void responseBodies_data();
    void responseBodies();
    void onlyChainsWithTransformsBufferBodies();
    void settingsAreChecked();
};

void tst_TransformPolicies::requestBodies_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");              // 0 = continues
    QTest::addColumn<QByteArray>("expectedBody");  // XML: without the declaration
    QTest::addColumn<QByteArray>("expectedType");
    const QByteArray toXml = "{name: json-to-xml}";
    const QByteArray toJson = "{name: xml-to-json, settings: {apply: request}}";
    const Headers json{{"Content-Type", "application/json"}};
    const Headers xml{{"Content-Type", "application/xml; charset=utf-8"}};
    QTest::newRow("JSON becomes XML and the upstream is told") << toXml << json << QByteArray(R"({"pet": {"name": "Rex"}})")
                                                               << 0 << QByteArray("<pet><name>Rex</name></pet>") << QByteArray("application/xml");
    QTest::newRow("the root name wraps several members") << QByteArray("{name: json-to-xml, settings: {rootName: Pets}}") << json
                                                         << QByteArray(R"({"a": "1", "b": "2"})") << 0
                                                         << QByteArray("<Pets><a>1</a><b>2</b></Pets>") << QByteArray("application/xml");
    QTest::newRow("a +json type is converted") << toXml << Headers{{"Content-Type", "application/vnd.zoo+json"}}
                                               << QByteArray(R"({"p": "x"})") << 0 << QByteArray("<p>x</p>") << QByteArray("application/xml");
    QTest::newRow("a text body passes untouched") << toXml << Headers{{"Content-Type", "text/plain"}} << QByteArray("hello") << 0
                                                  << QByteArray("hello") << QByteArray("text/plain");
    QTest::newRow("a compressed body passes untouched") << toXml << Headers{{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}}
                                                        << QByteArray("\x1f\x8b") << 0 << QByteArray("\x1f\x8b") << QByteArray("application/json");
    QTest::newRow("malformed JSON is 400") << toXml << json << QByteArray("{\"a\": ") << 400 << QByteArray() << QByteArray();
    QTest::newRow("invalid UTF-8 is 400") << toXml << json << QByteArray("{\"a\": \"\xff\"}") << 400 << QByteArray() << QByteArray();
    QTest::newRow("a member that is no XML name is 400") << toXml << json << QByteArray(R"({"1bad": "x"})") << 400 << QByteArray() << QByteArray();
    QTest::newRow("deep JSON nesting is 400") << toXml << json << QByteArray(200, '[') + QByteArray(200, ']') << 400 << QByteArray() << QByteArray();
    QTest::newRow("XML becomes JSON on request") << toJson << xml << QByteArray("<pet><name>Rex</name></pet>") << 0
                                                 << QByteArray(R"({"pet":{"name":"Rex"}})") << QByteArray("application/json");
    QTest::newRow("an XML DTD is refused with 400") << toJson << xml
                                                    << QByteArray("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>") << 400 << QByteArray() << QByteArray();
    QTest::newRow("a response-only transform leaves requests alone") << QByteArray("{name: xml-to-json}") << xml << QByteArray("<a/>") << 0
                                                                     << QByteArray("<a/>") << QByteArray("application/xml; charset=utf-8");
}

void tst_TransformPolicies::requestBodies()
{
    QFETCH(QByteArray, policy);
    QFETCH(Headers, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, expectedBody);
    QFETCH(QByteArray, expectedType);
    PolicyProject project;
    QVERIFY2(buildWith(project, policy), qPrintable(project.errors()));
    Exchange ex(*project.config, "POST", "/zoo/pets/1", headers);
    QCOMPARE(ex.status, FilterStatus::Continue);
    const FilterStatus s = ex.requestBody(body);
    if (status != 0) {
        QCOMPARE(s, FilterStatus::Respond);
        QCOMPARE(ex.ctx.error.status, status);
        return;
    }
    QCOMPARE(s, FilterStatus::Continue);
    QCOMPARE(xmlBody(body), expectedBody);
    QCOMPARE(ex.upstreamHeader("content-type"), expectedType);
}

void tst_TransformPolicies::responseBodies_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");               // 0 = passes
    QTest::addColumn<QByteArray>("expectedBody");
    QTest::addColumn<QByteArray>("expectedType");
    const QByteArray toJson = "{name: xml-to-json}";
    QTest::newRow("an XML response becomes JSON") << toJson << QByteArray("text/xml") << QByteArray(R"(<r a="1"><i>x</i><i>y</i></r>)") << 0
                                                  << QByteArray(R"({"r":{"@a":"1","i":["x","y"]}})") << QByteArray("application/json");
    QTest::newRow("a JSON response passes untouched") << toJson << QByteArray("application/json") << QByteArray("{}") << 0
                                                      << QByteArray("{}") << QByteArray("application/json");
    QTest::newRow("malformed XML from the upstream is 502") << toJson << QByteArray("application/xml") << QByteArray("<a><b></a>") << 502
                                                            << QByteArray() << QByteArray();
    QTest::newRow("an entity bomb from the upstream is 502") << toJson << QByteArray("application/xml")
        << QByteArray("<!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><l>&b;</l>") << 502 << QByteArray() << QByteArray();
    QTest::newRow("json-to-xml on both converts the response") << QByteArray("{name: json-to-xml, settings: {apply: both}}")
        << QByteArray("application/json") << QByteArray(R"({"ok": "yes"})") << 0 << QByteArray("<ok>yes</ok>") << QByteArray("application/xml");
    QTest::newRow("a request-only transform leaves responses alone") << QByteArray("{name: json-to-xml}") << QByteArray("application/json")
        << QByteArray(R"({"ok": "yes"})") << 0 << QByteArray(R"({"ok": "yes"})") << QByteArray("application/json");
}

void tst_TransformPolicies::responseBodies()
{
    QFETCH(QByteArray, policy);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, expectedBody);
    QFETCH(QByteArray, expectedType);
    PolicyProject project;
    QVERIFY2(buildWith(project, policy), qPrintable(project.errors()));
    Exchange ex(*project.config, "GET", "/zoo/things");
    QCOMPARE(ex.status, FilterStatus::Continue);
    const FilterStatus s = ex.response(200, {{"Content-Type", contentType}}, body);
    if (status != 0) {
        QCOMPARE(s, FilterStatus::Respond);
        QCOMPARE(ex.ctx.error.status, status);
        return;
    }
    QCOMPARE(s, FilterStatus::Continue);
    QCOMPARE(xmlBody(body), expectedBody);
    QCOMPARE(ex.clientHeader("content-type"), expectedType);
}

void tst_TransformPolicies::onlyChainsWithTransformsBufferBodies()
{
    PolicyProject project;
    QVERIFY(project.write(QStringLiteral("apis/zoo.yaml"),
                          zooApi({}, "      x-gatehouse-request-policies: [{name: json-to-xml, settings: {maxBodyBytes: 4096}},"
                                     " {name: xml-to-json, settings: {maxBodyBytes: 2048}}]\n")));
    QVERIFY2(project.build(), qPrintable(project.errors()));
    for (qsizetype i = 0; i < project.config->routes.size(); ++i) {
        const Route &r = project.config->routes.at(i);
        const FilterChain *chain = project.config->chains.at(size_t(i)).get();
        const qint64 request = chain ? chain->requestBodyLimit() : 0;
        const qint64 response = chain ? chain->responseBodyLimit() : 0;
        if (r.operationId == u"getPet") {
            QCOMPARE(request, 4096);    // the smallest limit of the policies that read requests
            QCOMPARE(response, 2048);
        } else if (r.builtin == BuiltinRoute::ApiKeyIssue) {
            QCOMPARE(request, 16 * 1024);   // the gateway's /apikey reads its parameters' body
        } else {
            QCOMPARE(request, 0);       // streams untouched
            QCOMPARE(response, 0);
        }
    }
}

void tst_TransformPolicies::settingsAreChecked()
{
    PolicyProject project;
    QVERIFY(!buildWith(project, "{name: json-to-xml, settings: {apply: sideways, rootName: '1x'}}"));
    QVERIFY2(project.errors().contains(QStringLiteral("settings.apply")), qPrintable(project.errors()));
    QVERIFY2(project.errors().contains(QStringLiteral("settings.rootName")), qPrintable(project.errors()));
}

QTEST_GUILESS_MAIN(tst_TransformPolicies)
#include "tst_transformpolicies.moc"
