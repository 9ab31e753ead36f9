// SettingsDialog: Edit ▸ Settings… — appearance, editor and embedded-gateway preferences; Apply
// and OK save them and announce them, so the workbench takes them on without a restart (the
// language excepted: it applies at the next start, as the dialog says).
#pragma once

#include "workbenchsettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace Gatehouse {

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(const WorkbenchSettings &settings, QWidget *parent = nullptr);

    WorkbenchSettings settings() const;   // as the fields say now
    void apply();                         // saves and emits applied()

    QComboBox *themeBox() const { return m_theme; }
    QComboBox *languageBox() const { return m_language; }
    QSpinBox *fontSizeBox() const { return m_fontSize; }
    QComboBox *indentBox() const { return m_indent; }
    QSpinBox *httpPortBox() const { return m_httpPort; }
    QSpinBox *httpsPortBox() const { return m_httpsPort; }
    QSpinBox *adminPortBox() const { return m_adminPort; }
    QSpinBox *workersBox() const { return m_workers; }
    QCheckBox *autoReloadBox() const { return m_autoReload; }

signals:
    void applied(const Gatehouse::WorkbenchSettings &settings);

private:
    QComboBox *m_theme;
    QComboBox *m_language;
    QSpinBox *m_fontSize;
    QComboBox *m_indent;
    QSpinBox *m_httpPort;
    QSpinBox *m_httpsPort;
    QSpinBox *m_adminPort;
    QSpinBox *m_workers;
    QCheckBox *m_autoReload;
};

} // namespace Gatehouse
