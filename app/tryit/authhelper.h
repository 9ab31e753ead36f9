// AuthHelper: builds the credentials header of a try-it request (Bearer token, API key header,
// Basic user and password) and shows the header it will add. The project's issued keys that are
// still valid can be picked as the token or the key.
#pragma once

#include "issuedkeys.h"
#include "tryitmodel.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QStackedWidget;

namespace Gatehouse {

class AuthHelper : public QWidget
{
    Q_OBJECT
public:
    explicit AuthHelper(QWidget *parent = nullptr);

    AuthSettings settings() const;
    void setSettings(const AuthSettings &settings);
    // Preselects the kind an operation's first security requirement asks for (keeps typed secrets).
    void suggestFor(const ApiSpec &api, const Operation &op);
    // The keys the project issued (Keys and Tokens dock); those neither revoked nor expired at
    // `nowSeconds` are offered in the "Issued key" box, newest first. Picking one fills the token
    // (or, for the API key header, the key; with no credentials chosen yet, it becomes a Bearer).
    void setIssuedKeys(const QList<IssuedKey> &keys, const QSet<QString> &revoked, qint64 nowSeconds);

    QComboBox *kindBox() const { return m_kind; }
    QComboBox *issuedBox() const { return m_issued; }
    QString previewText() const;

signals:
    void changed();

private:
    void updatePreview();
    void pickIssued(int index);

    QComboBox *m_kind;
    QComboBox *m_issued;
    QLabel *m_issuedLabel;
    QStackedWidget *m_pages;
    QLineEdit *m_token;
    QLineEdit *m_keyHeader;
    QLineEdit *m_key;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLabel *m_preview;
};

} // namespace Gatehouse
