// AuthHelper: builds the credentials header of a try-it request (Bearer token, API key header,
// Basic user and password) and shows the header it will add.
#pragma once

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

    QComboBox *kindBox() const { return m_kind; }
    QString previewText() const;

signals:
    void changed();

private:
    void updatePreview();

    QComboBox *m_kind;
    QStackedWidget *m_pages;
    QLineEdit *m_token;
    QLineEdit *m_keyHeader;
    QLineEdit *m_key;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLabel *m_preview;
};

} // namespace Gatehouse
