// GrpcCall: one gRPC call over cleartext HTTP/2 (h2c, prior knowledge) to the embedded gateway,
// on the core's Http2ClientSession: the request messages framed and sent, response messages
// reported as they arrive, then the status and trailers. QNetworkAccessManager cannot read
// trailers, which gRPC needs for its status.
#pragma once

#include "http/http2clientsession.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>

#include <chrono>
#include <memory>

class QTcpSocket;
class QTimer;

namespace Gatehouse {

using GrpcFields = QList<QPair<QByteArray, QByteArray>>;

struct GrpcOutcome
{
    int grpcStatus = -1;     // -1: no status arrived (see error)
    QString grpcMessage;
    int httpStatus = 0;
    GrpcFields headers;
    GrpcFields trailers;
    int messages = 0;
    QString error;           // a failure of the call itself (connection, protocol, deadline)
};

class GrpcCall : public QObject, private Http2ClientHandler
{
    Q_OBJECT
public:
    explicit GrpcCall(QObject *parent = nullptr);
    ~GrpcCall() override;

    // Calls `path` ("/pkg.Service/Method") on host:port with each of `messages` (serialized) as a
    // request message, `metadata` as extra header fields (names are lowercased). One call at a
    // time: a running one is cancelled first.
    void start(const QString &host, quint16 port, const QByteArray &path, const GrpcFields &metadata,
               const QList<QByteArray> &messages, std::chrono::milliseconds deadline);
    void cancel();
    bool isRunning() const { return m_running; }

    static constexpr qint64 kMaxMessageBytes = 16 * 1024 * 1024;

signals:
    void headersReceived(const Gatehouse::GrpcFields &headers, int httpStatus);
    void messageReceived(const QByteArray &message);
    void finished(const Gatehouse::GrpcOutcome &outcome);

private:
    void http2ResponseField(qint32 stream, QByteArrayView name, QByteArrayView value) override;
    void http2ResponseHeadersComplete(qint32 stream, Http2HeadKind kind, int status, bool endStream) override;
    void http2ResponseData(qint32 stream, QByteArrayView data) override;
    void http2ResponseEnd(qint32 stream) override;
    void http2StreamClosed(qint32 stream, quint32 errorCode) override;
    qint64 http2RequestBody(qint32 stream, std::span<char> buffer, bool &end) override;
    void http2GoAway(qint32 lastStream, quint32 errorCode) override;

    void connected();
    void readable();
    void flush();
    void finish(const QString &error = {});
    static QString statusFrom(const GrpcFields &fields, int *status);

    QTcpSocket *m_socket = nullptr;
    QTimer *m_deadline;
    std::unique_ptr<Http2ClientSession> m_session;
    QByteArray m_authority;
    QByteArray m_path;
    GrpcFields m_metadata;
    std::chrono::milliseconds m_timeout{0};
    QByteArray m_body;          // framed request messages
    qsizetype m_sent = 0;
    qint32 m_stream = -1;
    GrpcFields m_block;         // the header block being received
    QByteArray m_pending;       // response bytes not yet a whole message
    GrpcOutcome m_outcome;
    bool m_running = false;
    bool m_finishing = false;
};

} // namespace Gatehouse
