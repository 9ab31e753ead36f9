// "Explain" end to end: real requests through the embedded gateway, refused for real reasons, and
// the Traces dock's sentences for them (policy decisions recorded because the dock listens).
#include "testupstream.h"

#include "gatewaycontroller.h"
#include "traceexplain.h"
#include "tracesdock.h"
#include "tracetablemodel.h"

#include "base/diagnostic.h"
#include "project/project.h"
#include "security/apikeyissuer.h"
#include "security/joseencoding.h"
#include "security/revocationlist.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_ExplainRefusals : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void refusalsAreExplainedInSentences_data();
    void refusalsAreExplainedInSentences();
    void cleanupTestCase();

private:
    void write(const QString &relative, const QByteArray &text);
    // Sends a request and waits for its answer; returns the status (-1: none in time).
    int send(const QByteArray &method, const QString &target, const QByteArray &authorization = {},
             const QByteArray &apiKey = {});
    QByteArray issue(const QStringList &scopes, qint64 issuedAgoSeconds, qint64 ttlSeconds,
                     const QStringList &allowedApis = {});

    QTemporaryDir m_dir;
    TestUpstream m_upstream;
    quint16 m_closedPort = 0;
    QTcpServer m_silent;   // accepts connections and never answers
    std::shared_ptr<const ApiKeyIssuer> m_issuer;
    std::unique_ptr<GatewayController> m_gateway;
    std::unique_ptr<TracesDock> m_dock;
    QNetworkAccessManager m_network;
};

void tst_ExplainRefusals::write(const QString &relative, const QByteArray &text)
{
    const QString path = m_dir.filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

int tst_ExplainRefusals::send(const QByteArray &method, const QString &target, const QByteArray &authorization,
                              const QByteArray &apiKey)
{
    QNetworkRequest request(QUrl(m_gateway->httpBaseUrl() + target));
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    if (!apiKey.isEmpty())
        request.setRawHeader("X-Pet-Key", apiKey);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method);
    int status = -1;
    bool done = false;
    connect(reply, &QNetworkReply::finished, reply, [&] {
        status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        done = true;
        reply->deleteLater();
    });
    if (!QTest::qWaitFor([&] { return done; }, 15000))
        return -1;
    return status;
}

QByteArray tst_ExplainRefusals::issue(const QStringList &scopes, qint64 issuedAgoSeconds, qint64 ttlSeconds,
                                      const QStringList &allowedApis)
{
    ApiKeyIssuer::Request request;
    request.subject = QStringLiteral("alice");
    request.scopes = scopes;
    request.ttlSeconds = ttlSeconds;
    request.allowedApis = allowedApis;
    const auto token = m_issuer->issue(request, QDateTime::currentSecsSinceEpoch() - issuedAgoSeconds);
    return token ? *token : QByteArray();
}

void tst_ExplainRefusals::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_upstream.listen(QHostAddress::LocalHost));
    {
        QTcpServer closed;   // a port nothing listens on once it is closed again
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        m_closedPort = closed.serverPort();
    }
    QVERIFY(m_silent.listen(QHostAddress::LocalHost));
    write(QStringLiteral("gatehouse.yaml"), R"(version: 1
listeners: {http: {port: 0}, https: {enabled: false}, admin: {enabled: false}}
upstream: {requestTimeout: 1s, maxRetries: 0}
security:
  apiKeys: {issuer: 'https://gatehouse.test/apikey', defaultTtl: 1h}
  issuers:
    - {name: gatehouse, issuer: 'https://gatehouse.test/apikey', jwksFile: keys/jwks.json, claims: {scopes: scope}}
throttling:
  tiers:
    Bronze: {count: 10, unit: hour}
)");
    write(QStringLiteral("apis/pets.yaml"), QByteArray(R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:PORT/api'}]
components:
  securitySchemes:
    oauth2:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://x/token', scopes: {'pets:read': read, 'pets:write': write}}}
    key: {type: apiKey, in: header, name: X-Pet-Key}
security: [{oauth2: ['pets:read']}]
paths:
  /pets:
    get: {responses: {'200': {description: ok}}}
    post: {security: [{oauth2: ['pets:write']}], responses: {'201': {description: created}}}
  /keyed:
    get: {security: [{key: []}], responses: {'200': {description: ok}}}
  /limited:
    get: {security: [], x-gatehouse-throttling-tier: Bronze, responses: {'200': {description: ok}}}
  /search:
    get:
      security: []
      parameters: [{name: limit, in: query, required: true, schema: {type: integer}}]
      x-gatehouse-request-policies: [{name: validate-request}]
      responses: {'200': {description: ok}}
)").replace("PORT", QByteArray::number(m_upstream.serverPort())));
    write(QStringLiteral("apis/down.yaml"), QByteArray(R"(openapi: 3.0.3
info: {title: Down, version: v1}
servers: [{url: 'http://127.0.0.1:PORT/down'}]
paths:
  /status:
    get: {security: [], responses: {'200': {description: ok}}}
)").replace("PORT", QByteArray::number(m_closedPort)));
    write(QStringLiteral("apis/silent.yaml"), QByteArray(R"(openapi: 3.0.3
info: {title: Silent, version: v1}
servers: [{url: 'http://127.0.0.1:PORT/silent'}]
paths:
  /status:
    get: {security: [], responses: {'200': {description: ok}}}
)").replace("PORT", QByteArray::number(m_silent.serverPort())));
    Diagnostics diagnostics;
    const Project project = Project::load(m_dir.path(), diagnostics);
    QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
    // The issuer first: it writes the key pair and the JWKS the gateway then verifies with.
    auto issuer = ApiKeyIssuer::open(project.settings.security.apiKeys, m_dir.path());
    QVERIFY2(issuer, issuer ? "" : qPrintable(issuer.error().message));
    m_issuer = *issuer;

    m_gateway = std::make_unique<GatewayController>();
    m_dock = std::make_unique<TracesDock>();
    m_dock->setEngine(m_gateway->engine());
    m_gateway->setProjectDir(m_dir.path());
    QVERIFY(m_gateway->start());
}

void tst_ExplainRefusals::cleanupTestCase()
{
    if (m_gateway)
        m_gateway->engine()->stopAndWait();
    m_dock.reset();
    m_gateway.reset();
}

void tst_ExplainRefusals::refusalsAreExplainedInSentences_data()
{
    QTest::addColumn<QString>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("verdict");   // a regular expression for the dock's first sentence

    QTest::newRow("a request without a credential says none was sent")
        << "no-credential" << 401
        << R"(^Refused by authentication \(authn\): no credential: the operation requires oauth2, and the request carries none$)";
    QTest::newRow("an expired token says how long ago it expired")
        << "expired" << 401 << R"(^Refused by authentication \(authn\): token expired 3 min ago$)";
    QTest::newRow("a token without the scope names the scope missing and the token's")
        << "scope" << 403 << R"(^Refused by scopes \(authz\): scope 'pets:write' missing: the token has 'pets:read'$)";
    QTest::newRow("a rate-limited request names the tier, its limit and when to retry")
        << "rate-limit" << 429
        << R"(^Refused by ratelimit \(ratelimit\): tier Bronze \(resource level\): 10/h exceeded, retry in [1-6] min$)";
    QTest::newRow("an API key for another API names the APIs it allows")
        << "wrong-api" << 403
        << R"(^Refused by authentication \(authn\): the API key does not allow API 'Pets' \(it allows 'Orders'\)$)";
    QTest::newRow("a token with a forged signature says it does not verify")
        << "forged" << 401 << R"(^Refused by authentication \(authn\): signature does not verify with key '.+' of issuer 'gatehouse'$)";
    QTest::newRow("a token naming a key the issuer does not have names the key")
        << "unknown-kid" << 401
        << R"(^Refused by authentication \(authn\): key 'retired-2019' is not among the keys of issuer 'gatehouse'$)";
    QTest::newRow("a revoked key says so, by its id")
        << "revoked" << 401 << R"(^Refused by authentication \(authn\): token '.+' has been revoked$)";
    QTest::newRow("a request breaking the operation's schema names the parameter")
        << "validation" << 422 << R"(^Refused by validate-request \(validate\): .*'limit'.*$)";
    QTest::newRow("a path no API serves is not routed")
        << "no-route" << 404 << R"(^Not routed: No API resource matches GET /api/nothing$)";
    QTest::newRow("a method the path does not offer names the allowed ones")
        << "method" << 405 << R"(^Not routed: DELETE is not allowed on /api/pets \(allowed: .*GET.*\)$)";
    QTest::newRow("an upstream that refuses connections names the endpoint")
        << "upstream-down" << 502
        << R"(^The upstream failed: The gateway could not connect to the upstream \(http://127\.0\.0\.1:\d+\)$)";
    QTest::newRow("an upstream that never answers names the endpoint that timed out")
        << "upstream-silent" << 504
        << R"(^The upstream failed: The upstream did not answer in time \(http://127\.0\.0\.1:\d+\)$)";
}

void tst_ExplainRefusals::refusalsAreExplainedInSentences()
{
    QFETCH(QString, request);
    QFETCH(int, status);
    QFETCH(QString, verdict);

    // Each row's request carries a query name of its own: the row finds its record by it.
    const QString marker = QStringLiteral("case-") + request;
    const QString query = u'?' + marker + QStringLiteral("=1");
    const QByteArray reader = "Bearer " + issue({QStringLiteral("pets:read")}, 0, 600);
    int got = -1;
    if (request == u"no-credential") {
        got = send("GET", QStringLiteral("/api/pets") + query);
    } else if (request == u"expired") {
        // Issued 4 min 20 s ago for a minute: expired 200 s ago, past the issuer's 60 s of skew.
        got = send("GET", QStringLiteral("/api/pets") + query, "Bearer " + issue({QStringLiteral("pets:read")}, 260, 60));
    } else if (request == u"scope") {
        got = send("POST", QStringLiteral("/api/pets") + query, reader);
    } else if (request == u"rate-limit") {
        for (int i = 0; i < 30 && got != 429; ++i)   // Bronze admits 10 an hour
            got = send("GET", QStringLiteral("/api/limited") + query);
    } else if (request == u"wrong-api") {
        got = send("GET", QStringLiteral("/api/keyed") + query, {},
                   issue({}, 0, 600, {QStringLiteral("Orders")}));
    } else if (request == u"forged") {
        QByteArray token = issue({QStringLiteral("pets:read")}, 0, 600);
        const qsizetype last = token.size() - 5;   // inside the signature, not its last character
        token[last] = token.at(last) == 'A' ? 'B' : 'A';
        got = send("GET", QStringLiteral("/api/pets") + query, "Bearer " + token);
    } else if (request == u"unknown-kid") {
        // The same signed token under a header naming another key: refused before any signature check.
        const QList<QByteArray> parts = issue({QStringLiteral("pets:read")}, 0, 600).split('.');
        QVERIFY(parts.size() == 3);
        const auto header = base64UrlDecode(parts.at(0));
        QVERIFY(header);
        QJsonObject h = QJsonDocument::fromJson(*header).object();
        h.insert(QStringLiteral("kid"), QStringLiteral("retired-2019"));
        const QByteArray token = base64UrlEncode(QJsonDocument(h).toJson(QJsonDocument::Compact)) + '.' + parts.at(1)
                                 + '.' + parts.at(2);
        got = send("GET", QStringLiteral("/api/pets") + query, "Bearer " + token);
    } else if (request == u"revoked") {
        const QByteArray token = issue({QStringLiteral("pets:read")}, 0, 600);
        QCOMPARE(send("GET", QStringLiteral("/api/pets?case-before-revoked=1"), "Bearer " + token), 200);
        const auto claims = base64UrlDecode(token.split('.').value(1));
        QVERIFY(claims);
        const QString jti = QJsonDocument::fromJson(*claims).object().value(QLatin1StringView("jti")).toString();
        QVERIFY(RevocationList::revoke(m_dir.filePath(QStringLiteral("keys/revoked.txt")), jti));
        // The gateway looks at the revocation file at most once a second.
        QTRY_COMPARE_WITH_TIMEOUT(got = send("GET", QStringLiteral("/api/pets") + query, "Bearer " + token), 401, 10000);
    } else if (request == u"validation") {
        got = send("GET", QStringLiteral("/api/search") + query + QStringLiteral("&limit=many"));
    } else if (request == u"no-route") {
        got = send("GET", QStringLiteral("/api/nothing") + query);
    } else if (request == u"method") {
        got = send("DELETE", QStringLiteral("/api/pets") + query, reader);
    } else if (request == u"upstream-down") {
        got = send("GET", QStringLiteral("/down/status") + query);
    } else if (request == u"upstream-silent") {
        got = send("GET", QStringLiteral("/silent/status") + query);   // upstream.requestTimeout: 1s
    }
    QCOMPARE(got, status);

    // The newest record of this row, once the engine's batch reached the dock.
    TraceTableModel *model = m_dock->model();
    int row = -1;
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        for (int i = model->rowCount() - 1; i >= 0 && row < 0; --i) {
            if (QString::fromUtf8(model->record(i).target).contains(marker) && model->record(i).status == status)
                row = i;
        }
        return row >= 0;
    }(), 10000);
    const TraceRecord &record = model->record(row);
    QVERIFY2(!record.decisions.isEmpty(), "the dock listens: the request's decisions are recorded");

    m_dock->selectRow(m_dock->filterModel()->mapFromSource(model->index(row, 0)).row());
    const QStringList lines = TraceExplainer::explain(record);
    QVERIFY2(QRegularExpression(verdict).match(lines.value(0)).hasMatch(), qPrintable(lines.join(u'\n')));
    // The dock shows that sentence first (HTML-escaped).
    QVERIFY2(m_dock->explainLabel()->text().contains(lines.value(0).toHtmlEscaped()),
             qPrintable(m_dock->explainLabel()->text()));
}

QTEST_MAIN(tst_ExplainRefusals)
#include "tst_explainrefusals.moc"
