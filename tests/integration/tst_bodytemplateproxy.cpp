// body-template through the real gateway (in-process and gatehoused): the upstream receives the
// JSON the template builds from the path parameter, query, header, the incoming JSON body and the
// caller, with the template's Content-Type; hostile values with '"' and '<' stay values; a body
// that is not JSON is answered 400 without calling the upstream; a response template turns the
// upstream's JSON into escaped XML; `gatehoused check` reports a broken template at its attachment.
#include "testgateway.h"
#include "testupstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>
#include <QXmlStreamReader>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QByteArray apiDocument(const QString &upstream)
{
    return apiYamlHead(QStringLiteral("Shop"), QStringLiteral("3"), QStringLiteral("/shop"), upstream)
         + QByteArray(
               "paths:\n"
               "  /orders/{orderId}:\n"
               "    parameters: [{name: orderId, in: path, required: true, schema: {type: string}}]\n"
               "    post:\n"
               "      x-gatehouse-request-policies:\n"
               "        - name: body-template\n"
               "          settings:\n"
               "            request:\n"
               "              contentType: application/json\n"
               "              template: '{\"order\": \"${request.param.orderId}\", \"note\": \"${request.query.note}\",\n"
               "                \"customer\": ${request.header.X-Customer}, \"first\": ${request.body#/items/0},\n"
               "                \"api\": \"${api.name} ${api.version}\"}'\n"
               "      responses: {'200': {description: ok}}\n"
               "  /status:\n"
               "    get:\n"
               "      x-gatehouse-response-policies:\n"
               "        - name: body-template\n"
               "          settings:\n"
               "            response:\n"
               "              contentType: application/xml\n"
               "              template: '<status code=\"${response.status}\">${response.body#/state}</status>'\n"
               "      responses: {'200': {description: ok}}\n");
}

} // namespace

class tst_BodyTemplateProxy : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void theUpstreamGetsTheBuiltJson_data();
    void theUpstreamGetsTheBuiltJson();
    void aBodyThatIsNotJsonIs400();
    void responsesBecomeEscapedXml();
    void checkReportsABrokenTemplate();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
};

void tst_BodyTemplateProxy::initTestCase()
{
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(m_project.write(QStringLiteral("apis/shop.yaml"), apiDocument(m_upstream.url())));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error, 1), qPrintable(error));
}

void tst_BodyTemplateProxy::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

void tst_BodyTemplateProxy::theUpstreamGetsTheBuiltJson_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("plain values") << QByteArray("gift wrap");
    QTest::newRow("a quote cannot close the string") << QByteArray(R"(x", "admin": true, "y": ")");
    QTest::newRow("markup stays text") << QByteArray("</note><admin/>");
    QTest::newRow("a backslash cannot escape the quote") << QByteArray(R"(\)");
}

void tst_BodyTemplateProxy::theUpstreamGetsTheBuiltJson()
{
    QFETCH(QByteArray, value);
    const QByteArray target = "/shop/orders/A%2017?note=" + QUrl::toPercentEncoding(QString::fromUtf8(value));
    const HttpResponse r = httpRequest(gateway().httpPort(), "POST", target,
                                       {{"Content-Type", "application/json"}, {"X-Customer", value}},
                                       R"({"items": [{"sku": 7, "qty": 2}]})");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    const RecordedRequest seen = m_upstream.lastRequest();
    QCOMPARE(seen.header("content-type"), QByteArray("application/json"));
    QJsonParseError error;
    const QJsonObject sent = QJsonDocument::fromJson(seen.body, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, seen.body.constData());
    QCOMPARE(sent.keys(), QStringList({QStringLiteral("api"), QStringLiteral("customer"), QStringLiteral("first"),
                                       QStringLiteral("note"), QStringLiteral("order")}));
    QCOMPARE(sent.value(u"order").toString(), QStringLiteral("A 17"));
    QCOMPARE(sent.value(u"note").toString(), QString::fromUtf8(value));
    QCOMPARE(sent.value(u"customer").toString(), QString::fromUtf8(value));
    QCOMPARE(sent.value(u"first").toObject().value(u"qty").toInt(), 2);
    QCOMPARE(sent.value(u"api").toString(), QStringLiteral("Shop 3"));
}

void tst_BodyTemplateProxy::aBodyThatIsNotJsonIs400()
{
    const int before = m_upstream.requestCount();
    const HttpResponse r = httpRequest(gateway().httpPort(), "POST", "/shop/orders/1",
                                       {{"Content-Type", "application/json"}}, "{\"items\": [");
    QCOMPARE(r.status, 400);
    QVERIFY(r.body.contains("not JSON"));
    m_upstream.sync();
    QCOMPARE(m_upstream.requestCount(), before);
}

void tst_BodyTemplateProxy::responsesBecomeEscapedXml()
{
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", "/shop/status",
                                       {{"X-Behave", R"(body={"state": "<ok> & \"fine\""})"}});
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QCOMPARE(r.header("content-type"), QByteArray("application/xml"));
    QXmlStreamReader reader(r.body);
    QString text;
    QString code;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement())
            code = reader.attributes().value(QStringLiteral("code")).toString();
        else if (reader.isCharacters())
            text += reader.text();
    }
    QVERIFY2(!reader.hasError(), r.body.constData());
    QCOMPARE(code, QStringLiteral("200"));
    QCOMPARE(text, QStringLiteral("<ok> & \"fine\""));
}

void tst_BodyTemplateProxy::checkReportsABrokenTemplate()
{
    if (currentGatewayMode() != GatewayMode::Daemon)
        QSKIP("gatehoused check is the daemon's");
    TestProject project;
    QVERIFY(project.write(QStringLiteral("gatehouse.yaml"), settingsYaml()));
    QVERIFY(project.write(QStringLiteral("apis/bad.yaml"),
                          apiYaml(QStringLiteral("Bad"), QStringLiteral("/bad"), m_upstream.url(), {QStringLiteral("/x post")},
                                  "x-gatehouse-request-policies:\n"
                                  "  - {name: body-template, settings: {request: {template: '{\"a\": ${request.param.id}}'}}}\n")));
    const ProcessResult r = runProcess(gatehousedPath(), {QStringLiteral("check"), project.path()});
    QCOMPARE(r.exitCode, 1);
    const QByteArray all = r.out + r.err;
    QVERIFY2(all.contains("apis/bad.yaml:") && all.contains("settings.request.template")
                 && all.contains("'id' is not a path parameter"),
             all.constData());
}

QTEST_MAIN(tst_BodyTemplateProxy)
#include "tst_bodytemplateproxy.moc"
