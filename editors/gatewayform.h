// GatewayForm: the gateway side of the API or operation under the cursor of an OpenAPI editor
// (base path, endpoints, security, scopes, throttling tier, disable-security), written back into
// the document text as one undoable edit.
#pragma once

#include <QJsonValue>
#include <QPointer>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QJsonArray;

namespace Gatehouse {

class CodeEditor;
class OpenApiLiveParser;
class PolicyListEditor;

class GatewayForm : public QWidget
{
    Q_OBJECT
public:
    // What the security requirement of the target is set to.
    enum class SecurityMode {
        Unset = 1,   // no `security` key: an operation inherits the API's; the API is open
        Open,        // `security: []`
        Schemes,     // any one of the checked schemes (an OR)
        AsWritten,   // a requirement the form cannot show (an AND of schemes): left alone
    };

    explicit GatewayForm(QWidget *parent = nullptr);

    // Follows the editor's OpenApiLiveParser; without one (not an API file) the form is disabled.
    void setEditor(CodeEditor *editor);
    CodeEditor *editor() const { return m_editor; }
    // The tiers the project defines (gatehouse.yaml), offered in the tier list.
    void setTiers(const QStringList &tiers);
    // The operation to edit ("GET", "/pets"); an empty method selects the whole API. Unapplied
    // changes to the previous target are dropped.
    void setOperation(const QString &method, const QString &pathTemplate);
    QString method() const { return m_method; }
    QString pathTemplate() const { return m_path; }

    // Writes the changed fields into the editor's text as one edit block (one undo step). Returns
    // false, with the reason shown in the form, when the text cannot be edited there.
    bool apply();
    void revert();   // the fields back to what the text says
    bool isDirty() const { return m_dirty; }
    QString errorText() const;

    // The fields, for tests and for keyboard users who want to know.
    QLineEdit *basePathEdit() const { return m_basePath; }
    QPlainTextEdit *endpointsEdit() const { return m_endpoints; }
    QComboBox *strategyBox() const { return m_strategy; }
    QComboBox *securityBox() const { return m_security; }
    QListWidget *schemeList() const { return m_schemes; }
    QLineEdit *scopesEdit() const { return m_scopes; }
    QComboBox *tierBox() const { return m_tier; }
    QCheckBox *disableSecurityBox() const { return m_disableSecurity; }
    PolicyListEditor *requestPoliciesEditor() const { return m_requestPolicies; }
    PolicyListEditor *responsePoliciesEditor() const { return m_responsePolicies; }

signals:
    void applied();

private:
    struct Values
    {
        QString basePath;
        QStringList urls;
        QString strategy;   // "", "load_balance", "failover"
        SecurityMode security = SecurityMode::Unset;
        QJsonValue securityValue;   // as written, for AsWritten and to keep each scheme's scopes
        QStringList schemes;        // checked, in order
        QStringList scopes;
        QString tier;
        bool disableSecurity = false;
        QJsonValue requestPolicies;    // arrays of {name, settings}
        QJsonValue responsePolicies;
        friend bool operator==(const Values &, const Values &) = default;
    };
    void reload();             // from the last parse, unless the user has unapplied changes
    void show(const Values &values, const QStringList &allSchemes);
    Values fromFields() const;
    Values fromDocument(QStringList *allSchemes) const;
    QStringList ownerPath() const;
    QJsonValue securityJson(const Values &values) const;
    void setDirty(bool dirty);
    void updateEnabled();

    QPointer<CodeEditor> m_editor;
    QPointer<OpenApiLiveParser> m_parser;
    QMetaObject::Connection m_parserConnection;
    QString m_method;
    QString m_path;
    QStringList m_tiers;
    Values m_loaded;
    bool m_dirty = false;
    bool m_filling = false;

    QLabel *m_title;
    QLineEdit *m_basePath;
    QPlainTextEdit *m_endpoints;
    QComboBox *m_strategy;
    QComboBox *m_security;
    QListWidget *m_schemes;
    QLineEdit *m_scopes;
    QComboBox *m_tier;
    QCheckBox *m_disableSecurity;
    PolicyListEditor *m_requestPolicies;
    PolicyListEditor *m_responsePolicies;
    QLabel *m_error;
    QPushButton *m_apply;
    QPushButton *m_revert;
};

} // namespace Gatehouse
