// The try-it console against a real embedded gateway: URL from an operation, query sync, send,
// response display, cancel, timeout, an unreachable gateway, and starting a stopped gateway.
#include "gatewaycontroller.h"
#include "keyvaluetable.h"
#include "requesthistory.h"
#include "responseview.h"
#include "tryitclient.h"
#include "tryitconsole.h"
#include "urledit.h"

#include "codeeditor.h"
#include "project/project.h"

#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

namespace {

// A small upstream on the test's thread: answers every request with a fixed JSON body, except
// paths containing "/slow", which it never answers.
class FixedUpstream : public QTcpServer
{
public:
    FixedUpstream()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
        });
    }
    QList<QByteArray> requestLines;

private:
    void serve(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = buffer.left(end);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer.size() < end + 4 + length)
                return;
            buffer.remove(0, end + 4 + length);
            const QByteArray requestLine = head.left(head.indexOf("\r\n"));
            requestLines.append(requestLine);
            if (requestLine.contains("/slow"))
                continue;
            const QByteArray body = R"({"hello":"world","items":[1,2]})";
            socket->write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Upstream: fixed\r\n"
                "Content-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        }
    }
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace

class tst_TryItConsole : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void urlComesFromTheSelectedOperation();
    void queryTableFollowsTheUrlAndBack();
    void unfilledPathParameterIsAskedFor();
    void tabWalksPlaceholdersThenLeaves();
    void sendsThroughTheGatewayAndShowsTheResponse();
    void ctrlEnterSends();
    void cancelStopsTheRequest();
    void timeoutIsASentence();
    void unreachableGatewayIsASentence();
    void stoppedGatewayIsStartedOnRequest();
    void historyRestoresARequest();

private:
    bool waitForResponse(TryItConsole &console, TryItResponse *response = nullptr);

    QTemporaryDir m_dir;
    FixedUpstream m_upstream;
    Project m_project;
};

void tst_TryItConsole::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_upstream.listen(QHostAddress::LocalHost));
    QDir().mkpath(m_dir.filePath(QStringLiteral("apis")));
    QFile settings(m_dir.filePath(QStringLiteral("gatehouse.yaml")));
    QVERIFY(settings.open(QIODevice::WriteOnly));
    settings.write(
        "version: 1\nlisteners: {http: {port: 0}, https: {enabled: false}, admin: {enabled: "
        "false}}\n");
    settings.close();
    QFile api(m_dir.filePath(QStringLiteral("apis/echo.yaml")));
    QVERIFY(api.open(QIODevice::WriteOnly));
    api.write(QByteArray(R"(openapi: 3.0.3
info: {title: Echo, version: v1}
x-gatehouse-basePath: /echo/{version}
servers: [{url: 'http://127.0.0.1:PORT/up'}]
paths:
  /items/{id}:
    get:
      security: []
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: verbose, in: query, required: true, schema: {type: boolean, default: false}}
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}
  /slow:
    get: {security: [], responses: {'200': {description: never}}}
  /things:
    post:
      security: []
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string, example: Rex}}}
      responses: {'201': {description: created}}
)")
                  .replace("PORT", QByteArray::number(m_upstream.serverPort())));
    api.close();
    Diagnostics diagnostics;
    m_project = Project::load(m_dir.path(), diagnostics);
    QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
    QCOMPARE(m_project.apis.size(), 1);
}

void tst_TryItConsole::init()
{
    RequestHistory history;
    history.clear();
    m_upstream.requestLines.clear();
}

bool tst_TryItConsole::waitForResponse(TryItConsole &console, TryItResponse *response)
{
    QSignalSpy spy(&console, &TryItConsole::responseShown);
    if (!spy.wait(15000))
        return false;
    if (response)
        *response = spy.first().first().value<TryItResponse>();
    return true;
}

void tst_TryItConsole::urlComesFromTheSelectedOperation()
{
    TryItConsole console;
    console.setProject(m_project);
    QVERIFY(console.selectOperation(QStringLiteral("apis/echo.yaml"), QStringLiteral("GET"),
                                    QStringLiteral("/items/{id}")));
    // Port 0 in gatehouse.yaml: until the gateway runs, the console shows the default port.
    QCOMPARE(console.urlEdit()->text(),
             QStringLiteral("http://127.0.0.1:9090/echo/v1/items/{id}?verbose=false"));
    QCOMPARE(console.methodBox()->currentText(), QStringLiteral("GET"));
    QCOMPARE(console.urlEdit()->selectedText(), QStringLiteral("{id}"));   // ready to be typed over
    QCOMPARE(console.headersTable()->items(),
             (NameValueList{{QStringLiteral("Accept"), QStringLiteral("application/json")}}));

    QVERIFY(console.selectOperation(QStringLiteral("apis/echo.yaml"), QStringLiteral("POST"),
                                    QStringLiteral("/things")));
    QCOMPARE(console.methodBox()->currentText(), QStringLiteral("POST"));
    QCOMPARE(console.contentTypeBox()->currentText(), QStringLiteral("application/json"));
    QVERIFY2(console.bodyEditor()->toPlainText().contains(QStringLiteral("\"name\": \"Rex\"")),
             qPrintable(console.bodyEditor()->toPlainText()));
    QVERIFY(!console.selectOperation(QStringLiteral("apis/echo.yaml"), QStringLiteral("DELETE"),
                                     QStringLiteral("/things")));
}

void tst_TryItConsole::queryTableFollowsTheUrlAndBack()
{
    TryItConsole console;
    console.urlEdit()->setText(QStringLiteral("http://127.0.0.1:1/p?a=1&b=two%20words"));
    QCOMPARE(console.queryTable()->items(),
             (NameValueList{{QStringLiteral("a"), QStringLiteral("1")},
                            {QStringLiteral("b"), QStringLiteral("two words")}}));
    console.queryTable()->table()->item(0, 1)->setText(QStringLiteral("x&y"));
    QCOMPARE(console.urlEdit()->text(),
             QStringLiteral("http://127.0.0.1:1/p?a=x%26y&b=two%20words"));
    console.queryTable()->table()->selectRow(1);
    console.queryTable()->removeSelectedRows();
    QCOMPARE(console.urlEdit()->text(), QStringLiteral("http://127.0.0.1:1/p?a=x%26y"));
}

void tst_TryItConsole::unfilledPathParameterIsAskedFor()
{
    TryItConsole console;
    console.setProject(m_project);
    console.selectOperation(QStringLiteral("apis/echo.yaml"), QStringLiteral("GET"),
                            QStringLiteral("/items/{id}"));
    console.send();
    QVERIFY(!console.isBusy());
    QVERIFY2(console.bannerText().contains(QStringLiteral("{id}")),
             qPrintable(console.bannerText()));
}

void tst_TryItConsole::tabWalksPlaceholdersThenLeaves()
{
    QWidget window;
    auto *url = new UrlEdit(&window);
    auto *next = new QLineEdit(&window);
    window.setTabOrder(url, next);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    url->setText(QStringLiteral("http://h:1/orgs/{org}/repos/{repo}"));
    url->setFocus();
    url->setCursorPosition(0);
    QTest::keyClick(url, Qt::Key_Tab);
    QCOMPARE(url->selectedText(), QStringLiteral("{org}"));
    QTest::keyClick(url, Qt::Key_Tab);
    QCOMPARE(url->selectedText(), QStringLiteral("{repo}"));
    QTest::keyClick(url, Qt::Key_Tab);   // none left after it: focus moves on
    QVERIFY(next->hasFocus());
}

void tst_TryItConsole::sendsThroughTheGatewayAndShowsTheResponse()
{
    GatewayController gateway;
    gateway.setProjectDir(m_project.rootDir);
    QVERIFY(gateway.start());
    TryItConsole console;
    console.setGateway(&gateway);
    console.setProject(m_project);
    console.selectOperation(QStringLiteral("apis/echo.yaml"), QStringLiteral("GET"),
                            QStringLiteral("/items/{id}"));
    QVERIFY(
        console.urlEdit()->text().startsWith(gateway.httpBaseUrl() + QStringLiteral("/echo/v1/")));
    console.urlEdit()->insert(QStringLiteral("42"));   // types over the selected {id}

    console.send();
    QVERIFY(console.isBusy());
    QCOMPARE(console.sendButton()->text(), QStringLiteral("Cancel"));
    TryItResponse response;
    QVERIFY(waitForResponse(console, &response));
    QCOMPARE(response.status, 200);
    QCOMPARE(m_upstream.requestLines.value(0),
             QByteArray("GET /up/items/42?verbose=false HTTP/1.1"));

    const ResponseView *view = console.responseView();
    QCOMPARE(view->statusText(), QStringLiteral("200 OK"));
    QVERIFY2(view->metaText().contains(QStringLiteral(" ms"))
                 && view->metaText().contains(QStringLiteral("31 B")),
             qPrintable(view->metaText()));
    QCOMPARE(view->headerValue(QStringLiteral("x-upstream")), QStringLiteral("fixed"));
    QVERIFY2(view->bodyText().contains(QStringLiteral("\n    \"hello\": \"world\"")),
             qPrintable(view->bodyText()));
    QVERIFY(view->rawText().startsWith(QStringLiteral("HTTP/1.1 200 OK\n")));
    QVERIFY(view->rawText().endsWith(QStringLiteral(R"({"hello":"world","items":[1,2]})")));
    QCOMPARE(console.sendButton()->text(), QStringLiteral("Send"));
    QCOMPARE(console.history()->entries().size(), 1);
    QCOMPARE(console.history()->entries().first().status, 200);
    gateway.engine()->stopAndWait();
}

void tst_TryItConsole::ctrlEnterSends()
{
    GatewayController gateway;
    gateway.setProjectDir(m_project.rootDir);
    QVERIFY(gateway.start());
    TryItConsole console;
    console.setGateway(&gateway);
    console.setProject(m_project);
    console.selectOperation(QStringLiteral("apis/echo.yaml"), QStringLiteral("GET"),
                            QStringLiteral("/items/{id}"));
    console.urlEdit()->insert(QStringLiteral("7"));
    console.show();
    QVERIFY(QTest::qWaitForWindowExposed(&console));
    console.activateWindow();
    console.bodyEditor()->setFocus();
    QSignalSpy spy(&console, &TryItConsole::responseShown);
    QTest::keyClick(
        QApplication::focusWidget() ? QApplication::focusWidget() : console.bodyEditor(),
        Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(spy.wait(15000));
    QCOMPARE(spy.first().first().value<TryItResponse>().status, 200);
    QVERIFY(console.bodyEditor()->toPlainText().isEmpty());   // the key did not type a newline
    gateway.engine()->stopAndWait();
}

void tst_TryItConsole::cancelStopsTheRequest()
{
    GatewayController gateway;
    gateway.setProjectDir(m_project.rootDir);
    QVERIFY(gateway.start());
    TryItConsole console;
    console.setGateway(&gateway);
    console.setProject(m_project);
    console.selectOperation(QStringLiteral("apis/echo.yaml"), QStringLiteral("GET"),
                            QStringLiteral("/slow"));
    console.send();
    QTRY_VERIFY_WITH_TIMEOUT(!m_upstream.requestLines.isEmpty(), 10000);   // in flight upstream
    QSignalSpy spy(&console, &TryItConsole::responseShown);
    QCOMPARE(console.sendButton()->text(), QStringLiteral("Cancel"));
    console.sendButton()->click();
    QCOMPARE(spy.size(), 1);
    const auto response = spy.first().first().value<TryItResponse>();
    QVERIFY(response.cancelled);
    QVERIFY(!console.isBusy());
    QCOMPARE(console.responseView()->statusText(), QStringLiteral("Cancelled"));
    QCOMPARE(console.responseView()->messageText(), QStringLiteral("You cancelled the request."));
    QVERIFY(console.history()->entries().isEmpty());   // nothing to restore from a cancelled try
    gateway.engine()->stopAndWait();
}

void tst_TryItConsole::timeoutIsASentence()
{
    GatewayController gateway;
    gateway.setProjectDir(m_project.rootDir);
    QVERIFY(gateway.start());
    TryItConsole console;
    console.setGateway(&gateway);
    console.setProject(m_project);
    console.client()->setTimeout(std::chrono::milliseconds(300));
    console.selectOperation(QStringLiteral("apis/echo.yaml"), QStringLiteral("GET"),
                            QStringLiteral("/slow"));
    console.send();
    TryItResponse response;
    QVERIFY(waitForResponse(console, &response));
    QVERIFY(response.timedOut);
    QCOMPARE(console.responseView()->statusText(), QStringLiteral("Timed out"));
    QVERIFY2(console.responseView()->messageText().startsWith(
                 QStringLiteral("No response within 300 ms")),
             qPrintable(console.responseView()->messageText()));
    gateway.engine()->stopAndWait();
}

void tst_TryItConsole::unreachableGatewayIsASentence()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closedPort = probe.serverPort();
    probe.close();

    TryItConsole console;   // no gateway: the URL is sent as it is
    console.urlEdit()->setText(
        QStringLiteral("http://127.0.0.1:%1/echo/v1/items/1").arg(closedPort));
    console.send();
    TryItResponse response;
    QVERIFY(waitForResponse(console, &response));
    QVERIFY(!response.hasResponse());
    QCOMPARE(console.responseView()->statusText(), QStringLiteral("Failed"));
    QCOMPARE(console.responseView()->messageText(),
             QStringLiteral(
                 "Nothing is listening on 127.0.0.1:%1: the connection was refused. Is the gateway "
                 "running on that port?")
                 .arg(closedPort));

    console.urlEdit()->setText(QStringLiteral("ftp://127.0.0.1/x"));
    console.send();
    QVERIFY(waitForResponse(console, &response));
    QVERIFY2(response.error.contains(QStringLiteral("not an http:// or https:// URL")),
             qPrintable(response.error));
}

void tst_TryItConsole::stoppedGatewayIsStartedOnRequest()
{
    GatewayController gateway;
    gateway.setProjectDir(m_project.rootDir);
    TryItConsole console;
    console.setGateway(&gateway);
    console.setProject(m_project);
    console.selectOperation(QStringLiteral("apis/echo.yaml"), QStringLiteral("GET"),
                            QStringLiteral("/items/{id}"));
    console.urlEdit()->insert(QStringLiteral("5"));
    console.send();
    QVERIFY(!console.isBusy());
    QVERIFY2(console.bannerText().contains(QStringLiteral("not running")),
             qPrintable(console.bannerText()));
    QVERIFY(!console.bannerButton()->isHidden());

    console.bannerButton()->click();
    QVERIFY(gateway.isRunning());
    QVERIFY(
        console.urlEdit()->text().startsWith(gateway.httpBaseUrl()));   // moved to the real port
    TryItResponse response;
    QVERIFY(waitForResponse(console, &response));
    QCOMPARE(response.status, 200);
    QVERIFY(console.bannerText().isEmpty());
    gateway.engine()->stopAndWait();
}

void tst_TryItConsole::historyRestoresARequest()
{
    TryItConsole console;
    HistoryEntry entry;
    entry.request.method = QStringLiteral("PUT");
    entry.request.url = QStringLiteral("http://127.0.0.1:9/things/3?x=1");
    entry.request.headers = {{QStringLiteral("X-Trace"), QStringLiteral("abc")}};
    entry.request.body = "{\"a\": 1}";
    entry.request.contentType = QStringLiteral("application/json");
    entry.status = 204;
    for (int i = 0; i < RequestHistory::kMaxEntries + 5; ++i)
        console.history()->add(entry);
    QCOMPARE(console.history()->entries().size(), RequestHistory::kMaxEntries);

    RequestHistory reloaded;   // what the next session sees
    reloaded.load();
    QCOMPARE(reloaded.entries().size(), RequestHistory::kMaxEntries);
    QCOMPARE(reloaded.entries().first().request.url, entry.request.url);

    QListWidget *list = console.historyList();
    QCOMPARE(list->count(), RequestHistory::kMaxEntries);
    QVERIFY2(list->item(0)->text().startsWith(QStringLiteral("PUT /things/3?x=1")),
             qPrintable(list->item(0)->text()));
    emit list->itemClicked(list->item(0));
    QCOMPARE(console.methodBox()->currentText(), QStringLiteral("PUT"));
    QCOMPARE(console.urlEdit()->text(), entry.request.url);
    QCOMPARE(console.queryTable()->items(),
             (NameValueList{{QStringLiteral("x"), QStringLiteral("1")}}));
    QCOMPARE(console.headersTable()->items(), entry.request.headers);
    QCOMPARE(console.bodyEditor()->toPlainText(), QStringLiteral("{\"a\": 1}"));
}

QTEST_MAIN(tst_TryItConsole)
#include "tst_tryitconsole.moc"
