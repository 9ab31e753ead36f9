// GrpcCall: a QTcpSocket carrying one Http2ClientSession with one stream; gRPC's length-prefixed
// messages framed and unframed here; the status from the trailers (or a trailers-only head).
#include "grpccall.h"

#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <cstring>

namespace Gatehouse {

namespace {

QByteArray framed(const QByteArray &message)
{
    QByteArray out(5, '\0');
    const quint32 size = quint32(message.size());
    out[1] = char(size >> 24);
    out[2] = char(size >> 16);
    out[3] = char(size >> 8);
    out[4] = char(size);
    return out + message;
}

} // namespace

GrpcCall::GrpcCall(QObject *parent) : QObject(parent), m_deadline(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        if (m_session && m_stream > 0) {
            m_session->resetStream(m_stream, Http2ClientSession::kCancel);
            flush();
        }
        finish(tr("No answer within the deadline of %1 ms").arg(m_timeout.count()));
    });
}

GrpcCall::~GrpcCall()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void GrpcCall::start(const QString &host, quint16 port, const QByteArray &path, const GrpcFields &metadata,
                     const QList<QByteArray> &messages, std::chrono::milliseconds deadline)
{
    if (m_running)
        cancel();
    m_outcome = GrpcOutcome();
    m_body.clear();
    for (const QByteArray &m : messages)
        m_body += framed(m);
    m_sent = 0;
    m_stream = -1;
    m_block.clear();
    m_pending.clear();
    m_path = path;
    m_metadata = metadata;
    m_timeout = deadline;
    m_authority = (host + u':' + QString::number(port)).toUtf8();
    m_running = true;
    m_finishing = false;
    m_session = std::make_unique<Http2ClientSession>(static_cast<Http2ClientHandler *>(this), Http2ClientLimits());
    delete m_socket;
    m_socket = new QTcpSocket(this);
    connect(m_socket, &QTcpSocket::connected, this, &GrpcCall::connected);
    connect(m_socket, &QTcpSocket::readyRead, this, &GrpcCall::readable);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        finish(tr("Connection to %1 failed: %2").arg(QString::fromUtf8(m_authority), m_socket->errorString()));
    });
    if (deadline.count() > 0)
        m_deadline->start(deadline);
    m_socket->connectToHost(host, port);
}

void GrpcCall::cancel()
{
    if (!m_running)
        return;
    if (m_session && m_stream > 0) {
        m_session->resetStream(m_stream, Http2ClientSession::kCancel);
        flush();
    }
    finish(tr("Cancelled"));
}

void GrpcCall::connected()
{
    if (!m_session->start())
        return finish(tr("The HTTP/2 session could not be created"));
    GrpcFields fields{{"content-type", "application/grpc"}, {"te", "trailers"},
                      {"user-agent", "gatehouse-workbench"}};
    if (m_timeout.count() > 0)
        fields.append({"grpc-timeout", QByteArray::number(m_timeout.count()) + 'm'});
    for (const auto &[name, value] : m_metadata)
        fields.append({name.toLower(), value});
    QVarLengthArray<Http1Field, 16> views;
    for (const auto &[name, value] : fields)
        views.append({name, value});
    m_stream = m_session->submitRequest("POST", "http", m_authority, m_path,
                                        {views.constData(), size_t(views.size())}, true);
    if (m_stream < 0)
        return finish(tr("The request was refused before it was sent (a metadata name or value "
                         "HTTP/2 does not allow)"));
    flush();
}

void GrpcCall::readable()
{
    if (!m_session)
        return;
    const QByteArray bytes = m_socket->readAll();
    const bool ok = m_session->receive(bytes);
    flush();
    if (!ok)
        finish(tr("The gateway broke the HTTP/2 protocol"));
}

void GrpcCall::flush()
{
    if (!m_session || !m_socket)
        return;
    for (QByteArrayView out = m_session->nextOutput(); !out.isEmpty(); out = m_session->nextOutput())
        m_socket->write(out.data(), out.size());
}

// After finish() the session may still report what the same receive() held: ignored.
void GrpcCall::http2ResponseField(qint32, QByteArrayView name, QByteArrayView value)
{
    if (!m_running)
        return;
    m_block.append({name.toByteArray(), value.toByteArray()});
}

void GrpcCall::http2ResponseHeadersComplete(qint32, Http2HeadKind kind, int status, bool endStream)
{
    if (!m_running)
        return;
    GrpcFields block = std::exchange(m_block, {});
    block.removeIf([](const QPair<QByteArray, QByteArray> &f) { return f.first.startsWith(':'); });
    if (kind == Http2HeadKind::Interim)
        return;
    if (kind == Http2HeadKind::Final) {
        m_outcome.httpStatus = status;
        m_outcome.headers = block;
        emit headersReceived(block, status);
        if (!endStream)
            return;   // a trailers-only answer carries its status here
    }
    m_outcome.trailers = block;
    m_outcome.grpcMessage = statusFrom(block, &m_outcome.grpcStatus);
}

void GrpcCall::http2ResponseData(qint32 stream, QByteArrayView data)
{
    if (!m_running)
        return;
    m_pending.append(data.data(), data.size());
    m_session->consume(stream, data.size());
    while (m_pending.size() >= 5) {
        const auto *p = reinterpret_cast<const uchar *>(m_pending.constData());
        const qint64 size = (qint64(p[1]) << 24) | (qint64(p[2]) << 16) | (qint64(p[3]) << 8) | qint64(p[4]);
        if (p[0] != 0) {
            m_session->resetStream(stream, Http2ClientSession::kCancel);
            return finish(tr("A compressed response message arrived; the workbench asked for none"));
        }
        if (size > kMaxMessageBytes) {
            m_session->resetStream(stream, Http2ClientSession::kCancel);
            return finish(tr("A response message of %1 bytes is over the workbench's limit").arg(size));
        }
        if (m_pending.size() < 5 + size)
            break;
        ++m_outcome.messages;
        emit messageReceived(m_pending.mid(5, size));
        m_pending.remove(0, 5 + size);
    }
}

void GrpcCall::http2ResponseEnd(qint32) {}

void GrpcCall::http2StreamClosed(qint32, quint32 errorCode)
{
    if (!m_running)
        return;
    if (m_outcome.grpcStatus < 0) {
        if (errorCode != 0)
            return finish(tr("The stream was reset (HTTP/2 error %1) before a status arrived").arg(errorCode));
        if (m_outcome.httpStatus != 200)
            return finish(tr("HTTP %1 without a gRPC status").arg(m_outcome.httpStatus));
        return finish(tr("The call ended without a gRPC status"));
    }
    if (!m_pending.isEmpty())
        return finish(tr("The response ended inside a message"));
    finish();
}

qint64 GrpcCall::http2RequestBody(qint32, std::span<char> buffer, bool &end)
{
    if (!m_running) {
        end = true;
        return 0;
    }
    const qint64 n = qMin(qint64(buffer.size()), qint64(m_body.size() - m_sent));
    std::memcpy(buffer.data(), m_body.constData() + m_sent, size_t(n));
    m_sent += n;
    end = m_sent == m_body.size();
    return n;
}

void GrpcCall::http2GoAway(qint32 lastStream, quint32)
{
    if (m_stream > lastStream)
        finish(tr("The gateway is shutting down and did not take the call"));
}

QString GrpcCall::statusFrom(const GrpcFields &fields, int *status)
{
    QString message;
    for (const auto &[name, value] : fields) {
        if (name == "grpc-status") {
            bool ok = false;
            const int code = value.toInt(&ok);
            *status = ok ? code : -1;
        } else if (name == "grpc-message") {
            message = QUrl::fromPercentEncoding(value);
        }
    }
    return message;
}

void GrpcCall::finish(const QString &error)
{
    if (!m_running || m_finishing)
        return;
    m_finishing = true;
    m_running = false;
    m_deadline->stop();
    if (!error.isEmpty())
        m_outcome.error = error;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    // The session may be inside one of its callbacks right now: release it afterwards.
    QTimer::singleShot(0, this, [session = std::shared_ptr<Http2ClientSession>(m_session.release())] {});
    emit finished(m_outcome);
}

} // namespace Gatehouse
