// GET /metrics through the real gateway: requests, upstream exchanges, phases, auth failures,
// upstream errors and reloads counted exactly with the labels they should carry (route templates,
// never raw paths); the scrape passes promtool and parses as OpenMetrics when asked; the access
// log's lines without credentials; in-process and through gatehoused.
#include "testgateway.h"
#include "testupstream.h"

#include "metricscheck.h"

#include "security/passwordhash.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

#include <functional>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

QByteArray vaultDocument(const QString &upstream)
{
    return QStringLiteral(R"(openapi: 3.0.3
info:
  title: Vault
  version: '1.0'
x-gatehouse-basePath: /vault
servers:
  - url: %1
components:
  securitySchemes:
    basicAuth:
      type: http
      scheme: basic
security:
  - basicAuth: []
paths:
  /read:
    get:
      x-gatehouse-scopes: [read]
      responses: {'200': {description: ok}}
  /write:
    get:
      x-gatehouse-scopes: [write]
      responses: {'200': {description: ok}}
)").arg(upstream).toUtf8();
}

// One scrape, parsed by prometheus_client; value() is 0 for a series that is not there.
class Scrape
{
public:
    explicit Scrape(const QJsonArray &families) : m_families(families) {}
    double value(const QString &sample, const QJsonObject &labels = {}) const
    {
        const QString v = sampleValue(m_families, sample, labels);
        return v.isEmpty() ? 0 : v.toDouble();
    }
    QJsonArray families() const { return m_families; }

private:
    QJsonArray m_families;
};

QJsonObject labels(std::initializer_list<std::pair<const char *, QString>> pairs)
{
    QJsonObject o;
    for (const auto &[k, v] : pairs)
        o.insert(QString::fromLatin1(k), v);
    return o;
}

} // namespace

class tst_Metrics : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { addGatewayModeRows(); }
    void initTestCase();
    void cleanupTestCase();

    void requestsByRouteTemplateAndStatus();
    void upstreamExchangesAndPhases();
    void authFailuresByReason();
    void upstreamErrorsByKind();
    void reloadsAndConfigVersion();
    void textPassesPromtoolAndOpenMetricsWhenAsked();
    void accessLogLinesWithoutSecrets();
    void aLocalAnswerIsLoggedWithItsDuration();
    void metricsCanBeTurnedOff();

private:
    GatewayUnderTest &gateway() { return m_gateways.current(); }
    Scrape scrape();
    // Scrapes until `sample` (with `labels`) reaches `value`: the worker records an exchange just
    // after its last byte left, so a scrape may briefly not see the newest.
    Scrape scrapeWhen(const QString &sample, const QJsonObject &labels, double value);
    // Scrapes until `done` holds for a scrape (or about a second passed): requests answered on
    // different workers reach the scrape independently.
    Scrape scrapeWhen(const std::function<bool(const Scrape &)> &done);
    QByteArray get(const QByteArray &target, const FieldPairs &headers = {});
    // The access log's line for the request sent with User-Agent `agent` (waits for the writer).
    QJsonObject accessLogLine(const QByteArray &agent);
    TestUpstream m_upstream;
    TestProject m_project;
    GatewayPair m_gateways;
    quint16 m_deadPort = 0;
    QByteArray m_settings;
};

void tst_Metrics::initTestCase()
{
    if (!havePythonClient())
        QSKIP("python3-prometheus-client is not installed");
    QVERIFY(m_project.isValid());
    QVERIFY(m_upstream.start());
    m_deadPort = unusedPort();
    const QString hash = hashPasswordWithSalt("reader-pw", "0123456789abcdef", 1000);
    const QByteArray users = "security:\n"
                             "  users:\n"
                             "    - name: reader\n"
                             "      passwordHash: '" + hash.toUtf8() + "'\n"
                             "      scopes: [read]\n"
                             "telemetry:\n"
                             "  accessLog:\n"
                             "    enabled: true\n"
                             "    path: access.log\n";
    m_settings = settingsYaml(users);
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), m_settings));
    QVERIFY(m_project.write(QStringLiteral("apis/pets.yaml"),
                            apiYaml(QStringLiteral("Pets"), QStringLiteral("/pets"), m_upstream.url(),
                                    {QStringLiteral("/items/{id} GET"), QStringLiteral("/list GET POST")})));
    QVERIFY(m_project.write(QStringLiteral("apis/down.yaml"),
                            apiYaml(QStringLiteral("Down"), QStringLiteral("/down"),
                                    QStringLiteral("http://127.0.0.1:%1").arg(m_deadPort), {QStringLiteral("/x GET")})));
    QVERIFY(m_project.write(QStringLiteral("apis/vault.yaml"), vaultDocument(m_upstream.url())));
    QString error;
    QVERIFY2(m_gateways.start(m_project.path(), &error), qPrintable(error));
}

void tst_Metrics::cleanupTestCase()
{
    m_gateways.stop();
    m_upstream.stop();
}

Scrape tst_Metrics::scrape()
{
    const HttpResponse r = gateway().admin("GET", "/metrics");
    if (!r.complete || r.status != 200) {
        qWarning("scrape failed: %s", qPrintable(r.describe()));
        return Scrape({});
    }
    const ToolResult parsed = pythonParse(r.body, false);
    if (!parsed.ok)
        qWarning("scrape does not parse: %s", parsed.err.constData());
    return Scrape(parsedFamilies(parsed));
}

Scrape tst_Metrics::scrapeWhen(const QString &sample, const QJsonObject &labels, double value)
{
    return scrapeWhen([&](const Scrape &s) { return s.value(sample, labels) >= value; });
}

Scrape tst_Metrics::scrapeWhen(const std::function<bool(const Scrape &)> &done)
{
    Scrape s = scrape();
    for (int i = 0; i < 50 && !done(s); ++i) {
        spin(20);
        s = scrape();
    }
    return s;
}

QByteArray tst_Metrics::get(const QByteArray &target, const FieldPairs &headers)
{
    const HttpResponse r = httpRequest(gateway().httpPort(), "GET", target, headers);
    return r.complete ? QByteArray::number(r.status) : QByteArray("incomplete");
}

QJsonObject tst_Metrics::accessLogLine(const QByteArray &agent)
{
    QFile file(m_project.filePath(QStringLiteral("access.log")));
    QByteArray line;
    waitUntil([&] {
        if (!file.open(QIODevice::ReadOnly))
            return false;
        const QList<QByteArray> lines = file.readAll().split('\n');
        file.close();
        for (const QByteArray &l : lines) {
            if (l.contains(agent))
                line = l;
        }
        return !line.isEmpty();
    }, 10'000);
    return QJsonDocument::fromJson(line).object();
}

void tst_Metrics::requestsByRouteTemplateAndStatus()
{
    const QString count = QStringLiteral("http_server_request_duration_seconds_count");
    const QJsonObject ok = labels({{"http_request_method", QStringLiteral("GET")},
                                   {"http_route", QStringLiteral("/pets/items/{id}")},
                                   {"http_response_status_code", QStringLiteral("200")},
                                   {"api", QStringLiteral("Pets")}});
    QJsonObject unavailable = ok;
    unavailable.insert(QStringLiteral("http_response_status_code"), QStringLiteral("503"));
    const QJsonObject notFound = labels({{"http_request_method", QStringLiteral("GET")},
                                         {"http_route", QString()},
                                         {"http_response_status_code", QStringLiteral("404")}});
    const QJsonObject posted = labels({{"http_request_method", QStringLiteral("POST")},
                                       {"http_route", QStringLiteral("/pets/list")},
                                       {"http_response_status_code", QStringLiteral("200")}});
    const Scrape before = scrape();

    QCOMPARE(get("/pets/items/1"), QByteArray("200"));
    QCOMPARE(get("/pets/items/2?secret=hunter2"), QByteArray("200"));
    QCOMPARE(get("/pets/items/%2e%2e%2fsecret-path"), QByteArray("200"));
    QCOMPARE(get("/pets/items/3", {{"X-Behave", "status=503"}}), QByteArray("503"));
    QCOMPARE(get("/nowhere/at/all"), QByteArray("404"));
    QCOMPARE(get("/pets/nothing-here"), QByteArray("404"));
    const HttpResponse p = httpRequest(gateway().httpPort(), "POST", "/pets/list", {}, "{}");
    QCOMPARE(p.status, 200);

    const Scrape after = scrapeWhen([&](const Scrape &s) {
        return s.value(count, ok) >= before.value(count, ok) + 3
               && s.value(count, unavailable) >= before.value(count, unavailable) + 1
               && s.value(count, notFound) >= before.value(count, notFound) + 2
               && s.value(count, posted) >= before.value(count, posted) + 1;
    });
    QCOMPARE(after.value(count, ok) - before.value(count, ok), 3.0);
    QCOMPARE(after.value(count, unavailable) - before.value(count, unavailable), 1.0);
    QCOMPARE(after.value(count, notFound) - before.value(count, notFound), 2.0);
    QCOMPARE(after.value(count, posted) - before.value(count, posted), 1.0);
    QJsonObject le = ok;
    le.insert(QStringLiteral("le"), QStringLiteral("inf"));
    QCOMPARE(after.value(QStringLiteral("http_server_request_duration_seconds_bucket"), le),
             after.value(count, ok));
    QVERIFY(after.value(QStringLiteral("http_server_request_duration_seconds_sum"), ok) > 0);
    // Raw paths and queries never become label values.
    const QByteArray text = QJsonDocument(after.families()).toJson();
    QVERIFY(!text.contains("secret"));
    QVERIFY(!text.contains("/pets/items/1"));
    QVERIFY(!text.contains("nowhere"));
    QCOMPARE(after.value(QStringLiteral("http_server_active_requests")), 0.0);
}

void tst_Metrics::upstreamExchangesAndPhases()
{
    const QString count = QStringLiteral("http_client_request_duration_seconds_count");
    const QJsonObject upstream = labels({{"http_request_method", QStringLiteral("GET")},
                                         {"server_address", QStringLiteral("127.0.0.1")},
                                         {"server_port", QString::number(m_upstream.port())},
                                         {"http_response_status_code", QStringLiteral("201")}});
    const QString phase = QStringLiteral("gatehouse_phase_duration_seconds_count");
    const QJsonObject upstreamPhase{{QStringLiteral("phase"), QStringLiteral("upstream")}};
    const QJsonObject respondPhase{{QStringLiteral("phase"), QStringLiteral("respond")}};
    const Scrape before = scrape();
    for (int i = 0; i < 4; ++i)
        QCOMPARE(get("/pets/list", {{"X-Behave", "status=201"}}), QByteArray("201"));
    const Scrape after = scrapeWhen(count, upstream, before.value(count, upstream) + 4);
    QCOMPARE(after.value(count, upstream) - before.value(count, upstream), 4.0);
    QCOMPARE(after.value(phase, upstreamPhase) - before.value(phase, upstreamPhase), 4.0);
    QCOMPARE(after.value(phase, respondPhase) - before.value(phase, respondPhase), 4.0);
    const QJsonObject authn{{QStringLiteral("phase"), QStringLiteral("authn")}};
    QCOMPARE(after.value(phase, authn) - before.value(phase, authn), 0.0);   // Pets has no security
}

void tst_Metrics::authFailuresByReason()
{
    const QString failures = QStringLiteral("gatehouse_auth_failures_total");
    auto reason = [](const char *r) { return QJsonObject{{QStringLiteral("reason"), QString::fromLatin1(r)}}; };
    const QString phase = QStringLiteral("gatehouse_phase_duration_seconds_count");
    const QJsonObject authn{{QStringLiteral("phase"), QStringLiteral("authn")}};
    const Scrape before = scrape();
    QCOMPARE(get("/vault/read"), QByteArray("401"));
    QCOMPARE(get("/vault/read", {{"Authorization", basicAuthorization("reader", "wrong")}}), QByteArray("401"));
    QCOMPARE(get("/vault/write", {{"Authorization", basicAuthorization("reader", "reader-pw")}}), QByteArray("403"));
    QCOMPARE(get("/vault/read", {{"Authorization", basicAuthorization("reader", "reader-pw")}}), QByteArray("200"));
    const Scrape after = scrapeWhen(phase, authn, before.value(phase, authn) + 4);
    QCOMPARE(after.value(failures, reason("missing_credentials")) - before.value(failures, reason("missing_credentials")), 1.0);
    QCOMPARE(after.value(failures, reason("invalid_credentials")) - before.value(failures, reason("invalid_credentials")), 1.0);
    QCOMPARE(after.value(failures, reason("insufficient_scope")) - before.value(failures, reason("insufficient_scope")), 1.0);
    QCOMPARE(after.value(failures, reason("forbidden")) - before.value(failures, reason("forbidden")), 0.0);
    QCOMPARE(after.value(phase, authn) - before.value(phase, authn), 4.0);
    const QJsonObject vault401 = labels({{"http_route", QStringLiteral("/vault/read")},
                                         {"http_response_status_code", QStringLiteral("401")},
                                         {"api", QStringLiteral("Vault")}});
    const QString count = QStringLiteral("http_server_request_duration_seconds_count");
    QCOMPARE(after.value(count, vault401) - before.value(count, vault401), 2.0);
}

void tst_Metrics::upstreamErrorsByKind()
{
    const QString errors = QStringLiteral("gatehouse_upstream_errors_total");
    const QJsonObject refused{{QStringLiteral("error_type"), QStringLiteral("connect_failed")}};
    const QString count = QStringLiteral("http_server_request_duration_seconds_count");
    const QJsonObject badGateway = labels({{"http_route", QStringLiteral("/down/x")},
                                           {"http_response_status_code", QStringLiteral("502")}});
    const Scrape before = scrape();
    QCOMPARE(get("/down/x"), QByteArray("502"));
    const Scrape after = scrapeWhen(count, badGateway, before.value(count, badGateway) + 1);
    QCOMPARE(after.value(count, badGateway) - before.value(count, badGateway), 1.0);
    // One endpoint and upstream.maxRetries 1: two attempts, both refused.
    QCOMPARE(after.value(errors, refused) - before.value(errors, refused), 2.0);
    const QJsonObject reset{{QStringLiteral("error_type"), QStringLiteral("reset")}};
    QCOMPARE(after.value(errors, reset) - before.value(errors, reset), 0.0);
}

void tst_Metrics::reloadsAndConfigVersion()
{
    const QString reloads = QStringLiteral("gatehouse_config_reloads_total");
    const QJsonObject success{{QStringLiteral("result"), QStringLiteral("success")}};
    const Scrape before = scrape();
    QCOMPARE(gateway().reload().status, 200);
    const Scrape after = scrape();
    QCOMPARE(after.value(reloads, success) - before.value(reloads, success), 1.0);
    QCOMPARE(after.value(QStringLiteral("gatehouse_config_version")) - before.value(QStringLiteral("gatehouse_config_version")), 1.0);
    QCOMPARE(after.value(QStringLiteral("gatehouse_workers")), 2.0);
    QVERIFY(after.value(QStringLiteral("process_resident_memory_bytes")) > 0);
    QVERIFY(after.value(QStringLiteral("process_open_fds")) > 0);
}

void tst_Metrics::textPassesPromtoolAndOpenMetricsWhenAsked()
{
    const HttpResponse text = gateway().admin("GET", "/metrics");
    QCOMPARE(text.status, 200);
    QCOMPARE(text.header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    if (havePromtool()) {
        const ToolResult check = promtoolCheck(text.body);
        QVERIFY2(check.ok, qPrintable(QString::fromUtf8(check.out + check.err)));
    }
    const HttpResponse om = httpRequest(gateway().adminPort(), "GET", "/metrics",
                                        {{"Accept", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5"}});
    QCOMPARE(om.status, 200);
    QVERIFY(om.header("Content-Type").startsWith("application/openmetrics-text; version=1.0.0"));
    QVERIFY(om.body.endsWith("# EOF\n"));
    const ToolResult parsed = pythonParse(om.body, true);
    QVERIFY2(parsed.ok, parsed.err.constData());
    QVERIFY(!sampleValue(parsedFamilies(parsed), QStringLiteral("process_cpu_seconds_total")).isEmpty());
}

void tst_Metrics::accessLogLinesWithoutSecrets()
{
    const QByteArray agent = "tst-metrics/" + gateway().name().toUtf8();
    QCOMPARE(get("/vault/read?api_key=s3cret&page=2",
                 {{"Authorization", basicAuthorization("reader", "reader-pw")}, {"User-Agent", agent}, {"Cookie", "session=c00kie"}}),
             QByteArray("200"));
    const QJsonObject o = accessLogLine(agent);
    QVERIFY2(!o.isEmpty(), "no access log line for the request");
    QCOMPARE(o.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
    QCOMPARE(o.value(QStringLiteral("path")).toString(), QStringLiteral("/vault/read"));
    QCOMPARE(o.value(QStringLiteral("query")).toString(), QStringLiteral("?api_key=REDACTED&page=REDACTED"));
    QCOMPARE(o.value(QStringLiteral("status")).toInt(), 200);
    QCOMPARE(o.value(QStringLiteral("route")).toString(), QStringLiteral("/vault/read"));
    QCOMPARE(o.value(QStringLiteral("api")).toString(), QStringLiteral("Vault"));
    QCOMPARE(o.value(QStringLiteral("user")).toString(), QStringLiteral("reader"));
    QCOMPARE(o.value(QStringLiteral("client")).toString(), QStringLiteral("127.0.0.1"));
    QVERIFY(o.value(QStringLiteral("bytes_sent")).toInt() > 0);
    QFile file(m_project.filePath(QStringLiteral("access.log")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray all = file.readAll();
    for (const QByteArray &secret : {QByteArray("s3cret"), QByteArray("reader-pw"), basicAuthorization("reader", "reader-pw"),
                                     QByteArray("c00kie")})
        QVERIFY2(!all.contains(secret), secret.constData());
    QCOMPARE(scrape().value(QStringLiteral("gatehouse_access_log_dropped_total")), 0.0);
}

void tst_Metrics::aLocalAnswerIsLoggedWithItsDuration()
{
    // A wrong password is answered by the gateway itself, in the loop iteration the request arrived
    // in, after checking the password hash: real work, which the line must not record as 0.
    const QByteArray agent = "tst-metrics-local/" + gateway().name().toUtf8();
    QCOMPARE(get("/vault/read", {{"Authorization", basicAuthorization("reader", "wrong-pw")}, {"User-Agent", agent}}),
             QByteArray("401"));
    const QJsonObject o = accessLogLine(agent);
    QVERIFY2(!o.isEmpty(), "no access log line for the request");
    QCOMPARE(o.value(QStringLiteral("status")).toInt(), 401);
    QVERIFY2(o.value(QStringLiteral("duration_us")).toInteger() > 0,
             QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
}

void tst_Metrics::metricsCanBeTurnedOff()
{
    // The API Extra exists only while metrics are off: whatever worker serves it then, none of its
    // requests may reach a histogram or a counter, while the access log still has them.
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), m_settings + "  metrics:\n    enabled: false\n"));
    QVERIFY(m_project.write(QStringLiteral("apis/extra.yaml"),
                            apiYaml(QStringLiteral("Extra"), QStringLiteral("/extra"), m_upstream.url(),
                                    {QStringLiteral("/ping GET")})));
    QCOMPARE(gateway().reload().status, 200);
    const HttpResponse off = gateway().admin("GET", "/metrics");
    int served = 0;
    for (int i = 0; i < 200 && served < 5; ++i) {
        if (get("/extra/ping") == "200")
            ++served;   // a worker that has applied the config without metrics
        else
            spin(10);
    }
    QCOMPARE(served, 5);
    QVERIFY(m_project.remove(QStringLiteral("apis/extra.yaml")));
    QVERIFY(m_project.write(QStringLiteral("gatehouse.yaml"), m_settings));
    QCOMPARE(gateway().reload().status, 200);
    QCOMPARE(off.status, 404);
    QVERIFY(off.json().value(QStringLiteral("description")).toString().contains(QStringLiteral("telemetry.metrics.enabled")));
    const HttpResponse on = gateway().admin("GET", "/metrics");
    QCOMPARE(on.status, 200);
    QVERIFY(on.body.contains("http_server_request_duration_seconds_count{"));
    QVERIFY2(!on.body.contains("/extra/ping"), on.body.constData());
    QVERIFY(!on.body.contains("Extra"));
    QCOMPARE(scrape().value(QStringLiteral("http_server_active_requests")), 0.0);
    const QString log = m_project.filePath(QStringLiteral("access.log"));
    for (int i = 0; i < 100 && !readTestFile(log).contains("\"route\":\"/extra/ping\""); ++i)
        spin(20);
    QVERIFY(readTestFile(log).contains("\"route\":\"/extra/ping\""));
}

QTEST_GUILESS_MAIN(tst_Metrics)
#include "tst_metrics.moc"
