// gatehouse.yaml listeners, limits, upstream, gRPC and telemetry: one row per diagnostic with line:col.
#include "settingstesthelpers.h"

#include <QTest>

using namespace Gatehouse;
using namespace SettingsTest;

class tst_SettingsNetwork : public QObject
{
    Q_OBJECT
private slots:
    void diagnostics_data();
    void diagnostics();
};

void tst_SettingsNetwork::diagnostics_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QStringList>("expected");
    const QStringList none;

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
    QTest::newRow("a sampling ratio below 0 is refused")
        << lines({"telemetry:", "  tracing:", "    samplingRatio: -0.5"}) << none
        << strings({"gatehouse.yaml:3:20: error: 'telemetry.tracing.samplingRatio' must be between 0 and 1, found -0.5"});
    QTest::newRow("an OTLP header name must be a token")
        << lines({"telemetry:", "  tracing:", "    otlp:", "      headers:", "        \"bad name\": x"}) << none
        << strings({"gatehouse.yaml:5:9: error: 'bad name' is not a valid HTTP header name"});
    QTest::newRow("an OTLP header value must not hold a line break")
        << lines({"telemetry:", "  tracing:", "    otlp:", "      headers:", "        x-tenant: \"a\\r\\nX-Evil: 1\""}) << none
        << strings({"gatehouse.yaml:5:19: error: 'telemetry.tracing.otlp.headers.x-tenant' must not contain control "
                    "characters"});
    QTest::newRow("an OTLP queue smaller than a batch is refused")
        << lines({"telemetry:", "  tracing:", "    otlp:", "      batchSize: 100", "      queueSize: 10"}) << none
        << strings({"gatehouse.yaml:5:18: error: 'telemetry.tracing.otlp.queueSize' (10) must be at least batchSize (100)"});
    QTest::newRow("an OTLP endpoint must be an http or https URL")
        << lines({"telemetry:", "  tracing:", "    otlp: {endpoint: \"grpc://collector:4317\"}"}) << none
        << strings({"gatehouse.yaml:3:22: error: 'telemetry.tracing.otlp.endpoint' must be an http or https URL, "
                    "found 'grpc://collector:4317'"});
    QTest::newRow("a negative ring capacity is refused")
        << lines({"telemetry:", "  tracing:", "    ringBuffer: {capacity: -1}"}) << none
        << strings({"gatehouse.yaml:3:28: error: 'telemetry.tracing.ringBuffer.capacity' must be between 0 and 1000000, "
                    "found -1"});
    QTest::newRow("an unknown access log format lists the allowed ones")
        << lines({"telemetry:", "  accessLog: {enabled: true, format: apache}"}) << none
        << strings({"gatehouse.yaml:2:38: error: unknown value 'apache' for 'telemetry.accessLog.format' (allowed: "
                    "json, combined)"});

}

void tst_SettingsNetwork::diagnostics()
{
    QFETCH(QString, yaml);
    QFETCH(QStringList, files);
    QFETCH(QStringList, expected);
    const Loaded loaded = load(yaml, emptyFiles(files));
    QCOMPARE(loaded.lines(), expected);
}

QTEST_GUILESS_MAIN(tst_SettingsNetwork)
#include "tst_settingsnetwork.moc"
