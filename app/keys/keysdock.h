// KeysDock: issue API keys / JWTs from the project's issuer, list and revoke them, show the JWKS,
// and decode + verify any pasted token. Works with the gateway stopped.
#pragma once

#include "tryitmodel.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableView;

namespace Gatehouse {

class IssuedKeysModel;
class ProjectTokens;
struct IssuedKey;

class KeysDock : public QWidget
{
    Q_OBJECT
public:
    explicit KeysDock(ProjectTokens *tokens, QWidget *parent = nullptr);

    // Issues a key from the form's fields; false (with the reason in statusLabel()) on errors.
    bool issueFromForm();
    // The credential header the try-it console should send for `token`, as the form's
    // "Send as" choice says (Bearer or the project's API-key header).
    AuthSettings authFor(const QByteArray &token) const;
    void inspectText(const QString &token);

    QTabWidget *tabs() const { return m_tabs; }
    QLineEdit *subjectEdit() const { return m_subject; }
    QListWidget *scopeList() const { return m_scopes; }
    QListWidget *apiList() const { return m_apis; }
    QSpinBox *validityBox() const { return m_validity; }
    QComboBox *validityUnitBox() const { return m_validityUnit; }
    QComboBox *sendAsBox() const { return m_sendAs; }
    QPlainTextEdit *claimsEdit() const { return m_claims; }
    QPlainTextEdit *tokenView() const { return m_token; }
    QPushButton *issueButton() const { return m_issue; }
    QPushButton *useButton() const { return m_use; }
    QLabel *statusLabel() const { return m_status; }
    QTableView *keysView() const { return m_keysView; }
    IssuedKeysModel *keysModel() const { return m_model; }
    QPushButton *revokeButton() const { return m_revoke; }
    QPlainTextEdit *jwksView() const { return m_jwks; }
    QPlainTextEdit *inspectInput() const { return m_inspectInput; }
    QLabel *verdictLabel() const { return m_verdict; }
    QPlainTextEdit *headerView() const { return m_header; }
    QPlainTextEdit *claimsView() const { return m_claimsView; }

signals:
    // "Use in Try It": the console's auth helper should take these settings.
    void useInTryIt(const Gatehouse::AuthSettings &auth);
    void message(const QString &text);

private:
    QWidget *buildIssueTab();
    QWidget *buildKeysTab();
    QWidget *buildJwksTab();
    QWidget *buildInspectTab();
    void refresh();            // project changed or keys changed
    void refreshKeys();
    void copyToken(const QByteArray &token);
    QByteArray selectedToken() const;
    void revokeSelected();
    void setStatus(const QString &text, bool error);

    ProjectTokens *m_tokens;
    IssuedKeysModel *m_model;
    QTabWidget *m_tabs;
    QLineEdit *m_subject = nullptr;
    QListWidget *m_scopes = nullptr;
    QListWidget *m_apis = nullptr;
    QSpinBox *m_validity = nullptr;
    QComboBox *m_validityUnit = nullptr;
    QComboBox *m_keyType = nullptr;
    QComboBox *m_sendAs = nullptr;
    QPlainTextEdit *m_claims = nullptr;
    QPushButton *m_issue = nullptr;
    QPlainTextEdit *m_token = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_use = nullptr;
    QLabel *m_status = nullptr;
    QTableView *m_keysView = nullptr;
    QPushButton *m_revoke = nullptr;
    QPushButton *m_copySelected = nullptr;
    QPushButton *m_useSelected = nullptr;
    QPushButton *m_inspectSelected = nullptr;
    QLabel *m_ledgerLabel = nullptr;
    QPlainTextEdit *m_jwks = nullptr;
    QPlainTextEdit *m_inspectInput = nullptr;
    QLabel *m_verdict = nullptr;
    QPlainTextEdit *m_header = nullptr;
    QPlainTextEdit *m_claimsView = nullptr;
};

} // namespace Gatehouse
