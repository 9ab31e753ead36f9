// gatehouse.yaml: defaults, loading, merge keys, and one row per diagnostic of the general, network,
// throttling and telemetry sections (security rows are in tst_settingssecurity.cpp).
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
    void importedTiersJoinTheStarterSet();
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

    // Listeners
    QTest::newRow("a map where a port belongs names the path")
        << lines({"listeners:", "  http:", "    port: {number: 1}"}) << none
        << strings({"gatehouse.yaml:3:11: error: expected a whole number for 'listeners.http.port', found a map"});
    QTest::newRow("a port above 65535 is out of range")
        << lines({"listeners:", "  http:", "    port: 70000"}) << none
        << strings({"gatehouse.yaml:3:11: error: 'listeners.http.port' must be between 0 and 65535, found 70000"});
    QTest::newRow("two listeners on one port clash")
        << lines({"listeners:", "  https:", "    port: 9090"}) << none
        << strings({"gatehouse.yaml:3:11: error: listeners 'http' and 'https' both use port 9090 on 0.0.0.0"});
    QTest::newRow("a loopback listener clashes with a wildcard one on the same port")
        << lines({"listeners:", "  admin:", "    port: 9095"}) << none
        << strings({"gatehouse.yaml:3:11: error: listeners 'https' and 'admin' both use port 9095 on overlapping "
                    "addresses"});
    QTest::newRow("a disabled listener frees its port")
        << lines({"listeners:", "  http:", "    enabled: false", "  https:", "    port: 9090"}) << none << none;
    QTest::newRow("port 0 (any free port) never clashes")
        << lines({"listeners:", "  http: {port: 0}", "  https: {port: 0}", "  admin: {port: 0}"}) << none << none;
    QTest::newRow("an address that is not an IP is refused")
        << lines({"listeners:", "  admin:", "    address: example.com"}) << none
        << strings({"gatehouse.yaml:3:14: error: 'listeners.admin.address' must be an IP address such as 0.0.0.0, "
                    "127.0.0.1 or ::, found 'example.com'"});
    QTest::newRow("a boolean written yes is refused")
        << lines({"listeners:", "  admin:", "    enabled: yes"}) << none
        << strings({"gatehouse.yaml:3:14: error: expected true or false for 'listeners.admin.enabled', found the "
                    "string 'yes'"});
    QTest::newRow("an unknown client certificate mode lists the allowed ones")
        << lines({"listeners:", "  https:", "    clientCertificates: optional"}) << none
        << strings({"gatehouse.yaml:3:25: error: unknown value 'optional' for 'listeners.https.clientCertificates' "
                    "(allowed: none, request, require)"});
    QTest::newRow("required client certificates need a CA bundle")
        << lines({"listeners:", "  https:", "    clientCertificates: require"}) << none
        << strings({"gatehouse.yaml:3:25: error: 'listeners.https.clientCertificates' needs 'clientCa', the CA "
                    "bundle that client certificates must chain to"});
    QTest::newRow("a missing CA bundle is an error")
        << lines({"listeners:", "  https:", "    clientCertificates: request", "    clientCa: certs/ca.pem"}) << none
        << strings({"gatehouse.yaml:4:15: error: file 'certs/ca.pem' for 'listeners.https.clientCa' does not exist "
                    "(relative paths start at the project folder)"});
    QTest::newRow("an existing CA bundle is fine")
        << lines({"listeners:", "  https:", "    clientCertificates: request", "    clientCa: certs/ca.pem"})
        << strings({"certs/ca.pem"}) << none;
    QTest::newRow("a missing TLS pair is fine: it is generated on first run")
        << lines({"listeners:", "  https:", "    certificate: keys/server.crt", "    privateKey: keys/server.key"})
        << none << none;
    QTest::newRow("half a TLS pair is refused")
        << lines({"listeners:", "  https:", "    certificate: keys/server.crt", "    privateKey: keys/server.key"})
        << strings({"keys/server.crt"})
        << strings({"gatehouse.yaml:4:17: error: 'keys/server.crt' exists but 'keys/server.key' does not; give both "
                    "files, or neither to have a self-signed pair generated"});
    QTest::newRow("half a TLS pair is fine when HTTPS is off")
        << lines({"listeners:", "  https:", "    enabled: false"}) << strings({"keys/tls.crt"}) << none;
    QTest::newRow("an unknown ALPN protocol is refused")
        << lines({"listeners:", "  https:", "    alpn: [h3]"}) << none
        << strings({"gatehouse.yaml:3:11: error: unknown protocol 'h3' in 'listeners.https.alpn' (allowed: h2, "
                    "http/1.1)"});
    QTest::newRow("a forwarded client certificate needs trusted proxies")
        << lines({"listeners:", "  https:", "    clientCertificateHeader: X-Client-Cert"}) << none
        << strings({"gatehouse.yaml:3:30: error: 'clientCertificateHeader' needs 'trustedProxies': without it any "
                    "client could claim any certificate"});
    QTest::newRow("a trusted proxy that is not a CIDR is refused")
        << lines({"listeners:", "  https:", "    clientCertificateHeader: X-Client-Cert",
                  "    trustedProxies: [10.0.0.0/8, lb.internal]"}) << none
        << strings({"gatehouse.yaml:4:21: error: 'lb.internal' in 'listeners.https.trustedProxies' is not an address "
                    "or a CIDR range such as 10.0.0.0/8",
                    "gatehouse.yaml:3:30: error: 'clientCertificateHeader' needs 'trustedProxies': without it any "
                    "client could claim any certificate"});

    // Limits and upstream
    QTest::newRow("a duration without a unit is an error with a hint")
        << lines({"limits:", "  headerTimeout: 10"}) << none
        << strings({"gatehouse.yaml:2:18: error: expected a duration with a unit for 'limits.headerTimeout', found "
                    "the number 10 (write \"10s\" for seconds or \"10ms\" for milliseconds)"});
    QTest::newRow("a duration in words is refused")
        << lines({"limits:", "  idleTimeout: 5 minutes"}) << none
        << strings({"gatehouse.yaml:2:16: error: invalid value for 'limits.idleTimeout': '5 minutes' is not a "
                    "duration: use a whole number and a unit (ms, s, m, h, d), e.g. \"250ms\", \"5s\" or \"1m30s\""});
    QTest::newRow("a duration below the minimum is refused")
        << lines({"limits:", "  headerTimeout: 50ms"}) << none
        << strings({"gatehouse.yaml:2:18: error: 'limits.headerTimeout' must be at least 100ms, found \"50ms\""});
    QTest::newRow("a size without a unit is an error with a hint")
        << lines({"limits:", "  maxBodySize: 1048576"}) << none
        << strings({"gatehouse.yaml:2:16: error: expected a size with a unit for 'limits.maxBodySize', found the "
                    "number 1048576 (write \"1048576B\" for bytes, or use KiB or MiB)"});
    QTest::newRow("a size with an unknown unit is refused")
        << lines({"limits:", "  maxHeaderSize: 64kb"}) << none
        << strings({"gatehouse.yaml:2:18: error: invalid value for 'limits.maxHeaderSize': unknown size unit 'kb' in "
                    "'64kb': use a whole number and a unit (B, KiB, MiB, GiB, or KB, MB, GB), e.g. \"64KiB\" or "
                    "\"10MiB\""});
    QTest::newRow("a size below the minimum is refused")
        << lines({"limits:", "  maxHeaderSize: 100B"}) << none
        << strings({"gatehouse.yaml:2:18: error: 'limits.maxHeaderSize' must be at least 1024 bytes, found \"100B\""});
    QTest::newRow("an upstream client certificate without its key is refused")
        << lines({"upstream:", "  clientCertificate: certs/client.pem"}) << strings({"certs/client.pem"})
        << strings({"gatehouse.yaml:2:22: error: 'upstream.clientCertificate' and 'upstream.clientKey' go together; "
                    "give both"});
    QTest::newRow("a missing upstream CA file is an error")
        << lines({"upstream:", "  caFile: /nonexistent/ca.pem"}) << none
        << strings({"gatehouse.yaml:2:11: error: file '/nonexistent/ca.pem' for 'upstream.caFile' does not exist "
                    "(relative paths start at the project folder)"});
    QTest::newRow("a folder where a file belongs is refused")
        << lines({"upstream:", "  caFile: certs"}) << strings({"certs/a.pem"})
        << strings({"gatehouse.yaml:2:11: error: 'certs' for 'upstream.caFile' is a folder, not a file"});

    // gRPC and telemetry
    QTest::newRow("a gRPC service needs its full name")
        << lines({"grpc:", "  endpoints:", "    \"Greeter/\": http://localhost:50051"}) << none
        << strings({"gatehouse.yaml:3:5: error: 'Greeter/' is not a gRPC service name; write the full name, such as "
                    "helloworld.Greeter"});
    QTest::newRow("a gRPC endpoint must be an http or https URL")
        << lines({"grpc:", "  endpoints:", "    helloworld.Greeter: [grpc://localhost:50051]"}) << none
        << strings({"gatehouse.yaml:3:26: error: 'grpc.endpoints.helloworld.Greeter[0]' must be an http or https URL, "
                    "found 'grpc://localhost:50051'"});
    QTest::newRow("a sample ratio above 1 is refused")
        << lines({"telemetry:", "  tracing:", "    sampleRatio: 1.5"}) << none
        << strings({"gatehouse.yaml:3:18: error: 'telemetry.tracing.sampleRatio' must be between 0 and 1, found 1.5"});
    QTest::newRow("an unknown access log format lists the allowed ones")
        << lines({"telemetry:", "  accessLog: {enabled: true, format: apache}"}) << none
        << strings({"gatehouse.yaml:2:38: error: unknown value 'apache' for 'telemetry.accessLog.format' (allowed: "
                    "json, combined)"});

    // Throttling
    QTest::newRow("a tier count of zero is refused")
        << lines({"throttling:", "  tiers:", "    Free: {count: 0}"}) << none
        << strings({"gatehouse.yaml:3:19: error: tier 'Free' must allow at least 1 request, found count 0; use the "
                    "reserved tier 'Unlimited' for no limit"});
    QTest::newRow("a negative tier count is refused")
        << lines({"throttling:", "  tiers:", "    Free:", "      count: -5"}) << none
        << strings({"gatehouse.yaml:4:14: error: tier 'Free' must allow at least 1 request, found count -5; use the "
                    "reserved tier 'Unlimited' for no limit"});
    QTest::newRow("a tier without a count is refused")
        << lines({"throttling:", "  tiers:", "    Free: {unit: hour}"}) << none
        << strings({"gatehouse.yaml:3:11: error: tier 'Free' needs 'count', the requests allowed per unit"});
    QTest::newRow("redefining Unlimited is refused")
        << lines({"throttling:", "  tiers:", "    Unlimited: {count: 100}"}) << none
        << strings({"gatehouse.yaml:3:5: error: 'Unlimited' is a reserved tier and cannot be redefined"});
    QTest::newRow("a tier defined twice is refused")
        << lines({"throttling:", "  tiers:", "    Free: {count: 10}", "    Free: {count: 20}"}) << none
        << strings({"gatehouse.yaml:4:5: error: duplicate key 'Free' in 'throttling.tiers' (first set at line 3)"});
    QTest::newRow("a tier name with a space is refused")
        << lines({"throttling:", "  tiers:", "    Free Plan: {count: 10}"}) << none
        << strings({"gatehouse.yaml:3:5: error: tier name 'Free Plan' may hold only letters, digits, '_', '.' and "
                    "'-'"});
    QTest::newRow("an unknown tier unit lists the allowed ones")
        << lines({"throttling:", "  tiers:", "    Free: {count: 10, unit: week}"}) << none
        << strings({"gatehouse.yaml:3:29: error: unknown value 'week' for 'throttling.tiers.Free.unit' (allowed: "
                    "second, minute, hour, day)"});
    QTest::newRow("an unknown unauthenticated tier lists the known ones")
        << lines({"throttling:", "  starterTiers: false", "  unauthenticatedTier: Anonymous"}) << none
        << strings({"gatehouse.yaml:3:24: error: unknown throttling tier 'Anonymous' (known: Unlimited)"});
    QTest::newRow("a store that is neither local nor redis is refused")
        << lines({"throttling:", "  store: memcached://cache:11211"}) << none
        << strings({"gatehouse.yaml:2:10: error: 'throttling.store' must be 'local' or a redis://host[:port][/db] "
                    "URL, found 'memcached://cache:11211'"});
    QTest::newRow("a redis store with a bad port is refused")
        << lines({"throttling:", "  store: redis://cache:99999"}) << none
        << strings({"gatehouse.yaml:2:10: error: 'redis://cache:99999' is not a valid Redis store: the port must be "
                    "between 1 and 65535, found '99999' (expected redis://host[:port][/db])"});
    QTest::newRow("a redis URL with credentials is refused")
        << lines({"throttling:", "  store: redis://:s3cret@cache"}) << none
        << strings({"gatehouse.yaml:2:10: error: 'redis://:s3cret@cache' is not a valid Redis store: credentials do "
                    "not belong in the URL; set throttling.redisPassword (expected redis://host[:port][/db])"});
    QTest::newRow("a literal redis password is a warning")
        << lines({"throttling:", "  store: redis://cache", "  redisPassword: s3cret"}) << none
        << strings({"gatehouse.yaml:3:18: warning: 'throttling.redisPassword' holds a literal secret, which exports "
                    "leave out; use ${env:NAME} or ${file:path} instead"});
    QTest::newRow("a missing policies.yaml import is refused")
        << lines({"throttling:", "  import: policies.yaml"}) << none
        << strings({"gatehouse.yaml:2:11: error: file 'policies.yaml' for 'throttling.import' does not exist "
                    "(relative paths start at the project folder)"});
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
    QCOMPARE(s.telemetry.tracing.sampleRatio, 0.25);
    QCOMPARE(s.telemetry.tracing.otlpEndpoint, QUrl(QStringLiteral("http://collector:4318/v1/traces")));
    QCOMPARE(s.hub.path, QStringLiteral("vendor/hub"));
    QCOMPARE(s.grpcEndpoints.value(QStringLiteral("helloworld.Greeter")),
             QList<QUrl>{QUrl(QStringLiteral("http://localhost:50051"))});
    QCOMPARE(s.grpcEndpoints.value(QStringLiteral("shop.Orders")).size(), 2);
    QCOMPARE(s.grpcEndpointLocations.value(QStringLiteral("shop.Orders")).line, 24);
}

void tst_ProjectSettings::importedTiersJoinTheStarterSet()
{
    const QByteArray policies = "subscriptionPolicies:\n"
                                "  - Gold:\n"
                                "      count: 6000\n"
                                "      unitTime: 1\n"
                                "      timeUnit: min\n"
                                "  - Platinum:\n"
                                "      count: 10\n"
                                "      unitTime: 1\n"
                                "      timeUnit: sec\n"
                                "      stopOnQuotaReach: false\n";
    const Loaded loaded = load(lines({"throttling:", "  import: mgw/policies.yaml", "  tiers:", "    Iron: {count: 1}"}),
                               {{QStringLiteral("mgw/policies.yaml"), policies}});
    QVERIFY2(loaded.diagnostics.isEmpty(), qPrintable(loaded.diagnostics.toString()));
    const auto &tiers = loaded.settings.throttling.tiers;
    QCOMPARE(tiers.value(QStringLiteral("Gold")).count, qint64(6000));   // replaces the starter Gold
    QCOMPARE(tiers.value(QStringLiteral("Gold")).location.toString(), QStringLiteral("mgw/policies.yaml:2:5"));
    QCOMPARE(tiers.value(QStringLiteral("Platinum")).unit, TimeUnit::Second);
    QVERIFY(!tiers.value(QStringLiteral("Platinum")).stopOnQuotaReach);
    QVERIFY(tiers.contains(QStringLiteral("Iron")));
    QVERIFY(tiers.contains(QStringLiteral("Bronze")));
    QCOMPARE(loaded.settings.throttling.imports, QStringList{QStringLiteral("mgw/policies.yaml")});

    // Problems inside the import are reported against the imported file; a clash against the
    // definition in gatehouse.yaml.
    const Loaded clash = load(lines({"throttling:", "  import: policies.yaml", "  tiers:", "    Platinum: {count: 1}"}),
                              {{QStringLiteral("policies.yaml"), policies + "  - Broken: {count: 0, timeUnit: min}\n"}});
    QCOMPARE(clash.lines(),
             strings({"policies.yaml:11:21: error: policy 'Broken' must allow at least 1 request, found count 0",
                      "gatehouse.yaml:4:5: error: tier 'Platinum' is already imported from policies.yaml:6:5"}));
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
}

QTEST_GUILESS_MAIN(tst_ProjectSettings)
#include "tst_projectsettings.moc"
