// PolicySampleRun: "Run on a sample request" — the user edits a sample request (method, path,
// headers, body) and what the upstream answers, runs the route's policy chain on them in-process
// (runPolicySandbox, no network), and sees the request the upstream would get, the response the
// client would get, and any error.
#pragma once

#include "policies/registry/policysandbox.h"

#include <QJsonArray>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace Gatehouse {

class PolicySampleRun : public QWidget
{
    Q_OBJECT
public:
    explicit PolicySampleRun(QWidget *parent = nullptr);

    // The route and policies to run; its request and upstreamResponse fill the sample fields.
    void setContext(const PolicySandboxInput &context);
    // Runs the chain on the fields as edited and shows the outcome. A sample the fields cannot
    // express (a header line without ':') is refused with the line named, and nothing runs.
    PolicySandboxResult run();

    // The context for the policies of an API (empty `method`) or of one of its operations as
    // listed in a form: an operation's run after the API's request policies and before the
    // API's response policies, as on the route. A JSON sample request and a 200 JSON answer.
    static PolicySandboxInput contextFor(const ApiSpec *api, const QString &projectDir,
                                         const QString &method, const QString &pathTemplate,
                                         const QJsonArray &requestPolicies,
                                         const QJsonArray &responsePolicies);
    // A dialog with this widget for `context`, run once at start; deleted when closed.
    static PolicySampleRun *openDialog(QWidget *parent, const PolicySandboxInput &context);

    QComboBox *methodBox() const { return m_method; }
    QLineEdit *pathEdit() const { return m_path; }
    QPlainTextEdit *requestHeadersEdit() const { return m_requestHeaders; }
    QPlainTextEdit *requestBodyEdit() const { return m_requestBody; }
    QSpinBox *statusBox() const { return m_status; }
    QPlainTextEdit *responseHeadersEdit() const { return m_responseHeaders; }
    QPlainTextEdit *responseBodyEdit() const { return m_responseBody; }
    QPlainTextEdit *upstreamRequestView() const { return m_upstreamView; }
    QPlainTextEdit *clientResponseView() const { return m_clientView; }
    QString message() const;   // the error or note shown above the results; empty when none

private:
    void showMessage(const QString &text, bool error);

    PolicySandboxInput m_context;
    QComboBox *m_method;
    QLineEdit *m_path;
    QPlainTextEdit *m_requestHeaders;
    QPlainTextEdit *m_requestBody;
    QSpinBox *m_status;
    QPlainTextEdit *m_responseHeaders;
    QPlainTextEdit *m_responseBody;
    QPlainTextEdit *m_upstreamView;
    QPlainTextEdit *m_clientView;
    QLabel *m_message;
    QLabel *m_chain;
};

} // namespace Gatehouse
