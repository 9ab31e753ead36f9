// A tiny OTLP/HTTP collector for tests: a QTcpServer on a free loopback port that keeps every
// POST it receives (head and body) and answers with scripted statuses (then 200), plus the OTLP
// protos of the shared corpus loaded at run time to check bodies against ExportTraceServiceRequest.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>

#include <memory>
#include <string>

namespace Gatehouse::Test {

struct CollectedRequest
{
    QByteArray head;   // request line and fields
    QByteArray body;
    QByteArray header(QByteArrayView name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.sliced(colon + 1).trimmed();
        }
        return {};
    }
};

class OtlpCollector : public QObject
{
public:
    OtlpCollector()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onRead(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QByteArray url() const { return "http://127.0.0.1:" + QByteArray::number(port()) + "/v1/traces"; }
    // Statuses of the next answers, in order ("503 Service Unavailable"); 200 afterwards.
    void script(QList<QByteArray> statuses) { m_script = std::move(statuses); }
    const QList<CollectedRequest> &requests() const { return m_requests; }
    int accepted() const { return m_accepted; }   // requests answered 200

private:
    void onRead(QTcpSocket *s)
    {
        QByteArray &buffer = m_buffers[s];
        buffer += s->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            CollectedRequest r;
            r.head = buffer.first(end);
            const qsizetype length = r.header("content-length").toLongLong();
            if (buffer.size() < end + 4 + length)
                return;
            r.body = buffer.mid(end + 4, length);
            buffer.remove(0, end + 4 + length);
            m_requests.append(r);
            const QByteArray status = m_script.isEmpty() ? QByteArray("200 OK") : m_script.takeFirst();
            if (status.startsWith("200"))
                ++m_accepted;
            const QByteArray body = status.startsWith("200") ? QByteArray("{}") : QByteArray("{\"message\":\"no\"}");
            s->write("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
                     + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        }
    }

    QTcpServer m_server{this};   // a child: moveToThread() takes it along
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<QByteArray> m_script;
    QList<CollectedRequest> m_requests;
    int m_accepted = 0;
};

// opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest from the corpus' .proto files.
class OtlpProtos
{
public:
    explicit OtlpProtos(const QString &protoRoot)
    {
        m_tree.MapPath("", protoRoot.toStdString());
        m_importer = std::make_unique<google::protobuf::compiler::Importer>(&m_tree, &m_errors);
        m_file = m_importer->Import("opentelemetry/proto/collector/trace/v1/trace_service.proto");
    }
    bool isValid() const { return m_file != nullptr; }
    QString errors() const { return QString::fromStdString(m_errors.text); }

    // Parses OTLP/JSON into a fresh request message; empty error on success.
    std::unique_ptr<google::protobuf::Message> parse(const QByteArray &json, QString &error)
    {
        const auto *type = m_importer->pool()->FindMessageTypeByName(
            "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
        if (!type) {
            error = QStringLiteral("ExportTraceServiceRequest not found");
            return nullptr;
        }
        std::unique_ptr<google::protobuf::Message> message(m_factory.GetPrototype(type)->New());
        google::protobuf::util::JsonParseOptions options;
        options.ignore_unknown_fields = false;   // a misspelt field must fail the test
        const auto status = google::protobuf::util::JsonStringToMessage(json.toStdString(), message.get(), options);
        if (!status.ok()) {
            error = QString::fromStdString(std::string(status.message()));
            return nullptr;
        }
        return message;
    }

    // The message back as canonical proto3 JSON (for comparisons).
    static QByteArray toJson(const google::protobuf::Message &message)
    {
        std::string out;
        google::protobuf::util::JsonPrintOptions options;
        (void)google::protobuf::util::MessageToJsonString(message, &out, options);
        return QByteArray::fromStdString(out);
    }

private:
    struct Errors : google::protobuf::compiler::MultiFileErrorCollector
    {
        void AddError(const std::string &file, int line, int column, const std::string &message) override
        {
            text += file + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message + "\n";
        }
        std::string text;
    };
    google::protobuf::compiler::DiskSourceTree m_tree;
    Errors m_errors;
    std::unique_ptr<google::protobuf::compiler::Importer> m_importer;
    const google::protobuf::FileDescriptor *m_file = nullptr;
    google::protobuf::DynamicMessageFactory m_factory;
};

} // namespace Gatehouse::Test
