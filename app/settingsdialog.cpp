// SettingsDialog: three tabs of form rows; 0 in a number box reads "From the project" or
// "Default", so that leaving a setting alone is visible.
#include "settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {

QSpinBox *numberBox(int maximum, const QString &zeroText, const QString &suffix = {})
{
    auto *box = new QSpinBox;
    box->setRange(0, maximum);
    box->setSpecialValueText(zeroText);
    box->setSuffix(suffix);
    box->setAccelerated(true);
    return box;
}

} // namespace

SettingsDialog::SettingsDialog(const WorkbenchSettings &settings, QWidget *parent)
    : QDialog(parent), m_theme(new QComboBox), m_language(new QComboBox),
      m_fontSize(numberBox(48, tr("System size"), tr(" pt"))),
      m_indent(new QComboBox), m_httpPort(numberBox(65535, tr("From the project"))),
      m_httpsPort(numberBox(65535, tr("From the project"))),
      m_adminPort(numberBox(65535, tr("From the project"))),
      m_workers(numberBox(256, tr("From the project"))),
      m_autoReload(new QCheckBox(tr("Reload the running gateway when a saved project is valid")))
{
    setObjectName(QStringLiteral("SettingsDialog"));
    setWindowTitle(tr("Settings"));
    auto *tabs = new QTabWidget;

    auto *appearance = new QWidget;
    auto *appearanceForm = new QFormLayout(appearance);
    m_theme->addItem(tr("System"), int(Theme::System));
    m_theme->addItem(tr("Light"), int(Theme::Light));
    m_theme->addItem(tr("Dark"), int(Theme::Dark));
    appearanceForm->addRow(tr("&Palette:"), m_theme);
    // Language names are written in their own language, so anyone can find theirs.
    m_language->addItem(tr("System"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    appearanceForm->addRow(tr("&Language:"), m_language);
    auto *restartNote = new QLabel(tr("A new language applies when Gatehouse is started again."));
    restartNote->setWordWrap(true);
    appearanceForm->addRow(restartNote);
    tabs->addTab(appearance, tr("Appearance"));

    auto *editor = new QWidget;
    auto *editorForm = new QFormLayout(editor);
    editorForm->addRow(tr("&Font size:"), m_fontSize);
    m_indent->addItem(tr("By file type (YAML 2, others 4)"), 0);
    for (int spaces : {2, 4, 8})
        m_indent->addItem(tr("%1 spaces").arg(spaces), spaces);
    editorForm->addRow(tr("&Tab width:"), m_indent);
    tabs->addTab(editor, tr("Editor"));

    auto *gateway = new QWidget;
    auto *gatewayForm = new QFormLayout(gateway);
    auto *note = new QLabel(tr("The embedded gateway's listeners. These override gatehouse.yaml "
                               "in the workbench only; gatehoused and exports are unaffected."));
    note->setWordWrap(true);
    gatewayForm->addRow(note);
    gatewayForm->addRow(tr("&HTTP port:"), m_httpPort);
    gatewayForm->addRow(tr("HTTP&S port:"), m_httpsPort);
    gatewayForm->addRow(tr("&Admin port:"), m_adminPort);
    gatewayForm->addRow(tr("&Workers:"), m_workers);
    gatewayForm->addRow(m_autoReload);
    tabs->addTab(gateway, tr("Gateway"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel
                                         | QDialogButtonBox::Apply);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &SettingsDialog::apply);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(buttons);

    m_theme->setCurrentIndex(m_theme->findData(int(settings.theme)));
    m_language->setCurrentIndex(qMax(0, m_language->findData(settings.language)));
    m_fontSize->setValue(settings.editorFontPointSize);
    m_indent->setCurrentIndex(qMax(0, m_indent->findData(settings.indentWidth)));
    m_httpPort->setValue(settings.httpPort);
    m_httpsPort->setValue(settings.httpsPort);
    m_adminPort->setValue(settings.adminPort);
    m_workers->setValue(settings.workers);
    m_autoReload->setChecked(settings.autoReloadOnSave);
}

WorkbenchSettings SettingsDialog::settings() const
{
    WorkbenchSettings s;
    s.theme = Theme(m_theme->currentData().toInt());
    s.language = m_language->currentData().toString();
    // Below 6 pt a fixed font is unreadable: treat the low end as "system size".
    s.editorFontPointSize = m_fontSize->value() >= 6 ? m_fontSize->value() : 0;
    s.indentWidth = m_indent->currentData().toInt();
    s.httpPort = quint16(m_httpPort->value());
    s.httpsPort = quint16(m_httpsPort->value());
    s.adminPort = quint16(m_adminPort->value());
    s.workers = m_workers->value();
    s.autoReloadOnSave = m_autoReload->isChecked();
    return s;
}

void SettingsDialog::apply()
{
    const WorkbenchSettings s = settings();
    s.save();
    emit applied(s);
}

} // namespace Gatehouse
