// resources/grafana/gatehouse.json and resources/prometheus/prometheus.yml: a well-formed Grafana
// dashboard whose queries name only metrics the gateway exposes, and a scrape config promtool
// accepts.
#include "metricscheck.h"

#include "telemetry/metricsregistry.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_GrafanaDashboard : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void panelsAreLaidOutOnTheGrid();
    void queriesUseOnlyExposedMetrics();
    void everyMetricFamilyHasAPanel();
    void scrapeExamplePassesPromtool();

private:
    QJsonObject m_dashboard;
    QSet<QString> m_samples;    // every sample name the gateway exposes
    QSet<QString> m_families;
};

namespace {

QString resource(const QString &relative)
{
    return qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/resources/") + relative;
}

QStringList expressions(const QJsonObject &dashboard)
{
    QStringList out;
    for (const QJsonValue &p : dashboard.value(QStringLiteral("panels")).toArray()) {
        for (const QJsonValue &t : p.toObject().value(QStringLiteral("targets")).toArray())
            out.append(t.toObject().value(QStringLiteral("expr")).toString());
    }
    return out;
}

} // namespace

void tst_GrafanaDashboard::initTestCase()
{
    QFile f(resource(QStringLiteral("grafana/gatehouse.json")));
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    QJsonParseError error;
    m_dashboard = QJsonDocument::fromJson(f.readAll(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));

    MetricsRegistry registry(1);
    ScrapeInputs inputs;
    inputs.accessLogEnabled = true;
    for (const MetricFamily &family : registry.collect(inputs)) {
        const QString name = QString::fromLatin1(family.name);
        m_families.insert(name);
        if (family.type == MetricType::Histogram) {
            for (const char *suffix : {"_bucket", "_sum", "_count"})
                m_samples.insert(name + QLatin1StringView(suffix));
        } else {
            m_samples.insert(name);
        }
    }
}

void tst_GrafanaDashboard::panelsAreLaidOutOnTheGrid()
{
    QCOMPARE(m_dashboard.value(QStringLiteral("uid")).toString(), QStringLiteral("gatehouse"));
    QVERIFY(m_dashboard.value(QStringLiteral("schemaVersion")).toInt() >= 30);
    const QJsonArray panels = m_dashboard.value(QStringLiteral("panels")).toArray();
    QVERIFY(panels.size() >= 10);
    QSet<int> ids;
    for (const QJsonValue &v : panels) {
        const QJsonObject p = v.toObject();
        const QString title = p.value(QStringLiteral("title")).toString();
        QVERIFY2(!title.isEmpty(), "a panel without a title");
        const int id = p.value(QStringLiteral("id")).toInt();
        QVERIFY2(!ids.contains(id), qPrintable(title));
        ids.insert(id);
        const QJsonObject grid = p.value(QStringLiteral("gridPos")).toObject();
        const int x = grid.value(QStringLiteral("x")).toInt(-1);
        const int w = grid.value(QStringLiteral("w")).toInt();
        QVERIFY2(x >= 0 && w > 0 && x + w <= 24 && grid.value(QStringLiteral("h")).toInt() > 0, qPrintable(title));
        if (p.value(QStringLiteral("type")).toString() == u"row")
            continue;
        const QJsonArray targets = p.value(QStringLiteral("targets")).toArray();
        QVERIFY2(!targets.isEmpty(), qPrintable(title));
        for (const QJsonValue &t : targets)
            QVERIFY2(!t.toObject().value(QStringLiteral("expr")).toString().isEmpty(), qPrintable(title));
    }
}

void tst_GrafanaDashboard::queriesUseOnlyExposedMetrics()
{
    // A metric is followed by its selector (every query filters by instance); label names are not.
    static const QRegularExpression metric(QStringLiteral("\\b((?:http|gatehouse|process)_[a-z_]+)\\{"));
    int checked = 0;
    for (const QString &expr : expressions(m_dashboard)) {
        for (auto it = metric.globalMatch(expr); it.hasNext();) {
            const QString name = it.next().captured(1);
            QVERIFY2(m_samples.contains(name), qPrintable(name + QStringLiteral(" in ") + expr));
            ++checked;
        }
    }
    QVERIFY(checked > 20);
}

void tst_GrafanaDashboard::everyMetricFamilyHasAPanel()
{
    const QString all = expressions(m_dashboard).join(u'\n');
    for (const QString &family : std::as_const(m_families)) {
        // process_virtual_memory_bytes is there for other tools; the dashboard shows RSS.
        if (family == u"process_virtual_memory_bytes" || family == u"gatehouse_workers"
            || family == u"gatehouse_requests_aborted_total" || family == u"gatehouse_connections_accepted_total")
            continue;
        QVERIFY2(all.contains(family), qPrintable(family));
    }
}

void tst_GrafanaDashboard::scrapeExamplePassesPromtool()
{
    if (!havePromtool())
        QSKIP("promtool (Debian package prometheus) is not installed");
    const ToolResult r = runTool(kPromtool, {QStringLiteral("check"), QStringLiteral("config"),
                                             resource(QStringLiteral("prometheus/prometheus.yml"))}, {});
    QVERIFY2(r.ok, qPrintable(QString::fromUtf8(r.out + r.err)));
}

QTEST_GUILESS_MAIN(tst_GrafanaDashboard)
#include "tst_grafanadashboard.moc"
