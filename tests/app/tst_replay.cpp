// Replay end to end, offscreen: a captured request through the embedded gateway gets 200; the
// project is edited so its operation requires another scope and reloaded; Replay from the Traces
// dock sends it again (its token, its body) and the comparison shows 200 → 403 with the new
// trace's Explain. A request whose captured body was cut at the cap is refused with the reason.
#include "testupstream.h"

#include "gatewaycontroller.h"
#include "replaycompareview.h"
#include "tracereplay.h"
#include "tracesdock.h"
#include "tracetablemodel.h"

#include "base/diagnostic.h"
#include "project/project.h"
#include "security/apikeyissuer.h"

#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Gatehouse;

namespace {

QByteArray petsApi(quint16 upstreamPort, const QByteArray &postScope)
{
    return QByteArray(R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:PORT/api'}]
components:
  securitySchemes:
    oauth2:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://x/token', scopes: {'pets:read': read, 'pets:write': write}}}
security: [{oauth2: ['pets:read']}]
paths:
  /pets:
    post: {security: [{oauth2: ['SCOPE']}], responses: {'201': {description: created}}}
)")
        .replace("PORT", QByteArray::number(upstreamPort))
        .replace("SCOPE", postScope);
}

} // namespace

class tst_Replay : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void replayAfterAnEditComparesTheAnswers();
    void truncatedBodyIsRefused();
    void cleanupTestCase();

private:
    void write(const QString &relative, const QByteArray &text);
    int post(const QString &target, const QByteArray &body);
    // Selects the newest record whose target contains `marker` in the dock; its source row.
    int selectRecord(const QString &marker, int status);

    QTemporaryDir m_dir;
    TestUpstream m_upstream;
    QByteArray m_token;   // scope pets:read only
    std::unique_ptr<GatewayController> m_gateway;
    std::unique_ptr<TracesDock> m_dock;
    QNetworkAccessManager m_network;
};

void tst_Replay::write(const QString &relative, const QByteArray &text)
{
    const QString path = m_dir.filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

int tst_Replay::post(const QString &target, const QByteArray &body)
{
    QNetworkRequest request(QUrl(m_gateway->httpBaseUrl() + target));
    request.setRawHeader("Authorization", "Bearer " + m_token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = m_network.post(request, body);
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

int tst_Replay::selectRecord(const QString &marker, int status)
{
    TraceTableModel *model = m_dock->model();
    int row = -1;
    const bool found = QTest::qWaitFor([&] {
        for (int i = model->rowCount() - 1; i >= 0 && row < 0; --i) {
            if (QString::fromUtf8(model->record(i).target).contains(marker) && model->record(i).status == status)
                row = i;
        }
        return row >= 0;
    }, 10000);
    if (!found)
        return -1;
    m_dock->selectRow(m_dock->filterModel()->mapFromSource(model->index(row, 0)).row());
    return row;
}

void tst_Replay::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_upstream.listen(QHostAddress::LocalHost));
    write(QStringLiteral("gatehouse.yaml"), R"(version: 1
listeners: {http: {port: 0}, https: {enabled: false}, admin: {enabled: false}}
security:
  apiKeys: {issuer: 'https://gatehouse.test/apikey', defaultTtl: 1h}
  issuers:
    - {name: gatehouse, issuer: 'https://gatehouse.test/apikey', jwksFile: keys/jwks.json, claims: {scopes: scope}}
telemetry:
  tracing:
    capture: {maxBodyBytes: 64}
)");
    write(QStringLiteral("apis/pets.yaml"), petsApi(m_upstream.serverPort(), "pets:read"));
    Diagnostics diagnostics;
    const Project project = Project::load(m_dir.path(), diagnostics);
    QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
    auto issuer = ApiKeyIssuer::open(project.settings.security.apiKeys, m_dir.path());
    QVERIFY2(issuer, issuer ? "" : qPrintable(issuer.error().message));
    ApiKeyIssuer::Request request;
    request.subject = QStringLiteral("alice");
    request.scopes = {QStringLiteral("pets:read")};
    request.ttlSeconds = 600;
    const auto token = (*issuer)->issue(request, QDateTime::currentSecsSinceEpoch());
    QVERIFY(token);
    m_token = *token;

    m_gateway = std::make_unique<GatewayController>();
    m_dock = std::make_unique<TracesDock>();
    m_dock->setEngine(m_gateway->engine());
    m_gateway->setProjectDir(m_dir.path());
    QVERIFY(m_gateway->start());
    // The workbench's engine captures (forced over gatehouse.yaml's default), and says so.
    QCOMPARE(m_gateway->engine()->captureBodyBytes(), qint64(64));
    QVERIFY(!m_dock->captureIndicator()->isHidden());
    QVERIFY2(m_gateway->statusLabel()->text().contains(QStringLiteral("Replay")),
             qPrintable(m_gateway->statusLabel()->text()));
}

void tst_Replay::cleanupTestCase()
{
    if (m_gateway)
        m_gateway->engine()->stopAndWait();
    m_dock.reset();
    m_gateway.reset();
}

void tst_Replay::replayAfterAnEditComparesTheAnswers()
{
    const QByteArray body = R"({"name":"Rex","kind":"dog"})";
    QCOMPARE(post(QStringLiteral("/api/pets?case-replay=1"), body), 200);
    const int row = selectRecord(QStringLiteral("case-replay"), 200);
    QVERIFY(row >= 0);
    const TraceRecord &recorded = m_dock->model()->record(row);
    QVERIFY(recorded.capture.present);
    QCOMPARE(recorded.capture.requestBody.bytes, body);
    QVERIFY(TraceReplayer::refusal(recorded).isEmpty());
    const int upstreamBefore = m_upstream.requests;

    // The operation now requires pets:write; the token has pets:read only.
    write(QStringLiteral("apis/pets.yaml"), petsApi(m_upstream.serverPort(), "pets:write"));
    QVERIFY(m_gateway->reload());

    QVERIFY(m_dock->replayButton()->isEnabled());
    QTest::mouseClick(m_dock->replayButton(), Qt::LeftButton);
    QVERIFY(m_dock->detailTabs()->currentWidget()->isAncestorOf(m_dock->compareView()));
    ReplayCompareView *compare = m_dock->compareView();
    QTRY_VERIFY_WITH_TIMEOUT(compare->summaryText().contains(QStringLiteral("→")), 15000);
    QVERIFY2(compare->summaryText().startsWith(QStringLiteral("Status 200 → 403")), qPrintable(compare->summaryText()));
    // Explain of the new trace: the scope the operation wants now and the token's.
    QVERIFY2(compare->explainText().startsWith(
                 QStringLiteral("Refused by scopes (authz): scope 'pets:write' missing: the token has 'pets:read'")),
             qPrintable(compare->explainText()));
    // The upstream's JSON went, the gateway's error JSON came: both in the body difference.
    bool removedUpstream = false;
    bool addedError = false;
    for (const DiffLine &l : compare->bodyDiff()) {
        removedUpstream = removedUpstream || (l.kind == DiffLine::Kind::Removed && l.text.contains(QStringLiteral("Rex")));
        addedError = addedError || (l.kind == DiffLine::Kind::Added && l.text.contains(QStringLiteral("\"code\"")));
    }
    QVERIFY(removedUpstream);
    QVERIFY(addedError);
    bool headerChanged = false;
    for (const DiffLine &l : compare->headerDiff())
        headerChanged = headerChanged || l.kind != DiffLine::Kind::Same;
    QVERIFY(headerChanged);
    QCOMPARE(m_upstream.requests, upstreamBefore);   // refused before the upstream
    // docs/screenshots/workbench-replay.png: GATEHOUSE_SCREENSHOT=FILE under `xvfb-run -a` with
    // QT_QPA_PLATFORM=xcb shows the dock and grabs the X screen with ImageMagick's import.
    if (const QString shot = qEnvironmentVariable("GATEHOUSE_SCREENSHOT"); !shot.isEmpty()) {
        m_dock->setWindowTitle(QStringLiteral("Traces"));
        m_dock->resize(1280, 720);
        m_dock->move(0, 0);
        m_dock->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dock.get()));
        QTest::qWait(500);
        QCOMPARE(QProcess::execute(QStringLiteral("import"),
                                   {QStringLiteral("-window"), QStringLiteral("root"), QStringLiteral("-crop"),
                                    QStringLiteral("1280x720+0+0"), shot}),
                 0);
        m_dock->hide();
    }
    // The replayed request is traced like any other: it is in the table too, refused.
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        const TraceTableModel *model = m_dock->model();
        for (int i = 0; i < model->rowCount(); ++i) {
            if (model->record(i).status == 403 && QString::fromUtf8(model->record(i).target).contains(QStringLiteral("case-replay")))
                return true;
        }
        return false;
    }(), 5000);

    // Back to pets:read: the same replay gets 200 again and reaches the upstream with its body.
    write(QStringLiteral("apis/pets.yaml"), petsApi(m_upstream.serverPort(), "pets:read"));
    QVERIFY(m_gateway->reload());
    QVERIFY(selectRecord(QStringLiteral("case-replay"), 200) >= 0);
    m_dock->replayCurrent();
    QTRY_VERIFY_WITH_TIMEOUT(compare->summaryText().startsWith(QStringLiteral("Status 200 → 200")), 15000);
    QCOMPARE(m_upstream.requests, upstreamBefore + 1);
    for (const DiffLine &l : compare->bodyDiff())
        QVERIFY2(l.kind == DiffLine::Kind::Same, qPrintable(l.text));
}

void tst_Replay::truncatedBodyIsRefused()
{
    const QByteArray body = "{\"name\":\"" + QByteArray(200, 'x') + "\"}";   // over the 64-byte cap
    QCOMPARE(post(QStringLiteral("/api/pets?case-truncated=1"), body), 200);
    const int row = selectRecord(QStringLiteral("case-truncated"), 200);
    QVERIFY(row >= 0);
    const TraceRecord &recorded = m_dock->model()->record(row);
    QVERIFY(recorded.capture.present);
    QCOMPARE(recorded.capture.requestBody.bytes.size(), 64);
    QCOMPARE(recorded.capture.requestBody.totalBytes, qint64(body.size()));
    const int upstreamBefore = m_upstream.requests;
    m_dock->replayCurrent();
    const QString summary = m_dock->compareView()->summaryText();
    QVERIFY2(summary.startsWith(QStringLiteral("Replay refused: The request body was truncated when captured (64 of 211 bytes kept")),
             qPrintable(summary));
    QTest::qWait(200);
    QCOMPARE(m_upstream.requests, upstreamBefore);   // nothing was sent
}

QTEST_MAIN(tst_Replay)
#include "tst_replay.moc"
