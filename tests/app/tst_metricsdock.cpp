// The Metrics dock on a real embedded gateway: requests through it become points in the charts
// (fed by the engine's metricsSnapshot signal, not by scraping), pause freezes the charts while
// recording goes on, the filter offers the API and its operations, a zoom in one chart moves all
// of them until Live, PNG and CSV export.
#include "testupstream.h"

#include "gatewaycontroller.h"
#include "metricsdock.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Gatehouse;

class tst_MetricsDock : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void requestsBecomePointsInTheCharts();

private:
    void write(const QString &relative, const QByteArray &text);
    // Sends `n` requests through the gateway and waits for their answers; returns the statuses.
    QList<int> send(const QString &url, int n);

    QTemporaryDir m_dir;
    TestUpstream m_upstream;
    QNetworkAccessManager m_network;
};

void tst_MetricsDock::write(const QString &relative, const QByteArray &text)
{
    const QString path = m_dir.filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

void tst_MetricsDock::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_upstream.listen(QHostAddress::LocalHost));
    write(QStringLiteral("gatehouse.yaml"),
          "version: 1\nlisteners: {http: {port: 0}, https: {enabled: false}, admin: {enabled: false}}\n");
    write(QStringLiteral("apis/pets.yaml"), QByteArray(R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:PORT/api'}]
paths:
  /pets:
    get: {security: [], responses: {'200': {description: ok}}}
  /secret:
    get: {security: [{basic: []}], responses: {'200': {description: ok}}}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
)").replace("PORT", QByteArray::number(m_upstream.serverPort())));
}

QList<int> tst_MetricsDock::send(const QString &url, int n)
{
    QList<int> statuses;
    for (int i = 0; i < n; ++i) {
        QNetworkReply *reply = m_network.get(QNetworkRequest(QUrl(url)));
        connect(reply, &QNetworkReply::finished, this, [reply, &statuses] {
            statuses.append(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
            reply->deleteLater();
        });
    }
    if (!QTest::qWaitFor([&] { return statuses.size() == n; }, 15000))
        qWarning("only %d of %d requests were answered", int(statuses.size()), n);
    return statuses;
}

void tst_MetricsDock::requestsBecomePointsInTheCharts()
{
    GatewayController gateway;
    MetricsDock dock;
    dock.resize(900, 500);
    dock.setEngine(gateway.engine());
    gateway.setProjectDir(m_dir.path());
    QVERIFY(gateway.start());
    const QString base = gateway.httpBaseUrl() + QStringLiteral("/api");

    QCOMPARE(send(base + QStringLiteral("/pets"), 20), QList<int>(20, 200));
    QCOMPARE(send(base + QStringLiteral("/secret"), 5), QList<int>(5, 401));

    // Within a few snapshots (one a second) all 25 requests are in the history and the charts.
    MetricsHistory *history = dock.history();
    auto total = [history](int column) {
        double sum = 0;
        for (int r = 0; r < history->rowCount(); ++r)
            sum += history->value(r, column);
        return sum;
    };
    QTRY_COMPARE_WITH_TIMEOUT(total(MetricsHistory::Status2xx) + total(MetricsHistory::Status4xx), 25.0, 10000);
    QCOMPARE(total(MetricsHistory::Status4xx), 5.0);
    QCOMPARE(total(MetricsHistory::AuthFailuresPerSecond), 5.0);
    QVERIFY(dock.plottedPoints() > 0);
    QCOMPARE(dock.plottedPoints(), history->rowCount());

    // The filter offers the API and its operations; one operation shows only its requests.
    QComboBox *filter = dock.filterBox();
    QVERIFY(filter->findText(QStringLiteral("API Pets")) >= 0);
    const int secret = filter->findText(QStringLiteral("/secret"), Qt::MatchEndsWith);
    QVERIFY(secret > 0);
    QVERIFY2(filter->itemText(secret).trimmed().startsWith(QStringLiteral("GET /")), qPrintable(filter->itemText(secret)));
    filter->setCurrentIndex(secret);
    emit filter->activated(secret);
    QCOMPARE(total(MetricsHistory::Status2xx), 0.0);
    QCOMPARE(total(MetricsHistory::Status4xx), 5.0);

    // Paused: rows keep coming, the charts stay as they were.
    QTest::mouseClick(dock.pauseButton(), Qt::LeftButton);
    QVERIFY(dock.isPaused());
    const int frozen = dock.plottedPoints();
    const int rows = history->rowCount();
    QTRY_VERIFY_WITH_TIMEOUT(history->rowCount() > rows + 1, 10000);
    QCOMPARE(dock.plottedPoints(), frozen);
    QTest::mouseClick(dock.pauseButton(), Qt::LeftButton);
    QCOMPARE(dock.plottedPoints(), history->rowCount());

    // A wheel turn over one chart zooms its time axis and the others follow; Live returns to
    // the last minutes, following new data again.
    QCustomPlot *traffic = dock.plots().at(0);
    QCustomPlot *latency = dock.plots().at(1);
    const QCPRange live = traffic->xAxis->range();
    QWheelEvent wheel(QPointF(traffic->axisRect()->center()), traffic->mapToGlobal(traffic->axisRect()->center()).toPointF(),
                      QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(traffic, &wheel);
    QVERIFY(!dock.isFollowing());
    QVERIFY2(traffic->xAxis->range().size() < live.size(), "the wheel zooms in");
    QCOMPARE(latency->xAxis->range(), traffic->xAxis->range());
    const QCPRange zoomed = traffic->xAxis->range();
    QTRY_VERIFY_WITH_TIMEOUT(history->rowCount() > rows + 3, 10000);   // new data does not move a zoomed view
    QCOMPARE(traffic->xAxis->range(), zoomed);
    dock.followLive();
    QVERIFY(dock.isFollowing());
    QCOMPARE(latency->xAxis->range(), traffic->xAxis->range());
    QVERIFY(traffic->xAxis->range().upper >= double(history->timeMs(history->rowCount() - 1)) / 1000.0);

    QTemporaryDir out;
    const QString png = out.filePath(QStringLiteral("charts.png"));
    QVERIFY(dock.exportPng(png));
    QCOMPARE(QImage(png).size(), dock.size() * dock.devicePixelRatio());
    const QString csv = out.filePath(QStringLiteral("metrics.csv"));
    QVERIFY(dock.exportCsv(csv));
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    QCOMPARE(csvFile.readAll().count('\n'), history->rowCount() + 1);
    gateway.engine()->stopAndWait();
}

QTEST_MAIN(tst_MetricsDock)
#include "tst_metricsdock.moc"
