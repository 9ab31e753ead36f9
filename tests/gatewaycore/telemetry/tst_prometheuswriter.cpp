// The exposition writers: Accept negotiation, escaping of hostile label values and help texts
// (checked by promtool and prometheus_client), and OpenMetrics' own test data written back.
#include "metricscheck.h"

#include "telemetry/prometheuswriter.h"

#include <QDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_PrometheusWriter : public QObject
{
    Q_OBJECT
private slots:
    void negotiation_data();
    void negotiation();
    void hostileLabelValuesRoundTrip_data();
    void hostileLabelValuesRoundTrip();
    void hostileNamesAreRepaired();
    void countersAndHistogramsInBothFormats();
    void specialValues();
    void openMetricsTestDataWrittenBack_data();
    void openMetricsTestDataWrittenBack();
};

void tst_PrometheusWriter::negotiation_data()
{
    QTest::addColumn<QByteArray>("accept");
    QTest::addColumn<bool>("openMetrics");
    QTest::newRow("no Accept field gives text 0.0.4") << QByteArray() << false;
    QTest::newRow("Prometheus 2.x scraper's Accept gives OpenMetrics")
        << QByteArray("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                      "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
        << true;
    QTest::newRow("plain text preferred over OpenMetrics stays text")
        << QByteArray("text/plain;version=0.0.4;q=0.9, application/openmetrics-text;q=0.5") << false;
    QTest::newRow("OpenMetrics with q=0 is refused") << QByteArray("application/openmetrics-text;q=0") << false;
    QTest::newRow("an unknown OpenMetrics version is refused")
        << QByteArray("application/openmetrics-text; version=2.0.0") << false;
    QTest::newRow("OpenMetrics without a version is accepted") << QByteArray("Application/OpenMetrics-Text") << true;
    QTest::newRow("curl's */* gives text") << QByteArray("*/*") << false;
    QTest::newRow("a malformed q counts as 0") << QByteArray("application/openmetrics-text;q=abc") << false;
}

void tst_PrometheusWriter::negotiation()
{
    QFETCH(QByteArray, accept);
    QFETCH(bool, openMetrics);
    const ExpositionFormat f = negotiateExposition(accept);
    QCOMPARE(f == ExpositionFormat::OpenMetrics, openMetrics);
    QVERIFY(expositionContentType(f).startsWith(openMetrics ? "application/openmetrics-text" : "text/plain"));
}

namespace {

MetricFamily counterWithLabel(const QByteArray &value, const QByteArray &help = "A counter.")
{
    MetricFamily f;
    f.name = "gatehouse_hostile_total";
    f.help = help;
    f.type = MetricType::Counter;
    MetricSeries s;
    s.labels = {{"route", value}, {"api", "x"}};
    s.value = 7;
    f.series.append(s);
    return f;
}

} // namespace

void tst_PrometheusWriter::hostileLabelValuesRoundTrip_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("parsed");
    QTest::newRow("double quote") << QByteArray("a\"b") << QStringLiteral("a\"b");
    QTest::newRow("backslash before a letter") << QByteArray("a\\nb") << QStringLiteral("a\\nb");
    QTest::newRow("trailing backslash") << QByteArray("ab\\") << QStringLiteral("ab\\");
    QTest::newRow("newline") << QByteArray("a\nb") << QStringLiteral("a\nb");
    QTest::newRow("quote, brace and comma closing the label set early")
        << QByteArray("x\"} 1\nfake_total 9\n#{a=\"") << QStringLiteral("x\"} 1\nfake_total 9\n#{a=\"");
    QTest::newRow("hash and EOF marker") << QByteArray("# EOF") << QStringLiteral("# EOF");
    QTest::newRow("carriage return and tab") << QByteArray("a\rb\tc") << QStringLiteral("a\rb\tc");
    QTest::newRow("UTF-8 text") << QByteArray("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x88")
                                << QStringLiteral(u"café € 🐈");
    QTest::newRow("invalid UTF-8 is replaced by U+FFFD") << QByteArray("a\xff\xfe" "b")
                                                         << QStringLiteral(u"a\uFFFD\uFFFDb");
    QTest::newRow("truncated UTF-8 sequence, one U+FFFD a byte") << QByteArray("a\xe2\x82")
                                                                 << QStringLiteral(u"a\uFFFD\uFFFD");
    QTest::newRow("empty value") << QByteArray() << QString();
    QTest::newRow("long value") << QByteArray(10'000, 'r') << QString(10'000, u'r');
}

void tst_PrometheusWriter::hostileLabelValuesRoundTrip()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, parsed);
    if (!havePythonClient())
        QSKIP("python3-prometheus-client is not installed");
    const QList<MetricFamily> families{counterWithLabel(value, "help with \\ and \" and\nnewline")};
    for (const ExpositionFormat format : {ExpositionFormat::PrometheusText, ExpositionFormat::OpenMetrics}) {
        const bool om = format == ExpositionFormat::OpenMetrics;
        const QByteArray text = writeExposition(families, format);
        const ToolResult r = pythonParse(text, om);
        QVERIFY2(r.ok, qPrintable(QString::fromUtf8(r.err + "\n" + text.left(2000))));
        const QJsonArray parsedFamilies = Gatehouse::Test::parsedFamilies(r);
        QCOMPARE(parsedFamilies.size(), 1);
        const QJsonObject family = parsedFamilies.at(0).toObject();
        QCOMPARE(family.value(QStringLiteral("help")).toString(), QStringLiteral("help with \\ and \" and\nnewline"));
        const QJsonArray samples = family.value(QStringLiteral("samples")).toArray();
        QCOMPARE(samples.size(), 1);   // nothing injected
        const QJsonObject labels = samples.at(0).toObject().value(QStringLiteral("labels")).toObject();
        QCOMPARE(labels.value(QStringLiteral("route")).toString(), parsed);
        QCOMPARE(labels.value(QStringLiteral("api")).toString(), QStringLiteral("x"));
        QCOMPARE(samples.at(0).toObject().value(QStringLiteral("value")).toString(), QStringLiteral("7.0"));
        if (!om && havePromtool()) {
            const ToolResult check = promtoolCheck(text);
            QVERIFY2(check.ok, qPrintable(QString::fromUtf8(check.out + check.err)));
        }
    }
}

void tst_PrometheusWriter::hostileNamesAreRepaired()
{
    MetricFamily f = counterWithLabel("v");
    f.name = "9bad-name{x}_total";
    f.series[0].labels = {{"bad label", "v"}, {"", "w"}};
    const QByteArray text = writeExposition({f}, ExpositionFormat::PrometheusText);
    QVERIFY2(text.contains("\n_bad_name_x__total{bad_label=\"v\",_=\"w\"} 7\n"), text.constData());
    if (havePromtool()) {
        const ToolResult check = promtoolCheck(text);
        QVERIFY2(check.ok, qPrintable(QString::fromUtf8(check.out + check.err)));
    }
}

void tst_PrometheusWriter::countersAndHistogramsInBothFormats()
{
    MetricFamily counter;
    counter.name = "process_cpu_seconds_total";
    counter.help = "CPU.";
    counter.unit = "seconds";
    counter.type = MetricType::Counter;
    MetricSeries c;
    c.value = 1.5;
    counter.series.append(c);

    MetricFamily histogram;
    histogram.name = "http_server_request_duration_seconds";
    histogram.help = "Durations.";
    histogram.unit = "seconds";
    histogram.type = MetricType::Histogram;
    histogram.bounds = {0.005, 1, 10};
    MetricSeries h;
    h.labels = {{"http_route", "/pets/{id}"}};
    h.buckets = {2, 3, 3, 4};
    h.sum = 12.25;
    histogram.series.append(h);

    const QByteArray text = writeExposition({counter, histogram}, ExpositionFormat::PrometheusText);
    QCOMPARE(text, QByteArray("# HELP process_cpu_seconds_total CPU.\n"
                              "# TYPE process_cpu_seconds_total counter\n"
                              "process_cpu_seconds_total 1.5\n"
                              "# HELP http_server_request_duration_seconds Durations.\n"
                              "# TYPE http_server_request_duration_seconds histogram\n"
                              "http_server_request_duration_seconds_bucket{http_route=\"/pets/{id}\",le=\"0.005\"} 2\n"
                              "http_server_request_duration_seconds_bucket{http_route=\"/pets/{id}\",le=\"1\"} 3\n"
                              "http_server_request_duration_seconds_bucket{http_route=\"/pets/{id}\",le=\"10\"} 3\n"
                              "http_server_request_duration_seconds_bucket{http_route=\"/pets/{id}\",le=\"+Inf\"} 4\n"
                              "http_server_request_duration_seconds_count{http_route=\"/pets/{id}\"} 4\n"
                              "http_server_request_duration_seconds_sum{http_route=\"/pets/{id}\"} 12.25\n"));
    const QByteArray om = writeExposition({counter, histogram}, ExpositionFormat::OpenMetrics);
    QCOMPARE(om, QByteArray("# HELP process_cpu_seconds CPU.\n"
                            "# TYPE process_cpu_seconds counter\n"
                            "# UNIT process_cpu_seconds seconds\n"
                            "process_cpu_seconds_total 1.5\n"
                            "# HELP http_server_request_duration_seconds Durations.\n"
                            "# TYPE http_server_request_duration_seconds histogram\n"
                            "# UNIT http_server_request_duration_seconds seconds\n"
                            "http_server_request_duration_seconds_bucket{http_route=\"/pets/{id}\",le=\"0.005\"} 2\n"
                            "http_server_request_duration_seconds_bucket{http_route=\"/pets/{id}\",le=\"1.0\"} 3\n"
                            "http_server_request_duration_seconds_bucket{http_route=\"/pets/{id}\",le=\"10.0\"} 3\n"
                            "http_server_request_duration_seconds_bucket{http_route=\"/pets/{id}\",le=\"+Inf\"} 4\n"
                            "http_server_request_duration_seconds_count{http_route=\"/pets/{id}\"} 4\n"
                            "http_server_request_duration_seconds_sum{http_route=\"/pets/{id}\"} 12.25\n"
                            "# EOF\n"));
    if (havePromtool()) {
        const ToolResult check = promtoolCheck(text);
        QVERIFY2(check.ok, qPrintable(QString::fromUtf8(check.out + check.err)));
    }
    if (havePythonClient()) {
        QVERIFY(pythonParse(text, false).ok);
        const ToolResult r = pythonParse(om, true);
        QVERIFY2(r.ok, r.err.constData());
        QCOMPARE(sampleValue(parsedFamilies(r), QStringLiteral("process_cpu_seconds_total")), QStringLiteral("1.5"));
    }
}

void tst_PrometheusWriter::specialValues()
{
    MetricFamily f;
    f.name = "gatehouse_values";
    f.help = "Values.";
    f.type = MetricType::Gauge;
    for (double v : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(), 1e21, -0.5, 0.1}) {
        MetricSeries s;
        s.labels = {{"v", QByteArray::number(f.series.size())}};
        s.value = v;
        f.series.append(s);
    }
    const QByteArray text = writeExposition({f}, ExpositionFormat::PrometheusText);
    for (const char *line : {"{v=\"0\"} NaN\n", "{v=\"1\"} +Inf\n", "{v=\"2\"} -Inf\n", "{v=\"3\"} 1e+21\n",
                             "{v=\"4\"} -0.5\n", "{v=\"5\"} 0.1\n"})
        QVERIFY2(text.contains(line), line);
    if (havePromtool())
        QVERIFY(promtoolCheck(text).ok);
}

namespace {

QString corpusDir()
{
    return qEnvironmentVariable("GATEHOUSE_CORPUS") + QStringLiteral("/metrics/openmetrics-testdata/parsers");
}

MetricFamily familyFromModel(const QJsonObject &model)
{
    MetricFamily f;
    f.name = model.value(QStringLiteral("name")).toString().toUtf8();
    f.help = model.value(QStringLiteral("help")).toString().toUtf8();
    f.unit = model.value(QStringLiteral("unit")).toString().toUtf8();
    const QString type = model.value(QStringLiteral("type")).toString();
    f.type = type == u"counter" ? MetricType::Counter : type == u"gauge" ? MetricType::Gauge : MetricType::Histogram;
    for (const QJsonValue &b : model.value(QStringLiteral("bounds")).toArray())
        f.bounds.append(b.toString().toDouble());
    for (const QJsonValue &v : model.value(QStringLiteral("series")).toArray()) {
        const QJsonObject o = v.toObject();
        MetricSeries s;
        const QJsonObject labels = o.value(QStringLiteral("labels")).toObject();
        for (auto it = labels.begin(); it != labels.end(); ++it)
            s.labels.append({it.key().toUtf8(), it.value().toString().toUtf8()});
        const auto number = [](const QString &repr) {
            if (repr == u"nan")
                return std::numeric_limits<double>::quiet_NaN();
            if (repr == u"inf" || repr == u"-inf")
                return repr.startsWith(u'-') ? -std::numeric_limits<double>::infinity()
                                             : std::numeric_limits<double>::infinity();
            return repr.toDouble();
        };
        s.value = number(o.value(QStringLiteral("value")).toString());
        s.sum = number(o.value(QStringLiteral("sum")).toString());
        for (const QJsonValue &b : o.value(QStringLiteral("buckets")).toArray())
            s.buckets.append(quint64(b.toDouble()));
        f.series.append(s);
    }
    return f;
}

} // namespace

void tst_PrometheusWriter::openMetricsTestDataWrittenBack_data()
{
    QTest::addColumn<QString>("file");
    const QDir dir(corpusDir());
    if (!dir.exists())
        QSKIP("GATEHOUSE_CORPUS has no metrics/openmetrics-testdata");
    for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        QFile spec(dir.filePath(name + QStringLiteral("/test.json")));
        if (!spec.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject o = QJsonDocument::fromJson(spec.readAll()).object();
        if (o.value(QStringLiteral("type")).toString() == u"text" && o.value(QStringLiteral("shouldParse")).toBool())
            QTest::newRow(qPrintable(name)) << dir.filePath(name + u'/' + o.value(QStringLiteral("file")).toString());
    }
}

// A case the writer applies to (counters, gauges, histograms without exemplars or timestamps):
// parsed, written again as OpenMetrics, parsed again: the same families, samples and values.
void tst_PrometheusWriter::openMetricsTestDataWrittenBack()
{
    QFETCH(QString, file);
    if (!havePythonClient())
        QSKIP("python3-prometheus-client is not installed");
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const ToolResult original = pythonParse(f.readAll(), true);
    if (!original.ok)
        QSKIP("this prometheus_client version refuses the case itself");
    QList<MetricFamily> families;
    QJsonArray expected;
    for (const QJsonValue &v : parsedFamilies(original)) {
        const QJsonObject family = v.toObject();
        if (family.value(QStringLiteral("model")).isNull())
            continue;
        families.append(familyFromModel(family.value(QStringLiteral("model")).toObject()));
        QJsonObject withoutModel = family;
        withoutModel.remove(QStringLiteral("model"));
        expected.append(withoutModel);
    }
    if (families.isEmpty())
        QSKIP("no family the writer produces (exemplars, timestamps, _created, summaries, ...)");
    const QByteArray written = writeExposition(families, ExpositionFormat::OpenMetrics);
    const ToolResult again = pythonParse(written, true);
    QVERIFY2(again.ok, qPrintable(QString::fromUtf8(again.err + "\n" + written)));
    QJsonArray actual;
    for (const QJsonValue &v : parsedFamilies(again)) {
        QJsonObject family = v.toObject();
        family.remove(QStringLiteral("model"));
        actual.append(family);
    }
    QCOMPARE(QJsonDocument(actual).toJson(QJsonDocument::Compact), QJsonDocument(expected).toJson(QJsonDocument::Compact));
    if (havePromtool()) {
        const ToolResult check = runTool(kPromtool, {QStringLiteral("check"), QStringLiteral("metrics")},
                                         writeExposition(families, ExpositionFormat::PrometheusText));
        // promtool also lints names (a counter without _total ...): only parse errors fail here.
        QVERIFY2(check.ok || !check.err.contains("parsing error"), qPrintable(QString::fromUtf8(check.err)));
    }
}

QTEST_GUILESS_MAIN(tst_PrometheusWriter)
#include "tst_prometheuswriter.moc"
