// The peers of the JSON transcoding tests (tst_transcode, tst_transcodestreaming): the python3-grpcio
// server of transcodeecho.py serving grpc-gateway's EchoService and transcode/stream_service.proto,
// gatehoused in front of it, and one REST call over HTTP/1.1 (the tests' own client), h2c by prior
// knowledge or h2 over TLS with ALPN (curl).
#pragma once

#include "testgateway.h"

#include <QList>
#include <QPair>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>

namespace Gatehouse::Test {

enum class TranscodeClient { Http11 = 1, H2c, H2 };

// Each client protocol with the words its data rows end with ("over h2c").
const QList<QPair<TranscodeClient, QByteArray>> &transcodeClients();
// A "client" column with one row per protocol.
void addTranscodeClientColumn();

struct TranscodeAnswer
{
    int status = 0;
    QByteArray contentType;
    QByteArray body;
    QByteArray version;   // "1.1" or "2", as the client saw it
    QString describe() const;
};

class TranscodeFixture
{
public:
    TranscodeFixture();
    ~TranscodeFixture();
    // Starts the echo server and gatehoused. False with `skip` set when a peer is not installed
    // (the test skips), else with `error`.
    bool start(QString &skip, QString &error);
    void stop();

    TranscodeAnswer call(TranscodeClient client, QByteArrayView method, QByteArrayView target,
                         const FieldPairs &fields = {}, const QByteArray &body = {});
    QString url(TranscodeClient client, QByteArrayView target) const;
    QString tempPath(const QString &name) const { return m_dir.filePath(name); }
    quint16 port() const { return m_gateway->httpPort(); }   // the plain listener (HTTP/1.1, h2c)

private:
    QString m_python = QStringLiteral("/usr/bin/python3");
    QProcess m_server;
    TestProject m_project;
    std::unique_ptr<GatewayUnderTest> m_gateway;
    QTemporaryDir m_dir;
};

} // namespace Gatehouse::Test

Q_DECLARE_METATYPE(Gatehouse::Test::TranscodeClient)
