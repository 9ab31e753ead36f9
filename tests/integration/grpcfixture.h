// The peers of the gRPC proxy tests (tst_grpc, tst_grpccancel, tst_grpcwebproxy): a
// python3-grpcio server implementing the interop TestService (grpc/testing/test.proto) and a
// Probe service (grpcinterop.py), an upstream that resets every stream (H2TestUpstream), and
// gatehoused in front with the interop services open, a JWT service with a method scope, a slow,
// a throttled and a down service; raw HTTP/2 calls through the gateway's own HTTP/2 client code.
#pragma once

#include "h2testupstream.h"
#include "testgateway.h"

#include "proxy/http2upstreampool.h"

#include <QProcess>

#include <openssl/evp.h>

#include <cstring>
#include <memory>

namespace Gatehouse::Test {

QString grpcProtoCorpus();   // ../shared/corpus/proto/grpc-proto

// A unary gRPC call as raw HTTP/2 frames: what the gateway answered, field by field.
class RawCall final : public Http2UpstreamHandler
{
public:
    Http2UpstreamConnection *connection = nullptr;
    qint32 stream = -1;
    int status = 0;
    bool headEndedStream = false;
    FieldPairs head;
    FieldPairs trailers;
    QByteArray body;
    QByteArray request;
    qsizetype sent = 0;
    bool holdOpen = false;   // the request body never ends
    bool complete = false;
    bool failed = false;
    quint32 resetCode = 0;

    void h2UpstreamHead(int s, const Http1FieldList &fields, bool endStream) override
    {
        status = s;
        headEndedStream = endStream;
        for (const Http1Field &f : fields)
            head.append({f.name.toByteArray(), f.value.toByteArray()});
    }
    void h2UpstreamData(QByteArrayView data) override
    {
        body.append(data.data(), data.size());
        connection->consume(stream, data.size());
    }
    void h2UpstreamComplete(const Http1FieldList &fields) override
    {
        for (const Http1Field &f : fields)
            trailers.append({f.name.toByteArray(), f.value.toByteArray()});
        complete = true;
    }
    void h2UpstreamFailed(UpstreamFailure, quint32 errorCode, bool) override
    {
        failed = true;
        resetCode = errorCode;
    }
    qint64 h2UpstreamRequestBody(std::span<char> buffer, bool &end) override
    {
        const qint64 n = std::min<qint64>(qint64(buffer.size()), request.size() - sent);
        std::memcpy(buffer.data(), request.constData() + sent, size_t(n));
        sent += n;
        if (holdOpen && n == 0)
            return -1;
        end = !holdOpen && sent == request.size();
        return n;
    }
    // grpc-status from the trailers, or from the head of a trailers-only answer.
    QByteArray grpcStatus() const
    {
        const QByteArray t = fieldValue(trailers, "grpc-status");
        return t.isNull() ? fieldValue(head, "grpc-status") : t;
    }
};


class GrpcPeers
{
public:
    ~GrpcPeers() { stop(); }
    // Why the tests cannot run here (a missing python3 module), or empty.
    static QString missing();
    // Starts every peer; a failure is a failed QVERIFY (check QTest::currentTestFailed()).
    void start();
    void stop();

    QByteArray mint(const QString &scope);   // a JWT of the "py" issuer with this scope
    // A raw call through the gateway until it completes or fails (30 s hang guard).
    bool runCall(RawCall &call, QByteArrayView path, const QList<Http1Field> &fields);
    // Straight to the interop server's Probe: "active=N cancelled=M".
    QByteArray probeStats();
    // A raw call's connection to the gateway.
    Http2UpstreamConnection *gatewayConnection();

    GatewayUnderTest &gateway() { return *m_gateway; }
    const QByteArray &token() const { return m_token; }   // scope "echo:read"
    const QString &python() const { return m_python; }
    const QString &script() const { return m_script; }
    H2TestUpstream &resetter() { return m_resetter; }
    H2TestUpstream &drainer() { return m_drainer; }   // GoAwayService's upstream

private:
    QString m_python = QStringLiteral("/usr/bin/python3");
    QString m_script;
    QProcess m_server;
    quint16 m_serverPort = 0;
    TestProject m_project;
    std::unique_ptr<GatewayUnderTest> m_gateway;
    std::shared_ptr<EVP_PKEY> m_issuerKey;
    QByteArray m_token;
    std::unique_ptr<Http2UpstreamPool> m_client;
    H2TestUpstream m_resetter;   // resets every stream with CANCEL
    H2TestUpstream m_drainer;    // holds requests and sends GOAWAY when a test says so
};

} // namespace Gatehouse::Test
