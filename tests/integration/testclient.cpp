// Client side of the integration tests: raw HTTP/1.1 connections, event-loop waits, processes, /proc.
#include "testclient.h"

#include "http/http1parser.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSslConfiguration>
#include <QSslSocket>

#include <csignal>

#include <sys/prctl.h>
#include <QTcpServer>
#include <QTimer>

#include <sys/socket.h>

namespace Gatehouse::Test {

bool waitUntil(const std::function<bool()> &predicate, int timeoutMs)
{
    if (predicate())
        return true;
    const QDeadlineTimer deadline(timeoutMs);
    QTimer wake;   // bounds each blocking wait of the dispatcher
    wake.start(20);
    while (!deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        if (predicate())
            return true;
    }
    return predicate();
}

void spin(int ms)
{
    const QDeadlineTimer deadline(ms);
    waitUntil([&] { return deadline.hasExpired(); }, ms + 1000);
}

QByteArray basicAuthorization(const QByteArray &user, const QByteArray &password)
{
    return "Basic " + (user + ':' + password).toBase64();
}

QByteArray fieldValue(const FieldPairs &fields, QByteArrayView name)
{
    for (const auto &f : fields) {
        if (httpEqualsIgnoreCase(f.first, name))
            return f.second.isNull() ? QByteArray("") : f.second;
    }
    return {};
}

int fieldCount(const FieldPairs &fields, QByteArrayView name)
{
    int n = 0;
    for (const auto &f : fields)
        n += httpEqualsIgnoreCase(f.first, name) ? 1 : 0;
    return n;
}

QJsonObject HttpResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString HttpResponse::describe() const
{
    QString s = QStringLiteral("%1 %2").arg(status).arg(QString::fromLatin1(reason));
    if (complete)
        s += QStringLiteral(", complete");
    if (closed)
        s += QStringLiteral(", connection closed");
    if (timedOut)
        s += QStringLiteral(", timed out");
    if (parseError)
        s += QStringLiteral(", unparseable (%1)").arg(QString::fromLatin1(parseErrorReason));
    s += QStringLiteral(", %1 fields, %2-byte body").arg(headers.size()).arg(body.size());
    if (!body.isEmpty())
        s += QStringLiteral(": ") + QString::fromLatin1(body.left(300));
    return s;
}

HttpConnection::HttpConnection() : m_parser(std::make_unique<Http1Parser>(Http1Role::Response)) {}

HttpConnection::~HttpConnection()
{
    if (m_socket)
        m_socket->abort();
}

bool HttpConnection::connectTo(quint16 port, bool tls, const QList<QByteArray> &alpn, int timeoutMs)
{
    m_buffer.clear();
    m_eof = false;
    m_parser = std::make_unique<Http1Parser>(Http1Role::Response);
    if (tls) {
        auto *ssl = new QSslSocket;
        QSslConfiguration c = QSslConfiguration::defaultConfiguration();
        c.setPeerVerifyMode(QSslSocket::VerifyNone);
        if (!alpn.isEmpty())
            c.setAllowedNextProtocols(alpn);
        ssl->setSslConfiguration(c);
        m_socket.reset(ssl);
        ssl->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        return waitUntil([ssl] { return ssl->isEncrypted() || ssl->state() == QAbstractSocket::UnconnectedState; },
                         timeoutMs)
               && ssl->isEncrypted();
    }
    m_socket = std::make_unique<QTcpSocket>();
    m_socket->connectToHost(QHostAddress::LocalHost, port);
    QTcpSocket *s = m_socket.get();
    return waitUntil([s] { return s->state() == QAbstractSocket::ConnectedState
                                  || s->state() == QAbstractSocket::UnconnectedState; },
                     timeoutMs)
           && s->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::write(QByteArrayView bytes)
{
    m_socket->write(bytes.data(), bytes.size());
}

bool HttpConnection::writeAndFlush(QByteArrayView bytes, int timeoutMs)
{
    write(bytes);
    QTcpSocket *s = m_socket.get();
    return waitUntil([s] { return s->bytesToWrite() == 0 || s->state() != QAbstractSocket::ConnectedState; },
                     timeoutMs)
           && s->bytesToWrite() == 0;
}

bool HttpConnection::readMore(int timeoutMs)
{
    QTcpSocket *s = m_socket.get();
    if (!s || m_eof)
        return false;
    waitUntil([s] { return s->bytesAvailable() > 0 || s->state() == QAbstractSocket::UnconnectedState; },
              timeoutMs);
    if (s->bytesAvailable() > 0) {
        m_buffer += s->readAll();
        return true;
    }
    if (s->state() == QAbstractSocket::UnconnectedState) {
        m_eof = true;
        return true;
    }
    return false;
}

HttpResponse HttpConnection::readResponse(QByteArrayView method, int timeoutMs)
{
    HttpResponse r;
    if (!m_socket)
        return r;
    HttpMethod m = HttpMethod::Get;
    if (!httpMethodIsKnown(method, &m))
        m = HttpMethod::Get;
    m_parser->setRequestMethod(m);
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const Http1Step step = m_buffer.isEmpty() && m_eof ? m_parser->finish() : m_parser->next(m_buffer);
        switch (step.event) {
        case Http1Event::NeedData:
            m_buffer.remove(0, step.consumed);
            if (m_eof) {
                r.closed = true;
                return r;
            }
            if (!readMore(int(deadline.remainingTime()))) {
                r.timedOut = true;
                return r;
            }
            continue;
        case Http1Event::Head: {
            const Http1Head &h = m_parser->head();
            if (h.isInterim()) {
                r.interim.append(h.statusCode);
                break;
            }
            r.status = h.statusCode;
            r.reason = h.reason.toByteArray();
            r.version = h.version == HttpVersion::Http10 ? "HTTP/1.0" : "HTTP/1.1";
            r.chunked = h.framing == Http1Framing::Chunked;
            for (const Http1Field &f : h.headers)
                r.headers.append({f.name.toByteArray(), f.value.toByteArray()});
            break;
        }
        case Http1Event::Body:
            r.body += step.data;
            break;
        case Http1Event::MessageComplete:
        case Http1Event::Paused:
            if (r.status == 0 && step.event == Http1Event::MessageComplete) {
                m_buffer.remove(0, step.consumed);   // the end of an interim response
                continue;
            }
            for (const Http1Field &f : m_parser->trailers())
                r.trailers.append({f.name.toByteArray(), f.value.toByteArray()});
            m_buffer.remove(0, step.consumed);
            r.complete = true;
            r.closed = m_eof && m_buffer.isEmpty();
            return r;
        case Http1Event::Error:
            r.parseError = true;
            r.parseErrorReason = m_parser->error().reason;
            r.closed = m_eof;
            return r;
        }
        m_buffer.remove(0, step.consumed);
    }
}

bool HttpConnection::waitForClosed(int timeoutMs)
{
    QTcpSocket *s = m_socket.get();
    if (!s)
        return true;
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_eof && !deadline.hasExpired()) {
        if (readMore(int(deadline.remainingTime())))
            m_buffer.clear();
    }
    return m_eof;
}

QByteArray HttpConnection::readUntilClosed(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_eof && !deadline.hasExpired())
        readMore(int(deadline.remainingTime()));
    QByteArray all = m_buffer;
    m_buffer.clear();
    return all;
}

bool HttpConnection::isOpen() const
{
    return m_socket && !m_eof && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::halfClose()
{
    if (m_socket) {
        m_socket->flush();
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    }
}

void HttpConnection::abort()
{
    if (m_socket)
        m_socket->abort();
    m_eof = true;
}

QByteArray HttpConnection::negotiatedAlpn() const
{
    auto *ssl = qobject_cast<QSslSocket *>(m_socket.get());
    return ssl ? ssl->sslConfiguration().nextNegotiatedProtocol() : QByteArray();
}

QByteArray requestBytes(QByteArrayView method, QByteArrayView target, const FieldPairs &headers,
                        QByteArrayView body, bool close)
{
    QByteArray out = method.toByteArray() + ' ' + target.toByteArray() + " HTTP/1.1\r\n";
    if (fieldCount(headers, "host") == 0)
        out += "Host: gateway.test\r\n";
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    if (!body.isEmpty() && fieldCount(headers, "content-length") == 0
        && fieldCount(headers, "transfer-encoding") == 0)
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n";
    out += body;
    return out;
}

HttpResponse httpRequest(quint16 port, QByteArrayView method, QByteArrayView target,
                         const FieldPairs &headers, QByteArrayView body, bool tls, int timeoutMs)
{
    HttpConnection c;
    if (!c.connectTo(port, tls, {}, timeoutMs)) {
        HttpResponse r;
        r.closed = true;
        r.parseErrorReason = "cannot connect";
        return r;
    }
    c.write(requestBytes(method, target, headers, body, true));
    return c.readResponse(method, timeoutMs);
}

QString ProcessResult::describe() const
{
    return QStringLiteral("exit %1%2\nstdout: %3\nstderr: %4")
        .arg(exitCode)
        .arg(finished ? QString() : QStringLiteral(" (killed at the hang guard)"))
        .arg(QString::fromLocal8Bit(out.left(2000)), QString::fromLocal8Bit(err.left(2000)));
}

void endsWithTest(QProcess &process)
{
    // Linux: the child gets SIGKILL when the thread that started it (the test's main thread) ends.
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

ProcessResult runProcess(const QString &program, const QStringList &arguments, int timeoutMs,
                         const QByteArray &input)
{
    ProcessResult r;
    QProcess p;
    endsWithTest(p);
    p.start(program, arguments);
    if (!waitUntil([&p] { return p.state() != QProcess::Starting; }, 10'000) || p.state() != QProcess::Running) {
        r.err = p.errorString().toLocal8Bit();
        return r;
    }
    r.started = true;
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    r.finished = waitUntil([&p] { return p.state() == QProcess::NotRunning; }, timeoutMs);
    if (!r.finished) {
        p.kill();
        p.waitForFinished(5000);
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

qint64 residentKiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &l : lines) {
        if (l.startsWith("VmRSS:"))
            return l.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

int openFileCount(qint64 pid)
{
    const QDir d(QStringLiteral("/proc/%1/fd").arg(pid));
    if (!d.exists())
        return -1;
    return int(d.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot).size());
}

QString socketsOf(qint64 pid)
{
    const ProcessResult p = runProcess(QStringLiteral("ss"), {QStringLiteral("-tanoip")}, 10'000);
    if (!p.finished)
        return QStringLiteral("(ss did not run: %1)").arg(p.describe());
    // ss prints the process after the socket line and its details on the next line.
    const QByteArray tag = "pid=" + QByteArray::number(pid) + ',';
    const QList<QByteArray> lines = p.out.split('\n');
    QString out;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (!lines[i].contains(tag))
            continue;
        out += QString::fromLatin1(lines[i].simplified()) + QLatin1Char('\n');
        if (i + 1 < lines.size() && lines[i + 1].startsWith('\t'))
            out += QStringLiteral("    ") + QString::fromLatin1(lines[i + 1].simplified()) + QLatin1Char('\n');
    }
    return out.isEmpty() ? QStringLiteral("(no TCP socket)") : out;
}

quint16 unusedPort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = s.serverPort();
    s.close();
    return port;
}

} // namespace Gatehouse::Test
