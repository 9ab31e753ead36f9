// GrpcTryIt: the gRPC side of Try it. Pick a method of the project's protos, edit its request as
// JSON (a template of the input message to start from; a JSON array sends several messages to a
// client-streaming method), add metadata, call it through the embedded gateway, and read the
// response messages as JSON as they arrive, then the status and the trailers.
#pragma once

#include "grpccall.h"
#include "grpcmessages.h"

#include "project/project.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace Gatehouse {

class GatewayController;

class GrpcTryIt : public QWidget
{
    Q_OBJECT
public:
    explicit GrpcTryIt(QWidget *parent = nullptr);

    void setProject(const Project &project);   // its methods, and its message types
    void setGateway(GatewayController *gateway);
    // Selects "pkg.Service/Method" and puts the template of its input into the editor.
    bool selectMethod(const QString &serviceAndMethod);

    // Sends the edited request; false (with the reason shown) when it cannot be sent.
    bool send();
    void cancel();

    QComboBox *methodBox() const { return m_method; }
    QPlainTextEdit *requestEdit() const { return m_request; }
    QPlainTextEdit *metadataEdit() const { return m_metadata; }
    QPlainTextEdit *responseView() const { return m_response; }
    QLabel *statusLabel() const { return m_status; }
    GrpcCall *call() const { return m_call; }
    const QStringList &receivedMessages() const { return m_received; }   // JSON, in order

signals:
    void finished(const Gatehouse::GrpcOutcome &outcome);

private:
    struct Method
    {
        QString path;          // "/pkg.Service/Method"
        QString input;
        QString output;
        bool clientStreaming = false;
        bool serverStreaming = false;
    };
    void methodChanged();
    void showOutcome(const GrpcOutcome &outcome);
    void fail(const QString &text);

    QList<Method> m_methods;
    std::optional<GrpcMessages> m_types;
    QString m_typesError;
    QPointer<GatewayController> m_gateway;
    GrpcCall *m_call;
    QStringList m_received;
    QElapsedTimer m_clock;
    QComboBox *m_method;
    QLabel *m_kind;
    QPlainTextEdit *m_request;
    QPlainTextEdit *m_metadata;
    QPushButton *m_send;
    QPushButton *m_cancel;
    QLabel *m_status;
    QPlainTextEdit *m_response;
};

} // namespace Gatehouse
