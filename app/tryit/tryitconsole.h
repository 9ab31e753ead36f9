// TryItConsole: the workbench's request composer. Prefills a request from the operation selected in
// the project tree, sends it through the embedded gateway, shows the response, keeps a history.
#pragma once

#include "tryitmodel.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QShortcut;
class QTabWidget;
class QToolButton;

namespace Gatehouse {

class AuthHelper;
class CodeEditor;
class GatewayController;
class KeyValueTable;
class RequestHistory;
class ResponseView;
class TryItClient;
class UrlEdit;
struct Project;

class TryItConsole : public QWidget
{
    Q_OBJECT
public:
    explicit TryItConsole(QWidget *parent = nullptr);

    // The gateway requests go through; may be null (then URLs use the configured port and Send
    // never offers to start anything).
    void setGateway(GatewayController *gateway);
    // Remembers the project's APIs so that operations can be looked up by file, method and path.
    void setProject(const Project &project);

    // Fills the request from an operation of the project; false when it is not in the project.
    bool selectOperation(const QString &apiFile, const QString &method,
                         const QString &pathTemplate);
    void showOperation(const ApiSpec &api, const Operation &op);

    TryItRequest currentRequest() const;
    void setRequest(const TryItRequest &request);   // restores a request (history)

    void send();     // Ctrl+Enter; offers to start a stopped gateway first
    void cancel();   // Escape while a request is in flight
    bool isBusy() const;

    // The base the console puts in front of API paths: the running gateway's, else the configured one.
    QString gatewayBase() const;

    // A curl command line that sends the current request (quoted for a POSIX shell).
    QString curlCommand() const;

    UrlEdit *urlEdit() const { return m_url; }
    QComboBox *methodBox() const { return m_method; }
    KeyValueTable *queryTable() const { return m_query; }
    KeyValueTable *headersTable() const { return m_headers; }
    CodeEditor *bodyEditor() const { return m_body; }
    QComboBox *contentTypeBox() const { return m_contentType; }
    AuthHelper *authHelper() const { return m_auth; }
    ResponseView *responseView() const { return m_response; }
    QPushButton *sendButton() const { return m_send; }
    QPushButton *bannerButton() const { return m_bannerButton; }
    QString bannerText() const;   // empty when no banner is shown
    RequestHistory *history() const { return m_history; }
    QListWidget *historyList() const { return m_historyList; }
    TryItClient *client() const { return m_client; }

signals:
    void responseShown(const Gatehouse::TryItResponse &response);

private:
    QWidget *buildBodyTab();
    QWidget *buildHistoryTab();
    void showBanner(const QString &text, const QString &buttonText = {});
    void hideBanner();
    void startGatewayAndSend();
    void onFinished(const TryItResponse &response);
    void prettifyBody();
    void chooseTimeout();
    void updateSendButton();
    void refreshHistoryList();
    void rebaseUrl();
    QString configuredBase() const;

    GatewayController *m_gateway = nullptr;
    QList<ApiSpec> m_apis;
    quint16 m_configuredPort = 9090;
    QString m_usedBase;   // the base last written into the URL, replaced when the port changes

    QComboBox *m_method;
    UrlEdit *m_url;
    QPushButton *m_send;
    QToolButton *m_more;
    QShortcut *m_escape = nullptr;
    QWidget *m_banner;
    QLabel *m_bannerLabel;
    QPushButton *m_bannerButton;
    QTabWidget *m_requestTabs;
    KeyValueTable *m_query;
    KeyValueTable *m_headers;
    QComboBox *m_contentType;
    CodeEditor *m_body;
    AuthHelper *m_auth;
    QListWidget *m_historyList;
    ResponseView *m_response;
    TryItClient *m_client;
    RequestHistory *m_history;
    TryItRequest m_inFlight;
    bool m_syncing = false;
};

} // namespace Gatehouse
