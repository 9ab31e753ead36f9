// gatehouse.yaml: defaults, loading, merge keys, the sample and the documented example, and one row
// per general diagnostic (sections: tst_settingsnetwork, tst_settingssecurity, tst_settingsthrottling).
#include "settingstesthelpers.h"

#include <QRegularExpression>
#include <QTest>

using namespace Gatehouse;
using namespace SettingsTest;

class tst_ProjectSettings : public QObject
{
    Q_OBJECT
private slots:
    void defaults();
    void timeUnits();
    void missingFileGivesDefaults();
    void ymlExtensionIsAccepted();
    void bothExtensionsWarnAboutTheYml();
    void diagnostics_data();
    void diagnostics();
    void mergeKeysAreResolved();
    void sectionsAreRead();
    void tracingSectionReadsEveryKey();
    void samplePetstoreLoadsClean();
    void documentedExampleLoadsClean();
};

void tst_ProjectSettings::defaults()
{
    const ProjectSettings s = defaultProjectSettings();
    QCOMPARE(s.listeners.http.address, QStringLiteral("0.0.0.0"));
    QCOMPARE(s.listeners.http.port, quint16(9090));
    QCOMPARE(s.listeners.https.port, quint16(9095));
    QCOMPARE(s.listeners.admin.address, QStringLiteral("127.0.0.1"));
    QCOMPARE(s.listeners.admin.port, quint16(9096));
    QVERIFY(s.security.apiKeys.enabled);
    QCOMPARE(s.security.apiKeys.privateKeyFile, QStringLiteral("keys/apikey.pem"));
    QVERIFY(s.file.isEmpty());
    // MGW 3.x's starter set, all per minute, plus the reserved Unlimited.
    const QList<std::pair<const char *, qint64>> expected{
        {"Unlimited", 0}, {"10kPerMin", 10000}, {"20kPerMin", 20000}, {"50kPerMin", 50000},
        {"10PerMin", 10}, {"20PerMin", 20}, {"50PerMin", 50}, {"Gold", 5000}, {"Silver", 2000},
        {"Bronze", 1000}, {"Unauthenticated", 500}, {"Default", 500}};
    QCOMPARE(s.throttling.tiers.size(), expected.size());
    for (const auto &[name, count] : expected) {
        const ThrottleTier tier = s.throttling.tiers.value(QString::fromUtf8(name));
        QCOMPARE(tier.count, count);
        QCOMPARE(tier.unit, TimeUnit::Minute);
        QCOMPARE(tier.period(), seconds(60));
    }
    QVERIFY(s.throttling.tiers.value(QStringLiteral("Unlimited")).isUnlimited());
}

void tst_ProjectSettings::timeUnits()
{
    QCOMPARE(timeUnitName(TimeUnit::Second), QStringLiteral("second"));
    QCOMPARE(timeUnitName(TimeUnit::Day), QStringLiteral("day"));
    QCOMPARE(timeUnitDuration(TimeUnit::Minute), seconds(60));
    QCOMPARE(timeUnitDuration(TimeUnit::Hour), seconds(3600));
    QCOMPARE(timeUnitDuration(TimeUnit::Day), seconds(86400));
}

void tst_ProjectSettings::missingFileGivesDefaults()
{
    QTemporaryDir dir;
    Diagnostics d;
    const ProjectSettings s = loadProjectSettings(dir.path(), d);
    QVERIFY(d.isEmpty());
    QVERIFY(s.file.isEmpty());
    QCOMPARE(s.listeners.http.port, quint16(9090));
}

void tst_ProjectSettings::ymlExtensionIsAccepted()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("gatehouse.yml")), "workers: 3\n");
    Diagnostics d;
    const ProjectSettings s = loadProjectSettings(dir.path(), d);
    QVERIFY2(d.isEmpty(), qPrintable(d.toString()));
    QCOMPARE(s.file, QStringLiteral("gatehouse.yml"));
    QCOMPARE(s.workers, 3);
}

void tst_ProjectSettings::bothExtensionsWarnAboutTheYml()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("gatehouse.yaml")), "workers: 2\n");
    writeFile(dir.filePath(QStringLiteral("gatehouse.yml")), "workers: 3\n");
    Diagnostics d;
    const ProjectSettings s = loadProjectSettings(dir.path(), d);
    QCOMPARE(d.toString(), QStringLiteral("gatehouse.yml: warning: ignored: gatehouse.yaml is used; delete one "
                                          "of the two\n"));
    QCOMPARE(s.workers, 2);
}

void tst_ProjectSettings::diagnostics_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QStringList>("expected");
    const QStringList none;

    // General
    QTest::newRow("an empty file means all defaults") << QString() << none << none;
    QTest::newRow("a YAML syntax error points at its real line")
        << lines({"workers: 2", "listeners:", "  http: [1, 2", "hub: {}"}) << none
        << strings({"gatehouse.yaml:4:4: error: YAML syntax error: end of sequence flow not found"});
    QTest::newRow("a list at the top level is refused")
        << lines({"- listeners", "- limits"}) << none
        << strings({"gatehouse.yaml:1:1: error: gatehouse.yaml must be a map of settings (listeners:, security:, "
                    "throttling: ...), found a list"});
    QTest::newRow("a misspelt top-level key is a warning suggesting the right one")
        << lines({"listners:", "  http: {}"}) << none
        << strings({"gatehouse.yaml:1:1: warning: unknown key 'listners' (did you mean 'listeners'?)"});
    QTest::newRow("a misspelt nested key suggests the right one")
        << lines({"listeners:", "  http:", "    prot: 8080"}) << none
        << strings({"gatehouse.yaml:3:5: warning: unknown key 'prot' in 'listeners.http' (did you mean 'port'?)"});
    QTest::newRow("a key in the wrong case suggests the right spelling")
        << lines({"Workers: 2"}) << none
        << strings({"gatehouse.yaml:1:1: warning: unknown key 'Workers' (did you mean 'workers'?)"});
    QTest::newRow("an unknown key far from every known one lists the known keys")
        << lines({"hub:", "  folder: policies/hub"}) << none
        << strings({"gatehouse.yaml:2:3: warning: unknown key 'folder' in 'hub' (known keys: path)"});
    QTest::newRow("keys starting with x- are free for anchors and notes")
        << lines({"x-timeouts: &t {connectTimeout: 2s}", "upstream: *t"}) << none << none;
    QTest::newRow("a key set twice is an error at the second")
        << lines({"workers: 2", "name: demo", "workers: 4"}) << none
        << strings({"gatehouse.yaml:3:1: error: duplicate key 'workers' (first set at line 1)"});
    QTest::newRow("an unsupported version stops reading")
        << lines({"version: 2", "workers: banana"}) << none
        << strings({"gatehouse.yaml:1:10: error: unsupported version 2: this Gatehouse understands version 1"});
    QTest::newRow("a quoted number is text, not a number")
        << lines({"workers: \"4\""}) << none
        << strings({"gatehouse.yaml:1:10: error: expected a whole number for 'workers', found the string '4'"});
    QTest::newRow("an empty value where a number belongs points at the key")
        << lines({"name: demo", "workers:"}) << none
        << strings({"gatehouse.yaml:2:1: error: expected a whole number for 'workers', found an empty value"});
    QTest::newRow("too many workers are refused")
        << lines({"workers: 5000"}) << none
        << strings({"gatehouse.yaml:1:10: error: 'workers' must be between 0 and 1024, found 5000"});
    QTest::newRow("a section that is not a map is refused")
        << lines({"limits: 10"}) << none
        << strings({"gatehouse.yaml:1:9: error: expected a map for 'limits', found the number 10"});
    QTest::newRow("a merge key that is not a map is refused")
        << lines({"limits:", "  <<: 5", "  maxHeaderCount: 50"}) << none
        << strings({"gatehouse.yaml:2:7: error: the merge key '<<' needs a map or a list of maps (such as "
                    "*defaults), found the number 5"});
    QTest::newRow("an anchor merged into itself is refused")
        << lines({"limits: &l", "  maxHeaderCount: 50", "  <<: *l"}) << none
        << strings({"gatehouse.yaml:1:9: error: merge keys ('<<') nest deeper than 8 levels; is an anchor merged "
                    "into itself?"});

}

void tst_ProjectSettings::diagnostics()
{
    QFETCH(QString, yaml);
    QFETCH(QStringList, files);
    QFETCH(QStringList, expected);
    const Loaded loaded = load(yaml, emptyFiles(files));
    QCOMPARE(loaded.lines(), expected);
}

void tst_ProjectSettings::mergeKeysAreResolved()
{
    const Loaded loaded = load(lines({
        "x-strict: &strict",
        "  headerTimeout: 2s",
        "  idleTimeout: 5s",
        "x-big: &big",
        "  maxBodySize: 10MiB",
        "  idleTimeout: 99s",
        "limits:",
        "  <<: [*strict, *big]",   // earlier maps win over later ones
        "  headerTimeout: 3s",     // and the map's own keys over both
    }));
    QVERIFY2(loaded.diagnostics.isEmpty(), qPrintable(loaded.diagnostics.toString()));
    QCOMPARE(loaded.settings.limits.headerTimeout, milliseconds(3000));
    QCOMPARE(loaded.settings.limits.idleTimeout, milliseconds(5000));
    QCOMPARE(loaded.settings.limits.maxBodyBytes, qint64(10) << 20);
}

void tst_ProjectSettings::sectionsAreRead()
{
    const Loaded loaded = load(lines({
        "name: shop",
        "workers: 4",
        "listeners:",
        "  http: {port: 8080, address: \"::\"}",
        "  https: {enabled: false}",
        "  admin: {address: localhost}",
        "limits: {maxRequestLine: 4KiB, maxBodySize: 1GiB, drainTimeout: 1m30s}",
        "upstream:",
        "  connectTimeout: 250ms",
        "  circuitBreaker: {failureThreshold: 3, openDuration: 1m}",
        "throttling:",
        "  store: redis://[::1]:6380/2",
        "  redisPassword: ${env:REDIS_PASSWORD}",
        "  headers: x-ratelimit",
        "  tiers:",
        "    Partner: {count: 100, unit: second, unitTime: 2, burst: 20, stopOnQuotaReach: false}",
        "  unauthenticatedTier: Partner",
        "telemetry:",
        "  tracing: {sampleRatio: 0.25, otlpEndpoint: \"http://collector:4318/v1/traces\"}",
        "hub: {path: vendor/hub}",
        "grpc:",
        "  endpoints:",
        "    helloworld.Greeter: http://localhost:50051",
        "    shop.Orders: [\"https://a:443\", \"https://b:443\"]",
    }));
    QVERIFY2(loaded.diagnostics.isEmpty(), qPrintable(loaded.diagnostics.toString()));
    const ProjectSettings &s = loaded.settings;
    QCOMPARE(s.file, QStringLiteral("gatehouse.yaml"));
    QCOMPARE(s.name, QStringLiteral("shop"));
    QCOMPARE(s.workers, 4);
    QCOMPARE(s.listeners.http.port, quint16(8080));
    QCOMPARE(s.listeners.http.address, QStringLiteral("::"));
    QCOMPARE(s.listeners.http.location.line, 4);
    QVERIFY(!s.listeners.https.enabled);
    QCOMPARE(s.listeners.admin.address, QStringLiteral("127.0.0.1"));
    QCOMPARE(s.limits.maxRequestLineBytes, qint64(4096));
    QCOMPARE(s.limits.maxBodyBytes, qint64(1) << 30);
    QCOMPARE(s.limits.drainTimeout, milliseconds(90'000));
    QCOMPARE(s.upstream.connectTimeout, milliseconds(250));
    QCOMPARE(s.upstream.circuitBreaker.failureThreshold, 3);
    QCOMPARE(s.upstream.circuitBreaker.openDuration, milliseconds(60'000));
    QVERIFY(s.throttling.isDistributed());
    QCOMPARE(s.throttling.redis.host, QStringLiteral("::1"));
    QCOMPARE(s.throttling.redis.port, quint16(6380));
    QCOMPARE(s.throttling.redis.database, 2);
    QCOMPARE(s.throttling.redisPassword.envName, QStringLiteral("REDIS_PASSWORD"));
    QCOMPARE(s.throttling.headers, RateLimitHeaders::XRateLimit);
    const ThrottleTier partner = s.throttling.tiers.value(QStringLiteral("Partner"));
    QCOMPARE(partner.count, qint64(100));
    QCOMPARE(partner.period(), seconds(2));
    QCOMPARE(partner.burst, qint64(20));
    QVERIFY(!partner.stopOnQuotaReach);
    QCOMPARE(partner.location.toString(), QStringLiteral("gatehouse.yaml:16:5"));
    QVERIFY(s.throttling.tiers.contains(QStringLiteral("Gold")));   // starter set kept
    QCOMPARE(s.throttling.unauthenticatedTier, QStringLiteral("Partner"));
    QCOMPARE(s.telemetry.tracing.samplingRatio, 0.25);
    QCOMPARE(s.telemetry.tracing.otlp.endpoint, QUrl(QStringLiteral("http://collector:4318/v1/traces")));
    QCOMPARE(s.hub.path, QStringLiteral("vendor/hub"));
    QCOMPARE(s.grpcEndpoints.value(QStringLiteral("helloworld.Greeter")),
             QList<QUrl>{QUrl(QStringLiteral("http://localhost:50051"))});
    QCOMPARE(s.grpcEndpoints.value(QStringLiteral("shop.Orders")).size(), 2);
    QCOMPARE(s.grpcEndpointLocations.value(QStringLiteral("shop.Orders")).line, 24);
}

void tst_ProjectSettings::tracingSectionReadsEveryKey()
{
    const Loaded loaded = load(lines({
        "telemetry:",
        "  tracing:",
        "    enabled: true",
        "    samplingRatio: 0.5",
        "    serverTiming: true",
        "    serviceName: shop",
        "    otlp:",
        "      endpoint: https://otlp.example.com/v1/traces",
        "      headers:",
        "        x-tenant: acme",
        "        authorization: ${env:OTLP_TOKEN}",
        "      timeout: 3s",
        "      batchSize: 64",
        "      queueSize: 128",
        "    ringBuffer:",
        "      capacity: 50",
    }));
    QVERIFY2(loaded.diagnostics.isEmpty(), qPrintable(loaded.diagnostics.toString()));
    const TracingSettings &t = loaded.settings.telemetry.tracing;
    QVERIFY(t.enabled);
    QCOMPARE(t.samplingRatio, 0.5);
    QVERIFY(t.serverTiming);
    QCOMPARE(t.serviceName, QStringLiteral("shop"));
    QCOMPARE(t.otlp.endpoint, QUrl(QStringLiteral("https://otlp.example.com/v1/traces")));
    QCOMPARE(t.otlp.headers.size(), 2);
    QCOMPARE(t.otlp.headers[0].name, QStringLiteral("x-tenant"));
    QCOMPARE(t.otlp.headers[0].value.literal, QStringLiteral("acme"));
    QCOMPARE(t.otlp.headers[1].value.envName, QStringLiteral("OTLP_TOKEN"));
    QCOMPARE(t.otlp.timeout, milliseconds(3'000));
    QCOMPARE(t.otlp.batchSize, 64);
    QCOMPARE(t.otlp.queueSize, 128);
    QCOMPARE(t.ringBufferCapacity, 50);
}

void tst_ProjectSettings::samplePetstoreLoadsClean()
{
    const QString dir = sourceDir() + QStringLiteral("/resources/samples/petstore");
    QVERIFY2(QFileInfo::exists(dir + QStringLiteral("/gatehouse.yaml")), qPrintable(dir));
    Diagnostics d;
    const ProjectSettings s = loadProjectSettings(dir, d);
    QVERIFY2(d.isEmpty(), qPrintable(d.toString()));
    QCOMPARE(s.throttling.tiers.value(QStringLiteral("Gold")).count, qint64(5000));
    QCOMPARE(s.throttling.tiers.value(QStringLiteral("Silver")).count, qint64(2000));
    QCOMPARE(s.throttling.tiers.value(QStringLiteral("Bronze")).count, qint64(1000));
    QCOMPARE(s.security.users.size(), 2);
    QCOMPARE(s.security.users.at(0).name, QStringLiteral("admin"));
    QCOMPARE(s.security.users.at(0).password.envName, QStringLiteral("GATEHOUSE_ADMIN_PASSWORD"));
    QVERIFY(!s.security.issuers.isEmpty());
    QCOMPARE(s.security.issuers.at(0).name, QStringLiteral("gatehouse"));
    QCOMPARE(s.security.issuers.at(0).issuer, s.security.apiKeys.issuer);
    QCOMPARE(s.listeners.http.port, quint16(9090));
}

void tst_ProjectSettings::documentedExampleLoadsClean()
{
    // The complete example in docs/configuration.md must stay valid: it is what users copy.
    QFile doc(sourceDir() + QStringLiteral("/docs/configuration.md"));
    QVERIFY(doc.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(doc.readAll());
    const QRegularExpression block(QStringLiteral("<!-- complete-example -->\\s*```yaml\\n(.*?)```"),
                                   QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = block.match(text);
    QVERIFY2(m.hasMatch(), "docs/configuration.md lost its <!-- complete-example --> block");
    Diagnostics d;
    // No project folder: the example's certificate and JWKS paths are illustrations.
    const ProjectSettings s = loadProjectSettingsFromBytes(m.captured(1).toUtf8(), QString(),
                                                           QStringLiteral("gatehouse.yaml"), d);
    QVERIFY2(d.isEmpty(), qPrintable(d.toString()));
    QVERIFY(s.security.issuers.size() >= 2);
    QVERIFY(!s.security.keyManagers.isEmpty());
    QVERIFY(!s.security.users.isEmpty());
    QVERIFY(!s.grpcEndpoints.isEmpty());
    QVERIFY(s.grpcCors && s.grpcCors->allowOrigins == QStringList{QStringLiteral("https://shop.example")});
    QVERIFY(s.grpcCors->exposeHeaders.contains(QStringLiteral("grpc-status")));
}

QTEST_GUILESS_MAIN(tst_ProjectSettings)
#include "tst_projectsettings.moc"
