// Compiling projects into GatewayConfig: routes, precedence of settings, cross-file diagnostics.
#include "project/gatewayconfig.h"
#include "project/project.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_GatewayConfig : public QObject
{
    Q_OBJECT
private slots:
    void routesJoinBasePathAndOperationPath();
    void operationSettingsOverrideApiSettings();
    void restEndpointsSayWhetherTheySpeakHttp2_data();
    void restEndpointsSayWhetherTheySpeakHttp2();
    void duplicateRoutePointsAtBothPlaces();
    void crossFileDiagnostics_data();
    void crossFileDiagnostics();
    void grpcMethodsBecomeRoutes();
    void theGatewaysApiKeyRouteYieldsToAnApisOwn();
    void fingerprintIsDeterministic();
    void projectWithErrorsDoesNotCompile();

private:
    static QString makeProject(QTemporaryDir &dir, const QMap<QString, QByteArray> &files);
    static std::shared_ptr<GatewayConfig> compile(const QString &dir, Diagnostics &d);
};

namespace {

const QByteArray kPets = R"(openapi: 3.0.3
info: {title: Pets, version: v2}
servers: [{url: 'http://127.0.0.1:8080/api'}]
x-gatehouse-basePath: /pets/{version}
x-gatehouse-throttling-tier: Gold
components:
  securitySchemes:
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://idp/token', scopes: {read: r, write: w}}}}
security: [{oauth: [read]}]
paths:
  /items:
    get: {operationId: list, responses: {'200': {description: ok}}}
    post:
      operationId: create
      security: [{oauth: [write]}]
      x-gatehouse-throttling-tier: Silver
      x-gatehouse-production-endpoints: {urls: ['http://127.0.0.1:9999/v2']}
      responses: {'201': {description: created}}
  /items/{id}:
    get:
      operationId: get
      security: []
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
)";

} // namespace

QString tst_GatewayConfig::makeProject(QTemporaryDir &dir, const QMap<QString, QByteArray> &files)
{
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QString path = dir.filePath(it.key());
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(it.value());
    }
    return dir.path();
}

std::shared_ptr<GatewayConfig> tst_GatewayConfig::compile(const QString &dir, Diagnostics &d)
{
    const Project p = Project::load(dir, d);
    return d.hasErrors() ? nullptr : compileProject(p, d);
}

void tst_GatewayConfig::routesJoinBasePathAndOperationPath()
{
    QTemporaryDir dir;
    Diagnostics d;
    const auto config = compile(makeProject(dir, {{QStringLiteral("apis/pets.yaml"), kPets}}), d);
    QVERIFY2(config, qPrintable(d.toString()));
    QStringList templates;
    for (const Route &r : config->routes)
        templates << r.method + u' ' + r.pathTemplate;
    // The API's operations, then the gateway's own /apikey (theGatewaysApiKeyRouteYieldsToAnApisOwn).
    QCOMPARE(templates, QStringList({QStringLiteral("GET /pets/v2/items"), QStringLiteral("POST /pets/v2/items"),
                                     QStringLiteral("GET /pets/v2/items/{id}"), QStringLiteral("GET /apikey"),
                                     QStringLiteral("POST /apikey")}));
    const Router::Match m = config->router.match("GET", "/pets/v2/items/42");
    QCOMPARE(m.status, Router::MatchStatus::Matched);
    QCOMPARE(config->routes.at(m.route).operationId, QStringLiteral("get"));
    QCOMPARE(config->routes.at(0).basePath, QByteArray("/pets/v2"));
    QCOMPARE(config->routes.at(0).upstreams.at(0).pathPrefix, QByteArray("/api"));
    QCOMPARE(config->routes.at(0).upstreams.at(0).key, QStringLiteral("http://127.0.0.1:8080"));
}

void tst_GatewayConfig::operationSettingsOverrideApiSettings()
{
    QTemporaryDir dir;
    Diagnostics d;
    const auto config = compile(makeProject(dir, {{QStringLiteral("apis/pets.yaml"), kPets}}), d);
    QVERIFY2(config, qPrintable(d.toString()));
    const Route &list = config->routes.at(0), &create = config->routes.at(1), &get = config->routes.at(2);
    QCOMPARE(list.apiTier, QStringLiteral("Gold"));
    QCOMPARE(list.resourceTier, QString());
    QCOMPARE(create.resourceTier, QStringLiteral("Silver"));
    QCOMPARE(list.security.size(), 1);
    QCOMPARE(list.security.first().first().scopes, QStringList{QStringLiteral("read")});
    QCOMPARE(create.security.first().first().scopes, QStringList{QStringLiteral("write")});
    QCOMPARE(create.upstreams.at(0).key, QStringLiteral("http://127.0.0.1:9999"));
    QCOMPARE(create.upstreams.at(0).pathPrefix, QByteArray("/v2"));
    QVERIFY(get.security.isEmpty());   // security: [] = no requirement: anonymous
    QCOMPARE(list.authHeader, QStringLiteral("Authorization"));
}

void tst_GatewayConfig::restEndpointsSayWhetherTheySpeakHttp2_data()
{
    QTest::addColumn<QByteArray>("endpoints");   // x-gatehouse-production-endpoints
    QTest::addColumn<bool>("http2");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("key");
    QTest::newRow("an http URL is HTTP/1.1") << QByteArray("'http://127.0.0.1:8080'") << false << false
                                             << QStringLiteral("http://127.0.0.1:8080");
    QTest::newRow("an h2c URL is HTTP/2 by prior knowledge")
        << QByteArray("'h2c://127.0.0.1:8080'") << true << false << QStringLiteral("http://127.0.0.1:8080");
    QTest::newRow("h2c URLs in an endpoint object are HTTP/2")
        << QByteArray("{urls: ['h2c://127.0.0.1:8080', 'h2c://127.0.0.1:8081']}") << true << false
        << QStringLiteral("http://127.0.0.1:8080");
    QTest::newRow("http2 true on an https URL is h2 by ALPN")
        << QByteArray("{urls: ['https://127.0.0.1:8443'], http2: true}") << true << true
        << QStringLiteral("https://127.0.0.1:8443");
    QTest::newRow("http2 true on an http URL is h2c") << QByteArray("{urls: ['http://127.0.0.1:8080'], http2: true}")
                                                      << true << false << QStringLiteral("http://127.0.0.1:8080");
    QTest::newRow("http2 false keeps HTTP/1.1") << QByteArray("{urls: ['https://127.0.0.1:8443'], http2: false}")
                                                << false << true << QStringLiteral("https://127.0.0.1:8443");
}

void tst_GatewayConfig::restEndpointsSayWhetherTheySpeakHttp2()
{
    QFETCH(QByteArray, endpoints);
    QFETCH(bool, http2);
    QFETCH(bool, tls);
    QFETCH(QString, key);
    const QByteArray api = "openapi: 3.0.3\ninfo: {title: H2, version: v1}\nx-gatehouse-basePath: /h2\n"
                           "x-gatehouse-production-endpoints: " + endpoints + "\n"
                           "paths:\n  /x:\n    get: {responses: {'200': {description: ok}}}\n";
    QTemporaryDir dir;
    Diagnostics d;
    const auto config = compile(makeProject(dir, {{QStringLiteral("apis/h2.yaml"), api}}), d);
    QVERIFY2(config, qPrintable(d.toString()));
    const UpstreamEndpoint &upstream = config->routes.at(0).upstreams.at(0);
    QCOMPARE(upstream.protocol == UpstreamProtocol::Http2, http2);
    QCOMPARE(upstream.tls, tls);
    QCOMPARE(upstream.key, key);
    QCOMPARE(config->routes.at(0).endpoints.http2, http2);
}

void tst_GatewayConfig::theGatewaysApiKeyRouteYieldsToAnApisOwn()
{
    const auto builtins = [](const GatewayConfig &config) {
        QStringList out;
        for (const Route &r : config.routes) {
            if (r.builtin == BuiltinRoute::ApiKeyIssue)
                out.append(r.method + u' ' + r.pathTemplate);
        }
        return out;
    };
    QTemporaryDir dir;
    Diagnostics d;
    auto config = compile(makeProject(dir, {{QStringLiteral("apis/pets.yaml"), kPets}}), d);
    QVERIFY2(config, qPrintable(d.toString()));
    QCOMPARE(builtins(*config), (QStringList{QStringLiteral("GET /apikey"), QStringLiteral("POST /apikey")}));
    QCOMPARE(d.warningCount(), 0);

    // An API of its own at /apikey keeps its GET; the gateway's POST stays; a warning says so.
    QByteArray own = kPets;
    own.replace("x-gatehouse-basePath: /pets/{version}", "x-gatehouse-basePath: /");
    own.replace("  /items:\n", "  /apikey:\n");
    own.replace("    post:\n", "    put:\n");
    QTemporaryDir ownDir;
    Diagnostics ownDiags;
    config = compile(makeProject(ownDir, {{QStringLiteral("apis/keys.yaml"), own}}), ownDiags);
    QVERIFY2(config, qPrintable(ownDiags.toString()));
    QCOMPARE(builtins(*config), QStringList{QStringLiteral("POST /apikey")});
    QCOMPARE(ownDiags.warningCount(), 1);
    QCOMPARE(ownDiags.items().first().location.file, QStringLiteral("apis/keys.yaml"));
    QVERIFY2(ownDiags.items().first().message.startsWith(u"GET /apikey hides the gateway's own /apikey"),
             qPrintable(ownDiags.toString()));

    // Off: no route.
    QTemporaryDir offDir;
    Diagnostics offDiags;
    config = compile(makeProject(offDir, {{QStringLiteral("apis/pets.yaml"), kPets},
                                          {QStringLiteral("gatehouse.yaml"),
                                           "version: 1\nsecurity:\n  apiKeys:\n    httpsEndpoint: false\n"}}),
                     offDiags);
    QVERIFY2(config, qPrintable(offDiags.toString()));
    QVERIFY(builtins(*config).isEmpty());
}

void tst_GatewayConfig::duplicateRoutePointsAtBothPlaces()
{
    QByteArray second = kPets;
    second.replace("title: Pets", "title: Pets again");
    QTemporaryDir dir;
    Diagnostics d;
    const auto config = compile(makeProject(dir, {{QStringLiteral("apis/a.yaml"), kPets},
                                                  {QStringLiteral("apis/b.yaml"), second}}),
                                d);
    QVERIFY(!config);
    QCOMPARE(d.errorCount(), 3);
    const Diagnostic &first = d.items().first();
    QCOMPARE(first.location.file, QStringLiteral("apis/b.yaml"));
    QVERIFY2(first.message.startsWith(u"duplicate route GET /pets/v2/items: also defined at apis/a.yaml:"),
             qPrintable(first.message));
}

void tst_GatewayConfig::crossFileDiagnostics_data()
{
    QTest::addColumn<QByteArray>("settings");
    QTest::addColumn<QByteArray>("api");
    QTest::addColumn<QString>("expected");   // "file:line:col: severity: message" prefix

    QByteArray unknownTier = kPets;
    unknownTier.replace("x-gatehouse-throttling-tier: Silver", "x-gatehouse-throttling-tier: Silvr");
    QTest::newRow("an unknown operation tier suggests the nearest one")
        << QByteArray() << unknownTier
        << QStringLiteral("apis/api.yaml:16:36: error: unknown throttling tier 'Silvr' (did you mean 'Silver'?)");

    QByteArray basic = kPets;
    basic.replace("    oauth: {type: oauth2", "    basic: {type: http, scheme: basic}\n    oauth: {type: oauth2");
    basic.replace("security: [{oauth: [read]}]", "security: [{basic: []}]");
    QTest::newRow("a Basic scheme without users warns")
        << QByteArray() << basic
        << QStringLiteral("apis/api.yaml:8:5: warning: security scheme 'basic' is HTTP Basic, but gatehouse.yaml defines no users");

    QTest::newRow("token schemes need an issuer when the API-key issuer is off")
        << QByteArray("security:\n  apiKeys:\n    enabled: false\n") << kPets
        << QStringLiteral("apis/api.yaml:8:5: error: security scheme 'oauth' needs tokens to be validated");

    QByteArray noUpstream = kPets;
    noUpstream.replace("servers: [{url: 'http://127.0.0.1:8080/api'}]\n", "");
    QTest::newRow("an API without servers or endpoints has no upstream")
        << QByteArray() << noUpstream << QStringLiteral("apis/api.yaml:1:1: error: API 'Pets' has no upstream");

    QByteArray scopesAnonymous = kPets;
    scopesAnonymous.replace("      security: []\n", "      security: []\n      x-gatehouse-scopes: [admin]\n");
    QTest::newRow("scopes on an operation callable without credentials")
        << QByteArray() << scopesAnonymous
        << QStringLiteral("apis/api.yaml:20:5: error: GET /items/{id} requires scope 'admin', but it can be called without credentials");
}

void tst_GatewayConfig::crossFileDiagnostics()
{
    QFETCH(QByteArray, settings);
    QFETCH(QByteArray, api);
    QFETCH(QString, expected);
    QMap<QString, QByteArray> files{{QStringLiteral("apis/api.yaml"), api}};
    if (!settings.isEmpty())
        files.insert(QStringLiteral("gatehouse.yaml"), settings);
    QTemporaryDir dir;
    Diagnostics d;
    compile(makeProject(dir, files), d);
    bool found = false;
    for (const Diagnostic &diag : d.items())
        found = found || diag.toString().startsWith(expected);
    QVERIFY2(found, qPrintable(QStringLiteral("expected '%1' in:\n%2").arg(expected, d.toString())));
}

void tst_GatewayConfig::grpcMethodsBecomeRoutes()
{
    const QByteArray proto = R"(syntax = "proto3";
package demo;
import "gatehouse/options.proto";
service Echo {
  option (gatehouse.service) = { endpoints: { urls: "http://127.0.0.1:50051" } throttling_tier: "Gold" };
  rpc Say (Msg) returns (Msg) { option (gatehouse.method) = { scopes: "echo:say" }; }
  rpc Stream (Msg) returns (stream Msg);
}
message Msg { string text = 1; }
)";
    QTemporaryDir dir;
    Diagnostics d;
    const auto config = compile(makeProject(dir, {{QStringLiteral("protos/echo.proto"), proto}}), d);
    QVERIFY2(config, qPrintable(d.toString()));
    QCOMPARE(config->routes.size(), 2 + 2);   // and the gateway's GET and POST /apikey
    const Router::Match m = config->router.match("POST", "/demo.Echo/Say");
    QCOMPARE(m.status, Router::MatchStatus::Matched);
    const Route &say = config->routes.at(m.route);
    QCOMPARE(say.kind, RouteKind::Grpc);
    QCOMPARE(say.apiTier, QStringLiteral("Gold"));
    QCOMPARE(say.security.first().first().scopes, QStringList{QStringLiteral("echo:say")});
    QCOMPARE(say.basePath, QByteArray());
    QVERIFY(config->routes.at(1).serverStreaming);
    QCOMPARE(config->router.match("GET", "/demo.Echo/Say").status, Router::MatchStatus::MethodNotAllowed);
}

void tst_GatewayConfig::fingerprintIsDeterministic()
{
    QTemporaryDir a, b;
    Diagnostics da, db;
    const auto ca = compile(makeProject(a, {{QStringLiteral("apis/pets.yaml"), kPets}}), da);
    const auto cb = compile(makeProject(b, {{QStringLiteral("apis/pets.yaml"), kPets}}), db);
    QVERIFY(ca && cb);
    QCOMPARE(ca->fingerprint, cb->fingerprint);
    QByteArray changed = kPets;
    changed.replace("Silver", "Bronze");
    QTemporaryDir c;
    Diagnostics dc;
    const auto cc = compile(makeProject(c, {{QStringLiteral("apis/pets.yaml"), changed}}), dc);
    QVERIFY(cc);
    QVERIFY(cc->fingerprint != ca->fingerprint);
}

void tst_GatewayConfig::projectWithErrorsDoesNotCompile()
{
    QTemporaryDir dir;
    Diagnostics d;
    const Project p = Project::load(makeProject(dir, {{QStringLiteral("apis/x.yaml"), QByteArray("openapi: [")}}), d);
    QVERIFY(d.hasErrors());
    QVERIFY(!compileProject(p, d) || d.hasErrors());
}

QTEST_GUILESS_MAIN(tst_GatewayConfig)
#include "tst_gatewayconfig.moc"
